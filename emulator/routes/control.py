"""The control plane under ``/_emulator/``: never under the Eloqua prefix, never needs
Eloqua credentials (moto's ``/moto-api``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse
from starlette.routing import Route

from emulator.core.config import __version__, bundled_path
from emulator.core.types import JSONObject
from emulator.domain import control, synthetic
from emulator.engine import seeder
from emulator.http.bodies import read_json, read_optional_json
from emulator.http.ids import EloquaId  # noqa: F401 (registers {id:eloqua})
from emulator.http.responses import json_response
from emulator.http.state import state_of


async def get_health(request: Request) -> Response:
    """200 ``ready`` once the fixtures are loaded; 503 ``starting`` before."""
    state = state_of(request)
    if not state.ready or state.store is None:
        return json_response({"status": "starting", "version": __version__}, 503)
    summary = await state.store.read(control.summary)
    return json_response(
        {"status": "ready", "version": __version__, "store": state.settings.db, **summary}
    )


async def reset(request: Request) -> Response:
    """No body (or ``{}``): forget every site, user, token and record and reload the
    fixtures. ``{"site": name}``: forget that site alone; it comes back from the fixtures at
    its next sign-in."""
    state = state_of(request)
    site = control.parse_reset(await read_optional_json(request))
    if site is not None:
        site_id = await state.db.write(control.reset_site, site)
        state.auth_cache.clear()
        state.polls.forget_site(site_id)
        state.progression.forget(site_id)
        return await get_health(request)
    state.ready = False
    await state.db.write(
        control.reset, state.settings.fixtures, state.clock(), then=state.after_reset
    )
    state.auth_cache.clear()
    state.polls.clear()
    state.progression.forget()  # site ids are reused once the sites are gone
    state.ready = True
    return await get_health(request)


async def get_settings(request: Request) -> Response:
    return json_response(state_of(request).settings.describe())


async def get_metrics(request: Request) -> Response:
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


async def get_spec(request: Request) -> Response:
    return FileResponse(spec_path(), media_type="application/yaml")


async def pause_worker(request: Request) -> Response:
    """Hold every pending sync in ``pending`` (to test 409s and deletions during a sync)."""
    state = state_of(request)
    if state.worker is not None:
        state.worker.paused = True
    return json_response(_worker(request))


async def resume_worker(request: Request) -> Response:
    state = state_of(request)
    if state.worker is not None:
        state.worker.paused = False
        state.worker.notify()
    return json_response(_worker(request))


def _worker(request: Request) -> dict[str, object]:
    worker = state_of(request).worker
    return {
        "paused": bool(worker and worker.paused),
        "completed": worker.completed if worker else 0,
    }


async def advance_sync(request: Request) -> Response:
    """``manual`` progression: show the sync one stage further. ``?site=`` names the site,
    since sync ids are per site."""
    state = state_of(request)
    site = request.query_params.get("site", "")
    summary = await state.db.write(control.advance_sync, site, request.path_params["id"])
    return json_response(summary)


async def get_contact_state(request: Request) -> Response:
    state = state_of(request)
    found = await state.db.read(
        control.contact_state, request.path_params["site"], request.path_params["id"]
    )
    return json_response(found)


async def get_opportunity_state(request: Request) -> Response:
    state = state_of(request)
    found = await state.db.read(
        control.opportunity_state, request.path_params["site"], request.path_params["id"]
    )
    return json_response(found)


async def get_account_state(request: Request) -> Response:
    state = state_of(request)
    found = await state.db.read(
        control.account_state, request.path_params["site"], request.path_params["id"]
    )
    return json_response(found)


NDJSON = "application/x-ndjson"


async def seed_site(request: Request) -> Response:
    """Synthetic records into a site (created if missing), written a chunk at a time; the
    answer streams one JSON line per chunk written (``domain.synthetic``). With
    ``fixtures`` (a directory on this host), that fixture set's catalogs and records
    replace the site's instead, in one write, answered with a JSON summary."""
    state = state_of(request)
    body = await read_json(request)
    if control.names_fixture_set(body):
        fixture_set = control.parse_fixture_set(body)
        loaded = await state.db.write(control.load_fixture_set, fixture_set, state.clock())
        return json_response(loaded)
    order = synthetic.parse(body)
    plan = await state.db.write(synthetic.prepare, order, state.clock())
    events = seeder.run(state.db, plan, state.settings.sync_chunk)
    return StreamingResponse(_lines(events), media_type=NDJSON)


async def _lines(events: AsyncIterator[JSONObject]) -> AsyncIterator[bytes]:
    async for event in events:
        yield orjson.dumps(event) + b"\n"


def spec_path() -> Path:
    return bundled_path("openapi") / "eloqua-bulk-2.0.yaml"


def routes() -> list[Route]:
    return [
        Route("/_emulator/health", get_health, methods=["GET"], name="get_health"),
        Route("/_emulator/reset", reset, methods=["POST"], name="reset"),
        Route("/_emulator/settings", get_settings, methods=["GET"], name="get_settings"),
        Route("/_emulator/metrics", get_metrics, methods=["GET"], name="get_metrics"),
        Route("/_emulator/openapi.yaml", get_spec, methods=["GET"], name="get_spec"),
        Route("/_emulator/seed", seed_site, methods=["POST"], name="seed_site"),
        Route("/_emulator/worker/pause", pause_worker, methods=["POST"], name="pause_worker"),
        Route("/_emulator/worker/resume", resume_worker, methods=["POST"], name="resume_worker"),
        Route(
            "/_emulator/syncs/{id:eloqua}/advance",
            advance_sync,
            methods=["POST"],
            name="advance_sync",
        ),
        Route(
            "/_emulator/sites/{site}/contacts/{id:int}",
            get_contact_state,
            methods=["GET"],
            name="get_contact_state",
        ),
        Route(
            "/_emulator/sites/{site}/accounts/{id:int}",
            get_account_state,
            methods=["GET"],
            name="get_account_state",
        ),
        Route(
            "/_emulator/sites/{site}/opportunities/{id}",
            get_opportunity_state,
            methods=["GET"],
            name="get_opportunity_state",
        ),
    ]
