"""REST 2.0 lists as plain function calls over the seeded store: depth projections, the
order and search incremental readers rely on, and one copy of the data per site."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.core.rest_query import Depth, RestQueryError
from emulator.core.types import Principal
from emulator.domain import rest_assets
from emulator.store import Store
from tests.domain.conftest import FIXTURES


def fixture(kind: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((FIXTURES / "rest" / f"{kind}.json").read_text())
    return data


def listed(store: Store, principal: Principal, kind: str, **params: str) -> dict[str, Any]:
    return store.read_sync(rest_assets.list_elements, principal, kind, params)


@pytest.mark.parametrize("kind", list(rest_assets.BY_KIND))
def test_complete_depth_is_the_stored_element_in_id_order(store, principal, kind) -> None:
    body = listed(store, principal, kind, depth="complete")
    expected = sorted(fixture(kind), key=lambda e: int(e["id"]))
    assert body == {"elements": expected, "page": 1, "pageSize": 1000, "total": len(expected)}


@pytest.mark.parametrize("kind", list(rest_assets.BY_KIND))
def test_minimal_depth_keeps_the_minimal_keys_in_order(store, principal, kind) -> None:
    collection = rest_assets.BY_KIND[kind]
    for element, stored in zip(
        listed(store, principal, kind)["elements"],
        sorted(fixture(kind), key=lambda e: int(e["id"])),
        strict=True,
    ):
        assert list(element) == [k for k in stored if k in collection.minimal]
        assert element.get("depth", "minimal") == "minimal"


def test_minimal_campaign_is_what_oracle_documents() -> None:
    stored = fixture("campaigns")[0]
    shown = rest_assets.project(stored, rest_assets.ASSET_MINIMAL, Depth.MINIMAL)
    assert list(shown) == [
        "type",
        "currentStatus",
        "id",
        "createdAt",
        "createdBy",
        "depth",
        "folderId",
        "name",
        "permissions",
        "updatedAt",
        "updatedBy",
    ]
    assert shown["depth"] == "minimal"
    assert stored["depth"] == "complete", "projection copies, never changes the stored element"


def test_minimal_depth_leaves_out_keys_without_a_value() -> None:
    element = {"type": "Form", "id": "1", "depth": "complete", "name": "", "folderId": None}
    assert rest_assets.project(element, rest_assets.ASSET_MINIMAL, Depth.MINIMAL) == {
        "type": "Form",
        "id": "1",
        "depth": "minimal",
    }


def test_partial_depth_shows_related_entities_at_minimal_depth(store, principal) -> None:
    email = listed(store, principal, "emails", depth="partial", count="1")["elements"][0]
    stored = fixture("emails")[0]
    assert email["depth"] == "partial"
    assert email["htmlContent"] == stored["htmlContent"]
    assert email["hyperlinks"] == [
        {"type": "Hyperlink", "id": link["id"], "depth": "minimal", "name": link["name"]}
        for link in stored["hyperlinks"]
    ]
    form = listed(store, principal, "forms", depth="partial", count="1")["elements"][0]
    assert all(set(field) == {"type", "id", "name"} for field in form["elements"])


def test_sorting_on_the_tap_bookmark_is_ascending_epoch_seconds(store, principal) -> None:
    visitors = listed(
        store,
        principal,
        "visitors",
        depth="complete",
        orderBy="V_LastVisitDateAndTime",
        search="V_LastVisitDateAndTime>='2000-01-01 00:00:00'",
    )["elements"]
    stamps = [int(v["V_LastVisitDateAndTime"]) for v in visitors]
    assert stamps == sorted(stamps)
    assert len(visitors) == len(fixture("visitors"))


def test_a_bookmark_search_returns_only_later_elements(store, principal) -> None:
    campaigns = sorted(fixture("campaigns"), key=lambda c: int(c["updatedAt"]))
    since = campaigns[3]["updatedAt"]
    body = listed(store, principal, "campaigns", orderBy="updatedAt", search=f"updatedAt>={since}")
    assert [c["id"] for c in body["elements"]] == [c["id"] for c in campaigns[3:]]
    assert body["total"] == 3


def test_search_by_name_with_a_wildcard(store, principal) -> None:
    body = listed(store, principal, "emails", search="name='Newsletter*'")
    names = [e["name"] for e in body["elements"]]
    assert names
    assert all(n.startswith("Newsletter") for n in names)
    assert body["total"] == len(names)


def test_pages_follow_count_and_end_empty(store, principal) -> None:
    total = len(fixture("emails"))
    first = listed(store, principal, "emails", count="3")
    second = listed(store, principal, "emails", count="3", page="2")
    past = listed(store, principal, "emails", count="3", page="99")
    assert [len(first["elements"]), len(second["elements"])] == [3, 3]
    assert {e["id"] for e in first["elements"]}.isdisjoint(e["id"] for e in second["elements"])
    assert past == {"elements": [], "page": 99, "pageSize": 3, "total": total}


def test_refused_parameters_raise_the_rest_errors(store, principal) -> None:
    with pytest.raises(RestQueryError) as caught:
        listed(store, principal, "forms", count="1001", page="0")
    assert [e["parameter"] for e in caught.value.errors] == ["count", "page"]


def test_another_site_sees_its_own_copy(store, principal, stranger) -> None:
    ours = listed(store, principal, "externals", depth="complete")
    theirs = listed(store, stranger, "externals", depth="complete")
    assert theirs == ours
    store.write_sync(lambda db: db.execute("DELETE FROM rest_assets WHERE site_id = ?", [0]))
    assert listed(store, principal, "externals")["total"] == len(fixture("externals"))
