"""The background worker started by the app's lifespan: it runs syncs a chunk at a time,
taking turns between the syncs under way (round-robin), so a small sync
finishes while a large one runs and every write waits for one chunk at most, never for a
whole sync. Between chunks it deletes consumed staged rows, a chunk's worth at a time.
What clients see is the progression policy's business. At start-up the syncs a crash
interrupted carry on from their last committed chunk."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import anyio

from emulator.core.lifecycle import SyncStatus
from emulator.domain import exports, imports, staging
from emulator.domain.syncs import render
from emulator.engine import runner
from emulator.engine.callbacks import Outbound
from emulator.store import Store
from emulator.store import syncs as rows

log = logging.getLogger("emulator.worker")
IDLE = 0.25
CALM = 2.0  # seconds with no write kept waiting before chunks are full size again
PURGE_EVERY = 60.0


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

    def notify(self) -> None:
        self._wake.set()

    async def run(self, task_group: anyio.abc.TaskGroup) -> None:
        resumed = len(await self.store.write(rows.active))
        if resumed:
            log.info("%d interrupted sync(s) carry on", resumed)
        purged_at = 0.0
        purging = True
        turn: tuple[int, int] | None = None
        while True:
            now = self.clock()
            if now - purged_at > PURGE_EVERY:
                await self.store.write(staging.purge_expired, now)
                await self.store.write(exports.purge_expired, now)
                purged_at = now
            under_way: list[tuple[int, int]] = []
            if not self.paused:
                under_way = await self.store.write(runner.rotation, now)
            if purging:
                limit = self.chunk or staging.PURGE_CHUNK
                purging = await self.store.write(staging.purge_consumed, limit) > 0
            if not under_way:
                if not purging:
                    with anyio.move_on_after(IDLE):
                        await self._wake.wait()
                    self._wake = anyio.Event()
                continue
            turn = _after(under_way, turn)
            final = await self._step(*turn)
            if final.status != SyncStatus.ACTIVE.value:
                if final.callback_url:
                    task_group.start_soon(
                        self.outbound.notify, final.callback_url, render(final, 2)
                    )
                purging = True
                self.completed += 1

    def _chunk(self) -> int | None:
        """The rows of the next chunk: ``--sync-chunk``, or a quarter of it while other
        writes have lately had to wait (they then wait for a short chunk; a sync alone
        runs at full stride)."""
        if time.monotonic() - self.store.contended_at > CALM:
            return self.chunk
        return max(1, (self.chunk or imports.CHUNK) // 4)

    async def _step(self, site_id: int, sync_id: int) -> rows.SyncRow:
        try:
            return await self.store.write(
                runner.step, site_id, sync_id, self.clock(), self._chunk()
            )
        except Exception:
            # The chunk rolled back; the sync ends in error, the worker goes on.
            log.exception("sync %s of site %s failed", sync_id, site_id)
            row = await self.store.write(rows.get, site_id, sync_id)
            assert row is not None
            return await self.store.write(runner.fail, row, self.clock())


def _after(under_way: list[tuple[int, int]], turn: tuple[int, int] | None) -> tuple[int, int]:
    """The sync whose turn is next: the first after ``turn`` in the rotation (ordered by
    site and id), or the first."""
    later = [key for key in under_way if turn is None or key > turn]
    return later[0] if later else under_way[0]
