"""The two guards in front of the app: the ``Host`` names it answers (``core.hosts``) and
who may use the control plane (``core.control_access``). Refusals go through the one error
handler, in Eloqua's ``failures`` shape."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator.core import control_access, hosts
from emulator.core.config import Settings
from emulator.core.errors import EloquaError, Failure, ValidationFailed
from emulator.http import errors

_ADMITTED = "emulator.host_admitted"


class AllowedHosts:
    """Answer only requests whose ``Host`` is on the list; any other gets a 400 that names
    the option to set.

    Starlette's ``TrustedHostMiddleware`` decides (it parses the header: a port is ignored,
    IPv6 literals keep their brackets, ``*.example.com`` matches the names under it and not
    itself, a malformed or missing header is refused). Its own refusal is a bare "Invalid
    host header", so it sees a copy of the request and only says whether it would pass it.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.check = TrustedHostMiddleware(
            _admit,
            allowed_hosts=hosts.patterns(settings.allowed_hosts, settings.host),
            www_redirect=False,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        probe = {**scope}
        await self.check(probe, receive, _discard)
        if probe.get(_ADMITTED):
            await self.app(scope, receive, send)
        elif scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
        else:
            host = Headers(scope=scope).get("host")
            failure = Failure("Host", hosts.refusal(host), host, has_value=host is not None)
            await _answer(ValidationFailed([failure]), scope, receive, send)


async def _admit(scope: Scope, receive: Receive, send: Send) -> None:
    scope[_ADMITTED] = True


async def _discard(message: object) -> None:
    return None


class ControlGuard:
    """Control requests that can change something must show a program sent them; with
    ``--control-token``, control requests need the token. Eloqua routes pass untouched."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not control_access.is_control(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refused = control_access.refusal(
            scope["method"],
            scope["path"],
            content_type=headers.get("content-type"),
            control_header=headers.get(control_access.HEADER),
            authorization=headers.get("authorization"),
            token=self.token,
        )
        if refused is None:
            await self.app(scope, receive, send)
        else:
            await _answer(refused, scope, receive, send)


async def _answer(error: EloquaError, scope: Scope, receive: Receive, send: Send) -> None:
    response = await errors.eloqua_error(Request(scope, receive), error)
    await response(scope, receive, send)
