"""Staging data (reference §10): each POST is one staged file; bad uploads store nothing."""

from __future__ import annotations

import pytest

from contract_tests.waiting import wait_until
from emulator.store import staging
from tests.conftest import LOCAL, basic
from tests.routes.bulk import BULK, Bulk

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
DEFINITION = {
    "name": "stage",
    "fields": {"email": EMAIL, "first": "{{Contact.Field(C_FirstName)}}"},
    "identifierFieldName": "email",
}


def staged_rows(bulk: Bulk) -> int:
    store = bulk.emulator.store
    return store.read_sync(lambda db: db.execute("SELECT count(*) FROM staged_rows").fetchone()[0])


def test_json_upload_is_204_without_body(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    response = bulk.stage(uri, [{"email": "a@example.com", "first": "Ä"}])
    assert response.content == b""
    assert "content-type" not in response.headers
    assert staged_rows(bulk) == 1


def test_a_bare_object_is_staged_as_one_row_as_a_pod_does(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    for n in range(3):  # one object a request, several files for one sync
        response = bulk.client.post(
            BULK + uri + "/data", json={"email": f"bare{n}@example.com"}, headers=bulk.headers
        )
        assert (response.status_code, response.content) == (204, b"")
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success"
    assert bulk.logs(sync["uri"])["ELQ-00004"] == 3


def test_json_with_a_charset_parameter_is_accepted(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    response = bulk.client.post(
        BULK + uri + "/data",
        content=b'[{"email": "b@example.com"}]',
        headers={**bulk.headers, "Content-Type": "application/json; charset=UTF-8"},
    )
    assert response.status_code == 204
    assert staged_rows(bulk) == 1


def test_csv_upload_with_a_header_row(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    body = 'email,first\r\ncsv1@example.com,Zoë\r\n"csv2@example.com","Doe, Jane"\r\n'
    response = bulk.client.post(
        BULK + uri + "/data",
        content=body.encode(),
        headers={**bulk.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 204
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success"
    assert bulk.logs(sync["uri"])["ELQ-00004"] == 2


def test_sync_triggered_on_import_answers_201_with_the_sync(bulk) -> None:
    uri = bulk.define("/contacts/imports", {**DEFINITION, "isSyncTriggeredOnImport": "true"})
    response = bulk.stage(uri, [{"email": "t@example.com"}], status=201)
    sync = response.json()
    assert sync["syncedInstanceUri"] == uri
    assert sync["status"] == "pending"
    assert bulk.wait(sync["uri"])["status"] == "success"


def test_sync_action_definitions_stage_too(bulk) -> None:
    uri = bulk.define(
        "/contacts/syncActions",
        {
            "name": "sa",
            "fields": {"id": "{{Contact.Id}}"},
            "identifierFieldName": "id",
            "syncActions": [{"action": "add", "destination": "{{ContactList[12]}}"}],
        },
    )
    bulk.stage(uri, [{"id": 1}, {"id": 2}])
    assert staged_rows(bulk) == 2


BAD_UPLOADS = [
    (
        "not utf-8",
        b'[{"email": "\xff"}]',
        "application/json",
        400,
        {"field": "body", "constraint": "The body must be encoded in UTF-8.", "value": "byte 12"},
    ),
    (
        "malformed json",
        b'[{"email": ',
        "application/json",
        400,
        {
            "field": "body",
            "constraint": "There was a parsing error.",
            "value": "unexpected end of data: line 1 column 12 (char 11)",
        },
    ),
    (
        "number not array",
        b"42",
        "application/json",
        400,
        {
            "field": "body",
            "constraint": "Must be a JSON array of objects, or one object; got int.",
            "value": None,
        },
    ),
    (
        "array of strings",
        b'["x@example.com"]',
        "application/json",
        400,
        {"field": "body", "constraint": "Row 1 must be a JSON object.", "value": "x@example.com"},
    ),
    (
        "nested value",
        b'[{"email": {"a": 1}}]',
        "application/json",
        400,
        {
            "field": "body",
            "constraint": "Row 1: the value of 'email' must be a string, number, boolean or null.",
            "value": {"a": 1},
        },
    ),
    (
        "wrong content type",
        b"email\nx@example.com",
        "text/plain",
        400,
        {
            "field": "Content-Type",
            "constraint": "Content-Type must be application/json or text/csv.",
            "value": "text/plain",
        },
    ),
    (
        "csv without header",
        b"",
        "text/csv",
        400,
        {
            "field": "body",
            "constraint": "A CSV body starts with a header row of the definition's field names.",
        },
    ),
    (
        "csv ragged line",
        b"email,first\nx@example.com\n",
        "text/csv",
        400,
        {
            "field": "body",
            "constraint": "Line 2 has a different number of columns than the header (2).",
            "value": 1,
        },
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "media", "status", "failure"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS]
)
def test_bad_uploads_are_refused_and_store_nothing(bulk, name, content, media, status, failure):
    uri = bulk.define("/contacts/imports", DEFINITION)
    bulk.stage(uri, [{"email": "kept@example.com"}])
    response = bulk.client.post(
        BULK + uri + "/data", content=content, headers={**bulk.headers, "Content-Type": media}
    )
    assert response.status_code == status
    assert response.json() == {"failures": [failure]}
    assert staged_rows(bulk) == 1


def test_uploads_over_the_limit_are_404_as_on_a_pod(bulk_factory) -> None:
    # streamed request bodies cannot be replayed to the response validator
    bulk = bulk_factory(upload_max_bytes=1000, validate=False)
    uri = bulk.define("/contacts/imports", DEFINITION)
    big = [{"email": f"user{i}@example.com"} for i in range(100)]
    response = bulk.client.post(BULK + uri + "/data", json=big, headers=bulk.headers)
    assert response.status_code == 404
    assert response.json()["failures"][0]["constraint"] == "Uploads are limited to 32 MB."

    def chunks():
        for _ in range(20):
            yield b" " * 100
        yield b"[]"

    streamed = bulk.client.post(
        BULK + uri + "/data",
        content=chunks(),
        headers={**bulk.headers, "Content-Type": "application/json"},
    )
    assert streamed.status_code == 404
    assert staged_rows(bulk) == 0


def test_a_declared_length_over_32_mb_is_refused_before_reading(bulk_factory) -> None:
    bulk = bulk_factory(validate=False)
    uri = bulk.define("/contacts/imports", DEFINITION)

    def body():
        yield b"[]"

    response = bulk.client.post(
        BULK + uri + "/data",
        content=body(),
        headers={
            **bulk.headers,
            "Content-Type": "application/json",
            "Content-Length": str(32 * 1024 * 1024 + 1),
        },
    )
    assert response.status_code == 404
    assert response.json()["failures"][0]["value"] == 32 * 1024 * 1024 + 1


def test_the_501st_file_before_a_sync_is_refused(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    for n in range(500):
        bulk.stage(uri, [{"email": f"f{n}@example.com"}])
    response = bulk.client.post(
        BULK + uri + "/data", json=[{"email": "z@example.com"}], headers=bulk.headers
    )
    assert response.status_code == 400
    assert response.json()["failures"][0]["constraint"] == (
        "At most 500 files can be staged before a sync."
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert bulk.logs(sync["uri"])["ELQ-00130"] == 500
    bulk.stage(uri, [{"email": "after@example.com"}])


def test_unknown_definitions_and_exports_have_no_staging(bulk) -> None:
    response = bulk.client.post(BULK + "/contacts/imports/99/data", json=[], headers=bulk.headers)
    assert response.status_code == 404
    export = bulk.define("/contacts/exports", {"name": "e", "fields": {"id": "{{Contact.Id}}"}})
    response = bulk.client.post(BULK + export + "/data", json=[], headers=bulk.headers)
    assert response.status_code == 405


def test_a_sync_consumes_its_staged_files(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    bulk.stage(uri, [{"email": "consumed@example.com"}])
    bulk.run(uri, [{"email": "consumed2@example.com"}])
    wait_until(
        lambda: staged_rows(bulk) == 0, timeout=10, message="the consumed staged rows were kept"
    )
    second = bulk.sync(uri)
    assert bulk.wait(second["uri"])["status"] == "success"
    assert bulk.logs(second["uri"])["ELQ-00130"] == 0


def test_delete_data_drops_staged_files(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    bulk.stage(uri, [{"email": "gone@example.com"}])
    assert bulk.client.delete(BULK + uri + "/data", headers=bulk.headers).status_code == 204
    assert staged_rows(bulk) == 0
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert bulk.logs(sync["uri"])["ELQ-00130"] == 0


def test_delete_data_while_a_sync_is_pending_is_409(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    bulk.stage(uri, [{"email": "held@example.com"}])
    bulk.client.post("/_emulator/worker/pause")
    sync = bulk.sync(uri)
    response = bulk.client.delete(BULK + uri + "/data", headers=bulk.headers)
    assert response.status_code == 409
    assert response.json()["failures"][0]["constraint"] == "There was a conflict."
    bulk.client.post("/_emulator/worker/resume")
    assert bulk.wait(sync["uri"])["status"] == "success"
    assert bulk.client.delete(BULK + uri + "/data", headers=bulk.headers).status_code == 204


def test_deleting_the_definition_drops_its_staged_data(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    bulk.stage(uri, [{"email": "x@example.com"}])
    assert bulk.client.delete(BULK + uri, headers=bulk.headers).status_code == 204
    assert staged_rows(bulk) == 0


def test_staged_data_expires_after_the_retention(bulk, clock) -> None:
    uri = bulk.define("/contacts/imports", {**DEFINITION, "dataRetentionDuration": "PT1H"})
    bulk.stage(uri, [{"email": "old@example.com"}])
    clock.advance(3601)
    bulk.stage(uri, [{"email": "new@example.com"}])
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert bulk.logs(sync["uri"])["ELQ-00130"] == 1
    store = bulk.emulator.store
    store.write_sync(staging.delete_files, store.read_sync(staging.expired_file_ids, clock()))
    assert staged_rows(bulk) == 0


def test_staged_data_survives_a_restart(tmp_path, spec_validator) -> None:
    from starlette.testclient import TestClient

    from emulator import Settings, create_app

    settings = Settings(db=str(tmp_path / "e.db"), sync_progression="immediate")
    with TestClient(create_app(settings), base_url=LOCAL) as first:
        bulk = Bulk(first)
        uri = bulk.define("/contacts/imports", DEFINITION)
        bulk.stage(uri, [{"email": "kept1@example.com"}, {"email": "kept2@example.com"}])
    with TestClient(create_app(settings), base_url=LOCAL) as second:
        bulk = Bulk(second)
        sync = bulk.wait(bulk.sync(uri)["uri"])
        assert sync["status"] == "success"
        assert bulk.logs(sync["uri"])["ELQ-00004"] == 2


def test_other_sites_cannot_stage_into_a_definition(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    response = bulk.client.post(
        BULK + uri + "/data", json=[{"email": "x@example.com"}], headers=basic("Globex", "hank")
    )
    assert response.status_code == 404


def test_the_staging_space_is_reported_and_an_upload_past_the_quota_is_413(bulk_factory) -> None:
    bulk = bulk_factory(staging_quota_kb=2)
    assert bulk.get("/imports/data") == {"kbAllowed": 2, "kbUsed": 0}
    uri = bulk.define("/contacts/imports", DEFINITION)
    bulk.stage(uri, [{"email": "q1@example.com", "first": "x" * 900}])  # under 1 KB
    assert bulk.get("/imports/data") == {"kbAllowed": 2, "kbUsed": 1}
    response = bulk.client.post(
        BULK + uri + "/data",
        json=[{"email": "q2@example.com", "first": "y" * 1500}],
        headers=bulk.headers,
    )
    assert response.status_code == 413
    assert response.json() == {
        "failures": [{"field": "body", "constraint": "Storage space exceeded."}]
    }
    assert staged_rows(bulk) == 1  # nothing of the refused upload is stored
    assert bulk.get("/exports/data") == {"kbAllowed": 2, "kbUsed": 0}


def test_without_a_quota_a_pod_reports_no_limit(bulk) -> None:
    uri = bulk.define("/contacts/imports", DEFINITION)
    bulk.stage(uri, [{"email": "big@example.com", "first": "z" * 5000}])
    assert bulk.get("/imports/data") == {"kbAllowed": 0, "kbUsed": 5}
