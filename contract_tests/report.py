"""The per-operation report of a contract run (``--report PATH``): every operation of the
contract with passed, failed, skipped (and why) or not run, as Markdown. An operation the
run selected but never reported on fails the session: nothing is skipped silently."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

OPERATION = re.compile(r"\[(?P<method>[A-Z]+) (?P<path>[^\]]+)\]$")
METHODS = ("get", "put", "post", "delete", "patch")


def operations(spec: Path) -> list[str]:
    document: dict[str, Any] = yaml.safe_load(spec.read_text(encoding="utf-8"))
    return [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in METHODS
        if method in item
    ]


class Report:
    def __init__(self, spec: Path, path: Path) -> None:
        self.spec, self.path = spec, path
        self.selected: set[str] = set()
        self.outcomes: dict[str, tuple[str, str]] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.selected = {op for item in items if (op := _operation(item.nodeid))}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        operation = _operation(report.nodeid)
        if operation is None:
            return
        if report.failed:
            self.outcomes[operation] = ("failed", _first_line(report.longreprtext))
        elif report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
            self.outcomes.setdefault(operation, ("skipped", str(reason).removeprefix("Skipped: ")))
        elif report.when == "call":
            self.outcomes.setdefault(operation, ("passed", ""))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        rows = []
        for operation in operations(self.spec):
            outcome, detail = self.outcomes.get(operation, ("not run", ""))
            if outcome == "not run" and operation in self.selected:
                outcome, detail = "failed", "selected but never reported"
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
            rows.append(f"| `{operation}` | {outcome} | {detail.replace('|', '/')} |")
        counts = {
            kind: sum(1 for row in rows if f"| {kind} |" in row)
            for kind in ("passed", "failed", "skipped", "not run")
        }
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.path.write_text(
            f"# Contract report\n\n{summary}\n\n| operation | outcome | detail |\n"
            "| --- | --- | --- |\n" + "\n".join(rows) + "\n",
            encoding="utf-8",
        )


def _operation(nodeid: str) -> str | None:
    if "test_conformance.py" not in nodeid:
        return None
    match = OPERATION.search(nodeid)
    return f"{match['method']} {match['path']}" if match else None


def _first_line(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip(" |")
        if stripped.startswith(("- ST", "E ")):
            return stripped.removeprefix("E ").strip()
    return "failed"
