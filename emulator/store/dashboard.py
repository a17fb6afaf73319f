"""What the dashboard shows, read in a few bounded queries: sites with their sizes, the
newest definitions, staged files and syncs, and one sync's logs and rejects."""

from __future__ import annotations

from typing import Any

import orjson
import sqlite_utils

from emulator.store import tables


def sites(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every site but the fixtures template (site 0), with what it holds."""
    rows = db.execute(
        f"""
        SELECT s.id, s.name, s.created_at,
            (SELECT count(*) FROM {tables.CONTACTS.name} WHERE site_id = s.id),
            (SELECT count(*) FROM definitions WHERE site_id = s.id),
            (SELECT count(*) FROM syncs WHERE site_id = s.id),
            (SELECT count(*) FROM staged_files WHERE site_id = s.id AND sync_id IS NULL)
        FROM sites s WHERE s.id != 0 ORDER BY s.id
        """
    ).fetchall()
    keys = ("id", "name", "createdAt", "contacts", "definitions", "syncs", "stagedFiles")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def definitions(db: sqlite_utils.Database, site_id: int, limit: int) -> list[dict[str, Any]]:
    """The newest definitions of a site, as their ``uri`` and ``name``."""
    rows = db.execute(
        "SELECT kind, family, id, json_extract(item, '$.uri'), json_extract(item, '$.name') "
        "FROM definitions WHERE site_id = ? ORDER BY rowid DESC LIMIT ?",
        [site_id, limit],
    ).fetchall()
    keys = ("kind", "family", "id", "uri", "name")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def staged_files(db: sqlite_utils.Database, site_id: int, limit: int) -> list[dict[str, Any]]:
    """Uploads waiting for a sync (``sync_id`` unset), newest first."""
    rows = db.execute(
        "SELECT id, kind, definition_id, rows, bytes, created_at, expires_at FROM staged_files "
        "WHERE site_id = ? AND sync_id IS NULL ORDER BY id DESC LIMIT ?",
        [site_id, limit],
    ).fetchall()
    keys = ("id", "kind", "definitionId", "rows", "bytes", "createdEpoch", "expiresEpoch")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def syncs(
    db: sqlite_utils.Database, site_id: int, limit: int, only: int | None = None
) -> list[dict[str, Any]]:
    """The newest syncs of a site (or just sync ``only``) with how many log lines and
    rejects each has."""
    rows = db.execute(
        """
        SELECT s.id, s.synced_instance_uri, s.status, s.created_at, s.started_at, s.ended_at,
            s.created_by,
            (SELECT count(*) FROM sync_logs l WHERE l.site_id = s.site_id AND l.sync_id = s.id),
            (SELECT count(*) FROM sync_rejects r
                WHERE r.site_id = s.site_id AND r.sync_id = s.id)
        FROM syncs s WHERE s.site_id = ? AND (? IS NULL OR s.id = ?)
        ORDER BY s.id DESC LIMIT ?
        """,
        [site_id, only, only, limit],
    ).fetchall()
    keys = (
        "id",
        "syncedInstanceUri",
        "status",
        "createdAt",
        "syncStartedAt",
        "syncEndedAt",
        "createdBy",
        "logs",
        "rejects",
    )
    return [dict(zip(keys, row, strict=True)) for row in rows]


def sync_logs(db: sqlite_utils.Database, site_id: int, sync_id: int) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT severity, status_code, message, count, created_at FROM sync_logs "
        "WHERE site_id = ? AND sync_id = ? ORDER BY seq",
        [site_id, sync_id],
    ).fetchall()
    keys = ("severity", "statusCode", "message", "count", "createdAt")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def sync_rejects(
    db: sqlite_utils.Database, site_id: int, sync_id: int, limit: int
) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT item FROM sync_rejects WHERE site_id = ? AND sync_id = ? "
        "ORDER BY record_index LIMIT ?",
        [site_id, sync_id, limit],
    ).fetchall()
    return [orjson.loads(row[0]) for row in rows]


def acoustic_jobs(db: sqlite_utils.Database, limit: int) -> list[dict[str, Any]]:
    """The newest Acoustic BEX job definitions (``emulator/acoustic``'s tables): what they
    export, where, and when they rotated (``lastRotation`` None: never) and rotate next."""
    rows = db.execute(
        """
        SELECT j.id, j.contact_source_id, s.name, j.ftp_user_id, j.job_frequency,
            j.export_file_format, j.export_file_name, j.event_types, j.mailing_types, j.columns,
            j.created_at, j.last_rotation_at + j.job_frequency * 3600,
            (SELECT max(r.rotated_at) FROM acoustic_rotations r WHERE r.job_id = j.id),
            (SELECT count(*) FROM acoustic_rotations r
                WHERE r.job_id = j.id AND r.name IS NOT NULL)
        FROM acoustic_job_definitions j
        LEFT JOIN acoustic_contact_sources s ON s.id = j.contact_source_id
        ORDER BY j.id DESC LIMIT ?
        """,
        [limit],
    ).fetchall()
    keys = (
        "id",
        "contactSourceId",
        "database",
        "ftpUserId",
        "jobFrequency",
        "exportFileFormat",
        "exportFileName",
        "eventTypes",
        "mailingTypes",
        "columns",
        "createdEpoch",
        "nextRotationEpoch",
        "lastRotationEpoch",
        "files",
    )
    found = [dict(zip(keys, row, strict=True)) for row in rows]
    for job in found:
        for key in ("eventTypes", "mailingTypes", "columns"):
            job[key] = orjson.loads(job[key])
    return found


def acoustic_files(db: sqlite_utils.Database, limit: int) -> list[dict[str, Any]]:
    """The newest files BEX rotations wrote."""
    rows = db.execute(
        "SELECT job_id, ftp_user_id, name, file_format, rows, size, rotated_at, trigger "
        "FROM acoustic_rotations WHERE name IS NOT NULL ORDER BY id DESC LIMIT ?",
        [limit],
    ).fetchall()
    keys = ("jobId", "ftpUserId", "name", "format", "rows", "bytes", "rotatedEpoch", "trigger")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def acoustic_events(db: sqlite_utils.Database) -> int:
    """How many e-mail events the Acoustic databases hold."""
    return int(db.execute("SELECT count(*) FROM acoustic_events").fetchone()[0])
