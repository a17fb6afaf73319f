"""What happened: the request journal (``/_emulator/requests``, ``http/journal``) and a
sync's timeline (``/_emulator/syncs/{id}/timeline``, ``domain/timeline``)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import timeline
from emulator.http import journal
from emulator.http.ids import EloquaId  # noqa: F401 (registers {id:eloqua})
from emulator.http.responses import json_response, no_content
from emulator.http.state import state_of


async def list_requests(request: Request) -> Response:
    """The latest requests, newest first, filtered by the query."""
    state = state_of(request)
    query = journal.parse_query(request.query_params, state.journal.capacity)
    return json_response(state.journal.listing(query))


async def clear_requests(request: Request) -> Response:
    state_of(request).journal.clear()
    return no_content()


async def get_sync_timeline(request: Request) -> Response:
    """``?site=`` names the site, since sync ids are per site."""
    state = state_of(request)
    site = request.query_params.get("site", "")
    found = await state.db.read(timeline.timeline, site, request.path_params["id"])
    return json_response(found)


def routes() -> list[Route]:
    return [
        Route("/_emulator/requests", list_requests, methods=["GET"], name="list_requests"),
        Route("/_emulator/requests", clear_requests, methods=["DELETE"], name="clear_requests"),
        Route(
            "/_emulator/syncs/{id:eloqua}/timeline",
            get_sync_timeline,
            methods=["GET"],
            name="get_sync_timeline",
        ),
    ]
