"""ISO-8601 durations as Eloqua uses them (``PT1H``, ``P7D``, ``P14D``; reference §5).

Years and months have no fixed length; like .NET's ``XmlConvert`` we count a year as 365
days and a month as 30, which only matters for limits such as "at most P14D".
"""

from __future__ import annotations

import re

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_SECONDS = {"Y": 365 * 86400, "M": 30 * 86400, "W": 7 * 86400, "D": 86400, "h": 3600, "m": 60}

HOUR = 3600.0
DAY = 86400.0


def parse_duration(text: str) -> float | None:
    """Seconds in ``text``, or ``None`` when it is not an ISO-8601 duration."""
    match = _DURATION.match(text.strip())
    if match is None:
        return None
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    total = float(groups.pop("s", 0) or 0)
    for unit, value in groups.items():
        total += int(value) * _SECONDS[unit]
    return total
