"""Fault injection: an ASGI middleware that makes Eloqua routes fail on request, in the
shapes a pod fails in (rules: ``domain/faults``, set through ``/_emulator/faults`` or
``--faults FILE``).

* ``status`` 500: the Bulk 500 with retry hints, ``{"error", "errorSeverity"}`` and
  ``Retry-After`` (reference §13.2); 401: the answer to an expired token (what the
  emulator answers for one, with ``WWW-Authenticate``); 429 and 503: the ``failures``
  shape with the status text, and ``Retry-After``.
* ``latencyMs``: an asynchronous wait before the request goes on (the loop keeps serving).
* ``fault: connection_reset``: the answer starts (status, headers, part of the body) and
  the connection is then cut: the middleware raises ``ConnectionCut`` after the first
  piece of body, and uvicorn closes the socket of a response already started. Clients
  see a broken response (httpx: ``RemoteProtocolError``); ``ConnectionCut`` is one, so a
  client of the app in process (ASGI transport, test client) sees the same error.

Never on ``/_emulator/*``, so a test can always take its faults away. With no rule that
can still fire, a request costs one attribute read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import httpx
import orjson
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.core import constraints as c
from emulator.core.errors import EloquaError, Failure, Unauthorized, ValidationFailed
from emulator.domain import identity
from emulator.domain.faults import RESET, Fired, Spec, parse_all
from emulator.http import auth
from emulator.http.journal import CONTROL, exchange_of
from emulator.http.metrics import Metrics
from emulator.http.responses import json_response

if TYPE_CHECKING:
    from emulator.http.state import AppState

log = logging.getLogger("emulator.faults")


class ConnectionCut(httpx.RemoteProtocolError):
    """Raised to cut a connection on purpose (``connection_reset``). An httpx error, so a
    client of the app in process sees what a client over a socket sees."""


class _QuietCuts(logging.Filter):
    """uvicorn logs every exception of the app with its traceback; a cut on purpose is
    not an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, ConnectionCut)


_QUIET = _QuietCuts()


def load_rules(path: Path) -> list[Spec]:
    """The rules of a ``--faults`` file (a JSON array of rules); ``ValueError`` naming
    every problem, so the server does not start on a bad file."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ValueError(f"faults file {path}: {exc}") from None
    try:
        return parse_all(data)
    except ValidationFailed as exc:
        problems = "; ".join(f"{f.field}: {f.constraint}" for f in exc.failures)
        raise ValueError(f"faults file {path}: {problems}") from None


def answer(spec: Spec) -> Response:
    """The response a ``status`` rule sends."""
    headers: dict[str, str] = {}
    if spec.retry_after is not None:
        headers["Retry-After"] = str(spec.retry_after)
    body: Any
    if spec.status == 500:
        body = {"error": spec.error, "errorSeverity": spec.error_severity}
    elif spec.status == 401:
        body = Unauthorized.on("Authorization", c.TOKEN_EXPIRED, has_value=False).body()
        headers["WWW-Authenticate"] = 'Basic realm="Eloqua"'
    else:
        text = c.FAULT_TOO_MANY_REQUESTS if spec.status == 429 else c.FAULT_UNAVAILABLE
        body = {"failures": [Failure("request", text, has_value=False).as_dict()]}
    return json_response(body, spec.status or 500, headers)


class FaultInjector:
    def __init__(self, app: ASGIApp, state: AppState, metrics: Metrics) -> None:
        self.app = app
        self.state = state
        self.metrics = metrics
        uvicorn_errors = logging.getLogger("uvicorn.error")
        if _QUIET not in uvicorn_errors.filters:
            uvicorn_errors.addFilter(_QUIET)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        book = self.state.faults
        if not book.active or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        rules = [] if path.startswith(CONTROL) else book.candidates(scope["method"], path)
        if not rules:
            await self.app(scope, receive, send)
            return
        site = await self._site(scope) if any(r.spec.site for r in rules) else None
        fired = book.draw(rules, site)
        if fired is None:
            await self.app(scope, receive, send)
            return
        self._note(scope, fired)
        if fired.delay:
            await anyio.sleep(fired.delay)
        if fired.spec.status is not None:
            await answer(fired.spec)(scope, receive, send)
        elif fired.spec.fault == RESET:
            await self.app(scope, receive, _cutting(send))
        else:
            await self.app(scope, receive, send)

    def _note(self, scope: Scope, fired: Fired) -> None:
        self.metrics.faults.labels(fired.kind).inc()
        exchange = exchange_of(scope)
        if exchange is not None:
            exchange.fault = {"id": fired.rule, "kind": fired.kind}
        log.info("fault rule %d fired: %s %s", fired.rule, fired.kind, scope["path"])

    async def _site(self, scope: Scope) -> str | None:
        """The site of the request's credentials: Basic names it; a token is looked up
        (sign-in cache first)."""
        header = Headers(scope=scope).get("authorization")
        if not header:
            return None
        try:
            credentials = auth.parse(header)
        except EloquaError:
            return None
        if not isinstance(credentials, str):
            return credentials.site
        now = self.state.clock()
        cached = self.state.auth_cache.get(header, now)
        if cached is not None:
            return cached.site_name
        if self.state.store is None:
            return None
        try:
            principal, _ = await self.state.store.read(
                identity.principal_for_token, credentials, now
            )
        except EloquaError:
            return None
        return principal.site_name


def _cutting(send: Send) -> Send:
    """``send``, but the first piece of body goes out halved (at least a byte of it) and
    the connection is then cut."""

    async def cut(message: Message) -> None:
        if message["type"] != "http.response.body":
            await send(message)
            return
        body = message.get("body", b"")
        if not body and message.get("more_body", False):
            await send(message)
            return
        part = body[: max(1, len(body) // 2)]
        if part:
            await send({"type": "http.response.body", "body": part, "more_body": True})
        raise ConnectionCut("connection cut by an injected fault (connection_reset)")

    return cut
