"""All of the Acoustic service's SQL: rows in, rows out, no rules.

The tables (``acoustic_*``, migrations ``m018``/``m019`` in ``emulator/store/migrations``)
know no Eloqua site: an Acoustic org is found from the caller's access token. Refresh and
access tokens are kept as their SHA-256 digest (``core.redaction``): functions take the
token itself and hash it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator.core.redaction import token_digest

# What the fixtures give (emptied and loaded again when they change); the rest is what
# clients create.
SEEDED = (
    "acoustic_events",  # of the seeded contacts; the fixtures hold some
    "acoustic_refresh_tokens",
    "acoustic_applications",
    "acoustic_contacts",
    "acoustic_columns",
    "acoustic_contact_sources",
    "acoustic_users",
    "acoustic_orgs",
)
_LIKE_PREFIX = "acoustic\\_%"  # every table named acoustic_*


@dataclass(frozen=True)
class User:
    id: int
    org_id: int
    email: str
    is_org_admin: bool
    has_ftp_folder: bool


@dataclass(frozen=True)
class Caller:
    """The user an access token belongs to, and its org."""

    user: User
    bex_enabled: bool
    expires_at: float


@dataclass(frozen=True)
class ContactSource:
    id: int
    org_id: int
    name: str
    kind: str  # core.rules.SOURCE_KINDS
    database_id: int  # its own id for a database; the parent database of a list or query


@dataclass(frozen=True)
class Contact:
    id: int  # RECIPIENT_ID
    email: str
    fields: dict[str, Any]  # custom column name → value


@dataclass(frozen=True)
class JobDefinition:
    """A stored definition; ``definition`` is the JSON text GET answers."""

    id: int
    org_id: int
    contact_source_id: int
    ftp_user_id: str
    channel: str
    job_frequency: int
    export_file_format: str
    export_file_name: str
    event_types: list[str]  # [] means every type
    mailing_types: list[str]  # [] means every type
    columns: list[str]  # custom columns in columnOrder
    definition: str
    created_at: float
    updated_at: float
    last_rotation_at: float


@dataclass(frozen=True)
class JobFields:
    """What a create or a replace writes."""

    org_id: int
    contact_source_id: int
    ftp_user_id: str
    channel: str
    job_frequency: int
    export_file_format: str
    export_file_name: str
    event_types: list[str]
    mailing_types: list[str]
    columns: list[str]


# --- reset and seed


def acoustic_tables(db: sqlite_utils.Database) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\' "
            "ORDER BY name",
            [_LIKE_PREFIX],
        ).fetchall()
    ]


def clear(db: sqlite_utils.Database) -> None:
    """Every Acoustic row (those of tables added later too), and the id counters: after a
    full reset the first job definition is 1 again."""
    tables = acoustic_tables(db)
    for table in tables:
        db.execute(f"DELETE FROM {table}")
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        db.execute(
            f"DELETE FROM sqlite_sequence WHERE name IN ({', '.join('?' for _ in tables)})", tables
        )


def clear_seeded(db: sqlite_utils.Database) -> None:
    for table in SEEDED:
        db.execute(f"DELETE FROM {table}")


def insert_orgs(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO acoustic_orgs (id, name, bex_enabled) VALUES (:id, :name, :bex_enabled)",
        list(rows),
    )


def insert_applications(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO acoustic_applications (client_id, org_id, client_secret, name) "
        "VALUES (:client_id, :org_id, :client_secret, :name)",
        list(rows),
    )


def insert_users(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO acoustic_users (id, org_id, email, is_org_admin, has_ftp_folder) "
        "VALUES (:id, :org_id, :email, :is_org_admin, :has_ftp_folder)",
        list(rows),
    )


def insert_refresh_tokens(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO acoustic_refresh_tokens (token, client_id, user_id, revoked) "
        "VALUES (:token, :client_id, :user_id, :revoked)",
        [{**row, "token": token_digest(row["token"])} for row in rows],
    )


def insert_contact_sources(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO acoustic_contact_sources (id, org_id, name, kind, database_id) "
        "VALUES (:id, :org_id, :name, :kind, :database_id)",
        list(rows),
    )


def insert_columns(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO acoustic_columns (database_id, name, position, type) "
        "VALUES (:database_id, :name, :position, :type)",
        list(rows),
    )


def insert_contacts(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> None:
    db.conn.executemany(
        "INSERT INTO acoustic_contacts (database_id, id, email, fields) "
        "VALUES (:database_id, :id, :email, :fields)",
        [{**row, "fields": orjson.dumps(row["fields"]).decode()} for row in rows],
    )


# --- applications, refresh and access tokens


def client_secret(db: sqlite_utils.Database, client_id: str) -> str | None:
    row = db.execute(
        "SELECT client_secret FROM acoustic_applications WHERE client_id = ?", [client_id]
    ).fetchone()
    return None if row is None else str(row[0])


def refresh_grant(db: sqlite_utils.Database, token: str, client_id: str) -> int | None:
    """The user a live refresh token of this application acts for."""
    row = db.execute(
        "SELECT user_id FROM acoustic_refresh_tokens "
        "WHERE token = ? AND client_id = ? AND revoked = 0",
        [token_digest(token), client_id],
    ).fetchone()
    return None if row is None else int(row[0])


def latest_access(
    db: sqlite_utils.Database, client_id: str, user_id: int
) -> tuple[str, float, float] | None:
    """``(digest, issued_at, expires_at)`` of the newest access token of this pair."""
    row = db.execute(
        "SELECT token, issued_at, expires_at FROM acoustic_access_tokens "
        "WHERE client_id = ? AND user_id = ? ORDER BY issued_at DESC LIMIT 1",
        [client_id, user_id],
    ).fetchone()
    return None if row is None else (str(row[0]), float(row[1]), float(row[2]))


def insert_access(
    db: sqlite_utils.Database,
    token: str,
    client_id: str,
    user_id: int,
    issued_at: float,
    expires_at: float,
) -> None:
    db.execute(
        "INSERT INTO acoustic_access_tokens (token, client_id, user_id, issued_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [token_digest(token), client_id, user_id, issued_at, expires_at],
    )


def forget_expired(db: sqlite_utils.Database, now: float) -> None:
    db.execute("DELETE FROM acoustic_access_tokens WHERE expires_at <= ?", [now])


def caller(db: sqlite_utils.Database, token: str) -> Caller | None:
    row = db.execute(
        "SELECT u.id, u.org_id, u.email, u.is_org_admin, u.has_ftp_folder, o.bex_enabled, "
        "t.expires_at FROM acoustic_access_tokens t "
        "JOIN acoustic_users u ON u.id = t.user_id "
        "JOIN acoustic_orgs o ON o.id = u.org_id WHERE t.token = ?",
        [token_digest(token)],
    ).fetchone()
    if row is None:
        return None
    user = User(int(row[0]), int(row[1]), str(row[2]), bool(row[3]), bool(row[4]))
    return Caller(user, bool(row[5]), float(row[6]))


# --- users, contact sources, columns, contacts


def user_by_email(db: sqlite_utils.Database, email: str) -> User | None:
    """A user of any org, by login (case-insensitive, as e-mail addresses are)."""
    row = db.execute(
        "SELECT id, org_id, email, is_org_admin, has_ftp_folder FROM acoustic_users "
        "WHERE email = ?",
        [email],
    ).fetchone()
    if row is None:
        return None
    return User(int(row[0]), int(row[1]), str(row[2]), bool(row[3]), bool(row[4]))


def contact_source(db: sqlite_utils.Database, source_id: int) -> ContactSource | None:
    row = db.execute(
        "SELECT id, org_id, name, kind, database_id FROM acoustic_contact_sources WHERE id = ?",
        [source_id],
    ).fetchone()
    if row is None:
        return None
    return ContactSource(int(row[0]), int(row[1]), str(row[2]), str(row[3]), int(row[4]))


def contact_sources(db: sqlite_utils.Database, org_id: int | None = None) -> list[ContactSource]:
    """Every contact source of an org (of every org with ``None``), by id."""
    rows = db.execute(
        "SELECT id, org_id, name, kind, database_id FROM acoustic_contact_sources "
        "WHERE ? IS NULL OR org_id = ? ORDER BY id",
        [org_id, org_id],
    ).fetchall()
    return [ContactSource(int(r[0]), int(r[1]), str(r[2]), str(r[3]), int(r[4])) for r in rows]


def column_names(db: sqlite_utils.Database, database_id: int) -> list[str]:
    """A database's custom columns, in their order."""
    rows = db.execute(
        "SELECT name FROM acoustic_columns WHERE database_id = ? ORDER BY position, name",
        [database_id],
    ).fetchall()
    return [str(r[0]) for r in rows]


def contacts(db: sqlite_utils.Database, database_id: int) -> list[Contact]:
    rows = db.execute(
        "SELECT id, email, fields FROM acoustic_contacts WHERE database_id = ? ORDER BY id",
        [database_id],
    ).fetchall()
    return [Contact(int(r[0]), str(r[1]), orjson.loads(r[2])) for r in rows]


def contact(db: sqlite_utils.Database, database_id: int, contact_id: int) -> Contact | None:
    row = db.execute(
        "SELECT id, email, fields FROM acoustic_contacts WHERE database_id = ? AND id = ?",
        [database_id, contact_id],
    ).fetchone()
    return None if row is None else Contact(int(row[0]), str(row[1]), orjson.loads(row[2]))


# --- job definitions

_JOB_COLUMNS = (
    "id, org_id, contact_source_id, ftp_user_id, channel, job_frequency, export_file_format, "
    "export_file_name, event_types, mailing_types, columns, definition, created_at, "
    "updated_at, last_rotation_at"
)


def _job(row: Any) -> JobDefinition:
    return JobDefinition(
        id=int(row[0]),
        org_id=int(row[1]),
        contact_source_id=int(row[2]),
        ftp_user_id=str(row[3]),
        channel=str(row[4]),
        job_frequency=int(row[5]),
        export_file_format=str(row[6]),
        export_file_name=str(row[7]),
        event_types=orjson.loads(row[8]),
        mailing_types=orjson.loads(row[9]),
        columns=orjson.loads(row[10]),
        definition=str(row[11]),
        created_at=float(row[12]),
        updated_at=float(row[13]),
        last_rotation_at=float(row[14]),
    )


def _values(fields: JobFields) -> list[Any]:
    return [
        fields.org_id,
        fields.contact_source_id,
        fields.ftp_user_id,
        fields.channel,
        fields.job_frequency,
        fields.export_file_format,
        fields.export_file_name,
        orjson.dumps(fields.event_types).decode(),
        orjson.dumps(fields.mailing_types).decode(),
        orjson.dumps(fields.columns).decode(),
    ]


def insert_job(db: sqlite_utils.Database, fields: JobFields, now: float) -> int:
    """A new definition (its JSON is written by :func:`set_job_definition` once the id is
    known); its id. Its first rotation window starts now."""
    cursor = db.execute(
        "INSERT INTO acoustic_job_definitions (org_id, contact_source_id, ftp_user_id, channel, "
        "job_frequency, export_file_format, export_file_name, event_types, mailing_types, "
        "columns, definition, created_at, updated_at, last_rotation_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)",
        [*_values(fields), now, now, now],
    )
    return int(cursor.lastrowid or 0)


def update_job(db: sqlite_utils.Database, job_id: int, fields: JobFields, now: float) -> None:
    """Replace a definition's fields; its rotation window goes on."""
    db.execute(
        "UPDATE acoustic_job_definitions SET org_id = ?, contact_source_id = ?, "
        "ftp_user_id = ?, channel = ?, job_frequency = ?, export_file_format = ?, "
        "export_file_name = ?, event_types = ?, mailing_types = ?, columns = ?, "
        "updated_at = ? WHERE id = ?",
        [*_values(fields), now, job_id],
    )


def set_job_definition(db: sqlite_utils.Database, job_id: int, definition: str) -> None:
    db.execute(
        "UPDATE acoustic_job_definitions SET definition = ? WHERE id = ?", [definition, job_id]
    )


def set_last_rotation(db: sqlite_utils.Database, job_id: int, at: float) -> None:
    db.execute(
        "UPDATE acoustic_job_definitions SET last_rotation_at = ? WHERE id = ?", [at, job_id]
    )


def delete_job(db: sqlite_utils.Database, job_id: int) -> bool:
    cursor = db.execute("DELETE FROM acoustic_job_definitions WHERE id = ?", [job_id])
    return cursor.rowcount > 0


def job(db: sqlite_utils.Database, job_id: int) -> JobDefinition | None:
    row = db.execute(
        f"SELECT {_JOB_COLUMNS} FROM acoustic_job_definitions WHERE id = ?", [job_id]
    ).fetchone()
    return None if row is None else _job(row)


def jobs(db: sqlite_utils.Database, org_id: int | None = None) -> list[JobDefinition]:
    """An org's definitions (every org's with ``None``), by id."""
    rows = db.execute(
        f"SELECT {_JOB_COLUMNS} FROM acoustic_job_definitions "
        "WHERE ? IS NULL OR org_id = ? ORDER BY id",
        [org_id, org_id],
    ).fetchall()
    return [_job(r) for r in rows]


def job_for_source(db: sqlite_utils.Database, contact_source_id: int) -> int | None:
    row = db.execute(
        "SELECT id FROM acoustic_job_definitions WHERE contact_source_id = ? ORDER BY id LIMIT 1",
        [contact_source_id],
    ).fetchone()
    return None if row is None else int(row[0])


# --- events, rotations and files (part B)


@dataclass(frozen=True)
class ExportRow:
    """One event with what its file row shows of its contact."""

    event_id: int
    recipient_id: int
    email: str
    contact_fields: dict[str, Any]
    code: str
    mailing_type: str
    at: float
    detail: dict[str, Any]


@dataclass(frozen=True)
class Rotation:
    """One rotation of a job, and the file it wrote (``name`` None: none)."""

    id: int
    job_id: int
    database_id: int
    ftp_user_id: str
    rotated_at: float
    trigger: str  # 'schedule' or 'manual'
    through_event_id: int
    name: str | None
    file_format: str
    rows: int
    size: int


_ROTATION_COLUMNS = (
    "id, job_id, database_id, ftp_user_id, rotated_at, trigger, through_event_id, name, "
    "file_format, rows, size"
)


def _rotation(row: Any) -> Rotation:
    return Rotation(
        int(row[0]),
        int(row[1]),
        int(row[2]),
        str(row[3]),
        float(row[4]),
        str(row[5]),
        int(row[6]),
        None if row[7] is None else str(row[7]),
        str(row[8]),
        int(row[9]),
        int(row[10]),
    )


def insert_event(
    db: sqlite_utils.Database,
    database_id: int,
    contact_id: int,
    code: str,
    mailing_type: str,
    at: float,
    recorded_at: float,
    detail: dict[str, str],
) -> int:
    """A new event; its id (the ``eventId``, in the order events arrive)."""
    cursor = db.execute(
        "INSERT INTO acoustic_events (database_id, contact_id, code, mailing_type, at, "
        "recorded_at, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            database_id,
            contact_id,
            code,
            mailing_type,
            at,
            recorded_at,
            orjson.dumps(detail).decode(),
        ],
    )
    return int(cursor.lastrowid or 0)


def newest_event_id(db: sqlite_utils.Database) -> int:
    row = db.execute("SELECT coalesce(max(id), 0) FROM acoustic_events").fetchone()
    return int(row[0])


def exported_through(db: sqlite_utils.Database, job_id: int) -> int:
    """The newest event a rotation of this job has covered (0 before its first)."""
    row = db.execute(
        "SELECT coalesce(max(through_event_id), 0) FROM acoustic_rotations WHERE job_id = ?",
        [job_id],
    ).fetchone()
    return int(row[0])


def export_rows(
    db: sqlite_utils.Database,
    database_id: int,
    after: int,
    through: int,
    codes: list[str],
    mailing_types: list[str],
    batch: int = 1000,
) -> Iterator[ExportRow]:
    """The events of a database with ids in ``(after, through]``, of these types (empty
    lists: every type), in order, read ``batch`` at a time."""
    cursor = db.execute(
        "SELECT e.id, e.contact_id, c.email, c.fields, e.code, e.mailing_type, e.at, e.detail "
        "FROM acoustic_events e JOIN acoustic_contacts c "
        "ON c.database_id = e.database_id AND c.id = e.contact_id "
        "WHERE e.database_id = :database AND e.id > :after AND e.id <= :through "
        "AND (json_array_length(:codes) = 0 OR e.code IN (SELECT value FROM json_each(:codes))) "
        "AND (json_array_length(:types) = 0 "
        "OR e.mailing_type IN (SELECT value FROM json_each(:types))) "
        "ORDER BY e.id",
        {
            "database": database_id,
            "after": after,
            "through": through,
            "codes": orjson.dumps(codes).decode(),
            "types": orjson.dumps(mailing_types).decode(),
        },
    )
    while rows := cursor.fetchmany(batch):
        for r in rows:
            yield ExportRow(
                int(r[0]),
                int(r[1]),
                str(r[2]),
                orjson.loads(r[3]),
                str(r[4]),
                str(r[5]),
                float(r[6]),
                orjson.loads(r[7]),
            )


def insert_rotation(
    db: sqlite_utils.Database,
    job: JobDefinition,
    database_id: int,
    rotated_at: float,
    trigger: str,
    through_event_id: int,
    name: str | None,
    rows: int,
    size: int,
) -> int:
    cursor = db.execute(
        "INSERT INTO acoustic_rotations (job_id, database_id, ftp_user_id, rotated_at, "
        "trigger, through_event_id, name, file_format, rows, size) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            job.id,
            database_id,
            job.ftp_user_id,
            rotated_at,
            trigger,
            through_event_id,
            name,
            job.export_file_format,
            rows,
            size,
        ],
    )
    return int(cursor.lastrowid or 0)


def rotation(db: sqlite_utils.Database, rotation_id: int) -> Rotation | None:
    row = db.execute(
        f"SELECT {_ROTATION_COLUMNS} FROM acoustic_rotations WHERE id = ?", [rotation_id]
    ).fetchone()
    return None if row is None else _rotation(row)


def written_files(
    db: sqlite_utils.Database, job_id: int | None = None, limit: int = -1
) -> list[Rotation]:
    """The rotations that wrote a file (of one job, or of all), newest first."""
    rows = db.execute(
        f"SELECT {_ROTATION_COLUMNS} FROM acoustic_rotations "
        "WHERE name IS NOT NULL AND (? IS NULL OR job_id = ?) ORDER BY id DESC LIMIT ?",
        [job_id, job_id, limit],
    ).fetchall()
    return [_rotation(r) for r in rows]


def written_file(db: sqlite_utils.Database, ftp_user_id: str, name: str) -> Rotation | None:
    """The rotation that wrote this file in this user's folder."""
    row = db.execute(
        f"SELECT {_ROTATION_COLUMNS} FROM acoustic_rotations "
        "WHERE ftp_user_id = ? AND name = ? ORDER BY id DESC LIMIT 1",
        [ftp_user_id, name],
    ).fetchone()
    return None if row is None else _rotation(row)


def due_jobs(db: sqlite_utils.Database, now: float) -> list[int]:
    """Definitions whose next rotation (``jobFrequency`` hours after their last) is due."""
    rows = db.execute(
        "SELECT id FROM acoustic_job_definitions "
        "WHERE last_rotation_at + job_frequency * 3600 <= ? ORDER BY id",
        [now],
    ).fetchall()
    return [int(r[0]) for r in rows]
