"""Drift from Oracle's published Swagger: every upstream Bulk operation, query parameter and
body property is in our spec or excused in ``NOT_EMULATED``; the README's coverage table is
generated from the same data."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import implementation_coverage, spec_drift

PROSE = {"description", "summary", "example", "examples", "x-summary"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return spec_drift.load_spec()


@pytest.fixture(scope="module")
def upstream() -> list[dict[str, Any]]:
    return spec_drift.load_upstream()


def test_every_upstream_item_is_emulated_or_excused_with_a_reason(
    spec: dict[str, Any], upstream: list[dict[str, Any]]
) -> None:
    drift = spec_drift.compare(spec=spec, upstream=upstream)
    assert drift.unaccounted == []
    assert drift.unused == [], "NOT_EMULATED patterns that excuse nothing"
    assert len(drift.operations) >= 179
    assert all(reason.strip() for reason in spec_drift.NOT_EMULATED.values())


def test_a_property_oracle_adds_is_named(
    spec: dict[str, Any], upstream: list[dict[str, Any]]
) -> None:
    changed = copy.deepcopy(upstream)
    syncs = next(tag for tag in changed if tag["tag"] == "Bulk/2.0/syncs")
    get_one = next(op for op in syncs["operations"] if op["operationId"] == "GetSyncIndividual")
    get_one["responses"]["200"]["properties"]["syncPriority"] = {"type": "integer"}
    drift = spec_drift.compare(spec=spec, upstream=changed)
    assert drift.unaccounted == ["GET /api/bulk/2.0/syncs/{} response.syncPriority"]


def test_an_operation_and_a_query_parameter_oracle_adds_are_named(
    spec: dict[str, Any], upstream: list[dict[str, Any]]
) -> None:
    changed = copy.deepcopy(upstream)
    syncs = next(tag for tag in changed if tag["tag"] == "Bulk/2.0/syncs")
    syncs["operations"].append(
        {
            "method": "post",
            "path": "/api/bulk/2.0/syncs/{id}/cancel",
            "operationId": "PostSyncCancel",
            "parameters": [{"name": "force", "in": "query", "type": "boolean"}],
            "responses": {"204": None},
        }
    )
    drift = spec_drift.compare(spec=spec, upstream=changed)
    assert drift.unaccounted == [
        "POST /api/bulk/2.0/syncs/{}/cancel",
        "POST /api/bulk/2.0/syncs/{}/cancel ?force",
    ]


def test_a_property_under_a_referenced_schema_is_compared(
    spec: dict[str, Any], upstream: list[dict[str, Any]]
) -> None:
    changed = copy.deepcopy(upstream)
    syncs = next(tag for tag in changed if tag["tag"] == "Bulk/2.0/syncs")
    syncs["components"]["Sync"]["properties"]["region"] = {"type": "string"}
    drift = spec_drift.compare(spec=spec, upstream=changed)
    assert "GET /api/bulk/2.0/syncs response.items[].region" in drift.unaccounted


def test_an_excuse_that_matches_nothing_fails(
    spec: dict[str, Any], upstream: list[dict[str, Any]]
) -> None:
    excuses = {**spec_drift.NOT_EMULATED, "GET /api/bulk/2.0/teleport": "no such route"}
    drift = spec_drift.compare(spec=spec, upstream=upstream, not_emulated=excuses)
    assert drift.unused == ["GET /api/bulk/2.0/teleport"]
    assert not drift.ok


def test_the_snapshot_holds_structure_only() -> None:
    def keys(node: Any) -> set[str]:
        if isinstance(node, dict):
            found = set(node)
            for name, value in node.items():
                # "properties" maps property names, which may be any word
                if name == "properties":
                    found.discard(name)
                    for sub in value.values():
                        found |= keys(sub) | {"properties"}
                else:
                    found |= keys(value)
            return found
        if isinstance(node, list):
            return set().union(*(keys(item) for item in node)) if node else set()
        return set()

    for path in sorted(spec_drift.UPSTREAM.glob("bulk-2.0-*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not keys(document) & PROSE, path.name
        assert document["tag"].startswith("Bulk/2.0/")


def test_the_readme_coverage_table_is_up_to_date() -> None:
    readme = Path(implementation_coverage.README).read_text(encoding="utf-8")
    assert implementation_coverage.updated(readme) == readme, "run `make coverage-doc`"


def test_the_coverage_table_is_not_written_while_something_is_unaccounted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(spec_drift, "NOT_EMULATED", {})
    with pytest.raises(SystemExit, match="unaccounted for: 237"):
        implementation_coverage.section()
