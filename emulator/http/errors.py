"""The one place errors become responses.

Eloqua-surface errors render ``{"failures": [...]}``; Starlette's own 404/405 (unknown
route, wrong method) are translated into the same shape; anything unexpected is logged
with its traceback and answered with an Eloqua-shaped 500 that reveals nothing.
"""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route

from emulator.core import constraints
from emulator.core.errors import EloquaError, Failure, NotFound, OAuthError
from emulator.http.faults import ConnectionCut
from emulator.http.responses import json_response

log = logging.getLogger("emulator")


async def eloqua_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EloquaError)
    headers = dict(exc.headers)
    if exc.status == 401:
        headers.setdefault("WWW-Authenticate", 'Basic realm="Eloqua"')
    return json_response(exc.body(), exc.status, headers)


async def oauth_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OAuthError)
    headers = {"Cache-Control": "no-store"}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="Eloqua"'
    return json_response(exc.body(), exc.status, headers)


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    failure = Failure("request", str(exc.detail), has_value=False)
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        failure = NotFound.resource(request.url.path).failures[0]
    elif exc.status_code == 405:
        failure = Failure("method", constraints.METHOD_NOT_ALLOWED, request.method)
        headers["Allow"] = ", ".join(allowed_methods(request))
    return json_response({"failures": [failure.as_dict()]}, exc.status_code, headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette's 405 names only the first
    route whose path matched, and each method has its own route here."""
    methods: set[str] = set()
    for route in request.app.routes:
        if isinstance(route, Route) and route.methods:
            match, _ = route.matches({**request.scope, "method": "GET"})
            if match != Match.NONE:
                methods |= route.methods
    return sorted(methods)


async def server_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ConnectionCut):  # on purpose, after the answer started: never sent
        return Response(status_code=500)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    body = {"failures": [{"field": "request", "constraint": constraints.SERVICE_ERROR}]}
    return json_response(body, 500)


CLIENT_GONE = 499  # the status nginx logs for a client that closed its request


async def client_gone(request: Request, exc: Exception) -> Response:
    """The client went away before its body was read (a closed connection, or a body that
    missed its deadline): nothing can be answered and nothing was stored. Not an error of
    the emulator: logged at info and counted under 499, as nginx counts it."""
    log.info("client closed %s %s before its body was read", request.method, request.url.path)
    return Response(status_code=CLIENT_GONE)
