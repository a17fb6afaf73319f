"""Reading request bodies: strict UTF-8 first, then the format, so "not UTF-8" and
"not JSON" are different failures (reference §10)."""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request

from emulator.core import constraints as c
from emulator.core.errors import Failure, NotFound, OAuthError, ValidationFailed
from emulator.domain.oauth import Client

OAUTH_BODY_MAX = 64 * 1024
JSON_BODY_MAX = 4 * 1024 * 1024  # definitions and syncs are small; 250 fields is ~20 KB
# A body over its limit is still read, and dropped, up to this many bytes before the answer:
# a client that sends its whole body before it reads (Python's urllib, with "Connection:
# close") would otherwise see the connection reset instead of the answer. Beyond it the
# answer goes at once; uvicorn then drops what still comes until the body deadline.
DISCARD_MAX = 256 * 1024 * 1024


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_json(request: Request, limit: int = JSON_BODY_MAX) -> Any:
    """A JSON request body: ``application/json`` (any charset parameter), strict UTF-8,
    then JSON; each problem is its own 400 failure (reference §3.3, §13.2)."""
    kind = media_type(request)
    if kind != "application/json":
        raise ValidationFailed([Failure("Content-Type", c.CONTENT_TYPE_JSON, kind or None)])
    raw = await read_bounded(request, limit)
    if raw is None:
        raise ValidationFailed(
            [Failure("body", c.BODY_TOO_LARGE.format(limit=limit), None, has_value=False)]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Failure("body", c.BODY_NOT_UTF8, f"byte {exc.start}")]) from None
    try:
        return orjson.loads(text.removeprefix("\ufeff"))  # a BOM, as staging takes it
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed([Failure("body", c.PARSING_ERROR, str(exc))]) from None


async def read_bounded(request: Request, limit: int) -> bytes | None:
    """The body, or ``None`` once it passes ``limit`` bytes (the rest is dropped)."""
    chunks: list[bytes] = []
    size = 0
    stream = request.stream()
    async for chunk in stream:
        size += len(chunk)
        if size > limit:
            await discard(stream, DISCARD_MAX - size)
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def discard(stream: AsyncIterator[bytes], budget: int) -> None:
    """Read and drop the rest of a body, up to ``budget`` bytes (see ``DISCARD_MAX``)."""
    async for chunk in stream:
        budget -= len(chunk)
        if budget < 0:
            return


async def read_oauth_params(request: Request) -> dict[str, str]:
    """The token request body, as a form (tap-eloqua) or JSON (eloqua-python-sdk)."""
    raw = await read_bounded(request, OAUTH_BODY_MAX)
    if raw is None:
        raise OAuthError(c.OAUTH_INVALID_REQUEST, c.OAUTH_BODY_UNREADABLE)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise OAuthError(c.OAUTH_INVALID_REQUEST, c.OAUTH_BODY_UNREADABLE) from None
    media = media_type(request)
    if media == "application/json" or (not media and text.lstrip().startswith("{")):
        try:
            data: Any = orjson.loads(text)
        except orjson.JSONDecodeError:
            raise OAuthError(c.OAUTH_INVALID_REQUEST, c.OAUTH_BODY_UNREADABLE) from None
        if not isinstance(data, dict):
            raise OAuthError(c.OAUTH_INVALID_REQUEST, c.OAUTH_BODY_UNREADABLE)
        if not all(isinstance(v, str) for v in data.values() if v is not None):
            # a form carries text only; a JSON body with other values is not a token request
            raise OAuthError(c.OAUTH_INVALID_REQUEST, c.OAUTH_BODY_UNREADABLE)
        return {str(k): str(v) for k, v in data.items() if v is not None}
    return dict(parse_qsl(text, keep_blank_values=True))


async def read_upload(request: Request, limit: int) -> tuple[str, str, int]:
    """A staging upload: ``(media type, text, bytes)``. Over ``limit`` bytes is a 404, as a
    pod answers uploads over 32 MB (reference §10); the check uses ``Content-Length`` when
    sent and otherwise stops keeping the body at the limit, so an oversized body is never
    held; either way the rest is read and dropped first (``DISCARD_MAX``)."""
    media = media_type(request)
    if media not in ("application/json", "text/csv"):
        raise ValidationFailed([Failure("Content-Type", c.STAGED_CONTENT_TYPE, media or None)])
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        await discard(request.stream(), DISCARD_MAX)
        raise NotFound([Failure("body", c.UPLOAD_TOO_LARGE, int(declared))])
    raw = await read_bounded(request, limit)
    if raw is None:
        raise NotFound([Failure("body", c.UPLOAD_TOO_LARGE, None, has_value=False)])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Failure("body", c.BODY_NOT_UTF8, f"byte {exc.start}")]) from None
    return media, text.removeprefix("\ufeff"), len(raw)


def oauth_client(request: Request, params: dict[str, str]) -> Client | None:
    """HTTP Basic ``client_id:client_secret`` (Oracle's way), else the same in the body."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return None
        client_id, colon, secret = decoded.partition(":")
        return Client(client_id, secret) if colon and client_id else None
    if params.get("client_id"):
        return Client(params["client_id"], params.get("client_secret", ""))
    return None


async def read_optional_json(request: Request, limit: int = JSON_BODY_MAX) -> Any:
    """A JSON body a control call may leave out: ``None`` when there is no body (whatever
    the content type); otherwise as :func:`read_json` reads it."""
    raw = await read_bounded(request, limit)
    if raw is not None and not raw.strip():
        return None
    kind = media_type(request)
    if kind != "application/json":
        raise ValidationFailed([Failure("Content-Type", c.CONTENT_TYPE_JSON, kind or None)])
    if raw is None:
        raise ValidationFailed(
            [Failure("body", c.BODY_TOO_LARGE.format(limit=limit), None, has_value=False)]
        )
    try:
        return orjson.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Failure("body", c.BODY_NOT_UTF8, f"byte {exc.start}")]) from None
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed([Failure("body", c.PARSING_ERROR, str(exc))]) from None
