"""The request journal (``GET /_emulator/requests``): a bounded ring buffer
(``--journal-size`` entries, oldest dropped first) of exchanges, as ``http/recorder``
records them: time, request id, method, path, query, site and user, status, duration,
sizes, the first 2 KB of each body when it is text, and the fault that fired, if any
(``http/faults`` notes it on the ``Exchange`` in the scope).

Nothing secret is shown: headers are not kept, and ``password``, ``access_token``,
``refresh_token`` and ``client_secret`` values in queries, forms and JSON bodies, and the
credentials of URLs in bodies, are redacted when the journal is read. Control-plane
requests are kept too, marked ``control``; the listing leaves them out unless asked
(``control=true``).
"""

from __future__ import annotations

import re
import threading
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.types import Scope

from emulator.core import constraints as c
from emulator.core import redaction, timestamps
from emulator.core.errors import Failure, ValidationFailed
from emulator.domain.faults import compile_path

KEY = "emulator.exchange"  # the scope key of the request's Exchange
CONTROL = "/_emulator"
PREVIEW = 2048
DEFAULT_LIMIT = 100
_TEXT = re.compile(
    r"^(text/|application/(json|x-www-form-urlencoded|x-ndjson|yaml|xml|[\w.+-]+\+json)\b)",
    re.IGNORECASE,
)
_SECRETS = "password|access_token|refresh_token|client_secret"
_JSON_SECRET = re.compile(rf'("(?:{_SECRETS})"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)', re.IGNORECASE)
_FORM_SECRET = re.compile(rf"(^|[&?])({_SECRETS})=[^&]*", re.IGNORECASE)
_STATUS = re.compile(r"^([1-5])(\d\d|xx)$", re.IGNORECASE)
REDACTED = "[redacted]"


@dataclass
class Exchange:
    """One request and its answer, filled in as they pass."""

    id: str
    at: float
    method: str
    path: str
    query: str
    control: bool
    request_type: str
    status: int = 0
    duration_ms: float = 0.0
    request_bytes: int = 0
    response_bytes: int = 0
    response_type: str = ""
    request_head: bytearray = field(default_factory=bytearray)
    response_head: bytearray = field(default_factory=bytearray)
    site: str | None = None
    user: str | None = None
    fault: dict[str, Any] | None = None
    aborted: bool = False

    @property
    def fault_tag(self) -> str | None:
        return None if self.fault is None else f"{self.fault['kind']} (rule {self.fault['id']})"

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": timestamps.from_epoch(self.at),
            "method": self.method,
            "path": self.path,
            "query": redact_form(self.query),
            "site": self.site,
            "user": self.user,
            "status": self.status,
            "durationMs": round(self.duration_ms, 3),
            "requestBytes": self.request_bytes,
            "responseBytes": self.response_bytes,
            "requestBody": preview(bytes(self.request_head), self.request_type),
            "responseBody": preview(bytes(self.response_head), self.response_type),
            "fault": self.fault,
            "aborted": self.aborted,
            "control": self.control,
        }


def exchange_of(scope: Scope) -> Exchange | None:
    found = scope.get(KEY)
    return found if isinstance(found, Exchange) else None


def preview(raw: bytes, media: str) -> str | None:
    """The captured start of a body as redacted text; None when there is none or it is
    not text (a character cut at the 2 KB mark is dropped)."""
    if not raw or (media and not _TEXT.match(media)):
        return None
    for cut in range(4):
        try:
            text = raw[: len(raw) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        text = redaction.masked_urls(text)  # a callbackUrl's credentials, say
        return redact_form(redact_json(text)) if "form" in media.lower() else redact_json(text)
    return None


def redact_json(text: str) -> str:
    return _JSON_SECRET.sub(rf'\1"{REDACTED}"', text)


def redact_form(text: str) -> str:
    return _FORM_SECRET.sub(rf"\1\2={REDACTED}", text)


@dataclass(frozen=True)
class Query:
    site: str | None = None
    method: str | None = None
    path: re.Pattern[str] | None = None
    status: tuple[int, int] | None = None  # inclusive range
    since: float | None = None
    request_id: str | None = None
    limit: int = DEFAULT_LIMIT
    control: bool = False

    def matches(self, entry: Exchange) -> bool:
        return (
            (self.control or not entry.control)
            and (self.site is None or (entry.site or "").casefold() == self.site.casefold())
            and (self.method is None or entry.method == self.method)
            and (self.path is None or self.path.match(entry.path) is not None)
            and (self.status is None or self.status[0] <= entry.status <= self.status[1])
            and (self.since is None or entry.at >= self.since)
            and (self.request_id is None or entry.id == self.request_id)
        )


def parse_query(params: Mapping[str, str], capacity: int) -> Query:
    """The listing's filters; every bad one a failure at once."""
    failures: list[Failure] = []
    status = since = path = None
    if (text := params.get("status")) is not None:
        found = _STATUS.match(text.strip())
        if found is None:
            failures.append(Failure("status", c.JOURNAL_STATUS, text))
        elif found[2].lower() == "xx":
            status = (int(found[1]) * 100, int(found[1]) * 100 + 99)
        else:
            status = (int(text), int(text))
    if (text := params.get("since")) is not None:
        since = _moment(text)
        if since is None:
            failures.append(Failure("since", c.JOURNAL_SINCE, text))
    if (text := params.get("path")) is not None:
        if text.startswith("/") and len(text) <= 500:
            path = compile_path(text)
        else:
            failures.append(Failure("path", c.JOURNAL_PATH, text))
    limit = DEFAULT_LIMIT
    high = max(capacity, 1)
    if (text := params.get("limit")) is not None:
        if text.isdigit() and 1 <= int(text) <= high:
            limit = int(text)
        else:
            failures.append(Failure("limit", c.JOURNAL_LIMIT.format(high=high), text))
    control = False
    if (text := params.get("control")) is not None:
        if text.lower() not in ("true", "false"):
            failures.append(Failure("control", c.BOOLEAN_VALUE, text))
        control = text.lower() == "true"
    if failures:
        raise ValidationFailed(failures)
    method = params.get("method")
    return Query(
        site=params.get("site") or None,
        method=method.upper() if method else None,
        path=path,
        status=status,
        since=since,
        request_id=params.get("requestId") or None,
        limit=limit,
        control=control,
    )


def _moment(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.timestamp()


class Journal:
    """The last ``capacity`` exchanges, newest last; 0 keeps none."""

    def __init__(self, capacity: int = 1000) -> None:
        self.capacity = capacity
        self._entries: deque[Exchange] = deque(maxlen=capacity or None)
        self._lock = threading.Lock()
        self.recorded = 0

    def add(self, entry: Exchange) -> None:
        if not self.capacity:
            return
        with self._lock:
            self._entries.append(entry)
            self.recorded += 1

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def listing(self, query: Query) -> dict[str, Any]:
        """Matching entries, newest first, at most ``query.limit``; ``total`` and
        ``byStatus`` count every match, not only those shown."""
        with self._lock:
            entries = list(self._entries)
        matched = [entry for entry in reversed(entries) if query.matches(entry)]
        statuses = Counter(str(entry.status) for entry in matched)
        items = [entry.describe() for entry in matched[: query.limit]]
        return {
            "items": items,
            "count": len(items),
            "total": len(matched),
            "byStatus": dict(sorted(statuses.items())),
            "capacity": self.capacity,
            "recorded": self.recorded,
        }
