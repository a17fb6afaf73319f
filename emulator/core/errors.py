"""One exception tree for every failure a client can see.

::

    EloquaError                 status  body
    ├── ValidationFailed        400     {"failures": [...]}   bad body, query or reference
    ├── Unauthorized            401     {"failures": [...]}   bad or refused credentials
    ├── Forbidden               403     {"failures": [...]}
    ├── NotFound                404     {"failures": [...]}   unknown route or id
    ├── Conflict                409     {"failures": [...]}
    └── StorageExceeded         413     {"failures": [...]}   staging quota used up
    OAuthError                  400/401 {"error", "error_description"}   the token endpoint only

Every Eloqua-surface error renders the ``failures`` body of reference §13.2, so clients
that parse 4xx bodies as JSON (pyeloqua does) always get JSON. The HTTP layer turns these
into responses with a single handler; nothing else builds an error body (Starlette's own
405 is rendered in the same ``failures`` shape there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Self

from emulator.core import constraints


@dataclass(frozen=True)
class Failure:
    """One entry of Eloqua's ``failures`` array; ``value`` echoes what was rejected."""

    field: str
    constraint: str
    value: Any = None
    has_value: bool = True
    trace: tuple[str, ...] = ()  # the properties the field sits in, outermost first

    def as_dict(self) -> dict[str, Any]:
        if self.trace:
            # a pod's failure inside a property, key order as recorded (reference §18)
            return {
                "field": self.field,
                "stackTrace": [{"field": name} for name in self.trace],
                "value": _echoable(self.value),
                "constraint": self.constraint,
            }
        body: dict[str, Any] = {"field": self.field, "constraint": self.constraint}
        if self.has_value:
            body["value"] = _echoable(self.value)
        return body


def _echoable(value: Any) -> Any:
    """JSON has no 64-bit limit but orjson does: an integer beyond it (a path id can be any
    length) is echoed as its digits."""
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return str(value)
    return value


class EloquaError(Exception):
    """Base of every error rendered on the Eloqua surface."""

    status: ClassVar[int] = 500
    headers: ClassVar[dict[str, str]] = {}

    def __init__(self, failures: list[Failure]) -> None:
        super().__init__("; ".join(f"{f.field}: {f.constraint}" for f in failures))
        self.failures = failures

    @classmethod
    def on(cls, field: str, constraint: str, value: Any = None, *, has_value: bool = True) -> Self:
        return cls([Failure(field, constraint, value, has_value)])

    def body(self) -> dict[str, Any]:
        return {"failures": [f.as_dict() for f in self.failures]}


class ValidationFailed(EloquaError):
    status = 400


class Unauthorized(EloquaError):
    status = 401


class Forbidden(EloquaError):
    status = 403


class NotFound(EloquaError):
    status = 404

    @classmethod
    def resource(cls, path: str) -> NotFound:
        return cls([Failure("uri", constraints.RESOURCE_UNKNOWN, path)])


class Conflict(EloquaError):
    status = 409


class StorageExceeded(EloquaError):
    status = 413


class OAuthError(Exception):
    """An error of the OAuth token and authorize endpoints, in RFC 6749's shape (reference §2.3)."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}
