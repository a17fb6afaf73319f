"""Credentials from the ``Authorization`` header (reference §2.3).

``Basic base64("Site\\User:password")`` or ``Bearer <token>``. Anything missing or
malformed is a 401 with a JSON body, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import math

from starlette.requests import Request

from emulator.core import constraints
from emulator.core.errors import Unauthorized
from emulator.core.types import Principal
from emulator.domain import identity
from emulator.http.state import state_of


def _refuse(constraint: str) -> Unauthorized:
    return Unauthorized.on("Authorization", constraint, has_value=False)


def parse(header: str | None) -> identity.Credentials | str:
    """Basic credentials, or a bearer token string."""
    if header is None or not header.strip():
        raise _refuse(constraints.AUTH_MISSING)
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value and " " not in value:
        return value
    if scheme.lower() != "basic" or not value:
        raise _refuse(constraints.AUTH_MALFORMED)
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _refuse(constraints.AUTH_MALFORMED) from None
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = raw.decode("latin-1")
    login, colon, password = decoded.partition(":")
    site, backslash, user = login.partition("\\")
    if not colon or not backslash or not site.strip() or not user.strip():
        raise _refuse(constraints.AUTH_BASIC_FORM)
    return identity.Credentials(site.strip(), user.strip(), password)


async def authenticate(header: str | None, request: Request) -> Principal:
    state = state_of(request)
    now = state.clock()
    if header is not None:
        cached = state.auth_cache.get(header, now)
        if cached is not None:  # a header seen before: parsed then, and signed in
            return cached
    credentials = parse(header)
    assert header is not None
    store = state.db
    if isinstance(credentials, str):
        principal, expires_at = await store.read(identity.principal_for_token, credentials, now)
        state.auth_cache.put(header, principal, expires_at)
        return principal
    if not state.directory.password_ok(credentials.site, credentials.user, credentials.password):
        raise _refuse(constraints.AUTH_REFUSED)
    found = await store.read(identity.find_principal, credentials.site, credentials.user)
    if found is None:
        found = await store.write(identity.sign_in, state.directory, credentials, now)
    state.auth_cache.put(header, found, math.inf)
    return found


async def require_principal(request: Request) -> Principal:
    """The signed-in caller of an Eloqua route, or a 401."""
    return await authenticate(request.headers.get("authorization"), request)
