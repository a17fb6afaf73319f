"""The store: schema from zero, one writer, all-or-nothing writes, file readers."""

from __future__ import annotations

import threading
from pathlib import Path

import anyio
import pytest

from emulator.store import Store
from emulator.store.db import WAL_BYTES, open_database
from emulator.store.migrations import SEEDED_TABLES, migrations


def test_a_fresh_database_gets_the_whole_schema(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "x.db"))
    try:
        tables = set(store.writer.table_names())
        assert {"sites", "users", "tokens", "meta", *SEEDED_TABLES} <= tables
        assert migrations.pending(store.writer) == []
    finally:
        store.close()


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = str(tmp_path / "x.db")
    Store(path).close()
    store = Store(path)
    try:
        assert len(migrations.applied(store.writer)) == len(migrations._migrations)
    finally:
        store.close()


def insert_then_fail(db, name: str) -> None:
    db.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", [name])
    raise ValueError("rejected half way")


def test_a_write_that_raises_leaves_nothing_behind() -> None:
    store = Store(":memory:")
    try:
        with pytest.raises(ValueError, match="half way"):
            anyio.run(lambda: store.write(insert_then_fail, "k"))
        assert (
            store.read_sync(lambda db: db.execute("SELECT count(*) FROM meta").fetchone()[0]) == 0
        )
    finally:
        store.close()


def test_file_readers_see_committed_writes(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "x.db"))
    try:

        async def scenario() -> str:
            await store.write(lambda db: db.execute("INSERT INTO meta VALUES ('a', 'b')"))
            return await store.read(lambda db: db.execute("SELECT value FROM meta").fetchone()[0])

        assert anyio.run(scenario) == "b"
    finally:
        store.close()


@pytest.mark.parametrize("where", ["file", ":memory:"])
def test_small_reads_see_every_committed_write_and_nothing_uncommitted(
    tmp_path: Path, where: str
) -> None:
    store = Store(str(tmp_path / "x.db") if where == "file" else ":memory:")

    def value(db) -> str | None:
        row = db.execute("SELECT value FROM meta WHERE key = 'k'").fetchone()
        return None if row is None else str(row[0])

    def count_of_k2(db) -> str:  # the rolled-back write left nothing
        return str(db.execute("SELECT count(*) FROM meta WHERE key = 'k2'").fetchone()[0])

    try:

        async def scenario() -> list[str | None]:
            seen = [await store.read_small(value)]
            await store.write(lambda db: db.execute("INSERT INTO meta VALUES ('k', 'v1')"))
            seen.append(await store.read_small(value))
            await store.write(lambda db: db.execute("UPDATE meta SET value = 'v2'"))
            seen.append(await store.read_small(value))
            with pytest.raises(ValueError, match="half way"):
                await store.write(insert_then_fail, "k2")
            seen.append(await store.read_small(count_of_k2))
            return seen

        assert anyio.run(scenario) == [None, "v1", "v2", "0"]
    finally:
        store.close()


def test_rows_staged_before_values_were_stored_as_text_are_rewritten(tmp_path: Path) -> None:
    path = str(tmp_path / "x.db")
    db = open_database(path)
    migrations.apply(db, stop_before="m009_staged_values_as_text")
    db.execute(
        "INSERT INTO staged_files (id, site_id, kind, definition_id, created_at, expires_at, "
        "rows, keys, bytes) VALUES (1, 1, 'imports', 1, 0, 1e12, 2, '[]', 10)"
    )
    db.execute(
        "INSERT INTO staged_rows VALUES (1, 1, ?), (1, 2, ?)",
        ['{"a":"x","b":3,"c":true,"d":null,"e":1.5}', '{"a":"plain"}'],
    )
    db.conn.commit()
    db.close()
    store = Store(path)
    try:
        rows = store.read_sync(
            lambda db: [r[0] for r in db.execute("SELECT data FROM staged_rows ORDER BY ordinal")]
        )
    finally:
        store.close()
    assert rows == ['{"a":"x","b":"3","c":"true","d":"","e":"1.5"}', '{"a":"plain"}']


def open_files(path: Path) -> int:
    """How many descriptors this process holds on ``path`` (Linux)."""
    fds = Path("/proc/self/fd")
    return sum(1 for fd in fds.iterdir() if fd.exists() and fd.resolve() == path.resolve())


def test_reads_from_threads_that_come_and_go_reuse_the_readers(tmp_path: Path) -> None:
    """The threads that run reads are retired when idle and new ones made; a reader
    connection is not tied to one, so twenty threads one after another leave one open."""
    path = tmp_path / "x.db"
    store = Store(str(path))
    try:
        held = open_files(path)
        for _ in range(20):
            thread = threading.Thread(
                target=store.read_sync, args=(lambda db: db.execute("SELECT 1"),)
            )
            thread.start()
            thread.join()
        assert open_files(path) == held + 1
    finally:
        store.close()
    assert open_files(path) == 0


@pytest.mark.parametrize("where", ["file", ":memory:"])
def test_a_small_write_runs_on_the_event_loop_when_the_writer_is_free(
    tmp_path: Path, where: str
) -> None:
    store = Store(str(tmp_path / "x.db") if where == "file" else ":memory:")

    def insert(db, key: str) -> int:
        db.execute("INSERT INTO meta VALUES (?, 'v')", [key])
        return threading.get_ident()

    try:

        async def scenario() -> tuple[int, int, list[str]]:
            ran_on = await store.write_small(insert, "k")
            with pytest.raises(ValueError, match="half way"):
                await store.write_small(insert_then_fail, "k2")
            keys = await store.read(lambda db: [r[0] for r in db.execute("SELECT key FROM meta")])
            return ran_on, threading.get_ident(), keys

        ran_on, loop_thread, keys = anyio.run(scenario)
        assert ran_on == loop_thread
        assert keys == ["k"]  # the write that raised left nothing
    finally:
        store.close()


def test_a_small_write_queues_on_a_thread_while_another_write_holds_the_writer(
    tmp_path: Path,
) -> None:
    """The event loop never waits for the writer: while a long write (a sync's chunk) holds
    it, a small write waits its turn off the loop, and the loop keeps serving meanwhile."""
    store = Store(str(tmp_path / "x.db"))
    release = threading.Event()

    def long_write(db) -> None:
        db.execute("INSERT INTO meta VALUES ('long', 'v')")
        release.wait(5)

    def small_write(db) -> int:
        db.execute("INSERT INTO meta VALUES ('small', 'v')")
        return threading.get_ident()

    try:

        async def scenario() -> tuple[int, int, list[str], list[str]]:
            ticks: list[str] = []
            result: list[int] = []
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(store.write, long_write)
                await anyio.sleep(0.05)  # the long write holds the writer

                async def small() -> None:
                    result.append(await store.write_small(small_write))

                tasks.start_soon(small)
                for _ in range(5):  # the loop is not blocked by the waiting write
                    await anyio.sleep(0.01)
                    ticks.append("tick")
                assert result == []  # still waiting for its turn
                release.set()
            keys = await store.read(
                lambda db: [r[0] for r in db.execute("SELECT key FROM meta ORDER BY rowid")]
            )
            return result[0], threading.get_ident(), ticks, keys

        ran_on, loop_thread, ticks, keys = anyio.run(scenario)
        assert ran_on != loop_thread
        assert ticks == ["tick"] * 5
        assert keys == ["long", "small"]
    finally:
        release.set()
        store.close()


def test_contact_email_keys_are_stored_and_follow_every_write(tmp_path: Path) -> None:
    """``m022``: the key of contacts stored before is filled in; afterwards an insert that
    leaves it out gets it, and a change of address changes it, whoever writes."""
    path = str(tmp_path / "x.db")
    db = open_database(path)
    migrations.apply(db, stop_before="m022_contact_email_key_stored")
    db.execute(
        "INSERT INTO contacts (site_id, id, created_at, updated_at, fields) "
        "VALUES (1, 1, 'c', 'u', ?)",
        ['{"C_EmailAddress": "Old@Imp.Test"}'],
    )
    db.conn.commit()
    db.close()
    store = Store(path)

    def keys(db) -> list[str | None]:
        return [r[0] for r in db.execute("SELECT email_key FROM contacts ORDER BY id")]

    try:
        assert store.read_sync(keys) == ["old@imp.test"]

        def writes(db) -> None:
            db.execute(
                "INSERT INTO contacts (site_id, id, created_at, updated_at, fields) "
                "VALUES (1, 2, 'c', 'u', ?), (1, 3, 'c', 'u', '{}')",
                ['{"C_EmailAddress": "New@Imp.Test"}'],
            )
            db.execute(
                "UPDATE contacts SET fields = json_set(fields, '$.C_EmailAddress', 'Moved@X.Test') "
                "WHERE id = 1"
            )
            db.execute("UPDATE contacts SET fields = '{}' WHERE id = 2")

        store.write_sync(writes)
        assert store.read_sync(keys) == ["moved@x.test", None, None]
        plan = store.read_sync(
            lambda db: db.execute(
                "EXPLAIN QUERY PLAN SELECT min(id), rowid FROM contacts "
                "INDEXED BY contacts_email WHERE site_id = 1 AND email_key = 'x'"
            ).fetchall()
        )
        assert "COVERING INDEX contacts_email" in str(plan)
    finally:
        store.close()


def test_a_grown_write_ahead_log_is_copied_back_off_the_writer(tmp_path: Path) -> None:
    """Past ``WAL_BYTES`` the store's checkpointer copies the log back from a connection of
    its own, so the next write restarts the log and it is cut back to its size at rest.
    The writer's own checkpoint (at ~160 MB) never ran: without the checkpointer the log
    would still hold the 20 MB."""
    path = tmp_path / "x.db"
    store = Store(str(path))
    wal = Path(f"{path}-wal")

    def big_write(db) -> None:
        db.execute("CREATE TABLE blobs (data BLOB)")
        db.conn.executemany(
            "INSERT INTO blobs VALUES (?)", ((bytes(1024 * 1024),) for _ in range(20))
        )

    try:

        async def scenario() -> tuple[int, int]:
            await store.write(big_write)
            grown = wal.stat().st_size
            after = grown
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(store.checkpoints)
                with anyio.move_on_after(10):
                    while after > WAL_BYTES:  # each write restarts the log once all is copied
                        await anyio.sleep(0.05)
                        await store.write(
                            lambda db: db.execute("INSERT OR REPLACE INTO meta VALUES ('k', 'v')")
                        )
                        after = wal.stat().st_size
                tasks.cancel_scope.cancel()
            return grown, after

        grown, after = anyio.run(scenario)
        assert grown > WAL_BYTES + 4 * 1024 * 1024
        assert after <= WAL_BYTES
    finally:
        store.close()


def test_expired_definitions_are_found_without_a_scan() -> None:
    """Every create first deletes the expired definitions: through an index, so it costs
    the same with ten definitions or a hundred thousand."""
    from emulator.store import definitions

    store = Store(":memory:")
    statements: list[str] = []
    try:
        store.writer.conn.set_trace_callback(statements.append)
        store.write_sync(definitions.purge_expired, 1.0)
        store.writer.conn.set_trace_callback(None)
        (delete,) = [s for s in statements if s.startswith("DELETE")]
        plan = store.read_sync(lambda db: db.execute(f"EXPLAIN QUERY PLAN {delete}").fetchall())
        assert "USING INDEX definitions_expiry" in str(plan)
    finally:
        store.close()


def test_a_bounded_write_stays_on_the_loop_unless_a_statement_runs_past_its_bound(
    tmp_path: Path,
) -> None:
    store = Store(str(tmp_path / "x.db"))

    def count_to(db, n: int) -> tuple[int, int]:
        db.execute("INSERT INTO meta VALUES (?, 'v')", [f"k{n}"])
        row = db.execute(
            "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) "
            "SELECT count(*) FROM c",
            [n],
        ).fetchone()
        return int(row[0]), threading.get_ident()

    try:

        async def scenario() -> tuple[int, list[tuple[int, int]], list[str]]:
            small = await store.write_bounded(100_000, count_to, 10)
            large = await store.write_bounded(100_000, count_to, 1_000_000)
            keys = await store.read(lambda db: [r[0] for r in db.execute("SELECT key FROM meta")])
            return threading.get_ident(), [small, large], keys

        loop_thread, results, keys = anyio.run(scenario)
        (small, small_on), (large, large_on) = results
        assert (small, small_on) == (10, loop_thread)
        assert large == 1_000_000
        assert large_on != loop_thread  # interrupted, done again on a thread
        assert sorted(keys) == ["k10", "k1000000"]  # the interrupted attempt left nothing
    finally:
        store.close()
