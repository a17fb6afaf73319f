"""Named snapshots of the whole state (``domain/snapshots``): take, list, restore, delete,
while clients stay connected."""

from __future__ import annotations

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import snapshots
from emulator.http.responses import json_response, no_content
from emulator.http.state import state_of


async def take_snapshot(request: Request) -> Response:
    """Saved from a reader's one read transaction: writes and syncs carry on meanwhile."""
    state = state_of(request)
    name = snapshots.check_name(request.path_params["name"])
    taken = await state.db.read(snapshots.take, state.shelf, name, state.clock())
    return json_response(taken, 201)


async def list_snapshots(request: Request) -> Response:
    listed = await anyio.to_thread.run_sync(snapshots.listing, state_of(request).shelf)
    return json_response(listed)


async def restore_snapshot(request: Request) -> Response:
    """One step on the writer, between two writes; then what memory held about the
    replaced state (signed-in headers, poll counts, per-site and per-sync progression)
    is forgotten and the worker woken to
    carry on the snapshot's syncs."""
    state = state_of(request)
    name = snapshots.check_name(request.path_params["name"])
    restored = await state.db.exclusive(snapshots.restore, state.shelf, name)
    state.auth_cache.clear()
    state.polls.clear()
    state.progression.forget()  # site and sync ids may name others now
    state.notify_worker()
    return json_response(restored)


async def delete_snapshot(request: Request) -> Response:
    state = state_of(request)
    await anyio.to_thread.run_sync(snapshots.delete, state.shelf, request.path_params["name"])
    return no_content()


def routes() -> list[Route]:
    return [
        Route("/_emulator/snapshots", list_snapshots, methods=["GET"], name="list_snapshots"),
        Route("/_emulator/snapshots/{name}", take_snapshot, methods=["POST"], name="take_snapshot"),
        Route(
            "/_emulator/snapshots/{name}",
            delete_snapshot,
            methods=["DELETE"],
            name="delete_snapshot",
        ),
        Route(
            "/_emulator/snapshots/{name}/restore",
            restore_snapshot,
            methods=["POST"],
            name="restore_snapshot",
        ),
    ]
