"""The background worker started by the app's lifespan: it runs syncs a chunk at a time,
taking turns between the syncs under way (round-robin), so a small sync finishes while a
large one runs and every write waits for one chunk at most, never for a whole sync. Each
turn is one write (``runner.turn``): claim, one chunk, and a chunk's worth of consumed
staged rows deleted while any are left. What clients see is the progression policy's
business. At start-up the syncs a crash interrupted carry on from their last committed
chunk."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import anyio

from emulator.core.lifecycle import SyncStatus
from emulator.domain import exports, imports, staging, timeline
from emulator.domain.syncs import render
from emulator.engine import runner
from emulator.engine.callbacks import Outbound
from emulator.store import Store
from emulator.store import syncs as rows

log = logging.getLogger("emulator.worker")
IDLE = 0.25
CALM = 2.0  # seconds with no write kept waiting before chunks are full size again
PURGE_EVERY = 60.0
# a turn runs on the event loop when at most SMALL_SYNCS imports or sync actions are under
# way with at most SMALL_ROWS staged rows in all, each statement held to SMALL_STEPS of
# SQLite's virtual machine (a few milliseconds; one that needs more is done on a thread)
SMALL_SYNCS = 4
SMALL_ROWS = 100
SMALL_STEPS = 200_000


@dataclass(frozen=True)
class Ended:
    """A sync that ended: what the metrics count (``seconds`` from its creation)."""

    kind: str
    family: str
    status: str
    seconds: float
    rows: int


class Worker:
    def __init__(
        self,
        store: Store,
        clock: Callable[[], float],
        outbound: Outbound,
        chunk: int | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.outbound = outbound
        self.chunk = chunk
        self._wake = anyio.Event()
        self.completed = 0
        self.paused = False
        self.listeners: list[Callable[[Ended], None]] = []  # told of every sync that ends
        self._waiting: dict[tuple[int, int], anyio.Event] = {}
        self._ended_lately: deque[tuple[int, int]] = deque(maxlen=256)

    def notify(self) -> None:
        self._wake.set()

    async def until_ended(self, site_id: int, sync_id: int, seconds: float) -> None:
        """Wait, at most ``seconds``, for the worker to end a sync (a poll under the
        ``immediate`` policy: the answer then shows the end, not one more round trip).
        Returns at once when the sync ended lately or the worker is paused."""
        key = (site_id, sync_id)
        if self.paused or key in self._ended_lately:
            return
        event = self._waiting.setdefault(key, anyio.Event())
        with anyio.move_on_after(seconds):
            await event.wait()
        if not event.is_set() and self._waiting.get(key) is event:
            del self._waiting[key]

    async def run(self, task_group: anyio.abc.TaskGroup) -> None:
        resumed = len(await self.store.write(rows.active))
        if resumed:
            log.info("%d interrupted sync(s) carry on", resumed)
        purged_at = 0.0
        after: tuple[int, int] | None = None
        while True:
            now = self.clock()
            if now - purged_at > PURGE_EVERY:
                await self.store.write(staging.purge_expired, now)
                await self.store.write(exports.purge_expired, now)
                purged_at = now
            chunk = self._chunk()
            purge = chunk or staging.PURGE_CHUNK
            turn = await self._turn(now, after, chunk, purge)
            final = turn.stepped
            if final is not None:
                after = (final.site_id, final.id)
                if final.status != SyncStatus.ACTIVE.value:
                    self._ended_lately.append(after)
                    waiting = self._waiting.pop(after, None)
                    if waiting is not None:
                        waiting.set()
                    if final.callback_url:
                        task_group.start_soon(self._call_back, final, final.callback_url)
                    self.completed += 1
                    await self._ended(final)
            # a full purge may have left more consumed rows to delete
            if not turn.under_way and turn.purged < purge:
                with anyio.move_on_after(IDLE):
                    await self._wake.wait()
                self._wake = anyio.Event()

    async def _call_back(self, final: rows.SyncRow, url: str) -> None:
        """The sync's callback, its answer kept on the sync's timeline."""
        status, error = await self.outbound.notify(url, render(final, 2))
        try:
            await self.store.write(
                timeline.record_callback, final, url, status, error, self.clock()
            )
        except Exception:  # the store closed meanwhile (shutdown)
            log.exception("the answer of the callback of sync %s was not recorded", final.id)

    async def _ended(self, final: rows.SyncRow) -> None:
        """Tell the listeners (the metrics) that a sync ended, with the rows it did."""
        if not self.listeners:
            return
        try:
            done = await self.store.read_small(timeline.rows_done, final.site_id, final.id)
        except Exception:  # not worth stopping the worker for
            log.exception("the rows of sync %s were not counted", final.id)
            return
        seconds = max(self.clock() - final.created_epoch, 0.0)
        ended = Ended(final.kind, final.family, final.status, seconds, done)
        for listener in self.listeners:
            listener(ended)

    async def _turn(
        self, now: float, after: tuple[int, int] | None, chunk: int | None, purge: int
    ) -> runner.Turn:
        try:
            if not self.paused and await self.store.read_small(
                rows.small_rotation, SMALL_SYNCS, SMALL_ROWS
            ):
                # a few staged rows: on the event loop, as a small write is, which spares
                # the hop to a thread and back and the GIL passed to and fro at every
                # statement (a one-row import's turn took 2 ms so, 0.5 ms on the loop);
                # bounded all the same, and the purge to as many rows
                return await self.store.write_bounded(
                    SMALL_STEPS, runner.turn, now, after, chunk, purge=min(purge, SMALL_ROWS)
                )
            return await self.store.write(
                runner.turn, now, after, chunk, run=not self.paused, purge=purge
            )
        except Exception:
            # not a chunk (those fail their sync alone): the claims or the purge; try again
            log.exception("a turn of the worker failed")
            await anyio.sleep(IDLE)
            return runner.Turn(None, [], 0)

    def _chunk(self) -> int | None:
        """The rows of the next chunk: ``--sync-chunk``, or a quarter of it while other
        writes have lately had to wait (they then wait for a short chunk; a sync alone
        runs at full stride)."""
        if time.monotonic() - self.store.contended_at > CALM:
            return self.chunk
        return max(1, (self.chunk or imports.CHUNK) // 4)
