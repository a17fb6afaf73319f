"""Export filters as SQL: the filter tree (``core.filters``) compiled to a parameterised
``WHERE`` clause over the record row ``r`` of the export's family (design §1.4, like
datasette's ``where_clause``). Values are always bound; column expressions come only from
:mod:`emulator.store.tables`.

The comparison rules are those of :mod:`emulator.core.filters.kinds`;
:mod:`emulator.core.filters.evaluate` states them in Python, and a property test holds the
two together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.core.filters.ast import And, Compare, Exists, Expr, Not, Or, Status
from emulator.core.filters.kinds import BOOLEAN, NUMBER, SYSTEM_TIME, TRUE, comparable
from emulator.core.markup import ast
from emulator.store.appcloud import Step
from emulator.store.tables import Column, RecordTable, column

DataType = Callable[[ast.FieldStatement], str]
MEMBERSHIP = {
    ast.ContactList: "contactLists",
    ast.ContactSegment: "contactSegments",
    ast.ContactFilter: "contactFilters",
    ast.AccountList: "accountLists",
}
OPERATORS = {"=": "=", "!=": "<>", ">": ">", ">=": ">=", "<": "<", "<=": "<="}


def compile_filter(
    expr: Expr, table: RecordTable, data_type: DataType, *, parent_id: int, utc: bool
) -> tuple[str, list[Any]]:
    """The condition on ``r`` that holds for the records ``expr`` selects."""
    params: list[Any] = []
    sql = _Compiler(table, data_type, parent_id, utc, params).compile(expr)
    return sql, params


@dataclass
class _Compiler:
    table: RecordTable
    data_type: DataType
    parent_id: int
    utc: bool
    params: list[Any]

    def compile(self, expr: Expr) -> str:
        params = self.params
        match expr:
            case And(items) | Or(items):
                joiner = " AND " if isinstance(expr, And) else " OR "
                return "(" + joiner.join(self.compile(i) for i in items) + ")"
            case Not(operand):
                return f"(NOT {self.compile(operand)})"
            case Compare():
                return self._compare(expr, column(expr.statement, self.data_type))
            case Exists(container):
                params += [MEMBERSHIP[type(container)], container.id]
                return (
                    "EXISTS (SELECT 1 FROM memberships m WHERE m.site_id = r.site_id "
                    "AND m.family = ? AND m.container_id = ? AND m.member_id = r.id)"
                )
            case Status(instance, op, value):
                step = Step(
                    instance.instance.lower(), instance.execution, self.table.family, self.parent_id
                )
                members, step_params = step.members("x")
                params += [*step_params, value.lower()]
                test = "=" if op == "=" else "<>"
                return (
                    "EXISTS (SELECT 1 FROM execution_members x WHERE x.site_id = r.site_id "
                    f"AND {members} AND x.record_id = r.id AND lower(x.status) {test} ?)"
                )
        raise TypeError(f"not a filter node: {expr!r}")

    def _compare(self, leaf: Compare, col: Column) -> str:
        value, op, params = leaf.value, leaf.op, self.params
        if op == "~":
            params += [*col.params, value]
            return f"coalesce(CAST({col.sql} AS TEXT), '') LIKE ?"
        sql_op = OPERATORS[op]
        literal = comparable(col.kind, value, utc=self.utc)
        if col.kind == SYSTEM_TIME and literal is not None:
            params += [*col.params, literal]
            return f"{col.sql} {sql_op} ?"
        if col.kind == NUMBER and isinstance(literal, float):
            params += [*col.params, *col.params, literal]
            # a blank number compares false, and stays false under NOT: two-valued logic
            return (
                f"coalesce((CASE WHEN coalesce(CAST({col.sql} AS TEXT), '') = '' THEN NULL "
                f"ELSE CAST({col.sql} AS REAL) END) {sql_op} ?, 0)"
            )
        if col.kind == BOOLEAN and op in ("=", "!="):
            params += [*col.params, 1 if value.strip().lower() in TRUE else 0]
            return f"coalesce({col.sql}, 0) {sql_op} ?"
        params += [*col.params, value if literal is None else literal]
        return f"coalesce(CAST({col.sql} AS TEXT), '') {sql_op} ? COLLATE NOCASE"


@dataclass(frozen=True)
class Selection:
    """The records an export takes: the family's records of a site (and custom object or
    event) that its filter selects, at most ``limit`` of them (-1: all), in id order."""

    table: RecordTable
    site_id: int
    parent_id: int = 0
    filter: Expr | None = None
    data_type: DataType = lambda _: "string"
    utc: bool = False
    limit: int = -1

    def where(self) -> tuple[str, list[Any]]:
        """The condition on ``r``; ``LIMIT ?`` takes ``self.limit`` after it."""
        scoped, params = self.table.scope("r", self.site_id, self.parent_id)
        if self.filter is None:
            return scoped, params
        sql, filter_params = compile_filter(
            self.filter, self.table, self.data_type, parent_id=self.parent_id, utc=self.utc
        )
        return f"{scoped} AND ({sql})", [*params, *filter_params]

    def ids(self) -> tuple[str, list[Any]]:
        """A ``SELECT`` of the selected ids."""
        where, params = self.where()
        return (
            f"SELECT r.id FROM {self.table.name} r WHERE {where} ORDER BY r.id LIMIT ?",
            [*params, self.limit],
        )
