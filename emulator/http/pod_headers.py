"""The headers a pod puts on every Bulk answer (reference §18): ``Cache-Control: no-store``,
``Pragma: no-cache``, ``Expires: -1``, and an ``X-Request-Id`` of 32 hex digits, a slash
and a number, which clients log to quote to Oracle support (given by ``http/recorder``,
to every answer)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.http.ids import BULK
from emulator.http.responses import NO_CACHE

FIXED = [(name.lower().encode(), value.encode()) for name, value in NO_CACHE.items()]


class PodHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(BULK):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in (b"cache-control", b"pragma", b"expires")
                ]
                message = {
                    **message,
                    "headers": [*kept, *FIXED],
                }
            await send(message)

        await self.app(scope, receive, with_headers)
