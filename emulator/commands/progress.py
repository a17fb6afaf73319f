"""A typed progress bar over tqdm (which ships no type information), on stderr."""

from __future__ import annotations

import sys

from tqdm import tqdm  # type: ignore[import-untyped]


class Progress:
    """Records written out of a total; ``quiet`` shows nothing."""

    def __init__(self, total: int, *, quiet: bool = False) -> None:
        self._bar = tqdm(
            total=total,
            unit=" records",
            unit_scale=True,
            file=sys.stderr,
            disable=quiet,
            dynamic_ncols=True,
            desc="seeding",
        )

    def label(self, text: str) -> None:
        self._bar.set_description(text, refresh=False)

    def advance(self, count: int) -> None:
        self._bar.update(count)

    def close(self) -> None:
        self._bar.close()
