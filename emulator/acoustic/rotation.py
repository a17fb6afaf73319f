"""BEX rotations: every ``jobFrequency`` hours "the rotation job will be run and all tmp
files will be rotated and exported" (reference §6). Here a rotation writes one file of the
events of the job's database that arrived since its previous rotation, of the job's event
and mailing types, with its custom columns, into the FTP folder of its ``ftpUserId``.

When rotations happen: every ``jobFrequency`` hours of the emulator's clock after the
previous one (the first, that long after the definition was created), so moving the clock
(``POST /_emulator/clock/advance``) past a rotation time writes its file before the clock's
answer returns; the :class:`Rotator` also looks every second, for time that passes by
itself. ``POST /_emulator/acoustic/jobs/{id}/rotate`` rotates at once, and the schedule
goes on from then. A clock that jumps past several rotation times writes one file for
each (the events in the first), up to :data:`CATCH_UP_MAX`; the schedule resumes at the
last.

Where the emulator differs: a job's first file also holds the events its database had
before the job was defined (the seeded ones among them), so a test needs only to define a
job and rotate; a rotation with no events writes a file with the header alone (a
``Settings.acoustic_empty_files`` switch turns that off).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import sqlite_utils

from emulator.acoustic import store
from emulator.acoustic.core import files as shapes
from emulator.acoustic.core import messages as m
from emulator.acoustic.files import FtpRoot
from emulator.core.errors import Failure, NotFound
from emulator.store import Store

log = logging.getLogger("emulator.acoustic")

HOUR = 3600.0
CATCH_UP_MAX = 1000  # files one job writes for one jump of the clock
LOOK_EVERY = 1.0  # seconds between two looks for rotations due
SCHEDULE = "schedule"
MANUAL = "manual"
FILES_PATH = "/_emulator/acoustic/files"


def rotate_now(
    db: sqlite_utils.Database, ftp: FtpRoot, job_id: int, now: float, empty_files: bool = True
) -> dict[str, Any]:
    """Rotate a job at once; the rotation as the control plane shows it. 404 for an
    unknown job."""
    job = store.job(db, job_id)
    if job is None:
        raise NotFound([Failure("id", m.ROTATE_JOB_UNKNOWN, job_id)])
    done = _rotate(db, ftp, job, now, MANUAL, store.newest_event_id(db), empty_files)
    store.set_last_rotation(db, job.id, now)
    return view(done)


def rotate_due(
    db: sqlite_utils.Database, ftp: FtpRoot, job_id: int, now: float, empty_files: bool = True
) -> list[store.Rotation]:
    """The rotations of one job due by ``now`` (none when another writer did them)."""
    job = store.job(db, job_id)
    if job is None:
        return []
    period = job.job_frequency * HOUR
    slots = int((now - job.last_rotation_at) // period)
    if slots <= 0:
        return []
    through = store.newest_event_id(db)
    done = [
        _rotate(db, ftp, job, job.last_rotation_at + k * period, SCHEDULE, through, empty_files)
        for k in range(1, min(slots, CATCH_UP_MAX) + 1)
    ]
    if slots > CATCH_UP_MAX:
        log.warning("job %s: %d rotation times passed, %d written", job.id, slots, CATCH_UP_MAX)
    store.set_last_rotation(db, job.id, job.last_rotation_at + slots * period)
    return done


def _rotate(
    db: sqlite_utils.Database,
    ftp: FtpRoot,
    job: store.JobDefinition,
    at: float,
    trigger: str,
    through: int,
    empty_files: bool,
) -> store.Rotation:
    after = store.exported_through(db, job.id)
    through = max(through, after)
    source = store.contact_source(db, job.contact_source_id)
    database_id = job.contact_source_id if source is None else source.database_id
    rows = _rows(db, job, database_id, after, through)
    first = next(rows, None)
    name: str | None = None
    count = size = 0
    if first is not None or empty_files:
        wanted = shapes.file_name(
            job.export_file_name, job.channel, at, job.job_frequency, job.export_file_format
        )
        body = rows if first is None else _chain(first, rows)
        written = ftp.write(
            job.ftp_user_id, wanted, job.export_file_format, shapes.header(job.columns), body
        )
        name, count, size = written.name, written.rows, written.size
    rotation_id = store.insert_rotation(
        db, job, database_id, at, trigger, through, name, count, size
    )
    found = store.rotation(db, rotation_id)
    assert found is not None
    return found


def _rows(
    db: sqlite_utils.Database, job: store.JobDefinition, database_id: int, after: int, through: int
) -> Iterator[list[str]]:
    for event in store.export_rows(
        db, database_id, after, through, job.event_types, job.mailing_types
    ):
        yield shapes.row(
            event_id=event.event_id,
            email=event.email,
            recipient_id=event.recipient_id,
            code=event.code,
            mailing_type=event.mailing_type,
            at=event.at,
            detail=event.detail,
            contact_fields=event.contact_fields,
            custom_columns=job.columns,
        )


def _chain(first: list[str], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield first
    yield from rest


def view(rotation: store.Rotation) -> dict[str, Any]:
    """A rotation as the control plane shows it, with the file it wrote (or ``null``)."""
    return {
        "rotationId": rotation.id,
        "jobId": rotation.job_id,
        "databaseId": rotation.database_id,
        "rotatedAt": shapes.timestamp(rotation.rotated_at),
        "trigger": rotation.trigger,
        "file": None if rotation.name is None else file_view(rotation),
    }


def file_view(rotation: store.Rotation) -> dict[str, Any]:
    assert rotation.name is not None
    return {
        "jobId": rotation.job_id,
        "ftpUserId": rotation.ftp_user_id,
        "name": rotation.name,
        "path": f"{rotation.ftp_user_id}/download/{rotation.name}",
        "format": rotation.file_format,
        "rows": rotation.rows,
        "size": rotation.size,
        "rotatedAt": shapes.timestamp(rotation.rotated_at),
        "trigger": rotation.trigger,
        "url": f"{FILES_PATH}/{_quote(rotation.ftp_user_id)}/{_quote(rotation.name)}",
    }


def _quote(segment: str) -> str:
    return quote(segment, safe="@")


def listing(db: sqlite_utils.Database, job_id: int | None = None) -> dict[str, Any]:
    """Every file rotations wrote (of one job), newest first."""
    items = [file_view(r) for r in store.written_files(db, job_id)]
    return {"items": items, "count": len(items)}


def find_file(db: sqlite_utils.Database, ftp: FtpRoot, user: str, name: str) -> tuple[Path, str]:
    """The path and format of a file a rotation wrote; 404 for any other name, or a file
    since removed from the folder."""
    rotation = store.written_file(db, user, name)
    if rotation is None:
        raise NotFound([Failure("name", m.FILE_UNKNOWN, f"{user}/{name}")])
    path = ftp.path(user, name)
    if path is None:
        raise NotFound([Failure("name", m.FILE_GONE, f"{user}/{name}")])
    return path, rotation.file_format


class Rotator:
    """Writes the rotations that fall due: when told the clock moved (:meth:`rotate_due`
    is awaited), and every :data:`LOOK_EVERY` seconds. Each job's rotations are one write,
    so a failure leaves other jobs and other writes alone."""

    def __init__(
        self,
        db: Store,
        ftp: FtpRoot,
        clock: Callable[[], float],
        empty_files: bool = True,
        every: float = LOOK_EVERY,
    ) -> None:
        self.db = db
        self.ftp = ftp
        self.clock = clock
        self.empty_files = empty_files
        self.every = every

    async def run(self) -> None:
        while True:
            try:
                await self.rotate_due()
            except Exception:  # the next look tries again; the app goes on
                log.exception("looking for BEX rotations due failed")
            await anyio.sleep(self.every)

    async def rotate_due(self) -> int:
        """Every rotation due now; how many were written."""
        now = self.clock()
        written = 0
        for job_id in await self.db.read(store.due_jobs, now):
            try:
                done = await self.db.write(rotate_due, self.ftp, job_id, now, self.empty_files)
            except Exception:  # one job's failure (a folder it cannot write) stops no other
                log.exception("the rotation of BEX job %s failed", job_id)
                continue
            written += len(done)
        return written
