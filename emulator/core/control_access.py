"""Who may use the control plane under ``/_emulator/``, and what a refusal says.

A page open in the developer's browser can send a cross-origin "simple" request (a form
post, or ``fetch`` with ``text/plain``) with no CORS preflight; it never reads the answer,
but the request has its effect. It cannot send a JSON content type or a custom header
without a preflight, which the emulator never approves. So a control request that can
change something (any method but GET, HEAD and OPTIONS) must carry one of the two; the
reads stay plain, for a browser to open. Eloqua answers such requests 403 "XSRF Protection
Failure" (reference §13.2); the constraint here says what to send instead.

With ``--control-token`` (for a port others can reach), every control request but the
health check, which container health checks call, must also carry the token.
"""

from __future__ import annotations

import hmac
import re
from typing import ClassVar

from emulator.core.errors import EloquaError, Failure, Forbidden, Unauthorized

PREFIX = "/_emulator"
HEALTH = "/_emulator/health"
HEADER = "X-Emulator-Control"
READS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: it goes in a header

_JSON = re.compile(r"application/([a-z0-9!#$&^_.+-]+\+)?json")

INTENT_NEEDED = (
    "XSRF Protection Failure: a control request that changes something must send "
    "Content-Type: application/json (an empty body or {} where the operation takes no "
    f"body) or the header {HEADER}: 1. A form or text/plain post, which any web page "
    "can send, is refused."
)
TOKEN_NEEDED = (
    "The control plane needs Authorization: Bearer TOKEN, with the TOKEN the emulator was "
    "started with (--control-token, ELOQUA_EMULATOR_CONTROL_TOKEN); only GET "
    f"{HEALTH} is open without it."
)


class ControlTokenNeeded(Unauthorized):
    headers: ClassVar[dict[str, str]] = {
        "WWW-Authenticate": 'Bearer realm="Eloqua emulator control plane"'
    }


def is_control(path: str) -> bool:
    path = path.lower()
    return path == PREFIX or path.startswith(PREFIX + "/")


def is_json(content_type: str | None) -> bool:
    """``application/json`` or ``application/*+json``, whatever the parameters."""
    media = (content_type or "").split(";")[0].strip().lower()
    return _JSON.fullmatch(media) is not None


def refusal(
    method: str,
    path: str,
    *,
    content_type: str | None,
    control_header: str | None,
    authorization: str | None,
    token: str,
) -> EloquaError | None:
    """Why a request to the control plane is refused, or ``None`` to serve it: the token
    first (401), then the sign that a program, not a web page, sent it (403)."""
    open_read = method in ("GET", "HEAD") and path.lower() == HEALTH
    if token and not open_read and not bearer_matches(authorization, token):
        return ControlTokenNeeded([Failure("Authorization", TOKEN_NEEDED, has_value=False)])
    if method not in READS and control_header is None and not is_json(content_type):
        return Forbidden([Failure("Content-Type", INTENT_NEEDED, content_type or None)])
    return None


def bearer_matches(authorization: str | None, token: str) -> bool:
    """``Bearer <token>``, compared in constant time."""
    scheme, _, given = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("latin-1", "replace"), token.encode())
