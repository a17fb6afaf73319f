"""Acoustic's OAuth (reference §5): ``POST /oauth/token`` trades an application's
credentials and a user's refresh token for an access token, and a bearer token on
``/rest/...`` names the caller.

Refresh tokens are provisioned (seeded from ``fixtures/acoustic/``; Acoustic e-mails them
and no API returns them) and are not rotated: the answer carries the same one. An access
token lives 4 hours; asked again within 3 hours, the endpoint answers the same token with
the seconds it has left (``core.tokens``), measured on the emulated clock.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from emulator.acoustic import store
from emulator.acoustic.core import messages as m
from emulator.acoustic.core import rules, tokens
from emulator.acoustic.errors import InvalidToken, TokenError

SHOWN_TOKEN_MAX = 80  # an echoed token is cut to this length


def issue(db: sqlite_utils.Database, params: Mapping[str, str], now: float) -> dict[str, Any]:
    """The token answer: ``access_token``, ``token_type``, ``refresh_token``, integer
    ``expires_in``. The application is checked first (401 ``invalid_client``), then the
    grant type and the refresh token (400s, RFC 6749 §5.2)."""
    client_id = params.get("client_id", "")
    secret = store.client_secret(db, client_id) if client_id else None
    if secret is None or secret != params.get("client_secret"):
        raise TokenError(m.INVALID_CLIENT, m.CLIENT_REFUSED, 401)
    grant_type = params.get("grant_type", "")
    if not grant_type:
        raise TokenError(m.INVALID_REQUEST, m.PARAMETER_MISSING.format(name="grant_type"))
    if grant_type != rules.GRANT_TYPE:
        raise TokenError(m.UNSUPPORTED_GRANT, m.GRANT_REFUSED.format(value=_shown(grant_type)))
    refresh_token = params.get("refresh_token", "")
    if not refresh_token:
        raise TokenError(m.INVALID_REQUEST, m.PARAMETER_MISSING.format(name="refresh_token"))
    user_id = store.refresh_grant(db, refresh_token, client_id)
    if user_id is None:
        raise TokenError(m.INVALID_GRANT, m.REFRESH_REFUSED.format(token=_shown(refresh_token)))
    latest = store.latest_access(db, client_id, user_id)
    if latest is not None and tokens.reusable(latest[1], now) and tokens.live(latest[2], now):
        token, expires_at = latest[0], latest[2]
    else:
        store.forget_expired(db, now)
        token, expires_at = str(uuid.uuid4()), now + rules.TOKEN_LIFETIME
        store.insert_access(db, token, client_id, user_id, now, expires_at)
    return {
        "access_token": token,
        "token_type": "bearer",
        "refresh_token": refresh_token,
        "expires_in": tokens.expires_in(expires_at, now),
    }


def bearer(header: str | None) -> str:
    """The token of an ``Authorization: Bearer …`` header, or a 401."""
    scheme, _, value = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise InvalidToken(m.TOKEN_MISSING)
    return value.strip()


def caller(db: sqlite_utils.Database, token: str, now: float) -> store.Caller:
    """Who a live access token belongs to; unknown or expired is a 401."""
    found = store.caller(db, token)
    if found is None:
        raise InvalidToken(m.TOKEN_UNKNOWN.format(token=_shown(token)))
    if not tokens.live(found.expires_at, now):
        raise InvalidToken(m.TOKEN_EXPIRED.format(token=_shown(token)))
    return found


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_TOKEN_MAX else value[:SHOWN_TOKEN_MAX] + "…"
