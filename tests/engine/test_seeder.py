"""Seeding inside the app (emulator.engine.seeder): full chunks while no other write waits,
quarter chunks while some have lately had to, and a report after each."""

from __future__ import annotations

import itertools
import time

import anyio

from emulator.domain import synthetic
from emulator.engine import seeder
from emulator.store import Store, sites
from tests.domain.conftest import NOW, SITE


def events(store: Store, order: synthetic.Order, chunk: int) -> list[dict]:
    plan = store.write_sync(synthetic.prepare, order, NOW)

    async def collect() -> list[dict]:
        return [event async for event in seeder.run(store, plan, chunk)]

    return anyio.run(collect)


def sizes(found: list[dict]) -> list[int]:
    written = [e["written"] for e in found if e["event"] == "written"]
    return [b - a for a, b in itertools.pairwise([1, *written])]


def test_chunks_are_full_while_no_write_waits(store) -> None:
    store.contended_at = float("-inf")
    found = events(store, synthetic.Order(site=SITE, contacts=1001), chunk=200)
    assert sizes(found) == [200] * 5
    assert [found[0]["event"], found[-1]["event"]] == ["started", "finished"]


def test_chunks_are_a_quarter_while_writes_have_had_to_wait(store) -> None:
    store.contended_at = time.monotonic()
    found = events(store, synthetic.Order(site=SITE, contacts=1001), chunk=200)
    assert sizes(found) == [50] * 20


def test_a_site_reset_away_ends_the_report_with_the_failure(store) -> None:
    plan = store.write_sync(synthetic.prepare, synthetic.Order(site=SITE, contacts=500), NOW)

    async def collect() -> list[dict]:
        found = []
        async for event in seeder.run(store, plan, 100):
            found.append(event)
            if len(found) == 2:
                store.write_sync(sites.clear_everything)
        return found

    found = anyio.run(collect)
    assert [e["event"] for e in found] == ["started", "written", "failed"]
    assert found[-1]["failures"][0]["field"] == "site"
