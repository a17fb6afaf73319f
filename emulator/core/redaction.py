"""Secrets kept out of what the emulator stores, shows and logs.

* Tokens (OAuth access and refresh tokens, authorization codes; Acoustic's access and
  refresh tokens) are stored as the SHA-256 digest of their text: a copy of the database
  file lets no one sign in. A presented token is hashed and looked up.
* A URL's userinfo (``https://user:password@host/…``) is credentials. Eloqua's callback and
  notification URLs may not carry any (they are refused); one stored before that rule is
  shown and logged with its userinfo masked, never in clear.
"""

from __future__ import annotations

import hashlib
import re

MASK = "***"
# scheme://userinfo@ : the userinfo runs to the last "@" before the path, query or fragment
_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/?#]*)@")
# the same inside text (a JSON body: "//" may be written "\/\/", a quote ends the URL)
_USERINFO_IN_TEXT = re.compile(
    r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*:(?:\\?/){2})[^/\\?#\s\"'<>]*@"
)


def token_digest(token: str) -> str:
    """What the store keeps of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def userinfo(url: str) -> str | None:
    """The userinfo of ``url`` (``user`` or ``user:password``), or None when it has none."""
    found = _USERINFO.match(url)
    return None if found is None else found["userinfo"]


def masked(url: str) -> str:
    """``url`` with its userinfo, if any, replaced by ``***``: safe to show and log."""
    return _USERINFO.sub(lambda m: f"{m['scheme']}{MASK}@", url, count=1)


def masked_urls(text: str) -> str:
    """``text`` (a request body, say) with the userinfo of every URL in it masked."""
    return _USERINFO_IN_TEXT.sub(lambda m: f"{m['scheme']}{MASK}@", text)
