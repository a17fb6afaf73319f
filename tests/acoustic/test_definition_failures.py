"""Every invalid field of reference §2.1, one row each: the example body with one change,
the status, and the exact error envelope; nothing is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.acoustic.helpers import JOBS, Acoustic, errors, example

Body = dict[str, Any]
FREQUENCY = "is not a valid job frequency; valid values are 1,2,3,4,6,8,12,24"
EVENTS = "emailClick,emailSend,emailSuppressed,emailOpen,emailBounce,emailOptOut"
MAILINGS = "SendExperience,Programs,AMG,AutoResponder,ABTest"
FILE_NAME = (
    'Must be text of at most 200 characters without control characters or any of / \\ : * ? " < > |'
)
C0 = "channels[0]"


def top(key: str, value: Any) -> Callable[[Body], None]:
    def change(body: Body) -> None:
        if value is ...:
            del body[key]
        else:
            body[key] = value

    return change


def channel(key: str, value: Any) -> Callable[[Body], None]:
    def change(body: Body) -> None:
        if value is ...:
            del body["channels"][0][key]
        else:
            body["channels"][0][key] = value

    return change


def columns(*pairs: tuple[Any, Any]) -> Callable[[Body], None]:
    """``columnNames`` from ``(name, order)`` pairs; ``...`` leaves the key out."""
    items = [
        {k: v for k, v in (("columnName", name), ("columnOrder", order)) if v is not ...}
        for name, order in pairs
    ]
    return channel("columnNames", items)


def second_email_channel(body: Body) -> None:
    body["channels"].append({"type": "Email", "jobFrequency": 2})


SIX = [
    ("column1", 0),
    ("First Name", 1),
    ("Last Name", 2),
    ("Country", 3),
    ("City", 4),
    ("Loyalty Tier", 5),
]

# (id, change, status, general errors, field errors)
CASES: list[tuple[str, Callable[[Body], None], int, list[str], dict[str, str]]] = [
    # contactSourceId
    ("source missing", top("contactSourceId", ...), 400, [], {"contactSourceId": "Required"}),
    ("source empty", top("contactSourceId", ""), 400, [], {"contactSourceId": "Required"}),
    (
        "source not digits",
        top("contactSourceId", "db-1"),
        400,
        [],
        {"contactSourceId": "Must be the numeric id of a database"},
    ),
    (
        "source a float",
        top("contactSourceId", 423251.5),
        400,
        [],
        {"contactSourceId": "Must be the numeric id of a database"},
    ),
    (
        "source a boolean",
        top("contactSourceId", True),
        400,
        [],
        {"contactSourceId": "Must be the numeric id of a database"},
    ),
    (
        "source zero",
        top("contactSourceId", 0),
        400,
        [],
        {"contactSourceId": "Must be the numeric id of a database"},
    ),
    ("source unknown", top("contactSourceId", "999999"), 404, ["Database not found"], {}),
    (
        "source a contact list",
        top("contactSourceId", "423252"),
        400,
        [],
        {
            "contactSourceId": "contactSourceId must be a database; contact lists and queries are not accepted"
        },
    ),
    (
        "source a query",
        top("contactSourceId", "423253"),
        400,
        [],
        {
            "contactSourceId": "contactSourceId must be a database; contact lists and queries are not accepted"
        },
    ),
    # ftpUserId
    ("ftp user missing", top("ftpUserId", ...), 400, [], {"ftpUserId": "Required"}),
    (
        "ftp user not an email",
        top("ftpUserId", "user"),
        400,
        [],
        {"ftpUserId": "Argument was not a valid email"},
    ),
    (
        "ftp user a number",
        top("ftpUserId", 101),
        400,
        [],
        {"ftpUserId": "Argument was not a valid email"},
    ),
    (
        "ftp user unknown",
        top("ftpUserId", "nobody@example.com"),
        400,
        [],
        {"ftpUserId": "Not a user of this organization"},
    ),
    (
        "ftp user of another org",
        top("ftpUserId", "admin@other-org.example"),
        400,
        [],
        {"ftpUserId": "Not a user of this organization"},
    ),
    (
        "ftp user not an Org Admin",
        top("ftpUserId", "analyst@example.com"),
        400,
        [],
        {"ftpUserId": "The user is not an Org Admin"},
    ),
    (
        "ftp user without FTP folder",
        top("ftpUserId", "admin.without.ftp@example.com"),
        400,
        [],
        {"ftpUserId": "The user's FTP folder does not exist: the user must log in to FTP once"},
    ),
    # channels
    ("channels missing", top("channels", ...), 400, [], {"channels": "Required"}),
    (
        "channels empty",
        top("channels", []),
        400,
        [],
        {"channels": "Must be a non-empty array of channels"},
    ),
    (
        "channels an object",
        top("channels", {"type": "Email"}),
        400,
        [],
        {"channels": "Must be a non-empty array of channels"},
    ),
    ("channel not an object", top("channels", ["Email"]), 400, [], {C0: "Must be a JSON object"}),
    (
        "two Email channels",
        second_email_channel,
        400,
        [],
        {"channels[1].type": "Only one channel of each type is allowed"},
    ),
    # channels[].type
    ("type missing", channel("type", ...), 400, [], {f"{C0}.type": "Required"}),
    (
        "type SMS",
        channel("type", "SMS"),
        400,
        [],
        {f"{C0}.type": "SMS is not a supported channel type; the only supported type is Email"},
    ),
    (
        "type in lower case",
        channel("type", "email"),
        400,
        [],
        {f"{C0}.type": "email is not a supported channel type; the only supported type is Email"},
    ),
    # channels[].jobFrequency
    (
        "frequency missing",
        channel("jobFrequency", ...),
        400,
        [],
        {f"{C0}.jobFrequency": "Required"},
    ),
    ("frequency 5", channel("jobFrequency", 5), 400, [], {f"{C0}.jobFrequency": f"5 {FREQUENCY}"}),
    ("frequency 0", channel("jobFrequency", 0), 400, [], {f"{C0}.jobFrequency": f"0 {FREQUENCY}"}),
    (
        "frequency 48",
        channel("jobFrequency", 48),
        400,
        [],
        {f"{C0}.jobFrequency": f"48 {FREQUENCY}"},
    ),
    (
        "frequency a string",
        channel("jobFrequency", "1"),
        400,
        [],
        {f"{C0}.jobFrequency": f"1 {FREQUENCY}"},
    ),
    (
        "frequency a float",
        channel("jobFrequency", 1.5),
        400,
        [],
        {f"{C0}.jobFrequency": f"1.5 {FREQUENCY}"},
    ),
    (
        "frequency a boolean",
        channel("jobFrequency", True),
        400,
        [],
        {f"{C0}.jobFrequency": f"true {FREQUENCY}"},
    ),
    # channels[].exportFileName
    (
        "file name with a slash",
        channel("exportFileName", "a/b"),
        400,
        [],
        {f"{C0}.exportFileName": FILE_NAME},
    ),
    (
        "file name with a colon",
        channel("exportFileName", "a:b"),
        400,
        [],
        {f"{C0}.exportFileName": FILE_NAME},
    ),
    (
        "file name with a tab",
        channel("exportFileName", "a\tb"),
        400,
        [],
        {f"{C0}.exportFileName": FILE_NAME},
    ),
    (
        "file name too long",
        channel("exportFileName", "x" * 201),
        400,
        [],
        {f"{C0}.exportFileName": FILE_NAME},
    ),
    (
        "file name a number",
        channel("exportFileName", 7),
        400,
        [],
        {f"{C0}.exportFileName": FILE_NAME},
    ),
    # channels[].exportFileFormat
    (
        "format XLS",
        channel("exportFileFormat", "XLS"),
        400,
        [],
        {
            f"{C0}.exportFileFormat": "XLS is not a valid export file format; valid values are CSV,PSV,TSV"
        },
    ),
    (
        "format empty",
        channel("exportFileFormat", ""),
        400,
        [],
        {
            f"{C0}.exportFileFormat": " is not a valid export file format; valid values are CSV,PSV,TSV"
        },
    ),
    (
        "format a number",
        channel("exportFileFormat", 1),
        400,
        [],
        {
            f"{C0}.exportFileFormat": "1 is not a valid export file format; valid values are CSV,PSV,TSV"
        },
    ),
    # channels[].mailingTypes
    (
        "mailing type unknown",
        channel("mailingTypes", [{"mailingType": "Newsletter"}]),
        400,
        [],
        {
            f"{C0}.mailingTypes[0].mailingType": f"Newsletter is not a valid mailing type; valid values are {MAILINGS}"
        },
    ),
    (
        "mailing type in lower case",
        channel("mailingTypes", [{"mailingType": "amg"}]),
        400,
        [],
        {
            f"{C0}.mailingTypes[0].mailingType": f"amg is not a valid mailing type; valid values are {MAILINGS}"
        },
    ),
    (
        "mailing types not an array",
        channel("mailingTypes", "AMG"),
        400,
        [],
        {f"{C0}.mailingTypes": "Must be an array"},
    ),
    (
        "mailing type a bare string",
        channel("mailingTypes", ["AMG"]),
        400,
        [],
        {f"{C0}.mailingTypes[0]": "Must be an object with mailingType"},
    ),
    # channels[].eventTypes
    (
        "event type unknown",
        channel("eventTypes", [{"eventType": "emailSend"}, {"eventType": "emailReply"}]),
        400,
        [],
        {
            f"{C0}.eventTypes[1].eventType": f"emailReply is not a valid event type; valid values are {EVENTS}"
        },
    ),
    (
        "event types not an array",
        channel("eventTypes", {"eventType": "emailSend"}),
        400,
        [],
        {f"{C0}.eventTypes": "Must be an array"},
    ),
    (
        "event type without its key",
        channel("eventTypes", [{}]),
        400,
        [],
        {f"{C0}.eventTypes[0]": "Must be an object with eventType"},
    ),
    # channels[].columnNames
    (
        "six columns",
        columns(*SIX),
        400,
        [],
        {f"{C0}.columnNames": "At most 5 columns can be exported"},
    ),
    (
        "column not in the database",
        columns(("Shoe Size", 0)),
        400,
        [],
        {f"{C0}.columnNames[0].columnName": "Shoe Size is not a column of the database"},
    ),
    (
        "column named twice",
        columns(("Country", 0), ("country", 1)),
        400,
        [],
        {f"{C0}.columnNames[1].columnName": "country is listed more than once"},
    ),
    (
        "column without a name",
        columns((..., 0)),
        400,
        [],
        {f"{C0}.columnNames[0].columnName": "Required"},
    ),
    (
        "column name a number",
        columns((3, 0)),
        400,
        [],
        {f"{C0}.columnNames[0].columnName": "Must be the name of a column of the database"},
    ),
    (
        "column without an order",
        columns(("Country", ...)),
        400,
        [],
        {f"{C0}.columnNames[0].columnOrder": "Required"},
    ),
    (
        "column order negative",
        columns(("Country", -1)),
        400,
        [],
        {
            f"{C0}.columnNames[0].columnOrder": "Must be a whole number from 0 to 0, one for each column"
        },
    ),
    (
        "column order beyond the columns",
        columns(("Country", 0), ("City", 2)),
        400,
        [],
        {
            f"{C0}.columnNames[1].columnOrder": "Must be a whole number from 0 to 1, one for each column"
        },
    ),
    (
        "column order twice",
        columns(("Country", 0), ("City", 0)),
        400,
        [],
        {f"{C0}.columnNames[1].columnOrder": "0 is used more than once"},
    ),
    (
        "column order a string",
        columns(("Country", "0")),
        400,
        [],
        {
            f"{C0}.columnNames[0].columnOrder": "Must be a whole number from 0 to 0, one for each column"
        },
    ),
    (
        "column names not an array",
        channel("columnNames", "Country"),
        400,
        [],
        {f"{C0}.columnNames": "Must be an array"},
    ),
    (
        "column not an object",
        channel("columnNames", ["Country"]),
        400,
        [],
        {f"{C0}.columnNames[0]": "Must be a JSON object"},
    ),
]


@pytest.mark.parametrize(
    ("change", "status", "general", "fields"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_an_invalid_field_is_refused_with_its_error(
    acoustic: Acoustic, change, status, general, fields
) -> None:
    body = example()
    change(body)
    response = acoustic.post(body)
    assert (response.status_code, response.json()) == (status, errors(general, fields))
    assert acoustic.jobs() == []


@pytest.mark.parametrize(
    ("change", "status", "general", "fields"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_put_refuses_the_same_fields(acoustic: Acoustic, change, status, general, fields) -> None:
    job_id = acoustic.create()
    before = acoustic.jobs()
    body = {**example(), "id": job_id}
    change(body)
    response = acoustic.put(job_id, body)
    assert (response.status_code, response.json()) == (status, errors(general, fields))
    assert acoustic.jobs() == before


PUT_CASES = [
    ("id missing", ..., {"id": "Required on PUT: the id of the job definition"}),
    ("id of another definition", 2, {"id": "2 does not match the id in the path, 1"}),
    ("id not a number", "one", {"id": "Must be the job definition's numeric id"}),
    ("id a boolean", True, {"id": "Must be the job definition's numeric id"}),
]


@pytest.mark.parametrize(
    ("value", "fields"), [c[1:] for c in PUT_CASES], ids=[c[0] for c in PUT_CASES]
)
def test_put_needs_the_paths_id_in_the_body(acoustic: Acoustic, value, fields) -> None:
    job_id = acoustic.create()
    body = example() if value is ... else {**example(), "id": value}
    body["channels"][0]["jobFrequency"] = 2
    response = acoustic.put(job_id, body)
    assert (response.status_code, response.json()) == (400, errors(fields=fields))
    assert acoustic.jobs()[0].job_frequency == 1


def test_the_id_may_be_given_as_text(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    assert acoustic.put(job_id, {**example(), "id": str(job_id)}).status_code == 200


def test_every_field_error_of_a_request_is_reported_at_once(acoustic: Acoustic) -> None:
    body = example()
    body["ftpUserId"] = "analyst@example.com"
    body["channels"][0]["jobFrequency"] = 7
    body["channels"][0]["eventTypes"] = [{"eventType": "emailSent"}]
    body["channels"][0]["columnNames"] = [{"columnName": "Shoe Size", "columnOrder": 0}]
    response = acoustic.post(body)
    assert response.status_code == 400
    assert response.json() == errors(
        fields={
            "ftpUserId": "The user is not an Org Admin",
            f"{C0}.jobFrequency": f"7 {FREQUENCY}",
            f"{C0}.eventTypes[0].eventType": f"emailSent is not a valid event type; valid values are {EVENTS}",
            f"{C0}.columnNames[0].columnName": "Shoe Size is not a column of the database",
        }
    )


def test_field_errors_come_before_an_unknown_database(acoustic: Acoustic) -> None:
    body = {**example(), "contactSourceId": "999999"}
    body["channels"][0]["jobFrequency"] = 5
    response = acoustic.post(body)
    assert (response.status_code, response.json()) == (
        400,
        errors(fields={f"{C0}.jobFrequency": f"5 {FREQUENCY}"}),
    )


@pytest.mark.parametrize(
    ("content", "content_type", "status", "message"),
    [
        (b'{"contactSourceId": ', "application/json", 400, "Invalid request body"),
        (b"[1, 2]", "application/json", 400, "Invalid request body"),
        (b'"text"', "application/json", 400, "Invalid request body"),
        (b"\xff\xfe{}", "application/json", 400, "Invalid request body"),
        (b"{}", "text/plain", 415, "Content-Type must be application/json"),
        (
            b"contactSourceId=1",
            "application/x-www-form-urlencoded",
            415,
            "Content-Type must be application/json",
        ),
    ],
    ids=["not JSON", "an array", "a string", "not UTF-8", "text/plain", "a form"],
)
def test_a_body_that_is_not_a_json_object_is_refused(
    acoustic: Acoustic, content, content_type, status, message
) -> None:
    headers = {**acoustic.headers, "Content-Type": content_type}
    response = acoustic.client.post(JOBS, content=content, headers=headers)
    assert (response.status_code, response.json()) == (status, errors([message]))
    assert acoustic.jobs() == []
