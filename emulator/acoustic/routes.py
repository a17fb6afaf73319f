"""The Acoustic service's HTTP side: ``POST /oauth/token`` and the BEX job-definition
routes under ``/rest/bulkeventexport/jobdefinition`` (route names are the operationIds of
``openapi/acoustic-bulk-event-export.yaml``), and the handlers that render its errors.

Handlers are thin: they read the request, authenticate, call ``domain``/``oauth`` through
the store and wrap the answer in Acoustic's envelope. Starlette's own 404/405 and any
unexpected error on an Acoustic path are rendered in Acoustic's envelope too; on any
other path they go to the Eloqua handlers (``emulator.http.errors``).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.acoustic import control, domain, oauth, store
from emulator.acoustic.core import messages as m
from emulator.acoustic.errors import (
    AcousticError,
    BadRequest,
    InvalidToken,
    MethodNotAllowed,
    NotFound,
    ServerError,
    TokenError,
    UnsupportedMediaType,
    envelope,
)
from emulator.http import errors as eloqua_errors
from emulator.http.bodies import media_type, read_bounded
from emulator.http.paths import ACOUSTIC_PREFIXES
from emulator.http.responses import NO_CACHE, json_response
from emulator.http.state import state_of

log = logging.getLogger("emulator")

JOBS = "/rest/bulkeventexport/jobdefinition"
TOKEN = "/oauth/token"
BODY_MAX = 1024 * 1024  # a definition is a few hundred bytes
TOKEN_BODY_MAX = 64 * 1024


def is_acoustic(path: str) -> bool:
    return path.startswith(ACOUSTIC_PREFIXES) or path.rstrip("/") == TOKEN


# --- OAuth


async def issue_acoustic_token(request: Request) -> Response:
    """The four parameters as a form body or in the query string (one public client sends
    them so); where both name one, the body wins."""
    params = dict(request.query_params)
    params.update(await _form(request))
    state = state_of(request)
    body = await state.db.write(oauth.issue, params, state.clock())
    return json_response(body, headers=NO_CACHE)


async def _form(request: Request) -> dict[str, str]:
    raw = await read_bounded(request, TOKEN_BODY_MAX)
    if raw is None:
        raise TokenError(m.INVALID_REQUEST, m.REQUEST_UNREADABLE)
    if not raw.strip():
        return {}
    kind = media_type(request)
    if kind not in ("", "application/x-www-form-urlencoded"):
        raise TokenError(m.INVALID_REQUEST, m.REQUEST_UNREADABLE)
    try:
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise TokenError(m.INVALID_REQUEST, m.REQUEST_UNREADABLE) from None


async def caller_of(request: Request) -> store.Caller:
    """The bearer token's user (401 without a live one), allowed to use BEX (403)."""
    token = oauth.bearer(request.headers.get("authorization"))
    state = state_of(request)
    caller = await state.db.read(oauth.caller, token, state.clock())
    domain.check_access(caller)
    return caller


# --- job definitions


async def create_job_definition(request: Request) -> Response:
    caller = await caller_of(request)
    body = await _json(request)
    state = state_of(request)
    job_id = await state.db.write(
        domain.create,
        caller,
        body,
        state.clock(),
        one_per_source=state.settings.acoustic_one_job_per_source,
    )
    return _ok(created(job_id))


def created(job_id: int) -> dict[str, int]:
    """What POST and DELETE answer in ``data``: Acoustic documents only "Response: JobId"
    (reference §3.2), so the shape is kept here, in one place."""
    return {"jobId": job_id}


async def list_job_definitions(request: Request) -> Response:
    """An extension: Acoustic documents no list."""
    caller = await caller_of(request)
    texts = await state_of(request).db.read(domain.list_definitions, caller)
    return _ok([orjson.Fragment(text) for text in texts])


async def get_job_definition(request: Request) -> Response:
    caller = await caller_of(request)
    job_id = domain.path_id(request.path_params["id"])
    text = await state_of(request).db.read(domain.read, caller, job_id)
    return _ok(orjson.Fragment(text))


async def update_job_definition(request: Request) -> Response:
    caller = await caller_of(request)
    job_id = domain.path_id(request.path_params["id"])
    body = await _json(request)
    state = state_of(request)
    text = await state.db.write(domain.replace, caller, job_id, body, state.clock())
    return _ok(orjson.Fragment(text))


async def delete_job_definition(request: Request) -> Response:
    caller = await caller_of(request)
    job_id = domain.path_id(request.path_params["id"])
    deleted = await state_of(request).db.write(domain.delete, caller, job_id)
    return _ok(created(deleted))


async def _json(request: Request) -> Any:
    """``application/json`` (415 otherwise), UTF-8 JSON (400 otherwise)."""
    if media_type(request) != "application/json":
        raise UnsupportedMediaType([m.CONTENT_TYPE])
    raw = await read_bounded(request, BODY_MAX)
    if raw is None:
        raise BadRequest([m.BODY_TOO_LARGE.format(limit=BODY_MAX)])
    try:
        return orjson.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, orjson.JSONDecodeError):
        raise BadRequest([m.BODY_INVALID]) from None


def _ok(data: Any) -> Response:
    return json_response(envelope(data))


def routes() -> list[Route]:
    return [
        Route(TOKEN, issue_acoustic_token, methods=["POST"], name="issue_acoustic_token"),
        Route(JOBS, list_job_definitions, methods=["GET"], name="list_job_definitions"),
        Route(JOBS, create_job_definition, methods=["POST"], name="create_job_definition"),
        Route(JOBS + "/{id}", get_job_definition, methods=["GET"], name="get_job_definition"),
        Route(JOBS + "/{id}", update_job_definition, methods=["PUT"], name="update_job_definition"),
        Route(
            JOBS + "/{id}", delete_job_definition, methods=["DELETE"], name="delete_job_definition"
        ),
        *control.routes(),  # the control plane's /_emulator/acoustic/… (part B)
    ]


# --- errors


async def acoustic_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AcousticError)
    return json_response(exc.body(), exc.status)


async def token_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TokenError)
    headers = {"Cache-Control": "no-store"}
    if isinstance(exc, InvalidToken):
        headers["WWW-Authenticate"] = f'Bearer error="{m.INVALID_TOKEN}"'
    return json_response(exc.body(), exc.status, headers)


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's 404 (no route) and 405 (no such method) on an Acoustic path, in the
    envelope; elsewhere, Eloqua's."""
    assert isinstance(exc, HTTPException)
    if not is_acoustic(request.url.path):
        return await eloqua_errors.http_exception(request, exc)
    if exc.status_code == 405:
        error: AcousticError = MethodNotAllowed(
            [m.METHOD_NOT_ALLOWED.format(method=request.method)]
        )
        allowed = ", ".join(eloqua_errors.allowed_methods(request))
        return json_response(error.body(), error.status, {"Allow": allowed})
    if exc.status_code == 404:
        error = NotFound([m.RESOURCE_UNKNOWN.format(path=request.url.path)])
        return json_response(error.body(), error.status)
    return json_response(BadRequest([str(exc.detail)]).body(), exc.status_code)


async def server_error(request: Request, exc: Exception) -> Response:
    if not is_acoustic(request.url.path):
        return await eloqua_errors.server_error(request, exc)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    error = ServerError()
    return json_response(error.body(), error.status)
