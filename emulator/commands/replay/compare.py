"""How a replayed answer is held against the recorded one.

Strict where pods are consistent, tolerant only where a value cannot repeat:

* **Status**: equal.
* **Body**: present on both sides or on neither. A recorded answer with no body (a
  staging 204) must come back with no body, no ``Content-Type`` and no ``Content-Length``
  above 0. Text bodies are equal; JSON bodies are walked:
* **JSON**: the same type at every place (object, array, string, integer, number,
  boolean, null); an object has the recorded keys, no others and, for the keys both sides
  have, the recorded order. Keys an answer shows or leaves out because of its data, not
  its shape, are named once, in :data:`OPTIONAL_KEYS`.
* **Values** are equal, except the volatile ones, whose *form* is compared instead:
  timestamps (keys ending in ``At``: the fractional digits and zone, and, in answers to
  ``GET``, the rounding to the millisecond a pod applies to every value read back); uris
  (keys ``uri`` and ``…Uri``: the same form, and the numbers paired with the recording's
  through :class:`~emulator.commands.replay.idmap.IdMap`, so a uri that names another
  definition or sync than the recording's is a difference); ``createdBy``/``updatedBy``
  (the login the replay signs in with: a non-empty string); the signed-in site and user
  of ``GET /id`` (their types) and its URLs (the same path on whatever host); values the
  recorder replaced (``<redacted>``: a string).
* **Syncs**: a read the recording saw end is compared once the replay's sync has ended
  too, and its ``status`` (the outcome) is equal; a read the recording saw under way may
  find the replay's sync as far or further along (and then with the timestamps of the
  stages it passed).
* **Lists** of what an instance holds (its catalog: fields, lists, segments, custom
  objects …; and its definitions and syncs) differ in length from one instance to another:
  that is data, not shape. Their items are paired by ``internalName`` (else ``name``) for
  the catalog, by uri for definitions and syncs; paired items are compared in full, an
  item only one side has is compared in shape with the other side's first item, and
  ``totalResults``, ``count`` and ``hasMore`` are equal only when every item paired. Lists
  one sync produced (logs, rejects, exported rows) and every other array are compared
  item by item, in order.
* **Headers**: those a pod always sends (:data:`HEADERS`) when the recording has them:
  ``Cache-Control``, ``Pragma``, ``Expires`` and ``Content-Type`` equal, ``X-Request-Id``
  of the same form. ``Date``, ``Content-Length``, ``Connection`` and the headers of the
  pod's web front (``P3P``, ``Strict-Transport-Security``, ``X-XSS-Protection``,
  ``X-Content-Type-Options``, ``X-Frame-Options``, ``Content-Security-Policy``) are not
  the API's and are not compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from emulator.commands.replay.idmap import IdMap, template
from emulator.commands.replay.recording import REDACTED, Exchange, Headers, body_of
from emulator.core.lifecycle import SyncStatus

BULK = "/api/bulk/2.0"

# kinds of difference
STATUS = "status"
BODY = "body"
HEADER = "header"
TYPE = "type"
MISSING = "missing key"
EXTRA = "extra key"
ORDER = "key order"
VALUE = "value"
FORMAT = "format"
LENGTH = "length"
URI = "uri"
SYNC = "sync outcome"


@dataclass(frozen=True)
class OptionalKeys:
    """Keys that objects at ``where`` in answers to operations in ``scope`` show or leave
    out because of their data; ``why`` says so in the report's terms."""

    scope: str  # "catalog" or "logs": see scope_of
    where: re.Pattern[str]
    keys: frozenset[str]
    why: str


# The one list of data-dependent optional keys: where one side has such a key and the
# other does not, the answers still have one shape.
OPTIONAL_KEYS: tuple[OptionalKeys, ...] = (
    OptionalKeys(
        "catalog",
        re.compile(r"^\$(\.items\[[^\]]*\])?$"),
        frozenset({"createdBy", "updatedBy"}),
        "a catalog item names who created or last changed it only when a user of the "
        "instance did, not for what the instance was made with",
    ),
    OptionalKeys(
        "catalog",
        re.compile(r"^\$(\.items\[[^\]]*\])?$"),
        frozenset({"defaultValue"}),
        "a field has a default value only when the instance gave it one",
    ),
    OptionalKeys(
        "logs",
        re.compile(r"^\$\.items\[[^\]]*\]$"),
        frozenset({"message"}),
        "a sync log item can lack its message (reference §18)",
    ),
)

# Keys a sync read shows once the sync has reached the stage they time.
PROGRESS_KEYS = frozenset({"syncStartedAt", "syncEndedAt"})


@dataclass(frozen=True)
class HeaderRule:
    name: str
    check: Callable[[str, str], bool]  # (replayed, recorded) → same?
    shown: str


REQUEST_ID = re.compile(r"^[0-9a-f]{32}/\d+$")
# The headers a pod always sends (reference §18), compared when the recording has them.
HEADERS: tuple[HeaderRule, ...] = (
    HeaderRule("Cache-Control", lambda new, old: new == old, "equal"),
    HeaderRule("Pragma", lambda new, old: new == old, "equal"),
    HeaderRule("Expires", lambda new, old: new == old, "equal"),
    HeaderRule("Content-Type", lambda new, old: new.lower() == old.lower(), "equal"),
    HeaderRule(
        "X-Request-Id",
        lambda new, old: bool(REQUEST_ID.match(new)) or not REQUEST_ID.match(old),
        "32 hex digits, a slash and a number",
    ),
)

TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?P<fraction>\.\d+)?(?P<zone>Z|[+-]\d{2}:?\d{2})?$"
)
SYNC_READ = re.compile(r"^GET /syncs/\{id\}$", re.IGNORECASE)
SYNC_RESULTS = re.compile(r"^GET /syncs/\{id\}/(logs|rejects|data)$", re.IGNORECASE)
_SYNC_MADE = re.compile(r"/(imports|exports|syncActions|syncs)(/|$)|/data$", re.IGNORECASE)
_INSTANCE_LIST = re.compile(r"/(imports|exports|syncActions|syncs)$", re.IGNORECASE)


@dataclass(frozen=True)
class Difference:
    kind: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind} at {self.where}: {self.detail}"


@dataclass(frozen=True)
class Answer:
    """What the replay got back."""

    status: int
    headers: Headers
    content: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


# ---------------------------------------------------------------------- operations


def bulk_path(full_path: str) -> str | None:
    """The part of a path below the Bulk base, or ``None`` for paths outside it."""
    lower = full_path.lower()
    if lower == BULK or lower.startswith(BULK + "/"):
        return full_path[len(BULK) :] or "/"
    return None


def operation(method: str, full_path: str) -> str:
    """``GET /syncs/{id}``: the method and the path's form, below the Bulk base when it is
    there (``GET /id`` and the control plane keep their whole path)."""
    short = bulk_path(full_path)
    return f"{method.upper()} {template(short if short is not None else full_path)}"


def scope_of(op: str, bulk: bool = True) -> str | None:
    """``catalog`` for reads of what the instance was given (fields, lists, segments …),
    ``instance`` for lists of its definitions and syncs, ``logs`` for a sync's logs,
    ``results`` for the other lists a sync produced; ``None`` for the rest."""
    method, _, path = op.partition(" ")
    if method != "GET" or not bulk:
        return None
    if re.search(r"/syncs/\{id\}/logs$", path, re.IGNORECASE):
        return "logs"
    if path.endswith("/data"):
        return "results"
    if _INSTANCE_LIST.search(path):
        return "instance"
    if _SYNC_MADE.search(path):
        return None
    return "catalog"


def is_bulk(full_path: str) -> bool:
    return bulk_path(full_path) is not None


def stage(status: Any) -> int | None:
    """0 pending, 1 active, 2 ended; ``None`` for what is not a sync status."""
    if not isinstance(status, str) or status not in set(SyncStatus):
        return None
    return SyncStatus(status).stage


# ------------------------------------------------------------------------ comparing


@dataclass
class Comparison:
    """The differences of one exchange, first first, and what was noticed but is data."""

    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def compare(exchange: Exchange, answer: Answer, idmap: IdMap) -> Comparison:
    """Every difference between ``answer`` and the recorded response, pairing ids in
    ``idmap`` as uris are met."""
    recorded = exchange.response
    op = operation(exchange.request.method, exchange.request.full_path)
    result = Comparison()
    out = result.differences
    if answer.status != recorded.status:
        out.append(Difference(STATUS, "status", f"{answer.status}, recorded {recorded.status}"))
    body, form = body_of(answer.content, answer.header("content-type"))
    if recorded.body is None:
        length = answer.header("content-length")
        if answer.content:
            out.append(
                Difference(BODY, "body", f"{len(answer.content)} bytes; the recording has none")
            )
        elif length not in (None, "0") and recorded.headers is not None:
            out.append(
                Difference(
                    BODY,
                    "body",
                    f"Content-Length: {length} on a {answer.status}; the recording has no body",
                )
            )
    elif body is None:
        out.append(Difference(BODY, "body", f"none; the recording has a {recorded.form} body"))
    elif form != recorded.form:
        out.append(Difference(BODY, "body", f"{form}; the recording's is {recorded.form}"))
    elif form != "json":
        if body != recorded.body:
            out.append(Difference(VALUE, "body", f"{_cut(body)}, recorded {_cut(recorded.body)}"))
    else:
        bulk = is_bulk(exchange.request.full_path)
        walk = _Walk(op, exchange.request.method.upper(), bulk, idmap, result)
        walk.value(recorded.body, body, "$", None)
    if recorded.headers is not None:
        _headers(recorded.headers, answer, recorded.body is None, out)
    return result


def _headers(recorded: Headers, answer: Answer, bodyless: bool, out: list[Difference]) -> None:
    shown = {name.lower(): value for name, value in recorded}
    for rule in HEADERS:
        old, new = shown.get(rule.name.lower()), answer.header(rule.name)
        if old is None:
            if new is not None and bodyless and rule.name == "Content-Type":
                out.append(Difference(HEADER, rule.name, f"{new!r}; the recording has none"))
            continue
        if new is None:
            out.append(Difference(HEADER, rule.name, f"absent, recorded {old!r}"))
        elif not rule.check(new, old):
            out.append(Difference(HEADER, rule.name, f"{new!r}, recorded {old!r} ({rule.shown})"))


class _Walk:
    def __init__(self, op: str, method: str, bulk: bool, idmap: IdMap, result: Comparison) -> None:
        self.op, self.method, self.idmap, self.result = op, method, idmap, result
        self.scope = scope_of(op, bulk)
        self.sync_read = bool(SYNC_READ.match(op))
        self.progressed = False

    def add(self, kind: str, where: str, detail: str) -> None:
        self.result.differences.append(Difference(kind, where, detail))

    # -- values

    def value(self, old: Any, new: Any, where: str, key: str | None, shape: bool = False) -> None:
        """Compare ``new`` with ``old`` at ``where``; ``shape`` compares forms, not values."""
        if self.op == "GET /id" and re.match(r"^\$\.(site|user)\.", where):
            if _type(new) != _type(old):  # the signed-in site and user: whoever signs in
                self.add(TYPE, where, f"{_type(new)} {_cut(new)}, recorded {_type(old)}")
            return
        if isinstance(old, str) and self._volatile(old, new, where, key, shape):
            return
        if _type(old) != _type(new):
            self.add(TYPE, where, f"{_type(new)} {_cut(new)}, recorded {_type(old)} {_cut(old)}")
            return
        if isinstance(old, dict):
            self.object(old, new, where, shape)
        elif isinstance(old, list):
            self.array(old, new, where, shape)
        elif not shape and old != new:
            if self.sync_read and where == "$.status":
                self._sync_status(old, new)
            else:
                self.add(VALUE, where, f"{_cut(new)}, recorded {_cut(old)}")

    def _volatile(self, old: str, new: Any, where: str, key: str | None, shape: bool) -> bool:
        """Compare a volatile string by its form; ``False`` when ``old`` is not volatile."""
        if old == REDACTED:
            if not isinstance(new, str):
                self.add(TYPE, where, f"{_type(new)}, recorded a string (redacted)")
            return True
        if self.op == "GET /id" and where.startswith("$.urls.") and old.startswith("http"):
            if not isinstance(new, str) or _url_path(new) != _url_path(old):
                self.add(VALUE, where, f"{_cut(new)}, recorded {_cut(old)} (compared by path)")
            return True
        if not isinstance(new, str) or key is None:
            return False
        if key in ("createdBy", "updatedBy"):
            if not new:
                self.add(FORMAT, where, "an empty login")
            return True
        if key.endswith("At") and TIMESTAMP.match(old):
            self._timestamp(old, new, where)
            return True
        if key == "uri" or key.endswith("Uri"):
            if template(new) != template(old):
                self.add(URI, where, f"{new}, recorded {old} (another form)")
            elif not shape and (conflict := self.idmap.learn(old, new)):
                self.add(URI, where, conflict)
            return True
        return False

    def _timestamp(self, old: str, new: str, where: str) -> None:
        was, now = _timestamp_form(old), _timestamp_form(new)
        if now is None:
            self.add(FORMAT, where, f"{new!r} is not a timestamp; recorded {old!r}")
            return
        assert was is not None
        rounded = self.method == "GET" and was[2] and not now[2]
        if was[:2] != now[:2] or rounded:
            self.add(
                FORMAT, where, f"{new!r} ({_describe(now)}), recorded {old!r} ({_describe(was)})"
            )

    def _sync_status(self, old: Any, new: Any) -> None:
        old_stage, new_stage = stage(old), stage(new)
        if old_stage is not None and old_stage < 2 and new_stage is not None:
            if new_stage < old_stage:
                self.add(SYNC, "$.status", f"{new!r}, behind the recorded {old!r}")
            return  # under way in the recording; as far or further along here
        self.add(SYNC, "$.status", f"{_cut(new)}, recorded {_cut(old)}")

    # -- objects

    def object(self, old: dict[str, Any], new: dict[str, Any], where: str, shape: bool) -> None:
        optional = self._optional(where)
        if self.sync_read and where == "$":
            old_stage, new_stage = stage(old.get("status")), stage(new.get("status"))
            if old_stage is not None and new_stage is not None and new_stage > old_stage:
                optional = optional | PROGRESS_KEYS
        missing = [k for k in old if k not in new and k not in optional]
        extra = [k for k in new if k not in old and k not in optional]
        for key in missing:
            self.add(MISSING, _child(where, key), f"absent, recorded {_cut(old[key])}")
        for key in extra:
            self.add(EXTRA, _child(where, key), f"{_cut(new[key])}; the recording has none")
        old_order = [k for k in old if k in new]
        new_order = [k for k in new if k in old]
        if old_order != new_order:
            self.add(ORDER, where, f"{', '.join(new_order)}; recorded {', '.join(old_order)}")
        paired = self.scope in ("catalog", "instance") and where == "$"
        for key in old_order:
            if paired and key in ("items", "totalResults", "count", "hasMore"):
                continue
            self.value(old[key], new[key], _child(where, key), key, shape)
        if paired and "items" in old_order:
            self.paired_items(old, new, shape)

    def _optional(self, where: str) -> frozenset[str]:
        keys: frozenset[str] = frozenset()
        for rule in OPTIONAL_KEYS:
            if rule.scope == self.scope and rule.where.match(where):
                keys |= rule.keys
        return keys

    # -- arrays

    def array(self, old: list[Any], new: list[Any], where: str, shape: bool) -> None:
        if len(old) != len(new) and not shape:
            self.add(LENGTH, where, f"{len(new)} items, recorded {len(old)}")
        if shape:
            reference = old[:1]
            for index, item in enumerate(new):
                for model in reference:
                    self.value(model, item, f"{where}[{index}]", None, True)
            return
        for index, (was, now) in enumerate(zip(old, new, strict=False)):
            self.value(was, now, f"{where}[{index}]", None, shape)

    def paired_items(self, old: dict[str, Any], new: dict[str, Any], shape: bool) -> None:
        """Items of an instance's list, paired by identity (see the module's docstring)."""
        if _type(old["items"]) != "array" or _type(new["items"]) != "array":
            self.value(old["items"], new["items"], "$.items", "items", shape)
            return
        waiting: dict[str, list[Any]] = {}
        for item in new["items"]:
            waiting.setdefault(self._identity(item, recorded=False), []).append(item)
        only_recorded: list[tuple[str, Any]] = []
        for item in old["items"]:
            name = self._identity(item, recorded=True)
            if waiting.get(name):
                self.value(item, waiting[name].pop(0), f"$.items[{name}]", None, shape)
            else:
                only_recorded.append((name, item))
        only_replayed = [(name, item) for name, items in waiting.items() for item in items]
        for name, item in only_replayed:
            for model in old["items"][:1]:
                self.value(model, item, f"$.items[{name}]", None, True)
        for name, item in only_recorded:
            for model in new["items"][:1]:
                self.value(item, model, f"$.items[{name}]", None, True)
        counts = ("totalResults", "count", "hasMore")
        for key in counts:
            if key in old and key in new:
                unpaired = only_recorded or only_replayed
                self.value(old[key], new[key], f"$.{key}", key, shape or bool(unpaired))
        if only_recorded or only_replayed:
            self.result.notes.append(
                f"{len(only_recorded)} items only in the recording, {len(only_replayed)} only "
                "in the replay (the instance's own data; compared in shape)"
            )

    def _identity(self, item: Any, *, recorded: bool) -> str:
        if not isinstance(item, dict):
            return repr(item)
        keys = ("internalName", "name", "uri") if self.scope == "catalog" else ("uri", "name")
        for key in keys:
            value = item.get(key)
            if isinstance(value, str):
                if key == "uri" and recorded:
                    value = self.idmap.uri(value)
                return f"{key}={value}"
        return repr(sorted(item))


def _timestamp_form(value: str) -> tuple[int, str, bool] | None:
    """(fractional digits, zone, rounded to the millisecond) of a timestamp."""
    match = TIMESTAMP.match(value)
    if match is None:
        return None
    fraction = (match["fraction"] or ".")[1:]
    zone = match["zone"] or ""
    zone = zone if zone in ("Z", "") else "±hh:mm"
    rounded = len(fraction) > 3 and set(fraction[3:]) == {"0"}
    return len(fraction), zone, rounded


def _describe(form: tuple[int, str, bool]) -> str:
    digits, zone, rounded = form
    text = f"{digits} fractional digits, zone {zone or 'none'}"
    return text + (", to the millisecond" if rounded else "")


def _url_path(url: Any) -> str:
    if not isinstance(url, str):
        return ""
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _child(where: str, key: str) -> str:
    return f"{where}.{key}" if re.match(r"^[A-Za-z_][\w]*$", key) else f"{where}[{key!r}]"


def _cut(value: Any, width: int = 80) -> str:
    text = repr(value) if not isinstance(value, dict | list) else _compact(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _compact(value: Mapping[str, Any] | Sequence[Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
