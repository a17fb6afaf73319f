"""What a person sees on the dashboard, gathered from the store in one read."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from emulator.core import constraints, timestamps
from emulator.core.errors import Failure, NotFound
from emulator.domain import timeline
from emulator.store import dashboard, identity

# Enough to see what a test run did; the Bulk API pages the rest.
PER_SITE = 50
REJECTS = 100


def overview(db: sqlite_utils.Database, per_site: int = PER_SITE) -> list[dict[str, Any]]:
    """Each site with its newest definitions, waiting uploads and syncs."""
    found = dashboard.sites(db)
    for site in found:
        site["definitionList"] = dashboard.definitions(db, site["id"], per_site)
        site["stagedFileList"] = dashboard.staged_files(db, site["id"], per_site)
        site["syncList"] = dashboard.syncs(db, site["id"], per_site)
    return found


def acoustic(db: sqlite_utils.Database, limit: int = PER_SITE) -> dict[str, Any]:
    """The Acoustic side: its BEX job definitions, newest first, with their last and next
    rotations, the files the rotations wrote, and how many events there are to export."""
    jobs = dashboard.acoustic_jobs(db, limit)
    for job in jobs:
        job["created"] = timestamps.from_epoch(job.pop("createdEpoch"))
        job["nextRotation"] = timestamps.from_epoch(job.pop("nextRotationEpoch"))
        last = job.pop("lastRotationEpoch")
        job["lastRotation"] = None if last is None else timestamps.from_epoch(last)
    files = dashboard.acoustic_files(db, limit)
    for file in files:
        file["rotatedAt"] = timestamps.from_epoch(file.pop("rotatedEpoch"))
    return {"jobs": jobs, "files": files, "events": dashboard.acoustic_events(db)}


def sync_detail(db: sqlite_utils.Database, site: str, sync_id: int) -> dict[str, Any]:
    """One sync with its timeline, logs and first rejects; 404 for an unknown site or
    sync."""
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, site)])
    site_id, name = found
    listed = dashboard.syncs(db, site_id, 1, only=sync_id)
    if not listed:
        raise NotFound.resource(f"/syncs/{sync_id}")
    return {
        "site": name,
        "sync": listed[0],
        "logs": dashboard.sync_logs(db, site_id, sync_id),
        "rejects": dashboard.sync_rejects(db, site_id, sync_id, REJECTS),
        "timeline": timeline.timeline(db, name, sync_id)["events"],
    }
