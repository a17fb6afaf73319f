"""The list query language, as a pure function (reference §3.2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emulator.core import constraints
from emulator.core.errors import ValidationFailed
from emulator.core.listing import (
    Q_LENGTH_MAX,
    Q_TERMS_MAX,
    Kind,
    Listing,
    ListQuery,
    Order,
    Term,
    like_pattern,
    parse_list_query,
)

LISTING = Listing(
    {"name": Kind.TEXT, "count": Kind.NUMBER, "createdAt": Kind.TIMESTAMP, "isActive": Kind.BOOLEAN}
)


def parse(**params: str) -> ListQuery:
    return parse_list_query(params, LISTING, limit_max=1000)


def test_defaults() -> None:
    assert parse() == ListQuery(limit=1000, offset=0, total_results=True)


def test_data_pages_default_to_1000_but_allow_50000() -> None:
    assert parse_list_query({}, LISTING, limit_max=50000).limit == 1000
    assert parse_list_query({"limit": "50000"}, LISTING, limit_max=50000).limit == 50000


def test_the_documented_examples() -> None:
    assert parse(q='"name=*Test*"').terms == (Term("name", "=", "*Test*", wildcard=True),)
    assert parse(q="createdAt<2025-07-01").terms == (
        Term("createdAt", "<", "2025-07-01T00:00:00.0000000Z"),
    )
    assert parse(orderBy="name ASC").order == (Order("name"),)


def test_terms_combine_with_spaces_or_and_and_properties_ignore_case() -> None:
    query = parse(q="NAME='My List' AND count>=3 isactive=TRUE")
    assert query.terms == (
        Term("name", "=", "My List"),
        Term("count", ">=", 3),
        Term("isActive", "=", True),
    )


def test_order_by_several_properties() -> None:
    assert parse(orderBy="count DESC, name").order == (Order("count", True), Order("name"))


def test_like_pattern_escapes_sql_wildcards() -> None:
    assert like_pattern("50%_off*") == "50\\%\\_off%"
    assert like_pattern("a\\b*") == "a\\\\b%"


names = st.sampled_from(sorted(LISTING.properties))
text_values = st.text(
    st.characters(blacklist_characters="'\x00", blacklist_categories=["Cs"]), max_size=20
)


@st.composite
def terms(draw: st.DrawFn) -> Term:
    name = draw(names)
    kind = LISTING.properties[name]
    if kind is Kind.TEXT:
        value = draw(text_values)
        wildcard = "*" in value
        op = draw(st.sampled_from(["=", "!="] if wildcard else ["=", "!=", "<", "<=", ">", ">="]))
        return Term(name, op, value, wildcard=wildcard)
    op = draw(st.sampled_from(["=", "!=", "<", "<=", ">", ">="]))
    if kind is Kind.NUMBER:
        return Term(name, op, draw(st.integers(0, 10**12)))
    if kind is Kind.BOOLEAN:
        return Term(name, op, draw(st.booleans()))
    moment = draw(st.datetimes(min_value=__import__("datetime").datetime(1900, 1, 1)))
    return Term(name, op, moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z")


def render(term: Term) -> str:
    value = term.value
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return f"{term.name}{term.op}'{text}'"


@given(st.lists(terms(), min_size=1, max_size=4))
def test_rendered_terms_parse_back_to_the_same_terms(generated: list[Term]) -> None:
    q = " AND ".join(render(t) for t in generated)
    assert parse(q=q).terms == tuple(generated)


@given(
    st.dictionaries(
        st.sampled_from(["limit", "offset", "totalResults", "orderBy", "q"]), st.text(max_size=30)
    )
)
def test_any_parameters_either_parse_or_fail_with_failures_naming_them(params) -> None:
    failures = []
    try:
        parse(**params)
    except ValidationFailed as exc:
        failures = exc.failures
        assert failures
    assert {f.field for f in failures} <= set(params)
    assert all(f.value == params[f.field] for f in failures)


@pytest.mark.parametrize(
    "value",
    [
        "2025-07-01",
        "2025-07-01 10:00",
        "2025-07-01T10:00:00Z",
        "2025-07-01T12:00:00+02:00",
        "2025-07-01 10:00:00.1234567",
    ],
)
def test_timestamp_values_are_normalised_to_the_resource_form(value: str) -> None:
    (term,) = parse(q=f"createdAt>='{value}'").terms
    assert isinstance(term.value, str)
    assert term.value.startswith("2025-07-01T")
    assert term.value.endswith("Z")
    assert len(term.value) == 28


# Limits: Eloqua documents none for q or orderBy; without them a long query reaches SQLite's
# own limits (expression depth 1000, LIKE patterns of 50,000 bytes, 2,000 ORDER BY terms).


def failures_of(**params: str) -> list[tuple[str, str, object]]:
    with pytest.raises(ValidationFailed) as refused:
        parse(**params)
    return [(f.field, f.constraint, f.value) for f in refused.value.failures]


def test_q_takes_at_most_50_terms() -> None:
    fifty = " AND ".join(["name='x'"] * Q_TERMS_MAX)
    assert len(parse(q=fifty).terms) == 50
    over = fifty + " AND count=1"
    assert failures_of(q=over) == [("q", constraints.Q_TERMS.format(max=50), over)]


def test_q_of_many_short_terms_is_refused_for_their_number() -> None:
    q = " ".join(["count=1"] * 250)
    assert len(q) < Q_LENGTH_MAX
    assert failures_of(q=q) == [("q", constraints.Q_TERMS.format(max=50), q)]


def test_q_is_at_most_2000_characters_long() -> None:
    at_limit = "name=*" + "a" * (Q_LENGTH_MAX - 7) + "*"
    assert len(at_limit) == 2000
    assert parse(q=at_limit).terms[0].wildcard
    over = at_limit[:-1] + "a*"
    assert failures_of(q=over) == [("q", constraints.Q_LENGTH.format(max=2000), over)]


def test_order_by_names_at_most_as_many_items_as_the_listing_has_properties() -> None:
    every = "name, count DESC, createdAt, isActive"
    assert len(parse(orderBy=every).order) == 4
    over = every + ", name"
    assert failures_of(orderBy=over) == [
        ("orderBy", constraints.ORDER_BY_COUNT.format(max=4), over)
    ]
    many = ",".join(["name ASC"] * 2000)
    assert failures_of(orderBy=many)[0][:2] == ("orderBy", constraints.ORDER_BY_COUNT.format(max=4))


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity", "1e309", "-1e400"])
def test_numbers_in_q_must_be_finite(value: str) -> None:
    q = f"count={value}"
    message = constraints.Q_VALUE.format(value=value, kind="number", name="count")
    assert failures_of(q=q) == [("q", message, q)]


def test_large_finite_numbers_are_numbers() -> None:
    assert parse(q="count=1e308").terms == (Term("count", "=", 1e308),)
    assert parse(q="count=99999999999999999999").terms == (Term("count", "=", 1e20),)
