"""The login host: pod discovery (``/id``) and OAuth 2.0 (reference §2).

The emulator is both ``login.eloqua.com`` and the pod, so ``urls.base`` is whatever
origin the client reached us on.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from emulator.core import constraints as c
from emulator.core.errors import Unauthorized
from emulator.domain import identity, oauth
from emulator.http import auth, bodies
from emulator.http.responses import NO_CACHE, json_response
from emulator.http.state import state_of


def origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def get_identity(request: Request) -> Response:
    """A refused login answers 200 with the JSON string ``"Not authenticated."``, as the
    clients that read it expect (reference §2.1)."""
    try:
        principal = await auth.require_principal(request)
        body = await state_of(request).db.read(identity.identity, principal, origin(request))
    except Unauthorized:
        return json_response(c.NOT_AUTHENTICATED, headers=NO_CACHE)
    return json_response(body, headers=NO_CACHE)


async def issue_token(request: Request) -> Response:
    state = state_of(request)
    params = await bodies.read_oauth_params(request)
    client = oauth.check_client(state.directory, bodies.oauth_client(request, params))
    settings = state.settings
    body = await state.db.write(
        oauth.grant,
        state.directory,
        client,
        params,
        ttl=settings.token_ttl,
        default_site=settings.default_site,
        default_user=settings.default_user,
        now=state.clock(),
    )
    return json_response(body, headers=NO_CACHE)


async def authorize(request: Request) -> Response:
    """Eloqua shows a login page; the emulator signs in the user named by Basic credentials
    on the request, or (lenient mode only) the default user, and redirects at once."""
    state = state_of(request)
    asked = oauth.check_authorize(state.directory, request.query_params)
    if asked.error is not None:
        return _redirect(asked.redirect_uri, {**asked.error, **asked.state})
    header = request.headers.get("authorization")
    now = state.clock()
    if header:
        try:
            principal = await auth.authenticate(header, request)
        except Unauthorized:
            return _redirect(asked.redirect_uri, oauth.refused(asked))
    elif state.directory.strict:
        raise Unauthorized.on("Authorization", c.AUTH_MISSING, has_value=False)
    else:
        principal = await state.db.write(
            oauth.default_principal,
            state.directory,
            asked.client_id,
            state.settings.default_site,
            state.settings.default_user,
            now,
        )
    params, fragment = await state.db.write(
        oauth.grant_authorization, principal, asked, state.settings.token_ttl, now
    )
    return _redirect(asked.redirect_uri, params, fragment=fragment)


def _redirect(uri: str, params: Mapping[str, object], *, fragment: bool = False) -> Response:
    query = urlencode({k: str(v) for k, v in params.items()})
    separator = "#" if fragment else ("&" if "?" in uri else "?")
    return RedirectResponse(f"{uri}{separator}{query}", status_code=302)


def routes() -> list[Route]:
    return [
        Route("/id", get_identity, methods=["GET"], name="get_identity"),
        Route("/auth/oauth2/authorize", authorize, methods=["GET"], name="authorize"),
        Route("/auth/oauth2/token", issue_token, methods=["POST"], name="issue_token"),
    ]
