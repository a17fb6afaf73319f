"""Acoustic's OAuth (reference §5): ``POST /oauth/token`` trades an application's
credentials and a user's refresh token for an access token, and a bearer token on
``/rest/...`` names the caller.

Refresh tokens are provisioned (seeded from ``fixtures/acoustic/``; Acoustic e-mails them
and no API returns them) and are not rotated: the answer carries the same one. An access
token lives 4 hours; asked again within 3 hours, the endpoint answers the same token with
the seconds it has left (``core.tokens``), measured on the emulated clock. Both kinds are
stored as digests only (``store``); an access token is made from the refresh token that
asked for it (:func:`access_token`), so it can be answered again.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from typing import Any

import sqlite_utils

from emulator.acoustic import store
from emulator.acoustic.core import messages as m
from emulator.acoustic.core import rules, tokens
from emulator.acoustic.errors import InvalidToken, TokenError
from emulator.core.redaction import token_digest

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
    reused = _reusable(db, refresh_token, client_id, user_id, now)
    if reused is not None:
        token, expires_at = reused
    else:
        store.forget_expired(db, now)
        token = access_token(refresh_token, client_id, user_id, now)
        expires_at = now + rules.TOKEN_LIFETIME
        store.insert_access(db, token, client_id, user_id, now, expires_at)
    return {
        "access_token": token,
        "token_type": "bearer",
        "refresh_token": refresh_token,
        "expires_in": tokens.expires_in(expires_at, now),
    }


def _reusable(
    db: sqlite_utils.Database, refresh_token: str, client_id: str, user_id: int, now: float
) -> tuple[str, float] | None:
    """The pair's newest access token and its expiry, when it may be answered again: issued
    within three hours, still live, and made from this refresh token (not another of the
    user's, nor stored before tokens were made this way)."""
    latest = store.latest_access(db, client_id, user_id)
    if latest is None or not (tokens.reusable(latest[1], now) and tokens.live(latest[2], now)):
        return None
    token = access_token(refresh_token, client_id, user_id, latest[1])
    return (token, latest[2]) if token_digest(token) == latest[0] else None


def access_token(refresh_token: str, client_id: str, user_id: int, issued_at: float) -> str:
    """The access token a refresh token is given at ``issued_at``: a UUID made from an
    HMAC keyed by the refresh token. The store keeps only a token's digest, yet the token
    endpoint answers the same token again within three hours: it makes it again from the
    refresh token presented and checks the digest. Without the refresh token (which the
    store keeps as a digest too) no one can make it."""
    message = f"{client_id}\n{user_id}\n{issued_at!r}".encode()
    mac = hmac.new(refresh_token.encode("utf-8", "surrogatepass"), message, hashlib.sha256)
    return str(uuid.UUID(bytes=mac.digest()[:16], version=4))


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
