"""``/_emulator/faults``: rules that make Eloqua routes fail on request (``domain/faults``,
applied by ``http/faults``). Held in memory, for the app's lifetime."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import faults
from emulator.http.bodies import read_json
from emulator.http.ids import EloquaId  # noqa: F401 (registers {id:eloqua})
from emulator.http.responses import json_response, no_content
from emulator.http.state import state_of

PREFIX = "/_emulator/faults"


async def create_fault(request: Request) -> Response:
    spec = faults.parse(await read_json(request))
    rule = state_of(request).faults.add(spec)
    return json_response(rule.describe(), 201)


async def list_faults(request: Request) -> Response:
    """Every rule in the order they are tried, with how often each fired."""
    items = state_of(request).faults.describe()
    return json_response({"items": items, "count": len(items)})


async def get_fault(request: Request) -> Response:
    return json_response(state_of(request).faults.get(request.path_params["id"]))


async def delete_fault(request: Request) -> Response:
    state_of(request).faults.remove(request.path_params["id"])
    return no_content()


async def delete_faults(request: Request) -> Response:
    state_of(request).faults.clear()
    return no_content()


def routes() -> list[Route]:
    return [
        Route(PREFIX, create_fault, methods=["POST"], name="create_fault"),
        Route(PREFIX, list_faults, methods=["GET"], name="list_faults"),
        Route(PREFIX, delete_faults, methods=["DELETE"], name="delete_faults"),
        Route(PREFIX + "/{id:eloqua}", get_fault, methods=["GET"], name="get_fault"),
        Route(PREFIX + "/{id:eloqua}", delete_fault, methods=["DELETE"], name="delete_fault"),
    ]
