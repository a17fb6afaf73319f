"""REST 2.0 elements (campaigns, emails, forms, external assets, email groups, visitors):
inserted from the fixtures, read a page at a time.

Each element is stored at complete depth as JSON text. A page is compiled from a
:class:`~emulator.core.rest_query.RestQuery` with bound values only: a property is read
with ``json_extract`` on a bound path; numbers and dates (epoch seconds, which Eloqua
shows as strings) compare as numbers, text and booleans as text without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator.core.listing import Kind, like_pattern
from emulator.core.rest_query import RestQuery, Search
from emulator.core.types import JSONObject

_NUMERIC = (Kind.NUMBER, Kind.TIMESTAMP)


@dataclass(frozen=True)
class ElementPage:
    items: list[str]
    total: int


def insert(
    db: sqlite_utils.Database, site_id: int, kind: str, elements: Iterable[JSONObject]
) -> None:
    db.conn.executemany(
        "INSERT INTO rest_assets (site_id, kind, id, item) VALUES (?, ?, ?, ?)",
        ((site_id, kind, int(e["id"]), orjson.dumps(e).decode()) for e in elements),
    )


def select_page(
    db: sqlite_utils.Database,
    site_id: int,
    kind: str,
    query: RestQuery,
    properties: Mapping[str, Kind],
) -> ElementPage:
    """One page in the query's order (then by id), and how many elements match."""
    where = "site_id = ? AND kind = ?"
    params: list[Any] = [site_id, kind]
    if query.search is not None:
        condition, values = _condition(query.search, properties[query.search.name])
        where += f" AND ({condition})"
        params += values
    order, order_params = "id ASC", list[Any]()
    if query.order is not None:
        expr, order_params = _expression(query.order.name, properties[query.order.name])
        direction = "DESC" if query.order.descending else "ASC"
        order = f"{expr} {direction}, id ASC"
    rows = db.execute(
        f"SELECT item FROM rest_assets WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, *order_params, query.count, query.offset],
    ).fetchall()
    total = db.execute(f"SELECT count(*) FROM rest_assets WHERE {where}", params).fetchone()[0]
    return ElementPage([row[0] for row in rows], int(total))


def _expression(name: str, kind: Kind) -> tuple[str, list[Any]]:
    if name == "id":
        return "id", []
    if kind in _NUMERIC:
        return "CAST(json_extract(item, ?) AS REAL)", [f"$.{name}"]
    return "json_extract(item, ?) COLLATE NOCASE", [f"$.{name}"]


def _condition(search: Search, kind: Kind) -> tuple[str, list[Any]]:
    expr, values = _expression(search.name, kind)
    if search.wildcard:
        assert isinstance(search.value, str)
        pattern = like_pattern(search.value)
        if search.op == "!=":
            return f"{expr} IS NULL OR {expr} NOT LIKE ? ESCAPE '\\'", [*values, *values, pattern]
        return f"{expr} LIKE ? ESCAPE '\\'", [*values, pattern]
    if search.op == "!=":
        return f"{expr} IS NULL OR {expr} <> ?", [*values, *values, search.value]
    return f"{expr} {search.op} ?", [*values, search.value]
