"""Fault rules: what a test asks the emulator to do wrong, and when (control plane,
``/_emulator/faults``; the middleware is ``http/faults``).

A rule matches a request by method, path pattern and site, fires with its probability
(drawn from its own ``random.Random(seed)``, so a run repeats) until it has fired ``times``
times, and then either answers in one of Eloqua's failure shapes, waits, or cuts the
connection. Rules are tried in the order they were made; the first that fires decides.
Pure: parsing, validation and the draw; no I/O.
"""

from __future__ import annotations

import math
import random
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from emulator.core import constraints as c
from emulator.core.errors import Failure, NotFound, ValidationFailed

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
STATUSES = (401, 429, 500, 503)
RESET = "connection_reset"
# Bulk 500s with retry hints (reference §13.2): errorSeverity → Retry-After seconds.
SEVERITY_RETRY_AFTER = {0: 3600, 1: 1800, 2: 900, 3: 120}
TEMPORARY_ERROR = "Unable to process request due to a temporary error."
DEFAULT_RETRY_AFTER = {429: 1, 503: 1}  # [INF]: a pod documents none for these
LATENCY_MAX_MS = 600_000
TIMES_MAX = 1_000_000
PATTERN_MAX = 500
KEYS = frozenset(
    {
        "method",
        "path",
        "site",
        "status",
        "retryAfter",
        "errorSeverity",
        "error",
        "latencyMs",
        "fault",
        "probability",
        "seed",
        "times",
    }
)
_SLASHES = re.compile(r"/{2,}")


def compile_path(pattern: str) -> re.Pattern[str]:
    """A glob over the normalised request path, case-insensitive (pods answer
    ``/API/Bulk/2.0`` and ``/api/bulk/2.0`` alike): ``*`` and ``?`` stay within a segment,
    ``**`` crosses segments."""
    pattern = _SLASHES.sub("/", pattern)
    if len(pattern) > 1:
        pattern = pattern.rstrip("/") or "/"
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            parts.append(".*")
            i += 2
            continue
        char = pattern[i]
        parts.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
        i += 1
    return re.compile("^" + "".join(parts) + "$", re.IGNORECASE)


@dataclass(frozen=True)
class Latency:
    """A delay: ``fixed`` (``a`` ms), ``uniform`` (``a`` to ``b`` ms) or ``lognormal``
    (median ``a`` ms, sigma ``b``)."""

    dist: str
    a: float
    b: float = 0.0

    def draw(self, rng: random.Random) -> float:
        """Seconds to wait."""
        if self.dist == "uniform":
            ms = rng.uniform(self.a, self.b)
        elif self.dist == "lognormal":
            ms = rng.lognormvariate(math.log(self.a), self.b) if self.a > 0 else 0.0
        else:
            ms = self.a
        return min(max(ms, 0.0), LATENCY_MAX_MS) / 1000.0

    def describe(self) -> Any:
        if self.dist == "uniform":
            return {"dist": "uniform", "min": self.a, "max": self.b}
        if self.dist == "lognormal":
            return {"dist": "lognormal", "median": self.a, "sigma": self.b}
        return self.a


@dataclass(frozen=True)
class Spec:
    """A validated rule, as asked for."""

    path: str
    method: str | None = None
    site: str | None = None
    status: int | None = None
    retry_after: int | None = None
    error_severity: int | None = None
    error: str | None = None
    latency: Latency | None = None
    fault: str | None = None
    probability: float = 1.0
    seed: int = 0
    times: int | None = None

    @property
    def kind(self) -> str:
        """What firing does, for metrics and the journal: ``status_500``,
        ``connection_reset`` or ``latency``."""
        if self.status is not None:
            return f"status_{self.status}"
        return self.fault or "latency"


@dataclass(frozen=True)
class Fired:
    """What a rule that fired asks of this request."""

    rule: int
    spec: Spec
    delay: float  # seconds to wait first

    @property
    def kind(self) -> str:
        return self.spec.kind


@dataclass(eq=False)  # a rule is itself: compared by identity
class Rule:
    id: int
    spec: Spec
    pattern: re.Pattern[str]
    rng: random.Random
    fired: int = 0

    @property
    def spent(self) -> bool:
        return self.spec.times is not None and self.fired >= self.spec.times

    def describe(self) -> dict[str, Any]:
        spec = self.spec
        item: dict[str, Any] = {
            "id": self.id,
            "method": spec.method,
            "path": spec.path,
            "site": spec.site,
        }
        if spec.status is not None:
            item["status"] = spec.status
            if spec.status != 401:
                item["retryAfter"] = spec.retry_after
            if spec.status == 500:
                item["errorSeverity"] = spec.error_severity
                item["error"] = spec.error
        if spec.latency is not None:
            item["latencyMs"] = spec.latency.describe()
        if spec.fault is not None:
            item["fault"] = spec.fault
        remaining = None if spec.times is None else max(spec.times - self.fired, 0)
        item.update(
            {
                "probability": spec.probability,
                "seed": spec.seed,
                "times": spec.times,
                "fired": self.fired,
                "remaining": remaining,
            }
        )
        return item


def parse(body: Any) -> Spec:
    """A rule from its JSON; every problem at once, as Eloqua-shaped failures."""
    if not isinstance(body, dict):
        raise ValidationFailed([Failure("body", c.BODY_NOT_OBJECT, body)])
    failures = [
        Failure(key, c.FAULT_UNKNOWN_PROPERTY, body[key]) for key in body if key not in KEYS
    ]
    checks = _Checks(body, failures)
    path = checks.path()
    spec = Spec(
        path=path or "/",
        method=checks.method(),
        site=checks.site(),
        status=checks.status(),
        latency=checks.latency(),
        fault=checks.fault(),
        probability=checks.probability(),
        seed=checks.integer("seed", 0, c.FAULT_SEED),
        times=checks.times(),
    )
    spec = checks.retry_hints(spec)
    if not any(body.get(key) is not None for key in ("status", "latencyMs", "fault")):
        failures.append(Failure("body", c.FAULT_OUTCOME, None, has_value=False))
    if spec.status is not None and spec.fault is not None:
        failures.append(Failure("fault", c.FAULT_OUTCOME, spec.fault))
    if failures:
        raise ValidationFailed(failures)
    return spec


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass
class _Checks:
    body: Mapping[str, Any]
    failures: list[Failure]

    def fail(self, key: str, constraint: str) -> None:
        self.failures.append(Failure(key, constraint, self.body.get(key)))

    def path(self) -> str | None:
        value = self.body.get("path")
        if "path" not in self.body:
            self.failures.append(Failure("path", c.PROPERTY_REQUIRED, None, has_value=False))
            return None
        if not (isinstance(value, str) and value.startswith("/") and len(value) <= PATTERN_MAX):
            self.fail("path", c.FAULT_PATH)
            return None
        return value

    def method(self) -> str | None:
        value = self.body.get("method")
        if value is None:
            return None
        if not (isinstance(value, str) and value.upper() in METHODS):
            self.fail("method", c.FAULT_METHOD.format(values=", ".join(METHODS)))
            return None
        return value.upper()

    def site(self) -> str | None:
        value = self.body.get("site")
        if value is None:
            return None
        if not (isinstance(value, str) and 1 <= len(value.strip()) <= 100):
            self.fail("site", c.FAULT_SITE)
            return None
        return value.strip()

    def status(self) -> int | None:
        value = self.body.get("status")
        if value is None:
            return None
        if not (_is_int(value) and value in STATUSES):
            self.fail("status", c.FAULT_STATUS.format(values=", ".join(map(str, STATUSES))))
            return None
        return int(value)

    def fault(self) -> str | None:
        value = self.body.get("fault")
        if value is None:
            return None
        if value != RESET:
            self.fail("fault", c.FAULT_KIND)
            return None
        return RESET

    def probability(self) -> float:
        value = self.body.get("probability", 1.0)
        if not (_is_number(value) and 0 <= value <= 1):
            self.fail("probability", c.FAULT_PROBABILITY)
            return 1.0
        return float(value)

    def integer(self, key: str, default: int, constraint: str) -> int:
        value = self.body.get(key, default)
        if not (_is_int(value) and -(2**63) <= value < 2**63):
            self.fail(key, constraint)
            return default
        return int(value)

    def times(self) -> int | None:
        value = self.body.get("times")
        if value is None:
            return None
        if not (_is_int(value) and 1 <= value <= TIMES_MAX):
            self.fail("times", c.FAULT_TIMES.format(high=TIMES_MAX))
            return None
        return int(value)

    def latency(self) -> Latency | None:
        value = self.body.get("latencyMs")
        if value is None:
            return None
        found = _latency(value)
        if found is None:
            self.fail("latencyMs", c.FAULT_LATENCY.format(high=LATENCY_MAX_MS))
        return found

    def retry_hints(self, spec: Spec) -> Spec:
        """``retryAfter`` (429, 500, 503), ``errorSeverity`` and ``error`` (500 only), with
        the defaults of reference §13.2: severity 3, and the Retry-After of the severity.
        ``retryAfter: null`` sends no Retry-After."""
        status = spec.status
        retry_after: int | None = None
        severity: int | None = None
        error: str | None = None
        if status == 500:
            severity = self._severity()
            error = self._error()
        elif "errorSeverity" in self.body:
            self.fail("errorSeverity", c.FAULT_ONLY_WITH.format(statuses="500"))
        elif "error" in self.body:
            self.fail("error", c.FAULT_ONLY_WITH.format(statuses="500"))
        if status in (429, 500, 503):
            if "retryAfter" in self.body:
                retry_after = self._retry_after()
            elif status == 500:
                retry_after = SEVERITY_RETRY_AFTER[severity if severity is not None else 3]
            else:
                retry_after = DEFAULT_RETRY_AFTER[status]
        elif "retryAfter" in self.body:
            self.fail("retryAfter", c.FAULT_ONLY_WITH.format(statuses="429, 500 or 503"))
        return replace(spec, retry_after=retry_after, error_severity=severity, error=error)

    def _severity(self) -> int:
        value = self.body.get("errorSeverity", 3)
        if not (_is_int(value) and value in SEVERITY_RETRY_AFTER):
            self.fail("errorSeverity", c.FAULT_SEVERITY)
            return 3
        return int(value)

    def _error(self) -> str:
        value = self.body.get("error", TEMPORARY_ERROR)
        if not (isinstance(value, str) and 1 <= len(value) <= 500):
            self.fail("error", c.FAULT_ERROR)
            return TEMPORARY_ERROR
        return value

    def _retry_after(self) -> int | None:
        value = self.body["retryAfter"]
        if value is None:
            return None
        if not (_is_int(value) and 0 <= value <= 86400):
            self.fail("retryAfter", c.FAULT_RETRY_AFTER)
            return None
        return int(value)


def _latency(value: Any) -> Latency | None:
    def ms(number: Any) -> bool:
        return _is_number(number) and 0 <= number <= LATENCY_MAX_MS

    if ms(value):
        return Latency("fixed", float(value))
    if not isinstance(value, dict):
        return None
    dist = value.get("dist")
    if dist == "uniform" and set(value) == {"dist", "min", "max"}:
        low, high = value["min"], value["max"]
        if ms(low) and ms(high) and low <= high:
            return Latency("uniform", float(low), float(high))
    if dist == "lognormal" and set(value) <= {"dist", "median", "sigma"} and "median" in value:
        median, sigma = value["median"], value.get("sigma", 0.5)
        if ms(median) and _is_number(sigma) and 0 <= sigma <= 10:
            return Latency("lognormal", float(median), float(sigma))
    return None


def parse_all(items: Any) -> list[Spec]:
    """A rules file: a JSON array of rules. Failures name the rule by its index."""
    if not isinstance(items, list):
        raise ValidationFailed([Failure("rules", c.FAULT_RULES_LIST, None, has_value=False)])
    specs: list[Spec] = []
    failures: list[Failure] = []
    for index, item in enumerate(items):
        try:
            specs.append(parse(item))
        except ValidationFailed as exc:
            failures += [
                Failure(f"[{index}].{f.field}", f.constraint, f.value, f.has_value)
                for f in exc.failures
            ]
    if failures:
        raise ValidationFailed(failures)
    return specs


@dataclass
class FaultBook:
    """The app's rules, in memory, behind a lock (requests and the control plane touch
    them from the event loop and from test threads). ``active`` is read without the lock
    on every request: while no rule can fire, a request costs one attribute read."""

    _rules: list[Rule] = field(default_factory=list)
    _next: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)
    active: bool = False

    def add(self, spec: Spec) -> Rule:
        with self._lock:
            rule = Rule(self._next, spec, compile_path(spec.path), random.Random(spec.seed))
            self._next += 1
            self._rules.append(rule)
            self._refresh()
            return rule

    def extend(self, specs: Iterable[Spec]) -> list[Rule]:
        return [self.add(spec) for spec in specs]

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.describe() for rule in self._rules]

    def get(self, rule_id: int) -> dict[str, Any]:
        with self._lock:
            return self._find(rule_id).describe()

    def remove(self, rule_id: int) -> None:
        with self._lock:
            self._rules.remove(self._find(rule_id))
            self._refresh()

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()
            self._refresh()

    def candidates(self, method: str, path: str) -> list[Rule]:
        """Rules whose method and path match and that may still fire."""
        with self._lock:
            return [
                rule
                for rule in self._rules
                if not rule.spent
                and (rule.spec.method is None or rule.spec.method == method)
                and rule.pattern.match(path)
            ]

    def draw(self, rules: list[Rule], site: str | None) -> Fired | None:
        """The first of ``rules`` that fires for this request's site, counted as fired; a
        rule's random draw happens only once everything else about it matched."""
        with self._lock:
            for rule in rules:
                if rule.spent or not any(kept is rule for kept in self._rules):
                    continue
                wanted = rule.spec.site
                if wanted is not None and (site is None or site.casefold() != wanted.casefold()):
                    continue
                probability = rule.spec.probability
                if probability < 1 and not rule.rng.random() < probability:
                    continue
                rule.fired += 1
                latency = rule.spec.latency
                delay = latency.draw(rule.rng) if latency is not None else 0.0
                self._refresh()
                return Fired(rule.id, rule.spec, delay)
        return None

    def _find(self, rule_id: int) -> Rule:
        for rule in self._rules:
            if rule.id == rule_id:
                return rule
        raise NotFound([Failure("id", c.FAULT_UNKNOWN, rule_id)])

    def _refresh(self) -> None:
        self.active = any(not rule.spent for rule in self._rules)
