"""``Store``: the one way the async layers reach SQLite.

Store and domain functions are plain synchronous functions whose first argument is the
database. ``Store.write`` runs one inside ``db.atomic()`` on the single writer connection,
so a request either commits all its changes or none (datasette's ``execute_write_fn``).
``Store.read`` runs on reader connections (WAL) for files; a ``:memory:`` database has one
connection, so reads queue behind the same limiter as writes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

import anyio
import anyio.to_thread
import sqlite_utils

from emulator.store import db as sqlite_db
from emulator.store import migrations, scratch

P = ParamSpec("P")
T = TypeVar("T")

READERS = 4
CHECKPOINT_EVERY = 0.2  # seconds between looks at the write-ahead log's size
CHECKPOINT_BYTES = sqlite_db.WAL_BYTES  # the log's size past which it is copied back


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        self.writer = sqlite_db.open_database(path)
        migrations.apply(self.writer)
        scratch.create(self.writer)
        self._write_limiter = anyio.CapacityLimiter(1)
        self._shared = path == sqlite_db.MEMORY
        self._read_limiter = self._write_limiter if self._shared else anyio.CapacityLimiter(READERS)
        self._readers: list[sqlite_utils.Database] = []  # every reader opened, to close
        self._idle: list[sqlite_utils.Database] = []  # readers between two reads
        self._loop_reader: sqlite_utils.Database | None = None
        self._checkpointer: sqlite_utils.Database | None = None
        self._lock = threading.Lock()
        # the writer connection serves one thread at a time: the limiters order the event
        # loop's calls, this lock also orders calls made from other threads (start-up, tests)
        self._writer_lock = threading.RLock()
        self.contended_at = float("-inf")  # when a write last had to wait for another

    async def write(
        self,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        if self._write_limiter.borrowed_tokens:
            self.contended_at = time.monotonic()
        return await anyio.to_thread.run_sync(
            lambda: self.write_sync(fn, *args, **kwargs), limiter=self._write_limiter
        )

    async def read(
        self,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        return await anyio.to_thread.run_sync(
            lambda: self.read_sync(fn, *args, **kwargs), limiter=self._read_limiter
        )

    async def read_small(
        self,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """A read of a few rows by key (a sync's status, a page of its logs), run on the
        event loop's own reader connection: it takes tens of microseconds, less than the
        hop to a worker thread and back, and in WAL mode no writer can make it wait. A
        ``:memory:`` store has one connection, which a write may hold for a whole chunk,
        so its reads still go through the limiter."""
        if self._shared:
            return await self.read(fn, *args, **kwargs)
        if self._loop_reader is None:
            self._loop_reader = sqlite_db.open_database(self.path, readonly=True)
            with self._lock:
                self._readers.append(self._loop_reader)
        with self._loop_reader.atomic():
            return fn(self._loop_reader, *args, **kwargs)

    async def write_small(
        self,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """A write of a few rows (a definition, a sync, a small upload), run on the event
        loop when the writer is free: it takes a few hundred microseconds, about what the
        hop to a worker thread and back costs, and a client running one flow at a time
        waits for both. When another write holds the writer (the worker's chunk, a large
        upload) it queues on a thread like any write, so the loop never waits for one."""
        return await self._on_loop(None, fn, *args, **kwargs)

    async def write_bounded(
        self,
        steps: int,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``write_small`` for a write that is most likely small but might not be: on the
        event loop, each of its statements is held to ``steps`` of SQLite's virtual
        machine; one that would run longer is interrupted, the whole write rolled back and
        done again on a thread. The loop waits a few milliseconds at worst. ``fn`` must let
        the interruption through (``store.db.interrupted``)."""
        return await self._on_loop(steps, fn, *args, **kwargs)

    async def _on_loop(
        self,
        steps: int | None,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        try:
            self._write_limiter.acquire_nowait()
        except anyio.WouldBlock:
            return await self.write(fn, *args, **kwargs)
        try:
            if self._writer_lock.acquire(blocking=False):
                conn = self.writer.conn
                if steps is not None:
                    conn.set_progress_handler(lambda: 1, steps)
                try:
                    with self.writer.atomic():
                        return fn(self.writer, *args, **kwargs)
                except sqlite3.OperationalError as exc:
                    if steps is None or not sqlite_db.interrupted(exc):
                        raise
                finally:
                    if steps is not None:
                        conn.set_progress_handler(None, 0)
                    self._writer_lock.release()
        finally:
            self._write_limiter.release()
        # the writer was busy (a thread outside the loop), or a statement ran past the bound
        return await self.write(fn, *args, **kwargs)

    def write_sync(
        self,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """For start-up and tests, outside the event loop."""
        with self._writer_lock, self.writer.atomic():
            return fn(self.writer, *args, **kwargs)

    async def exclusive(
        self,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``fn(db, …)`` on the writer connection *outside* a transaction, every other write
        (and the worker's turns) kept out meanwhile: for what SQLite refuses inside one, such
        as the backup API replacing the whole database (``store.snapshots.restore``).
        ``fn`` opens its own transactions."""
        return await anyio.to_thread.run_sync(
            lambda: self.exclusive_sync(fn, *args, **kwargs), limiter=self._write_limiter
        )

    def exclusive_sync(
        self,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        with self._writer_lock:
            return fn(self.writer, *args, **kwargs)

    def read_sync(
        self,
        fn: Callable[Concatenate[sqlite_utils.Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        if self._shared:
            with self._writer_lock, self.writer.atomic():
                return fn(self.writer, *args, **kwargs)
        db = self._reader()
        try:
            with db.atomic():
                return fn(db, *args, **kwargs)
        finally:
            with self._lock:
                self._idle.append(db)

    def _reader(self) -> sqlite_utils.Database:
        """A reader connection no read is using, opened when none is: as many as reads
        have run at once (``READERS`` through ``read``). Not one per thread: the threads
        that run reads come and go (anyio retires idle ones), and the connection of each
        retired thread, page cache and all, would stay open for good."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        db = sqlite_db.open_database(self.path, readonly=True)
        with self._lock:
            self._readers.append(db)
        return db

    async def checkpoints(self) -> None:
        """Copy the write-ahead log back into the database from a connection of its own, in
        a thread, whenever it has grown past ``CHECKPOINT_BYTES`` (the lifespan runs this
        for a file). SQLite would otherwise do it on the writer at the commit that crosses
        its threshold, and a sync's chunk, or a request's write, waited for the copy: half
        a second of a million-row import. A passive checkpoint waits for no one; the
        writer's own stays as a backstop (``store.db``)."""
        if self._shared:
            return
        wal = f"{self.path}-wal"
        while True:
            await anyio.sleep(CHECKPOINT_EVERY)
            try:
                size = os.stat(wal).st_size
            except OSError:
                continue
            if size > CHECKPOINT_BYTES:  # the log is cut back to this when it restarts
                await anyio.to_thread.run_sync(self._checkpoint)

    def _checkpoint(self) -> None:
        if self._checkpointer is None:
            self._checkpointer = sqlite_db.open_database(self.path)
        self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        with self._lock:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
            self._idle.clear()
        if self._checkpointer is not None:
            self._checkpointer.close()
        self.writer.close()
