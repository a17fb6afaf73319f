"""Filter validation against the export's entity and the catalog (reference §7, §12.1, §14)."""

from __future__ import annotations

import pytest

from emulator.core import constraints
from emulator.core.filters import (
    Compare,
    Exists,
    Or,
    check_filter,
    leaves,
    parse_filter,
    uses_service_instance,
    validate_filter,
)
from emulator.core.markup import EntityRef, Problem
from emulator.core.markup import ast as m
from tests.core.markup.catalogs import fixture_catalog, small_catalog

CATALOG = small_catalog()
CONTACTS = EntityRef("contacts")
ACCOUNTS = EntityRef("accounts")
ACTIVITIES = EntityRef("activities")
CDO_9 = EntityRef("customObjects", 9)
GUID = "f82d50cd86a94fcab37e4ec9a98b0339"
ACTION_PENDING = f"STATUS('{{{{ActionInstance({GUID}).Execution[12345]}}}}') = 'pending'"
SEGMENT = "EXISTS('{{ContactSegment[6]}}')"
UPDATED = "'{{Contact.UpdatedAt}}' >= '2019-05-01 00:00:00'"
CREATED = "'{{Contact.CreatedAt}}' < '2019-06-01'"
MODIFIED = "'{{Contact.Field(C_DateModified)}}' > '2019-05-01 12:00:00'"
DATE_CREATED = "'{{contact.field(c_datecreated)}}' <= '2019-05-02'"


def messages(text: str, entity: EntityRef = CONTACTS) -> list[str]:
    return [p.message for p in check_filter(text, entity, CATALOG)[1]]


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("'{{Contact.Field(C_Country)}}' = 'BE'", CONTACTS),
        (
            " '{{Contact.Id}}' = '12345' AND '{{Contact.CreatedAt}}' >= '2017-01-01 00:00:00' ",
            CONTACTS,
        ),
        ("EXISTS('{{ContactList[12]}}') AND NOT '{{Contact.Email.IsBounced}}' = 'true'", CONTACTS),
        ("EXISTS('{{ContactFilter[201]}}')", CONTACTS),
        ("EXISTS('{{AccountList[301]}}')", ACCOUNTS),
        (
            "'{{Activity.Type}}'='Bounceback' AND '{{Activity.CreatedAt}}' >= '2024-01-01'",
            ACTIVITIES,
        ),
        ("'{{Activity.Contact.Id}}' = '5'", ACTIVITIES),
        (ACTION_PENDING, CONTACTS),
        (ACTION_PENDING, CDO_9),
        (ACTION_PENDING, EntityRef("campaignResponses")),
        ("STATUS('{{ActionInstance(f3689bdfbf2e48deb318019367b4f2a8)}}') = 'pending'", CONTACTS),
        (f"STATUS('{{{{DecisionInstance({GUID}).Execution[1]}}}}') != 'YES'", CONTACTS),
        ("'{{CustomObject[9].Field[106]}}' >= '2024-02-29T10:00' AND " + ACTION_PENDING, CDO_9),
        ("EXISTS('{{ContactList[12]}}') AND " + ACTION_PENDING, CONTACTS),
        ("'{{Contact.UpdatedAt}}' = ''", CONTACTS),
        ("'{{Contact.UpdatedAt}}' ~ '2019-%'", CONTACTS),
    ],
)
def test_valid_filters_have_no_problems(text, entity):
    assert messages(text, entity) == []


def test_the_parsed_tree_comes_back_with_the_problems():
    expr, problems = check_filter("EXISTS('{{ContactList[12]}}')", CONTACTS, CATALOG)
    assert expr == parse_filter("EXISTS('{{ContactList[12]}}')")
    assert problems == []


def test_a_filter_of_exactly_1000_characters_is_accepted_and_1001_refused():
    base = "'{{Contact.Field(C_Country)}}' = ''"
    at_limit = base[:-1] + "x" * (1000 - len(base)) + "'"
    assert len(at_limit) == 1000
    assert messages(at_limit) == []
    over = at_limit[:-1] + "x'"
    assert messages(over) == [constraints.FILTER_LENGTH.format(max=1000)]


@pytest.mark.parametrize(
    "text",
    [
        " OR ".join(["'{{Contact.Field(C_Country)}}' = 'BE'"] * 5000),
        "(" * 1000 + "'{{Contact.Id}}' = '1'" + ")" * 1000,
        "NOT " * 5000 + "'{{Contact.Id}}' = '1'",
    ],
)
def test_a_filter_over_the_limit_is_refused_for_its_length_without_being_read(text):
    """A request body may hold megabytes of filter: reading them would keep the writer busy
    for seconds (the parser and validator are linear, but slow per clause)."""
    expr, problems = check_filter(text, CONTACTS, CATALOG)
    assert expr is None
    assert problems == [Problem(constraints.FILTER_LENGTH.format(max=1000), text, "filter", 1000)]


def test_length_counts_utf16_code_units_like_dotnet():
    base = "'{{Contact.Field(C_Country)}}' = ''"
    text = base[:-1] + "🎉" * ((1000 - len(base)) // 2) + "xx'"
    assert len(text) < 1000
    assert messages(text) == [constraints.FILTER_LENGTH.format(max=1000)]


def test_an_unparsable_filter_reports_the_syntax_error_with_its_position():
    expr, problems = check_filter("'{{Contact.Id}}' = ", CONTACTS, CATALOG)
    text = "'{{Contact.Id}}' = "
    assert expr is None
    assert problems == [Problem(constraints.FILTER_EXPECTED_VALUE, text, "filter", 19)]


def test_two_exists_are_refused_at_the_second():
    text = "EXISTS('{{ContactList[12]}}') OR EXISTS('{{ContactFilter[201]}}')"
    (problem,) = check_filter(text, CONTACTS, CATALOG)[1]
    assert (problem.message, problem.position) == (constraints.FILTER_ONE_EXISTS, 33)


def test_two_status_are_refused():
    text = f"{ACTION_PENDING} OR {ACTION_PENDING.replace('12345', '12346')}"
    assert messages(text) == [constraints.FILTER_ONE_STATUS]


def test_contact_fields_are_refused_in_activity_filters():
    text = "'{{Activity.Type}}' = 'EmailOpen' AND '{{Activity.Contact.Field(C_Country)}}' = 'BE'"
    (problem,) = check_filter(text, ACTIVITIES, CATALOG)[1]
    assert (problem.message, problem.position) == (constraints.FILTER_ACTIVITY_CONTACT_FIELD, 38)


def test_a_statement_of_another_entity_is_refused_at_its_position():
    (problem,) = check_filter("'{{Contact.Id}}' = '1'", ACTIVITIES, CATALOG)[1]
    assert problem.message.startswith("Must be a field of the activity entity")
    assert problem.position == 1


def test_a_custom_object_filter_must_use_its_own_custom_object():
    text = "'{{CustomObject[12].Field[201]}}' = 'x'"
    assert messages(text, CDO_9) == [
        constraints.MARKUP_WRONG_PARENT.format(kind="custom object", expected=9, actual=12)
    ]


def test_unknown_fields_are_refused():
    text = "'{{Contact.Field(C_Nope)}}' = 'x'"
    assert messages(text) == [
        constraints.MARKUP_FIELD_UNKNOWN.format(statement="{{Contact.Field(C_Nope)}}")
    ]


@pytest.mark.parametrize(
    ("text", "entity", "kind", "owner"),
    [
        ("EXISTS('{{AccountList[301]}}')", CONTACTS, "AccountList", "account"),
        ("EXISTS('{{ContactList[12]}}')", ACCOUNTS, "ContactList", "contact"),
        ("EXISTS('{{ContactSegment[6]}}')", ACTIVITIES, "ContactSegment", "contact"),
        ("EXISTS('{{ContactFilter[201]}}')", CDO_9, "ContactFilter", "contact"),
    ],
)
def test_exists_only_on_exports_of_the_same_entity(text, entity, kind, owner):
    assert messages(text, entity) == [
        constraints.FILTER_EXISTS_ENTITY.format(kind=kind, entity=owner)
    ]


def test_exists_needs_an_existing_container():
    assert messages("EXISTS('{{ContactList[99]}}')") == [
        constraints.MARKUP_CONTAINER_UNKNOWN.format(kind="ContactList", id=99)
    ]


def test_status_rules():
    assert messages(ACTION_PENDING, ACCOUNTS) == [constraints.FILTER_STATUS_ENTITY]
    assert messages(ACTION_PENDING, ACTIVITIES) == [constraints.FILTER_STATUS_ENTITY]
    assert messages(ACTION_PENDING.replace("= 'pending'", "> 'pending'")) == [
        constraints.FILTER_STATUS_OPERATOR
    ]
    assert messages(ACTION_PENDING.replace("pending", "yes")) == [
        constraints.FILTER_STATUS_VALUE.format(
            values="pending, active, complete, errored", kind="ActionInstance"
        )
    ]


def test_a_dashed_guid_in_status_is_refused_with_its_own_message():
    dashed = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"
    text = f"STATUS('{{{{ActionInstance({dashed}).Execution[1]}}}}') = 'pending'"
    assert check_filter(text, CONTACTS, CATALOG)[1] == [
        Problem(constraints.MARKUP_GUID_DASHED.format(guid=GUID), text, "filter", 25)
    ]


@pytest.mark.parametrize(
    "text",
    [
        SEGMENT,
        f"{SEGMENT} AND {UPDATED}",
        f"{SEGMENT} AND {UPDATED} AND {CREATED}",
        f"{SEGMENT} AND ({MODIFIED} OR {DATE_CREATED})",
        f"{UPDATED} AND {SEGMENT}",
        f"({SEGMENT} AND {UPDATED}) AND {MODIFIED}",
    ],
)
def test_segment_filters_accept_the_three_19b_shapes(text):
    assert messages(text) == []


@pytest.mark.parametrize(
    "text",
    [
        f"{SEGMENT} AND '{{{{Contact.Field(C_FirstName)}}}}'='John'",
        f"{SEGMENT} AND {UPDATED} AND {CREATED} AND {MODIFIED}",
        f"{SEGMENT} OR {UPDATED}",
        f"NOT {SEGMENT}",
        f"{SEGMENT} AND NOT {UPDATED}",
        f"{SEGMENT} AND ({UPDATED} OR {CREATED} OR {MODIFIED})",
        f"{SEGMENT} AND ({UPDATED} AND {CREATED})".replace("AND (", "AND (NOT "),
        f"{SEGMENT} AND ({UPDATED} OR {CREATED}) AND {MODIFIED}",
        f"{SEGMENT} AND {ACTION_PENDING}",
    ],
)
def test_segment_filters_refuse_other_shapes(text):
    assert constraints.FILTER_SEGMENT_RULE in messages(text)


def test_the_segment_rule_applies_to_contact_exports_only():
    assert constraints.FILTER_SEGMENT_RULE not in messages(f"NOT {SEGMENT}", ACCOUNTS)


@pytest.mark.parametrize(
    "value",
    [
        "2017-01-01 00:00:00",
        "2017-01-01",
        "2017-01-01 23:59",
        "2017-01-01T00:00:00",
        "2017-01-01 00:00:00.1234567",
    ],
)
def test_date_literals_in_the_documented_form_are_accepted(value):
    assert messages(f"'{{{{Contact.CreatedAt}}}}' >= '{value}'") == []


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "01/02/2017",
        "2017-13-01",
        "2017-02-30",
        "2017-01-01 24:00:00",
        "2017-01-01 10:61",
        "2017-01-01.5",
    ],
)
def test_other_date_literals_are_refused(value):
    text = f"'{{{{Contact.CreatedAt}}}}' >= '{value}'"
    (problem,) = check_filter(text, CONTACTS, CATALOG)[1]
    message = constraints.FILTER_DATE_VALUE.format(statement="{{Contact.CreatedAt}}")
    assert (problem.message, problem.value) == (message, value)


def test_every_problem_is_reported_in_position_order():
    text = (
        "'{{Contact.Field(C_Nope)}}' = 'x' AND EXISTS('{{AccountList[301]}}') "
        "AND '{{Contact.UpdatedAt}}' > 'soon'"
    )
    positions = [p.position for p in check_filter(text, CONTACTS, CATALOG)[1]]
    assert positions == [11, 38, 73]


def test_validate_accepts_trees_built_by_hand_without_spans():
    tree = Or((Exists(m.ContactList(12)), Compare(m.ContactField("C_Nope"), "=", "x")))
    assert [p.message for p in validate_filter(tree, CONTACTS, CATALOG)] == [
        constraints.MARKUP_FIELD_UNKNOWN.format(statement="{{Contact.Field(C_Nope)}}")
    ]


def test_fixture_containers_work_in_exists():
    catalog = fixture_catalog()
    for text, entity in [
        ("EXISTS('{{ContactList[12]}}')", CONTACTS),
        (
            "EXISTS('{{ContactSegment[3]}}') AND "
            "'{{Contact.Field(C_DateModified)}}' > '2025-01-01'",
            CONTACTS,
        ),
        ("EXISTS('{{ContactFilter[201]}}')", CONTACTS),
        ("EXISTS('{{AccountList[301]}}')", ACCOUNTS),
    ]:
        assert check_filter(text, entity, catalog)[1] == []


def test_filters_with_status_are_service_instance_exports():
    assert uses_service_instance(parse_filter(f"NOT ({ACTION_PENDING} OR {UPDATED})"))
    assert not uses_service_instance(parse_filter(f"{SEGMENT} AND {UPDATED}"))
    assert [type(leaf).__name__ for leaf in leaves(parse_filter(f"{SEGMENT} AND {UPDATED}"))] == [
        "Exists",
        "Compare",
    ]
