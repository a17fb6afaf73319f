"""Sync routes: create, list, read, logs and rejects (reference §9, §13.1)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import syncs
from emulator.http import bodies
from emulator.http.auth import require_principal
from emulator.http.ids import bulk_path
from emulator.http.responses import page_response, raw_json
from emulator.http.state import state_of

IMMEDIATE = "immediate"
SETTLE = 0.1  # seconds a poll under ``immediate`` waits for a sync the worker is running


async def create_sync(request: Request) -> Response:
    principal = await require_principal(request)
    body = await bodies.read_json(request)
    state = state_of(request)
    item = await state.db.write_small(syncs.create, principal, body, state.clock())
    state.notify_worker()
    return raw_json(item, 201)


async def list_syncs(request: Request) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    policy, own = state.progression.of_site(principal.site_id, state.settings.sync_progression)
    page, query = await state.db.read(
        syncs.list_syncs,
        principal,
        request.query_params,
        state.settings.list_limit_max,
        policy,
        state.clock(),
        state.polls,
        own,
    )
    return page_response(page, query)


async def get_sync(request: Request) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    id_ = request.path_params["id"]
    policy = state.progression.text(principal.site_id, id_, state.settings.sync_progression)
    args = (principal, id_, policy, state.clock(), state.polls)
    item = await state.db.read_small(syncs.read, *args)
    if policy == IMMEDIATE and state.worker is not None and not syncs.ended(item):
        # the worker is running it now: answer with its end rather than send the client
        # round again, if that takes no more than SETTLE
        await state.worker.until_ended(principal.site_id, id_, SETTLE)
        item = await state.db.read_small(syncs.read, *args)
    return raw_json(item)


async def list_sync_logs(request: Request) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    page, query = await state.db.read_small(
        syncs.logs,
        principal,
        request.path_params["id"],
        request.query_params,
        state.settings.list_limit_max,
    )
    return page_response(page, query)


async def list_sync_rejects(request: Request) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    page, query = await state.db.read(
        syncs.rejects,
        principal,
        request.path_params["id"],
        request.query_params,
        state.settings.list_limit_max,
    )
    return page_response(page, query)


def routes() -> list[Route]:
    return [
        Route(bulk_path("/syncs"), create_sync, methods=["POST"], name="create_sync"),
        Route(bulk_path("/syncs"), list_syncs, methods=["GET"], name="list_syncs"),
        Route(bulk_path("/syncs/{id}"), get_sync, methods=["GET"], name="get_sync"),
        Route(
            bulk_path("/syncs/{id}/logs"),
            list_sync_logs,
            methods=["GET"],
            name="list_sync_logs",
        ),
        Route(
            bulk_path("/syncs/{id}/rejects"),
            list_sync_rejects,
            methods=["GET"],
            name="list_sync_rejects",
        ),
    ]
