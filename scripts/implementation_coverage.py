#!/usr/bin/env python3
"""The README's coverage table, generated from the same comparison as ``spec_drift.py``
(after moto's ``implementation_coverage.py``): per Oracle Bulk tag, how many operations the
emulator serves, and why the others are not emulated.

Usage: ``python scripts/implementation_coverage.py`` rewrites the section of ``README.md``
between the coverage markers; ``--check`` only says whether it is up to date.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import spec_drift

README = spec_drift.ROOT / "README.md"
START = "<!-- coverage:start -->"
END = "<!-- coverage:end -->"


def render(drift: spec_drift.Drift, spec: dict[str, object]) -> str:
    tags: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for operation, (tag, ours) in drift.operations.items():
        tags[tag].append((operation, ours))
    lines = [
        "| Oracle tag | operations | emulated | not emulated, and why |",
        "| --- | ---: | ---: | --- |",
    ]
    for tag in sorted(tags, key=str.lower):
        operations = tags[tag]
        missing = [op for op, ours in operations if not ours]
        reasons: dict[str, list[str]] = defaultdict(list)
        for op in missing:
            reasons[drift.excused[op]].append(f"`{op}`")
        why = "; ".join(f"{', '.join(ops)}: {reason}" for reason, ops in reasons.items()) or "—"
        if missing and len(missing) == len(operations) and len(reasons) == 1:
            why = f"all: {drift.excused[missing[0]]}"
        emulated = len(operations) - len(missing)
        lines.append(f"| `{tag}` | {len(operations)} | {emulated} | {why} |")
    total = len(drift.operations)
    served = sum(ours for _, ours in drift.operations.values())
    lines.append(f"| **all** | **{total}** | **{served}** | |")
    upstream = set(drift.operations)
    extra = sorted(
        spec_drift.operation_key(method, path)
        for path, item in spec_paths(spec)
        for method in spec_drift.METHODS
        if method in item and spec_drift.operation_key(method, path) not in upstream
    )
    properties = [i for i in [*drift.covered, *drift.excused] if i not in drift.operations]
    not_emulated = [i for i in drift.excused if i not in drift.operations]
    lines += [
        "",
        f"Query parameters and body properties: {len(properties) - len(not_emulated)} of "
        f"{len(properties)} in Oracle's Bulk schemas are emulated; the other "
        f"{len(not_emulated)} are named, with the reason, in `NOT_EMULATED` "
        "(`scripts/spec_drift.py`).",
        "",
        "Served beyond Oracle's Bulk tags: " + ", ".join(f"`{op}`" for op in extra) + ".",
    ]
    return "\n".join(lines)


def spec_paths(spec: dict[str, object]) -> list[tuple[str, dict[str, object]]]:
    paths = spec["paths"]
    assert isinstance(paths, dict)
    return list(paths.items())


def section() -> str:
    spec = spec_drift.load_spec()
    drift = spec_drift.compare(spec=spec)
    if not drift.ok:
        raise SystemExit(
            f"{spec_drift.report(drift)}\nAccount for these (emulate, or NOT_EMULATED with a "
            "reason) before the table can be written."
        )
    return f"{START}\n{render(drift, spec)}\n{END}"


def updated(readme: str) -> str:
    head, found, rest = readme.partition(START)
    if not found or END not in rest:
        raise SystemExit(f"README.md has no coverage markers ({START} … {END})")
    return head + section() + rest.partition(END)[2]


def main(argv: list[str]) -> int:
    readme = README.read_text(encoding="utf-8")
    new = updated(readme)
    if "--check" in argv:
        if new != readme:
            print("README.md's coverage table is stale: run `make coverage-doc`")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
