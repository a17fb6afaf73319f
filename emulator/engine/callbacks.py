"""``callbackUrl``: Eloqua calls it when a sync ends (reference §9.3). Method and body are
not documented; we POST the final sync JSON. The call never blocks or fails the sync, and
its outcome is logged."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

import anyio.to_thread
import orjson

from emulator.types import JSONObject

log = logging.getLogger("emulator.callbacks")
TIMEOUT = 5.0


def _post(url: str, body: bytes) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return int(response.status)


async def notify(url: str, sync: JSONObject) -> None:
    try:
        status = await anyio.to_thread.run_sync(_post, url, orjson.dumps(sync))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("callback %s for %s failed: %s", url, sync.get("uri"), exc)
    else:
        log.info("callback %s for %s answered %s", url, sync.get("uri"), status)
