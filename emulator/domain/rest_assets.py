"""The REST 2.0 lists that Bulk API clients call too: tap-eloqua reads campaigns, emails,
forms, external assets, email groups and visitors through ``/api/REST/2.0``.

Each collection is described once in :data:`COLLECTIONS` (its path, the properties it sorts
and searches on, what it shows at minimal depth); the routes are built from the same table.
Elements are stored at complete depth, every value as Eloqua shows it (ids, dates as
epoch seconds and booleans are strings); the depth asked for is a projection of that:

* ``minimal``: the collection's minimal keys that have a value;
* ``partial``: every property, but each object inside an array property (a campaign's
  canvas elements, an email's hyperlinks, a form's fields) cut to its minimal keys, as
  Oracle describes partial depth ("related entities at minimal depth");
* ``complete``: every property.

Elements are shown with ``depth`` set to the depth asked for (visitors have none).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import sqlite_utils

from emulator.core.listing import Kind
from emulator.core.rest_query import Depth, parse_rest_query
from emulator.core.types import JSONObject, Principal
from emulator.store import rest_assets as rows

ASSET_MINIMAL = (
    "type",
    "currentStatus",
    "id",
    "createdAt",
    "createdBy",
    "depth",
    "folderId",
    "name",
    "permissions",
    "updatedAt",
    "updatedBy",
)
VISITOR_MINIMAL = (
    "type",
    "visitorId",
    "id",
    "createdAt",
    "contactId",
    "V_IPAddress",
    "V_LastVisitDateAndTime",
    "externalId",
    "currentStatus",
)

T, N, B, D = Kind.TEXT, Kind.NUMBER, Kind.BOOLEAN, Kind.TIMESTAMP
_ASSET: dict[str, Kind] = {
    "id": N,
    "name": T,
    "description": T,
    "currentStatus": T,
    "folderId": N,
    "createdAt": D,
    "createdBy": N,
    "updatedAt": D,
    "updatedBy": N,
    "accessedAt": D,
}


@dataclass(frozen=True)
class Collection:
    """One REST 2.0 list: ``/api/REST/2.0{path}``, stored under ``kind``."""

    kind: str
    path: str
    properties: Mapping[str, Kind]
    minimal: tuple[str, ...] = ASSET_MINIMAL
    default_term: str = "name"  # what a search without a term compares with


COLLECTIONS = (
    Collection(
        "campaigns",
        "/assets/campaigns",
        {
            **_ASSET,
            "campaignCategory": T,
            "campaignType": T,
            "product": T,
            "region": T,
            "crmId": T,
            "startAt": D,
            "endAt": D,
            "budgetedCost": N,
            "actualCost": N,
            "memberCount": N,
            "isEmailMarketingCampaign": B,
            "isMemberAllowedReEntry": B,
            "isReadOnly": B,
            "isSyncedWithCRM": B,
            "isIncludedInROI": B,
            "runAsUserId": N,
        },
    ),
    Collection(
        "emails",
        "/assets/emails",
        {
            **_ASSET,
            "subject": T,
            "senderName": T,
            "senderEmail": T,
            "replyToName": T,
            "replyToEmail": T,
            "emailGroupId": N,
            "emailHeaderId": N,
            "emailFooterId": N,
            "encodingId": N,
            "isTracked": B,
            "isPlainTextEditable": B,
            "sendPlainTextOnly": B,
            "archive": B,
            "renderMode": T,
        },
    ),
    Collection(
        "forms",
        "/assets/forms",
        {**_ASSET, "htmlName": T, "processingType": T, "emailAddressFormFieldId": N},
    ),
    Collection("externals", "/assets/externals", {**_ASSET, "externalAssetTypeId": N}),
    Collection(
        "emailGroups",
        "/assets/email/groups",
        {
            **_ASSET,
            "displayName": T,
            "isVisibleInOutlookPlugin": B,
            "isVisibleInPublicSubscriptionList": B,
            "subscriptionListId": N,
            "unSubscriptionListId": N,
        },
    ),
    Collection(
        "visitors",
        "/data/visitors",
        {
            "id": N,
            "visitorId": N,
            "contactId": N,
            "externalId": T,
            "createdAt": D,
            "V_IPAddress": T,
            "V_LastVisitDateAndTime": D,
            "V_FirstVisitDateAndTime": D,
            "V_Total_Visits": N,
            "V_Total_Pages": N,
            "V_Total_Time": N,
            "V_CityFromIP": T,
            "V_CountryName": T,
        },
        minimal=VISITOR_MINIMAL,
        default_term="externalId",
    ),
)
BY_KIND = {c.kind: c for c in COLLECTIONS}


def list_elements(
    db: sqlite_utils.Database, principal: Principal, kind: str, params: Mapping[str, str]
) -> JSONObject:
    """One page of a collection: ``{"elements", "page", "pageSize", "total"}``; a page past
    the end has no elements. Raises :class:`~emulator.core.rest_query.RestQueryError`."""
    collection = BY_KIND[kind]
    query = parse_rest_query(params, collection.properties, default_term=collection.default_term)
    page = rows.select_page(db, principal.site_id, kind, query, collection.properties)
    return {
        "elements": [project(orjson.loads(i), collection.minimal, query.depth) for i in page.items],
        "page": query.page,
        "pageSize": query.count,
        "total": page.total,
    }


def project(element: JSONObject, minimal: tuple[str, ...], depth: Depth) -> JSONObject:
    """An element stored at complete depth, as shown at ``depth``."""
    if depth is Depth.MINIMAL:
        shown = _minimal(element, minimal)
    elif depth is Depth.PARTIAL:
        shown = {key: _related(value) for key, value in element.items()}
    else:
        shown = dict(element)
    if "depth" in shown:
        shown["depth"] = depth.value
    return shown


def _minimal(element: JSONObject, keys: tuple[str, ...]) -> JSONObject:
    return {k: v for k, v in element.items() if k in keys and v not in (None, "", [])}


def _related(value: Any) -> Any:
    """Objects inside an array are related entities: shown at minimal depth."""
    if not isinstance(value, list):
        return value
    return [
        {**_minimal(v, ASSET_MINIMAL), **({"depth": "minimal"} if "depth" in v else {})}
        if isinstance(v, dict)
        else v
        for v in value
    ]
