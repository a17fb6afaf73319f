"""Field statements resolve against the definition's entity and the site's catalog."""

from __future__ import annotations

import pytest

from emulator.core import constraints
from emulator.core.markup import EntityRef, MarkupError, ResolvedField, resolve_field
from emulator.core.markup import ast as m
from tests.core.markup.catalogs import small_catalog

CATALOG = small_catalog()
CONTACTS = EntityRef("contacts")
ACTIVITIES = EntityRef("activities")
CDO_9 = EntityRef("customObjects", 9)


def resolve(text: str, entity: EntityRef = CONTACTS) -> ResolvedField:
    return resolve_field(text, entity, CATALOG)


def fails(text: str, entity: EntityRef = CONTACTS) -> MarkupError:
    with pytest.raises(MarkupError) as caught:
        resolve(text, entity)
    return caught.value


@pytest.mark.parametrize(
    ("text", "entity", "data_type"),
    [
        ("{{Contact.Field(C_EmailAddress)}}", CONTACTS, "emailAddress"),
        ("{{contact.field(c_emailaddress)}}", CONTACTS, "emailAddress"),
        ("{{Contact.Id}}", CONTACTS, "number"),
        ("{{Contact.UpdatedAt}}", CONTACTS, "date"),
        ("{{Contact.Email.IsBounced}}", CONTACTS, "boolean"),
        ("{{Contact.Email.Format}}", CONTACTS, "string"),
        ("{{Contact.Account.Field(M_CompanyName)}}", CONTACTS, "string"),
        ("{{Contact.LeadScore.Model[1].ProfileScore}}", CONTACTS, "number"),
        ("{{Contact.LeadScore.Model[1].Rating}}", CONTACTS, "string"),
        ("{{Contact.Campaign.Field(CampaignName)}}", CONTACTS, "string"),
        ("{{Account.Field(M_CompanyName)}}", EntityRef("accounts"), "string"),
        ("{{Account.User.Field(CRMOSCUserId)}}", EntityRef("accounts"), "string"),
        ("{{CustomObject[9].Field[106]}}", CDO_9, "date"),
        ("{{CustomObject[9].ExternalId}}", CDO_9, "string"),
        ("{{CustomObject[9].Contact.Field(C_EmailAddress)}}", CDO_9, "emailAddress"),
        ("{{Event[3].Field[301]}}", EntityRef("events", 3), "emailAddress"),
        ("{{Activity.CreatedAt}}", ACTIVITIES, "date"),
        ("{{Activity.Field(EmailAddress)}}", ACTIVITIES, "emailAddress"),
        ("{{Activity.Contact.Field(C_Country)}}", ACTIVITIES, "string"),
        ("{{Activity.Campaign.Field(CampaignName)}}", ACTIVITIES, "string"),
        ("{{Activity.CampaignResponse.Field(MemberStatus)}}", ACTIVITIES, "string"),
        ("{{CampaignResponse.Field(MemberStatus)}}", EntityRef("campaignResponses"), "string"),
        ("{{CampaignResponse.Campaign.Id}}", EntityRef("campaignResponses"), "number"),
        ("{{Opportunity.Id}}", EntityRef("opportunities"), "string"),
        ("{{Opportunity.Field(Name)}}", EntityRef("opportunities"), "string"),
        ("{{Opportunity.Id}}", EntityRef("opportunityContacts"), "string"),
        (
            "{{Opportunity.Contact.Field(C_EmailAddress)}}",
            EntityRef("opportunityContacts"),
            "emailAddress",
        ),
        ("{{EmailAddress.Field(EmailAddress)}}", EntityRef("emailAddresses"), "emailAddress"),
    ],
)
def test_field_statements_resolve_to_their_data_type(text, entity, data_type):
    assert resolve(text, entity).data_type == data_type


def test_the_resolved_field_keeps_the_typed_node_and_canonical_text():
    resolved = resolve("{{contact.FIELD(C_Country)}}")
    assert resolved.node == m.ContactField("C_Country")
    assert resolved.text == "{{Contact.Field(C_Country)}}"
    assert not resolved.is_contact_field


def test_contact_fields_of_an_activity_are_flagged_for_the_ten_field_limit():
    assert resolve("{{Activity.Contact.Field(C_Country)}}", ACTIVITIES).is_contact_field
    assert not resolve("{{Activity.Contact.Id}}", ACTIVITIES).is_contact_field


def test_an_unknown_field_is_refused_at_its_field_segment():
    error = fails("{{Contact.Field(C_Nope)}}")
    statement = "{{Contact.Field(C_Nope)}}"
    assert error.message == constraints.MARKUP_FIELD_UNKNOWN.format(statement=statement)
    assert error.position == 10


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("{{Account.Field(M_CompanyName)}}", CONTACTS),
        ("{{Contact.Field(C_EmailAddress)}}", EntityRef("accounts")),
        ("{{Contact.Field(C_EmailAddress)}}", CDO_9),
        ("{{Contact.Id}}", ACTIVITIES),
        ("{{Activity.Id}}", CONTACTS),
        ("{{Opportunity.CreatedAt}}", EntityRef("opportunityContacts")),
        ("{{Campaign.Field(CampaignName)}}", CONTACTS),
        ("{{Event[3].Field[301]}}", CDO_9),
        ("{{Contact.Field(C_EmailAddress)}}", EntityRef("emailAddresses")),
    ],
)
def test_a_statement_of_another_entity_is_refused(text, entity):
    assert fails(text, entity).message.startswith("Must be a field of the ")


def test_the_wrong_entity_message_names_the_entity_and_an_example():
    assert fails("{{Account.Id}}").message == constraints.MARKUP_WRONG_ENTITY.format(
        entity="contact", example="{{Contact.Field(C_EmailAddress)}}", statement="{{Account.Id}}"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{{CustomObject[12].Field[201]}}",
        "{{CustomObject[12].Id}}",
        "{{customobject[12].Contact.Field(C_Country)}}",
    ],
)
def test_a_custom_object_statement_must_use_the_paths_custom_object(text):
    error = fails(text, CDO_9)
    assert error.message == constraints.MARKUP_WRONG_PARENT.format(
        kind="custom object", expected=9, actual=12
    )
    assert error.position == 2


def test_an_event_statement_must_use_the_paths_event():
    error = fails("{{Event[3].Field[301]}}", EntityRef("events", 4))
    assert error.message == constraints.MARKUP_WRONG_PARENT.format(
        kind="event", expected=4, actual=3
    )


def test_a_field_of_another_custom_object_is_unknown_even_with_the_right_prefix():
    assert fails("{{CustomObject[9].Field[201]}}", CDO_9).message.startswith("The field ")


@pytest.mark.parametrize(
    "text",
    [
        "{{ContactList[12]}}",
        "{{GlobalSubscribe}}",
        "{{ActionInstance(f82d50cd86a94fcab37e4ec9a98b0339).Execution[1]}}",
    ],
)
def test_containers_and_destinations_are_not_fields(text):
    error = fails(text)
    assert error.message == constraints.MARKUP_NOT_A_FIELD.format(statement=text)
    assert error.position == 0


def test_lead_scores_need_an_existing_scoring_model():
    error = fails("{{Contact.LeadScore.Model[5].Rating}}")
    assert error.message == constraints.MARKUP_SCORING_MODEL_UNKNOWN.format(id=5)
    assert error.position == 20


def test_email_address_definitions_take_only_the_email_address_field():
    error = fails("{{EmailAddress.Field(Other)}}", EntityRef("emailAddresses"))
    assert error.message == constraints.MARKUP_EMAIL_ADDRESS_ONLY


def test_syntax_errors_surface_unchanged():
    assert fails("{{Contact.Field()}}").message == constraints.MARKUP_ARGUMENT


def test_the_wrong_entity_example_uses_the_paths_custom_object():
    assert fails("{{Contact.Id}}", CDO_9).message == constraints.MARKUP_WRONG_ENTITY.format(
        entity="custom object",
        example="{{CustomObject[9].Field[<fieldId>]}}",
        statement="{{Contact.Id}}",
    )
