"""Named snapshots of the whole store, made and put back with SQLite's online backup API.

A snapshot is one SQLite file, ``<name>.sqlite`` in the snapshots directory, readable by
its owner only (``0600``, like the database file): the backup is written to a temporary
file beside it, turned into a single self-contained file (rollback journal, not WAL) and
renamed over the name, so a snapshot is there whole or not at all. It records when it was
taken (``meta``) and, in its own ``_sqlite_migrations``, the store format it was taken at.
Taking one reads the store on a reader connection, inside one read transaction, so it is
the state after some write and never in the middle of one.

Restoring copies the file back into the live database on the writer connection with one
backup step (every page, one transaction), outside any other write: readers see the old
state or the new one, never a mix, and the worker, whose turns are writes, waits for it.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from emulator.core.config import MEMORY
from emulator.store import db as sqlite_db
from emulator.store import migrations, scratch

SUFFIX = ".sqlite"
# ``.<name>.<16 hex digits>.tmp`` (see ``save``), and the journal SQLite keeps beside it
TEMPORARY = re.compile(r"\.[A-Za-z0-9._-]{1,64}\.[0-9a-f]{16}\.tmp(-journal|-wal|-shm)?")
CREATED_KEY = "snapshot_created_at"


@dataclass(frozen=True)
class Snapshot:
    name: str
    size: int  # bytes
    created_at: str | None  # None when the file is not a snapshot of this emulator
    format_version: int | None


class SnapshotError(Exception):
    """A file that cannot be restored."""


class Unreadable(SnapshotError):
    pass


class OtherFormat(SnapshotError):
    def __init__(self, found: int, expected: int) -> None:
        super().__init__(f"store format {found}, not {expected}")
        self.found = found
        self.expected = expected


class Shelf:
    """The snapshots directory: the one given (``--snapshots-dir``), else
    ``<database file>.snapshots`` beside the database; for ``:memory:`` a temporary
    directory, made at first use and removed by :meth:`close` (its snapshots end with the
    process, as its store does)."""

    def __init__(self, directory: Path | None, db_path: str) -> None:
        self._temporary = directory is None and db_path == MEMORY
        self._directory = directory or (None if self._temporary else Path(db_path + ".snapshots"))
        self.sweep()

    def sweep(self) -> list[str]:
        """Remove what a snapshot being taken when the process died left behind: its
        temporary file and that file's journal. Never listed, but each holds a copy of
        the store. Run when the store opens, so the one process using the directory (one
        store, one process) has no snapshot under way."""
        if self._directory is None or not self._directory.is_dir():
            return []
        swept = [p for p in self._directory.iterdir() if TEMPORARY.fullmatch(p.name)]
        for path in swept:
            path.unlink(missing_ok=True)
        return sorted(p.name for p in swept)

    @property
    def directory(self) -> Path:
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="eloqua-emulator-snapshots-"))
        self._directory.mkdir(parents=True, exist_ok=True)
        return self._directory

    def path(self, name: str) -> Path:
        """The file of a snapshot; ``name`` is checked by the caller (never a path)."""
        return self.directory / (name + SUFFIX)

    def names(self) -> list[str]:
        return sorted(p.name.removesuffix(SUFFIX) for p in self.directory.glob("*" + SUFFIX))

    def delete(self, name: str) -> bool:
        try:
            self.path(name).unlink()
        except FileNotFoundError:
            return False
        return True

    def close(self) -> None:
        if self._temporary and self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None


def format_version(conn: sqlite3.Connection) -> int:
    """The store format: how many of the store's migrations the database has applied."""
    table = migrations.migrations.migrations_table
    row = conn.execute(
        f"SELECT count(*) FROM {table} WHERE migration_set = ?", [migrations.migrations.name]
    ).fetchone()
    return int(row[0])


def save(db: sqlite_utils.Database, shelf: Shelf, name: str, created_at: str) -> Snapshot:
    """Back ``db`` (in a read transaction, or the ``:memory:`` writer between writes) up
    into the snapshot ``name``, replacing any of that name."""
    final = shelf.path(name)
    temporary = final.with_name(f".{name}.{secrets.token_hex(8)}.tmp")
    try:
        sqlite_db.create_private(temporary)  # a snapshot holds what the store holds
        target = sqlite3.connect(sqlite_db.uri_of(temporary), uri=True)
        try:
            db.conn.backup(target)
            # a copy of a WAL database is in WAL mode: make it one self-contained file
            target.execute("PRAGMA journal_mode = DELETE")
            target.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [CREATED_KEY, created_at]
            )
            target.commit()
        finally:
            target.close()
        os.rename(temporary, final)  # atomic, replacing a snapshot of the name (POSIX)
    finally:
        temporary.unlink(missing_ok=True)
    return describe(shelf, name)


def describe(shelf: Shelf, name: str) -> Snapshot:
    """A snapshot's size, when it was taken and its store format (``None`` for the last two
    when the file is not a snapshot this emulator made). ``FileNotFoundError`` if absent."""
    path = shelf.path(name)
    size = path.stat().st_size
    try:
        source = _open(path)
    except Unreadable:
        return Snapshot(name, size, None, None)
    try:
        return Snapshot(name, size, _created_at(source), format_version(source))
    except sqlite3.Error:
        return Snapshot(name, size, None, None)
    finally:
        source.close()


def restore(db: sqlite_utils.Database, shelf: Shelf, name: str) -> Snapshot:
    """Replace the live database (``db``: the writer, outside any transaction) with the
    snapshot ``name``, in one backup step. :class:`OtherFormat` (nothing changed) when the
    snapshot is of another store format, :class:`Unreadable` when the file is not a
    database. Then forget what the writer's temporary tables held for the syncs of the
    replaced state: a sync under way in the snapshot carries on from its last chunk there,
    as after a restart."""
    path = shelf.path(name)
    size = path.stat().st_size  # FileNotFoundError when absent
    source = _open(path)
    try:
        try:
            found, created_at = format_version(source), _created_at(source)
        except sqlite3.Error as exc:
            raise Unreadable(str(exc)) from None
        expected = format_version(db.conn)
        if found != expected:
            raise OtherFormat(found, expected)
        try:
            source.backup(db.conn, pages=-1)  # refused whole, or done whole
        except sqlite3.Error as exc:
            raise Unreadable(str(exc)) from None
    finally:
        source.close()
    with db.atomic():
        db.execute("DELETE FROM meta WHERE key = ?", [CREATED_KEY])
        scratch.forget(db)
    return Snapshot(name, size, created_at, found)


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(sqlite_db.uri_of(path, readonly=True), uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        conn.close()
        raise Unreadable(str(exc)) from None
    return conn


def _created_at(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [CREATED_KEY]).fetchone()
    return str(row[0]) if row else None
