"""Access-token lifetime (reference §5): a token lives 4 hours; asked for again within 3
hours of its issue, the token endpoint answers the same one (with the seconds it has
left), after that a new one, while the old one stays good until its own expiry."""

from __future__ import annotations

import math

from emulator.acoustic.core import rules


def reusable(issued_at: float, now: float) -> bool:
    return now - issued_at < rules.TOKEN_REUSE


def expires_in(expires_at: float, now: float) -> int:
    """Whole seconds left (an integer: clients reject anything else, reference §5)."""
    return max(0, math.floor(expires_at - now))


def live(expires_at: float, now: float) -> bool:
    return now < expires_at
