"""The list query language shared by every collection: paging, ``orderBy`` and ``q``.

Reference §3.1-3.2. ``parse_list_query`` turns raw query parameters into a frozen
:class:`ListQuery`, checking each against the collection's :class:`Listing` (which
properties exist and what kind of value each holds), so the store can compile it to SQL
with bound values only. Any bad parameter is a 400 ``failures`` entry naming it.

``q`` grammar (Oracle documents ``q="name=*Test*"`` and ``q=createdAt<2025-07-01``)::

    q     := ['"'] term { [AND] term } ['"']
    term  := property op value
    op    := '=' | '!=' | '<' | '<=' | '>' | '>='
    value := "'" chars "'" | '"' chars '"' | chars-without-space

``*`` in a value is a wildcard with ``=``/``!=`` on text properties; text comparisons
ignore case, as on a pod (SQL Server's default collation).

Limits (Eloqua documents none; these are ours): ``q`` has at most ``Q_TERMS_MAX`` terms and
``Q_LENGTH_MAX`` characters, and ``orderBy`` names at most as many properties as the
collection sorts on. Each is far below what SQLite refuses (an expression 1000 deep, a LIKE
pattern of 50,000 bytes, 2000 ORDER BY terms), so a long query is a 400 naming the
parameter, never a server error. Numbers must be finite (``nan``, ``inf`` and ``1e309``
are not numbers a property holds).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from emulator.core import constraints, timestamps
from emulator.core.errors import Failure, ValidationFailed


class Kind(Enum):
    TEXT = "text"
    NUMBER = "number"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"


@dataclass(frozen=True)
class Listing:
    """What a collection lets clients sort and search on."""

    properties: Mapping[str, Kind]


@dataclass(frozen=True)
class Term:
    name: str
    op: str
    value: str | int | float | bool
    wildcard: bool = False


@dataclass(frozen=True)
class Order:
    name: str
    descending: bool = False


@dataclass(frozen=True)
class ListQuery:
    limit: int
    offset: int = 0
    total_results: bool = True
    order: tuple[Order, ...] = ()
    terms: tuple[Term, ...] = ()


OPERATORS = ("!=", "<=", ">=", "=", "<", ">")
_TERM = re.compile(
    r"\s*(?:AND\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_.]*)\s*(?P<op>!=|<=|>=|=|<|>)\s*"
    r"(?:'(?P<sq>[^']*)'|\"(?P<dq>[^\"]*)\"|(?P<bare>[^\s'\"]*))",
    re.IGNORECASE,
)
_ORDER = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\s+(?P<dir>ASC|DESC))?\s*$", re.I)
_INTEGER = re.compile(r"^[+]?\d{1,18}$")
Q_TERMS_MAX = 50
Q_LENGTH_MAX = 2000


def parse_list_query(params: Mapping[str, str], listing: Listing, *, limit_max: int) -> ListQuery:
    """Validate paging, ``orderBy`` and ``q``; every problem is reported at once."""
    failures: list[Failure] = []
    limit = _integer(
        params,
        "limit",
        default=min(limit_max, 1000),
        low=1,
        high=limit_max,
        failures=failures,
        message=constraints.LIMIT_RANGE.format(max=limit_max),
    )
    offset = _integer(
        params,
        "offset",
        default=0,
        low=0,
        high=None,
        failures=failures,
        message=constraints.OFFSET_RANGE,
    )
    total = parse_boolean(params, "totalResults", default=True, failures=failures)
    order = _order_by(params.get("orderBy"), listing, failures)
    terms = _q(params.get("q"), listing, failures)
    if failures:
        raise ValidationFailed(failures)
    return ListQuery(limit, offset, total, order, terms)


def parse_boolean(
    params: Mapping[str, str], name: str, *, default: bool, failures: list[Failure]
) -> bool:
    raw = params.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    failures.append(Failure(name, constraints.BOOLEAN_VALUE, raw))
    return default


def _integer(
    params: Mapping[str, str],
    name: str,
    *,
    default: int,
    low: int,
    high: int | None,
    failures: list[Failure],
    message: str,
) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    text = raw.strip()
    if _INTEGER.match(text):
        value = int(text)
        if value >= low and (high is None or value <= high):
            return value
    failures.append(Failure(name, message, raw))
    return default


def _names(listing: Listing) -> str:
    return ", ".join(sorted(listing.properties))


def _order_by(raw: str | None, listing: Listing, failures: list[Failure]) -> tuple[Order, ...]:
    if raw is None:
        return ()
    text = _unquote(raw.strip())
    parts = text.split(",")
    most = max(1, len(listing.properties))
    if len(parts) > most:
        failures.append(Failure("orderBy", constraints.ORDER_BY_COUNT.format(max=most), raw))
        return ()
    order: list[Order] = []
    for part in parts:
        match = _ORDER.match(part)
        name = _known(match["name"], listing) if match else None
        if match is None or name is None:
            failures.append(
                Failure("orderBy", constraints.ORDER_BY_FORM.format(names=_names(listing)), raw)
            )
            return ()
        order.append(Order(name, (match["dir"] or "ASC").upper() == "DESC"))
    return tuple(order)


def _known(name: str, listing: Listing) -> str | None:
    """Property names match case-insensitively, as Eloqua binds them (reference §3.3)."""
    if name in listing.properties:
        return name
    folded = {p.lower(): p for p in listing.properties}
    return folded.get(name.lower())


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text


def _q(raw: str | None, listing: Listing, failures: list[Failure]) -> tuple[Term, ...]:
    if raw is None or not raw.strip():
        return ()
    if len(raw) > Q_LENGTH_MAX:
        failures.append(Failure("q", constraints.Q_LENGTH.format(max=Q_LENGTH_MAX), raw))
        return ()
    text = _unquote(raw.strip())
    terms: list[Term] = []
    position = 0
    while position < len(text):
        if len(terms) == Q_TERMS_MAX:
            failures.append(Failure("q", constraints.Q_TERMS.format(max=Q_TERMS_MAX), raw))
            return ()
        match = _TERM.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip():
                failures.append(Failure("q", constraints.Q_FORM, raw))
                return ()
            break
        position = match.end()
        term = _term(match, listing, raw, failures)
        if term is None:
            return ()
        terms.append(term)
    if not terms:
        failures.append(Failure("q", constraints.Q_FORM, raw))
    return tuple(terms)


def _term(match: re.Match[str], listing: Listing, raw: str, failures: list[Failure]) -> Term | None:
    name = _known(match["name"], listing)
    if name is None:
        failures.append(
            Failure(
                "q", constraints.Q_PROPERTY.format(name=match["name"], names=_names(listing)), raw
            )
        )
        return None
    op = match["op"]
    value = next((v for v in (match["sq"], match["dq"], match["bare"]) if v is not None), "")
    kind = listing.properties[name]
    if "*" in value:
        if kind is not Kind.TEXT or op not in ("=", "!="):
            failures.append(Failure("q", constraints.Q_WILDCARD, raw))
            return None
        return Term(name, op, value, wildcard=True)
    converted = _convert(value, kind)
    if converted is None:
        failures.append(
            Failure("q", constraints.Q_VALUE.format(value=value, kind=kind.value, name=name), raw)
        )
        return None
    return Term(name, op, converted)


def _convert(value: str, kind: Kind) -> str | int | float | bool | None:
    if kind is Kind.TEXT:
        return value
    if kind is Kind.NUMBER:
        try:
            number = int(value) if _INTEGER.match(value) else float(value)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    if kind is Kind.BOOLEAN:
        lowered = value.lower()
        return lowered == "true" if lowered in ("true", "false") else None
    return timestamps.parse_loose(value)


def like_pattern(value: str) -> str:
    """A ``*`` wildcard value → a SQL LIKE pattern with ``\\`` as the escape character."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")
