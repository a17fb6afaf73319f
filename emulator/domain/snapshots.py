"""Named snapshots of the emulator's state (``/_emulator/snapshots``): take one, list
them, put one back, delete one (``store.snapshots`` does the copying).

A snapshot holds every site, user, token, record, definition, staged file and sync; the
clock is not in it (it never goes back) and neither are the poll counts or the signed-in
headers, which a restore forgets. Names are checked here and are never paths.
"""

from __future__ import annotations

import re

import sqlite_utils

from emulator.core import constraints, timestamps
from emulator.core.errors import Conflict, Failure, NotFound, ValidationFailed
from emulator.core.types import JSONObject
from emulator.store import snapshots as stored
from emulator.store.snapshots import Shelf

NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def check_name(name: str) -> str:
    """A name of 1 to 64 letters, digits, ``.``, ``_`` and ``-``, not only dots."""
    if not NAME.fullmatch(name) or not name.strip("."):
        raise ValidationFailed([Failure("name", constraints.SNAPSHOT_NAME, name)])
    return name


def take(db: sqlite_utils.Database, shelf: Shelf, name: str, now: float) -> JSONObject:
    """Save the state ``db`` sees (run as a read: one read transaction) as ``name``,
    replacing a snapshot of that name."""
    return shown(stored.save(db, shelf, check_name(name), timestamps.from_epoch(now)))


def restore(db: sqlite_utils.Database, shelf: Shelf, name: str) -> JSONObject:
    """Put the snapshot back (run on the writer, outside any transaction:
    ``Store.exclusive``). 404 for an unknown name; 409 for a snapshot of another store
    format or a file that is not a snapshot, and then nothing changes."""
    try:
        restored = stored.restore(db, shelf, check_name(name))
    except FileNotFoundError:
        raise _unknown(name) from None
    except stored.OtherFormat as exc:
        text = constraints.SNAPSHOT_VERSION.format(found=exc.found, expected=exc.expected)
        raise Conflict([Failure("name", text, name)]) from None
    except stored.Unreadable as exc:
        text = constraints.SNAPSHOT_UNREADABLE.format(reason=exc)
        raise Conflict([Failure("name", text, name)]) from None
    return shown(restored)


def listing(shelf: Shelf) -> JSONObject:
    """Every snapshot in the directory, by name."""
    items = []
    for name in shelf.names():
        try:
            items.append(shown(stored.describe(shelf, name)))
        except FileNotFoundError:  # deleted meanwhile
            continue
    return {"directory": str(shelf.directory), "items": items}


def delete(shelf: Shelf, name: str) -> None:
    if not shelf.delete(check_name(name)):
        raise _unknown(name)


def shown(snapshot: stored.Snapshot) -> JSONObject:
    return {
        "name": snapshot.name,
        "size": snapshot.size,
        "createdAt": snapshot.created_at,
        "formatVersion": snapshot.format_version,
    }


def _unknown(name: str) -> NotFound:
    return NotFound([Failure("name", constraints.SNAPSHOT_UNKNOWN, name)])
