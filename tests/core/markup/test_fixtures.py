"""Every statement in the fixture catalogs parses, classifies, formats back unchanged and, for
fields, resolves against a catalog built from the same files with the listed data type."""

from __future__ import annotations

import pytest

from emulator.core.markup import (
    EntityRef,
    format_statement,
    parse_node,
    resolve_destination,
    resolve_field,
)
from emulator.core.markup import ast as m
from tests.core.markup.catalogs import (
    all_statements,
    containers,
    fixture_catalog,
    flat_fields,
    nested_fields,
    scoring_fields,
)

CATALOG = fixture_catalog()


@pytest.mark.parametrize("statement", sorted(set(all_statements())))
def test_fixture_statements_are_canonical(statement):
    assert format_statement(parse_node(statement)) == statement


@pytest.mark.parametrize(
    ("family", "item"),
    [(f, i) for f, i in flat_fields() if f != "campaigns"],
    ids=lambda value: value["statement"] if isinstance(value, dict) else value,
)
def test_flat_catalog_fields_resolve_with_their_data_type(family, item):
    resolved = resolve_field(item["statement"], EntityRef(family), CATALOG)
    assert resolved.data_type == item["dataType"]


@pytest.mark.parametrize(
    ("family", "parent_id", "item"),
    list(nested_fields()),
    ids=lambda value: value["statement"] if isinstance(value, dict) else str(value),
)
def test_custom_object_and_event_fields_resolve_under_their_parent(family, parent_id, item):
    resolved = resolve_field(item["statement"], EntityRef(family, parent_id), CATALOG)
    assert resolved.data_type == item["dataType"]


@pytest.mark.parametrize(("model_id", "item"), list(scoring_fields()), ids=str)
def test_lead_score_statements_resolve_on_contacts(model_id, item):
    resolved = resolve_field(item["statement"], EntityRef("contacts"), CATALOG)
    assert resolved.data_type == item["dataType"]
    assert isinstance(resolved.node, m.ContactLeadScore)
    assert resolved.node.model_id == model_id


@pytest.mark.parametrize(
    "item", [i for f, i in flat_fields() if f == "campaigns"], ids=lambda i: i["statement"]
)
def test_campaign_fields_resolve_through_contacts_and_activities(item):
    node = parse_node(item["statement"])
    assert isinstance(node, m.CampaignField)
    for text, family in [
        (f"{{{{Contact.Campaign.Field({node.name})}}}}", "contacts"),
        (f"{{{{Activity.Campaign.Field({node.name})}}}}", "activities"),
    ]:
        assert resolve_field(text, EntityRef(family), CATALOG).data_type == item["dataType"]


@pytest.mark.parametrize(
    ("family", "item"),
    [(f, i) for f, i in containers() if f in ("contactLists", "accountLists", "emailGroups")],
    ids=lambda value: value["statement"] if isinstance(value, dict) else value,
)
def test_list_and_email_group_statements_are_destinations(family, item):
    entity = EntityRef("accounts" if family == "accountLists" else "contacts")
    assert resolve_destination(item["statement"], entity, CATALOG).text == item["statement"]
