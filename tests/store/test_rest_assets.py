"""REST 2.0 element pages in SQL: epoch-second strings compare as numbers, text without
case, ``!=`` keeps elements without the property, and pages are stable."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest

from emulator.core.listing import Kind
from emulator.core.rest_query import RestQuery, Search, Sort
from emulator.store import Store
from emulator.store import rest_assets as rows

PROPERTIES = {"id": Kind.NUMBER, "name": Kind.TEXT, "updatedAt": Kind.TIMESTAMP}
ELEMENTS = [
    {"type": "Email", "id": "1", "name": "beta", "updatedAt": "1000"},
    {"type": "Email", "id": "2", "name": "Alpha", "updatedAt": "999"},
    {"type": "Email", "id": "3", "name": "100% off_sale", "updatedAt": "1000"},
    {"type": "Email", "id": "4", "updatedAt": "5"},
]


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store(":memory:")
    store.write_sync(rows.insert, 1, "emails", ELEMENTS)
    store.write_sync(rows.insert, 2, "emails", ELEMENTS[:1])
    yield store
    store.close()


def ids(store: Store, query: RestQuery, site: int = 1) -> list[str]:
    page = store.read_sync(rows.select_page, site, "emails", query, PROPERTIES)
    return [orjson.loads(item)["id"] for item in page.items]


def test_dates_sort_as_numbers_not_as_text(store: Store) -> None:
    assert ids(store, RestQuery(order=Sort("updatedAt"))) == ["4", "2", "1", "3"]
    assert ids(store, RestQuery(order=Sort("updatedAt", descending=True))) == ["1", "3", "2", "4"]


def test_dates_compare_as_numbers(store: Store) -> None:
    assert ids(store, RestQuery(search=Search("updatedAt", ">=", 999))) == ["1", "2", "3"]


def test_text_sorts_and_matches_without_regard_to_case(store: Store) -> None:
    assert ids(store, RestQuery(order=Sort("name"))) == ["4", "3", "2", "1"]
    assert ids(store, RestQuery(search=Search("name", "=", "ALPHA"))) == ["2"]


def test_wildcards_treat_percent_and_underscore_literally(store: Store) -> None:
    assert ids(store, RestQuery(search=Search("name", "=", "100%*", wildcard=True))) == ["3"]
    assert ids(store, RestQuery(search=Search("name", "=", "1_0*", wildcard=True))) == []
    assert ids(store, RestQuery(search=Search("name", "=", "*ph*", wildcard=True))) == ["2"]


def test_not_equal_keeps_elements_without_the_property(store: Store) -> None:
    assert ids(store, RestQuery(search=Search("name", "!=", "beta"))) == ["2", "3", "4"]
    assert ids(store, RestQuery(search=Search("name", "!=", "b*", wildcard=True))) == [
        "2",
        "3",
        "4",
    ]


def test_pages_count_every_match_and_past_the_end_are_empty(store: Store) -> None:
    page = store.read_sync(rows.select_page, 1, "emails", RestQuery(count=3, page=2), PROPERTIES)
    assert (len(page.items), page.total) == (1, 4)
    page = store.read_sync(rows.select_page, 1, "emails", RestQuery(count=3, page=9), PROPERTIES)
    assert (page.items, page.total) == ([], 4)


def test_each_site_sees_its_own_elements(store: Store) -> None:
    assert ids(store, RestQuery(), site=2) == ["1"]
    assert ids(store, RestQuery(), site=3) == []
