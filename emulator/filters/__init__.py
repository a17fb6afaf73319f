"""Export filters in the Eloqua expression language: parse, format, validate (reference §7).

Pure core: the standard library, ``emulator.constraints`` and ``emulator.markup``. See
README.md for the phases.
"""

from __future__ import annotations

from emulator.filters.ast import And, Compare, Exists, Expr, Leaf, Not, Or, Status
from emulator.filters.compile import compile_filter
from emulator.filters.errors import FilterError
from emulator.filters.format import format_filter
from emulator.filters.parser import parse_filter
from emulator.filters.validate import (
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
    "compile_filter",
    "format_filter",
    "leaves",
    "parse_filter",
    "uses_service_instance",
    "validate_filter",
]
