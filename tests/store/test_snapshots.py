"""Snapshot files hold everything the store holds, so they are their owner's alone."""

from __future__ import annotations

import stat
from pathlib import Path

from emulator.store import Store, snapshots
from tests.store.test_db import AWKWARD, usual_umask


def test_a_snapshot_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    store = Store(str(tmp_path / AWKWARD))
    shelf = snapshots.Shelf(None, store.path)  # beside the database: "<db>.snapshots"
    try:
        with usual_umask():
            taken = store.read_sync(snapshots.save, shelf, "baseline", "2027-01-15T08:00:00Z")
        path = shelf.path("baseline")
        assert path.parent == tmp_path / (AWKWARD + ".snapshots")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert snapshots.describe(shelf, "baseline") == taken
        assert taken.format_version is not None
        assert store.exclusive_sync(snapshots.restore, shelf, "baseline") == taken
    finally:
        shelf.close()
        store.close()
