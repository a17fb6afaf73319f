"""The Acoustic service's errors, in the shapes of Acoustic's REST stack (reference §4).

::

    AcousticError              status  body
    ├── BadRequest             400     envelope: generalErrors and/or fieldErrors
    ├── Forbidden              403     envelope: generalErrors
    ├── NotFound               404     envelope: generalErrors
    ├── MethodNotAllowed       405     envelope: generalErrors
    ├── UnsupportedMediaType   415     envelope: generalErrors
    └── ServerError            500     envelope: generalErrors
    InvalidToken               401     {"error": "invalid_token", "error_description"}
    TokenError                 400/401 {"error", "error_description"}   POST /oauth/token only

The envelope is ``{"meta": {"attributes", "generalErrors", "fieldErrors", "links",
"nextPageUrl"}, "data": null}``: the container keys are seen on Acoustic's neighbouring
REST endpoints; the entries (strings; one message per field path) are the emulator's
choice. Every message is a constant of ``core.messages``. Pure: no Starlette here; the
routes render these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from emulator.acoustic.core import messages


def envelope(
    data: Any,
    general: list[str] | None = None,
    fields: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Acoustic's REST envelope around ``data`` (reference §3.1)."""
    return {
        "meta": {
            "attributes": {},
            "generalErrors": list(general or []),
            "fieldErrors": dict(fields or {}),
            "links": [],
            "nextPageUrl": None,
        },
        "data": data,
    }


class AcousticError(Exception):
    """Base of the errors rendered in the envelope."""

    status: ClassVar[int] = 500

    def __init__(
        self, general: list[str] | None = None, fields: Mapping[str, str] | None = None
    ) -> None:
        self.general = list(general or [])
        self.fields = dict(fields or {})
        super().__init__("; ".join([*self.general, *(f"{k}: {v}" for k, v in self.fields.items())]))

    def body(self) -> dict[str, Any]:
        return envelope(None, self.general, self.fields)


class BadRequest(AcousticError):
    status = 400


class Forbidden(AcousticError):
    status = 403


class NotFound(AcousticError):
    status = 404


class MethodNotAllowed(AcousticError):
    status = 405


class UnsupportedMediaType(AcousticError):
    status = 415


class ServerError(AcousticError):
    status = 500

    def __init__(self) -> None:
        super().__init__([messages.UNEXPECTED])


class TokenError(Exception):
    """An error of ``POST /oauth/token``, in RFC 6749 §5.2's shape."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


class InvalidToken(TokenError):
    """A missing, malformed, unknown or expired bearer token on ``/rest/...``: 401 in the
    OAuth resource server's shape, with ``WWW-Authenticate`` (reference §4)."""

    def __init__(self, description: str) -> None:
        super().__init__(messages.INVALID_TOKEN, description, 401)
