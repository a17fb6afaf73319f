"""A filter tree → its canonical text, the inverse of ``parse_filter``.

Canonical means: keywords upper case, one space around operators and keywords, statements in
``markup.format_statement`` form, quotes inside values doubled, and parentheses only where the
tree needs them (a nested chain of the same operator, OR under AND, AND/OR under NOT).
"""

from __future__ import annotations

from emulator.core.filters.ast import And, Compare, Exists, Expr, Not, Or, Status
from emulator.core.markup import format_statement


def format_filter(expr: Expr) -> str:
    match expr:
        case Compare(statement, op, value):
            return f"{quote(format_statement(statement))} {op} {quote(value)}"
        case Exists(container):
            return f"EXISTS({quote(format_statement(container))})"
        case Status(instance, op, value):
            return f"STATUS({quote(format_statement(instance))}) {op} {quote(value)}"
        case Not(operand):
            text = format_filter(operand)
            return f"NOT ({text})" if isinstance(operand, And | Or) else f"NOT {text}"
        case And(items):
            return " AND ".join(_grouped(item, (And, Or)) for item in items)
        case Or(items):
            return " OR ".join(_grouped(item, (Or,)) for item in items)


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _grouped(item: Expr, wrapped: tuple[type[object], ...]) -> str:
    text = format_filter(item)
    return f"({text})" if isinstance(item, wrapped) else text
