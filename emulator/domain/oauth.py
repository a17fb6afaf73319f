"""OAuth 2.0 on the login host: the authorize endpoint's codes and the token grants.

Reference §2.3: ``authorization_code``, ``refresh_token`` (rotating: each refresh
returns a new refresh token and retires the old one), ``password`` (``Site\\User``) and
``client_credentials``; answers ``{access_token, token_type: "bearer", expires_in,
refresh_token}``. Oracle says the token endpoint answers 401 for an expired refresh token,
so that grant's failure is a 401; other grant failures are RFC 6749's 400.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlite_utils

from emulator.core import constraints as c
from emulator.core.errors import OAuthError, Unauthorized
from emulator.core.types import JSONObject, Principal
from emulator.domain import identity
from emulator.domain.directory import Directory
from emulator.store import identity as rows

GRANT_TYPES = ("authorization_code", "refresh_token", "password", "client_credentials")


@dataclass(frozen=True)
class Client:
    client_id: str
    secret: str


def check_client(directory: Directory, client: Client | None) -> Client:
    if client is None:
        raise OAuthError(c.OAUTH_INVALID_CLIENT, c.OAUTH_CLIENT_REQUIRED, 401)
    if not directory.client_ok(client.client_id, client.secret):
        raise OAuthError(c.OAUTH_INVALID_CLIENT, c.OAUTH_CLIENT_REFUSED, 401)
    return client


def default_principal(
    db: sqlite_utils.Database,
    directory: Directory,
    client_id: str,
    default_site: str,
    default_user: str,
    now: float,
) -> Principal:
    """Who a ``client_credentials`` token, or an anonymous authorize, acts as."""
    known = directory.client(client_id)
    site = (known.site if known else None) or default_site
    user = (known.user if known else None) or default_user
    return identity.ensure_user(db, site, user, {}, now)


@dataclass(frozen=True)
class AuthorizeRequest:
    """A checked ``GET /auth/oauth2/authorize``; ``error`` is what to redirect back with
    when the request is well addressed but cannot be granted."""

    client_id: str
    redirect_uri: str
    response_type: str
    state: dict[str, str]
    error: dict[str, str] | None = None


def check_authorize(directory: Directory, params: Mapping[str, str]) -> AuthorizeRequest:
    """Without a client id or redirect URI, or for an unknown client, nothing is redirected
    (an OAuth error body instead); a bad ``response_type`` is redirected as an error."""
    client_id = _required(params, "client_id")
    redirect_uri = _required(params, "redirect_uri")
    if directory.clients is not None and directory.client(client_id) is None:
        raise OAuthError(c.OAUTH_INVALID_CLIENT, c.OAUTH_CLIENT_REFUSED)
    reply = {"state": params["state"]} if "state" in params else {}
    response_type = params.get("response_type", "")
    error = None
    if response_type not in ("code", "token"):
        error = {"error": c.OAUTH_UNSUPPORTED_RESPONSE, "error_description": c.OAUTH_RESPONSE_TYPE}
    return AuthorizeRequest(client_id, redirect_uri, response_type, reply, error)


def refused(request: AuthorizeRequest) -> dict[str, str]:
    return {"error": c.OAUTH_ACCESS_DENIED, "error_description": c.AUTH_REFUSED, **request.state}


def grant_authorization(
    db: sqlite_utils.Database,
    principal: Principal,
    request: AuthorizeRequest,
    ttl: int,
    now: float,
) -> tuple[dict[str, object], bool]:
    """The redirect's parameters, and whether they go in the fragment (implicit grant)."""
    if request.response_type == "code":
        code = issue_code(db, principal, request.client_id, request.redirect_uri, now)
        return {"code": code, **request.state}, False
    tokens = issue_tokens(db, principal, request.client_id, ttl, now, refresh=False)
    return {**tokens, **request.state}, True


def issue_code(
    db: sqlite_utils.Database, principal: Principal, client_id: str, redirect_uri: str, now: float
) -> str:
    code = identity.new_token()
    rows.insert_token(
        db,
        rows.Token(
            code, "code", principal.user_id, client_id, redirect_uri, now + identity.CODE_TTL
        ),
    )
    return code


def issue_tokens(
    db: sqlite_utils.Database,
    principal: Principal,
    client_id: str,
    ttl: int,
    now: float,
    *,
    refresh: bool = True,
) -> JSONObject:
    rows.purge_expired_tokens(db, now)
    access = identity.new_token()
    rows.insert_token(
        db, rows.Token(access, "access", principal.user_id, client_id, None, now + ttl)
    )
    body: JSONObject = {"access_token": access, "token_type": "bearer", "expires_in": ttl}
    if refresh:
        renewal = identity.new_token()
        rows.insert_token(
            db,
            rows.Token(
                renewal, "refresh", principal.user_id, client_id, None, now + identity.REFRESH_TTL
            ),
        )
        body["refresh_token"] = renewal
    return body


def grant(
    db: sqlite_utils.Database,
    directory: Directory,
    client: Client,
    params: Mapping[str, str],
    *,
    ttl: int,
    default_site: str,
    default_user: str,
    now: float,
) -> JSONObject:
    """Run one token request; ``params`` is the form or JSON body."""
    grant_type = _required(params, "grant_type")
    if grant_type == "authorization_code":
        principal = _redeem_code(
            db, client, _required(params, "code"), params.get("redirect_uri"), now
        )
    elif grant_type == "refresh_token":
        principal = _redeem_refresh(db, client, _required(params, "refresh_token"), now)
    elif grant_type == "password":
        principal = _password(
            db, directory, _required(params, "username"), _required(params, "password"), now
        )
    elif grant_type == "client_credentials":
        principal = default_principal(
            db, directory, client.client_id, default_site, default_user, now
        )
    else:
        raise OAuthError(
            c.OAUTH_UNSUPPORTED_GRANT,
            c.OAUTH_GRANT_UNSUPPORTED.format(values=", ".join(GRANT_TYPES)),
        )
    return issue_tokens(db, principal, client.client_id, ttl, now)


def _required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise OAuthError(c.OAUTH_INVALID_REQUEST, c.OAUTH_PARAMETER_MISSING.format(name=name))
    return value


def _principal_of(db: sqlite_utils.Database, user_id: int) -> Principal | None:
    user = rows.user_by_id(db, user_id)
    return user.principal if user else None


def _redeem_code(
    db: sqlite_utils.Database, client: Client, code: str, redirect_uri: str | None, now: float
) -> Principal:
    found = rows.find_token(db, code, "code")
    if found is None or found.expires_at <= now or found.client_id != client.client_id:
        raise OAuthError(c.OAUTH_INVALID_GRANT, c.OAUTH_CODE_INVALID)
    if found.redirect_uri and redirect_uri is not None and redirect_uri != found.redirect_uri:
        raise OAuthError(c.OAUTH_INVALID_GRANT, c.OAUTH_REDIRECT_MISMATCH)
    rows.delete_token(db, code)
    principal = _principal_of(db, found.user_id)
    if principal is None:
        raise OAuthError(c.OAUTH_INVALID_GRANT, c.OAUTH_CODE_INVALID)
    return principal


def _redeem_refresh(db: sqlite_utils.Database, client: Client, token: str, now: float) -> Principal:
    found = rows.find_token(db, token, "refresh")
    if found is None or found.expires_at <= now or found.client_id != client.client_id:
        raise OAuthError(c.OAUTH_INVALID_GRANT, c.OAUTH_REFRESH_INVALID, 401)
    rows.delete_token(db, token)
    principal = _principal_of(db, found.user_id)
    if principal is None:
        raise OAuthError(c.OAUTH_INVALID_GRANT, c.OAUTH_REFRESH_INVALID, 401)
    return principal


def _password(
    db: sqlite_utils.Database, directory: Directory, username: str, password: str, now: float
) -> Principal:
    site, sep, user = username.partition("\\")
    if not sep or not site or not user:
        raise OAuthError(c.OAUTH_INVALID_GRANT, c.OAUTH_USERNAME_FORM)
    try:
        return identity.sign_in(db, directory, identity.Credentials(site, user, password), now)
    except Unauthorized:
        raise OAuthError(c.OAUTH_INVALID_GRANT, c.OAUTH_CREDENTIALS_REFUSED) from None
