"""A job's rotation writes one file of the events since the previous one: the example
body's job (emailSend and emailOpen of SendExperience mailings, with ``column1``) is
rotated once to start afresh, four events are added (two it exports, a click and a
Programs send it does not), and the next rotation's file has the documented header and
exactly the two rows. Uses the emulator's control plane (events, rotation, files), so it
runs on the emulator only."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis

from contract_tests.acoustic.conftest import JOBS, ROOT, checked_client
from contract_tests.acoustic.target import AcousticTarget
from contract_tests.limits import Limiter

pytestmark = [pytest.mark.acoustic, pytest.mark.emulator_only, pytest.mark.writes_pod_data]

CONTROL_SPEC = ROOT / "openapi" / "emulator-control.yaml"
STANDARD_COLUMNS = [
    "Email",
    "RECIPIENT_ID",
    "ENCODED_RECIPIENT_ID",
    "contactId",
    "code",
    "messageId",
    "userAgent",
    "messageName",
    "mailingTemplateId",
    "subjectLine",
    "docType",
    "reportId",
    "sendType",
    "bounceType",
    "urlDescription",
    "clickUrl",
    "optOutDetails",
    "messageGroupId",
    "programId",
    "timestamp",
    "originatedFrom",
    "eventId",
    "externalSystemName",
    "externalSystemReferenceId",
    "trackingCode",
]
DATABASE = 423251
CONTACT = 2400005  # zoe.muller@example.com, column1 "E|5"


@pytest.fixture
def control(acoustic_target: AcousticTarget, acoustic_limiter: Limiter) -> Iterator[httpx.Client]:
    """The emulator's control plane, as a program calls it."""
    schema = schemathesis.openapi.from_path(str(CONTROL_SPEC))
    headers = {"X-Emulator-Control": "1"}
    with checked_client(acoustic_target, schema, acoustic_limiter, headers) as client:
        yield client


def event(event_type: str, mailing_type: str, run_id: str, **columns: str) -> dict[str, Any]:
    return {
        "databaseId": DATABASE,
        "recipientId": CONTACT,
        "eventType": event_type,
        "mailingType": mailing_type,
        "messageName": f"contract-{run_id}",
        **columns,
    }


def rotate(control: httpx.Client, job_id: int) -> dict[str, Any]:
    response = control.post(f"/_emulator/acoustic/jobs/{job_id}/rotate")
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_rotation_writes_the_header_and_one_row_per_matching_event(
    acoustic: httpx.Client,
    acoustic_created: list[int],
    control: httpx.Client,
    definition: dict[str, Any],
    run_id: str,
) -> None:
    response = acoustic.post(JOBS, json=definition)
    assert response.status_code == 200, response.text
    job_id = response.json()["data"]["jobId"]
    acoustic_created.append(job_id)
    rotate(control, job_id)  # the first rotation also exports what came before the job

    added = control.post(
        "/_emulator/acoustic/events",
        json={
            "events": [
                event("emailSend", "SendExperience", run_id, subjectLine="Hello, world"),
                event("emailOpen", "SendExperience", run_id, userAgent="Mozilla/5.0 (X11)"),
                event("emailClick", "SendExperience", run_id, clickUrl="https://example.com/"),
                event("emailSend", "Programs", run_id, programId="77"),
            ]
        },
    )
    assert added.status_code == 201, added.text

    rotation = rotate(control, job_id)
    file = rotation["file"]
    # <term>_<channel>_<yyyyMMddHHmmss>_<jobFrequency>.csv; a second file of the same second
    # gets a -N suffix (the emulator's; two rotations a second happen only when asked for)
    assert re.fullmatch(r"Test_Email_Email_[0-9]{14}_1(-[0-9]+)?\.csv", file["name"])
    assert (file["rows"], file["ftpUserId"]) == (2, definition["ftpUserId"])

    listed = control.get("/_emulator/acoustic/files", params={"jobId": job_id}).json()
    assert listed["items"][0]["name"] == file["name"]
    downloaded = control.get(file["url"])
    assert downloaded.status_code == 200
    raw = downloaded.content
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte order mark
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert raw.split(b"\r\n", 1)[0] == ",".join([*STANDARD_COLUMNS, "column1"]).encode()
    assert header == [*STANDARD_COLUMNS, "column1"]
    shown = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(r["code"], r["sendType"]) for r in shown] == [
        ("emailSend", "SendExperience"),
        ("emailOpen", "SendExperience"),
    ]
    for row in shown:
        assert (row["Email"], row["RECIPIENT_ID"], row["column1"]) == (
            "zoe.muller@example.com",
            str(CONTACT),
            "E|5",
        )
        assert row["messageName"] == f"contract-{run_id}"
    assert shown[0]["subjectLine"] == "Hello, world"
    assert shown[1]["userAgent"] == "Mozilla/5.0 (X11)"
    assert b'"Hello, world"' in raw  # RFC 4180 quoting of a value holding the delimiter

    assert acoustic.delete(f"{JOBS}/{job_id}").status_code == 200
    acoustic_created.remove(job_id)
