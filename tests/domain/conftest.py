"""Fixtures for testing the domain without HTTP: a migrated, seeded in-memory store, the
principals that act on it, and a fixed clock.

Every test gets a store of its own contents (the sync queue is global, so one test's
pending syncs must not reach another's turn of the worker). Migrating and seeding is the slow
part, so it happens once per session in a template that SQLite's backup API copies over
the test's store before each test: a fresh seeded database in a millisecond or two.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator import seed
from emulator.core.config import MEMORY
from emulator.core.types import Principal
from emulator.domain import identity
from emulator.store import Store
from tests.domain.support import Bulk

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SITE, USER = "Acme", "jane"
NOW = 1_800_000_000.0  # 2027-01-15 08:00:00 UTC, 03:00 in Eloqua (US Eastern) time


@pytest.fixture(scope="session")
def seeded() -> Iterator[sqlite3.Connection]:
    """A store migrated and seeded once: site 0 holds the fixtures, and site Acme (a copy
    of them) has its user jane."""
    template = Store(MEMORY)
    template.write_sync(seed.ensure_loaded, FIXTURES, NOW)
    template.write_sync(identity.ensure_user, SITE, USER, {}, NOW)
    yield template.writer.conn
    template.close()


@pytest.fixture(scope="session")
def session_store() -> Iterator[Store]:
    store = Store(MEMORY)
    yield store
    store.close()


@pytest.fixture
def now() -> float:
    return NOW


@pytest.fixture
def store(seeded: sqlite3.Connection, session_store: Store) -> Store:
    """A migrated ``:memory:`` store holding exactly the seeded template."""
    seeded.backup(session_store.writer.conn)
    return session_store


@pytest.fixture
def principal(store: Store, now: float) -> Principal:
    """jane of site Acme (found: the template has them; a new site would copy site 0)."""
    return store.write_sync(identity.ensure_user, SITE, USER, {}, now)


@pytest.fixture
def colleague(store: Store, principal: Principal, now: float) -> Principal:
    """john, another user of jane's site."""
    return store.write_sync(identity.ensure_user, principal.site_name, "john", {}, now)


@pytest.fixture
def stranger(store: Store, now: float) -> Principal:
    """hank, a user of another site."""
    return store.write_sync(identity.ensure_user, "Globex", "hank", {}, now)


@pytest.fixture
def bulk(store: Store, principal: Principal, now: float) -> Bulk:
    return Bulk(store, principal, now)
