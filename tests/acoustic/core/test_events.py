"""The shape of an e-mail event the control plane takes: every problem under its path."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.acoustic.core import events
from emulator.acoustic.core import messages as m

NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z
OPEN = {"databaseId": 423251, "recipientId": 2400001, "eventType": "emailOpen"}


def failures(body: Any) -> list[tuple[str, str, Any]]:
    _, found = events.parse_body(body, NOW)
    return [(f.field, f.constraint, f.as_dict().get("value", "-")) for f in found]


def test_a_minimal_event_defaults_its_mailing_type_and_time() -> None:
    parsed, found = events.parse_body({"events": [OPEN]}, NOW)
    assert found == []
    [(path, event)] = parsed
    assert path == "events[0]"
    assert event == events.Event(423251, 2400001, "emailOpen", "SendExperience", NOW, {})


def test_ids_may_be_strings_of_digits_and_columns_integers() -> None:
    item = {
        **OPEN,
        "databaseId": "423251",
        "recipientId": "2400001",
        "mailingType": "AMG",
        "messageGroupId": 6100001,
        "timestamp": "2024-05-01T14:00:00+02:00",
        "userAgent": "Mozilla/5.0",
        "trackingCode": "",
    }
    [(_, event)] = events.parse_body({"events": [item]}, NOW)[0]
    assert (event.database_id, event.recipient_id, event.mailing_type) == (423251, 2400001, "AMG")
    assert event.at == 1_714_564_800.0  # 12:00 UTC
    assert event.detail == {"messageGroupId": "6100001", "userAgent": "Mozilla/5.0"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ([OPEN], [("body", m.EVENTS_BODY, "-")]),
        ({"events": [OPEN], "more": 1}, [("body", m.EVENTS_BODY, "-")]),
        ({"events": []}, [("events", m.EVENTS_COUNT.format(limit=10_000), 0)]),
        ({"events": {}}, [("events", m.EVENTS_COUNT.format(limit=10_000), {})]),
        ({"events": [OPEN] * 10_001}, [("events", m.EVENTS_COUNT.format(limit=10_000), 10_001)]),
        ({"events": [OPEN, 3]}, [("events[1]", m.EVENT_NOT_OBJECT, "-")]),
    ],
)
def test_the_body_is_an_object_of_1_to_10000_events(body: Any, expected: list) -> None:
    assert failures(body) == expected


@pytest.mark.parametrize(
    ("change", "field", "message", "value"),
    [
        ({"databaseId": None}, "databaseId", m.EVENT_REQUIRED, "-"),
        ({"databaseId": "42a"}, "databaseId", m.EVENT_ID_FORMAT, "42a"),
        ({"databaseId": 0}, "databaseId", m.EVENT_ID_FORMAT, 0),
        ({"recipientId": True}, "recipientId", m.EVENT_ID_FORMAT, True),
        ({"recipientId": 1.5}, "recipientId", m.EVENT_ID_FORMAT, 1.5),
        ({"eventType": None}, "eventType", m.EVENT_REQUIRED, "-"),
        ({"eventType": "emailopen"}, "eventType", m.EVENT_TYPE, "emailopen"),
        ({"mailingType": "Newsletter"}, "mailingType", m.EVENT_MAILING_TYPE, "Newsletter"),
        ({"timestamp": "yesterday"}, "timestamp", m.EVENT_TIMESTAMP, "yesterday"),
        (
            {"timestamp": "2027-01-15T08:00:01Z"},
            "timestamp",
            m.EVENT_TIMESTAMP,
            "2027-01-15T08:00:01Z",
        ),
        ({"messageId": ["x"]}, "messageId", m.EVENT_TEXT.format(limit=2000), ["x"]),
        ({"messageId": False}, "messageId", m.EVENT_TEXT.format(limit=2000), False),
        ({"subjectLine": "x" * 2001}, "subjectLine", m.EVENT_TEXT.format(limit=2000), "x" * 2001),
        ({"docType": "PDF"}, "docType", m.EVENT_CHOICE.format(choices="Text, HTML"), "PDF"),
        (
            {"eventType": "emailBounce", "bounceType": "Medium"},
            "bounceType",
            m.EVENT_CHOICE.format(choices="Hard, Soft"),
            "Medium",
        ),
        (
            {"bounceType": "Hard"},
            "bounceType",
            m.EVENT_ONLY_ON.format(types="emailBounce", key="bounceType"),
            "Hard",
        ),
        (
            {"clickUrl": "https://example.com"},
            "clickUrl",
            m.EVENT_ONLY_ON.format(types="emailClick", key="clickUrl"),
            "https://example.com",
        ),
        (
            {"optOutDetails": "footer"},
            "optOutDetails",
            m.EVENT_ONLY_ON.format(types="emailOptOut", key="optOutDetails"),
            "footer",
        ),
        (
            {"eventType": "emailSend", "userAgent": "curl"},
            "userAgent",
            m.EVENT_ONLY_ON.format(types="emailOpen or emailClick", key="userAgent"),
            "curl",
        ),
        (
            {"RECIPIENT_ID": 1},
            "RECIPIENT_ID",
            m.EVENT_KEY_UNKNOWN.format(keys=", ".join(events.KEYS)),
            "RECIPIENT_ID",
        ),
    ],
)
def test_each_wrong_field_is_named(
    change: dict[str, Any], field: str, message: str, value: Any
) -> None:
    item = {k: v for k, v in {**OPEN, **change}.items() if v is not None}
    assert failures({"events": [OPEN, item]}) == [(f"events[1].{field}", message, value)]


def test_every_wrong_field_of_every_event_is_reported() -> None:
    bad = {"databaseId": "x", "eventType": "open", "colour": "red"}
    assert [f for f, _, _ in failures({"events": [bad, OPEN, {}]})] == [
        "events[0].colour",
        "events[0].databaseId",
        "events[0].recipientId",
        "events[0].eventType",
        "events[2].databaseId",
        "events[2].recipientId",
        "events[2].eventType",
    ]


def test_the_answer_shows_an_event_by_its_file_columns() -> None:
    [(_, event)] = events.parse_body({"events": [{**OPEN, "userAgent": "UA"}]}, NOW)[0]
    assert events.view(12, event, "ada@example.com") == {
        "eventId": 12,
        "databaseId": 423251,
        "recipientId": 2400001,
        "email": "ada@example.com",
        "eventType": "emailOpen",
        "mailingType": "SendExperience",
        "timestamp": "2027-01-15T08:00:00.000Z",
        "userAgent": "UA",
    }
