"""Compile a :class:`~emulator.core.listing.ListQuery` into one page of SQL rows.

Items are stored as JSON text and come back as JSON text, so a page is served without
decoding a single item. Properties are read with ``json_extract`` on a bound path (never
formatted into SQL) unless the table maps them to a column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from emulator.core.listing import Kind, Listing, ListQuery, Term, like_pattern


@dataclass(frozen=True)
class Page:
    items: list[str]
    total: int | None
    has_more: bool


@dataclass(frozen=True)
class Source:
    """Where a collection's rows live: ``SELECT {item} FROM {table} WHERE {where}``."""

    table: str
    item: str
    where: str
    params: Sequence[Any]
    columns: Mapping[str, str]


def select_page(
    db: sqlite_utils.Database,
    source: Source,
    listing: Listing,
    query: ListQuery,
    key: str | None = None,
) -> Page:
    """``key`` is the column that makes the order stable (``<table>.id`` by default)."""
    where = [source.where]
    params: list[Any] = list(source.params)
    for term in query.terms:
        sql, values = _condition(source, listing, term)
        where.append(sql)
        params.extend(values)
    where_sql = " AND ".join(f"({w})" for w in where)
    order_parts: list[str] = []
    order_params_all: list[Any] = []
    for o in query.order:
        expr, values = _expression_with_params(source, o.name)
        order_parts.append(f"{expr} {'DESC' if o.descending else 'ASC'}")
        order_params_all.extend(values)
    order_parts.append(f"{key or source.table + '.id'} ASC")
    order_sql = ", ".join(order_parts)
    fetch = query.limit if query.total_results else query.limit + 1
    rows = db.execute(
        f"SELECT {source.item} FROM {source.table} WHERE {where_sql} "
        f"ORDER BY {order_sql} LIMIT ? OFFSET ?",
        [*params, *order_params_all, fetch, query.offset],
    ).fetchall()
    items = [row[0] for row in rows[: query.limit]]
    if query.total_results:
        total = int(
            db.execute(f"SELECT count(*) FROM {source.table} WHERE {where_sql}", params).fetchone()[
                0
            ]
        )
        return Page(items, total, query.offset + len(items) < total)
    return Page(items, None, len(rows) > query.limit)


def _expression_with_params(source: Source, name: str) -> tuple[str, list[Any]]:
    column = source.columns.get(name)
    if column is not None:
        return column, []
    return "json_extract(item, ?)", [f"$.{name}"]


def _condition(source: Source, listing: Listing, term: Term) -> tuple[str, list[Any]]:
    expr, values = _expression_with_params(source, term.name)
    kind = listing.properties[term.name]
    if term.wildcard:
        assert isinstance(term.value, str)
        negate = "NOT " if term.op == "!=" else ""
        return f"{expr} {negate}LIKE ? ESCAPE '\\'", [*values, like_pattern(term.value)]
    value: Any = int(term.value) if kind is Kind.BOOLEAN else term.value
    op = "<>" if term.op == "!=" else term.op
    collate = " COLLATE NOCASE" if kind is Kind.TEXT else ""
    sql = f"{expr}{collate} {op} ?"
    if term.op == "!=":
        return f"{expr} IS NULL OR {sql}", [*values, *values, value]
    return sql, [*values, value]
