"""Definition routes for every family and kind, built from :mod:`emulator.domain.entities`.

``/contacts/imports``, ``/customObjects/{parentId}/exports/{id}``, … plus the cross-entity
lists ``/imports``, ``/exports`` and ``/syncActions``. Route names are the spec's
operationIds: ``list_contact_imports``, ``create_contact_import``, ``get_contact_import``,
``update_contact_import``, ``delete_contact_import``.
"""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import definitions
from emulator.domain.entities import FAMILIES, KIND_SINGULAR, KINDS
from emulator.http import bodies
from emulator.http.auth import require_principal
from emulator.http.responses import no_content, page_response, raw_json
from emulator.http.state import state_of

BULK = "/api/bulk/2.0"


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
    item = await state.db.write(
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


def routes() -> list[Route]:
    result: list[Route] = []
    for family in FAMILIES:
        base = BULK + family.path.replace("{parentId}", "{parentId:int}")
        for kind in family.kinds:
            one = f"{family.singular}_{KIND_SINGULAR[kind]}"
            name, kind_ = family.name, kind
            collection, item = f"{base}/{kind}", f"{base}/{kind}/{{id:int}}"
            result += [
                Route(
                    collection,
                    partial(list_definitions, family=name, kind=kind_),
                    methods=["GET"],
                    name=f"list_{one}s",
                ),
                Route(
                    collection,
                    partial(create_definition, family=name, kind=kind_),
                    methods=["POST"],
                    name=f"create_{one}",
                ),
                Route(
                    item,
                    partial(get_definition, family=name, kind=kind_),
                    methods=["GET"],
                    name=f"get_{one}",
                ),
                Route(
                    item,
                    partial(update_definition, family=name, kind=kind_),
                    methods=["PUT"],
                    name=f"update_{one}",
                ),
                Route(
                    item,
                    partial(delete_definition, family=name, kind=kind_),
                    methods=["DELETE"],
                    name=f"delete_{one}",
                ),
            ]
    for kind in KINDS:
        result.append(
            Route(
                f"{BULK}/{kind}",
                partial(list_every_family, kind=kind),
                methods=["GET"],
                name=f"list_{KIND_SINGULAR[kind]}s",
            )
        )
    return result
