"""Frozen syntax tree of an export filter, reference §7.

Leaves hold typed markup nodes (``statement``, ``container``, ``instance``) so later phases
never re-parse; ``syntax`` keeps the generic statement with spans shifted into the filter, for
error positions. Spans and ``syntax`` never take part in equality, so a tree compares equal to
the one parsed back from its canonical text. ``And``/``Or`` are n-ary: a chain without
parentheses is one node; parentheses keep their nesting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from emulator.core.markup import Statement
from emulator.core.markup.ast import (
    AccountList,
    ActionInstance,
    ContactFilter,
    ContactList,
    ContactSegment,
    DecisionInstance,
    FieldStatement,
)

ExistsContainer = ContactList | ContactSegment | ContactFilter | AccountList
StatusInstance = ActionInstance | DecisionInstance


@dataclass(frozen=True)
class Compare:
    statement: FieldStatement
    op: str
    value: str
    syntax: Statement | None = field(default=None, compare=False)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Exists:
    container: ExistsContainer
    syntax: Statement | None = field(default=None, compare=False)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Status:
    instance: StatusInstance
    op: str
    value: str
    syntax: Statement | None = field(default=None, compare=False)
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    operand: Expr
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


Expr = Compare | Exists | Status | Not | And | Or
Leaf = Compare | Exists | Status
