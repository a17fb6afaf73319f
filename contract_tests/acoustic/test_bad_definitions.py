"""Table-driven: the example body with one field made invalid is refused with a 400 that
names the field in meta.fieldErrors, and creates nothing. The messages are checked on the
emulator only (Acoustic publishes none); the cases that need the emulator's seed (a
contact list, a user who is not an Org Admin) run on it only. Should a pod accept one of
these bodies, the definition it made is deleted at the end of the run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from contract_tests.acoustic.conftest import JOBS
from contract_tests.acoustic.target import AcousticTarget

pytestmark = [pytest.mark.acoustic, pytest.mark.writes_pod_data]
Body = dict[str, Any]
C0 = "channels[0]"
SEED = pytest.mark.emulator_only  # the case names ids of the emulator's fixtures


def setting(*path: Any, value: Any = ...) -> Callable[[Body], None]:
    """Set (or, with no value, delete) the key at ``path``."""

    def change(body: Body) -> None:
        node = body
        for key in path[:-1]:
            node = node[key]
        if value is ...:
            del node[path[-1]]
        else:
            node[path[-1]] = value

    return change


def six_columns(body: Body) -> None:
    body["channels"][0]["columnNames"] = [
        {"columnName": f"contract-column-{i}", "columnOrder": i} for i in range(6)
    ]


CASES = [
    pytest.param(
        setting("contactSourceId"), "contactSourceId", "Required", id="no contactSourceId"
    ),
    pytest.param(
        setting("contactSourceId", value="not-a-number"),
        "contactSourceId",
        "Must be the numeric id of a database",
        id="contactSourceId not a number",
    ),
    pytest.param(
        setting("contactSourceId", value="423252"),
        "contactSourceId",
        "contactSourceId must be a database; contact lists and queries are not accepted",
        id="a contact list",
        marks=SEED,
    ),
    pytest.param(
        setting("contactSourceId", value="423253"),
        "contactSourceId",
        "contactSourceId must be a database; contact lists and queries are not accepted",
        id="a query",
        marks=SEED,
    ),
    pytest.param(setting("ftpUserId"), "ftpUserId", "Required", id="no ftpUserId"),
    pytest.param(
        setting("ftpUserId", value="not-an-email"),
        "ftpUserId",
        "Argument was not a valid email",
        id="ftpUserId not an email",
    ),
    pytest.param(
        setting("ftpUserId", value="analyst@example.com"),
        "ftpUserId",
        "The user is not an Org Admin",
        id="ftpUserId not an Org Admin",
        marks=SEED,
    ),
    pytest.param(
        setting("ftpUserId", value="admin.without.ftp@example.com"),
        "ftpUserId",
        "The user's FTP folder does not exist: the user must log in to FTP once",
        id="ftpUserId without FTP folder",
        marks=SEED,
    ),
    pytest.param(setting("channels"), "channels", "Required", id="no channels"),
    pytest.param(
        setting("channels", 0, "type", value="SMS"),
        f"{C0}.type",
        "SMS is not a supported channel type; the only supported type is Email",
        id="type SMS",
    ),
    pytest.param(
        setting("channels", 0, "jobFrequency", value=5),
        f"{C0}.jobFrequency",
        "5 is not a valid job frequency; valid values are 1,2,3,4,6,8,12,24",
        id="jobFrequency 5",
    ),
    pytest.param(
        setting("channels", 0, "jobFrequency"),
        f"{C0}.jobFrequency",
        "Required",
        id="no jobFrequency",
    ),
    pytest.param(
        setting("channels", 0, "exportFileFormat", value="XLS"),
        f"{C0}.exportFileFormat",
        "XLS is not a valid export file format; valid values are CSV,PSV,TSV",
        id="exportFileFormat XLS",
    ),
    pytest.param(
        setting("channels", 0, "eventTypes", value=[{"eventType": "emailReply"}]),
        f"{C0}.eventTypes[0].eventType",
        "emailReply is not a valid event type; valid values are "
        "emailClick,emailSend,emailSuppressed,emailOpen,emailBounce,emailOptOut",
        id="unknown eventType",
    ),
    pytest.param(
        setting("channels", 0, "mailingTypes", value=[{"mailingType": "Newsletter"}]),
        f"{C0}.mailingTypes[0].mailingType",
        "Newsletter is not a valid mailing type; valid values are "
        "SendExperience,Programs,AMG,AutoResponder,ABTest",
        id="unknown mailingType",
    ),
    pytest.param(
        six_columns,
        f"{C0}.columnNames",
        "At most 5 columns can be exported",
        id="six columns",
    ),
    pytest.param(
        setting(
            "channels",
            0,
            "columnNames",
            value=[{"columnName": "contract-suite-no-such-column", "columnOrder": 0}],
        ),
        f"{C0}.columnNames[0].columnName",
        "contract-suite-no-such-column is not a column of the database",
        id="unknown column",
    ),
    pytest.param(
        setting("channels", 0, "columnNames", value=[{"columnName": "column1"}]),
        f"{C0}.columnNames[0].columnOrder",
        "Required",
        id="column without columnOrder",
        marks=SEED,
    ),
]


@pytest.mark.parametrize(("change", "field", "message"), CASES)
def test_an_invalid_field_is_a_400_naming_it(
    acoustic: httpx.Client,
    acoustic_created: list[int],
    acoustic_target: AcousticTarget,
    definition: Body,
    change: Callable[[Body], None],
    field: str,
    message: str,
) -> None:
    change(definition)
    response = acoustic.post(JOBS, json=definition)
    if response.status_code == 200:  # a pod took it: keep the pod clean, then fail
        acoustic_created.append(response.json()["data"]["jobId"])
    assert response.status_code == 400, response.text
    errors = response.json()["meta"]["fieldErrors"]
    assert field in errors
    if acoustic_target.is_emulator:
        assert errors == {field: message}
