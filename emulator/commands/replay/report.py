"""The parity report: every exchange and every operation, same or different and the first
difference, as Markdown for people and as JUnit XML for CI (one test suite per operation,
one test case per exchange; a waived exchange is a skipped case carrying its reason, as
pytest reports an expected failure)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from emulator.commands.replay.compare import Difference
from emulator.commands.replay.waivers import Waiver

SAME, WAIVED, DIFFERENT, SKIPPED = "same", "waived", "different", "skipped"
RESULTS = (SAME, WAIVED, DIFFERENT, SKIPPED)
SHOWN = 20  # differences listed per exchange in the Markdown report


@dataclass
class Outcome:
    """One replayed exchange: its number in the recording (from 1) and what came of it."""

    number: int
    operation: str
    method: str
    path: str
    recorded_status: int
    status: int | None = None
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None
    waivers: dict[int, Waiver] = field(default_factory=dict)  # index in differences → waiver
    seconds: float = 0.0

    @property
    def result(self) -> str:
        if self.skipped is not None:
            return SKIPPED
        if not self.differences:
            return SAME
        return WAIVED if len(self.waivers) == len(self.differences) else DIFFERENT

    @property
    def unwaived(self) -> list[Difference]:
        return [d for i, d in enumerate(self.differences) if i not in self.waivers]

    @property
    def first(self) -> Difference | None:
        """The first difference no waiver accepts, else the first of all."""
        return next(iter(self.unwaived), None) or next(iter(self.differences), None)

    def waive(self, waivers: Sequence[Waiver], used: set[int]) -> None:
        for index, difference in enumerate(self.differences):
            for position, waiver in enumerate(waivers):
                if waiver.matches(self.number, self.operation, difference):
                    self.waivers[index] = waiver
                    used.add(position)
                    break


@dataclass(frozen=True)
class Run:
    """What was replayed against what, for the report's head."""

    recording: str
    target: str
    started: str
    seconds: float
    waivers_file: str | None = None
    waivers: tuple[Waiver, ...] = ()
    unused: tuple[Waiver, ...] = ()


def counts(outcomes: Sequence[Outcome]) -> Counter[str]:
    return Counter(outcome.result for outcome in outcomes)


def summary(outcomes: Sequence[Outcome]) -> str:
    tally = counts(outcomes)
    parts = ", ".join(f"{tally[result]} {result}" for result in RESULTS)
    return f"{len(outcomes)} exchanges: {parts}"


def passed(outcomes: Sequence[Outcome]) -> bool:
    return counts(outcomes)[DIFFERENT] == 0


def markdown(run: Run, outcomes: Sequence[Outcome]) -> str:
    lines = [
        "# Parity report",
        "",
        f"- Recording: `{run.recording}`, {len(outcomes)} exchanges",
        f"- Replayed against: {run.target}",
        f"- When: {run.started}, {run.seconds:.1f} s",
    ]
    if run.waivers_file:
        lines.append(
            f"- Waivers: `{run.waivers_file}`, {len(run.waivers)} ({len(run.unused)} unused)"
        )
    verdict = "same" if passed(outcomes) else "different"
    lines += ["", f"**Result: {verdict}.** {summary(outcomes)}.", ""]
    lines += _operations(outcomes)
    lines += _waivers(run, outcomes)
    lines += _differences(run, outcomes)
    lines += ["## Exchanges", "", "| # | operation | status | result | first difference |"]
    lines.append("| ---: | --- | --- | --- | --- |")
    for outcome in outcomes:
        lines.append(
            f"| {outcome.number} | `{outcome.operation}` | {_status(outcome)} | "
            f"{outcome.result} | {_cell(_first(outcome))} |"
        )
    return "\n".join(lines) + "\n"


def _operations(outcomes: Sequence[Outcome]) -> list[str]:
    lines = [
        "## Operations",
        "",
        "| operation | exchanges | same | waived | different | skipped | first difference |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.operation, []).append(outcome)
    for operation, group in groups.items():
        tally = counts(group)
        worst = next((o for o in group if o.result == DIFFERENT), None) or next(
            (o for o in group if o.result == WAIVED), None
        )
        first = f"#{worst.number}: {_first(worst)}" if worst else ""
        numbers = " | ".join(str(tally[result]) for result in RESULTS)
        lines.append(f"| `{operation}` | {len(group)} | {numbers} | {_cell(first)} |")
    return [*lines, ""]


def _waivers(run: Run, outcomes: Sequence[Outcome]) -> list[str]:
    if not run.waivers:
        return []
    lines = [
        "## Waivers",
        "",
        "| # | accepts | reason | differences | exchanges |",
        "| ---: | --- | --- | ---: | ---: |",
    ]
    for number, waiver in enumerate(run.waivers, 1):
        matched = [o for o in outcomes if waiver in o.waivers.values()]
        found = sum(list(o.waivers.values()).count(waiver) for o in matched)
        shown = str(found) if found else "0 (unused)"
        lines.append(
            f"| {number} | {_cell(waiver.describe())} | {_cell(waiver.reason, 1000)} | {shown} | "
            f"{len(matched)} |"
        )
    return [*lines, ""]


def _differences(run: Run, outcomes: Sequence[Outcome]) -> list[str]:
    shown = [o for o in outcomes if o.result in (DIFFERENT, WAIVED, SKIPPED) or o.notes]
    if not shown:
        return []
    lines = ["## Differences", ""]
    for outcome in shown:
        lines.append(f"### {outcome.number}. `{outcome.method} {outcome.path}` — {outcome.result}")
        lines.append("")
        if outcome.skipped:
            lines += [f"Not replayed: {outcome.skipped}", ""]
        for index, difference in enumerate(outcome.differences[:SHOWN]):
            waiver = outcome.waivers.get(index)
            note = f" *(waiver {_number(run, waiver)})*" if waiver else ""
            lines.append(
                f"- **{difference.kind}** at `{difference.where}`: {difference.detail}{note}"
            )
        more = len(outcome.differences) - SHOWN
        if more > 0:
            lines.append(f"- … and {more} more")
        lines += [f"- note: {note}" for note in outcome.notes]
        lines.append("")
    return lines


def _number(run: Run, waiver: Waiver) -> int:
    return next((n for n, w in enumerate(run.waivers, 1) if w is waiver), 0)


def _status(outcome: Outcome) -> str:
    if outcome.status is None:
        return f"— (recorded {outcome.recorded_status})"
    if outcome.status == outcome.recorded_status:
        return str(outcome.status)
    return f"{outcome.status} (recorded {outcome.recorded_status})"


def _first(outcome: Outcome) -> str:
    if outcome.skipped:
        return f"not replayed: {outcome.skipped}"
    first = outcome.first
    return "" if first is None else str(first)


def _cell(text: str, width: int = 160) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def junit(run: Run, outcomes: Sequence[Outcome]) -> str:
    root = ET.Element("testsuites", name="parity", time=f"{run.seconds:.3f}")
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.operation, []).append(outcome)
    for operation, group in groups.items():
        tally = counts(group)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=operation,
            tests=str(len(group)),
            failures=str(tally[DIFFERENT]),
            errors="0",
            skipped=str(tally[WAIVED] + tally[SKIPPED]),
            time=f"{sum(o.seconds for o in group):.3f}",
        )
        for outcome in group:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"parity.{operation}",
                name=f"#{outcome.number} {outcome.method} {outcome.path}",
                time=f"{outcome.seconds:.3f}",
            )
            if outcome.result == DIFFERENT:
                failure = ET.SubElement(
                    case, "failure", type="different", message=str(outcome.first)
                )
                failure.text = "\n".join(str(d) for d in outcome.unwaived)
            elif outcome.result == WAIVED:
                reasons = sorted({w.reason for w in outcome.waivers.values()})
                skipped = ET.SubElement(
                    case, "skipped", type="waived", message="waived: " + "; ".join(reasons)
                )
                skipped.text = "\n".join(str(d) for d in outcome.differences)
            elif outcome.result == SKIPPED:
                ET.SubElement(case, "skipped", type="not replayed", message=outcome.skipped or "")
            if outcome.notes:
                ET.SubElement(case, "system-out").text = "\n".join(outcome.notes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
