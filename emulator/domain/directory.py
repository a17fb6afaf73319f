"""The ``--users`` file: known users and OAuth clients for strict authentication.

Format (a bare list is read as ``users``)::

    {"users": [{"site": "Acme", "user": "jane", "password": "pw",
                "displayName": "Jane Roe", "firstName": "Jane", "lastName": "Roe",
                "emailAddress": "jane@acme.example"}],
     "clients": [{"client_id": "app", "client_secret": "s3cret",
                  "site": "Acme", "user": "jane"}]}

Profile keys are optional. With no ``clients`` key any client id is accepted; a client's
``site``/``user`` is who a ``client_credentials`` token acts as.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

PROFILE_KEYS = ("displayName", "firstName", "lastName", "emailAddress")


@dataclass(frozen=True)
class KnownUser:
    site: str
    user: str
    password: str
    profile: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KnownClient:
    client_id: str
    client_secret: str
    site: str | None = None
    user: str | None = None


@dataclass(frozen=True)
class Directory:
    """Who may sign in. ``strict=False`` accepts any well-formed credentials."""

    strict: bool = False
    users: dict[tuple[str, str], KnownUser] = field(default_factory=dict)
    clients: dict[str, KnownClient] | None = None

    def user(self, site: str, user: str) -> KnownUser | None:
        return self.users.get((site.casefold(), user.casefold()))

    def password_ok(self, site: str, user: str, password: str) -> bool:
        if not self.strict:
            return True
        known = self.user(site, user)
        return known is not None and hmac.compare_digest(known.password.encode(), password.encode())

    def client_ok(self, client_id: str, secret: str) -> bool:
        if self.clients is None:
            return True
        known = self.clients.get(client_id)
        return known is not None and hmac.compare_digest(
            known.client_secret.encode(), secret.encode()
        )

    def client(self, client_id: str) -> KnownClient | None:
        return None if self.clients is None else self.clients.get(client_id)


class DirectoryError(ValueError):
    pass


def load_directory(path: Path | None) -> Directory:
    if path is None:
        return Directory()
    try:
        data: Any = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DirectoryError(f"cannot read users file {path}: {exc}") from exc
    if isinstance(data, list):
        data = {"users": data}
    if not isinstance(data, dict) or not isinstance(data.get("users", []), list):
        raise DirectoryError(f"{path}: expected a list of users or {{'users': [...]}}")
    users: dict[tuple[str, str], KnownUser] = {}
    for index, entry in enumerate(data.get("users", [])):
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) and entry.get(k) for k in ("site", "user", "password")
        ):
            raise DirectoryError(f"{path}: users[{index}] needs string site, user and password")
        profile = {k: str(entry[k]) for k in PROFILE_KEYS if k in entry}
        known = KnownUser(entry["site"], entry["user"], entry["password"], profile)
        users[(known.site.casefold(), known.user.casefold())] = known
    clients: dict[str, KnownClient] | None = None
    if "clients" in data:
        clients = {}
        for index, entry in enumerate(data["clients"] or []):
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(k), str) and entry.get(k)
                for k in ("client_id", "client_secret")
            ):
                raise DirectoryError(
                    f"{path}: clients[{index}] needs string client_id and client_secret"
                )
            clients[entry["client_id"]] = KnownClient(
                entry["client_id"], entry["client_secret"], entry.get("site"), entry.get("user")
            )
    return Directory(strict=True, users=users, clients=clients)
