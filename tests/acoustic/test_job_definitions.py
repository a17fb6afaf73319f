"""BEX job definitions through HTTP: the example body of Acoustic's page creates one; GET
shows it with the defaults; PUT replaces it; DELETE removes it; and what is stored is what
a rotation reads."""

from __future__ import annotations

import orjson
import pytest

from emulator.acoustic import store
from tests.acoustic.helpers import (
    DATABASE,
    EMPTY_META,
    EXAMPLE_BYTES,
    JOBS,
    OTHER_CLIENT,
    OTHER_ORG,
    OTHER_ORG_DATABASE,
    Acoustic,
    errors,
    example,
    on_second_database,
    signed_in,
)

EXAMPLE_AS_GET_SHOWS_IT = {
    "id": 1,
    "channels": [
        {
            "eventTypes": [{"eventType": "emailSend"}, {"eventType": "emailOpen"}],
            "columnNames": [{"columnName": "column1", "columnOrder": 0}],
            "mailingTypes": [{"mailingType": "SendExperience"}],
            "exportFileName": "Test_Email",
            "exportFileFormat": "CSV",
            "jobFrequency": 1,
            "type": "Email",
        }
    ],
    "contactSourceId": "423251",
    "ftpUserId": "user@example.com",
}


def test_the_example_body_sent_verbatim_creates_a_definition_then_get_put_delete(
    acoustic: Acoustic, clock
) -> None:
    headers = {**acoustic.headers, "Content-Type": "application/json"}
    created = acoustic.client.post(JOBS, content=EXAMPLE_BYTES, headers=headers)
    assert created.status_code == 200
    assert created.json() == {"meta": EMPTY_META, "data": {"jobId": 1}}

    shown = acoustic.get(1)
    assert shown.status_code == 200
    assert shown.json() == {"meta": EMPTY_META, "data": EXAMPLE_AS_GET_SHOWS_IT}

    clock.advance(60)
    body = {**example(), "id": 1}
    body["channels"][0]["jobFrequency"] = 6
    replaced = acoustic.put(1, body)
    assert replaced.status_code == 200
    expected = orjson.loads(orjson.dumps(EXAMPLE_AS_GET_SHOWS_IT))
    expected["channels"][0]["jobFrequency"] = 6
    assert replaced.json() == {"meta": EMPTY_META, "data": expected}
    assert acoustic.get(1).json()["data"] == expected
    (stored,) = acoustic.jobs()
    assert (stored.job_frequency, stored.updated_at - stored.created_at) == (6, 60)
    assert stored.last_rotation_at == stored.created_at  # a replace keeps the rotation window

    deleted = acoustic.delete(1)
    assert deleted.status_code == 200
    assert deleted.json() == {"meta": EMPTY_META, "data": {"jobId": 1}}
    assert acoustic.get(1).status_code == 404
    assert acoustic.jobs() == []


def test_get_fills_in_the_defaults_of_what_was_left_out(acoustic: Acoustic) -> None:
    job_id = acoustic.create(
        {
            "contactSourceId": DATABASE,
            "ftpUserId": "user@example.com",
            "channels": [{"type": "Email", "jobFrequency": 24}],
        }
    )
    assert acoustic.get(job_id).json()["data"] == {
        "id": job_id,
        "channels": [
            {
                "eventTypes": [],
                "columnNames": [],
                "mailingTypes": [],
                "exportFileName": "Recipient Event Bulk Export_",
                "exportFileFormat": "CSV",
                "jobFrequency": 24,
                "type": "Email",
            }
        ],
        "contactSourceId": "423251",
        "ftpUserId": "user@example.com",
    }


def test_what_is_stored_is_what_a_rotation_reads(acoustic: Acoustic, clock) -> None:
    body = example()
    channel = body["channels"][0]
    channel["exportFileFormat"] = "tsv"
    channel["eventTypes"] += [{"eventType": "emailSend"}]  # a duplicate, dropped
    channel["columnNames"] = [
        {"columnName": "country", "columnOrder": 1},  # the database spells it Country
        {"columnName": "First Name", "columnOrder": 0},
    ]
    body["ftpUserId"] = "USER@example.com"
    body["somethingElse"] = {"ignored": True}
    job_id = acoustic.create(body)
    stored = acoustic.state.db.read_sync(store.job, job_id)
    assert stored == store.JobDefinition(
        id=job_id,
        org_id=1,
        contact_source_id=DATABASE,
        ftp_user_id="user@example.com",
        channel="Email",
        job_frequency=1,
        export_file_format="TSV",
        export_file_name="Test_Email",
        event_types=["emailSend", "emailOpen"],
        mailing_types=["SendExperience"],
        columns=["First Name", "Country"],
        definition=stored.definition if stored else "",
        created_at=clock.now,
        updated_at=clock.now,
        last_rotation_at=clock.now,
    )
    shown = acoustic.get(job_id).json()["data"]
    assert shown["channels"][0]["columnNames"] == [
        {"columnName": "Country", "columnOrder": 1},
        {"columnName": "First Name", "columnOrder": 0},
    ]
    assert shown["channels"][0]["eventTypes"] == [
        {"eventType": "emailSend"},
        {"eventType": "emailOpen"},
    ]
    assert (shown["ftpUserId"], shown["channels"][0]["exportFileFormat"]) == (
        "user@example.com",
        "TSV",
    )
    assert "somethingElse" not in shown


def test_a_contact_source_id_may_be_a_number(acoustic: Acoustic) -> None:
    body = {**example(), "contactSourceId": DATABASE}
    job_id = acoustic.create(body)
    assert acoustic.get(job_id).json()["data"]["contactSourceId"] == "423251"


def test_the_list_shows_the_orgs_definitions_by_id(acoustic: Acoustic) -> None:
    assert acoustic.client.get(JOBS, headers=acoustic.headers).json() == {
        "meta": EMPTY_META,
        "data": [],
    }
    first = acoustic.create()
    second = acoustic.create(on_second_database())
    shown = acoustic.client.get(JOBS, headers=acoustic.headers).json()["data"]
    assert [d["id"] for d in shown] == [first, second]
    assert shown[0] == acoustic.get(first).json()["data"]


def test_ids_grow_and_a_deleted_id_is_not_given_again(acoustic: Acoustic) -> None:
    first = acoustic.create()
    assert acoustic.delete(first).status_code == 200
    assert acoustic.create() == first + 1


def test_a_second_definition_for_a_database_is_refused(acoustic: Acoustic) -> None:
    acoustic.create()
    response = acoustic.post(example())
    assert response.status_code == 400
    assert response.json() == errors(["Job definition already exists for this contact source"])
    assert len(acoustic.jobs()) == 1


def test_the_one_definition_per_database_rule_is_a_switch(
    acoustic_factory, settings_factory
) -> None:
    acoustic = acoustic_factory(settings_factory(acoustic_one_job_per_source=False))
    assert [acoustic.create(), acoustic.create()] == [1, 2]


def test_put_cannot_move_a_definition_to_another_database(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    response = acoustic.put(job_id, {**on_second_database(), "id": job_id})
    assert response.status_code == 400
    assert response.json() == errors(
        fields={"contactSourceId": "The contact source of a job definition cannot be changed"}
    )
    assert acoustic.jobs()[0].contact_source_id == DATABASE


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_an_unknown_id_is_a_404(acoustic: Acoustic, method: str) -> None:
    if method == "put":
        response = acoustic.put(41, {**example(), "id": 41})
    else:
        response = getattr(acoustic, method)(41)
    assert response.status_code == 404
    assert response.json() == errors(["Job definition not found"])


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_an_id_that_is_not_a_number_is_a_400(acoustic: Acoustic, method: str) -> None:
    response = (
        acoustic.put("abc", example()) if method == "put" else getattr(acoustic, method)("abc")
    )
    assert response.status_code == 400
    assert response.json() == errors(["Invalid job definition id: abc"])


def test_a_database_of_another_org_is_not_found(acoustic: Acoustic) -> None:
    response = acoustic.post({**example(), "contactSourceId": str(OTHER_ORG_DATABASE)})
    assert response.status_code == 404
    assert response.json() == errors(["Database not found"])
    assert acoustic.jobs() == []


def test_a_definition_of_another_org_is_not_found(acoustic_factory) -> None:
    mine = acoustic_factory()
    job_id = mine.create()
    # the same emulator, another org's Org Admin whose org is enabled for BEX
    mine.state.db.write_sync(
        lambda db: db.execute("UPDATE acoustic_orgs SET bex_enabled = 1 WHERE id = 2")
    )
    theirs = signed_in(mine.client, OTHER_ORG, OTHER_CLIENT)
    assert theirs.get(job_id).status_code == 404
    assert theirs.delete(job_id).status_code == 404
    assert theirs.client.get(JOBS, headers=theirs.headers).json()["data"] == []
    assert mine.get(job_id).status_code == 200


def test_the_urls_as_acoustics_page_writes_them_with_a_trailing_slash(acoustic: Acoustic) -> None:
    created = acoustic.client.post(JOBS + "/", json=example(), headers=acoustic.headers)
    assert created.status_code == 200
    job_id = created.json()["data"]["jobId"]
    assert acoustic.client.get(f"{JOBS}/{job_id}/", headers=acoustic.headers).status_code == 200


def test_a_rejected_put_changes_nothing(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    before = acoustic.jobs()
    body = {**example(), "id": job_id}
    body["channels"][0]["jobFrequency"] = 5
    body["channels"][0]["exportFileName"] = "Changed"
    assert acoustic.put(job_id, body).status_code == 400
    assert acoustic.jobs() == before
