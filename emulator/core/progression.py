"""What a polling client sees, apart from when the work happens (after moto's state
manager): the worker runs a sync as soon as it can, and the status a client reads advances
by policy, never ahead of the real one.

* ``immediate``: the real status.
* ``polls:N``: one stage further every N reads of ``GET /syncs/{id}``; with N=1 the first
  read shows ``pending``, the second ``active``, the third the outcome (the default: clients
  poll at least once, as on a pod).
* ``seconds:S``: one stage further every S seconds since the sync was created.
* ``manual``: one stage further per ``POST /_emulator/syncs/{id}/advance``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Policy:
    kind: str  # immediate | polls | seconds | manual
    amount: float = 0

    @classmethod
    @lru_cache(maxsize=64)  # read at every poll
    def parse(cls, text: str) -> Policy:
        name, _, value = text.partition(":")
        if name in ("immediate", "manual") and not value:
            return cls(name)
        if name in ("polls", "seconds") and value:
            amount = float(value)
            if amount > 0 or name == "seconds":
                return cls(name, amount)
        raise ValueError(f"unknown sync progression {text!r}")


def stage(policy: Policy, *, reads: int, age: float, advanced: int, shown: int) -> int:
    """The stage (0 pending, 1 active, 2 ended) the policy allows a client to see now, given
    the reads before this one, the sync's age in seconds, manual advances, and the stage
    already shown (what a client has seen is never taken back)."""
    if policy.kind == "immediate":
        allowed = 2
    elif policy.kind == "polls":
        allowed = int(reads // policy.amount)
    elif policy.kind == "seconds":
        allowed = 2 if policy.amount == 0 else int(age // policy.amount)
    else:
        allowed = advanced
    return max(shown, min(allowed, 2))


class Polls:
    """Reads of each sync, ``(site, sync) → (reads so far, stage shown)``, for ``polls:N``.

    Kept in memory so that polling never waits for the writer (a restart starts the counts
    again). Reads run on several threads at once; the lock makes each read-and-count one
    step, so concurrent polls of a sync are all counted.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[int, int], tuple[int, int]] = {}

    def poll(self, key: tuple[int, int], policy: Policy, *, age: float, advanced: int) -> int:
        """Count one read of the sync; the stage it may show."""
        with self._lock:
            reads, shown = self._seen.get(key, (0, 0))
            allowed = stage(policy, reads=reads, age=age, advanced=advanced, shown=shown)
            self._seen[key] = (reads + 1, allowed)
        return allowed

    def peek(self, key: tuple[int, int], policy: Policy, *, age: float, advanced: int) -> int:
        """The stage the sync may show, without counting a read (sync lists)."""
        with self._lock:
            reads, shown = self._seen.get(key, (0, 0))
        return stage(policy, reads=reads, age=age, advanced=advanced, shown=shown)

    def reads(self, key: tuple[int, int]) -> int:
        with self._lock:
            return self._seen.get(key, (0, 0))[0]

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()

    def forget_site(self, site_id: int) -> None:
        """Forget the reads of one site's syncs (the site was reset; its sync ids will be
        given again)."""
        with self._lock:
            for key in [key for key in self._seen if key[0] == site_id]:
                del self._seen[key]
