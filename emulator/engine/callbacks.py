"""Calls Eloqua makes to other servers: a sync's ``callbackUrl`` when the sync ends
(reference §9.3; method and body are not documented, we POST the final sync JSON) and an
AppCloud app's notification URL (§14). A call never blocks or fails what caused it; its
outcome is logged or recorded.

Calls are asynchronous (no thread of the pool that parses uploads waits on a receiver), at
most ``CONCURRENT`` at a time, and each has one total deadline for connecting, sending and
the answer: a receiver that trickles its answer a byte at a time is cut off like one that
never answers. Redirects are not followed; a 3xx is the answer.

Only hosts ``--outbound-allow`` allows are called (``core.outbound``): a call to any other
host, or to a URL that carries credentials, is not made; it is recorded as its answer, like
a call that failed, and logged at warning once per host. URLs are logged with their
userinfo masked (``core.redaction``).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import anyio
import httpx
import orjson

from emulator.core import redaction
from emulator.core.outbound import NOT_CALLED, Policy
from emulator.core.types import JSONObject

log = logging.getLogger("emulator.callbacks")
CONCURRENT = 16
WARNED_HOSTS = 1024  # hosts remembered as warned about; past that, every refusal warns
EVERY_HOST = Policy(None)


class Outbound:
    """The emulator's one client for outgoing calls; opened and closed by the lifespan."""

    def __init__(self, deadline: float, policy: Policy = EVERY_HOST) -> None:
        self.deadline = deadline
        self.policy = policy
        self._limiter = anyio.CapacityLimiter(CONCURRENT)
        self._client = httpx.AsyncClient(follow_redirects=False, timeout=deadline, trust_env=False)
        self._warned: set[str] = set()  # the refusals logged at warning (one per host)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def post(self, url: str, body: JSONObject) -> tuple[int | None, str | None]:
        """POST ``body`` as JSON: ``(status, None)``, or ``(None, why)`` when no answer came
        within the deadline or the call was not made."""
        status, error, _ = await self._call(url, body)
        return status, error

    async def notify(self, url: str, sync: JSONObject) -> tuple[int | None, str | None]:
        """A sync's callback, logged; the answer, as ``post`` gives it."""
        status, error, refused = await self._call(url, sync)
        if refused:
            return status, error  # logged when refused
        shown = redaction.masked(url)
        if status is None:
            log.warning("callback %s for %s failed: %s", shown, sync.get("uri"), error)
        else:
            log.info("callback %s for %s answered %s", shown, sync.get("uri"), status)
        return status, error

    async def _call(self, url: str, body: JSONObject) -> tuple[int | None, str | None, bool]:
        """``(status, error, refused)``: ``refused`` when the policy kept the call from
        being made."""
        refusal = self.policy.refusal(url)
        if refusal is not None:
            self._log_refusal(url, refusal)
            return None, NOT_CALLED.format(reason=refusal), True
        async with self._limiter:
            with anyio.move_on_after(self.deadline) as scope:
                try:
                    response = await self._client.post(
                        url,
                        content=orjson.dumps(body),
                        headers={"Content-Type": "application/json"},
                    )
                except (httpx.HTTPError, ValueError) as exc:
                    return None, str(exc) or type(exc).__name__, False
                return response.status_code, None, False
        assert scope.cancelled_caught
        return None, f"no answer within {self.deadline:g} s", False

    def _log_refusal(self, url: str, refusal: str) -> None:
        shown = redaction.masked(url)
        try:
            host = urlsplit(shown).hostname or shown
        except ValueError:
            host = shown
        level = logging.DEBUG if host in self._warned else logging.WARNING
        if len(self._warned) < WARNED_HOSTS:
            self._warned.add(host)
        log.log(level, "not calling %s: %s", shown, refusal)
