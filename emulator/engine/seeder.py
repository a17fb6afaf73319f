"""Seeding synthetic records inside a running emulator (``domain.synthetic``): one write
per chunk through the store's one writer, so other clients wait for one chunk at most, and
chunks a quarter of ``--sync-chunk`` while other writes have lately had to wait (as the
worker sizes sync chunks). Reports what is written as it goes."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

from emulator.core.errors import EloquaError
from emulator.core.types import JSONObject
from emulator.domain import synthetic
from emulator.engine.worker import CALM
from emulator.store import Store


async def run(store: Store, plan: synthetic.Plan, chunk: int) -> AsyncIterator[JSONObject]:
    """``started``, a ``written`` report after each chunk, then ``finished``; ``failed``
    (with the failures) if the site went away meanwhile. Chunks already written stay."""

    def size() -> int:
        if time.monotonic() - store.contended_at > CALM:
            return chunk
        return max(1, chunk // 4)

    yield synthetic.started(plan)
    try:
        for step in synthetic.steps(plan, size):
            await store.write(synthetic.write, plan, step)
            yield synthetic.progressed(plan, step)
    except EloquaError as exc:
        yield {"event": "failed", **exc.body()}
        return
    yield synthetic.finished(plan)
