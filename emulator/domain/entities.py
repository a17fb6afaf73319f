"""The Bulk API's definition families: where each lives, which kinds of definition it
has, and the properties each kind accepts (reference §4, §5).

Routes, validation and the spec-parity test all read this one table.
"""

from __future__ import annotations

from dataclasses import dataclass

IMPORTS, EXPORTS, SYNC_ACTIONS = "imports", "exports", "syncActions"
KINDS = (IMPORTS, EXPORTS, SYNC_ACTIONS)


@dataclass(frozen=True)
class Family:
    name: str  # also the markup entity the definition's statements must belong to
    path: str  # under the Bulk base; ``{parentId}`` for per-object families
    singular: str  # for operationIds: list_<singular>_imports, create_<singular>_import ...
    kinds: tuple[str, ...]
    parent: str | None = None  # catalog container family of ``{parentId}``

    def collection(self, kind: str, parent_id: int | None) -> str:
        """``/customObjects/9/imports``: the relative uri of a kind's collection."""
        return f"{self.path.replace('{parentId}', str(parent_id))}/{kind}"


FAMILIES = (
    Family("contacts", "/contacts", "contact", KINDS),
    Family("accounts", "/accounts", "account", KINDS),
    Family("customObjects", "/customObjects/{parentId}", "custom_object", KINDS, "customObjects"),
    Family("activities", "/activities", "activity", (IMPORTS, EXPORTS)),
    Family("events", "/events/{parentId}", "event", (IMPORTS, EXPORTS), "events"),
    Family(
        "campaignResponses",
        "/campaignResponses",
        "campaign_response",
        (IMPORTS, EXPORTS),
    ),
    Family("opportunities", "/opportunities", "opportunity", (IMPORTS,)),
    Family(
        "opportunityContacts",
        "/opportunities/contacts",
        "opportunity_contact",
        (IMPORTS,),
    ),
    Family("emailAddresses", "/emailAddresses", "email_address", (IMPORTS,)),
)
BY_NAME = {family.name: family for family in FAMILIES}


KIND_SINGULAR = {IMPORTS: "import", EXPORTS: "export", SYNC_ACTIONS: "sync_action"}

# Read-only properties a client may send back (GET, edit, PUT); they are ignored.
READ_ONLY = ("uri", "createdBy", "createdAt", "updatedBy", "updatedAt", "kbUsed", "id", "parentId")

_IMPORT_COMMON = (
    "name",
    "fields",
    "identifierFieldName",
    "isSyncTriggeredOnImport",
    "dataRetentionDuration",
    "isUpdatingMultipleMatchedRecords",
    "updateRule",
    "updateRuleByField",
    "importRule",
    "nullIdentifierFieldName",
    "autoDeleteDuration",
    "importPriorityUri",
    "externalSystemId",
)
# Families whose imports carry sync actions, per Oracle's schemas; events' schema lists
# them but Oracle's docs say events take none (reference §4.6), and so do we.
_IMPORT_SYNC_ACTIONS = {"contacts", "accounts", "customObjects", "emailAddresses"}
_MAP_DATA_CARDS = (
    "mapDataCards",
    "mapDataCardsEntityField",
    "mapDataCardsSourceField",
    "mapDataCardsEntityType",
    "mapDataCardsCaseSensitiveMatch",
)
_LINK_OPPORTUNITIES = (
    "linkOpportunitiesMatchFieldName",
    "linkOpportunitiesSourceField",
    "linkOpportunitiesEntityType",
    "linkOpportunitiesCaseSensitiveMatchField",
    "linkOpportunitiesCaseSensitiveSourceField",
    "linkOpportunitiesMultipleSourceMatches",
)
_EXPORT = (
    "name",
    "fields",
    "filter",
    "dataRetentionDuration",
    "autoDeleteDuration",
    "areSystemTimestampsInUTC",
    "maxRecords",
    "syncActions",
    "crmAccountIdField",
    "productIdField",
    "externalSystemId",
)
_SYNC_ACTION = (
    "name",
    "fields",
    "identifierFieldName",
    "isSyncTriggeredOnImport",
    "syncActions",
    "autoDeleteDuration",
)


def writable(family: str, kind: str) -> tuple[str, ...]:
    """The writable properties of one kind of definition, in the order a pod echoes them."""
    if kind == EXPORTS:
        return (
            _EXPORT if family != "activities" else tuple(p for p in _EXPORT if p != "syncActions")
        )
    if kind == SYNC_ACTIONS:
        return _SYNC_ACTION
    extra: tuple[str, ...] = ("syncActions",) if family in _IMPORT_SYNC_ACTIONS else ()
    if family == "accounts":
        extra += ("linkUsers",)
    elif family in ("customObjects", "events"):
        extra += _MAP_DATA_CARDS
    elif family == "opportunities":
        extra += ("isIdentifierFieldCaseSensitive",)
    elif family == "opportunityContacts":
        extra += _LINK_OPPORTUNITIES
    elif family == "campaignResponses":
        extra += ("serviceInstanceId",)
    return _IMPORT_COMMON + extra
