"""What ``/_emulator/metrics`` counts besides requests: syncs (how long, how many rows, by
kind and status), rows staged and exported, and faults fired."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from contract_tests.waiting import wait_until
from tests.routes.bulk import BULK, Bulk

IMPORT = {
    "name": "people",
    "fields": {"e": "{{Contact.Field(C_EmailAddress)}}"},
    "identifierFieldName": "e",
}


def samples(bulk: Bulk) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample, by name and labels."""
    text = bulk.client.get("/_emulator/metrics").text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict[Any, float], name: str, **labels: str) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))


def test_syncs_and_rows_are_counted_after_a_sync(bulk: Bulk) -> None:
    uri = bulk.define("/contacts/imports", IMPORT)
    bulk.stage(uri, [{"e": "a@example.com"}, {"e": "b@example.com"}])
    bulk.stage(uri, [{"e": "c@example.com"}, {"e": "not an address"}])
    imported = bulk.wait(bulk.sync(uri)["uri"])
    export = bulk.define(
        "/contacts/exports", {"name": "ids", "fields": {"Id": "{{Contact.Id}}"}, "maxRecords": 9}
    )
    exported = bulk.wait(bulk.sync(export)["uri"])
    assert (imported["status"], exported["status"]) == ("warning", "success")

    def counted() -> dict[Any, float] | None:
        found = samples(bulk)
        done = value(found, "eloqua_emulator_sync_rows_count", kind="exports", status="success")
        return found if done == 1 else None

    found = wait_until(counted, timeout=10, message="the export sync was not counted")
    imports = {"kind": "imports", "status": "warning"}
    exports = {"kind": "exports", "status": "success"}
    assert value(found, "eloqua_emulator_sync_rows_count", **imports) == 1
    assert value(found, "eloqua_emulator_sync_rows_sum", **imports) == 4
    assert value(found, "eloqua_emulator_sync_rows_sum", **exports) == 9
    assert value(found, "eloqua_emulator_sync_rows_bucket", le="10.0", **exports) == 1
    assert value(found, "eloqua_emulator_sync_rows_bucket", le="1.0", **exports) == 0
    assert value(found, "eloqua_emulator_sync_seconds_count", **imports) == 1
    assert value(found, "eloqua_emulator_sync_seconds_count", **exports) == 1
    seconds = value(found, "eloqua_emulator_sync_seconds_sum", **imports)
    assert seconds is not None
    assert 0 <= seconds < 30
    assert value(found, "eloqua_emulator_rows_staged_total", kind="imports") == 4
    assert value(found, "eloqua_emulator_rows_exported_total", family="contacts") == 9


def test_faults_fired_are_counted_by_kind(bulk: Bulk) -> None:
    fields = BULK + "/contacts/fields"
    for rule in (
        {"path": fields, "status": 503, "times": 2},
        {"path": fields, "latencyMs": 1, "times": 1},
    ):
        assert bulk.client.post("/_emulator/faults", json=rule).status_code == 201
    for _ in range(4):
        bulk.client.get(fields, headers=bulk.headers)
    found = samples(bulk)
    assert value(found, "eloqua_emulator_faults_fired_total", kind="status_503") == 2
    assert value(found, "eloqua_emulator_faults_fired_total", kind="latency") == 1
    assert value(found, "eloqua_emulator_faults_fired_total", kind="connection_reset") is None
