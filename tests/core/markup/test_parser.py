"""EML statements parse and classify into one typed node per form (reference §6, §8, §14);
malformed ones fail with the position of the offending character or segment."""

from __future__ import annotations

import pytest

from emulator.core import constraints
from emulator.core.markup import (
    MarkupError,
    Node,
    Segment,
    Statement,
    classify,
    format_statement,
    parse_node,
    parse_statement,
)
from emulator.core.markup import ast as m

GUID = "f82d50cd86a94fcab37e4ec9a98b0339"

# Every statement form of reference §6 (and the destinations of §8), as Oracle writes it.
DOCUMENTED: list[tuple[str, Node]] = [
    ("{{Contact.Id}}", m.ContactAttribute("Id")),
    ("{{Contact.CreatedAt}}", m.ContactAttribute("CreatedAt")),
    ("{{Contact.UpdatedAt}}", m.ContactAttribute("UpdatedAt")),
    ("{{Contact.Field(C_EmailAddress)}}", m.ContactField("C_EmailAddress")),
    ("{{Contact.Field(ContactIDExt)}}", m.ContactField("ContactIDExt")),
    ("{{Contact.Field(C_Lead_Rating___Combined1)}}", m.ContactField("C_Lead_Rating___Combined1")),
    ("{{Contact.Email.IsSubscribed}}", m.ContactEmailAttribute("IsSubscribed")),
    ("{{Contact.Email.IsBounced}}", m.ContactEmailAttribute("IsBounced")),
    ("{{Contact.Email.Format}}", m.ContactEmailAttribute("Format")),
    ("{{Contact.Account.Field(M_CompanyName)}}", m.ContactAccountField("M_CompanyName")),
    ("{{Contact.LeadScore.Model[1].Rating}}", m.ContactLeadScore(1, "Rating")),
    ("{{Contact.LeadScore.Model[2].ProfileScore}}", m.ContactLeadScore(2, "ProfileScore")),
    ("{{Contact.LeadScore.Model[2].EngagementScore}}", m.ContactLeadScore(2, "EngagementScore")),
    ("{{Contact.Campaign.Id}}", m.ContactCampaignId()),
    ("{{Contact.Campaign.Field(CampaignName)}}", m.ContactCampaignField("CampaignName")),
    ("{{Account.Id}}", m.AccountAttribute("Id")),
    ("{{Account.CreatedAt}}", m.AccountAttribute("CreatedAt")),
    ("{{Account.UpdatedAt}}", m.AccountAttribute("UpdatedAt")),
    ("{{Account.Field(M_CompanyName)}}", m.AccountField("M_CompanyName")),
    ("{{Account.Field(CompanyIDExt)}}", m.AccountField("CompanyIDExt")),
    ("{{Account.User.Field(CRMOSCUserId)}}", m.AccountUserField("CRMOSCUserId")),
    ("{{CustomObject[9].Field[103]}}", m.CustomObjectField(9, 103)),
    ("{{CustomObject[9].Id}}", m.CustomObjectAttribute(9, "Id")),
    ("{{CustomObject[9].ExternalId}}", m.CustomObjectAttribute(9, "ExternalId")),
    ("{{CustomObject[9].CreatedAt}}", m.CustomObjectAttribute(9, "CreatedAt")),
    ("{{CustomObject[9].UpdatedAt}}", m.CustomObjectAttribute(9, "UpdatedAt")),
    (
        "{{CustomObject[9].Contact.Field(C_EmailAddress)}}",
        m.CustomObjectContactField(9, "C_EmailAddress"),
    ),
    ("{{Event[3].Field[301]}}", m.EventField(3, 301)),
    ("{{Activity.Id}}", m.ActivityAttribute("Id")),
    ("{{Activity.Type}}", m.ActivityAttribute("Type")),
    ("{{Activity.CreatedAt}}", m.ActivityAttribute("CreatedAt")),
    ("{{Activity.ExternalId}}", m.ActivityAttribute("ExternalId")),
    ("{{Activity.Contact.Id}}", m.ActivityContactId()),
    ("{{Activity.Contact.Field(C_EmailAddress)}}", m.ActivityContactField("C_EmailAddress")),
    ("{{Activity.Visitor.Id}}", m.ActivityVisitorAttribute("Id")),
    ("{{Activity.Visitor.ExternalId}}", m.ActivityVisitorAttribute("ExternalId")),
    ("{{Activity.Asset.Type}}", m.ActivityAssetAttribute("Type")),
    ("{{Activity.Asset.Name}}", m.ActivityAssetAttribute("Name")),
    ("{{Activity.Asset.Id}}", m.ActivityAssetAttribute("Id")),
    ("{{Activity.Campaign.Id}}", m.ActivityCampaignId()),
    ("{{Activity.Campaign.Field(CampaignName)}}", m.ActivityCampaignField("CampaignName")),
    ("{{Activity.CampaignResponse.CreatedAt}}", m.ActivityCampaignResponseCreatedAt()),
    (
        "{{Activity.CampaignResponse.Field(MemberStatus)}}",
        m.ActivityCampaignResponseField("MemberStatus"),
    ),
    ("{{Activity.Field(EmailDeploymentId)}}", m.ActivityField("EmailDeploymentId")),
    ("{{Opportunity.Id}}", m.OpportunityAttribute("Id")),
    ("{{Opportunity.CreatedAt}}", m.OpportunityAttribute("CreatedAt")),
    ("{{Opportunity.Field(Stage)}}", m.OpportunityField("Stage")),
    (
        "{{Opportunity.Contact.Field(C_EmailAddress)}}",
        m.OpportunityContactField("C_EmailAddress"),
    ),
    ("{{Opportunity.Account.Field(M_CompanyName)}}", m.OpportunityAccountField("M_CompanyName")),
    ("{{CampaignResponse.Id}}", m.CampaignResponseAttribute("Id")),
    ("{{CampaignResponse.CreatedAt}}", m.CampaignResponseAttribute("CreatedAt")),
    ("{{CampaignResponse.Field(MemberStatus)}}", m.CampaignResponseField("MemberStatus")),
    ("{{CampaignResponse.Campaign.Id}}", m.CampaignResponseCampaignId()),
    ("{{CampaignResponse.Contact.Id}}", m.CampaignResponseContactId()),
    ("{{Campaign.Field(CampaignName)}}", m.CampaignField("CampaignName")),
    ("{{EmailAddress.Field(EmailAddress)}}", m.EmailAddressField("EmailAddress")),
    ("{{ContactList[12]}}", m.ContactList(12)),
    ("{{ContactSegment[12]}}", m.ContactSegment(12)),
    ("{{ContactFilter[12]}}", m.ContactFilter(12)),
    ("{{AccountList[12]}}", m.AccountList(12)),
    ("{{EmailGroup[4]}}", m.EmailGroup(4)),
    ("{{GlobalSubscribe}}", m.GlobalSubscribe()),
    (f"{{{{ActionInstance({GUID})}}}}", m.ActionInstance(GUID)),
    (f"{{{{ActionInstance({GUID}).Execution[12345]}}}}", m.ActionInstance(GUID, 12345)),
    (f"{{{{DecisionInstance({GUID})}}}}", m.DecisionInstance(GUID)),
    (f"{{{{DecisionInstance({GUID}).Execution[7]}}}}", m.DecisionInstance(GUID, 7)),
    (f"{{{{FeederInstance({GUID})}}}}", m.FeederInstance(GUID)),
    (f"{{{{FeederInstance({GUID}).Execution[7]}}}}", m.FeederInstance(GUID, 7)),
]


@pytest.mark.parametrize(("text", "node"), DOCUMENTED, ids=[text for text, _ in DOCUMENTED])
def test_each_documented_form_classifies_to_its_node_and_formats_back(text: str, node: Node):
    assert parse_node(text) == node
    assert format_statement(node) == text


def test_every_node_type_has_a_documented_example():
    assert {type(node) for _, node in DOCUMENTED} == set(m.NODE_TYPES)


def test_segments_carry_their_spans():
    statement = parse_statement("{{CustomObject[9].Field[103]}}")
    assert statement == Statement((Segment("CustomObject", index=9), Segment("Field", index=103)))
    assert [(s.start, s.end) for s in statement.segments] == [(2, 17), (18, 28)]
    assert (statement.start, statement.end) == (0, 30)
    assert statement.shifted(5).segments[1].start == 23


def test_keywords_ignore_case_and_render_canonically():
    statement = parse_statement("{{contact.FIELD(c_emailaddress)}}")
    assert statement.text == "{{Contact.Field(c_emailaddress)}}"
    assert classify(statement) == m.ContactField("c_emailaddress")
    assert parse_node("{{CONTACT.EMAIL.ISBOUNCED}}") == m.ContactEmailAttribute("IsBounced")


def test_service_instance_ids_are_lower_cased():
    # node-eloqua's campaign-response export uses an upper-case dashless GUID
    node = parse_node("{{ActionInstance(7BE704D3AF604775AD416E8D0A5AB212).Execution[12345]}}")
    assert node == m.ActionInstance("7be704d3af604775ad416e8d0a5ab212", 12345)
    assert format_statement(parse_statement("{{ActionInstance(ABC)}}")) == "{{ActionInstance(abc)}}"


def test_leading_zeros_in_ids_are_dropped():
    assert format_statement(parse_node("{{ContactList[007]}}")) == "{{ContactList[7]}}"


MALFORMED = [
    ("Contact.Id", 0, constraints.MARKUP_BRACES),
    ("{Contact.Id}", 0, constraints.MARKUP_BRACES),
    ("{{Contact.Id}", 12, constraints.MARKUP_BRACES),
    ("{{Contact.Id", 12, constraints.MARKUP_BRACES),
    ("", 0, constraints.MARKUP_BRACES),
    ("{{}}", 2, constraints.MARKUP_EMPTY),
    ("{{Contact.Id}}x", 14, constraints.MARKUP_TRAILING),
    ("{{Contact.Id}}{{Contact.Id}}", 14, constraints.MARKUP_TRAILING),
    ("{{Contact. Id}}", 10, constraints.MARKUP_SPACE),
    (" {{Contact.Id}}", 0, constraints.MARKUP_SPACE),
    ("{{Contact.Field(C_Email Address)}}", 23, constraints.MARKUP_SPACE),
    ("{{Contact.Field(C_Email$)}}", 23, constraints.MARKUP_CHARACTER.format(char="$")),
    ("{{Contact..Id}}", 10, constraints.MARKUP_NAME),
    ("{{.Id}}", 2, constraints.MARKUP_NAME),
    ("{{9Contact.Id}}", 2, constraints.MARKUP_NAME),
    ("{{Contact.Field()}}", 16, constraints.MARKUP_ARGUMENT),
    ("{{Contact.Field(C_EmailAddress}}", 30, constraints.MARKUP_CLOSE_PAREN),
    ("{{CustomObject[x].Field[1]}}", 15, constraints.MARKUP_INDEX),
    ("{{CustomObject[].Field[1]}}", 15, constraints.MARKUP_INDEX),
    ("{{CustomObject[-1].Field[1]}}", 15, constraints.MARKUP_INDEX),
    ("{{CustomObject[9.Field[1]}}", 16, constraints.MARKUP_CLOSE_BRACKET),
    ("{{CustomObject[99999999999].Id}}", 15, constraints.MARKUP_INDEX_RANGE.format(max=2**31 - 1)),
    ("{{ContactList[1][2]}}", 16, constraints.MARKUP_SEPARATOR),
    ("{{Contact.Id(x)}}", 10, constraints.MARKUP_NO_SUFFIX.format(name="Id")),
]


@pytest.mark.parametrize(("text", "position", "message"), MALFORMED, ids=[t for t, *_ in MALFORMED])
def test_malformed_statements_fail_at_the_offending_character(text, position, message):
    with pytest.raises(MarkupError) as caught:
        parse_node(text)
    assert (caught.value.position, caught.value.message) == (position, message)


ENTITIES = (
    "Account, AccountList, ActionInstance, Activity, Campaign, CampaignResponse, Contact, "
    "ContactFilter, ContactList, ContactSegment, CustomObject, DecisionInstance, EmailAddress, "
    "EmailGroup, Event, FeederInstance, GlobalSubscribe, Opportunity"
)
AFTER_CONTACT = "Account, Campaign, CreatedAt, Email, Field, Id, LeadScore, UpdatedAt"
UNKNOWN_FORMS = [
    ("{{Lead.Id}}", 2, constraints.MARKUP_UNKNOWN_ENTITY.format(name="Lead", names=ENTITIES)),
    (
        "{{Contact.Feild(C_EmailAddress)}}",
        10,
        constraints.MARKUP_UNKNOWN_SEGMENT.format(
            name="Feild", path="Contact", names=AFTER_CONTACT
        ),
    ),
    ("{{Contact}}", 9, constraints.MARKUP_INCOMPLETE.format(path="Contact", names=AFTER_CONTACT)),
    ("{{Contact.Id.Value}}", 13, constraints.MARKUP_ENDS.format(name="Value", path="Contact.Id")),
    ("{{Contact.Field[100001]}}", 10, constraints.MARKUP_NEEDS_NAME.format(name="Field")),
    ("{{CustomObject(9).Id}}", 2, constraints.MARKUP_NEEDS_INDEX.format(name="CustomObject")),
    ("{{CustomObject.Id}}", 2, constraints.MARKUP_NEEDS_INDEX.format(name="CustomObject")),
    ("{{ActionInstance[3]}}", 2, constraints.MARKUP_NEEDS_GUID.format(name="ActionInstance")),
    (
        "{{Event[3].Id}}",
        11,
        constraints.MARKUP_UNKNOWN_SEGMENT.format(name="Id", path="Event", names="Field"),
    ),
    ("{{Contact.Field(1000001)}}", 16, constraints.MARKUP_NAME_FORM.format(name="1000001")),
    ("{{Contact.Field(C-Email)}}", 16, constraints.MARKUP_NAME_FORM.format(name="C-Email")),
    (
        "{{ActionInstance(f82d50cd-86a9-4fca-b37e-4ec9a98b0339).Execution[1]}}",
        17,
        constraints.MARKUP_GUID_DASHED.format(guid=GUID),
    ),
    ("{{DecisionInstance(f82d50cd86a94fca)}}", 19, constraints.MARKUP_GUID_FORM),
    ("{{FeederInstance(zz2d50cd86a94fcab37e4ec9a98b0339)}}", 17, constraints.MARKUP_GUID_FORM),
]


@pytest.mark.parametrize(
    ("text", "position", "message"), UNKNOWN_FORMS, ids=[t for t, *_ in UNKNOWN_FORMS]
)
def test_unknown_forms_fail_at_the_offending_segment(text, position, message):
    with pytest.raises(MarkupError) as caught:
        parse_node(text)
    assert (caught.value.position, caught.value.message) == (position, message)


@pytest.mark.parametrize(
    "text",
    [
        "{{Contact.Field(" + "C" * 1000 + ")}}",
        "{{" + "Contact." * 500_000 + "Id}}",
    ],
    ids=["long name", "4 MB of segments"],
)
def test_a_statement_over_1000_characters_is_refused_without_being_read(text):
    """Eloqua publishes no limit; its longest forms are well under 200 characters, and
    reading megabytes of segments held the writer for seconds."""
    with pytest.raises(MarkupError) as caught:
        parse_statement(text)
    assert (caught.value.position, caught.value.message) == (
        1000,
        constraints.MARKUP_LENGTH.format(max=1000),
    )


def test_a_statement_of_1000_characters_is_read() -> None:
    text = "{{Contact.Field(" + "C" * (1000 - 19) + ")}}"
    assert len(text) == 1000
    assert parse_node(text) == m.ContactField("C" * 981)


def test_the_error_text_names_the_position():
    with pytest.raises(MarkupError, match=r"\(at position 2\)$"):
        parse_node("{{Lead.Id}}")
