"""The query parameters of Eloqua's REST 2.0 lists: ``count``, ``page``, ``depth``,
``orderBy`` and ``search`` (Oracle's "URL parameters" page).

REST 2.0 is not Bulk 2.0: pages are numbered from 1 (``page``, ``count`` up to 1000), the
answer is ``{"elements", "page", "pageSize", "total"}``, and a refused parameter is a 400
whose body is a JSON *array* of validation errors, not Bulk's ``{"failures": [...]}``::

    [{"type": "EndpointValidationError", "parameter": "count", "value": "0",
      "requirement": {"type": "RangeRequirement", "minimum": 1, "maximum": 1000}}]

Oracle publishes the error and ``RangeRequirement``/``EnumRequirement`` types but not
every requirement; ``SyntaxRequirement`` and ``DataTypeRequirement`` (a ``search`` that
cannot be read, or whose value does not fit its property) are ours, in the same shape.
A ``search`` over ``SEARCH_LENGTH_MAX`` characters is refused with Oracle's
``ValidTextLengthRequirement`` (the limit is ours: Oracle publishes none, and SQLite
refuses LIKE patterns over 50,000 bytes); numbers must be finite.

``search`` grammar (one criterion; operators longest first)::

    search := ['"'] [term op] value ['"']
    op     := '!=' | '>=' | '<=' | '=' | '>' | '<'
    value  := "'" chars "'" | chars          ('*' is a wildcard with = and != on text)

Without a term the value is compared with the collection's default term by ``=``. Dates
are stored as epoch seconds; a date value may be epoch seconds, ``'YYYY-MM-DD'`` or
``'YYYY-MM-DD HH:MM:SS'``, read as UTC (Eloqua does not say which zone it reads them in).
Property names match case-insensitively (``v_LastVisitDateAndTime``), as on a pod.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from emulator.core import timestamps
from emulator.core.listing import Kind

COUNT_MAX = 1000
PAGE_MAX = 2**31 - 1  # a .NET int: larger pages are refused, never an offset SQLite cannot bind
SEARCH_LENGTH_MAX = 2000  # ours: Oracle publishes no limit (see core/listing)

# The error and requirement types of REST 2.0's 400 body.
ENDPOINT_ERROR = "EndpointValidationError"
RANGE = "RangeRequirement"
ENUM = "EnumRequirement"
SYNTAX = "SyntaxRequirement"  # [INF]
DATA_TYPE = "DataTypeRequirement"  # [INF]
TEXT_LENGTH = "ValidTextLengthRequirement"  # Oracle's "Validation errors" page
SEARCH_SYNTAX = "{term}{operator}{value}"
ORDER_SYNTAX = "{term} [ASC|DESC]"


class Depth(Enum):
    MINIMAL = "minimal"
    PARTIAL = "partial"
    COMPLETE = "complete"


@dataclass(frozen=True)
class Search:
    name: str
    op: str
    value: str | int | float
    wildcard: bool = False


@dataclass(frozen=True)
class Sort:
    name: str
    descending: bool = False


@dataclass(frozen=True)
class RestQuery:
    count: int = COUNT_MAX
    page: int = 1
    depth: Depth = Depth.MINIMAL
    order: Sort | None = None
    search: Search | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.count


class RestQueryError(ValueError):
    """Parameters a pod refuses; ``errors`` is the 400 body, one entry per parameter."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{e['parameter']}={e['value']!r}" for e in errors))
        self.errors = errors


def endpoint_error(parameter: str, value: str, requirement: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": ENDPOINT_ERROR,
        "parameter": parameter,
        "value": value,
        "requirement": requirement,
    }


_INTEGER = re.compile(r"^\+?\d{1,18}$")
_ORDER = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\s+(?P<dir>ASC|DESC))?\s*$", re.I)
_SEARCH = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>!=|>=|<=|=|>|<)(?P<value>.*)$")
_EPOCH = re.compile(r"^-?\d{1,12}$")


def parse_rest_query(
    params: Mapping[str, str], properties: Mapping[str, Kind], *, default_term: str = "name"
) -> RestQuery:
    """Validate the list parameters against a collection's searchable ``properties``;
    every refused parameter is reported at once."""
    errors: list[dict[str, Any]] = []
    count = _integer(params, "count", COUNT_MAX, COUNT_MAX, errors)
    page = _integer(params, "page", 1, PAGE_MAX, errors)
    depth = _depth(params.get("depth"), errors)
    order = _order(params.get("orderBy"), properties, errors)
    search = _search(params.get("search"), properties, default_term, errors)
    if errors:
        raise RestQueryError(errors)
    return RestQuery(count, page, depth, order, search)


def _integer(
    params: Mapping[str, str], name: str, default: int, high: int, errors: list[dict[str, Any]]
) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    text = raw.strip()
    if _INTEGER.match(text) and 1 <= int(text) <= high:
        return int(text)
    errors.append(endpoint_error(name, raw, {"type": RANGE, "minimum": 1, "maximum": high}))
    return default


def _depth(raw: str | None, errors: list[dict[str, Any]]) -> Depth:
    """``minimal``, ``partial`` or ``complete``, any case; Oracle's list pages say any other
    value falls back to minimal, so it is not an error."""
    if raw is None:
        return Depth.MINIMAL
    for depth in Depth:
        if raw.strip().lower() == depth.value:
            return depth
    return Depth.MINIMAL


def _known(name: str, properties: Mapping[str, Kind]) -> str | None:
    if name in properties:
        return name
    return {p.lower(): p for p in properties}.get(name.lower())


def _order(
    raw: str | None, properties: Mapping[str, Kind], errors: list[dict[str, Any]]
) -> Sort | None:
    if raw is None or not raw.strip():
        return None
    match = _ORDER.match(raw)
    if match is None:
        errors.append(endpoint_error("orderBy", raw, {"type": SYNTAX, "syntax": ORDER_SYNTAX}))
        return None
    name = _known(match["name"], properties)
    if name is None:
        errors.append(endpoint_error("orderBy", raw, {"type": ENUM, "values": sorted(properties)}))
        return None
    return Sort(name, (match["dir"] or "ASC").upper() == "DESC")


def _search(
    raw: str | None, properties: Mapping[str, Kind], default: str, errors: list[dict[str, Any]]
) -> Search | None:
    if raw is None or not raw.strip():
        return None
    if len(raw) > SEARCH_LENGTH_MAX:
        requirement = {"type": TEXT_LENGTH, "maximum": SEARCH_LENGTH_MAX}
        errors.append(endpoint_error("search", raw, requirement))
        return None
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':  # the whole criterion quoted
        text = text[1:-1]
    match = _SEARCH.match(text)
    if match is None:
        if any(op in text for op in ("=", "<", ">")):
            errors.append(endpoint_error("search", raw, {"type": SYNTAX, "syntax": SEARCH_SYNTAX}))
            return None
        name, op, value = default, "=", text
    else:
        name, op, value = match["name"], match["op"], match["value"]
    known = _known(name, properties)
    if known is None:
        errors.append(endpoint_error("search", raw, {"type": ENUM, "values": sorted(properties)}))
        return None
    value = _unquote(value.strip())
    kind = properties[known]
    if "*" in value and kind is Kind.TEXT and op in ("=", "!="):
        return Search(known, op, value, wildcard=True)
    converted = _convert(value, kind)
    if converted is None:
        errors.append(
            endpoint_error("search", raw, {"type": DATA_TYPE, "dataType": _type_name(kind)})
        )
        return None
    return Search(known, op, converted)


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _type_name(kind: Kind) -> str:
    return {Kind.TIMESTAMP: "date", Kind.NUMBER: "number", Kind.BOOLEAN: "boolean"}.get(
        kind, "text"
    )


def _convert(value: str, kind: Kind) -> str | int | float | None:
    if kind is Kind.TEXT:
        return value
    if kind is Kind.BOOLEAN:
        lowered = value.lower()
        return lowered if lowered in ("true", "false") else None
    if kind is Kind.NUMBER:
        try:
            number = int(value) if _INTEGER.match(value) else float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return epoch_seconds(value)


def epoch_seconds(text: str) -> int | None:
    """A date as ``search`` takes it → epoch seconds, or ``None``: epoch seconds as they are,
    a date or date-time (``T`` or space, optional fraction and zone) read as UTC."""
    text = text.strip()
    if _EPOCH.match(text):
        return int(text)
    iso = timestamps.parse_loose(text)
    if iso is None:
        return None
    moment = datetime.strptime(iso[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
    return math.floor(moment.timestamp())
