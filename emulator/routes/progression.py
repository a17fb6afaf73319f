"""Progression policies at run time (``core.policies``, ``domain.policies``): the global
policy, and overrides per site and per sync."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.core import constraints as c
from emulator.core.errors import Failure, NotFound
from emulator.core.policies import Override
from emulator.domain import policies
from emulator.http.bodies import read_json
from emulator.http.responses import json_response
from emulator.http.state import AppState, state_of


async def get_progression(request: Request) -> Response:
    return _described(state_of(request))


async def set_progression(request: Request) -> Response:
    state = state_of(request)
    setting = policies.parse(await read_json(request))
    if setting.site is None:
        state.progression.set_global(setting.policy)
    else:
        site_id, name = await state.db.read(policies.resolve, setting.site, setting.sync)
        state.progression.set(Override(site_id, name, setting.sync, setting.policy))
    return _described(state)


async def delete_progression(request: Request) -> Response:
    """With ``?site=`` (and ``&sync=``): drop that override; with neither, the global
    policy goes back to ``--sync-progression``."""
    state = state_of(request)
    site, sync = policies.parse_target(
        request.query_params.get("site"), request.query_params.get("sync")
    )
    if site is None:
        state.progression.set_global(None)
        return _described(state)
    site_id, _ = await state.db.read(policies.resolve, site, None)
    if not state.progression.remove(site_id, sync):
        target = "site" if sync is None else "sync"
        value = site if sync is None else f"/syncs/{sync}"
        raise NotFound([Failure(target, c.PROGRESSION_NO_OVERRIDE.format(target=target), value)])
    return _described(state)


def _described(state: AppState) -> Response:
    return json_response(policies.describe(state.progression, state.settings.sync_progression))


def routes() -> list[Route]:
    return [
        Route("/_emulator/progression", get_progression, methods=["GET"], name="get_progression"),
        Route("/_emulator/progression", set_progression, methods=["PUT"], name="set_progression"),
        Route(
            "/_emulator/progression",
            delete_progression,
            methods=["DELETE"],
            name="delete_progression",
        ),
    ]
