"""Calls Eloqua makes to other servers: a sync's ``callbackUrl`` when the sync ends
(reference §9.3; method and body are not documented, we POST the final sync JSON) and an
AppCloud app's notification URL (§14). A call never blocks or fails what caused it; its
outcome is logged."""

from __future__ import annotations

import http.client
import logging
import urllib.error
import urllib.request

import anyio.to_thread
import orjson

from emulator.core.types import JSONObject

log = logging.getLogger("emulator.callbacks")
TIMEOUT = 5.0


def _post(url: str, body: bytes) -> int:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return int(response.status)


async def post(url: str, body: JSONObject) -> tuple[int | None, str | None]:
    """POST ``body`` as JSON: ``(status, None)``, or ``(None, why)`` when no answer came."""
    try:
        status = await anyio.to_thread.run_sync(_post, url, orjson.dumps(body))
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        return None, str(exc) or type(exc).__name__
    return status, None


async def notify(url: str, sync: JSONObject) -> None:
    status, error = await post(url, sync)
    if status is None:
        log.warning("callback %s for %s failed: %s", url, sync.get("uri"), error)
    else:
        log.info("callback %s for %s answered %s", url, sync.get("uri"), status)
