"""REST 2.0 list parameters, as a pure function: paging, depth, orderBy and search."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.core.listing import Kind
from emulator.core.rest_query import (
    SEARCH_LENGTH_MAX,
    Depth,
    RestQuery,
    RestQueryError,
    Search,
    Sort,
    epoch_seconds,
    parse_rest_query,
)

PROPERTIES = {
    "id": Kind.NUMBER,
    "name": Kind.TEXT,
    "updatedAt": Kind.TIMESTAMP,
    "isTracked": Kind.BOOLEAN,
    "V_LastVisitDateAndTime": Kind.TIMESTAMP,
}


def parse(**params: str) -> RestQuery:
    return parse_rest_query(params, PROPERTIES)


def errors(**params: str) -> list[dict]:
    with pytest.raises(RestQueryError) as caught:
        parse(**params)
    return caught.value.errors


def test_defaults_are_the_first_page_of_1000_at_minimal_depth() -> None:
    query = parse()
    assert query == RestQuery(count=1000, page=1, depth=Depth.MINIMAL)
    assert query.offset == 0


def test_pages_are_counted_from_one() -> None:
    assert parse(count="10", page="3").offset == 20


def test_tap_eloqua_sync_parameters() -> None:
    query = parse(
        count="1000",
        page="2",
        depth="complete",
        orderBy="updatedAt",
        search="updatedAt>='2000-01-01 00:00:00'",
    )
    assert query == RestQuery(
        count=1000,
        page=2,
        depth=Depth.COMPLETE,
        order=Sort("updatedAt"),
        search=Search("updatedAt", ">=", 946684800),
    )


def test_property_names_and_depths_ignore_case() -> None:
    query = parse(orderBy="v_LastVisitDateAndTime desc", depth="Partial")
    assert query.order == Sort("V_LastVisitDateAndTime", descending=True)
    assert query.depth is Depth.PARTIAL
    assert parse(search="v_lastvisitdateandtime>1").search == Search(
        "V_LastVisitDateAndTime", ">", 1
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name='Newsletter*'", Search("name", "=", "Newsletter*", wildcard=True)),
        ("name!=*Test*", Search("name", "!=", "*Test*", wildcard=True)),
        ("name='Q1 2025 Newsletter Program'", Search("name", "=", "Q1 2025 Newsletter Program")),
        ('"name=Webinar*"', Search("name", "=", "Webinar*", wildcard=True)),
        ("Webinar*", Search("name", "=", "Webinar*", wildcard=True)),
        ("id>=102", Search("id", ">=", 102)),
        ("id<= 103", Search("id", "<=", 103)),
        ("isTracked=TRUE", Search("isTracked", "=", "true")),
        ("updatedAt>1417724727", Search("updatedAt", ">", 1417724727)),
        ("updatedAt<'2014-12-05'", Search("updatedAt", "<", 1417737600)),
        ("updatedAt>=2014-12-04T20:25:27Z", Search("updatedAt", ">=", 1417724727)),
    ],
)
def test_search_forms(text: str, expected: Search) -> None:
    assert parse(search=text).search == expected


def test_operators_are_read_longest_first() -> None:
    assert parse(search="id!=5").search == Search("id", "!=", 5)
    assert parse(search="id>=5").search == Search("id", ">=", 5)
    assert parse(search="id<=5").search == Search("id", "<=", 5)


def test_a_search_without_a_term_uses_the_collections_default() -> None:
    query = parse_rest_query(
        {"search": "abc*"}, {"externalId": Kind.TEXT}, default_term="externalId"
    )
    assert query.search == Search("externalId", "=", "abc*", wildcard=True)


def test_a_star_in_a_text_value_is_literal_with_ordering_operators() -> None:
    assert parse(search="name>a*").search == Search("name", ">", "a*")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"count": "0"},
            {
                "type": "EndpointValidationError",
                "parameter": "count",
                "value": "0",
                "requirement": {"type": "RangeRequirement", "minimum": 1, "maximum": 1000},
            },
        ),
        (
            {"count": "1001"},
            {
                "type": "EndpointValidationError",
                "parameter": "count",
                "value": "1001",
                "requirement": {"type": "RangeRequirement", "minimum": 1, "maximum": 1000},
            },
        ),
        (
            {"page": "0"},
            {
                "type": "EndpointValidationError",
                "parameter": "page",
                "value": "0",
                "requirement": {"type": "RangeRequirement", "minimum": 1, "maximum": 2147483647},
            },
        ),
        (
            {"orderBy": "name sideways"},
            {
                "type": "EndpointValidationError",
                "parameter": "orderBy",
                "value": "name sideways",
                "requirement": {"type": "SyntaxRequirement", "syntax": "{term} [ASC|DESC]"},
            },
        ),
        (
            {"orderBy": "colour"},
            {
                "type": "EndpointValidationError",
                "parameter": "orderBy",
                "value": "colour",
                "requirement": {"type": "EnumRequirement", "values": sorted(PROPERTIES)},
            },
        ),
        (
            {"search": "colour=red"},
            {
                "type": "EndpointValidationError",
                "parameter": "search",
                "value": "colour=red",
                "requirement": {"type": "EnumRequirement", "values": sorted(PROPERTIES)},
            },
        ),
        (
            {"search": "=x"},
            {
                "type": "EndpointValidationError",
                "parameter": "search",
                "value": "=x",
                "requirement": {"type": "SyntaxRequirement", "syntax": "{term}{operator}{value}"},
            },
        ),
        (
            {"search": "updatedAt>='yesterday'"},
            {
                "type": "EndpointValidationError",
                "parameter": "search",
                "value": "updatedAt>='yesterday'",
                "requirement": {"type": "DataTypeRequirement", "dataType": "date"},
            },
        ),
        (
            {"search": "id=1*"},
            {
                "type": "EndpointValidationError",
                "parameter": "search",
                "value": "id=1*",
                "requirement": {"type": "DataTypeRequirement", "dataType": "number"},
            },
        ),
    ],
)
def test_each_refused_parameter_is_one_endpoint_validation_error(params, expected) -> None:
    assert errors(**params) == [expected]


def test_every_refused_parameter_is_reported_at_once() -> None:
    found = errors(count="x", page="-1", depth="", orderBy="?", search="name=")
    assert [e["parameter"] for e in found] == ["count", "page", "orderBy"]  # "" depth: minimal


def test_pages_beyond_a_dotnet_int_are_refused() -> None:
    assert parse(page="2147483647").page == 2147483647
    assert errors(page="2147483648")[0]["parameter"] == "page"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1417724727", 1417724727),
        ("2000-01-01 00:00:00", 946684800),
        ("2000-01-01", 946684800),
        ("2000-01-01T01:00:00+01:00", 946684800),
        ("1969-12-31 23:59:59.5", -1),
        ("2000-13-01", None),
        ("soon", None),
    ],
)
def test_dates_in_search(text: str, seconds: int | None) -> None:
    assert epoch_seconds(text) == seconds


@given(
    st.dictionaries(
        st.sampled_from(["count", "page", "depth", "orderBy", "search"]), st.text(max_size=30)
    )
)
def test_any_parameters_parse_or_are_refused_with_errors(params: dict[str, str]) -> None:
    try:
        parse_rest_query(params, PROPERTIES)
        refused: list[dict] = []
    except RestQueryError as exc:
        refused = exc.errors or [{"parameter": "<empty>"}]
    assert {e["parameter"] for e in refused} <= set(params)


def test_a_search_is_at_most_2000_characters_long() -> None:
    """Eloqua publishes no limit; without one a long wildcard passes SQLite's 50,000-byte
    LIKE pattern limit, a server error. The type is one of Oracle's requirement types."""
    at_limit = "name='" + "a" * (SEARCH_LENGTH_MAX - 8) + "*'"
    assert len(at_limit) == 2000
    assert parse(search=at_limit).search == Search("name", "=", at_limit[6:-1], wildcard=True)
    over = "name=*" + "😀" * 20000 + "*"
    assert errors(search=over) == [
        {
            "type": "EndpointValidationError",
            "parameter": "search",
            "value": over,
            "requirement": {"type": "ValidTextLengthRequirement", "maximum": 2000},
        }
    ]


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity", "1e309"])
def test_numbers_in_a_search_must_be_finite(value: str) -> None:
    assert errors(search=f"id={value}")[0]["requirement"] == {
        "type": "DataTypeRequirement",
        "dataType": "number",
    }
