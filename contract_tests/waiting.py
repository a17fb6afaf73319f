"""Bounded waits: poll until something holds, and fail with a message once the time is up.

The kit's flows and the project's tests (which may import the kit, never the other way
round) wait with this one helper, so no wait can hang a run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_until(
    predicate: Callable[[], T | None],
    *,
    timeout: float,
    message: str | Callable[[], str],
    every: float = 0.01,
) -> T:
    """Call ``predicate`` every ``every`` seconds until it returns a true value, and return
    that value; once ``timeout`` seconds have passed, raise ``AssertionError`` with
    ``message`` (a callable is called then, for a message that reads state at the end)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"{text} (gave up after {timeout:g} s)")
        time.sleep(every)
