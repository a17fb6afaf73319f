"""The record tables: one object per family that knows where the family's records live,
which rows belong to it (site, family, parent), how a record is matched by an identifier,
where a field statement's value lives and how values are formatted on the way out.

Every statement that reads or writes records takes its names from here: import apply
(``store.import_rows``), export materialisation and filters (``store.export_rows``,
``store.filter_sql``), sync-action targets (``store.sync_actions``) and AppCloud members.
Identifiers come only from this module; values, JSON paths included, are always bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from emulator.core.filters.kinds import BOOLEAN, DATE, NUMBER, SYSTEM_TIME, TEXT, kind_of
from emulator.core.markup import ast

NAME = re.compile(r"^[A-Za-z0-9_]+$")  # a field's internal name or id


def path(name: str) -> str:
    """The JSON path of a field in ``fields``; names are catalog internal names or ids."""
    if not NAME.match(name):
        raise ValueError(f"not a field name: {name!r}")
    return f'$."{name}"'


class MatchBy(Enum):
    ID = "id"
    EXTERNAL_ID = "external_id"
    EMAIL = "email"  # a contact's address, ignoring case, through the indexed ``email_key``
    FIELD = "field"  # a field's text, exactly


@dataclass(frozen=True)
class Match:
    """How an identifier value names a record."""

    by: MatchBy
    field: str = ""  # the internal name (or id) of the field, for ``MatchBy.FIELD``

    def __post_init__(self) -> None:
        if self.by is MatchBy.FIELD:
            path(self.field)

    @classmethod
    def on_field(cls, name: str) -> Match:
        return cls(MatchBy.FIELD, name)


BY_ID = Match(MatchBy.ID)
BY_EXTERNAL_ID = Match(MatchBy.EXTERNAL_ID)
BY_EMAIL = Match(MatchBy.EMAIL)


@dataclass(frozen=True)
class Column:
    """A statement's value as an SQL expression over the record row ``r``: ``sql`` with
    ``params``; ``kind`` (``core.filters.kinds``) decides how filters compare it and how
    exports show it."""

    sql: str
    params: tuple[object, ...] = ()
    kind: str = TEXT


EMPTY = Column("NULL")


@dataclass(frozen=True)
class Slot:
    """Where an import writes a statement's value: a ``field`` of ``fields``, a ``flag``
    column, the ``external_id``, the ``id`` it matches on, the linked ``contact`` (by a
    contact field), the account's linked ``user`` (by a user field), or nowhere
    (``ignored``)."""

    kind: str  # field | flag | external_id | id | contact | user | ignored
    name: str  # field internal name or id, or the column
    data_type: str | None = None  # the type the slot imposes, else the catalog's


@dataclass(frozen=True)
class RecordTable:
    """A family's records."""

    family: str  # as definitions, filters and execution members name it
    name: str  # the SQL table
    columns: tuple[str, ...]  # what a seeded row may carry besides site_id
    per_parent: bool = False  # the table holds several families and parents
    flags: tuple[str, ...] = ()  # columns besides ``fields`` an import writes
    links: bool = False  # ``contact_id`` / ``account_id`` an import may set
    email_key: bool = False  # ``email_key``, indexed by ``contacts_email`` (``m022``)
    updated_at: bool = True  # the table keeps when a record was last updated

    def scope(self, alias: str, site_id: int, parent_id: int = 0) -> tuple[str, list[Any]]:
        """The rows of the site (and of the custom object or event) that are this
        family's, as a condition on ``alias``."""
        if self.per_parent:
            return (
                f"{alias}.site_id = ? AND {alias}.family = ? AND {alias}.parent_id = ?",
                [site_id, self.family, parent_id],
            )
        return f"{alias}.site_id = ?", [site_id]

    def join(
        self, match: Match, rows: str, key: str, site_id: int, parent_id: int = 0
    ) -> tuple[str, list[Any]]:
        """``rows`` (a table and its alias) joined to the records ``r`` whose identifier is
        ``key`` (an expression over ``rows``). An id or an e-mail address probes the
        record index once per row; an external id or a field scans the records once and
        probes ``rows``, which should be indexed on ``key``."""
        scoped, params = self.scope("r", site_id, parent_id)
        if match.by is MatchBy.ID:
            return (
                f"{rows} CROSS JOIN {self.name} r ON {scoped} "
                f"AND r.id = CAST({key} AS INTEGER) AND CAST(r.id AS TEXT) = {key}",
                params,
            )
        if match.by is MatchBy.EMAIL:
            self._has_email()
            return (
                f"{rows} CROSS JOIN {self.name} r INDEXED BY contacts_email "
                f"ON {scoped} AND r.email_key = lower({key})",
                params,
            )
        if match.by is MatchBy.EXTERNAL_ID:
            return f"{self.name} r CROSS JOIN {rows} ON {scoped} AND {key} = r.external_id", params
        return (
            f"{self.name} r CROSS JOIN {rows} ON {scoped} "
            f"AND {key} = CAST(json_extract(r.fields, ?) AS TEXT)",
            [*params, path(match.field)],
        )

    def lookup(
        self, match: Match, value: str, site_id: int, *, case_sensitive: bool = False
    ) -> tuple[str, list[Any]]:
        """The lowest id of a record whose identifier is ``value`` (an SQL expression), as a
        scalar subquery: how a custom object record finds the contact or account it links
        to."""
        if match.by is MatchBy.EMAIL and not case_sensitive:
            self._has_email()
            return (
                f"(SELECT min(id) FROM {self.name} INDEXED BY contacts_email WHERE site_id = ? "
                f"AND email_key = lower({value}))",
                [site_id],
            )
        name = "C_EmailAddress" if match.by is MatchBy.EMAIL else match.field
        stored = "json_extract(fields, ?)"
        same = f"{stored} = {value}" if case_sensitive else f"lower({stored}) = lower({value})"
        return (
            f"(SELECT min(id) FROM {self.name} WHERE site_id = ? AND {value} IS NOT NULL "
            f"AND {same})",
            [site_id, path(name)],
        )

    def match_of(self, node: ast.FieldStatement) -> Match:
        """How an identifier statement names this family's records."""
        slot = slot_of(node)
        if slot.kind == "id":
            return BY_ID
        if slot.kind == "external_id":
            return BY_EXTERNAL_ID
        if self.email_key and slot.kind == "field" and slot.name.lower() == "c_emailaddress":
            return BY_EMAIL
        return Match.on_field(slot.name)

    def _has_email(self) -> None:
        if not self.email_key:
            raise ValueError(f"{self.family} have no e-mail key")


CONTACTS = RecordTable(
    "contacts",
    "contacts",
    (
        "id",
        "created_at",
        "updated_at",
        "account_id",
        "is_subscribed",
        "is_bounced",
        "email_format",
        "fields",
    ),
    flags=("is_subscribed", "is_bounced", "email_format"),
    email_key=True,
)
ACCOUNTS = RecordTable("accounts", "accounts", ("id", "created_at", "updated_at", "fields"))
_OBJECT_RECORD_COLUMNS = (
    "family",
    "parent_id",
    "id",
    "external_id",
    "contact_id",
    "account_id",
    "created_at",
    "updated_at",
    "fields",
)
CUSTOM_OBJECTS = RecordTable(
    "customObjects",
    "object_records",
    _OBJECT_RECORD_COLUMNS,
    per_parent=True,
    flags=("external_id",),
    links=True,
)
EVENTS = RecordTable(
    "events",
    "object_records",
    _OBJECT_RECORD_COLUMNS,
    per_parent=True,
    flags=("external_id",),
    links=True,
)
ACTIVITIES = RecordTable(
    "activities",
    "activities",
    (
        "id",
        "type",
        "created_at",
        "contact_id",
        "visitor_id",
        "external_id",
        "asset_type",
        "asset_name",
        "asset_id",
        "campaign_id",
        "fields",
    ),
)
CAMPAIGN_RESPONSES = RecordTable(
    "campaignResponses",
    "campaign_responses",
    ("id", "created_at", "campaign_id", "contact_id", "fields"),
    updated_at=False,
)
# Opportunities come from a CRM: ``{{Opportunity.Id}}`` is the CRM's text id, kept in
# ``external_id``; there are no exports of them.
OPPORTUNITIES = RecordTable(
    "opportunities",
    "opportunities",
    ("id", "external_id", "created_at", "updated_at", "fields"),
    flags=("external_id",),
)
# Records that statements reach through another family's record; no sync writes them.
CAMPAIGNS = RecordTable("campaigns", "campaigns", ("id", "created_at", "updated_at", "fields"))
LEAD_SCORES = RecordTable("leadScores", "lead_scores", ("model_id", "contact_id", "fields"))

FAMILIES = {
    t.family: t
    for t in (
        CONTACTS,
        ACCOUNTS,
        CUSTOM_OBJECTS,
        EVENTS,
        ACTIVITIES,
        CAMPAIGN_RESPONSES,
        OPPORTUNITIES,
    )
}
# The site's Eloqua users (not the API users who sign in): account imports with
# ``linkUsers`` make one an account's owner by ``crm_user_id``.
ELOQUA_USERS = RecordTable(
    "eloquaUsers",
    "eloqua_users",
    ("id", "name", "login_name", "email_address", "crm_user_id", "fields"),
)
# The SQL tables and the columns a seeded row may carry.
STORED = {t.name: t.columns for t in (*FAMILIES.values(), CAMPAIGNS, LEAD_SCORES, ELOQUA_USERS)}


def table_of(family: str) -> RecordTable:
    """The table of a family's records; KeyError for a family the store holds no records
    of."""
    return FAMILIES[family]


# --- statements as columns ------------------------------------------------------------


def _json(name: str, kind: str) -> Column:
    return Column("json_extract(r.fields, ?)", (f'$."{name}"',), kind)


def _related(table: RecordTable, key: str, name: str, kind: str) -> Column:
    """A field of the record that ``r.<key>`` points at (a contact, account, campaign)."""
    return Column(
        f"(SELECT json_extract(x.fields, ?) FROM {table.name} x "
        f"WHERE x.site_id = r.site_id AND x.id = r.{key})",
        (f'$."{name}"',),
        kind,
    )


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
    """Where a field statement's value lives, over the record row ``r`` of its family;
    ``data_type`` gives catalog types."""
    kind = kind_of(data_type(node))
    match node:
        case (
            ast.ContactAttribute(attribute=a)
            | ast.AccountAttribute(attribute=a)
            | ast.ActivityAttribute(attribute=a)
            | ast.OpportunityAttribute(attribute=a)
            | ast.CampaignResponseAttribute(attribute=a)
            | ast.CustomObjectAttribute(attribute=a)
        ):
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
            return _related(ACCOUNTS, "account_id", n, kind)
        case ast.ActivityContactField(name=n) | ast.CustomObjectContactField(name=n):
            return _related(CONTACTS, "contact_id", n, kind)
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
            return _related(CAMPAIGNS, "campaign_id", n, kind)
        case ast.ContactLeadScore(model_id=m, attribute=a):
            return Column(
                f"(SELECT json_extract(s.fields, ?) FROM {LEAD_SCORES.name} s "
                "WHERE s.site_id = r.site_id AND s.model_id = ? AND s.contact_id = r.id)",
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


_FLAGS = {"IsSubscribed": "is_subscribed", "IsBounced": "is_bounced", "Format": "email_format"}


def slot_of(node: ast.FieldStatement) -> Slot:
    """Where an import writes a statement's value."""
    match node:
        case (
            ast.ContactAttribute(attribute=a)
            | ast.AccountAttribute(attribute=a)
            | ast.CustomObjectAttribute(attribute=a)
        ):
            if a == "Id":
                return Slot("id", "id", "number")
            if a == "ExternalId":
                return Slot("external_id", "external_id", "string")
            return Slot("ignored", a, "string")
        case ast.ContactEmailAttribute(attribute=a):
            flag = _FLAGS[a]
            return Slot("flag", flag, "string" if flag == "email_format" else "boolean")
        case ast.ContactField(name=n) | ast.AccountField(name=n) | ast.OpportunityField(name=n):
            return Slot("field", n)
        case ast.OpportunityAttribute(attribute="Id"):
            return Slot("external_id", "external_id", "string")
        case ast.OpportunityAttribute(attribute="CreatedAt"):
            return Slot("field", "CreatedDate", "date")  # the CRM's date, as the catalog has it
        case ast.CustomObjectField(field_id=f) | ast.EventField(field_id=f):
            return Slot("field", str(f))
        case ast.CustomObjectContactField(name=n):
            return Slot("contact", n)
        case ast.CampaignResponseAttribute(attribute="Id"):
            return Slot("id", "id", "number")
        case ast.CampaignResponseField(name=n):
            return Slot("field", n)
        case ast.AccountUserField(name=n):
            return Slot("user", n, "string")  # linked when the definition has linkUsers
    return Slot("ignored", "")


# --- values on the way out ------------------------------------------------------------


def _export_time(stored: str, utc: bool) -> str:
    """A stored timestamp (``YYYY-MM-DDTHH:MM:SS.fffffff0Z``, UTC) as exports show it,
    ``YYYY-MM-DD HH:MM:SS.fff``, in UTC or in Eastern time under the US rules since 2007
    (daylight saving from the second Sunday of March, 07:00 UTC, to the first Sunday of
    November, 06:00 UTC), all in SQLite's own functions: an export calls no Python per
    row. ``emulator.core.timestamps.export_form`` states the same in Python (a property
    test holds them together) and serves any value of another shape."""
    if utc:
        local = f"substr({stored}, 1, 10) || ' ' || substr({stored}, 12, 12)"
    else:
        year = f"substr({stored}, 1, 4)"
        summer = (
            f"substr({stored}, 1, 19) >= strftime('%Y-%m-%dT%H:%M:%S', {year} || '-03-01', "
            "'weekday 0', '+7 days', '+7 hours') "
            f"AND substr({stored}, 1, 19) < strftime('%Y-%m-%dT%H:%M:%S', {year} || '-11-01', "
            "'weekday 0', '+6 hours')"
        )
        local = (
            f"strftime('%Y-%m-%d %H:%M:%f', substr({stored}, 1, 23), "
            f"CASE WHEN {summer} THEN '-4 hours' ELSE '-5 hours' END)"
        )
    return (
        f"CASE WHEN length({stored}) >= 23 AND substr({stored}, 11, 1) = 'T' "
        f"AND substr({stored}, 20, 1) = '.' THEN {local} "
        f"ELSE eloqua_time({stored}, {1 if utc else 0}) END"
    )


def shown(col: Column, utc: bool) -> tuple[str, list[Any]]:
    """A column as export text: system times formatted, flags ``true``/``false``, the rest
    as text (empty for NULL)."""
    if col.kind == SYSTEM_TIME:
        # the column is a plain column (no parameters), so it may be named several times
        if col.params:
            return f"eloqua_time({col.sql}, ?)", [*col.params, 1 if utc else 0]
        return _export_time(col.sql, utc), []
    if col.kind == BOOLEAN:
        return f"CASE WHEN coalesce({col.sql}, 0) THEN 'true' ELSE 'false' END", list(col.params)
    return f"coalesce(CAST({col.sql} AS TEXT), '')", list(col.params)


PAIRS_PER_CALL = 50  # SQLite allows 127 arguments per function call


@dataclass(frozen=True)
class Projection:
    """A ``fields`` map as one SQL expression over a record row ``r``: the JSON object of
    its values as exports show them, keys in the map's order."""

    sql: str
    params: list[Any]


def projection(
    fields: Iterable[tuple[str, ast.FieldStatement]],
    data_type: Callable[[ast.FieldStatement], str],
    utc: bool,
) -> Projection:
    pairs: list[str] = []
    params: list[Any] = []
    for key, node in fields:
        sql, values = shown(column(node, data_type), utc)
        pairs.append(f"?, {sql}")
        params += [key, *values]
    # beyond one call's argument limit the pieces are merged with json_patch, which keeps
    # key order (values are never null)
    pieces = [
        f"json_object({', '.join(pairs[i : i + PAIRS_PER_CALL])})"
        for i in range(0, len(pairs), PAIRS_PER_CALL)
    ]
    merged = pieces[0] if pieces else "json_object()"
    for piece in pieces[1:]:
        merged = f"json_patch({merged}, {piece})"
    return Projection(merged, params)
