"""The parity report and the waivers file: per operation and per exchange, same or
different with the first difference, in Markdown and JUnit XML; a difference is accepted
only by a waiver that names it and gives a reason."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from emulator.commands.replay import report, waivers
from emulator.commands.replay.compare import Difference
from emulator.commands.replay.report import Outcome, Run

FIELDS_RENAMED = Difference(
    "value", "$.items[internalName=C_Industry1].name", "'Industry', recorded 'industry_sfdc'"
)
STATUS = Difference("status", "status", "200, recorded 201")


def outcomes() -> list[Outcome]:
    return [
        Outcome(1, "GET /id", "GET", "/id", 200, 200),
        Outcome(
            2,
            "GET /contacts/fields",
            "GET",
            "/api/bulk/2.0/contacts/fields",
            200,
            200,
            [FIELDS_RENAMED],
        ),
        Outcome(
            3,
            "POST /contacts/imports",
            "POST",
            "/api/bulk/2.0/contacts/imports",
            201,
            200,
            [STATUS],
        ),
        Outcome(
            4, "POST /syncs", "POST", "/api/bulk/2.0/syncs", 429, skipped="the pod's rate limit"
        ),
    ]


def waive(path: Path, text: str, found: list[Outcome]) -> tuple[Run, list[Outcome]]:
    path.write_text(text, encoding="utf-8")
    accepted = waivers.load(path)
    used: set[int] = set()
    for outcome in found:
        outcome.waive(accepted, used)
    unused = tuple(w for i, w in enumerate(accepted) if i not in used)
    return Run("rec.jsonl", "an emulator", "now", 1.0, str(path), tuple(accepted), unused), found


WAIVERS = """
[[waiver]]
operation = "GET /contacts/fields"
where = "$.items[internalName=*].name"
reason = "the pod's administrators named their custom fields"

[[waiver]]
kind = "header"
reason = "stale: nothing differs in headers"
"""


def test_a_waiver_accepts_the_differences_it_names_and_no_others(tmp_path: Path) -> None:
    run, found = waive(tmp_path / "w.toml", WAIVERS, outcomes())
    assert [o.result for o in found] == ["same", "waived", "different", "skipped"]
    assert not report.passed(found)
    assert [w.reason for w in run.unused] == ["stale: nothing differs in headers"]
    assert report.summary(found) == "4 exchanges: 1 same, 1 waived, 1 different, 1 skipped"


def test_the_markdown_report_names_every_operation_exchange_and_difference(tmp_path: Path) -> None:
    run, found = waive(tmp_path / "w.toml", WAIVERS, outcomes())
    text = report.markdown(run, found)
    assert "**Result: different.** 4 exchanges: 1 same, 1 waived, 1 different, 1 skipped." in text
    assert (
        "| `POST /contacts/imports` | 1 | 0 | 0 | 1 | 0 | #3: status at status: 200, recorded 201 |"
        in text
    )
    assert "### 2. `GET /api/bulk/2.0/contacts/fields` — waived" in text
    industry = "`$.items[internalName=C_Industry1].name`: 'Industry', recorded 'industry_sfdc'"
    assert f"{industry} *(waiver 1)*" in text
    assert "Not replayed: the pod's rate limit" in text
    first = "operation 'GET /contacts/fields'; where '$.items[internalName=*].name'"
    assert f"| 1 | {first} | the pod's administrators named their custom fields | 1 | 1 |" in text
    assert "| 2 | kind 'header' | stale: nothing differs in headers | 0 (unused) | 0 |" in text
    assert (
        "| 3 | `POST /contacts/imports` | 200 (recorded 201) | different | status at status" in text
    )


def test_junit_has_a_suite_per_operation_and_a_case_per_exchange(tmp_path: Path) -> None:
    run, found = waive(tmp_path / "w.toml", WAIVERS, outcomes())
    root = ET.fromstring(report.junit(run, found))
    suites = {suite.get("name"): suite for suite in root}
    assert list(suites) == [
        "GET /id",
        "GET /contacts/fields",
        "POST /contacts/imports",
        "POST /syncs",
    ]
    failure = suites["POST /contacts/imports"].find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == "status at status: 200, recorded 201"
    assert suites["POST /contacts/imports"].get("failures") == "1"
    waived = suites["GET /contacts/fields"].find("testcase/skipped")
    assert waived is not None
    assert waived.get("message") == "waived: the pod's administrators named their custom fields"
    assert suites["GET /id"].find("testcase/*") is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[[waiver]]\noperation = "GET /id"\n', "waiver 1: a reason is required"),
        ('[[waiver]]\nreason = "all of it"\n', "waiver 1: name at least one of"),
        ('[[waiver]]\nreason = "r"\nwhere = 3\n', "waiver 1: where must be a string"),
        ('[[waiver]]\nreason = "r"\nexchange = 3\n', "waiver 1: unknown keys exchange"),
        ('[[waiver]]\nreason = "r"\nexchanges = ["3"]\n', "exchanges must be a list of numbers"),
        ("[other]\n", "only [[waiver]] tables are expected"),
        ("not toml = = 1", "w.toml"),
    ],
)
def test_a_waivers_file_that_cannot_be_used_says_why(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(waivers.WaiverError, match=error.replace("[", r"\[").replace("]", r"\]")):
        waivers.load(path)


def test_wildcards_are_star_and_question_mark_only() -> None:
    waiver = waivers.Waiver(reason="r", where="$.items[?]", exchanges=frozenset({2}))
    assert waiver.matches(2, "op", Difference("value", "$.items[0]", ""))
    assert not waiver.matches(2, "op", Difference("value", "$.itemsX0]", ""))
    assert not waiver.matches(3, "op", Difference("value", "$.items[0]", ""))
