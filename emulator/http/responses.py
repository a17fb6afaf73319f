"""Responses as a pod sends them: ``application/json; charset=utf-8`` via orjson, list
envelopes spliced from stored JSON text, and 204s with no body and no content type."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from emulator.core.listing import ListQuery
from emulator.store.pages import Page

JSON_TYPE = "application/json; charset=utf-8"
# What login.eloqua.com and a pod's Bulk answers carry (reference §18)
NO_CACHE = {"Cache-Control": "no-store", "Pragma": "no-cache", "Expires": "-1"}


class JSONResponse(Response):
    media_type = JSON_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(
    content: Any, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse(content, status_code=status, headers=headers)


def raw_json(text: str | bytes, status: int = 200) -> Response:
    """A resource already stored as JSON text."""
    body = text.encode() if isinstance(text, str) else text
    return Response(body, status_code=status, media_type=JSON_TYPE)


def envelope(page: Page, query: ListQuery, *, empty_items: bool = True) -> bytes:
    """The list envelope of reference §3.1, keys in the pod's order.

    ``empty_items=False`` leaves ``items`` out of an empty page, as ``/data`` pages do.
    """
    parts: list[bytes] = []
    if page.items or empty_items:
        parts.append(b'"items":[' + ",".join(page.items).encode() + b"]")
    if page.total is not None:
        parts.append(b'"totalResults":%d' % page.total)
    parts.append(
        b'"limit":%d,"offset":%d,"count":%d,"hasMore":%s'
        % (query.limit, query.offset, len(page.items), b"true" if page.has_more else b"false")
    )
    return b"{" + b",".join(parts) + b"}"


def page_response(page: Page, query: ListQuery) -> Response:
    return raw_json(envelope(page, query))


def no_content() -> Response:
    return Response(status_code=204)
