"""Outcomes on demand (``domain.outcomes``): force a sync to end ``error`` or ``warning``, or
hold it ``active`` until released."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import outcomes
from emulator.http.bodies import read_json
from emulator.http.ids import EloquaId  # noqa: F401 (registers {id:eloqua})
from emulator.http.responses import json_response, no_content
from emulator.http.state import state_of


async def create_outcome(request: Request) -> Response:
    state = state_of(request)
    order = outcomes.parse(await read_json(request))
    item = await state.db.write(outcomes.create, order, state.clock())
    return json_response(item, 201)


async def list_outcomes(request: Request) -> Response:
    state = state_of(request)
    found = await state.db.read(outcomes.listing, request.query_params.get("site"))
    return json_response(found)


async def delete_outcome(request: Request) -> Response:
    state = state_of(request)
    if await state.db.write(outcomes.remove, request.path_params["id"]):
        state.notify_worker()
    return no_content()


async def release_sync(request: Request) -> Response:
    """The sync a forced ``active`` outcome holds carries on. ``?site=`` names the site,
    since sync ids are per site."""
    state = state_of(request)
    site = request.query_params.get("site", "")
    released = await state.db.write(outcomes.release, site, request.path_params["id"])
    state.notify_worker()
    return json_response(released)


def routes() -> list[Route]:
    return [
        Route("/_emulator/outcomes", create_outcome, methods=["POST"], name="create_outcome"),
        Route("/_emulator/outcomes", list_outcomes, methods=["GET"], name="list_outcomes"),
        Route(
            "/_emulator/outcomes/{id:eloqua}",
            delete_outcome,
            methods=["DELETE"],
            name="delete_outcome",
        ),
        Route(
            "/_emulator/syncs/{id:eloqua}/release",
            release_sync,
            methods=["POST"],
            name="release_sync",
        ),
    ]
