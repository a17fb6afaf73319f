"""Staging data (``domain.staging``): each upload is one file a later sync claims; values
are kept as the text an import reads; a refused upload stages nothing; clearing drops what
no sync has claimed."""

from __future__ import annotations

import orjson
import pytest

from emulator.core import constraints as c
from emulator.core.errors import Conflict, Failure, NotFound, ValidationFailed
from emulator.domain import definitions, staging
from tests.domain.support import EMAIL, FIRST, Bulk, sync_id, target

IMPORT = {
    "name": "stage",
    "fields": {"email": EMAIL, "first": FIRST},
    "identifierFieldName": "email",
}


@pytest.fixture
def uri(bulk: Bulk) -> str:
    return str(bulk.define("contacts", "imports", IMPORT)["uri"])


def test_json_rows_become_the_text_an_import_reads() -> None:
    rows = staging.parse_json_rows('[{"a": "x", "b": 2, "c": 1.5, "d": true, "e": null}]')
    assert rows == [{"a": "x", "b": "2", "c": "1.5", "d": "true", "e": ""}]


def test_a_bare_object_is_one_row_as_on_a_pod() -> None:
    assert staging.parse_json_rows('{"email": "x@a.test", "n": 3}') == [
        {"email": "x@a.test", "n": "3"}
    ]


@pytest.mark.parametrize(
    ("text", "failure"),
    [
        ('"x@a.test"', Failure("body", c.STAGED_ARRAY.format("str"), None)),
        ('[{"email": "x@a.test"}, 3]', Failure("body", c.STAGED_OBJECT.format(index=2), 3)),
        (
            '[{"email": ["x@a.test"]}]',
            Failure("body", c.STAGED_FLAT.format(index=1, key="email"), ["x@a.test"]),
        ),
    ],
    ids=["string", "scalar row", "nested value"],
)
def test_json_that_is_not_an_array_of_flat_objects_is_refused(text, failure) -> None:
    with pytest.raises(ValidationFailed) as caught:
        staging.parse_json_rows(text)
    assert caught.value.failures == [failure]


def test_csv_rows_are_keyed_by_the_header_and_ragged_lines_are_refused() -> None:
    assert staging.parse_csv_rows('email,first\r\nz@a.test,"Roe, Zoë"\r\n') == [
        {"email": "z@a.test", "first": "Roe, Zoë"}
    ]
    with pytest.raises(ValidationFailed) as caught:
        staging.parse_csv_rows("email,first\nz@a.test\n")
    assert caught.value.failures == [
        Failure("body", c.STAGED_CSV_COLUMNS.format(line=2, expected=2), 1)
    ]


def test_each_upload_is_one_file_and_a_sync_reads_them_all(bulk: Bulk, uri: str) -> None:
    bulk.stage(uri, [{"email": "one@stage.test"}, {"email": "two@stage.test"}])
    bulk.stage(uri, [{"email": "three@stage.test"}])
    assert bulk.open_files(uri) == 2
    bulk.sync(uri)
    assert bulk.open_files(uri) == 0  # claimed by the sync
    final = bulk.run_next()
    assert bulk.logs(final.id)["ELQ-00130"] == 3
    assert [c["email"] for c in bulk.contacts("stage.test")] == [
        "one@stage.test",
        "two@stage.test",
        "three@stage.test",
    ]


def test_staging_into_an_unknown_or_foreign_definition_stages_nothing(
    bulk: Bulk, uri: str, stranger
) -> None:
    with pytest.raises(NotFound):
        bulk.stage("/contacts/imports/99", [{"email": "x@stage.test"}])
    with pytest.raises(NotFound):
        bulk.stage(uri, [{"email": "x@stage.test"}], as_=stranger)
    assert bulk.open_files(uri) == 0


def test_the_501st_file_before_a_sync_is_refused_and_not_stored(
    bulk: Bulk, uri: str, monkeypatch
) -> None:
    monkeypatch.setattr(staging, "MAX_FILES", 3)
    for n in range(3):
        bulk.stage(uri, [{"email": f"f{n}@stage.test"}])
    with pytest.raises(ValidationFailed) as caught:
        bulk.stage(uri, [{"email": "late@stage.test"}])
    assert caught.value.failures == [
        Failure("body", c.STAGED_FILES.format(limit=3), None, has_value=False)
    ]
    assert bulk.open_files(uri) == 3


def test_clearing_drops_the_staged_files(bulk: Bulk, uri: str) -> None:
    bulk.stage(uri, [{"email": "gone@stage.test"}])
    at, id_ = target(uri)
    bulk.store.write_sync(staging.clear, bulk.principal, at, id_, bulk.now)
    assert bulk.open_files(uri) == 0
    bulk.sync(uri)
    final = bulk.run_next()
    logs = bulk.logs(final.id)
    assert logs["ELQ-00130"] == 0
    assert "ELQ-00124" in logs  # "There was no data available to process."


def test_clearing_while_a_sync_is_pending_conflicts_and_the_sync_keeps_its_rows(
    bulk: Bulk, uri: str
) -> None:
    bulk.stage(uri, [{"email": "held@stage.test"}])
    bulk.sync(uri)
    at, id_ = target(uri)
    with pytest.raises(Conflict) as caught:
        bulk.store.write_sync(staging.clear, bulk.principal, at, id_, bulk.now)
    assert caught.value.failures == [Failure("uri", c.CONFLICT, uri + "/data")]
    final = bulk.run_next()
    assert (final.status, bulk.logs(final.id)["ELQ-00004"]) == ("success", 1)


def test_deleting_the_definition_drops_its_staged_files(bulk: Bulk, uri: str) -> None:
    bulk.stage(uri, [{"email": "orphan@stage.test"}])
    at, id_ = target(uri)
    bulk.store.write_sync(definitions.delete, bulk.principal, at, id_, bulk.now)
    assert bulk.open_files(uri) == 0


def test_files_past_the_retention_are_not_synced(bulk: Bulk) -> None:
    uri = bulk.define("contacts", "imports", {**IMPORT, "dataRetentionDuration": "PT1H"})["uri"]
    bulk.stage(uri, [{"email": "stale@stage.test"}])
    bulk.now += 3601
    bulk.stage(uri, [{"email": "fresh@stage.test"}])
    bulk.sync(uri)
    final = bulk.run_next()
    assert bulk.logs(final.id)["ELQ-00130"] == 1
    assert [c["email"] for c in bulk.contacts("stage.test")] == ["fresh@stage.test"]


def test_each_upload_to_a_triggering_definition_gets_its_own_sync(bulk: Bulk) -> None:
    uri = bulk.define("contacts", "imports", {**IMPORT, "isSyncTriggeredOnImport": True})["uri"]
    at, id_ = target(uri)
    made = [
        bulk.store.write_sync(
            staging.stage_and_maybe_sync, bulk.principal, at, id_, rows, 0, bulk.now
        )
        for rows in ([{"email": "t1@stage.test"}], [{"email": "t2@stage.test"}])
    ]
    ids = [sync_id(orjson.loads(item)) for item in made if item is not None]
    first, second = bulk.run_next(), bulk.run_next()
    assert [first.id, second.id] == ids == [1, 2]
    assert (first.status, second.status) == ("success", "success")
    assert (bulk.logs(first.id)["ELQ-00004"], bulk.logs(second.id)["ELQ-00004"]) == (1, 1)
