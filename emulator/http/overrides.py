"""Eloqua's override headers (reference §3.3, Oracle's "HTTP request headers" page).

``X-HTTP-Method-Override: DELETE`` on a GET or POST makes it a DELETE (for clients that
cannot send PUT or DELETE); ``X-HTTP-Status-Code-Override: 200`` makes every response 200
and reports the real status in ``X-HTTP-Original-Status-Code``.
"""

from __future__ import annotations

import re

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH"})
# Statuses that can carry the body being sent: 1xx, 204, 205 and 3xx cannot.
_STATUS = re.compile(r"^(20[0-36-9]|2[1-9]\d|[45]\d\d)$")


class OverrideHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        method = headers.get("x-http-method-override", "").strip().upper()
        if method in METHODS and scope["method"] in ("GET", "POST"):
            scope = {**scope, "method": method}
        status = headers.get("x-http-status-code-override", "").strip()
        if not _STATUS.match(status):
            await self.app(scope, receive, send)
            return
        forced = int(status)

        async def override(message: Message) -> None:
            if message["type"] == "http.response.start":
                original = message["status"]
                message = {**message, "status": forced}
                MutableHeaders(scope=message).append("X-HTTP-Original-Status-Code", str(original))
            await send(message)

        await self.app(scope, receive, override)
