"""The recording format: JSON Lines, one exchange a line, in the order they happened.

::

    {"request": {"method": "POST", "base": "https://secure.p04.eloqua.com/api/bulk/2.0",
                 "path": "/contacts/imports", "query": {"limit": "10"},
                 "headers": [["Content-Type", "application/json"]], "body": {...}},
     "response": {"status": 201, "headers": [["Content-Type", "application/json; ..."]],
                  "body": {...}}}

``base`` (optional) is put before ``path`` when the request is replayed; only its path
counts, its origin is where the recording was made. ``query`` maps each parameter to its
value, or to a list of values when it was repeated. ``headers`` are name/value pairs in the
order they were sent, and may be left out (the replay then sends its credentials and a
JSON content type). ``body`` is the JSON value, or ``null`` for no body; a body that is not
JSON carries ``"bodyFormat": "text"`` (the text) or ``"base64"`` (bytes). Other keys on a
line (``source``, ``notes`` …) are kept for the reader and ignored by the replay.

This is the shape of the recorded pod traffic the project settles behaviour with, so those
files replay as they are. Credentials never reach a file: ``Authorization`` becomes a
placeholder saying whether it was the session's own credentials or others, ``Cookie`` and
``Set-Cookie`` are dropped, and the values of ``access_token``, ``refresh_token``, ``code``,
``client_secret`` and ``password`` are replaced wherever they appear (JSON bodies, forms,
query strings). Nothing else is changed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

SESSION_CREDENTIALS = "<session credentials>"
OTHER_CREDENTIALS = "<other credentials>"
REDACTED = "<redacted>"
SECRET_KEYS = frozenset({"access_token", "refresh_token", "code", "client_secret", "password"})
DROPPED_HEADERS = frozenset({"cookie", "set-cookie", "proxy-authorization"})
FORMS = ("json", "text", "base64")

Headers = list[tuple[str, str]]


class RecordingError(ValueError):
    """A line that is not an exchange, named by its line number."""


@dataclass(frozen=True)
class Message:
    """What one side sent: headers (``None`` when the recording has none) and a body."""

    headers: Headers | None = None
    body: Any = None
    form: str = "json"

    def header(self, name: str) -> str | None:
        for key, value in self.headers or ():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def content(self) -> bytes:
        """The bytes of the body."""
        return content_of(self.body, self.form)


@dataclass(frozen=True)
class Request(Message):
    method: str = "GET"
    path: str = "/"
    base: str | None = None
    query: dict[str, str | list[str]] | None = None

    @property
    def full_path(self) -> str:
        """``path`` below the path of ``base``: what the replay sends."""
        prefix = urlsplit(self.base).path.rstrip("/") if self.base else ""
        return prefix + self.path


@dataclass(frozen=True)
class Response(Message):
    status: int = 200


@dataclass(frozen=True)
class Exchange:
    request: Request
    response: Response
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        request: dict[str, Any] = {"method": self.request.method}
        if self.request.base is not None:
            request["base"] = self.request.base
        request["path"] = self.request.path
        request["query"] = self.request.query
        _put_message(request, self.request)
        response: dict[str, Any] = {"status": self.response.status}
        _put_message(response, self.response)
        return {"request": request, "response": response, **self.extra}


def _put_message(out: dict[str, Any], message: Message) -> None:
    if message.headers is not None:
        out["headers"] = [list(pair) for pair in message.headers]
    out["body"] = message.body
    if message.form != "json":
        out["bodyFormat"] = message.form


def exchange_from_json(line: Mapping[str, Any]) -> Exchange:
    """One line, as read: raises ``ValueError`` naming what is wrong."""
    request, response = line.get("request"), line.get("response")
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise ValueError("a line needs a 'request' and a 'response' object")
    method, path, status = request.get("method"), request.get("path"), response.get("status")
    if not isinstance(method, str) or not isinstance(path, str) or not path.startswith("/"):
        raise ValueError("request.method and request.path (starting with '/') are required")
    if not isinstance(status, int):
        raise ValueError("response.status must be an integer")
    base = request.get("base")
    query = request.get("query")
    if query is not None and not isinstance(query, Mapping):
        raise ValueError("request.query must be an object or null")
    extra = {key: value for key, value in line.items() if key not in ("request", "response")}
    return Exchange(
        Request(
            method=method.upper(),
            path=path,
            base=base if isinstance(base, str) else None,
            query=None if query is None else {str(k): _query_value(v) for k, v in query.items()},
            **_message_fields(request),
        ),
        Response(status=status, **_message_fields(response)),
        extra,
    )


def _query_value(value: Any) -> str | list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def _message_fields(message: Mapping[str, Any]) -> dict[str, Any]:
    headers = message.get("headers")
    form = message.get("bodyFormat", "json")
    if form not in FORMS:
        raise ValueError(f"bodyFormat must be one of {', '.join(FORMS)}, not {form!r}")
    if headers is not None:
        if not isinstance(headers, list) or not all(
            isinstance(pair, list | tuple) and len(pair) == 2 for pair in headers
        ):
            raise ValueError("headers must be a list of [name, value] pairs")
        headers = [(str(name), str(value)) for name, value in headers]
    return {"headers": headers, "body": message.get("body"), "form": form}


def read(path: Path) -> list[Exchange]:
    """Every exchange of a JSON Lines file; blank lines are skipped."""
    exchanges = []
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, 1):
            if not text.strip():
                continue
            try:
                exchanges.append(exchange_from_json(json.loads(text)))
            except ValueError as exc:  # json.JSONDecodeError is one
                raise RecordingError(f"{path}:{number}: {exc}") from exc
    return exchanges


def write(path: Path, exchanges: Iterable[Exchange]) -> int:
    """Write ``exchanges`` to ``path``; how many there were."""
    with Writer(path) as writer:
        for exchange in exchanges:
            writer.add(exchange)
        return writer.count


class Writer:
    """Appends exchanges to a JSON Lines file one line at a time, flushed, so a run that
    stops half-way keeps what it sent."""

    def __init__(self, path: Path) -> None:
        self._file: IO[str] = path.open("w", encoding="utf-8")
        self.count = 0

    def add(self, exchange: Exchange) -> None:
        self._file.write(json.dumps(exchange.to_json(), ensure_ascii=False) + "\n")
        self._file.flush()
        self.count += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------- bodies


def body_of(content: bytes, content_type: str | None) -> tuple[Any, str]:
    """``(body, bodyFormat)`` for raw bytes: JSON when the content type is JSON (or absent)
    and the bytes parse with no repeated key; else text, else base64."""
    if not content:
        return None, "json"
    if content_type is None or is_json_type(content_type):
        try:
            value = json.loads(content.decode("utf-8"), object_pairs_hook=_unique_keys)
        except ValueError:
            pass
        else:
            if value is not None:
                return value, "json"
    try:
        return content.decode("utf-8"), "text"
    except UnicodeDecodeError:
        return base64.b64encode(content).decode("ascii"), "base64"


def content_of(body: Any, form: str) -> bytes:
    """The bytes a recorded body stands for (JSON compact, as pods send it)."""
    if form == "base64":
        return base64.b64decode(str(body))
    if form == "text":
        return str(body).encode("utf-8")
    if body is None:
        return b""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys repeat is kept as text: a dict would lose one."""
    value = dict(pairs)
    if len(value) != len(pairs):
        raise ValueError("a repeated key")
    return value


# ------------------------------------------------------------------------- redaction


def redact_headers(headers: Iterable[tuple[str, str]], own_authorization: str | None) -> Headers:
    """Headers without cookies, and ``Authorization`` as a placeholder: the session's own
    credentials (equal to ``own_authorization``) or someone else's."""
    kept: Headers = []
    for name, value in headers:
        lower = name.lower()
        if lower in DROPPED_HEADERS or lower.startswith(":"):
            continue
        if lower == "authorization":
            value = SESSION_CREDENTIALS if value == own_authorization else OTHER_CREDENTIALS
        kept.append((name, value))
    return kept


def redact_json(value: Any) -> Any:
    """``value`` with the values of secret keys replaced, at any depth."""
    if isinstance(value, dict):
        return {
            key: REDACTED if key.lower() in SECRET_KEYS else redact_json(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    return value


def redact_body(body: Any, form: str, content_type: str | None) -> Any:
    """A recorded body without secrets: JSON by key, a form by field."""
    if form == "json":
        return redact_json(body)
    if form == "text" and content_type and "x-www-form-urlencoded" in content_type.lower():
        pairs = parse_qsl(str(body), keep_blank_values=True)
        return urlencode([(k, REDACTED if k.lower() in SECRET_KEYS else v) for k, v in pairs])
    return body


def query_of(raw: str) -> dict[str, str | list[str]] | None:
    """A query string as the format keeps it, secrets replaced; ``None`` when empty."""
    pairs = parse_qsl(raw, keep_blank_values=True)
    if not pairs:
        return None
    query: dict[str, str | list[str]] = {}
    for key, value in pairs:
        value = REDACTED if key.lower() in SECRET_KEYS else value
        known = query.get(key)
        if known is None:
            query[key] = value
        elif isinstance(known, list):
            known.append(value)
        else:
            query[key] = [known, value]
    return query


def query_pairs(query: Mapping[str, str | list[str]] | None) -> Iterator[tuple[str, str]]:
    for key, value in (query or {}).items():
        for item in value if isinstance(value, list) else [value]:
            yield key, item


def recorded(
    *,
    method: str,
    url: str,
    request_headers: Sequence[tuple[str, str]],
    request_content: bytes,
    status: int,
    response_headers: Sequence[tuple[str, str]],
    response_content: bytes,
    own_authorization: str | None,
) -> Exchange:
    """One exchange as the recorders and converters see it on the wire, made safe to keep."""
    parts = urlsplit(url)
    request_type = _header(request_headers, "content-type")
    response_type = _header(response_headers, "content-type")
    request_body, request_form = body_of(request_content, request_type)
    response_body, response_form = body_of(response_content, response_type)
    return Exchange(
        Request(
            method=method.upper(),
            base=f"{parts.scheme}://{parts.netloc}" if parts.netloc else None,
            path=parts.path or "/",
            query=query_of(parts.query),
            headers=redact_headers(request_headers, own_authorization),
            body=redact_body(request_body, request_form, request_type),
            form=request_form,
        ),
        Response(
            status=status,
            headers=redact_headers(response_headers, own_authorization),
            body=redact_body(response_body, response_form, response_type),
            form=response_form,
        ),
    )


def _header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


@dataclass(frozen=True)
class Wire:
    """One request and its answer as a capture tool kept them, before redaction."""

    method: str
    url: str
    request_headers: list[tuple[str, str]]
    request_content: bytes
    status: int
    response_headers: list[tuple[str, str]]
    response_content: bytes


def is_eloqua_api(url: str) -> bool:
    """``/id`` (discovery) or a path under a Bulk API base: what a replay can send."""
    path = urlsplit(url).path.lower()
    return path == "/id" or "/api/bulk/" in path


def from_wire(captured: Iterable[Wire], *, keep_all: bool = False) -> tuple[list[Exchange], int]:
    """Exchanges made safe to keep, and how many captured ones were left out (not the
    Eloqua API, unless ``keep_all``).

    The first ``Authorization`` met is the session's own credentials. Capture tools are
    often told to drop that header (vcrpy's ``filter_headers``): when no request has one,
    every request is taken to have carried the session's."""
    wires = list(captured)
    kept = [w for w in wires if keep_all or is_eloqua_api(w.url)]
    own = next(
        (v for w in kept for k, v in w.request_headers if k.lower() == "authorization"), None
    )
    exchanges = []
    for wire in kept:
        headers = list(wire.request_headers)
        if own is None:
            headers.append(("Authorization", SESSION_CREDENTIALS))
        exchanges.append(
            recorded(
                method=wire.method,
                url=wire.url,
                request_headers=headers,
                request_content=wire.request_content,
                status=wire.status,
                response_headers=wire.response_headers,
                response_content=wire.response_content,
                own_authorization=SESSION_CREDENTIALS if own is None else own,
            )
        )
    return exchanges, len(wires) - len(kept)
