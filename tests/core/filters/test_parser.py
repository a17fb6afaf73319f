"""Export filters parse into frozen trees with the documented precedence (reference §7, §14),
format back to canonical text, and fail with the position of the offending character."""

from __future__ import annotations

import pytest

from emulator.core import constraints
from emulator.core.filters import (
    And,
    Compare,
    Exists,
    FilterError,
    Not,
    Or,
    Status,
    format_filter,
    parse_filter,
)
from emulator.core.markup import ast as m

GUID = "f82d50cd86a94fcab37e4ec9a98b0339"
A = Compare(m.ContactField("C_Country"), "=", "BE")
B = Compare(m.ContactAttribute("Id"), "=", "12345")
C = Compare(m.ContactAttribute("CreatedAt"), ">=", "2017-01-01 00:00:00")
TEXT_A = "'{{Contact.Field(C_Country)}}' = 'BE'"
TEXT_B = "'{{Contact.Id}}' = '12345'"
TEXT_C = "'{{Contact.CreatedAt}}' >= '2017-01-01 00:00:00'"

# Every example filter of reference §5.2, §7 and §14 (Oracle's docs and real clients).
EXAMPLES = [
    (TEXT_A, A),
    ("EXISTS('{{ContactFilter[12]}}')", Exists(m.ContactFilter(12))),
    ("EXISTS('{{ContactSegment[12]}}')", Exists(m.ContactSegment(12))),
    ("EXISTS('{{ContactList[12]}}')", Exists(m.ContactList(12))),
    ("EXISTS('{{AccountList[12]}}')", Exists(m.AccountList(12))),
    (
        "EXISTS('{{ContactSegment[6]}}') AND '{{Contact.Field(C_FirstName)}}'='John'",
        And((Exists(m.ContactSegment(6)), Compare(m.ContactField("C_FirstName"), "=", "John"))),
    ),
    (
        f"STATUS('{{{{ActionInstance({GUID}).Execution[12345]}}}}') = 'pending'",
        Status(m.ActionInstance(GUID, 12345), "=", "pending"),
    ),
    (
        f"STATUS('{{{{DecisionInstance({GUID}).Execution[12345]}}}}') = 'pending'",
        Status(m.DecisionInstance(GUID, 12345), "=", "pending"),
    ),
    (
        "STATUS('{{ActionInstance(f3689bdfbf2e48deb318019367b4f2a8)}}') = 'pending'",
        Status(m.ActionInstance("f3689bdfbf2e48deb318019367b4f2a8"), "=", "pending"),
    ),
    (
        "'{{Contact.UpdatedAt}}' >= '2017-01-01 00:00:00'",
        Compare(m.ContactAttribute("UpdatedAt"), ">=", "2017-01-01 00:00:00"),
    ),
    ("'{{Activity.Type}}'='Bounceback'", Compare(m.ActivityAttribute("Type"), "=", "Bounceback")),
    (f" {TEXT_B} AND {TEXT_C} ", And((B, C))),
    (
        "'{{Contact.UpdatedAt}}' >= '2020-01-01 00:00:00' AND "
        "'{{Contact.UpdatedAt}}' < '2020-02-01 00:00:00'",
        And(
            (
                Compare(m.ContactAttribute("UpdatedAt"), ">=", "2020-01-01 00:00:00"),
                Compare(m.ContactAttribute("UpdatedAt"), "<", "2020-02-01 00:00:00"),
            )
        ),
    ),
    (" EXISTS('{{ContactList[1]}}') ", Exists(m.ContactList(1))),
]


@pytest.mark.parametrize(("text", "tree"), EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_documented_filters_parse(text, tree):
    assert parse_filter(text) == tree


@pytest.mark.parametrize(("text", "tree"), EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_documented_filters_round_trip_through_canonical_text(text, tree):
    canonical = format_filter(tree)
    assert parse_filter(canonical) == tree
    assert format_filter(parse_filter(canonical)) == canonical


def test_and_binds_tighter_than_or():
    assert parse_filter(f"{TEXT_A} OR {TEXT_B} AND {TEXT_C}") == Or((A, And((B, C))))
    assert parse_filter(f"{TEXT_A} AND {TEXT_B} OR {TEXT_C}") == Or((And((A, B)), C))


def test_not_binds_tighter_than_and():
    assert parse_filter(f"NOT {TEXT_A} AND {TEXT_B}") == And((Not(A), B))
    assert parse_filter(f"NOT NOT {TEXT_A}") == Not(Not(A))


def test_parentheses_group_and_keep_their_nesting():
    assert parse_filter(f"({TEXT_A} OR {TEXT_B}) AND {TEXT_C}") == And((Or((A, B)), C))
    assert parse_filter(f"NOT ({TEXT_A} AND {TEXT_B})") == Not(And((A, B)))
    assert parse_filter(f"(({TEXT_A}))") == A
    assert parse_filter(f"({TEXT_A} AND {TEXT_B}) AND {TEXT_C}") == And((And((A, B)), C))
    assert parse_filter(f"{TEXT_A} AND {TEXT_B} AND {TEXT_C}") == And((A, B, C))


def test_keywords_ignore_case_and_whitespace_is_optional():
    text = "not('{{Contact.Id}}'='12345')and exists('{{ContactList[1]}}')or\t\n" + TEXT_A
    assert parse_filter(text) == Or((And((Not(B), Exists(m.ContactList(1)))), A))


def test_format_gives_canonical_spacing_keywords_and_statements():
    text = "not('{{contact.id}}'='12345')and exists('{{contactlist[1]}}')"
    assert format_filter(parse_filter(text)) == (
        "NOT '{{Contact.Id}}' = '12345' AND EXISTS('{{ContactList[1]}}')"
    )


def test_every_comparison_operator():
    for op in ("=", "!=", ">", ">=", "<", "<=", "~"):
        assert parse_filter(f"'{{{{Contact.Id}}}}'{op}'1'") == Compare(
            m.ContactAttribute("Id"), op, "1"
        )


def test_values_may_hold_any_unicode_and_doubled_quotes():
    tree = parse_filter("'{{Contact.Field(C_LastName)}}' = 'O''Brien – Łódź 東京 🎉'")
    assert tree == Compare(m.ContactField("C_LastName"), "=", "O'Brien – Łódź 東京 🎉")
    assert format_filter(tree) == "'{{Contact.Field(C_LastName)}}' = 'O''Brien – Łódź 東京 🎉'"
    assert parse_filter("'{{Contact.Id}}' = ''") == Compare(m.ContactAttribute("Id"), "=", "")
    assert parse_filter("'{{Contact.Id}}' = ''''") == Compare(m.ContactAttribute("Id"), "=", "'")


def test_leaves_keep_spans_and_statements_shifted_into_the_filter():
    tree = parse_filter("  '{{Contact.Id}}' = '12345'")
    assert isinstance(tree, Compare)
    assert (tree.start, tree.end) == (2, 28)
    assert tree.syntax is not None
    assert (tree.syntax.start, tree.syntax.segments[1].start) == (3, 13)


ERRORS = [
    ("", 0, constraints.FILTER_EMPTY),
    ("   ", 0, constraints.FILTER_EMPTY),
    ("'{{Contact.Id}} = '1'", 15, constraints.MARKUP_SPACE),
    ("'{{Contact.Id}}' = '1", 19, constraints.FILTER_UNTERMINATED),
    ("'{{Contact.Id}}' = \"1\"", 19, constraints.FILTER_DOUBLE_QUOTE),
    ("'{{Contact.Id}}' == '1'", 18, constraints.FILTER_EXPECTED_VALUE),
    ("'{{Contact.Id}}' <> '1'", 18, constraints.FILTER_EXPECTED_VALUE),
    ("'{{Contact.Id}}' '1'", 17, constraints.FILTER_EXPECTED_OPERATOR),
    ("'{{Contact.Id}}' =", 18, constraints.FILTER_EXPECTED_VALUE),
    ("'{{Contact.Id}}' = '1' AND", 26, constraints.FILTER_EXPECTED_TERM),
    ("'{{Contact.Id}}' = '1' '2'", 23, constraints.FILTER_TRAILING),
    ("'{{Contact.Id}}' = '1' XOR '2'", 23, constraints.FILTER_WORD.format(word="XOR")),
    ("'{{Contact.Id}}' = '1' & '2'", 23, constraints.FILTER_CHARACTER.format(char="&")),
    ("('{{Contact.Id}}' = '1'", 23, constraints.FILTER_EXPECTED.format(token=")")),
    ("'Contact.Id' = '1'", 0, constraints.FILTER_EXPECTED_STATEMENT),
    ("EXISTS '{{ContactList[1]}}'", 7, constraints.FILTER_EXPECTED.format(token="(")),
    ("EXISTS('{{ContactList[1]}}'", 27, constraints.FILTER_EXPECTED.format(token=")")),
    ("EXISTS({{ContactList[1]}})", 7, constraints.FILTER_CHARACTER.format(char="{")),
    ("'{{Contact.Fied(C_X)}}' = '1'", 11, None),
    ("'{{Contact.Id }}' = '1'", 13, constraints.MARKUP_SPACE),
    ("EXISTS('{{EmailGroup[1]}}')", 7, constraints.FILTER_EXISTS_KIND),
    ("EXISTS('{{Contact.Id}}')", 7, constraints.FILTER_EXISTS_KIND),
    ("STATUS('{{ContactList[1]}}') = 'pending'", 7, constraints.FILTER_STATUS_KIND),
    (f"STATUS('{{{{FeederInstance({GUID})}}}}') = 'pending'", 7, constraints.FILTER_STATUS_KIND),
    ("STATUS('{{ActionInstance(abc)}}')", 25, constraints.MARKUP_GUID_FORM),
    (
        "STATUS('{{ActionInstance(f82d50cd-86a9-4fca-b37e-4ec9a98b0339).Execution[1]}}')"
        " = 'pending'",
        25,
        constraints.MARKUP_GUID_DASHED.format(guid=GUID),
    ),
    (f"STATUS('{{{{ActionInstance({GUID})}}}}')", 62, constraints.FILTER_EXPECTED_OPERATOR),
    ("'{{ContactList[1]}}' = '1'", 0, constraints.FILTER_COMPARE_KIND),
    ("NOT", 3, constraints.FILTER_EXPECTED_TERM),
    ("()", 1, constraints.FILTER_EXPECTED_TERM),
    ("(" * 60 + TEXT_A + ")" * 60, 51, constraints.FILTER_NESTING.format(max=50)),
    ("NOT " * 60 + TEXT_A, 204, constraints.FILTER_NESTING.format(max=50)),
]


@pytest.mark.parametrize(("text", "position", "message"), ERRORS, ids=[t[:60] for t, *_ in ERRORS])
def test_errors_point_at_the_offending_character(text, position, message):
    with pytest.raises(FilterError) as caught:
        parse_filter(text)
    assert caught.value.position == position
    if message is not None:
        assert caught.value.message == message
