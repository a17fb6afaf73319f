"""Sync-action destinations and the action/destination/status table of reference §8.

``check_sync_action`` reports every problem of one action (not just the first), each naming
the key it concerns, so the domain can emit one ``failures`` entry per problem.

Where we decide for Eloqua [INF]: ``action`` and ``status`` match case-insensitively (the
swagger enums are lower case, .NET binds enums ignoring case); a ``status`` on add/remove is
refused rather than ignored; ``updateAll: true`` is accepted only on service instance
executions (the swagger: "Update status of all records in an execution"); every AppCloud step
may be set ``errored`` (§14), feeders also ``complete``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from emulator.core import constraints
from emulator.core.markup import ast
from emulator.core.markup.ast import Node, ServiceInstance, Statement
from emulator.core.markup.errors import MarkupError, Problem
from emulator.core.markup.forms import classify, format_statement
from emulator.core.markup.parser import parse_statement
from emulator.core.markup.resolve import LABELS, Catalog, EntityRef

ADD, REMOVE, SET_STATUS = "add", "remove", "setStatus"
VERBS = {verb.lower(): verb for verb in (ADD, REMOVE, SET_STATUS)}


@dataclass(frozen=True)
class Rule:
    destination: type[Node]
    actions: tuple[str, ...]
    statuses: tuple[str, ...] = ()


_APPCLOUD = (
    Rule(ast.ActionInstance, (SET_STATUS,), ("active", "complete", "errored")),
    Rule(ast.DecisionInstance, (SET_STATUS,), ("yes", "no", "errored")),
    Rule(ast.FeederInstance, (SET_STATUS,), ("complete", "errored")),
)
RULES: dict[str, tuple[Rule, ...]] = {
    "contacts": (
        Rule(ast.ContactList, (ADD, REMOVE)),
        Rule(ast.EmailGroup, (SET_STATUS,), ("subscribed", "unsubscribed")),
        Rule(ast.GlobalSubscribe, (SET_STATUS,), ("subscribed", "unsubscribed")),
        *_APPCLOUD,
    ),
    "accounts": (Rule(ast.AccountList, (ADD, REMOVE)),),
    "customObjects": _APPCLOUD,
    # 24A added bounceback; the destination is not confirmed, GlobalSubscribe is [INF].
    "emailAddresses": (Rule(ast.GlobalSubscribe, (SET_STATUS,), ("unsubscribed", "bounced")),),
}
DESTINATION_TYPES = (
    ast.ContactList,
    ast.AccountList,
    ast.EmailGroup,
    ast.GlobalSubscribe,
    ServiceInstance,
)


@dataclass(frozen=True)
class ResolvedDestination:
    node: Node
    statement: Statement

    @property
    def text(self) -> str:
        return format_statement(self.node)


@dataclass(frozen=True)
class SyncAction:
    action: str
    destination: Node
    status: str | None = None
    update_all: bool = False


def resolve_destination(text: str, entity: EntityRef, catalog: Catalog) -> ResolvedDestination:
    """A sync-action destination that the entity accepts and whose container exists."""
    statement = parse_statement(text)
    node = classify(statement)
    if not isinstance(node, DESTINATION_TYPES):
        message = constraints.MARKUP_NOT_A_DESTINATION.format(statement=statement.text)
        raise MarkupError(message, statement.start)
    if _rule(node, entity) is None:
        message = constraints.MARKUP_DESTINATION_ENTITY.format(
            statement=statement.text, entity=LABELS[entity.family][0]
        )
        raise MarkupError(message, statement.start)
    if isinstance(node, ast.Container) and not catalog.container_exists(node.FAMILY, node.id):
        message = constraints.MARKUP_CONTAINER_UNKNOWN.format(kind=type(node).__name__, id=node.id)
        raise MarkupError(message, statement.segments[0].start)
    return ResolvedDestination(node, statement)


def validate_sync_action(raw: object, entity: EntityRef, catalog: Catalog) -> list[Problem]:
    return check_sync_action(raw, entity, catalog)[1]


def check_sync_action(
    raw: object, entity: EntityRef, catalog: Catalog
) -> tuple[SyncAction | None, list[Problem]]:
    """The typed action, or None and every problem found."""
    if not RULES.get(entity.family):
        label = LABELS[entity.family][0]
        return None, [Problem(constraints.SYNC_ACTION_ENTITY.format(entity=label), raw)]
    if not isinstance(raw, Mapping):
        return None, [Problem(constraints.SYNC_ACTION_SHAPE, raw)]
    problems: list[Problem] = []
    verb = _verb(raw.get("action"), problems)
    node = _destination(raw.get("destination"), entity, catalog, problems)
    rule = None if node is None else _rule(node, entity)
    status: str | None = None
    if rule is not None and node is not None:
        if verb is not None and verb not in rule.actions:
            allowed = ", ".join(rule.actions)
            destination = format_statement(node)
            message = constraints.SYNC_ACTION_COMBINATION.format(
                action=verb, destination=destination, allowed=allowed
            )
            problems.append(Problem(message, raw.get("action"), "action"))
        elif verb == SET_STATUS:
            status = _status(raw.get("status"), rule, node, problems)
    if verb in (ADD, REMOVE) and raw.get("status") is not None:
        problems.append(Problem(constraints.SYNC_ACTION_STATUS_UNUSED, raw["status"], "status"))
    update_all = _update_all(raw.get("updateAll"), node, problems)
    if problems or verb is None or node is None:
        return None, problems
    return SyncAction(verb, node, status, update_all), []


def _rule(node: Node, entity: EntityRef) -> Rule | None:
    return next((r for r in RULES.get(entity.family, ()) if isinstance(node, r.destination)), None)


def _verb(raw: object, problems: list[Problem]) -> str | None:
    verb = VERBS.get(raw.lower()) if isinstance(raw, str) else None
    if verb is None:
        problems.append(Problem(constraints.SYNC_ACTION_VERB, raw, "action"))
    return verb


def _destination(
    raw: object, entity: EntityRef, catalog: Catalog, problems: list[Problem]
) -> Node | None:
    if not isinstance(raw, str):
        problems.append(Problem(constraints.SYNC_ACTION_DESTINATION_TEXT, raw, "destination"))
        return None
    try:
        node = resolve_destination(raw, entity, catalog).node
    except MarkupError as error:
        problems.append(Problem(error.message, raw, "destination", error.position))
        return None
    if isinstance(node, ast.ActionInstance | ast.DecisionInstance) and node.execution is None:
        message = constraints.SYNC_ACTION_EXECUTION.format(name=type(node).__name__)
        problems.append(Problem(message, raw, "destination"))
    return node


def _status(raw: object, rule: Rule, node: Node, problems: list[Problem]) -> str | None:
    values = ", ".join(rule.statuses)
    destination = format_statement(node)
    if raw is None:
        message = constraints.SYNC_ACTION_STATUS_REQUIRED.format(
            destination=destination, values=values
        )
        problems.append(Problem(message, raw, "status"))
        return None
    if isinstance(raw, str) and raw.lower() in rule.statuses:
        return raw.lower()
    message = constraints.SYNC_ACTION_STATUS_VALUE.format(values=values, destination=destination)
    problems.append(Problem(message, raw, "status"))
    return None


def _update_all(raw: object, node: Node | None, problems: list[Problem]) -> bool:
    if raw is None:
        return False
    if not isinstance(raw, bool):
        problems.append(Problem(constraints.SYNC_ACTION_UPDATE_ALL, raw, "updateAll"))
        return False
    execution = isinstance(node, ServiceInstance) and node.execution is not None
    if raw and node is not None and not execution:
        problems.append(Problem(constraints.SYNC_ACTION_UPDATE_ALL_EXECUTION, raw, "updateAll"))
    return raw
