"""The two ways a statement can be wrong: a :class:`MarkupError` (raised, one position) and a
:class:`Problem` (collected, so a caller can report several failures at once)."""

from __future__ import annotations

from dataclasses import dataclass


class MarkupError(ValueError):
    """A statement that does not parse, classify or resolve; ``position`` is a 0-based offset
    into the text the caller passed (filters shift it into the whole filter)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position


class UnknownField(MarkupError):
    """A well-formed statement naming a field the site's catalog does not have."""


@dataclass(frozen=True)
class Problem:
    """One failure for the caller to turn into a ``failures`` entry.

    ``field`` names the offending key inside the checked object (``"destination"`` of a sync
    action) or is empty; ``value`` echoes what was rejected.
    """

    message: str
    value: object = None
    field: str = ""
    position: int | None = None
