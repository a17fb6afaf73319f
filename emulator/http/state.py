"""What the app holds for its lifetime, reachable from every request."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import sqlite_utils
from starlette.requests import Request

from emulator.core.clock import Clock
from emulator.core.config import Settings
from emulator.core.policies import Policies
from emulator.core.progression import Polls
from emulator.core.types import Principal
from emulator.domain.directory import Directory
from emulator.domain.faults import FaultBook
from emulator.engine.callbacks import Outbound
from emulator.engine.worker import Worker
from emulator.http.journal import Journal
from emulator.store import Store
from emulator.store.snapshots import Shelf


class AuthCache:
    """Authorization header → principal, so a signed-in client costs no query per request.

    Keyed on the whole header (password included), bounded, and each entry expires with its
    token. Cleared on reset.
    """

    def __init__(self, size: int = 4096) -> None:
        self._entries: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._size = size

    def get(self, header: str, now: float) -> Principal | None:
        entry = self._entries.get(header)
        if entry is None:
            return None
        if entry[1] <= now:
            del self._entries[header]
            return None
        self._entries.move_to_end(header)
        return entry[0]

    def put(self, header: str, principal: Principal, expires_at: float) -> None:
        self._entries[header] = (principal, expires_at)
        self._entries.move_to_end(header)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


@dataclass
class AppState:
    settings: Settings
    directory: Directory
    clock: Clock  # the emulated clock every ``now`` comes from (core/clock)
    store: Store | None = None
    worker: Worker | None = None
    outbound: Outbound | None = None
    snapshots: Shelf | None = None  # the snapshots directory, opened by the lifespan
    ready: bool = False
    auth_cache: AuthCache = field(default_factory=AuthCache)
    polls: Polls = field(default_factory=Polls)
    progression: Policies = field(default_factory=Policies)  # set at run time
    faults: FaultBook = field(default_factory=FaultBook)  # /_emulator/faults, http/faults
    journal: Journal = field(default_factory=Journal)  # /_emulator/requests, http/recorder
    # what a full reset also runs, in its transaction: the Acoustic service's reload
    after_reset: list[Callable[[sqlite_utils.Database, float], None]] = field(default_factory=list)
    # what runs once the control plane moved the clock, before it answers: the Acoustic
    # rotations that fell due
    clock_listeners: list[Callable[[], Awaitable[object]]] = field(default_factory=list)

    def notify_worker(self) -> None:
        if self.worker is not None:
            self.worker.notify()

    async def clock_moved(self) -> None:
        """The clock jumped: the worker purges what expired, the listeners catch up."""
        self.notify_worker()
        for listener in list(self.clock_listeners):
            await listener()

    @property
    def db(self) -> Store:
        if self.store is None:
            raise RuntimeError("the store is not open (outside the app's lifespan)")
        return self.store

    @property
    def shelf(self) -> Shelf:
        if self.snapshots is None:
            raise RuntimeError("no snapshots directory (outside the app's lifespan)")
        return self.snapshots


def state_of(request: Request) -> AppState:
    state: AppState = request.app.state.emulator
    return state
