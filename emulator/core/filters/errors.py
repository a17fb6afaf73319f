"""The parse error of export filters; validation problems reuse ``markup.Problem``."""

from __future__ import annotations


class FilterError(ValueError):
    """A filter that does not parse; ``position`` is a 0-based offset into the filter text."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position
