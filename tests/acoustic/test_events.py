"""E-mail events: the seeded ones, and ``POST /_emulator/acoustic/events`` adding more, all
or none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from emulator.acoustic import events, seed, store
from emulator.acoustic.core import messages as m
from emulator.core.errors import ValidationFailed
from emulator.seed import FixtureError
from emulator.store import Store
from tests.acoustic.helpers import DATABASE, OTHER_ORG_DATABASE, SECOND_DATABASE, Acoustic
from tests.conftest import ROOT

EVENTS = "/_emulator/acoustic/events"
SEEDED = 28


def stored(acoustic: Acoustic) -> list[tuple]:
    def read(db):
        return db.execute(
            "SELECT id, database_id, contact_id, code, mailing_type, at, detail "
            "FROM acoustic_events ORDER BY id"
        ).fetchall()

    return acoustic.state.db.read_sync(read)


def test_the_fixtures_hold_events_of_every_type_and_mailing_type(acoustic: Acoustic) -> None:
    rows = stored(acoustic)
    assert len(rows) == SEEDED
    assert [r[0] for r in rows] == list(range(1, SEEDED + 1))  # ids in the file's order
    assert {r[3] for r in rows} == {
        "emailSend",
        "emailOpen",
        "emailClick",
        "emailBounce",
        "emailOptOut",
        "emailSuppressed",
    }
    assert {r[4] for r in rows} == {"SendExperience", "Programs", "AMG", "AutoResponder", "ABTest"}
    assert {r[1] for r in rows} == {DATABASE, SECOND_DATABASE, OTHER_ORG_DATABASE}


def test_added_events_are_answered_with_their_ids_and_stored(acoustic: Acoustic) -> None:
    now = acoustic.state.clock()
    response = acoustic.client.post(
        EVENTS,
        json={
            "events": [
                {"databaseId": DATABASE, "recipientId": 2400005, "eventType": "emailOpen"},
                {
                    "databaseId": str(SECOND_DATABASE),
                    "recipientId": "2500001",
                    "eventType": "emailClick",
                    "mailingType": "Programs",
                    "programId": 5100002,
                    "clickUrl": "https://example.com/a,b",
                    "timestamp": "2025-06-01T10:00:00Z",
                },
            ]
        },
    )
    assert response.status_code == 201, response.text
    assert response.json() == {
        "events": [
            {
                "eventId": SEEDED + 1,
                "databaseId": DATABASE,
                "recipientId": 2400005,
                "email": "zoe.muller@example.com",
                "eventType": "emailOpen",
                "mailingType": "SendExperience",
                "timestamp": response.json()["events"][0]["timestamp"],
            },
            {
                "eventId": SEEDED + 2,
                "databaseId": SECOND_DATABASE,
                "recipientId": 2500001,
                "email": "ada.moreau@example.com",
                "eventType": "emailClick",
                "mailingType": "Programs",
                "timestamp": "2025-06-01T10:00:00.000Z",
                "programId": "5100002",
                "clickUrl": "https://example.com/a,b",
            },
        ]
    }
    rows = stored(acoustic)[SEEDED:]
    assert rows == [
        (SEEDED + 1, DATABASE, 2400005, "emailOpen", "SendExperience", now, "{}"),
        (
            SEEDED + 2,
            SECOND_DATABASE,
            2500001,
            "emailClick",
            "Programs",
            1_748_772_000.0,
            '{"clickUrl":"https://example.com/a,b","programId":"5100002"}',
        ),
    ]


@pytest.mark.parametrize(
    ("event", "field", "constraint"),
    [
        ({"databaseId": 423252, "recipientId": 2400001}, "databaseId", m.EVENT_DATABASE),
        ({"databaseId": 999999, "recipientId": 2400001}, "databaseId", m.EVENT_DATABASE),
        (
            {"databaseId": SECOND_DATABASE, "recipientId": 2400001},
            "recipientId",
            m.EVENT_CONTACT.format(database=SECOND_DATABASE),
        ),
        (
            {"databaseId": DATABASE, "recipientId": 2400001, "eventType": "open"},
            "eventType",
            m.EVENT_TYPE,
        ),
    ],
)
def test_a_wrong_event_refuses_the_request_and_adds_nothing(
    acoustic: Acoustic, event: dict, field: str, constraint: str
) -> None:
    good = {"databaseId": DATABASE, "recipientId": 2400002, "eventType": "emailSend"}
    response = acoustic.client.post(
        EVENTS, json={"events": [good, {"eventType": "emailSend", **event}]}
    )
    assert response.status_code == 400
    [failure] = response.json()["failures"]
    assert (failure["field"], failure["constraint"]) == (f"events[1].{field}", constraint)
    assert len(stored(acoustic)) == SEEDED


def test_failures_come_in_the_order_of_the_events(acoustic: Acoustic) -> None:
    wrong = {"databaseId": DATABASE, "recipientId": 1, "eventType": "emailSend"}
    body = {"events": [wrong] * 11 + [{"databaseId": DATABASE, "eventType": "x"}]}
    response = acoustic.client.post(EVENTS, json=body)
    fields = [f["field"] for f in response.json()["failures"]]
    assert fields == [f"events[{i}].recipientId" for i in range(11)] + [
        "events[11].recipientId",  # the shape's failures, in the order of the keys
        "events[11].eventType",
    ]


def test_the_body_must_be_json_from_a_program(client_factory) -> None:
    client: TestClient = client_factory(headers={})
    body = '{"events": []}'
    refused = client.post(EVENTS, content=body, headers={"Content-Type": "text/plain"})
    assert refused.status_code == 403  # the control plane's guard
    wrong = client.post(EVENTS, content=body, headers={"Content-Type": "application/json"})
    assert wrong.status_code == 400
    assert wrong.json()["failures"][0]["field"] == "events"


def test_a_seed_with_a_wrong_event_stops_the_load(tmp_path: Path) -> None:
    db = Store(":memory:")
    try:
        (tmp_path / events.FIXTURE).write_text(
            '{"databaseId": 1, "recipientId": 2, "eventType": "emailSend"}\n'
        )
        with pytest.raises(FixtureError, match=re.escape("events.jsonl: events[0].databaseId")):
            db.write_sync(events.load_seed, tmp_path, 1_800_000_000.0)
        (tmp_path / events.FIXTURE).write_text("{not json\n")
        with pytest.raises(FixtureError, match=re.escape("events.jsonl:1:")):
            db.write_sync(events.load_seed, tmp_path, 1_800_000_000.0)
        (tmp_path / events.FIXTURE).unlink()
        assert db.write_sync(events.load_seed, tmp_path, 1_800_000_000.0) == 0
    finally:
        db.close()


def test_the_shipped_seed_loads_through_the_same_checks() -> None:
    db = Store(":memory:")
    try:
        db.write_sync(seed.load, ROOT / "fixtures" / "acoustic")
        assert db.write_sync(events.load_seed, ROOT / "fixtures" / "acoustic", 1.8e9) == SEEDED
        assert db.read_sync(store.newest_event_id) == SEEDED
        with pytest.raises(ValidationFailed):
            db.write_sync(events.add, {"events": [{"databaseId": 1}]}, 1.8e9)
    finally:
        db.close()
