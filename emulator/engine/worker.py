"""The background worker started by the app's lifespan: it runs pending syncs one at a
time, as soon as it can (what clients see is the progression policy's business), and at
start-up puts syncs orphaned by a crash back in the queue."""

from __future__ import annotations

import logging
from collections.abc import Callable

import anyio

from emulator.domain import exports, staging
from emulator.domain.syncs import render
from emulator.engine import runner
from emulator.engine.callbacks import Outbound
from emulator.store import Store
from emulator.store import syncs as rows

log = logging.getLogger("emulator.worker")
IDLE = 0.25
PURGE_EVERY = 60.0


class Worker:
    def __init__(self, store: Store, clock: Callable[[], float], outbound: Outbound) -> None:
        self.store = store
        self.clock = clock
        self.outbound = outbound
        self._wake = anyio.Event()
        self.completed = 0
        self.paused = False

    def notify(self) -> None:
        self._wake.set()

    async def run(self, task_group: anyio.abc.TaskGroup) -> None:
        recovered = await self.store.write(rows.reset_orphans)
        await self.store.write(staging.purge_consumed)
        if recovered:
            log.info("%d interrupted sync(s) queued again", recovered)
        purged_at = 0.0
        while True:
            now = self.clock()
            if now - purged_at > PURGE_EVERY:
                await self.store.write(staging.purge_expired, now)
                await self.store.write(exports.purge_expired, now)
                purged_at = now
            row = None if self.paused else await self.store.write(runner.claim_next, now)
            if row is None:
                with anyio.move_on_after(IDLE):
                    await self._wake.wait()
                self._wake = anyio.Event()
                continue
            try:
                final = await self.store.write(runner.run, row, self.clock())
            except Exception:
                # The run rolled back; the sync ends in error, the worker goes on.
                log.exception("sync %s of site %s failed", row.id, row.site_id)
                final = await self.store.write(runner.fail, row, self.clock())
            if final.callback_url:
                task_group.start_soon(self.outbound.notify, final.callback_url, render(final, 2))
            await self.store.write(staging.purge_consumed)
            self.completed += 1
