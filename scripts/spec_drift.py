#!/usr/bin/env python3
"""Upstream drift: every Bulk operation, query parameter and body property in Oracle's
published Swagger is either in our spec or named in ``NOT_EMULATED`` with a reason.

Oracle's file is too large to keep; ``openapi/upstream/`` holds its structure (per tag,
descriptions left out). When Oracle adds an operation or a field, refreshing that snapshot
makes ``make spec-drift`` and ``tests/test_spec_drift.py`` name it until it is emulated or
listed here. A ``NOT_EMULATED`` pattern that matches nothing fails too, so the list never
outlives what it excuses.

Items are strings: ``GET /api/bulk/2.0/syncs`` (an operation), ``… ?links`` (a query
parameter), ``… request.fields`` / ``… response.items[].uri`` (body properties, nested ones
through arrays and referenced schemas). Path parameters are compared by position only.
``NOT_EMULATED`` keys are ``fnmatch`` patterns over those strings.

Usage: ``python scripts/spec_drift.py`` prints the report and exits 1 on anything
unaccounted for.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "eloqua-bulk-2.0.yaml"
UPSTREAM = ROOT / "openapi" / "upstream"
PATH_PARAMETER = re.compile(r"\{[^}]*\}")
METHODS = ("get", "post", "put", "patch", "delete")

NOT_EMULATED: dict[str, str] = {
    "* /api/bulk/2.0/phoneNumbers/*": (
        "SMS phone-number imports: no field catalog, tutorial or recorded traffic is public, "
        "so there is nothing faithful to emulate"
    ),
    "GET /api/bulk/2.0/imports/priorities*": (
        "no public source shows the priorities a pod holds; importPriorityUri is checked for "
        "its form only"
    ),
    "GET * ?links": (
        "HAL-style link filtering; the emulator's responses carry no links section to filter"
    ),
    **{
        f"POST /api/bulk/2.0/syncs request.{name}": (
            "a read-only sync property in Oracle's request schema; a pod ignores it in a "
            "request and so does the emulator"
        )
        for name in ("createdAt", "createdBy", "status", "syncStartedAt", "syncEndedAt", "uri")
    },
    "GET /api/bulk/2.0/*/imports response.items[].syncActions*": (
        "Oracle's shared list-item schema; the same file's create and read bodies for these "
        "families have no syncActions, and neither do their definitions here"
    ),
    "GET /api/bulk/2.0/activities/exports response.items[].syncActions*": (
        "Oracle's shared list-item schema; the same file's create and read bodies for "
        "activity exports have no syncActions, and neither do their definitions here"
    ),
}


@dataclass
class Drift:
    """The comparison: each upstream item is covered, excused, or unaccounted for."""

    covered: list[str] = field(default_factory=list)
    excused: dict[str, str] = field(default_factory=dict)  # item -> reason
    unaccounted: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # NOT_EMULATED patterns matching nothing
    operations: dict[str, tuple[str, bool]] = field(default_factory=dict)  # op -> (tag, ours)

    @property
    def ok(self) -> bool:
        return not self.unaccounted and not self.unused


def compare(
    spec: dict[str, Any] | None = None,
    upstream: list[dict[str, Any]] | None = None,
    not_emulated: dict[str, str] | None = None,
) -> Drift:
    spec = spec if spec is not None else load_spec()
    upstream = upstream if upstream is not None else load_upstream()
    excuses = NOT_EMULATED if not_emulated is None else not_emulated
    ours = dict(_our_items(spec))
    drift = Drift()
    used: set[str] = set()
    for tag in upstream:
        for item, operation in _upstream_items(tag):
            if item == operation:
                drift.operations[operation] = (str(tag["tag"]), operation in ours)
            if _covered(item, operation, ours):
                drift.covered.append(item)
                continue
            pattern = next((p for p in excuses if fnmatch.fnmatchcase(item, p)), None)
            if pattern is None:
                drift.unaccounted.append(item)
            else:
                used.add(pattern)
                drift.excused[item] = excuses[pattern]
    drift.unused = [p for p in excuses if p not in used]
    return drift


def load_spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


def load_upstream() -> list[dict[str, Any]]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(UPSTREAM.glob("bulk-2.0-*.yaml"))
    ]


def operation_key(method: str, path: str) -> str:
    return f"{method.upper()} {PATH_PARAMETER.sub('{}', path)}"


def _upstream_items(tag: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(item, operation)`` for each operation, query parameter and body property."""
    components = tag.get("components") or {}
    for op in tag["operations"]:
        key = operation_key(op["method"], op["path"])
        yield key, key
        for parameter in op.get("parameters") or ():
            if parameter["in"] == "query":
                yield f"{key} ?{parameter['name']}", key
        if op.get("requestBody"):
            for prop in _properties(op["requestBody"], components.get, "request"):
                yield f"{key} {prop}", key
        for status, schema in (op.get("responses") or {}).items():
            if str(status).startswith("2") and schema:
                for prop in _properties(schema, components.get, "response"):
                    yield f"{key} {prop}", key


def _our_items(spec: dict[str, Any]) -> Iterator[tuple[str, set[str]]]:
    """Each of our operations and the set of its items (query parameters, body properties,
    and ``prefix.*`` for objects that take any property)."""
    schemas = spec.get("components", {}).get("schemas", {})

    def resolve(name: str) -> Any:
        return schemas.get(name)

    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            found: set[str] = set()
            for parameter in [*shared, *op.get("parameters", [])]:
                parameter = _deref(spec, parameter)
                if parameter.get("in") == "query":
                    found.add(f"?{parameter['name']}")
            body = op.get("requestBody", {})
            for media in _deref(spec, body).get("content", {}).values():
                if "schema" in media:
                    found.update(_properties(media["schema"], resolve, "request", open_=True))
            for status, response in op.get("responses", {}).items():
                if not str(status).startswith("2"):
                    continue
                for media in _deref(spec, response).get("content", {}).values():
                    if "schema" in media:
                        found.update(_properties(media["schema"], resolve, "response", open_=True))
            yield operation_key(method, path), found


def _deref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _properties(
    schema: Any,
    resolve: Any,
    prefix: str,
    *,
    open_: bool = False,
    seen: frozenset[str] = frozenset(),
) -> Iterator[str]:
    """Dotted paths of a schema's properties; arrays add ``[]``. With ``open_``, an object
    without listed properties yields ``prefix.*`` (it takes any)."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        if name in seen:
            return
        yield from _properties(resolve(name), resolve, prefix, open_=open_, seen=seen | {name})
        return
    for combined in ("allOf", "oneOf", "anyOf"):
        for part in schema.get(combined, ()):
            yield from _properties(part, resolve, prefix, open_=open_, seen=seen)
    if "items" in schema and schema.get("type") == "array":
        yield from _properties(schema["items"], resolve, f"{prefix}[]", open_=open_, seen=seen)
    properties = schema.get("properties") or {}
    for name, sub in properties.items():
        yield f"{prefix}.{name}"
        yield from _properties(sub, resolve, f"{prefix}.{name}", open_=open_, seen=seen)
    if open_ and schema.get("type") == "object" and not properties:
        yield f"{prefix}.*"
    if open_ and schema.get("additionalProperties") not in (None, False):
        yield f"{prefix}.*"


def _covered(item: str, operation: str, ours: dict[str, set[str]]) -> bool:
    if operation not in ours:
        return False
    if item == operation:
        return True
    found = ours[operation]
    detail = item.removeprefix(operation + " ")
    if detail in found:
        return True
    parts = detail.split(".")
    return any(".".join(parts[:n]) + ".*" in found for n in range(1, len(parts)))


def report(drift: Drift) -> str:
    lines = [
        f"upstream items: {len(drift.covered) + len(drift.excused) + len(drift.unaccounted)}",
        f"  covered by openapi/eloqua-bulk-2.0.yaml: {len(drift.covered)}",
        f"  not emulated (NOT_EMULATED, with a reason): {len(drift.excused)}",
        f"  unaccounted for: {len(drift.unaccounted)}",
    ]
    lines += [f"    {item}" for item in drift.unaccounted]
    if drift.unused:
        lines.append(f"NOT_EMULATED patterns matching nothing: {len(drift.unused)}")
        lines += [f"    {pattern}" for pattern in drift.unused]
    return "\n".join(lines)


def main() -> int:
    drift = compare()
    print(report(drift))
    return 0 if drift.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
