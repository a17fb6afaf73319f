"""The filter semantics of the store's SQL (``store.filter_sql``), stated in plain Python over one
record: the reference the SQL is tested against (a property test runs both on random data).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from typing import Any

from emulator.core.filters.ast import And, Compare, Exists, Expr, Not, Or, Status
from emulator.core.filters.kinds import BOOLEAN, NUMBER, SYSTEM_TIME, TRUE, comparable
from emulator.core.markup import ast

Value = Callable[[ast.FieldStatement], tuple[Any, str]]  # (stored value, column kind)


def evaluate(
    expr: Expr,
    value: Value,
    member: Callable[[Any], bool],
    status: Callable[[Any], str | None],
    *,
    utc: bool,
) -> bool:
    match expr:
        case And(items):
            return all(evaluate(i, value, member, status, utc=utc) for i in items)
        case Or(items):
            return any(evaluate(i, value, member, status, utc=utc) for i in items)
        case Not(operand):
            return not evaluate(operand, value, member, status, utc=utc)
        case Exists(container):
            return member(container)
        case Status(instance, op, expected):
            found = status(instance)
            return found is not None and (found.lower() == expected.lower()) == (op == "=")
        case Compare():
            stored, kind = value(expr.statement)
            return _compare(stored, kind, expr.op, expr.value, utc)
    raise TypeError(f"not a filter node: {expr!r}")


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _fold(text: str) -> str:
    """SQLite's NOCASE and LIKE fold ASCII letters only."""
    return text.translate(_ASCII_LOWER)


def _text(stored: Any) -> str:
    if stored is None:
        return ""
    if isinstance(stored, float) and stored.is_integer():
        return str(int(stored))
    return str(stored)


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


def _order(left: Any, op: str, right: Any) -> bool:
    return bool(_OPERATORS[op](left, right))


def _compare(stored: Any, kind: str, op: str, value: str, utc: bool) -> bool:
    if op == "~":
        return _like(_text(stored), value)
    literal = comparable(kind, value, utc=utc)
    if kind == SYSTEM_TIME and literal is not None:
        return stored is not None and _order(str(stored), op, literal)
    if kind == NUMBER and isinstance(literal, float):
        text = _text(stored)
        if text == "":
            return False
        return _order(_real(text), op, literal)
    if kind == BOOLEAN and op in ("=", "!="):
        flag = int(stored or 0)
        return _order(flag, op, 1 if value.strip().lower() in TRUE else 0)
    right = value if literal is None else str(literal)
    return _order(_fold(_text(stored)), op, _fold(right))


_NUMERIC_PREFIX = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _real(text: str) -> float:
    """SQLite's ``CAST(text AS REAL)``: the longest numeric prefix, else 0."""
    match = _NUMERIC_PREFIX.match(text)
    return float(match.group(0)) if match else 0.0


def _like(text: str, pattern: str) -> bool:
    """SQLite ``LIKE``: ``%`` any run, ``_`` one character, ASCII case folded."""
    regex = "".join(
        ".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in _fold(pattern)
    )
    return re.fullmatch(regex, _fold(text), flags=re.DOTALL) is not None
