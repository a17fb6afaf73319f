"""Sites, users and OAuth tokens: rows in, rows out.

Tokens (access, refresh, authorization codes) are kept as their SHA-256 digest
(``core.redaction``), never in clear: a presented token is hashed and looked up, so a copy
of the database file signs no one in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from emulator.core.redaction import token_digest
from emulator.core.types import Principal


@dataclass(frozen=True)
class User:
    id: int
    site_id: int
    site_name: str
    username: str
    display_name: str
    first_name: str
    last_name: str
    email_address: str

    @property
    def principal(self) -> Principal:
        return Principal(self.site_id, self.site_name, self.id, self.username)


@dataclass(frozen=True)
class Token:
    token: str  # the token when inserted; read back, its digest (all the store keeps)
    kind: str
    user_id: int
    client_id: str
    redirect_uri: str | None
    expires_at: float


_USER_COLUMNS = """u.id, u.site_id, s.name, u.username, u.display_name, u.first_name,
    u.last_name, u.email_address"""


def find_site(db: sqlite_utils.Database, name: str) -> tuple[int, str] | None:
    row = db.execute("SELECT id, name FROM sites WHERE name = ? AND id > 0", [name]).fetchone()
    return (row[0], row[1]) if row else None


def site_name(db: sqlite_utils.Database, site_id: int) -> str:
    row = db.execute("SELECT name FROM sites WHERE id = ?", [site_id]).fetchone()
    return str(row[0]) if row else ""


def insert_site(db: sqlite_utils.Database, name: str, created_at: str) -> int:
    cursor = db.execute("INSERT INTO sites (name, created_at) VALUES (?, ?)", [name, created_at])
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def ensure_template_site(db: sqlite_utils.Database, created_at: str) -> None:
    """Site 0 holds the fixtures; it is never a caller's site."""
    db.execute("INSERT OR IGNORE INTO sites (id, name, created_at) VALUES (0, '', ?)", [created_at])


def find_user(db: sqlite_utils.Database, site_id: int, username: str) -> User | None:
    row = db.execute(
        f"SELECT {_USER_COLUMNS} FROM users u JOIN sites s ON s.id = u.site_id "
        "WHERE u.site_id = ? AND u.username = ?",
        [site_id, username],
    ).fetchone()
    return User(*row) if row else None


def user_by_id(db: sqlite_utils.Database, user_id: int) -> User | None:
    row = db.execute(
        f"SELECT {_USER_COLUMNS} FROM users u JOIN sites s ON s.id = u.site_id WHERE u.id = ?",
        [user_id],
    ).fetchone()
    return User(*row) if row else None


def insert_user(db: sqlite_utils.Database, site_id: int, profile: dict[str, Any]) -> int:
    cursor = db.execute(
        "INSERT INTO users (site_id, username, display_name, first_name, last_name, "
        "email_address, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            site_id,
            profile["username"],
            profile["displayName"],
            profile["firstName"],
            profile["lastName"],
            profile["emailAddress"],
            profile["createdAt"],
        ],
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def insert_token(db: sqlite_utils.Database, token: Token) -> None:
    db.execute(
        "INSERT INTO tokens (token, kind, user_id, client_id, redirect_uri, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            token_digest(token.token),
            token.kind,
            token.user_id,
            token.client_id,
            token.redirect_uri,
            token.expires_at,
        ],
    )


def find_token(db: sqlite_utils.Database, token: str, kind: str) -> Token | None:
    row = db.execute(
        "SELECT token, kind, user_id, client_id, redirect_uri, expires_at FROM tokens "
        "WHERE token = ? AND kind = ?",
        [token_digest(token), kind],
    ).fetchone()
    return Token(*row) if row else None


def delete_token(db: sqlite_utils.Database, token: str) -> None:
    db.execute("DELETE FROM tokens WHERE token = ?", [token_digest(token)])


def purge_expired_tokens(db: sqlite_utils.Database, now: float) -> None:
    db.execute("DELETE FROM tokens WHERE expires_at <= ?", [now])


def count_sites(db: sqlite_utils.Database) -> int:
    row = db.execute("SELECT count(*) FROM sites WHERE id > 0").fetchone()
    return int(row[0])
