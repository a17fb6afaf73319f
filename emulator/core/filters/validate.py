"""A parsed filter against the export's entity and the site's catalog, reference §7.

Every problem is collected (sorted by position), so one 400 can list them all.

Where the docs are silent we decide [INF]:

* Length counts UTF-16 code units, as .NET's ``string.Length`` does (an emoji counts 2).
* STATUS works on contact, custom object and campaign response exports (Oracle's AppCloud and
  campaign-response tutorials), compared with ``=`` or ``!=``. Only ``'pending'`` is
  documented; we also accept the statuses an app can set (§8): actions ``active``,
  ``complete``, ``errored``; decisions ``yes``, ``no``, ``errored``; case-insensitively.
* Dates compared with ``= != < <= > >=`` must read ``YYYY-MM-DD`` optionally followed by
  `` HH:MM[:SS[.fraction]]`` (a ``T`` is tolerated) and be a real calendar date; ``''``
  is accepted with ``=``/``!=`` (an emptiness test); ``~`` (LIKE) patterns are not checked.
  Number fields are not checked: SQL Server converts them leniently.
* The 19B segment rule accepts its three shapes in any operand order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from emulator.core import constraints
from emulator.core.filters.ast import And, Compare, Exists, Expr, Leaf, Not, Or, Status
from emulator.core.filters.errors import FilterError
from emulator.core.filters.parser import parse_filter
from emulator.core.markup import (
    Catalog,
    EntityRef,
    MarkupError,
    Problem,
    Statement,
    format_statement,
    parse_statement,
    resolve_field_statement,
)
from emulator.core.markup import ast as markup
from emulator.core.markup.resolve import LABELS

MAX_LENGTH = 1000
FIELD = "filter"
EXISTS_FAMILY: dict[type[markup.Container], str] = {
    markup.ContactList: "contacts",
    markup.ContactSegment: "contacts",
    markup.ContactFilter: "contacts",
    markup.AccountList: "accounts",
}
STATUS_FAMILIES = ("contacts", "customObjects", "campaignResponses")
STATUS_VALUES: dict[type[markup.ServiceInstance], tuple[str, ...]] = {
    markup.ActionInstance: ("pending", "active", "complete", "errored"),
    markup.DecisionInstance: ("pending", "yes", "no", "errored"),
}
SEGMENT_DATE_ATTRIBUTES = ("UpdatedAt", "CreatedAt")
SEGMENT_DATE_FIELDS = ("c_datemodified", "c_datecreated")
_DATE = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T]([0-9]{2}:[0-9]{2}(?::[0-9]{2})?))?(?:\.[0-9]{1,7})?\Z"
)


def check_filter(
    text: str, entity: EntityRef, catalog: Catalog
) -> tuple[Expr | None, list[Problem]]:
    """Length, syntax and validation of a definition's ``filter`` in one call. A filter
    over the limit is not read further: a body can hold megabytes of clauses, and reading
    them would hold the writer for seconds."""
    if len(text.encode("utf-16-le")) // 2 > MAX_LENGTH:
        message = constraints.FILTER_LENGTH.format(max=MAX_LENGTH)
        return None, [Problem(message, text, FIELD, MAX_LENGTH)]
    try:
        expr = parse_filter(text)
    except FilterError as error:
        return None, [Problem(error.message, text, FIELD, error.position)]
    return expr, validate_filter(expr, entity, catalog)


def validate_filter(expr: Expr, entity: EntityRef, catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    found = list(leaves(expr))
    exists = [leaf for leaf in found if isinstance(leaf, Exists)]
    statuses = [leaf for leaf in found if isinstance(leaf, Status)]
    problems.extend(_problem(constraints.FILTER_ONE_EXISTS, e) for e in exists[1:])
    problems.extend(_problem(constraints.FILTER_ONE_STATUS, s) for s in statuses[1:])
    for leaf in found:
        if isinstance(leaf, Compare):
            problems.extend(_compare(leaf, entity, catalog))
        elif isinstance(leaf, Exists):
            problems.extend(_exists(leaf, entity, catalog))
        else:
            problems.extend(_status(leaf, entity))
    segments = [e for e in exists if isinstance(e.container, markup.ContactSegment)]
    if entity.family == "contacts" and segments and not _segment_shape(expr, segments[0]):
        problems.append(_problem(constraints.FILTER_SEGMENT_RULE, segments[0]))
    return sorted(problems, key=lambda p: p.position or 0)


def leaves(expr: Expr) -> Iterator[Leaf]:
    """The comparisons, EXISTS and STATUS of a filter, left to right."""
    match expr:
        case And(items) | Or(items):
            for item in items:
                yield from leaves(item)
        case Not(operand):
            yield from leaves(operand)
        case Compare() | Exists() | Status():
            yield expr


def uses_service_instance(expr: Expr) -> bool:
    """Whether the filter has a STATUS on an AppCloud instance: such exports may hold at most
    249 fields, the app framework reserving the contact id (reference §5.2)."""
    return any(isinstance(leaf, Status) for leaf in leaves(expr))


def _problem(message: str, leaf: Leaf, value: object = None) -> Problem:
    statement = _syntax(leaf)
    return Problem(message, statement.text if value is None else value, FIELD, leaf.start)


def _syntax(leaf: Leaf) -> Statement:
    if leaf.syntax is not None:
        return leaf.syntax
    node = leaf.statement if isinstance(leaf, Compare) else _operand(leaf)
    return parse_statement(format_statement(node)).shifted(leaf.start)


def _operand(leaf: Exists | Status) -> markup.Node:
    return leaf.container if isinstance(leaf, Exists) else leaf.instance


def _compare(leaf: Compare, entity: EntityRef, catalog: Catalog) -> list[Problem]:
    statement = _syntax(leaf)
    try:
        resolved = resolve_field_statement(statement, entity, catalog)
    except MarkupError as error:
        return [Problem(error.message, statement.text, FIELD, error.position)]
    if entity.family == "activities" and resolved.is_contact_field:
        return [_problem(constraints.FILTER_ACTIVITY_CONTACT_FIELD, leaf)]
    if resolved.data_type == "date" and not _date_value(leaf.op, leaf.value):
        message = constraints.FILTER_DATE_VALUE.format(statement=resolved.text)
        return [_problem(message, leaf, leaf.value)]
    return []


def _date_value(op: str, value: str) -> bool:
    if op == "~" or (value == "" and op in ("=", "!=")):
        return True
    match = _DATE.match(value)
    if match is None or (match[2] is None and "." in value):
        return False
    try:
        datetime.fromisoformat(f"{match[1]}T{match[2] or '00:00'}")
    except ValueError:
        return False
    return True


def _exists(leaf: Exists, entity: EntityRef, catalog: Catalog) -> list[Problem]:
    container = leaf.container
    family = EXISTS_FAMILY[type(container)]
    kind = type(container).__name__
    if entity.family != family:
        message = constraints.FILTER_EXISTS_ENTITY.format(kind=kind, entity=LABELS[family][0])
        return [_problem(message, leaf)]
    if not catalog.container_exists(container.FAMILY, container.id):
        message = constraints.MARKUP_CONTAINER_UNKNOWN.format(kind=kind, id=container.id)
        return [_problem(message, leaf)]
    return []


def _status(leaf: Status, entity: EntityRef) -> list[Problem]:
    problems = []
    if entity.family not in STATUS_FAMILIES:
        problems.append(_problem(constraints.FILTER_STATUS_ENTITY, leaf))
    if leaf.op not in ("=", "!="):
        problems.append(_problem(constraints.FILTER_STATUS_OPERATOR, leaf, leaf.op))
    values = STATUS_VALUES[type(leaf.instance)]
    if leaf.value.lower() not in values:
        message = constraints.FILTER_STATUS_VALUE.format(
            values=", ".join(values), kind=type(leaf.instance).__name__
        )
        problems.append(_problem(message, leaf, leaf.value))
    return problems


def _segment_shape(expr: Expr, segment: Exists) -> bool:
    """``seg``, ``seg AND d``, ``seg AND d1 AND d2`` or ``seg AND (d1 OR d2)``."""
    rest = [item for item in _conjuncts(expr) if item is not segment]
    if len(rest) == len(_conjuncts(expr)):
        return False
    if len(rest) <= 2 and all(_date_criterion(item) for item in rest):
        return True
    return (
        len(rest) == 1
        and isinstance(rest[0], Or)
        and len(rest[0].items) == 2
        and all(_date_criterion(item) for item in rest[0].items)
    )


def _conjuncts(expr: Expr) -> list[Expr]:
    if isinstance(expr, And):
        return [leaf for item in expr.items for leaf in _conjuncts(item)]
    return [expr]


def _date_criterion(expr: Expr) -> bool:
    if not isinstance(expr, Compare):
        return False
    statement = expr.statement
    if isinstance(statement, markup.ContactAttribute):
        return statement.attribute in SEGMENT_DATE_ATTRIBUTES
    return isinstance(statement, markup.ContactField) and (
        statement.name.lower() in SEGMENT_DATE_FIELDS
    )
