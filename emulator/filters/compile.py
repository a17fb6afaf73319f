"""Filter tree → parameterised SQL ``WHERE`` clause over the export family's record row
``r`` (design §1.4, like datasette's ``where_clause``). Values are always bound; column
expressions come only from :mod:`emulator.filters.columns`.

Comparison semantics follow SQL Server, which evaluates filters on a pod: text compares
ignore case, ``~`` is ``LIKE`` with ``%`` and ``_``, numbers compare as numbers, and date
literals on system timestamps are read in UTC or in Eloqua (Eastern) time per the export's
``areSystemTimestampsInUTC``. :mod:`emulator.filters.evaluate` states the same rules in
Python; a property test holds the two together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator import timestamps
from emulator.filters.ast import And, Compare, Exists, Expr, Not, Or, Status
from emulator.filters.columns import BOOLEAN, DATE, NUMBER, SYSTEM_TIME, Column
from emulator.markup import ast

ColumnOf = Callable[[ast.FieldStatement], Column]
MEMBERSHIP = {
    ast.ContactList: "contactLists",
    ast.ContactSegment: "contactSegments",
    ast.ContactFilter: "contactFilters",
    ast.AccountList: "accountLists",
}
OPERATORS = {"=": "=", "!=": "<>", ">": ">", ">=": ">=", "<": "<", "<=": "<="}
TRUE = {"true", "1", "yes"}


def compile_filter(
    expr: Expr, column_of: ColumnOf, *, family: str, parent_id: int, utc: bool
) -> tuple[str, list[Any]]:
    params: list[Any] = []
    sql = _compile(expr, column_of, family, parent_id, utc, params)
    return sql, params


def _compile(
    expr: Expr, column_of: ColumnOf, family: str, parent_id: int, utc: bool, params: list[Any]
) -> str:
    match expr:
        case And(items) | Or(items):
            joiner = " AND " if isinstance(expr, And) else " OR "
            return (
                "("
                + joiner.join(_compile(i, column_of, family, parent_id, utc, params) for i in items)
                + ")"
            )
        case Not(operand):
            return f"(NOT {_compile(operand, column_of, family, parent_id, utc, params)})"
        case Compare():
            return _compare(expr, column_of(expr.statement), utc, params)
        case Exists(container):
            params += [MEMBERSHIP[type(container)], container.id]
            return (
                "EXISTS (SELECT 1 FROM memberships m WHERE m.site_id = r.site_id "
                "AND m.family = ? AND m.container_id = ? AND m.member_id = r.id)"
            )
        case Status(instance, op, value):
            params += [
                instance.instance.lower(),
                instance.execution,
                instance.execution,
                family,
                parent_id,
                value.lower(),
            ]
            test = "=" if op == "=" else "<>"
            return (
                "EXISTS (SELECT 1 FROM execution_members x WHERE x.site_id = r.site_id "
                "AND x.instance = ? AND (x.execution = ? OR ? IS NULL) AND x.family = ? "
                f"AND x.parent_id = ? AND x.record_id = r.id AND lower(x.status) {test} ?)"
            )
    raise TypeError(f"not a filter node: {expr!r}")


def _compare(leaf: Compare, column: Column, utc: bool, params: list[Any]) -> str:
    value, op = leaf.value, leaf.op
    if op == "~":
        params += [*column.params, value]
        return f"coalesce(CAST({column.sql} AS TEXT), '') LIKE ?"
    sql_op = OPERATORS[op]
    literal = comparable(column.kind, value, utc=utc)
    if column.kind == SYSTEM_TIME and literal is not None:
        params += [*column.params, literal]
        return f"{column.sql} {sql_op} ?"
    if column.kind == NUMBER and isinstance(literal, float):
        params += [*column.params, *column.params, literal]
        # a blank number compares false, and stays false under NOT: two-valued logic
        return (
            f"coalesce((CASE WHEN coalesce(CAST({column.sql} AS TEXT), '') = '' THEN NULL "
            f"ELSE CAST({column.sql} AS REAL) END) {sql_op} ?, 0)"
        )
    if column.kind == BOOLEAN and op in ("=", "!="):
        params += [*column.params, 1 if value.strip().lower() in TRUE else 0]
        return f"coalesce({column.sql}, 0) {sql_op} ?"
    params += [*column.params, value if literal is None else literal]
    return f"coalesce(CAST({column.sql} AS TEXT), '') {sql_op} ? COLLATE NOCASE"


def comparable(kind: str, value: str, *, utc: bool) -> str | float | None:
    """The literal in the form the column holds, or None to compare as text."""
    if kind == NUMBER:
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    if kind in (SYSTEM_TIME, DATE):
        moment = timestamps.parse_literal(value)
        if moment is None:
            return None
        if kind == DATE:
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        if not utc:
            moment = timestamps.eastern_to_utc(moment)
        return timestamps.format_resource(moment)
    return None
