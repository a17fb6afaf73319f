"""Eloqua markup language (EML v3) statements: parse, classify, resolve (reference §6, §8).

Pure core: the standard library and ``emulator.constraints`` only. See README.md for the
phases.
"""

from __future__ import annotations

from emulator.markup.actions import (
    ResolvedDestination,
    SyncAction,
    check_sync_action,
    resolve_destination,
    validate_sync_action,
)
from emulator.markup.ast import (
    Container,
    FieldStatement,
    Node,
    Segment,
    ServiceInstance,
    Statement,
)
from emulator.markup.errors import MarkupError, Problem
from emulator.markup.forms import classify, format_statement, parse_node
from emulator.markup.parser import parse_statement
from emulator.markup.resolve import (
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
