"""Definition routes for every family and kind, built from :mod:`emulator.domain.entities`.

``/contacts/imports``, ``/customObjects/{parentId}/exports/{id}``, … plus the cross-entity
lists ``/imports``, ``/exports`` and ``/syncActions``. Route names are the spec's
operationIds: ``list_contact_imports``, ``create_contact_import``, ``get_contact_import``,
``update_contact_import``, ``delete_contact_import``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import definitions, staging
from emulator.domain.entities import EXPORTS, FAMILIES, IMPORTS, KIND_SINGULAR, KINDS
from emulator.http import bodies
from emulator.http.auth import require_principal
from emulator.http.ids import bulk_path
from emulator.http.responses import json_response, no_content, page_response, raw_json
from emulator.http.state import state_of

Endpoint = Callable[..., Awaitable[Response]]
# an upload up to this many bytes is parsed and staged on the event loop (Store.write_small)
SMALL_UPLOAD = 16 * 1024


def _where(request: Request, family: str, kind: str) -> definitions.Where:
    return definitions.where(family, kind, request.path_params.get("parentId"))


async def list_definitions(request: Request, family: str, kind: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    page, query = await state.db.read(
        definitions.list_definitions,
        principal,
        _where(request, family, kind),
        kind,
        request.query_params,
        state.settings.list_limit_max,
        state.clock(),
    )
    return page_response(page, query)


async def list_every_family(request: Request, kind: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    page, query = await state.db.read(
        definitions.list_definitions,
        principal,
        None,
        kind,
        request.query_params,
        state.settings.list_limit_max,
        state.clock(),
    )
    return page_response(page, query)


async def create_definition(request: Request, family: str, kind: str) -> Response:
    principal = await require_principal(request)
    body = await bodies.read_json(request)
    state = state_of(request)
    item = await state.db.write_small(
        definitions.create,
        principal,
        _where(request, family, kind),
        body,
        state.clock(),
        state.settings.export_retention,
    )
    return raw_json(item, 201)


async def get_definition(request: Request, family: str, kind: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    item = await state.db.read(
        definitions.get,
        principal,
        _where(request, family, kind),
        request.path_params["id"],
        state.clock(),
    )
    return raw_json(item)


async def update_definition(request: Request, family: str, kind: str) -> Response:
    principal = await require_principal(request)
    body = await bodies.read_json(request)
    state = state_of(request)
    item = await state.db.write(
        definitions.replace,
        principal,
        _where(request, family, kind),
        request.path_params["id"],
        body,
        state.clock(),
        state.settings.export_retention,
    )
    return raw_json(item)


async def delete_definition(request: Request, family: str, kind: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    await state.db.write(
        definitions.delete,
        principal,
        _where(request, family, kind),
        request.path_params["id"],
        state.clock(),
    )
    return no_content()


async def stage_data(request: Request, family: str, kind: str) -> Response:
    """One staged file; 204, or 201 with the new sync when the definition syncs on import."""
    principal = await require_principal(request)
    state = state_of(request)
    media, text, size = await bodies.read_upload(request, state.settings.upload_max_bytes)
    parse = staging.parse_json_rows if media == "application/json" else staging.parse_csv_rows
    small = size <= SMALL_UPLOAD
    rows = parse(text) if small else await anyio.to_thread.run_sync(parse, text)
    write = state.db.write_small if small else state.db.write
    sync = await write(
        staging.stage_and_maybe_sync,
        principal,
        _where(request, family, kind),
        request.path_params["id"],
        rows,
        size,
        state.clock(),
        state.settings.staging_quota_kb,
    )
    request.app.state.metrics.rows_staged.labels(kind).inc(len(rows))
    if sync is None:
        return no_content()
    state.notify_worker()
    return raw_json(sync, 201)


async def delete_data(request: Request, family: str, kind: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    await state.db.write(
        staging.clear,
        principal,
        _where(request, family, kind),
        request.path_params["id"],
        state.clock(),
    )
    return no_content()


# (path suffix, method, endpoint, operationId template) for each family and kind.
OPERATIONS: tuple[tuple[str, str, Endpoint, str], ...] = (
    ("", "GET", list_definitions, "list_{one}s"),
    ("", "POST", create_definition, "create_{one}"),
    ("/{id}", "GET", get_definition, "get_{one}"),
    ("/{id}", "PUT", update_definition, "update_{one}"),
    ("/{id}", "DELETE", delete_definition, "delete_{one}"),
)
DATA_OPERATIONS: tuple[tuple[str, str, Endpoint, str], ...] = (
    ("/{id}/data", "POST", stage_data, "stage_{one}_data"),
    ("/{id}/data", "DELETE", delete_data, "delete_{one}_data"),
)


async def get_space(request: Request, kind: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    found = await state.db.read(staging.space, principal, kind, state.settings.staging_quota_kb)
    return json_response(found)


def routes() -> list[Route]:
    result: list[Route] = []
    for family in FAMILIES:
        base = family.path
        for kind in family.kinds:
            one = f"{family.singular}_{KIND_SINGULAR[kind]}"
            operations = OPERATIONS + (DATA_OPERATIONS if kind != EXPORTS else ())
            result += [
                Route(
                    bulk_path(f"{base}/{kind}{suffix}"),
                    partial(endpoint, family=family.name, kind=kind),
                    methods=[method],
                    name=template.format(one=one),
                )
                for suffix, method, endpoint, template in operations
            ]
    result += [
        Route(
            bulk_path(f"/{kind}"),
            partial(list_every_family, kind=kind),
            methods=["GET"],
            name=f"list_{KIND_SINGULAR[kind]}s",
        )
        for kind in KINDS
    ]
    result += [
        Route(
            bulk_path(f"/{kind}/data"),
            partial(get_space, kind=kind),
            methods=["GET"],
            name=f"get_{KIND_SINGULAR[kind]}_space",
        )
        for kind in (IMPORTS, EXPORTS)
    ]
    return result
