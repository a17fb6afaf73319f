"""Opening SQLite the way the store needs it."""

from __future__ import annotations

import sqlite3

import orjson
import sqlite_utils

from emulator.core import timestamps, values
from emulator.core.config import MEMORY

__all__ = ["MEMORY", "connect", "open_database"]


def connect(path: str, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection usable from worker threads, with the store's pragmas.

    Files run in WAL mode so readers never wait for the writer; ``:memory:`` has a single
    connection that the store serialises.
    """
    if readonly and path != MEMORY:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
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
        # a sync commits every chunk: checkpoint the log every ~40 MB rather than every
        # 4 MB, so a long sync does not copy each chunk's pages back on its own
        conn.execute("PRAGMA wal_autocheckpoint = 10000")
    return conn


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
