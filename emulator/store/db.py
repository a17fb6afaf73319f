"""Opening SQLite the way the store needs it.

A file is always opened from a ``file:`` URI built from its resolved path, every character
SQLite's URI syntax gives a meaning to (``#``, ``?``, ``%``) escaped: a path is a file name,
never a URI (this SQLite build reads a name starting ``file:`` as one, ``SQLITE_USE_URI``).
A database file the store creates is its owner's alone (``0600``); SQLite gives its
``-wal`` and ``-shm`` files the database file's mode.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import orjson
import sqlite_utils

from emulator.core import timestamps, values
from emulator.core.config import MEMORY

__all__ = [
    "MEMORY",
    "PRIVATE",
    "WAL_BYTES",
    "connect",
    "create_private",
    "interrupted",
    "open_database",
    "uri_of",
]

PRIVATE = 0o600  # the mode of the files the store creates: they hold people's data


def uri_of(path: str | Path, *, readonly: bool = False) -> str:
    """The ``file:`` URI naming exactly the file ``path`` (relative to the working
    directory); ``readonly`` opens it without the right to write or create it."""
    uri = Path(path).resolve().as_uri()  # percent-encodes all but letters, digits, "/_.-~"
    return uri + "?mode=ro" if readonly else uri


def create_private(path: str | Path) -> None:
    """Create ``path`` empty and readable by its owner only, whatever the umask, unless it
    exists: an existing file keeps the mode its owner gave it. When it cannot be created
    (no such directory, no right to write there), SQLite's own open says why."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
        try:
            os.fchmod(fd, PRIVATE)  # the umask may have taken bits off, never added any
        finally:
            os.close(fd)


WAL_BYTES = 16 * 1024 * 1024  # the write-ahead log's size at rest


def connect(path: str, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection usable from worker threads, with the store's pragmas.

    Files run in WAL mode so readers never wait for the writer; ``:memory:`` has a single
    connection that the store serialises. A new database file is created ``0600``.
    """
    if path == MEMORY:
        conn = sqlite3.connect(path, check_same_thread=False)
    else:
        if not readonly:
            create_private(path)
        conn = sqlite3.connect(uri_of(path, readonly=readonly), uri=True, check_same_thread=False)
    conn.create_function("eloqua_time", 2, _eloqua_time, deterministic=True)
    conn.create_function("eloqua_valid", 2, _eloqua_valid, deterministic=True)
    conn.create_function("eloqua_email", 1, _eloqua_email, deterministic=True)
    conn.create_function("eloqua_staged", 2, _eloqua_staged, deterministic=True)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    # the temporary tables of a sync (a chunk of import rows, sync-action targets) stay in
    # memory; set once here, as SQLite refuses to change it inside a transaction once the
    # temporary schema is open
    conn.execute("PRAGMA temp_store = MEMORY")
    if path != MEMORY and not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        # the store's checkpointer copies the log back once it passes WAL_BYTES, off the
        # writer (Store.checkpoints); the writer's own checkpoint, at ~160 MB, is a backstop
        # should that fall behind; a log that restarts is cut back to WAL_BYTES
        conn.execute("PRAGMA wal_autocheckpoint = 40000")
        conn.execute(f"PRAGMA journal_size_limit = {WAL_BYTES}")
    return conn


def interrupted(exc: BaseException) -> bool:
    """Whether SQLite stopped a statement because the store's progress handler said so
    (``Store.write_bounded``)."""
    return (
        isinstance(exc, sqlite3.OperationalError)
        and getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT
    )


def _eloqua_time(iso: str | None, utc: int) -> str:
    """SQL ``eloqua_time(created_at, utc)``: a stored timestamp as exports show it."""
    return "" if not iso else timestamps.export_form(iso, utc=bool(utc))


def _eloqua_valid(data_type: str, value: str) -> int:
    """SQL ``eloqua_valid(dataType, text)``: 1 when the value fits the field."""
    return int(values.valid(data_type, value))


def _eloqua_email(value: str) -> int:
    """SQL ``eloqua_email(text)``: 1 when a non-empty value is an e-mail address."""
    return int(values.email(value))


def _eloqua_staged(data: str, key: str) -> str | None:
    """SQL ``eloqua_staged(row JSON, key)``: the row's value for ``key`` as text, NULL when
    the row has no such key. For keys a JSON path cannot name."""
    row = orjson.loads(data)
    return values.text(row[key]) if key in row else None


def open_database(path: str, *, readonly: bool = False) -> sqlite_utils.Database:
    return sqlite_utils.Database(connect(path, readonly=readonly))
