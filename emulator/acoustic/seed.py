"""Load ``fixtures/acoustic/`` into the Acoustic tables: orgs, applications, users, refresh
tokens, contact sources (databases with their columns, contact lists, queries) and the
databases' contacts.

As for Eloqua's fixtures (``emulator.seed``), a digest of the files is kept in ``meta``, so
a restart on a database file costs one hash, and changed fixtures replace what they gave
(job definitions stay). A full reset (``POST /_emulator/reset``) forgets every Acoustic row
and loads them again. A malformed file stops start-up with its path and what is wrong.

Files (JSON arrays, camelCase keys; ``contacts.jsonl`` one object a line):

* ``orgs.json``: ``{id, name, bexEnabled}``
* ``applications.json``: ``{clientId, clientSecret, orgId, name}``
* ``users.json``: ``{id, orgId, email, isOrgAdmin, hasFtpFolder}``
* ``refreshTokens.json``: ``{token, clientId, userId, revoked?}``
* ``contactSources.json``: ``{id, orgId, name, kind, databaseId?, columns?}``: ``kind`` is
  ``database``, ``contact_list`` or ``query``; a list or query names its ``databaseId``; a
  database lists its custom ``columns`` as ``{name, type}``, in order
* ``contacts.jsonl``: ``{databaseId, id, email, fields: {column: value}}``
* ``events.jsonl``: e-mail events of those contacts, one a line, in the shape
  ``POST /_emulator/acoustic/events`` takes (``acoustic.events``; ``core.events``)
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils

from emulator.acoustic import events, store
from emulator.acoustic.core import rules
from emulator.seed import FixtureError, read_json, read_jsonl
from emulator.store import sites

DIGEST_KEY = "acoustic_fixtures_digest"
FOLDER = "acoustic"  # below the fixtures directory (--fixtures)


def directory_of(fixtures: Path) -> Path:
    return fixtures / FOLDER


def digest(directory: Path) -> str:
    sha = hashlib.sha256()
    if directory.is_dir():
        for path in sorted(p for p in directory.rglob("*") if p.suffix in (".json", ".jsonl")):
            sha.update(path.relative_to(directory).as_posix().encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def ensure_loaded(db: sqlite_utils.Database, fixtures: Path, now: float) -> bool:
    """Load ``<fixtures>/acoustic`` unless these exact files are in; True if it loaded. No
    such folder means no Acoustic orgs."""
    directory = directory_of(fixtures)
    current = digest(directory)
    if sites.get_meta(db, DIGEST_KEY) == current:
        return False
    store.clear_seeded(db)
    load(db, directory)
    events.load_seed(db, directory, now)  # events.jsonl, in the control plane's shape
    sites.set_meta(db, DIGEST_KEY, current)
    return True


def reset(db: sqlite_utils.Database, fixtures: Path, now: float) -> None:
    """After a full reset: every Acoustic row forgotten, the fixtures loaded again."""
    store.clear(db)
    sites.set_meta(db, DIGEST_KEY, "")
    ensure_loaded(db, fixtures, now)


def load(db: sqlite_utils.Database, directory: Path) -> None:
    _insert(db, directory / "orgs.json", store.insert_orgs, _org)
    _insert(db, directory / "applications.json", store.insert_applications, _application)
    _insert(db, directory / "users.json", store.insert_users, _user)
    _insert(db, directory / "refreshTokens.json", store.insert_refresh_tokens, _refresh_token)
    path = directory / "contactSources.json"
    sources = read_json(path)
    _insert(db, path, store.insert_contact_sources, _source, sources)
    _insert(db, path, store.insert_columns, _columns, sources, many=True)
    path = directory / "contacts.jsonl"
    _insert(db, path, store.insert_contacts, _contact, list(read_jsonl(path)))


def _org(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": item["id"], "name": item["name"], "bex_enabled": bool(item.get("bexEnabled", 1))}


def _application(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "client_id": item["clientId"],
        "org_id": item["orgId"],
        "client_secret": item["clientSecret"],
        "name": item.get("name", item["clientId"]),
    }


def _user(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": item["id"],
        "org_id": item["orgId"],
        "email": item["email"],
        "is_org_admin": bool(item["isOrgAdmin"]),
        "has_ftp_folder": bool(item["hasFtpFolder"]),
    }


def _refresh_token(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": item["token"],
        "client_id": item["clientId"],
        "user_id": item["userId"],
        "revoked": bool(item.get("revoked", False)),
    }


def _source(item: dict[str, Any]) -> dict[str, Any]:
    kind = item["kind"]
    if kind not in rules.SOURCE_KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(rules.SOURCE_KINDS)}")
    database_id = item["id"] if kind == rules.DATABASE else item["databaseId"]
    return {
        "id": item["id"],
        "org_id": item["orgId"],
        "name": item["name"],
        "kind": kind,
        "database_id": database_id,
    }


def _columns(item: dict[str, Any]) -> list[dict[str, Any]]:
    if item["kind"] != rules.DATABASE:
        return []
    return [
        {"database_id": item["id"], "name": c["name"], "position": i, "type": c.get("type", "TEXT")}
        for i, c in enumerate(item.get("columns", []))
    ]


def _contact(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "database_id": item["databaseId"],
        "id": item["id"],
        "email": item["email"],
        "fields": dict(item.get("fields", {})),
    }


def _insert(
    db: sqlite_utils.Database,
    path: Path,
    insert: Callable[[sqlite_utils.Database, list[dict[str, Any]]], None],
    row: Callable[[dict[str, Any]], Any],
    items: list[dict[str, Any]] | None = None,
    *,
    many: bool = False,
) -> None:
    """``items`` (read from ``path`` unless given) turned into rows by ``row`` (into lists
    of rows with ``many``) and inserted; any problem names the file."""
    try:
        made = [row(item) for item in (read_json(path) if items is None else items)]
        rows = [r for group in made for r in group] if many else made
        insert(db, rows)
    except (KeyError, TypeError, ValueError, sqlite3.Error) as exc:
        raise FixtureError(f"{path}: {type(exc).__name__}: {exc}") from exc
