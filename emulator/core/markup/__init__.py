"""Eloqua markup language (EML v3) statements: parse, classify, resolve (reference §6, §8).

Pure core: the standard library and ``emulator.core.constraints`` only. See README.md for the
phases.
"""

from __future__ import annotations

from emulator.core.markup.actions import (
    ResolvedDestination,
    SyncAction,
    check_sync_action,
    resolve_destination,
    validate_sync_action,
)
from emulator.core.markup.ast import (
    Container,
    FieldStatement,
    Node,
    Segment,
    ServiceInstance,
    Statement,
)
from emulator.core.markup.errors import MarkupError, Problem, UnknownField
from emulator.core.markup.forms import classify, format_statement, parse_node
from emulator.core.markup.parser import parse_statement
from emulator.core.markup.resolve import (
    Catalog,
    EntityRef,
    FieldInfo,
    ResolvedField,
    resolve_field,
    resolve_field_statement,
)

__all__ = [
    "Catalog",
    "Container",
    "EntityRef",
    "FieldInfo",
    "FieldStatement",
    "MarkupError",
    "Node",
    "Problem",
    "ResolvedDestination",
    "ResolvedField",
    "Segment",
    "ServiceInstance",
    "Statement",
    "SyncAction",
    "UnknownField",
    "check_sync_action",
    "classify",
    "format_statement",
    "parse_node",
    "parse_statement",
    "resolve_destination",
    "resolve_field",
    "resolve_field_statement",
    "validate_sync_action",
]
