"""How a filter compares a value, by the kind of data the statement names: the semantics
that the store's SQL (``store.filter_sql``) and the Python reference
(:mod:`emulator.core.filters.evaluate`) share.

Comparison semantics follow SQL Server, which evaluates filters on a pod: text compares
ignore case, ``~`` is ``LIKE`` with ``%`` and ``_``, numbers compare as numbers, and date
literals on system timestamps are read in UTC or in Eloqua (Eastern) time per the export's
``areSystemTimestampsInUTC``.
"""

from __future__ import annotations

from datetime import datetime

from emulator.core import timestamps

# ``system_time`` is an ISO-8601 UTC timestamp (CreatedAt…), ``date`` a field holding
# ``YYYY-MM-DD HH:MM:SS`` text.
TEXT, NUMBER, DATE, SYSTEM_TIME, BOOLEAN = "text", "number", "date", "system_time", "boolean"
TRUE = {"true", "1", "yes"}


def kind_of(data_type: str) -> str:
    """The kind of a catalog data type."""
    lowered = data_type.lower()
    if lowered == "number":
        return NUMBER
    if lowered == "date":
        return DATE
    if lowered == "boolean":
        return BOOLEAN
    return TEXT


def comparable(kind: str, value: str, *, utc: bool) -> str | float | None:
    """The literal in the form the column holds, or None to compare as text."""
    if kind == NUMBER:
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    if kind in (SYSTEM_TIME, DATE):
        moment = timestamps.parse_literal(value)
        if moment is None:
            return None
        if kind == DATE:
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        if not utc:
            try:
                moment = timestamps.eastern_to_utc(moment)
            except OverflowError:  # late on 9999-12-31 Eastern: past the last UTC moment
                moment = datetime.max
        return timestamps.format_resource(moment)
    return None
