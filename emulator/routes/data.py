"""Reading exported data (reference §11): ``/syncs/{id}/data`` and the definitions'
``…/exports/{id}/data``. Pages stream: the envelope's head, then rows fetched a chunk at a
time, then its tail, so memory does not grow with ``limit``."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from emulator.core.listing import Listing, parse_list_query
from emulator.core.types import Principal
from emulator.domain import definitions, exports
from emulator.domain.entities import EXPORTS, FAMILIES
from emulator.http.auth import require_principal
from emulator.http.ids import bulk_path
from emulator.http.responses import JSON_TYPE, no_content
from emulator.http.state import AppState, state_of

NO_PROPERTIES = Listing({})
Endpoint = Callable[..., Awaitable[Response]]


def _paging(request: Request, state: AppState) -> tuple[int, int, bool]:
    params = {
        k: v for k, v in request.query_params.items() if k in ("limit", "offset", "totalResults")
    }
    query = parse_list_query(params, NO_PROPERTIES, limit_max=state.settings.data_limit_max)
    return query.offset, query.limit, query.total_results


def _wants_csv(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    return "text/csv" in accept and "application/json" not in accept


async def _rows(state: AppState, page: exports.DataPage) -> AsyncIterator[list[bytes]]:
    for start in exports.chunk_starts(page):
        yield await state.db.read(exports.chunks, page, start)


async def _json(
    state: AppState, page: exports.DataPage, limit: int, total: bool
) -> AsyncIterator[bytes]:
    """Eloqua's envelope; an empty ``/data`` page carries no ``items`` (reference §3.1)."""
    if page.count:
        yield b'{"items":['
        for number, start in enumerate(exports.chunk_starts(page)):
            rows = await state.db.read(exports.joined_chunk, page, start)
            yield rows if number == 0 else b"," + rows
        yield b"],"
    else:
        yield b"{"
    tail = b'"totalResults":%d,' % page.total if total else b""
    yield tail + b'"limit":%d,"offset":%d,"count":%d,"hasMore":%s}' % (
        limit,
        page.offset,
        page.count,
        b"true" if page.has_more else b"false",
    )


async def _csv(state: AppState, page: exports.DataPage) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(page.columns)
    yield buffer.getvalue().encode()
    async for rows in _rows(state, page):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(exports.csv_line(row, page.columns) for row in rows)
        yield buffer.getvalue().encode()


async def _serve(request: Request, page_of: Callable[..., Awaitable[exports.DataPage]]) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    offset, limit, total = _paging(request, state)
    page = await page_of(state, principal, offset, limit)
    if _wants_csv(request):
        return StreamingResponse(_csv(state, page), media_type="text/csv; charset=utf-8")
    return StreamingResponse(_json(state, page, limit, total), media_type=JSON_TYPE)


async def get_sync_data(request: Request) -> Response:
    sync_id = request.path_params["id"]

    async def page_of(
        state: AppState, principal: Principal, offset: int, limit: int
    ) -> exports.DataPage:
        return await state.db.read(
            exports.data_page, principal, sync_id, offset, limit, state.clock()
        )

    return await _serve(request, page_of)


async def delete_sync_data(request: Request) -> Response:
    principal = await require_principal(request)
    await state_of(request).db.write(exports.delete_sync_data, principal, request.path_params["id"])
    return no_content()


async def get_definition_data(request: Request, family: str) -> Response:
    """Oracle warns this can be slow or incomplete; it serves the latest synced data."""
    id_ = request.path_params["id"]
    parent = request.path_params.get("parentId")

    async def page_of(
        state: AppState, principal: Principal, offset: int, limit: int
    ) -> exports.DataPage:
        at = definitions.where(family, EXPORTS, parent)
        await state.db.read(definitions.get, principal, at, id_, state.clock())
        return await state.db.read(
            exports.definition_page,
            principal,
            family,
            parent or 0,
            id_,
            offset,
            limit,
            state.clock(),
        )

    return await _serve(request, page_of)


async def delete_definition_data(request: Request, family: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    parent = request.path_params.get("parentId")
    at = definitions.where(family, EXPORTS, parent)
    await state.db.read(definitions.get, principal, at, request.path_params["id"], state.clock())
    await state.db.write(
        exports.delete_definition_data, principal, family, parent or 0, request.path_params["id"]
    )
    return no_content()


def routes() -> list[Route]:
    result = [
        Route(bulk_path("/syncs/{id}/data"), get_sync_data, methods=["GET"], name="get_sync_data"),
        Route(
            bulk_path("/syncs/{id}/data"),
            delete_sync_data,
            methods=["DELETE"],
            name="delete_sync_data",
        ),
    ]
    for family in FAMILIES:
        if EXPORTS not in family.kinds:
            continue
        path = bulk_path(family.path + "/exports/{id}/data")
        result += [
            Route(
                path,
                partial(get_definition_data, family=family.name),
                methods=["GET"],
                name=f"get_{family.singular}_export_data",
            ),
            Route(
                path,
                partial(delete_definition_data, family=family.name),
                methods=["DELETE"],
                name=f"delete_{family.singular}_export_data",
            ),
        ]
    return result
