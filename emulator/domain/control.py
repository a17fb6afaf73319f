"""What the control plane does to the store."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from emulator import seed
from emulator.store import identity, sites


def reset(db: sqlite_utils.Database, fixtures: Path, now: float) -> None:
    sites.clear_everything(db)
    seed.ensure_loaded(db, fixtures, now)


def summary(db: sqlite_utils.Database) -> dict[str, object]:
    return {"sites": identity.count_sites(db), "fixtures": sites.get_meta(db, seed.DIGEST_KEY)}
