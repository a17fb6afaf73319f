"""Where each field statement's value lives in the store, as a SQL expression over the
record row ``r`` of the export's family (contacts, accounts, object_records, activities,
campaign_responses). Shared by filter compilation and export projection.

Identifiers come only from this table; values (JSON paths included) are always bound.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from emulator.markup import ast

TEXT, NUMBER, DATE, SYSTEM_TIME, BOOLEAN = "text", "number", "date", "system_time", "boolean"


@dataclass(frozen=True)
class Column:
    """``sql`` with ``params``; ``kind`` decides how comparisons and output treat it:
    ``system_time`` is an ISO-8601 UTC column (CreatedAt…), ``date`` a field holding
    ``YYYY-MM-DD HH:MM:SS`` text."""

    sql: str
    params: tuple[object, ...] = ()
    kind: str = TEXT


TABLES = {
    "contacts": "contacts",
    "accounts": "accounts",
    "customObjects": "object_records",
    "events": "object_records",
    "activities": "activities",
    "campaignResponses": "campaign_responses",
}
EMPTY = Column("NULL")


def _json(name: str, kind: str, alias: str = "r") -> Column:
    return Column(f"json_extract({alias}.fields, ?)", (f'$."{name}"',), kind)


def _related(table: str, key: str, name: str, kind: str) -> Column:
    """A field of the contact or account the record points at."""
    return Column(
        f"(SELECT json_extract(x.fields, ?) FROM {table} x "
        f"WHERE x.site_id = r.site_id AND x.id = r.{key})",
        (f'$."{name}"',),
        kind,
    )


def kind_of(data_type: str) -> str:
    lowered = data_type.lower()
    if lowered == "number":
        return NUMBER
    if lowered == "date":
        return DATE
    if lowered == "boolean":
        return BOOLEAN
    return TEXT


_ATTRIBUTES = {
    "Id": Column("r.id", (), NUMBER),
    "CreatedAt": Column("r.created_at", (), SYSTEM_TIME),
    "UpdatedAt": Column("r.updated_at", (), SYSTEM_TIME),
    "ExternalId": Column("r.external_id", (), TEXT),
    "Type": Column("r.type", (), TEXT),
}
_EMAIL = {
    "IsSubscribed": Column("r.is_subscribed", (), BOOLEAN),
    "IsBounced": Column("r.is_bounced", (), BOOLEAN),
    "Format": Column("r.email_format", (), TEXT),
}
_ACTIVITY = {
    "Visitor.Id": Column("r.visitor_id", (), NUMBER),
    "Asset.Type": Column("r.asset_type"),
    "Asset.Name": Column("r.asset_name"),
    "Asset.Id": Column("r.asset_id", (), NUMBER),
}


def column(node: ast.FieldStatement, data_type: Callable[[ast.FieldStatement], str]) -> Column:
    """The store expression of a field statement; ``data_type`` gives catalog types."""
    kind = kind_of(data_type(node))
    match node:
        case (
            ast.ContactAttribute(attribute=a)
            | ast.AccountAttribute(attribute=a)
            | ast.ActivityAttribute(attribute=a)
            | ast.OpportunityAttribute(attribute=a)
            | ast.CampaignResponseAttribute(attribute=a)
        ):
            return _ATTRIBUTES.get(a, EMPTY)
        case ast.CustomObjectAttribute(attribute=a):
            return _ATTRIBUTES.get(a, EMPTY)
        case ast.ContactEmailAttribute(attribute=a):
            return _EMAIL.get(a, EMPTY)
        case (
            ast.ContactField(name=n)
            | ast.AccountField(name=n)
            | ast.ActivityField(name=n)
            | ast.CampaignResponseField(name=n)
            | ast.OpportunityField(name=n)
        ):
            return _json(n, kind)
        case ast.CustomObjectField(field_id=f) | ast.EventField(field_id=f):
            return _json(str(f), kind)
        case ast.ContactAccountField(name=n):
            return _related("accounts", "account_id", n, kind)
        case ast.ActivityContactField(name=n) | ast.CustomObjectContactField(name=n):
            return _related("contacts", "contact_id", n, kind)
        case ast.ActivityContactId() | ast.CampaignResponseContactId():
            return Column("r.contact_id", (), NUMBER)
        case ast.ActivityCampaignId() | ast.CampaignResponseCampaignId():
            return Column("r.campaign_id", (), NUMBER)
        case ast.ActivityVisitorAttribute(attribute="ExternalId"):
            return _json("VisitorExternalId", TEXT)
        case ast.ActivityVisitorAttribute(attribute=a):
            return _ACTIVITY.get(f"Visitor.{a}", EMPTY)
        case ast.ActivityAssetAttribute(attribute=a):
            return _ACTIVITY.get(f"Asset.{a}", EMPTY)
        case ast.ActivityCampaignField(name=n):
            return _related("campaigns", "campaign_id", n, kind)
        case ast.ContactLeadScore(model_id=m, attribute=a):
            return Column(
                "(SELECT json_extract(s.fields, ?) FROM lead_scores s WHERE s.site_id = r.site_id "
                "AND s.model_id = ? AND s.contact_id = r.id)",
                (f'$."{a}"', m),
                kind,
            )
        case ast.ActivityCampaignResponseCreatedAt():
            return _json("CampaignResponseDate", DATE)
        case ast.ActivityCampaignResponseField(name=n):
            return _json(f"CampaignResponse{n}", kind)
    # Statements whose data the emulator does not hold (the campaign of a campaign-app
    # export, account user links) read as empty, as a pod shows a field with no value.
    return EMPTY
