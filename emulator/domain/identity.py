"""Signing in: sites and users on first use, bearer tokens, and the ``/id`` body.

Reference §2. In the default (lenient) mode any well-formed ``Site\\User:password`` signs
in, creating the site (seeded from the fixtures) and the user on first use; with a users
file only its users do. Sites are isolated namespaces.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import sqlite_utils

from emulator.core import constraints, timestamps
from emulator.core.errors import Unauthorized
from emulator.core.types import JSONObject, Principal
from emulator.domain.directory import Directory
from emulator.store import identity as rows
from emulator.store import sites

REFRESH_TTL = 365 * 24 * 3600  # [INF] Oracle does not publish a refresh-token lifetime.
CODE_TTL = 600
NAME_MAX = 100  # [INF] characters of a site or user name; Oracle publishes no limit


@dataclass(frozen=True)
class Credentials:
    site: str
    user: str
    password: str


def find_principal(db: sqlite_utils.Database, site: str, user: str) -> Principal | None:
    """Read-only: the principal if the site and user already exist."""
    found = rows.find_site(db, site)
    if found is None:
        return None
    known = rows.find_user(db, found[0], user)
    return known.principal if known else None


def sign_in(
    db: sqlite_utils.Database, directory: Directory, credentials: Credentials, now: float
) -> Principal:
    """Check the password (strict mode) and return the user, creating site and user if new.
    Names are held to 1-100 printable characters: in lenient mode each new name is a new site
    with a copy of the fixtures, so a name of NULs or of 100 KB must not make one."""
    names = (credentials.site, credentials.user)
    if not all(0 < len(name) <= NAME_MAX and name.isprintable() for name in names):
        raise Unauthorized.on("Authorization", constraints.AUTH_NAMES, has_value=False)
    if not directory.password_ok(credentials.site, credentials.user, credentials.password):
        raise Unauthorized.on("Authorization", constraints.AUTH_REFUSED, has_value=False)
    known = directory.user(credentials.site, credentials.user)
    return ensure_user(
        db,
        known.site if known else credentials.site,
        known.user if known else credentials.user,
        known.profile if known else {},
        now,
    )


def ensure_user(
    db: sqlite_utils.Database, site: str, user: str, profile: dict[str, str], now: float
) -> Principal:
    created = timestamps.from_epoch(now)
    found = rows.find_site(db, site)
    if found is None:
        site_id = rows.insert_site(db, site, created)
        sites.copy_template(db, site_id)
        site_name = site
    else:
        site_id, site_name = found
    existing = rows.find_user(db, site_id, user)
    if existing is not None:
        return existing.principal
    user_id = rows.insert_user(
        db,
        site_id,
        {**default_profile(site_name, user), **profile, "username": user, "createdAt": created},
    )
    return Principal(site_id, site_name, user_id, user)


def default_profile(site: str, user: str) -> dict[str, str]:
    """``jane.roe`` of ``Acme`` → Jane Roe, jane.roe@acme.example."""
    parts = [p for p in re.split(r"[._\s]+", user) if p]
    first = parts[0].capitalize() if parts else user
    last = parts[-1].capitalize() if len(parts) > 1 else ""
    domain = re.sub(r"[^a-z0-9-]+", "-", site.lower()).strip("-") or "site"
    local = re.sub(r"[^A-Za-z0-9._+-]+", ".", user).strip(".") or "user"
    return {
        "displayName": f"{first} {last}".strip(),
        "firstName": first,
        "lastName": last,
        "emailAddress": f"{local.lower()}@{domain}.example",
    }


def principal_for_token(
    db: sqlite_utils.Database, token: str, now: float
) -> tuple[Principal, float]:
    """The principal behind an access token, and when the token expires."""
    found = rows.find_token(db, token, "access")
    if found is None:
        raise Unauthorized.on("Authorization", constraints.TOKEN_UNKNOWN, has_value=False)
    if found.expires_at <= now:
        raise Unauthorized.on("Authorization", constraints.TOKEN_EXPIRED, has_value=False)
    user = rows.user_by_id(db, found.user_id)
    if user is None:
        raise Unauthorized.on("Authorization", constraints.TOKEN_UNKNOWN, has_value=False)
    return user.principal, found.expires_at


def identity(db: sqlite_utils.Database, principal: Principal, base_url: str) -> JSONObject:
    """The ``GET /id`` body (reference §2.1), with every URL on the emulator's own origin."""
    user = rows.user_by_id(db, principal.user_id)
    if user is None:  # removed by a reset since the caller signed in
        raise Unauthorized.on("Authorization", constraints.TOKEN_UNKNOWN, has_value=False)
    base = base_url.rstrip("/")
    return {
        "site": {"id": principal.site_id, "name": principal.site_name},
        "user": {
            "id": user.id,
            "username": user.username,
            "displayName": user.display_name,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "emailAddress": user.email_address,
        },
        "urls": {
            "base": base,
            "apis": {
                "soap": {
                    "standard": f"{base}/API/{{version}}/Service.svc",
                    "dataTransfer": f"{base}/API/{{version}}/DataTransferService.svc",
                    "email": f"{base}/API/{{version}}/EmailService.svc",
                    "externalAction": f"{base}/API/{{version}}/ExternalActionService.svc",
                },
                "rest": {
                    "standard": f"{base}/API/REST/{{version}}/",
                    "bulk": f"{base}/API/Bulk/{{version}}/",
                },
            },
        },
    }


def new_token() -> str:
    return secrets.token_urlsafe(32)
