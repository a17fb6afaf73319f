"""The AppCloud part of the control plane: put service instances on a canvas, move records
into a step, and see where the members stand (``emulator.domain.appcloud``)."""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import appcloud
from emulator.http.bodies import read_json
from emulator.http.responses import json_response, no_content
from emulator.http.state import AppState, state_of

PREFIX = "/_emulator/appcloud/instances"


async def create_service_instance(request: Request) -> Response:
    state = state_of(request)
    body = await read_json(request)
    created = await state.db.write(appcloud.create_instance, body, state.clock())
    return json_response(created, 201)


async def delete_service_instance(request: Request) -> Response:
    state = state_of(request)
    await state.db.write(appcloud.delete_instance, request.path_params["instance"])
    return no_content()


async def create_execution(request: Request) -> Response:
    """201 with the execution; the app's notifications are sent after the answer, in order,
    and each answer recorded on the execution."""
    state = state_of(request)
    body = await read_json(request)
    execution, notes = await state.db.write(
        appcloud.create_execution, request.path_params["instance"], body, state.clock()
    )
    task = BackgroundTask(_notify, state, notes) if notes else None
    response = json_response(execution, 201)
    response.background = task
    return response


async def _notify(state: AppState, notes: list[appcloud.Notification]) -> None:
    if state.outbound is None:
        return  # the app is shutting down
    for note in notes:
        status, error = await state.outbound.post(note.url, note.body)
        await state.db.write(appcloud.record_answer, note, status, error, state.clock())


async def get_execution(request: Request) -> Response:
    state = state_of(request)
    found = await state.db.read(
        appcloud.get_execution, request.path_params["instance"], request.path_params["execution"]
    )
    return json_response(found)


def routes() -> list[Route]:
    return [
        Route(PREFIX, create_service_instance, methods=["POST"], name="create_service_instance"),
        Route(
            PREFIX + "/{instance}",
            delete_service_instance,
            methods=["DELETE"],
            name="delete_service_instance",
        ),
        Route(
            PREFIX + "/{instance}/executions",
            create_execution,
            methods=["POST"],
            name="create_execution",
        ),
        Route(
            PREFIX + "/{instance}/executions/{execution:int}",
            get_execution,
            methods=["GET"],
            name="get_execution",
        ),
    ]
