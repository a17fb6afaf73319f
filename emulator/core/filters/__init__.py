"""Export filters in the Eloqua expression language: parse, format, validate (reference §7).

Pure core: the standard library, ``emulator.core.constraints`` and ``emulator.core.markup``. See
README.md for the phases.
"""

from __future__ import annotations

from emulator.core.filters.ast import And, Compare, Exists, Expr, Leaf, Not, Or, Status
from emulator.core.filters.errors import FilterError
from emulator.core.filters.format import format_filter
from emulator.core.filters.parser import parse_filter
from emulator.core.filters.validate import (
    MAX_LENGTH,
    check_filter,
    leaves,
    uses_service_instance,
    validate_filter,
)

__all__ = [
    "MAX_LENGTH",
    "And",
    "Compare",
    "Exists",
    "Expr",
    "FilterError",
    "Leaf",
    "Not",
    "Or",
    "Status",
    "check_filter",
    "format_filter",
    "leaves",
    "parse_filter",
    "uses_service_instance",
    "validate_filter",
]
