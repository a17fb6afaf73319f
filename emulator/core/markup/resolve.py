"""Statements against a site's catalog: which definition may use which statement, and the
data type behind it. Still pure: the catalog comes in through the :class:`Catalog` protocol.

A definition's statements must belong to its entity (reference §6: ``Contact.*`` in contact
definitions, ``CustomObject[<parentId>].*`` with the path's id, ...; the same-entity rule for
``fields`` is [INF]). Forms that name a catalog field must exist in the catalog; system
attributes (``Id``, ``CreatedAt``, ...) carry a fixed type and need none.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from emulator.core import constraints
from emulator.core.markup import ast
from emulator.core.markup.ast import FieldStatement, Node, Statement
from emulator.core.markup.errors import MarkupError, UnknownField
from emulator.core.markup.forms import classify, format_statement
from emulator.core.markup.parser import parse_statement


@dataclass(frozen=True)
class EntityRef:
    """Which definition family a statement is used in; ``parent_id`` is the custom object or
    event id of the path (``/customObjects/9/imports`` → 9)."""

    family: str
    parent_id: int | None = None


@dataclass(frozen=True)
class FieldInfo:
    data_type: str


class Catalog(Protocol):
    def field(self, family: str, parent_id: int, statement: str) -> FieldInfo | None:
        """The catalog field whose ``statement`` equals this canonical one, ignoring case;
        ``family``: contacts, accounts, activities, customObjects, events, campaignResponses,
        opportunities or campaigns; ``parent_id`` is 0 when not nested."""

    def container_exists(self, family: str, id: int) -> bool:
        """``family``: contactLists, contactSegments, contactFilters, accountLists,
        emailGroups, customObjects, events or scoringModels."""


@dataclass(frozen=True)
class ResolvedField:
    node: FieldStatement
    statement: Statement
    data_type: str
    is_contact_field: bool  # Activity.Contact.Field(...): at most 10 per activity export

    @property
    def text(self) -> str:
        return format_statement(self.node)


LABELS = {
    "contacts": ("contact", "{{Contact.Field(C_EmailAddress)}}"),
    "accounts": ("account", "{{Account.Field(M_CompanyName)}}"),
    "customObjects": ("custom object", "{{CustomObject[<id>].Field[<fieldId>]}}"),
    "events": ("event", "{{Event[<id>].Field[<fieldId>]}}"),
    "activities": ("activity", "{{Activity.Type}}"),
    "campaignResponses": ("campaign response", "{{CampaignResponse.Field(MemberStatus)}}"),
    "opportunities": ("opportunity", "{{Opportunity.Field(Name)}}"),
    "opportunityContacts": ("opportunity", "{{Opportunity.Contact.Field(C_EmailAddress)}}"),
    "emailAddresses": ("email address", "{{EmailAddress.Field(EmailAddress)}}"),
}

FIELD_FORMS: dict[str, tuple[type[FieldStatement], ...]] = {
    "contacts": (
        ast.ContactAttribute,
        ast.ContactEmailAttribute,
        ast.ContactField,
        ast.ContactAccountField,
        ast.ContactLeadScore,
        ast.ContactCampaignId,
        ast.ContactCampaignField,
    ),
    "accounts": (ast.AccountAttribute, ast.AccountField, ast.AccountUserField),
    "customObjects": (
        ast.CustomObjectAttribute,
        ast.CustomObjectField,
        ast.CustomObjectContactField,
    ),
    "events": (ast.EventField,),
    "activities": (
        ast.ActivityAttribute,
        ast.ActivityField,
        ast.ActivityContactId,
        ast.ActivityContactField,
        ast.ActivityVisitorAttribute,
        ast.ActivityAssetAttribute,
        ast.ActivityCampaignId,
        ast.ActivityCampaignField,
        ast.ActivityCampaignResponseCreatedAt,
        ast.ActivityCampaignResponseField,
    ),
    "campaignResponses": (
        ast.CampaignResponseAttribute,
        ast.CampaignResponseField,
        ast.CampaignResponseCampaignId,
        ast.CampaignResponseContactId,
    ),
    "opportunities": (ast.OpportunityAttribute, ast.OpportunityField),
    # Oracle's linkage example: {{Opportunity.Id}} + {{Opportunity.Contact.Field(C_EmailAddress)}}.
    "opportunityContacts": (
        ast.OpportunityAttribute,
        ast.OpportunityContactField,
        ast.OpportunityAccountField,
    ),
    "emailAddresses": (ast.EmailAddressField,),
}

_ID, _DATE, _TEXT, _BOOL = "number", "date", "string", "boolean"
# Types of the statements no catalog lists, keyed by (form, attribute or ""). Opportunity.Id is
# text: Oracle's 18B notice lists it as RemoteOpportunityID, dataType string.
SYSTEM_TYPES: dict[tuple[type[FieldStatement], str], str] = {
    **{(ast.ContactAttribute, a): _DATE for a in ("CreatedAt", "UpdatedAt")},
    (ast.ContactAttribute, "Id"): _ID,
    (ast.ContactEmailAttribute, "IsSubscribed"): _BOOL,
    (ast.ContactEmailAttribute, "IsBounced"): _BOOL,
    (ast.ContactEmailAttribute, "Format"): _TEXT,
    (ast.ContactLeadScore, "Rating"): _TEXT,
    (ast.ContactLeadScore, "ProfileScore"): _ID,
    (ast.ContactLeadScore, "EngagementScore"): _ID,
    (ast.ContactCampaignId, ""): _ID,
    **{(ast.AccountAttribute, a): _DATE for a in ("CreatedAt", "UpdatedAt")},
    (ast.AccountAttribute, "Id"): _ID,
    (ast.AccountUserField, ""): _TEXT,
    **{(ast.CustomObjectAttribute, a): _DATE for a in ("CreatedAt", "UpdatedAt")},
    (ast.CustomObjectAttribute, "Id"): _ID,
    (ast.CustomObjectAttribute, "ExternalId"): _TEXT,
    (ast.ActivityAttribute, "Id"): _ID,
    (ast.ActivityAttribute, "Type"): _TEXT,
    (ast.ActivityAttribute, "CreatedAt"): _DATE,
    (ast.ActivityAttribute, "ExternalId"): _TEXT,
    (ast.ActivityContactId, ""): _ID,
    (ast.ActivityVisitorAttribute, "Id"): _ID,
    (ast.ActivityVisitorAttribute, "ExternalId"): _TEXT,
    (ast.ActivityAssetAttribute, "Type"): _TEXT,
    (ast.ActivityAssetAttribute, "Name"): _TEXT,
    (ast.ActivityAssetAttribute, "Id"): _ID,
    (ast.ActivityCampaignId, ""): _ID,
    (ast.ActivityCampaignResponseCreatedAt, ""): _DATE,
    (ast.OpportunityAttribute, "Id"): _TEXT,
    (ast.OpportunityAttribute, "CreatedAt"): _DATE,
    (ast.CampaignResponseAttribute, "Id"): _ID,
    (ast.CampaignResponseAttribute, "CreatedAt"): _DATE,
    (ast.CampaignResponseCampaignId, ""): _ID,
    (ast.CampaignResponseContactId, ""): _ID,
    (ast.EmailAddressField, ""): "emailAddress",
}


def resolve_field(text: str, entity: EntityRef, catalog: Catalog) -> ResolvedField:
    """A statement used as a value of a definition's ``fields`` map."""
    return _resolve(*_parsed(text), entity, catalog)


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[Statement, Node]:
    """A field statement's text parsed and classified once: a definition's fields are
    resolved again when it is synced and at every chunk of its syncs."""
    statement = parse_statement(text)
    return statement, classify(statement)


def resolve_field_statement(
    statement: Statement, entity: EntityRef, catalog: Catalog
) -> ResolvedField:
    """As :func:`resolve_field` for a parsed statement; errors use its spans (filters pass
    statements already shifted into the whole filter)."""
    return _resolve(statement, classify(statement), entity, catalog)


def _resolve(
    statement: Statement, node: Node, entity: EntityRef, catalog: Catalog
) -> ResolvedField:
    if not isinstance(node, FieldStatement):
        message = constraints.MARKUP_NOT_A_FIELD.format(statement=statement.text)
        raise MarkupError(message, statement.start)
    allowed = FIELD_FORMS[entity.family]
    refused = isinstance(node, ast.OpportunityAttribute) and (
        entity.family == "opportunityContacts" and node.attribute != "Id"
    )
    if not isinstance(node, allowed) or refused:
        entity_name, example = LABELS[entity.family]
        if entity.parent_id is not None:
            example = example.replace("<id>", str(entity.parent_id))
        message = constraints.MARKUP_WRONG_ENTITY.format(
            entity=entity_name, example=example, statement=statement.text
        )
        raise MarkupError(message, statement.start)
    _check_parent(node, statement, entity)
    data_type = _data_type(node, statement, catalog)
    return ResolvedField(node, statement, data_type, isinstance(node, ast.ActivityContactField))


def _check_parent(node: FieldStatement, statement: Statement, entity: EntityRef) -> None:
    custom_object = ast.CustomObjectAttribute | ast.CustomObjectField | ast.CustomObjectContactField
    if isinstance(node, custom_object):
        kind, actual = "custom object", node.object_id
    elif isinstance(node, ast.EventField):
        kind, actual = "event", node.event_id
    else:
        return
    if actual != entity.parent_id:
        message = constraints.MARKUP_WRONG_PARENT.format(
            kind=kind, expected=entity.parent_id, actual=actual
        )
        raise MarkupError(message, statement.segments[0].start)


def _data_type(node: FieldStatement, statement: Statement, catalog: Catalog) -> str:
    lookup = _catalog_lookup(node)
    if lookup is None:
        if isinstance(node, ast.EmailAddressField) and node.name.lower() != "emailaddress":
            raise MarkupError(constraints.MARKUP_EMAIL_ADDRESS_ONLY, statement.segments[-1].start)
        if isinstance(node, ast.ContactLeadScore) and not catalog.container_exists(
            "scoringModels", node.model_id
        ):
            message = constraints.MARKUP_SCORING_MODEL_UNKNOWN.format(id=node.model_id)
            raise MarkupError(message, statement.segments[2].start)
        return SYSTEM_TYPES[type(node), str(getattr(node, "attribute", ""))]
    family, parent_id, text = lookup
    info = catalog.field(family, parent_id, text)
    if info is None:
        message = constraints.MARKUP_FIELD_UNKNOWN.format(statement=format_statement(node))
        raise UnknownField(message, statement.segments[-1].start)
    return info.data_type


def _catalog_lookup(node: Node) -> tuple[str, int, str] | None:
    """(catalog family, parent id, statement as that catalog lists it), or None."""
    match node:
        case (
            ast.ContactField(name=name)
            | ast.ActivityContactField(name=name)
            | ast.CustomObjectContactField(name=name)
            | ast.OpportunityContactField(name=name)
        ):
            return "contacts", 0, f"{{{{Contact.Field({name})}}}}"
        case (
            ast.AccountField(name=name)
            | ast.ContactAccountField(name=name)
            | ast.OpportunityAccountField(name=name)
        ):
            return "accounts", 0, f"{{{{Account.Field({name})}}}}"
        case (
            ast.CampaignField(name=name)
            | ast.ContactCampaignField(name=name)
            | ast.ActivityCampaignField(name=name)
        ):
            return "campaigns", 0, f"{{{{Campaign.Field({name})}}}}"
        case ast.CustomObjectField(object_id, _):
            return "customObjects", object_id, format_statement(node)
        case ast.EventField(event_id, _):
            return "events", event_id, format_statement(node)
        case ast.ActivityField() | ast.ActivityCampaignResponseField():
            return "activities", 0, format_statement(node)
        case ast.CampaignResponseField():
            return "campaignResponses", 0, format_statement(node)
        case ast.OpportunityField():
            return "opportunities", 0, format_statement(node)
    return None
