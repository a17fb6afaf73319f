"""Request ids, the access log and the journal, in one ASGI middleware.

Every request gets an id: the client's ``X-Request-Id`` when it sends a sane one, else one
in a pod's form (32 hex digits, a slash and a number, reference §18). Every answer carries
it in ``X-Request-Id``, control plane included; log lines written meanwhile carry it
(``http/log_lines``), and the access line is written here. The exchange goes into the
journal (``http/journal``) when the answer is sent, or when the connection was cut.
"""

from __future__ import annotations

import itertools
import re
import time
import uuid
from typing import TYPE_CHECKING

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.core.errors import EloquaError
from emulator.http import auth, log_lines
from emulator.http.journal import CONTROL, KEY, PREVIEW, Exchange

if TYPE_CHECKING:
    from emulator.http.state import AppState

SANE_ID = re.compile(r"^[A-Za-z0-9._:/+=@-]{1,128}$")


class Recorder:
    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state
        self._instance = uuid.uuid4().hex
        self._served = itertools.count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        given = headers.get("x-request-id", "")
        request_id = given if SANE_ID.match(given) else f"{self._instance}/{next(self._served)}"
        path: str = scope["path"]
        length = headers.get("content-length", "")
        entry = Exchange(
            id=request_id,
            at=self.state.clock(),
            method=scope["method"],
            path=path,
            query=scope.get("query_string", b"").decode("latin-1"),
            control=path == CONTROL or path.startswith(CONTROL + "/"),
            request_type=headers.get("content-type", ""),
            request_bytes=int(length) if length.isdigit() else 0,
        )
        token = log_lines.REQUEST_ID.set(request_id)
        started = time.perf_counter()
        received = 0

        async def receiving() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                received += len(body)
                if len(entry.request_head) < PREVIEW:
                    entry.request_head += body[: PREVIEW - len(entry.request_head)]
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry.status = message["status"]
                kept = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"x-request-id"
                ]
                for name, value in kept:
                    if name.lower() == b"content-type":
                        entry.response_type = value.decode("latin-1")
                message = {**message, "headers": [*kept, (b"x-request-id", request_id.encode())]}
            elif message["type"] == "http.response.body":
                body = message.get("body", b"")
                entry.response_bytes += len(body)
                if len(entry.response_head) < PREVIEW:
                    entry.response_head += body[: PREVIEW - len(entry.response_head)]
            await send(message)

        try:
            await self.app({**scope, KEY: entry}, receiving, sending)
        except BaseException:
            entry.aborted = True
            if not entry.status:
                entry.status = 500  # what ServerErrorMiddleware answers
            raise
        finally:
            entry.duration_ms = (time.perf_counter() - started) * 1000
            entry.request_bytes = max(entry.request_bytes, received)
            entry.site, entry.user = self._who(headers)
            self.state.journal.add(entry)
            log_lines.access(
                request_id, entry.method, path, entry.status, entry.duration_ms, entry.fault_tag
            )
            log_lines.REQUEST_ID.reset(token)

    def _who(self, headers: Headers) -> tuple[str | None, str | None]:
        """Site and user of the credentials: Basic names them; a token is looked up in
        the sign-in cache the request filled (no query)."""
        header = headers.get("authorization")
        if not header:
            return None, None
        try:
            credentials = auth.parse(header)
        except EloquaError:
            return None, None
        if isinstance(credentials, str):
            principal = self.state.auth_cache.get(header, self.state.clock())
            return (principal.site_name, principal.username) if principal else (None, None)
        return credentials.site, credentials.user
