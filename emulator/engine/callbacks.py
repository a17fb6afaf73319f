"""Calls Eloqua makes to other servers: a sync's ``callbackUrl`` when the sync ends
(reference §9.3; method and body are not documented, we POST the final sync JSON) and an
AppCloud app's notification URL (§14). A call never blocks or fails what caused it; its
outcome is logged or recorded.

Calls are asynchronous (no thread of the pool that parses uploads waits on a receiver), at
most ``CONCURRENT`` at a time, and each has one total deadline for connecting, sending and
the answer: a receiver that trickles its answer a byte at a time is cut off like one that
never answers. Redirects are not followed; a 3xx is the answer.
"""

from __future__ import annotations

import logging

import anyio
import httpx
import orjson

from emulator.core.types import JSONObject

log = logging.getLogger("emulator.callbacks")
CONCURRENT = 16


class Outbound:
    """The emulator's one client for outgoing calls; opened and closed by the lifespan."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self._limiter = anyio.CapacityLimiter(CONCURRENT)
        self._client = httpx.AsyncClient(follow_redirects=False, timeout=deadline, trust_env=False)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def post(self, url: str, body: JSONObject) -> tuple[int | None, str | None]:
        """POST ``body`` as JSON: ``(status, None)``, or ``(None, why)`` when no answer came
        within the deadline."""
        async with self._limiter:
            with anyio.move_on_after(self.deadline) as scope:
                try:
                    response = await self._client.post(
                        url,
                        content=orjson.dumps(body),
                        headers={"Content-Type": "application/json"},
                    )
                except (httpx.HTTPError, ValueError) as exc:
                    return None, str(exc) or type(exc).__name__
                return response.status_code, None
        assert scope.cancelled_caught
        return None, f"no answer within {self.deadline:g} s"

    async def notify(self, url: str, sync: JSONObject) -> tuple[int | None, str | None]:
        """A sync's callback, logged; the answer, as ``post`` gives it."""
        status, error = await self.post(url, sync)
        if status is None:
            log.warning("callback %s for %s failed: %s", url, sync.get("uri"), error)
        else:
            log.info("callback %s for %s answered %s", url, sync.get("uri"), status)
        return status, error
