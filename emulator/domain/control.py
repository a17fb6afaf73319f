"""What the control plane does to the store."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from emulator import seed
from emulator.core import constraints
from emulator.core.errors import Failure, NotFound
from emulator.domain import syncs
from emulator.store import identity, records, sites


def reset(db: sqlite_utils.Database, fixtures: Path, now: float) -> None:
    sites.clear_everything(db)
    seed.ensure_loaded(db, fixtures, now)


def summary(db: sqlite_utils.Database) -> dict[str, object]:
    return {"sites": identity.count_sites(db), "fixtures": sites.get_meta(db, seed.DIGEST_KEY)}


def advance_sync(db: sqlite_utils.Database, site: str, sync_id: int) -> dict[str, object]:
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, site)])
    syncs.advance(db, found[0], sync_id)
    return {"site": found[1], "uri": f"/syncs/{sync_id}"}


def contact_state(db: sqlite_utils.Database, site: str, contact_id: int) -> dict[str, object]:
    """What sync actions changed on a contact that the Bulk API cannot show: e-mail group
    subscriptions (Oracle's Bulk API has no e-mail group field, filter or count)."""
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, site)])
    in_range = 0 < contact_id < 2**63
    state = records.contact_state(db, found[0], contact_id) if in_range else None
    if state is None:
        raise NotFound([Failure("id", constraints.CONTACT_UNKNOWN, contact_id)])
    return {"site": found[1], "id": contact_id, **state}


def opportunity_state(db: sqlite_utils.Database, site: str, external_id: str) -> dict[str, object]:
    """An opportunity as stored, with its linked contacts: the Bulk API imports
    opportunities but cannot export them."""
    site_id, name = _site(db, site)
    state = records.opportunity_state(db, site_id, external_id)
    if state is None:
        raise NotFound([Failure("id", constraints.OPPORTUNITY_UNKNOWN, external_id)])
    return {"site": name, **state}


def account_state(db: sqlite_utils.Database, site: str, account_id: int) -> dict[str, object]:
    """An account's fields and the Eloqua users linked to it (``linkUsers``), which no
    export shows."""
    site_id, name = _site(db, site)
    in_range = 0 < account_id < 2**63
    state = records.account_state(db, site_id, account_id) if in_range else None
    if state is None:
        raise NotFound([Failure("id", constraints.ACCOUNT_UNKNOWN, account_id)])
    return {"site": name, "id": account_id, **state}


def _site(db: sqlite_utils.Database, site: str) -> tuple[int, str]:
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, site)])
    return found[0], found[1]
