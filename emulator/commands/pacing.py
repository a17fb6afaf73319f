"""How fast and how much a command may ask of a pod: a rate and a request budget.

A pod throttles callers that go faster than a few requests a second and counts every call
against the site's daily allowance, so each request first takes the next slot, ``1/rate``
seconds after the previous one, and the run stops once its budget is spent.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class BudgetSpent(Exception):
    """The run has made as many requests as it was allowed."""


class Pacer:
    """At most ``rate`` requests a second and ``budget`` requests in all."""

    def __init__(
        self,
        rate: float,
        budget: int | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, not {rate}")
        self.rate, self.budget = rate, budget
        self.sent = 0
        self._clock, self._sleep = clock, sleep
        self._next = 0.0

    def wait(self) -> None:
        """Block until the next request may go out; raise once the budget is spent."""
        if self.budget is not None and self.sent >= self.budget:
            raise BudgetSpent(f"request budget of {self.budget} spent")
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + 1 / self.rate
        self.sent += 1
        if slot > now:
            self._sleep(slot - now)
