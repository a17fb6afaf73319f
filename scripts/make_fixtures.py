#!/usr/bin/env python3
"""Generate the seed data (fixtures) for the local Eloqua Bulk API 2.0 emulator.

Why this exists
---------------
The emulator serves catalogues (``/contacts/fields``, ``/activities/fields``,
``/customObjects``, lists, segments, ...) and exports records.  Both must look
like a real Eloqua instance: real internal field names, Oracle's EML statements,
7-digit-fraction UTC timestamps, ids taken from ``uri``.  Hand-written JSON of
this size drifts and breaks cross references, so every file under ``fixtures/``
is produced here, deterministically, from one seeded RNG
(``random.Random(20261123)``).  Re-running the script rewrites every file
byte-for-byte identically.

Sources for the names (see ``fixtures/README.md``): a real ``/contacts/fields``
page recorded from a p04 pod (grouparoo's Eloqua plugin test fixtures), Oracle's
"Activity fields" / "Activities export definitions" pages, pyeloqua's test
fixtures and system_fields.py, Oracle's Bulk API swagger (per-tag copies in
api-evangelist/eloqua) and Oracle's opportunity / campaign-response tutorials.
Things no public source shows (SMS activity field names, campaign field
statements) are marked as inferred in the README.

Usage: ``python scripts/make_fixtures.py`` (stdlib only, Python 3.11).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 20261123
ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

SYSTEM_TS = "1900-01-01T05:00:00.0000000Z"  # timestamp of Eloqua's built-in fields
USERS = ["Anna.Kowalska", "Jose.Martinez", "Kenji.Yamada", "API.Integration", "Mgr.Marketing"]
DATA_TYPES = ("string", "date", "number", "emailAddress", "boolean")

rng = random.Random(SEED)

Json = dict[str, Any]


# --------------------------------------------------------------------------- #
# small helpers
# --------------------------------------------------------------------------- #
def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def rand_dt(start: datetime, end: datetime) -> datetime:
    """Uniform random instant in [start, end] with microsecond precision."""
    span = int((end - start).total_seconds())
    base = start + timedelta(seconds=rng.randint(0, max(span, 0)))
    return min(base.replace(microsecond=rng.randint(0, 999_999)), max(end, start))


def ts(dt: datetime) -> str:
    """ISO-8601 UTC with exactly seven fractional digits and 'Z' (.NET tick precision).

    The 7th digit is derived from the instant itself, so equal instants print
    equally and the string order matches the chronological order.
    """
    seventh = (dt.second + dt.microsecond) % 10
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond:06d}{seventh}Z"


def field_date(dt: datetime) -> str:
    """Value format of a date *field* inside records ("YYYY-MM-DD HH:MM:SS")."""
    return f"{dt:%Y-%m-%d %H:%M:%S}"


def later(dt: datetime, end: datetime) -> datetime:
    """A random instant >= dt and <= end (dt itself when dt >= end)."""
    return dt if dt >= end else rand_dt(dt, end)


def ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def pick_weighted(options: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*options, strict=False)
    return rng.choices(values, weights=weights, k=1)[0]


def digits(n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def alnum(n: int) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(n))


def hex_id(n: int = 32) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def guid() -> str:
    h = hex_id(32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def audit(created: datetime, updated: datetime | None = None, user: str | None = None) -> Json:
    """createdAt/By + updatedAt/By block for user-made objects."""
    created_by = user or rng.choice(USERS)
    updated = updated or later(created, utc(2026, 11, 15))
    return {
        "createdAt": ts(created),
        "createdBy": created_by,
        "updatedAt": ts(updated),
        "updatedBy": rng.choice([created_by, *USERS]),
    }


# --------------------------------------------------------------------------- #
# field catalogue items (reference §15 shape and key order)
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class FieldSpec:
    internal: str
    name: str
    data_type: str = "string"
    read_only: bool = False
    not_null: bool = False
    unique: bool = False
    default: str | None = None
    custom: bool = False  # user-created: gets createdBy/updatedBy and later timestamps


def field_item(spec: FieldSpec, statement: str, uri: str, created: datetime | None = None) -> Json:
    assert spec.data_type in DATA_TYPES, spec
    item: Json = {"name": spec.name, "internalName": spec.internal, "dataType": spec.data_type}
    if spec.default is not None:
        item["defaultValue"] = spec.default
    item |= {
        "hasReadOnlyConstraint": spec.read_only,
        "hasNotNullConstraint": spec.not_null,
        "hasUniquenessConstraint": spec.unique,
        "statement": statement,
        "uri": uri,
    }
    if spec.custom:
        created = created or rand_dt(utc(2023, 2, 1), utc(2025, 12, 31))
        updated = later(created, utc(2026, 9, 30))
        user = rng.choice(USERS[:3])
        item |= {
            "createdBy": user,
            "createdAt": ts(created),
            "updatedBy": user,
            "updatedAt": ts(updated),
        }
    else:
        item |= {"createdAt": SYSTEM_TS, "updatedAt": SYSTEM_TS}
    return item


# --------------------------------------------------------------------------- #
# 1. contact fields
# --------------------------------------------------------------------------- #
# (uri id, spec).  Ids of the standard fields follow a real p04 instance's
# /contacts/fields page; display names are Oracle's defaults.
CONTACT_FIELDS: list[tuple[int, FieldSpec]] = [
    (
        100001,
        FieldSpec("C_EmailAddress", "Email Address", "emailAddress", not_null=True, unique=True),
    ),
    (100002, FieldSpec("C_FirstName", "First Name")),
    (100003, FieldSpec("C_LastName", "Last Name")),
    (100004, FieldSpec("C_Company", "Company")),
    (100005, FieldSpec("C_EmailDisplayName", "Email Display Name")),
    (100006, FieldSpec("C_Address1", "Address 1")),
    (100007, FieldSpec("C_Address2", "Address 2")),
    (100008, FieldSpec("C_Address3", "Address 3")),
    (100009, FieldSpec("C_City", "City")),
    (100010, FieldSpec("C_State_Prov", "State or Province")),
    (100011, FieldSpec("C_Zip_Postal", "Zip or Postal Code")),
    (100012, FieldSpec("C_Country", "Country")),
    (100013, FieldSpec("C_BusPhone", "Business Phone")),
    (100014, FieldSpec("C_MobilePhone", "Mobile Phone")),
    (100015, FieldSpec("C_Fax", "Fax")),
    (100016, FieldSpec("C_Title", "Title")),
    (100017, FieldSpec("C_Salutation", "Salutation")),
    (100022, FieldSpec("C_Salesperson", "Salesperson")),
    (100023, FieldSpec("C_SFDCContactID", "SFDC Contact ID")),
    (100024, FieldSpec("C_SFDCLeadID", "SFDC Lead ID")),
    (100026, FieldSpec("C_DateCreated", "Date Created", "date", read_only=True)),
    (100027, FieldSpec("C_DateModified", "Date Modified", "date", read_only=True)),
    (100032, FieldSpec("ContactIDExt", "Eloqua Contact ID", read_only=True)),
    (100033, FieldSpec("C_SFDCAccountID", "SFDC Account ID")),
    (
        100034,
        FieldSpec("C_LastModifiedByExtIntegrateSystem", "Last Modified by CRM System", "date"),
    ),
    (100035, FieldSpec("C_SFDCLastCampaignID", "Last SFDC Campaign ID")),
    (100036, FieldSpec("C_SFDCLastCampaignStatus", "Last SFDC Campaign Status")),
    (100041, FieldSpec("C_Company_Revenue1", "Company Revenue")),
    (100043, FieldSpec("C_SFDC_EmailOptOut1", "SFDC Email Opt-Out")),
    (100044, FieldSpec("C_Lead_Source___Most_Recent1", "Lead Source - Most Recent")),
    (100045, FieldSpec("C_Lead_Source___Original1", "Lead Source - Original")),
    (100046, FieldSpec("C_Industry1", "Industry")),
    (100047, FieldSpec("C_Annual_Revenue1", "Annual Revenue")),
    (100048, FieldSpec("C_Lead_Status1", "Lead Status")),
    (100049, FieldSpec("C_Job_Role1", "Job Role")),
    (
        100051,
        FieldSpec(
            "C_LS___High_Value_Website_Content1",
            "Lead Score - High Value Website Content",
            "number",
        ),
    ),
    (
        100065,
        FieldSpec(
            "C_Lead_Score_Date___Most_Recent1", "Lead Score Date - Engagement - Most Recent", "date"
        ),
    ),
    (
        100066,
        FieldSpec(
            "C_Integrated_Marketing_and_Sales_Funnel_Stage",
            "Integrated Marketing and Sales Funnel Stage",
        ),
    ),
    (100068, FieldSpec("C_Product_Solution_of_Interest1", "Product/Solution of Interest")),
    (100069, FieldSpec("C_Region1", "Region")),
    (100072, FieldSpec("C_elqPURLName1", "PURL Name (Default Hypersite)", read_only=True)),
    (100081, FieldSpec("C_Lead_Rating___Combined1", "Lead Rating - Combined")),
    (100171, FieldSpec("C_EmailAddressDomain", "Email Address Domain", read_only=True)),
    (100172, FieldSpec("C_FirstAndLastName", "First and Last Name", read_only=True)),
    (100174, FieldSpec("C_Company_Size1", "Company Size")),
    (
        100175,
        FieldSpec(
            "C_Lead_Score___Last_High_Touch_Event_Date1",
            "Lead Score - Last High Touch Event Date",
            "date",
        ),
    ),
    (100176, FieldSpec("C_Lead_Rating___Explicit1", "Lead Rating - Profile (Explicit)")),
    (100177, FieldSpec("C_Lead_Rating___Implicit1", "Lead Rating - Engagement (Implicit)")),
    (100178, FieldSpec("C_Lead_Score___Explicit1", "Lead Score - Profile (Explicit)", "number")),
    (100179, FieldSpec("C_Lead_Score___Implicit1", "Lead Score - Engagement (Implicit)", "number")),
    (
        100180,
        FieldSpec(
            "C_Lead_Score_Date___Profile___Most_Recent1",
            "Lead Score Date - Profile - Most Recent",
            "date",
        ),
    ),
    (100184, FieldSpec("C_Employees1", "Employees", "number")),
    (100187, FieldSpec("C_Territory", "Territory")),
    (100188, FieldSpec("C_MD5HashedEmailAddress", "MD5 Hashed Email Address", read_only=True)),
    (
        100189,
        FieldSpec("C_SHA256HashedEmailAddress", "SHA256 Hashed Email Address", read_only=True),
    ),
    (100190, FieldSpec("C_MD5HashedBusPhone", "MD5 Hashed Business Phone", read_only=True)),
    (100191, FieldSpec("C_SHA256HashedBusPhone", "SHA256 Hashed Business Phone", read_only=True)),
    (100192, FieldSpec("C_MD5HashedMobilePhone", "MD5 Hashed Mobile Phone", read_only=True)),
    (100193, FieldSpec("C_SHA256HashedMobilePhone", "SHA256 Hashed Mobile Phone", read_only=True)),
    (100194, FieldSpec("C_ElqPURLName", "PURL Name", read_only=True)),
    (100195, FieldSpec("C_Lead_Score", "Lead Score")),
    (100196, FieldSpec("C_MSCRMContactID", "MSCRM Contact ID")),
    (100197, FieldSpec("C_MSCRMLeadID", "MSCRM Lead ID")),
    (100198, FieldSpec("C_MSCRMAccountID", "MSCRM Account ID")),
    # user-created (custom) fields
    (100251, FieldSpec("C_Preferred_Language1", "Preferred Language", custom=True)),
    (100252, FieldSpec("C_Product_Interest1", "Product Interest", custom=True)),
    (100253, FieldSpec("C_GDPR_Consent_Date1", "GDPR Consent Date", "date", custom=True)),
    (
        100254,
        FieldSpec("C_Webinars_Attended1", "Webinars Attended", "number", default="0", custom=True),
    ),
    (100255, FieldSpec("C_Marketing_Opt_In1", "Marketing Opt-In", default="No", custom=True)),
]
CONTACT_FIELD_NAMES = {spec.internal for _, spec in CONTACT_FIELDS}


def contact_fields() -> list[Json]:
    return [
        field_item(spec, f"{{{{Contact.Field({spec.internal})}}}}", f"/contacts/fields/{fid}")
        for fid, spec in CONTACT_FIELDS
    ]


# --------------------------------------------------------------------------- #
# 2. account fields
# --------------------------------------------------------------------------- #
ACCOUNT_FIELDS: list[tuple[int, FieldSpec]] = [
    (100084, FieldSpec("CompanyIDExt", "Eloqua Company ID", read_only=True)),
    (100085, FieldSpec("M_CompanyName", "Company Name", not_null=True)),
    (100086, FieldSpec("M_Address1", "Address 1")),
    (100087, FieldSpec("M_Address2", "Address 2")),
    (100088, FieldSpec("M_Country", "Country")),
    (100089, FieldSpec("M_Address3", "Address 3")),
    (100090, FieldSpec("M_City", "City")),
    (100091, FieldSpec("M_State_Prov", "State or Province")),
    (100092, FieldSpec("M_Zip_Postal", "Zip or Postal Code")),
    (100093, FieldSpec("M_BusPhone", "Business Phone")),
    (100094, FieldSpec("M_Fax1", "Fax")),
    (100095, FieldSpec("M_DateCreated", "Date Created", "date", read_only=True)),
    (100096, FieldSpec("M_DateModified", "Date Modified", "date", read_only=True)),
    (100097, FieldSpec("M_SFDCAccountID", "SFDC Account ID")),
    (100098, FieldSpec("M_MSCRMAccountID", "MSCRM Account ID")),
    (100099, FieldSpec("M_elqCompanyCategory", "Company Category")),
    (100100, FieldSpec("M_Industry1", "Industry")),
    (100101, FieldSpec("M_Annual_Revenue1", "Annual Revenue")),
    (100102, FieldSpec("M_Employees1", "Employees", "number")),
    (100103, FieldSpec("M_Wesbsite1", "Website")),
    (100104, FieldSpec("M_Account_Type1", "Account Type")),
    (100110, FieldSpec("M_Customer_Tier1", "Customer Tier", default="Standard", custom=True)),
    (100111, FieldSpec("M_Key_Account1", "Key Account", "boolean", custom=True)),
]
ACCOUNT_FIELD_NAMES = {spec.internal for _, spec in ACCOUNT_FIELDS}


def account_fields() -> list[Json]:
    return [
        field_item(spec, f"{{{{Account.Field({spec.internal})}}}}", f"/accounts/fields/{fid}")
        for fid, spec in ACCOUNT_FIELDS
    ]


# --------------------------------------------------------------------------- #
# 3. activity fields
# --------------------------------------------------------------------------- #
ACTIVITY_TYPES = [
    "EmailOpen",
    "EmailClickthrough",
    "EmailSend",
    "Subscribe",
    "Unsubscribe",
    "Bounceback",
    "WebVisit",
    "PageView",
    "FormSubmit",
    "SmsSend",
    "SmsReply",
    "SmsClickthrough",
]

# name -> (statement, dataType).  Order = order of /activities/fields.
ACTIVITY_FIELD_DEFS: dict[str, tuple[str, str]] = {
    "ActivityId": ("{{Activity.Id}}", "number"),
    "ActivityType": ("{{Activity.Type}}", "string"),
    "ActivityDate": ("{{Activity.CreatedAt}}", "date"),
    "ExternalId": ("{{Activity.ExternalId}}", "string"),
    "ContactId": ("{{Activity.Contact.Id}}", "number"),
    "VisitorId": ("{{Activity.Visitor.Id}}", "number"),
    "VisitorExternalId": ("{{Activity.Visitor.ExternalId}}", "string"),
    "AssetType": ("{{Activity.Asset.Type}}", "string"),
    "AssetName": ("{{Activity.Asset.Name}}", "string"),
    "AssetId": ("{{Activity.Asset.Id}}", "number"),
    "CampaignId": ("{{Activity.Campaign.Id}}", "number"),
    "EmailAddress": ("{{Activity.Field(EmailAddress)}}", "emailAddress"),
    "IpAddress": ("{{Activity.Field(IpAddress)}}", "string"),
    "EmailRecipientId": ("{{Activity.Field(EmailRecipientId)}}", "string"),
    "SubjectLine": ("{{Activity.Field(SubjectLine)}}", "string"),
    "EmailWebLink": ("{{Activity.Field(EmailWebLink)}}", "string"),
    "EmailClickedThruLink": ("{{Activity.Field(EmailClickedThruLink)}}", "string"),
    "DeploymentId": ("{{Activity.Field(EmailDeploymentId)}}", "number"),
    "EmailSendType": ("{{Activity.Field(EmailSendType)}}", "string"),
    "CampaignResponseDate": ("{{Activity.CampaignResponse.CreatedAt}}", "date"),
    "CampaignResponseMemberStatus": ("{{Activity.CampaignResponse.Field(MemberStatus)}}", "string"),
    "SmtpErrorCode": ("{{Activity.Field(SmtpErrorCode)}}", "string"),
    "SmtpStatusCode": ("{{Activity.Field(SmtpStatusCode)}}", "string"),
    "SmtpMessage": ("{{Activity.Field(SmtpMessage)}}", "string"),
    "ReferrerUrl": ("{{Activity.Field(ReferrerUrl)}}", "string"),
    "NumberOfPages": ("{{Activity.Field(NumberOfPages)}}", "number"),
    "FirstPageViewUrl": ("{{Activity.Field(FirstPageViewUrl)}}", "string"),
    "Duration": ("{{Activity.Field(Duration)}}", "number"),
    "WebVisitSavedId": ("{{Activity.Field(WebVisitSavedId)}}", "string"),
    "WebVisitId": ("{{Activity.Field(WebVisitId)}}", "number"),
    "Url": ("{{Activity.Field(Url)}}", "string"),
    "IsWebTrackingOptedIn": ("{{Activity.Field(IsWebTrackingOptedIn)}}", "boolean"),
    "PageViewSavedId": ("{{Activity.Field(PageViewSavedId)}}", "string"),
    "RawData": ("{{Activity.Field(RawData)}}", "string"),
    # SMS (24C): no public source lists the names; plausible, see README.
    "PhoneNumber": ("{{Activity.Field(PhoneNumber)}}", "string"),
    "SmsCode": ("{{Activity.Field(SmsCode)}}", "string"),
    "SmsMessage": ("{{Activity.Field(SmsMessage)}}", "string"),
    "SmsDeploymentId": ("{{Activity.Field(SmsDeploymentId)}}", "number"),
    "Keyword": ("{{Activity.Field(Keyword)}}", "string"),
    "SmsClickedThruLink": ("{{Activity.Field(SmsClickedThruLink)}}", "string"),
}

_COMMON = ["ActivityId", "ActivityType", "ActivityDate", "ExternalId"]
_ASSET = ["AssetType", "AssetName", "AssetId"]
_CR = ["CampaignResponseDate", "CampaignResponseMemberStatus"]
_EMAIL_OPEN = [
    *_COMMON,
    "EmailAddress",
    "ContactId",
    "IpAddress",
    "VisitorId",
    "EmailRecipientId",
    *_ASSET,
    "SubjectLine",
    "EmailWebLink",
    "VisitorExternalId",
    "CampaignId",
    "DeploymentId",
    "EmailSendType",
    *_CR,
]
_SMS = [*_COMMON, "ContactId", *_ASSET, "CampaignId", "PhoneNumber", "SmsCode"]

# Fields per activity type (Oracle "Activity fields" page; SMS types inferred).
ACTIVITY_TYPE_FIELDS: dict[str, list[str]] = {
    "EmailOpen": _EMAIL_OPEN,
    "EmailClickthrough": [*_EMAIL_OPEN, "EmailClickedThruLink"],
    "EmailSend": [
        f for f in _EMAIL_OPEN if f not in ("IpAddress", "VisitorId", "VisitorExternalId")
    ],
    "Subscribe": [*_COMMON, "EmailAddress", "ContactId", "EmailRecipientId", *_ASSET, "CampaignId"],
    "Unsubscribe": [
        *_COMMON,
        "EmailAddress",
        "ContactId",
        "EmailRecipientId",
        *_ASSET,
        "CampaignId",
    ],
    "Bounceback": [
        *_COMMON,
        "EmailAddress",
        "ContactId",
        *_ASSET,
        "CampaignId",
        "EmailRecipientId",
        "DeploymentId",
        "SmtpErrorCode",
        "SmtpStatusCode",
        "SmtpMessage",
    ],
    "WebVisit": [
        *_COMMON,
        "ContactId",
        "VisitorId",
        "VisitorExternalId",
        "ReferrerUrl",
        "IpAddress",
        "NumberOfPages",
        "FirstPageViewUrl",
        "Duration",
        "WebVisitSavedId",
    ],
    "PageView": [
        *_COMMON,
        "ContactId",
        "CampaignId",
        "VisitorId",
        "VisitorExternalId",
        "WebVisitId",
        "Url",
        "ReferrerUrl",
        "IpAddress",
        "IsWebTrackingOptedIn",
        "PageViewSavedId",
        *_CR,
    ],
    "FormSubmit": [
        *_COMMON,
        "ContactId",
        "VisitorId",
        "VisitorExternalId",
        *_ASSET,
        "RawData",
        "CampaignId",
        *_CR,
    ],
    "SmsSend": [*_SMS, "SmsMessage", "SmsDeploymentId"],
    "SmsReply": [*_SMS, "SmsMessage", "Keyword"],
    "SmsClickthrough": [*_SMS, "SmsClickedThruLink", "SmsDeploymentId"],
}

# Activity fields carried by top-level record keys (everything else goes in "fields").
ACTIVITY_TOP_LEVEL = {
    "ActivityId",
    "ActivityType",
    "ActivityDate",
    "ExternalId",
    "ContactId",
    "VisitorId",
    "AssetType",
    "AssetName",
    "AssetId",
    "CampaignId",
}


def activity_fields() -> list[Json]:
    items = []
    for n, (name, (statement, data_type)) in enumerate(ACTIVITY_FIELD_DEFS.items(), start=1):
        types = [t for t in ACTIVITY_TYPES if name in ACTIVITY_TYPE_FIELDS[t]]
        assert types, name
        item = field_item(FieldSpec(name, name, data_type), statement, f"/activities/fields/{n}")
        # activityTypes sits after statement, before uri
        ordered: Json = {}
        for key, value in item.items():
            if key == "uri":
                ordered["activityTypes"] = types
            ordered[key] = value
        items.append(ordered)
    return items


# --------------------------------------------------------------------------- #
# 6. campaign response, opportunity and campaign fields
# --------------------------------------------------------------------------- #
CAMPAIGN_RESPONSE_FIELDS = [
    (1, FieldSpec("MemberStatus", "Member Status")),
    (2, FieldSpec("IntegrationReturnValue", "Integration Return Value")),
]

# Oracle's 18B notice shows the first four items of a real /opportunities/fields page
# (ids 38-41, internal names RemoteOpportunityID, OpportunityName, CreatedDate,
# OpportunityStageID); the rest follow the fields of Oracle's opportunity import tutorial.
OPPORTUNITY_FIELDS: list[tuple[int, FieldSpec, str]] = [
    (38, FieldSpec("RemoteOpportunityID", "Opportunity ID", not_null=True), "{{Opportunity.Id}}"),
    (
        39,
        FieldSpec("OpportunityName", "Opportunity Name", not_null=True),
        "{{Opportunity.Field(Name)}}",
    ),
    (
        40,
        FieldSpec("CreatedDate", "Created Date", "date", not_null=True),
        "{{Opportunity.CreatedAt}}",
    ),
    (41, FieldSpec("OpportunityStageID", "Stage", not_null=True), "{{Opportunity.Field(Stage)}}"),
    (42, FieldSpec("Amount", "Amount", "number", not_null=True), "{{Opportunity.Field(Amount)}}"),
    (43, FieldSpec("AccountName", "Account Name"), "{{Opportunity.Field(AccountName)}}"),
    (44, FieldSpec("CloseDate", "Close Date", "date"), "{{Opportunity.Field(CloseDate)}}"),
    (45, FieldSpec("Currency", "Currency"), "{{Opportunity.Field(Currency)}}"),
    (
        46,
        FieldSpec("ForecastToCloseDate", "Forecast To Close Date", "date"),
        "{{Opportunity.Field(ForecastToCloseDate)}}",
    ),
    (47, FieldSpec("Territory", "Territory"), "{{Opportunity.Field(Territory)}}"),
    (48, FieldSpec("Owner", "Owner"), "{{Opportunity.Field(Owner)}}"),
    (
        49,
        FieldSpec("PrimaryCampaignId", "Primary Campaign ID"),
        "{{Opportunity.Field(PrimaryCampaignId)}}",
    ),
]


def opportunity_fields() -> list[Json]:
    return [
        field_item(spec, statement, f"/opportunities/fields/{fid}")
        for fid, spec, statement in OPPORTUNITY_FIELDS
    ]


_ALL = ["sourceCampaign", "activity", "campaignResponse"]
_SRC_CR = ["sourceCampaign", "campaignResponse"]
CAMPAIGN_FIELDS: list[tuple[int, FieldSpec, list[str]]] = [
    (1, FieldSpec("CampaignName", "Campaign Name", not_null=True), _ALL),
    (2, FieldSpec("CRMCampaignId", "CRM Campaign ID"), _ALL),
    (3, FieldSpec("CampaignType", "Campaign Type"), _SRC_CR),
    (4, FieldSpec("Product", "Product"), _SRC_CR),
    (5, FieldSpec("Region", "Region"), _SRC_CR),
    (6, FieldSpec("BudgetedCost", "Budgeted Cost", "number"), ["sourceCampaign"]),
    (7, FieldSpec("ActualCost", "Actual Cost", "number"), ["sourceCampaign"]),
    (8, FieldSpec("StartDate", "Start Date", "date"), ["sourceCampaign"]),
    (9, FieldSpec("EndDate", "End Date", "date"), ["sourceCampaign"]),
]


def simple_fields(entity: str, path: str, specs: list[tuple[int, FieldSpec]]) -> list[Json]:
    return [
        field_item(spec, f"{{{{{entity}.Field({spec.internal})}}}}", f"/{path}/fields/{fid}")
        for fid, spec in specs
    ]


def campaign_fields() -> list[Json]:
    items = []
    for fid, spec, types in CAMPAIGN_FIELDS:
        item = field_item(
            spec, f"{{{{Campaign.Field({spec.internal})}}}}", f"/campaigns/fields/{fid}"
        )
        item["_types"] = types
        items.append(item)
    return items


# --------------------------------------------------------------------------- #
# reference data for records
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class Place:
    country: str
    city: str
    state: str
    zip_code: str
    phone_prefix: str
    region: str
    language: str
    eu: bool


PLACES = [
    Place("United States", "Boston", "MA", "02110", "+1 617 555", "NA", "English", False),
    Place("United States", "Austin", "TX", "78701", "+1 512 555", "NA", "English", False),
    Place("United States", "San José", "CA", "95113", "+1 408 555", "NA", "Español", False),
    Place("Canada", "Montréal", "QC", "H2X 1Y4", "+1 514 555", "NA", "Français", False),
    Place("Canada", "Toronto", "ON", "M5V 2T6", "+1 416 555", "NA", "English", False),
    Place("Germany", "München", "Bayern", "80331", "+49 89 5550", "EMEA", "Deutsch", True),
    Place(
        "Germany", "Köln", "Nordrhein-Westfalen", "50667", "+49 221 5550", "EMEA", "Deutsch", True
    ),
    Place(
        "France",
        "Besançon",
        "Bourgogne-Franche-Comté",
        "25000",
        "+33 3 81 55",
        "EMEA",
        "Français",
        True,
    ),
    Place("France", "Paris", "Île-de-France", "75002", "+33 1 45 55", "EMEA", "Français", True),
    Place("Spain", "Málaga", "Andalucía", "29001", "+34 952 555", "EMEA", "Español", True),
    Place("Poland", "Łódź", "Łódzkie", "90-001", "+48 42 555", "EMEA", "Polski", True),
    Place("Poland", "Kraków", "Małopolskie", "31-001", "+48 12 555", "EMEA", "Polski", True),
    Place("Denmark", "København", "Hovedstaden", "1050", "+45 33 55", "EMEA", "Dansk", True),
    Place("Sweden", "Göteborg", "Västra Götaland", "411 01", "+46 31 555", "EMEA", "Svenska", True),
    Place("Greece", "Αθήνα", "Αττική", "105 57", "+30 21 0555", "EMEA", "Ελληνικά", True),
    Place(
        "United Kingdom",
        "London",
        "Greater London",
        "EC1A 1BB",
        "+44 20 7946",
        "EMEA",
        "English",
        False,
    ),
    Place("Japan", "東京", "東京都", "100-0001", "+81 3 5555", "APAC", "日本語", False),
    Place("Japan", "大阪", "大阪府", "530-0001", "+81 6 5555", "APAC", "日本語", False),
    Place("Vietnam", "Hà Nội", "Hà Nội", "100000", "+84 24 555", "APAC", "Tiếng Việt", False),
    Place("Brazil", "São Paulo", "SP", "01310-100", "+55 11 5555", "LATAM", "Português", False),
]

# (display, romanised for e-mail addresses)
FIRST_NAMES = [
    ("Zoë", "zoe"),
    ("José", "jose"),
    ("Łukasz", "lukasz"),
    ("Søren", "soren"),
    ("Ngọc", "ngoc"),
    ("Ἀθηνᾶ", "athina"),
    ("François", "francois"),
    ("Björn", "bjorn"),
    ("Małgorzata", "malgorzata"),
    ("Siobhán", "siobhan"),
    ("Chloé", "chloe"),
    ("Jürgen", "jurgen"),
    ("Ólafur", "olafur"),
    ("Anaïs", "anais"),
    ("João", "joao"),
    ("Noémie", "noemie"),
    ("Иван", "ivan"),
    ("太郎", "taro"),
    ("さくら", "sakura"),
    ("Dvořák", "dvorak"),
    ("Emma", "emma"),
    ("Liam", "liam"),
    ("Olivia", "olivia"),
    ("Noah", "noah"),
    ("Aiko", "aiko"),
    ("Priya", "priya"),
    ("Chidi", "chidi"),
    ("Fatima", "fatima"),
    ("Mateo", "mateo"),
    ("Ingrid", "ingrid"),
    ("Agnieszka", "agnieszka"),
    ("Renée", "renee"),
    ("Hélène", "helene"),
    ("Åsa", "asa"),
    ("Mārtiņš", "martins"),
    ("Þóra", "thora"),
    ("Sean", "sean"),
    ("Grace", "grace"),
    ("Lucas", "lucas"),
    ("Mia", "mia"),
]
LAST_NAMES = [
    ("Müller", "muller"),
    ("山田", "yamada"),
    ("García", "garcia"),
    ("Nowak", "nowak"),
    ("Jørgensen", "jorgensen"),
    ("Nguyễn", "nguyen"),
    ("Παπαδοπούλου", "papadopoulou"),
    ("O'Brien", "obrien"),
    ("Dubois", "dubois"),
    ("Lefèvre", "lefevre"),
    ("Sánchez", "sanchez"),
    ("Öztürk", "ozturk"),
    ("Wiśniewski", "wisniewski"),
    ("Åberg", "aberg"),
    ("Schröder", "schroder"),
    ("佐藤", "sato"),
    ("Иванова", "ivanova"),
    ("Smith", "smith"),
    ("Johnson", "johnson"),
    ("Brown", "brown"),
    ("Silva", "silva"),
    ("Kim", "kim"),
    ("Patel", "patel"),
    ("Okafor", "okafor"),
    ("van der Berg", "vanderberg"),
    ("Þórsdóttir", "thorsdottir"),
    ("Ferreira", "ferreira"),
    ("Kowalczyk", "kowalczyk"),
    ("Lindqvist", "lindqvist"),
    ("Rossi", "rossi"),
    ("Tanaka", "tanaka"),
    ("Hernández", "hernandez"),
    ("Çelik", "celik"),
    ("Novák", "novak"),
    ("Ng", "ng"),
]
SALUTATIONS = ["Mr.", "Ms.", "Dr.", "Mx.", "Prof."]
TITLES = [
    "Marketing Manager",
    "VP Marketing",
    "Chief Marketing Officer",
    "Demand Generation Specialist",
    "Marketing Operations Analyst",
    "Sales Director",
    "Software Engineer",
    "Data Engineer",
    "Directrice Marketing",
    "Leiter Vertrieb",
    "Kierownik ds. marketingu",
    "マーケティング部長",
    "Head of CRM",
    "Account Executive",
    "IT Manager",
]
JOB_ROLES = ["Executive", "Manager", "Individual Contributor", "Consultant", "Other"]
INDUSTRIES = [
    "Software",
    "Manufacturing",
    "Financial Services",
    "Healthcare",
    "Education",
    "Retail",
    "Logistics",
    "Energy",
    "Media",
    "Public Sector",
]
LEAD_SOURCES = [
    "Web",
    "Trade Show",
    "Webinar",
    "Partner Referral",
    "Paid Search",
    "Social Media",
    "Purchased List",
]
LEAD_STATUSES = ["Open", "Contacted", "Qualified", "Unqualified", "Nurture"]
FUNNEL_STAGES = [
    "Inquiry",
    "Marketing Qualified Lead",
    "Sales Accepted Lead",
    "Sales Qualified Lead",
    "Won",
]
PRODUCTS = ["Analytics", "Integrations", "Mobile", "Security", "Data Cloud"]
COMPANY_SIZES = ["1-50", "51-200", "201-1000", "1001-5000", "5000+"]
REVENUE_BANDS = ["< $1M", "$1M-$10M", "$10M-$50M", "$50M-$250M", "$250M-$1B", "> $1B"]
SALESPEOPLE = ["Anna Kowalska", "José Martínez", "Kenji Yamada", "Claire Dubois", "Ravi Patel"]
TERRITORIES = [
    "NA-East",
    "NA-West",
    "DACH",
    "Nordics",
    "France",
    "Iberia",
    "CEE",
    "Japan",
    "SEA",
    "Brazil",
]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net"]

COMPANY_STEMS = [
    "Müller & Söhne",
    "Société Générale d'Exemple",
    "株式会社サンプル商事",
    "Łódź Logistics",
    "Øresund Data",
    "Acme",
    "Globex",
    "Initech",
    "Umbrella Analytics",
    "Hooli",
    "Vandelay Industries",
    "Stark Solutions",
    "Wayne Logistics",
    "Ñandú Software",
    "Grünwald Energie",
    "Café Crème Médias",
    "Αθηνά Τεχνολογίες",
    "Saigon Phở Group",
    "São Bento Varejo",
    "Nordlys Shipping",
    "Blåbær Foods",
    "Kraków Devices",
    "Zürich Capital",
    "Tokyo Widgets",
    "Pied Piper",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Aperture Labs",
    "Wonka Foods",
]
COMPANY_SUFFIXES = {
    "Germany": "GmbH",
    "France": "SA",
    "Spain": "S.L.",
    "Poland": "Sp. z o.o.",
    "Denmark": "ApS",
    "Sweden": "AB",
    "Greece": "Α.Ε.",
    "United Kingdom": "Ltd",
    "Japan": "",
    "Vietnam": "JSC",
    "Brazil": "Ltda.",
    "United States": "Inc.",
    "Canada": "Inc.",
}
ACCOUNT_TYPES = ["Customer", "Prospect", "Partner", "Competitor", "Reseller"]
COMPANY_CATEGORIES = ["Enterprise", "Mid-Market", "SMB"]

CAMPAIGNS = [
    (101, "Q1 2025 Newsletter Program", "Email", "Analytics", "NA"),
    (102, "Spring Webinar Series – Data Cloud", "Webinar", "Data Cloud", "EMEA"),
    (103, "Salon Lyon 2025 – Événement", "Trade Show", "Integrations", "EMEA"),
    (104, "東京 Customer Summit 2026", "Event", "Security", "APAC"),
    (105, "Always-on Nurture", "Nurture", "Mobile", "NA"),
    (106, "Black Friday SMS Blast", "SMS", "Mobile", "LATAM"),
]
EMAILS = [  # (asset id, name, subject line)
    (2101, "Newsletter January 2025", "Your January update is here"),
    (2102, "Webinar Invite – Data Cloud", "Join us: Data Cloud deep-dive 📊"),
    (2103, "Webinar Reminder", "Starting soon: your webinar link"),
    (2104, "Newsletter – Édition de mars", "Les nouveautés de mars"),
    (2105, "Event Invite Tokyo", "東京サミットへのご招待"),
    (2106, "Nurture Step 1", "Five ways to clean your data"),
    (2107, "Nurture Step 2", "Grüße aus München – case study inside"),
    (2108, "Black Friday Teaser", "Black Friday starts now ⚡"),
]
FORMS = [
    (3101, "Webinar Registration Form"),
    (3102, "Contact Us – Kontakt"),
    (3103, "Whitepaper Download"),
    (3104, "お問い合わせフォーム"),
]
SMS_ASSETS = [
    (4101, "Summit reminder SMS"),
    (4102, "Black Friday SMS"),
    (4103, "Appointment confirmation SMS"),
]
SMS_CODES = ["72345", "88001", "+15125550142"]
PAGES = [
    "https://www.example.com/",
    "https://www.example.com/pricing",
    "https://www.example.com/produkte/analytics",
    "https://www.example.com/blog/ñandú-release",
    "https://www.example.com/events/tokyo-2026",
    "https://www.example.com/contact",
    "https://www.example.com/fr/évènements",
    "https://www.example.com/docs/api",
]
REFERRERS = [
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://www.linkedin.com/",
    "",
    "https://duckduckgo.com/",
    "https://news.example.org/article/42",
]
SMTP_ERRORS = [
    ("550", "5.1.1", "550 5.1.1 <{email}>: Recipient address rejected: User unknown"),
    ("552", "5.2.2", "552 5.2.2 Mailbox full"),
    ("421", "4.7.0", "421 4.7.0 Try again later, closing connection"),
    ("554", "5.7.1", "554 5.7.1 Message rejected as spam"),
]
MEMBER_STATUSES = ["Sent", "Opened", "Clicked", "Responded", "Registered", "Attended", "No Show"]


# --------------------------------------------------------------------------- #
# 8a. accounts
# --------------------------------------------------------------------------- #
def sfdc_id(prefix: str) -> str:
    return prefix + alnum(15)


def phone(place: Place) -> str:
    return f"{place.phone_prefix} {digits(4)}"


STREETS = {
    "United States": "{n} Main Street",
    "Canada": "{n} rue Sainte-Catherine",
    "Germany": "Hauptstraße {n}",
    "France": "{n} rue de la République",
    "Spain": "Calle Larios {n}",
    "Poland": "ul. Piotrkowska {n}",
    "Denmark": "Strøget {n}",
    "Sweden": "Kungsgatan {n}",
    "Greece": "Οδός Ερμού {n}",
    "United Kingdom": "{n} Aldersgate Street",
    "Japan": "丸の内1-{n}",
    "Vietnam": "{n} Phố Hàng Bạc",
    "Brazil": "Avenida Paulista, {n}",
}


def street_address(place: Place) -> str:
    return STREETS[place.country].format(n=rng.randint(1, 250))


def make_accounts(n: int = 60) -> list[Json]:
    accounts = []
    used: set[str] = set()
    for account_id in range(1, n + 1):
        place = rng.choice(PLACES)
        stem = COMPANY_STEMS[(account_id - 1) % len(COMPANY_STEMS)]
        suffix = COMPANY_SUFFIXES.get(place.country, "")
        name = f"{stem} {suffix}".strip()
        if name in used:
            name = f"{stem} {place.city} {suffix}".strip()
        used.add(name)
        created = rand_dt(utc(2022, 6, 1), utc(2025, 12, 31))
        updated = later(created, utc(2026, 11, 10))
        slug = ascii_slug(stem) or f"company{account_id}"
        fields: Json = {
            "CompanyIDExt": f"AXMPL{account_id:012d}",
            "M_CompanyName": name,
            "M_Address1": street_address(place),
            "M_City": place.city,
            "M_State_Prov": place.state,
            "M_Zip_Postal": place.zip_code,
            "M_Country": place.country,
            "M_BusPhone": phone(place),
            "M_DateCreated": field_date(created),
            "M_DateModified": field_date(updated),
            "M_SFDCAccountID": sfdc_id("001"),
            "M_elqCompanyCategory": rng.choice(COMPANY_CATEGORIES),
            "M_Industry1": rng.choice(INDUSTRIES),
            "M_Annual_Revenue1": rng.choice(REVENUE_BANDS),
            "M_Employees1": str(rng.choice([12, 45, 180, 420, 950, 2300, 7800, 15000])),
            "M_Wesbsite1": f"https://www.{slug}.example.com",
            "M_Account_Type1": rng.choice(ACCOUNT_TYPES),
            "M_Customer_Tier1": rng.choice(["Standard", "Gold", "Platinum"]),
            "M_Key_Account1": rng.choice(["true", "false", "false"]),
        }
        if rng.random() < 0.3:
            fields["M_Address2"] = rng.choice(["Suite 400", "2. OG", "Bâtiment B", "Piętro 3"])
        if rng.random() < 0.2:
            fields["M_Fax1"] = phone(place)
        if rng.random() < 0.15:
            fields["M_MSCRMAccountID"] = guid()
        assert set(fields) <= ACCOUNT_FIELD_NAMES
        accounts.append(
            {
                "id": account_id,
                "createdAt": ts(created),
                "updatedAt": ts(updated),
                "fields": dict(sorted(fields.items(), key=lambda kv: _account_order(kv[0]))),
                "_place": place,  # internal, stripped before writing
            }
        )
    return accounts


_ACCOUNT_ORDER = {spec.internal: i for i, (_, spec) in enumerate(ACCOUNT_FIELDS)}
_CONTACT_ORDER = {spec.internal: i for i, (_, spec) in enumerate(CONTACT_FIELDS)}


def _account_order(name: str) -> int:
    return _ACCOUNT_ORDER[name]


# --------------------------------------------------------------------------- #
# 8b. contacts
# --------------------------------------------------------------------------- #
def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unique_email(first_rom: str, last_rom: str, used: set[str]) -> str:
    pattern = rng.choice(["{f}.{l}", "{f}{l}", "{f0}{l}", "{f}_{l}", "{l}.{f}"])
    local = pattern.format(f=first_rom, l=last_rom, f0=first_rom[0])
    domain = rng.choice(EMAIL_DOMAINS)
    email = f"{local}@{domain}"
    n = 2
    while email in used:
        email = f"{local}{n}@{domain}"
        n += 1
    used.add(email)
    return email


def contact_record(contact_id: int, accounts: list[Json], used_emails: set[str]) -> Json:
    first, first_rom = rng.choice(FIRST_NAMES)
    last, last_rom = rng.choice(LAST_NAMES)
    email = unique_email(first_rom, last_rom, used_emails)
    created = rand_dt(utc(2023, 1, 1), utc(2026, 9, 30))
    updated = later(created, utc(2026, 11, 15))

    account = rng.choice(accounts) if rng.random() < 0.82 else None
    place: Place = account["_place"] if account else rng.choice(PLACES)

    fields: Json = {
        "C_EmailAddress": email,
        "C_FirstName": first,
        "C_LastName": last,
        "C_EmailDisplayName": f"{first} {last}",
        "C_FirstAndLastName": f"{first} {last}",
        "C_EmailAddressDomain": email.split("@", 1)[1],
        "C_MD5HashedEmailAddress": md5(email),
        "C_SHA256HashedEmailAddress": sha256(email),
        "C_DateCreated": field_date(created),
        "C_DateModified": field_date(updated),
        "ContactIDExt": f"CXMPL{contact_id:012d}",
        "C_City": place.city,
        "C_State_Prov": place.state,
        "C_Zip_Postal": place.zip_code,
        "C_Country": place.country,
        "C_Region1": place.region,
        "C_Territory": rng.choice(TERRITORIES),
        "C_Title": rng.choice(TITLES),
        "C_Salutation": rng.choice(SALUTATIONS),
        "C_Job_Role1": rng.choice(JOB_ROLES),
        "C_Lead_Source___Original1": rng.choice(LEAD_SOURCES),
        "C_Lead_Source___Most_Recent1": rng.choice(LEAD_SOURCES),
        "C_Lead_Status1": rng.choice(LEAD_STATUSES),
        "C_Integrated_Marketing_and_Sales_Funnel_Stage": rng.choice(FUNNEL_STAGES),
        "C_Lead_Rating___Combined1": f"{rng.choice('ABCD')}{rng.randint(1, 4)}",
        "C_Lead_Rating___Explicit1": rng.choice("ABCD"),
        "C_Lead_Rating___Implicit1": str(rng.randint(1, 4)),
        "C_Lead_Score___Explicit1": str(rng.randint(0, 100)),
        "C_Lead_Score___Implicit1": str(rng.randint(0, 100)),
        "C_Lead_Score": str(rng.randint(0, 100)),
        "C_Preferred_Language1": place.language,
        "C_Product_Interest1": rng.choice(PRODUCTS),
        "C_Product_Solution_of_Interest1": rng.choice(PRODUCTS),
        "C_Webinars_Attended1": str(rng.choice([0, 0, 0, 1, 1, 2, 3, 5])),
        "C_Marketing_Opt_In1": rng.choice(["Yes", "Yes", "No"]),
        "C_Salesperson": rng.choice(SALESPEOPLE),
        "C_SFDC_EmailOptOut1": rng.choice(["false", "false", "false", "true"]),
    }
    if account:
        af = account["fields"]
        fields |= {
            "C_Company": af["M_CompanyName"],
            "C_Address1": af["M_Address1"],
            "C_Industry1": af["M_Industry1"],
            "C_Annual_Revenue1": af["M_Annual_Revenue1"],
            "C_Company_Revenue1": af["M_Annual_Revenue1"],
            "C_Employees1": af["M_Employees1"],
            "C_Company_Size1": _size_band(int(af["M_Employees1"])),
            "C_SFDCAccountID": af["M_SFDCAccountID"],
        }
        if "M_Address2" in af:
            fields["C_Address2"] = af["M_Address2"]
    if rng.random() < 0.85:
        bus = phone(place)
        fields |= {
            "C_BusPhone": bus,
            "C_MD5HashedBusPhone": md5(bus),
            "C_SHA256HashedBusPhone": sha256(bus),
        }
    if rng.random() < 0.6:
        mobile = phone(place)
        fields |= {
            "C_MobilePhone": mobile,
            "C_MD5HashedMobilePhone": md5(mobile),
            "C_SHA256HashedMobilePhone": sha256(mobile),
        }
    if rng.random() < 0.05:
        fields["C_Fax"] = phone(place)
    if rng.random() < 0.5:
        fields["C_SFDCContactID"] = sfdc_id("003")
        fields["C_LastModifiedByExtIntegrateSystem"] = field_date(later(created, updated))
    else:
        fields["C_SFDCLeadID"] = sfdc_id("00Q")
    if rng.random() < 0.3:
        fields["C_SFDCLastCampaignID"] = sfdc_id("701")
        fields["C_SFDCLastCampaignStatus"] = rng.choice(
            ["Sent", "Responded", "Registered", "Attended"]
        )
    if rng.random() < 0.1:
        fields["C_MSCRMContactID"] = guid()
    if rng.random() < 0.05:
        fields["C_MSCRMLeadID"] = guid()
    if rng.random() < 0.05:
        fields["C_MSCRMAccountID"] = guid()
    if rng.random() < 0.7:
        fields["C_Lead_Score_Date___Most_Recent1"] = field_date(later(created, updated))
        fields["C_Lead_Score_Date___Profile___Most_Recent1"] = field_date(later(created, updated))
    if rng.random() < 0.25:
        fields["C_Lead_Score___Last_High_Touch_Event_Date1"] = field_date(later(created, updated))
        fields["C_LS___High_Value_Website_Content1"] = str(rng.randint(1, 25))
    if rng.random() < 0.2:
        purl = f"{ascii_slug(first_rom)}{ascii_slug(last_rom)}{contact_id}"
        fields["C_ElqPURLName"] = purl
        fields["C_elqPURLName1"] = purl
    if place.eu and rng.random() < 0.8:
        fields["C_GDPR_Consent_Date1"] = field_date(later(created, updated))
    # a few contacts have sparse records (empty fields are omitted, never "")
    if rng.random() < 0.06:
        for key in ("C_Title", "C_Salutation", "C_Job_Role1", "C_Lead_Status1", "C_Territory"):
            fields.pop(key, None)
    if rng.random() < 0.03:
        fields.pop("C_FirstName")
        fields["C_EmailDisplayName"] = last
        fields["C_FirstAndLastName"] = last

    assert set(fields) <= CONTACT_FIELD_NAMES, set(fields) - CONTACT_FIELD_NAMES
    is_bounced = rng.random() < 0.07
    return {
        "id": contact_id,
        "createdAt": ts(created),
        "updatedAt": ts(updated),
        "accountId": account["id"] if account else None,
        "isSubscribed": (not is_bounced) and rng.random() < 0.85,
        "isBounced": is_bounced,
        "emailFormat": pick_weighted([("HTML", 8), ("Plain text", 2)]),
        "fields": dict(sorted(fields.items(), key=lambda kv: _CONTACT_ORDER[kv[0]])),
        "_created": created,  # internal, stripped before writing
    }


def _size_band(employees: int) -> str:
    for limit, band in ((50, "1-50"), (200, "51-200"), (1000, "201-1000"), (5000, "1001-5000")):
        if employees <= limit:
            return band
    return "5000+"


def make_contacts(accounts: list[Json], n: int = 300) -> list[Json]:
    used: set[str] = set()
    return [contact_record(cid, accounts, used) for cid in range(1, n + 1)]


# --------------------------------------------------------------------------- #
# 8c. campaigns (records backing campaignId references and Campaign.Field values)
# --------------------------------------------------------------------------- #
def make_campaigns() -> list[Json]:
    out = []
    for cid, name, ctype, product, region in CAMPAIGNS:
        created = rand_dt(utc(2022, 9, 1), utc(2022, 12, 31))  # before the first contact/activity
        start = later(created, utc(2026, 6, 30))
        end = start + timedelta(days=rng.randint(14, 180))
        budget = rng.choice([5000, 12000, 25000, 40000, 75000])
        fields = {
            "CampaignName": name,
            "CRMCampaignId": sfdc_id("701"),
            "CampaignType": ctype,
            "Product": product,
            "Region": region,
            "BudgetedCost": str(budget),
            "ActualCost": str(round(budget * rng.uniform(0.6, 1.1), 2)),
            "StartDate": field_date(start),
            "EndDate": field_date(end),
        }
        out.append(
            {
                "id": cid,
                "createdAt": ts(created),
                "updatedAt": ts(later(created, utc(2026, 11, 1))),
                "fields": fields,
            }
        )
    return out


# --------------------------------------------------------------------------- #
# 8d. activities
# --------------------------------------------------------------------------- #
ACTIVITY_COUNTS = {
    "EmailSend": 95,
    "EmailOpen": 85,
    "EmailClickthrough": 55,
    "Subscribe": 22,
    "Unsubscribe": 22,
    "Bounceback": 24,
    "WebVisit": 60,
    "PageView": 92,
    "FormSubmit": 45,
    "SmsSend": 45,
    "SmsReply": 25,
    "SmsClickthrough": 30,
}
EXTERNAL_ID_CODES = {
    "EmailSend": "ES",
    "EmailOpen": "EO",
    "EmailClickthrough": "EC",
    "Subscribe": "SU",
    "Unsubscribe": "UN",
    "Bounceback": "BB",
    "WebVisit": "WV",
    "PageView": "PV",
    "FormSubmit": "FS",
    "SmsSend": "SS",
    "SmsReply": "SR",
    "SmsClickthrough": "SC",
}
ACTIVITY_END = utc(2026, 11, 20)


def visitor_of(contact: Json) -> tuple[int, str]:
    return 500000 + contact[
        "id"
    ], f"{contact['id']:08x}-{md5(contact['fields']['C_EmailAddress'])[:24]}"


def ip_address() -> str:
    return rng.choice(
        [
            f"203.0.113.{rng.randint(1, 254)}",
            f"198.51.100.{rng.randint(1, 254)}",
            f"192.0.2.{rng.randint(1, 254)}",
            f"2001:db8::{rng.randint(1, 0xFFFF):x}",
        ]
    )


def email_activity_fields(
    kind: str, contact: Json, email_asset: tuple[int, str, str], deployment: int
) -> Json:
    asset_id, _asset_name, subject = email_asset
    fields: Json = {"EmailAddress": contact["fields"]["C_EmailAddress"], "EmailRecipientId": guid()}
    if kind in ("EmailOpen", "EmailClickthrough", "EmailSend"):
        fields |= {
            "SubjectLine": subject,
            "EmailWebLink": f"https://s1234.t.example.com/e/es?s=1234&e={asset_id}&elqTrackId={hex_id(32)}",
            "DeploymentId": str(deployment),
            "EmailSendType": rng.choice(["Campaign", "Campaign", "Batch", "QuickSend"]),
        }
    if kind in ("EmailOpen", "EmailClickthrough"):
        fields["IpAddress"] = ip_address()
        fields["VisitorExternalId"] = visitor_of(contact)[1]
    if kind == "EmailClickthrough":
        fields["EmailClickedThruLink"] = rng.choice(PAGES) + f"?elqTrackId={hex_id(16)}"
    if kind == "Bounceback":
        code, status, message = rng.choice(SMTP_ERRORS)
        fields |= {
            "DeploymentId": str(deployment),
            "SmtpErrorCode": code,
            "SmtpStatusCode": status,
            "SmtpMessage": message.format(email=contact["fields"]["C_EmailAddress"]),
        }
    return fields


def activity_record(kind: str, contact: Json, when: datetime) -> Json:
    """One activity; ids are assigned later, after sorting by date."""
    campaign_id: int | None = rng.choice(CAMPAIGNS)[0] if rng.random() < 0.75 else None
    visitor_id: int | None = None
    asset: tuple[str | None, str | None, int | None] = (None, None, None)
    fields: Json

    if kind in (
        "EmailSend",
        "EmailOpen",
        "EmailClickthrough",
        "Subscribe",
        "Unsubscribe",
        "Bounceback",
    ):
        email_asset = rng.choice(EMAILS)
        asset = ("Email", email_asset[1], email_asset[0])
        fields = email_activity_fields(
            kind, contact, email_asset, 7000 + email_asset[0] % 100 * 10 + rng.randint(0, 9)
        )
        if kind in ("EmailOpen", "EmailClickthrough"):
            visitor_id = visitor_of(contact)[0]
    elif kind == "WebVisit":
        visitor_id, visitor_ext = visitor_of(contact)
        campaign_id = None
        pages = rng.randint(1, 12)
        fields = {
            "VisitorExternalId": visitor_ext,
            "ReferrerUrl": rng.choice(REFERRERS),
            "IpAddress": ip_address(),
            "NumberOfPages": str(pages),
            "FirstPageViewUrl": rng.choice(PAGES),
            "Duration": str(pages * rng.randint(15, 240)),
            "WebVisitSavedId": str(rng.randint(10_000_000, 99_999_999)),
        }
    elif kind == "PageView":
        visitor_id, visitor_ext = visitor_of(contact)
        fields = {
            "VisitorExternalId": visitor_ext,
            "WebVisitId": str(rng.randint(800_000, 899_999)),
            "Url": rng.choice(PAGES),
            "ReferrerUrl": rng.choice(REFERRERS),
            "IpAddress": ip_address(),
            "IsWebTrackingOptedIn": rng.choice(["true", "true", "false"]),
            "PageViewSavedId": str(rng.randint(10_000_000, 99_999_999)),
        }
    elif kind == "FormSubmit":
        visitor_id, visitor_ext = visitor_of(contact)
        form_id, form_name = rng.choice(FORMS)
        asset = ("Form", form_name, form_id)
        cf = contact["fields"]
        raw = {
            "elqFormName": ascii_slug(form_name) or f"form{form_id}",
            "elqSiteID": "1234",
            "emailAddress": cf["C_EmailAddress"],
            "firstName": cf.get("C_FirstName", ""),
            "lastName": cf["C_LastName"],
            "company": cf.get("C_Company", ""),
        }
        fields = {"VisitorExternalId": visitor_ext, "RawData": urllib.parse.urlencode(raw)}
    else:  # SMS
        sms_id, sms_name = rng.choice(SMS_ASSETS)
        asset = ("SMS", sms_name, sms_id)
        number = contact["fields"].get("C_MobilePhone") or phone(rng.choice(PLACES))
        fields = {"PhoneNumber": number, "SmsCode": rng.choice(SMS_CODES)}
        if kind == "SmsSend":
            fields |= {
                "SmsMessage": f"{sms_name}: details at https://exmpl.co/{alnum(6)} Reply STOP to opt out",
                "SmsDeploymentId": str(rng.randint(9000, 9999)),
            }
        elif kind == "SmsReply":
            keyword = rng.choice(["YES", "STOP", "INFO", "OUI", "JA"])
            fields |= {
                "SmsMessage": keyword if rng.random() < 0.7 else f"{keyword} merci 🙏",
                "Keyword": keyword,
            }
        else:
            fields |= {
                "SmsClickedThruLink": f"https://exmpl.co/{alnum(6)}",
                "SmsDeploymentId": str(rng.randint(9000, 9999)),
            }

    if (
        kind in ("EmailOpen", "EmailClickthrough", "EmailSend", "PageView", "FormSubmit")
        and campaign_id
        and rng.random() < 0.2
    ):
        fields["CampaignResponseDate"] = field_date(later(when, ACTIVITY_END))
        fields["CampaignResponseMemberStatus"] = rng.choice(MEMBER_STATUSES)

    allowed = set(ACTIVITY_TYPE_FIELDS[kind]) - ACTIVITY_TOP_LEVEL
    assert set(fields) <= allowed, (kind, set(fields) - allowed)
    order = ACTIVITY_TYPE_FIELDS[kind]
    return {
        "type": kind,
        "_when": when,
        "contactId": contact["id"],
        "visitorId": visitor_id,
        "externalId": None,
        "assetType": asset[0],
        "assetName": asset[1],
        "assetId": asset[2],
        "campaignId": campaign_id,
        "fields": dict(sorted(fields.items(), key=lambda kv: order.index(kv[0]))),
    }


def pick_contact_for(kind: str, contacts: list[Json]) -> Json:
    if kind == "Bounceback":
        pool = [c for c in contacts if c["isBounced"]]
    elif kind == "Unsubscribe":
        pool = [c for c in contacts if not c["isSubscribed"] and not c["isBounced"]]
    elif kind == "Subscribe":
        pool = [c for c in contacts if c["isSubscribed"]]
    else:
        pool = contacts
    return rng.choice(pool)


def make_activities(contacts: list[Json]) -> list[Json]:
    drafts = []
    for kind in ACTIVITY_TYPES:
        for _ in range(ACTIVITY_COUNTS[kind]):
            contact = pick_contact_for(kind, contacts)
            when = later(contact["_created"], ACTIVITY_END)
            drafts.append(activity_record(kind, contact, when))
    drafts.sort(key=lambda a: (a["_when"], a["type"], a["contactId"]))
    out = []
    for activity_id, draft in enumerate(drafts, start=1):
        external = (
            f"{EXTERNAL_ID_CODES[draft['type']]}{activity_id:010d}" if rng.random() < 0.6 else None
        )
        out.append(
            {
                "id": activity_id,
                "type": draft["type"],
                "createdAt": ts(draft["_when"]),
                "contactId": draft["contactId"],
                "visitorId": draft["visitorId"],
                "externalId": external,
                "assetType": draft["assetType"],
                "assetName": draft["assetName"],
                "assetId": draft["assetId"],
                "campaignId": draft["campaignId"],
                "fields": draft["fields"],
            }
        )
    return out


# --------------------------------------------------------------------------- #
# 8e. campaign responses
# --------------------------------------------------------------------------- #
def make_campaign_responses(contacts: list[Json], n: int = 50) -> list[Json]:
    drafts = []
    for _ in range(n):
        contact = rng.choice(contacts)
        when = later(contact["_created"], ACTIVITY_END)
        fields: Json = {"MemberStatus": rng.choice(MEMBER_STATUSES)}
        if rng.random() < 0.6:
            fields["IntegrationReturnValue"] = sfdc_id("00v")
        drafts.append((when, rng.choice(CAMPAIGNS)[0], contact["id"], fields))
    drafts.sort(key=lambda d: (d[0], d[2]))
    return [
        {"id": i, "createdAt": ts(when), "campaignId": camp, "contactId": cid, "fields": fields}
        for i, (when, camp, cid, fields) in enumerate(drafts, start=1)
    ]


# --------------------------------------------------------------------------- #
# 4./5. custom objects and events
# --------------------------------------------------------------------------- #
@dataclass(frozen=True)
class CustomField:
    fid: int
    name: str
    data_type: str
    kind: str  # value generator key
    unique: bool = False
    not_null: bool = False


CDO_DEFS: list[tuple[int, str, list[CustomField]]] = [
    (
        9,
        "Webinar Registrations",
        [
            CustomField(103, "Registration ID", "string", "regid", unique=True, not_null=True),
            CustomField(104, "Email Address", "emailAddress", "email"),
            CustomField(105, "Webinar Name", "string", "webinar"),
            CustomField(106, "Registration Date", "date", "date"),
            CustomField(107, "Attended", "boolean", "bool"),
            CustomField(108, "Minutes Watched", "number", "minutes"),
            CustomField(109, "Intérêt principal", "string", "product"),
            CustomField(110, "参加者メモ", "string", "memo"),
        ],
    ),
    (
        12,
        "Purchases",
        [
            CustomField(120, "Order Number", "string", "order", unique=True, not_null=True),
            CustomField(121, "Email Address", "emailAddress", "email"),
            CustomField(122, "Product", "string", "product"),
            CustomField(123, "Amount", "number", "amount"),
            CustomField(124, "Currency", "string", "currency"),
            CustomField(125, "Purchase Date", "date", "date"),
            CustomField(126, "Gift Wrap", "boolean", "bool"),
            CustomField(127, "Adresse de livraison", "string", "address"),
        ],
    ),
    (
        15,
        "Support Tickets",
        [
            CustomField(150, "Ticket ID", "string", "ticket", unique=True, not_null=True),
            CustomField(151, "Email Address", "emailAddress", "email"),
            CustomField(152, "Subject", "string", "subject"),
            CustomField(153, "Priority", "string", "priority"),
            CustomField(154, "Opened At", "date", "date"),
            CustomField(155, "Resolved", "boolean", "bool"),
            CustomField(156, "Satisfaction Score", "number", "score"),
            CustomField(157, "Категория", "string", "category"),
        ],
    ),
]
EVENT_DEFS: list[tuple[int, str, list[CustomField]]] = [
    (
        3,
        "Customer Summit 2026 — Lisboa",
        [
            CustomField(301, "Email Address", "emailAddress", "email", unique=True, not_null=True),
            CustomField(302, "First Name", "string", "first"),
            CustomField(303, "Last Name", "string", "last"),
            CustomField(304, "Session", "string", "session"),
            CustomField(305, "Registered At", "date", "date"),
            CustomField(306, "Checked In", "boolean", "bool"),
            CustomField(307, "Guests", "number", "guests"),
            CustomField(308, "Ernährungswünsche", "string", "diet"),
        ],
    ),
    (
        4,
        "Partner Webinar Series",
        [
            CustomField(401, "Email Address", "emailAddress", "email", unique=True, not_null=True),
            CustomField(402, "First Name", "string", "first"),
            CustomField(403, "Last Name", "string", "last"),
            CustomField(404, "Webinar Date", "date", "date"),
            CustomField(405, "Attended", "boolean", "bool"),
            CustomField(406, "Questions Asked", "number", "guests"),
        ],
    ),
]

VALUE_POOLS: dict[str, list[str]] = {
    "webinar": [
        "Data Cloud Deep Dive",
        "Eloqua Tips & Tricks",
        "Sécurité des données 101",
        "Analytics für Einsteiger",
    ],
    "product": PRODUCTS,
    "memo": ["VIP", "初参加", "要フォロー", "Speaker", "Press"],
    "currency": ["USD", "EUR", "JPY", "PLN", "BRL", "DKK"],
    "address": [
        "12 Rue de la Paix, 75002 Paris",
        "Hauptstraße 5, 80331 München",
        "ul. Piotrkowska 10, 90-001 Łódź",
        "Strøget 1, 1050 København",
        "1-1 Marunouchi, 東京",
    ],
    "subject": [
        "Login fails after SSO change",
        "Export stuck in 'pending'",
        "Rechnung fehlt",
        "Problème d'import CSV",
        "Webhook timeouts",
        "ログインできません",
    ],
    "priority": ["Low", "Medium", "High", "Urgent"],
    "category": ["Биллинг", "Техническая поддержка", "Интеграции", "Другое"],
    "session": [
        "Keynote",
        "Roadmap 2027",
        "Hands-on Lab: Bulk API",
        "Painel: Marketing na América Latina",
    ],
    "diet": ["Vegetarisch", "Vegan", "Glutenfrei", "Halal", "Keine"],
}


def custom_value(
    cf: CustomField,
    contact: Json | None,
    email: str,
    record_no: int,
    parent: int,
    created: datetime,
) -> str | None:
    kind = cf.kind
    if kind == "email":
        return email
    if kind == "first":
        return contact["fields"].get("C_FirstName") if contact else rng.choice(FIRST_NAMES)[0]
    if kind == "last":
        return contact["fields"].get("C_LastName") if contact else rng.choice(LAST_NAMES)[0]
    if kind == "regid":
        return f"REG-{parent}-{record_no:05d}"
    if kind == "order":
        return f"SO-{2025 + record_no % 2}-{record_no:06d}"
    if kind == "ticket":
        return f"TCK-{record_no:05d}"
    if kind == "date":
        return field_date(created)
    if kind == "bool":
        return rng.choice(["true", "false"])
    if kind == "minutes":
        return str(rng.randint(0, 90))
    if kind == "amount":
        return f"{rng.randint(5, 2500)}.{rng.randint(0, 99):02d}"
    if kind == "score":
        return str(rng.randint(1, 5))
    if kind == "guests":
        return str(rng.randint(0, 3))
    return rng.choice(VALUE_POOLS[kind])


def container_object(
    prefix: str,
    parent_id: int,
    name: str,
    fields: list[CustomField],
    created: datetime,
    statement_entity: str,
) -> Json:
    field_items = []
    for cf in fields:
        spec = FieldSpec(
            cf.name, cf.name, cf.data_type, not_null=cf.not_null, unique=cf.unique, custom=True
        )
        item = field_item(
            spec,
            f"{{{{{statement_entity}[{parent_id}].Field[{cf.fid}]}}}}",
            f"/{prefix}/{parent_id}/fields/{cf.fid}",
            created=later(created, created + timedelta(days=30)),
        )
        item["internalName"] = _cdo_internal_name(cf.name)
        field_items.append(item)
    by_kind = {cf.kind: cf.fid for cf in fields}
    unique_fid = next(cf.fid for cf in fields if cf.unique)
    display_fid = next(
        (cf.fid for cf in fields if cf.kind not in ("email", "regid", "order", "ticket")),
        unique_fid,
    )
    obj: Json = {
        "name": name,
        "uri": f"/{prefix}/{parent_id}",
        "displayNameFieldUri": f"/{prefix}/{parent_id}/fields/{display_fid}",
        "emailAddressFieldUri": f"/{prefix}/{parent_id}/fields/{by_kind['email']}",
        "uniqueFieldUri": f"/{prefix}/{parent_id}/fields/{unique_fid}",
        **audit(created, later(created, utc(2026, 10, 31))),
        "_fields": field_items,
    }
    return obj


def _cdo_internal_name(display: str) -> str:
    """Eloqua derives CDO internal names from the display name (spaces -> '_', trailing '1')."""
    cleaned = "".join(c if c.isalnum() else "_" for c in display)
    return f"{cleaned}1"


def container_records(
    parent_id: int,
    fields: list[CustomField],
    contacts: list[Json],
    n: int,
    unique_per_contact: bool,
    ext_prefix: str,
) -> list[Json]:
    records: list[Json] = []
    linked_pool = rng.sample(contacts, k=len(contacts))
    used_emails: set[str] = set()
    for record_no in range(1, n + 1):
        contact = linked_pool[record_no - 1] if rng.random() < 0.85 else None
        if contact is not None:
            email = contact["fields"]["C_EmailAddress"]
            earliest = contact["_created"]
        else:
            first_rom = rng.choice(FIRST_NAMES)[1]
            email = f"{first_rom}.guest{parent_id}{record_no}@{rng.choice(EMAIL_DOMAINS)}"
            earliest = utc(2024, 1, 1)
        if unique_per_contact and email in used_emails:
            continue
        used_emails.add(email)
        created = later(earliest, utc(2026, 10, 31))
        updated = later(created, utc(2026, 11, 15))
        values = {}
        for cf in fields:
            value = custom_value(cf, contact, email, record_no, parent_id, created)
            if value is None or (
                not cf.not_null and cf.kind not in ("email",) and rng.random() < 0.05
            ):
                continue  # empty values are omitted
            values[str(cf.fid)] = value
        records.append(
            {
                "id": len(records) + 1,
                "externalId": f"{ext_prefix}-{record_no:05d}" if rng.random() < 0.7 else None,
                "contactId": contact["id"] if contact else None,
                "createdAt": ts(created),
                "updatedAt": ts(updated),
                "fields": values,
            }
        )
    return records


def make_custom_objects(contacts: list[Json]) -> tuple[list[Json], dict[int, list[Json]]]:
    objects, records = [], {}
    for parent_id, name, fields in CDO_DEFS:
        created = rand_dt(utc(2023, 3, 1), utc(2024, 12, 31))
        objects.append(
            container_object("customObjects", parent_id, name, fields, created, "CustomObject")
        )
        records[parent_id] = container_records(
            parent_id, fields, contacts, rng.randint(40, 80), False, f"CDO{parent_id}"
        )
    return objects, records


def make_events(contacts: list[Json]) -> tuple[list[Json], dict[int, list[Json]]]:
    objects, records = [], {}
    for parent_id, name, fields in EVENT_DEFS:
        created = rand_dt(utc(2025, 1, 1), utc(2026, 3, 31))
        objects.append(container_object("events", parent_id, name, fields, created, "Event"))
        records[parent_id] = container_records(
            parent_id, fields, contacts, rng.randint(45, 65), True, f"EVT{parent_id}"
        )
    return objects, records


# --------------------------------------------------------------------------- #
# 7. containers (lists, segments, filters, email groups, scoring models)
# --------------------------------------------------------------------------- #
def container(
    uri: str, statement: str, name: str, members: Iterable[int], executed: bool = False
) -> Json:
    ids = sorted(set(members))
    created = rand_dt(utc(2023, 1, 1), utc(2026, 6, 30))
    item: Json = {"name": name, "count": len(ids), "statement": statement, "uri": uri}
    item |= audit(created, later(created, utc(2026, 11, 10)))
    if executed:
        item["executedAt"] = ts(later(created, utc(2026, 11, 20)))
    item["_members"] = ids
    return item


def sample_ids(records: list[Json], fraction: float) -> list[int]:
    return [r["id"] for r in records if rng.random() < fraction]


def make_contact_lists(contacts: list[Json]) -> list[Json]:
    specs = [
        (
            12,
            "Newsletter Subscribers 2025",
            [c["id"] for c in contacts if c["isSubscribed"] and rng.random() < 0.6],
        ),
        (15, "Webinar Attendees – Data Cloud", sample_ids(contacts, 0.15)),
        (23, "Événements 2025 – Liste VIP", sample_ids(contacts, 0.05)),
        (31, "Imported Trade Show Leads (München)", sample_ids(contacts, 0.2)),
        (47, "Do Not Call", sample_ids(contacts, 0.03)),
        (58, "Empty Test List", []),
    ]
    return [
        container(f"/contacts/lists/{i}", f"{{{{ContactList[{i}]}}}}", n, m) for i, n, m in specs
    ]


def make_contact_filters(contacts: list[Json]) -> list[Json]:
    def where(pred: Callable[[Json], bool]) -> list[int]:
        return [c["id"] for c in contacts if pred(c)]

    specs = [
        (201, "Contacts in Germany", where(lambda c: c["fields"].get("C_Country") == "Germany")),
        (
            202,
            "Executives (Job Role)",
            where(lambda c: c["fields"].get("C_Job_Role1") == "Executive"),
        ),
        (203, "Created in 2025", where(lambda c: c["createdAt"].startswith("2025-"))),
    ]
    return [
        container(f"/contacts/filters/{i}", f"{{{{ContactFilter[{i}]}}}}", n, m, executed=True)
        for i, n, m in specs
    ]


def make_contact_segments(lists: list[Json], filters: list[Json]) -> list[Json]:
    by_uri = {item["uri"]: set(item["_members"]) for item in lists + filters}
    specs = [
        (3, "EMEA Nurture Segment", by_uri["/contacts/lists/31"] | by_uri["/contacts/filters/201"]),
        (
            7,
            "Executives minus Do-Not-Call",
            by_uri["/contacts/filters/202"] - by_uri["/contacts/lists/47"],
        ),
        (
            9,
            "2025 Newsletter Cohort",
            by_uri["/contacts/filters/203"] & by_uri["/contacts/lists/12"],
        ),
    ]
    return [
        container(f"/contacts/segments/{i}", f"{{{{ContactSegment[{i}]}}}}", n, m, executed=True)
        for i, n, m in specs
    ]


def make_account_lists(accounts: list[Json]) -> list[Json]:
    specs = [
        (
            301,
            "Key Accounts",
            [a["id"] for a in accounts if a["fields"]["M_Key_Account1"] == "true"],
        ),
        (
            302,
            "EMEA Target Accounts",
            [a["id"] for a in accounts if a["_place"].region == "EMEA" and rng.random() < 0.7],
        ),
        (
            303,
            "Partner-Liste Q3",
            [a["id"] for a in accounts if a["fields"]["M_Account_Type1"] == "Partner"],
        ),
    ]
    return [
        container(f"/accounts/lists/{i}", f"{{{{AccountList[{i}]}}}}", n, m) for i, n, m in specs
    ]


def make_email_groups(contacts: list[Json]) -> list[Json]:
    subscribed = [c for c in contacts if c["isSubscribed"]]
    specs = [
        (1, "Newsletter", 0.7),
        (2, "Product Updates", 0.4),
        (3, "Événements & Webinaires", 0.25),
        (4, "SMS Alerts (opt-in)", 0.1),
    ]
    groups = []
    for gid, name, fraction in specs:
        members = sorted(c["id"] for c in subscribed if rng.random() < fraction)
        created = rand_dt(utc(2022, 1, 1), utc(2025, 6, 30))
        item: Json = {
            "name": name,
            "statement": f"{{{{EmailGroup[{gid}]}}}}",
            "uri": f"/emailGroups/{gid}",
        }
        item |= audit(created, later(created, utc(2026, 10, 1)))
        item["_members"] = members
        groups.append(item)
    return groups


def make_scoring_models(contacts: list[Json]) -> list[Json]:
    models = []
    for model_id, name, status, coverage in (
        (1, "Default Lead Scoring Model", "Active", 1.0),
        (2, "Enterprise Model 2026 – Entwurf", "Draft", 0.0),
    ):
        created = rand_dt(utc(2023, 1, 1), utc(2026, 4, 30))
        who = rng.choice(USERS[:3])
        scores = {}
        for c in contacts:
            if rng.random() < coverage:
                profile, engagement = rng.randint(0, 100), rng.randint(0, 100)
                rating = f"{'DCBA'[min(profile // 25, 3)]}{4 - min(engagement // 25, 3)}"
                scores[str(c["id"])] = {
                    "Rating": rating,
                    "ProfileScore": str(profile),
                    "EngagementScore": str(engagement),
                }
        models.append(
            {
                "name": name,
                "status": status,
                "id": model_id,
                "fields": [
                    {
                        "name": "Rating",
                        "statement": f"{{{{Contact.LeadScore.Model[{model_id}].Rating}}}}",
                        "dataType": "string",
                    },
                    {
                        "name": "ProfileScore",
                        "statement": f"{{{{Contact.LeadScore.Model[{model_id}].ProfileScore}}}}",
                        "dataType": "number",
                    },
                    {
                        "name": "EngagementScore",
                        "statement": f"{{{{Contact.LeadScore.Model[{model_id}].EngagementScore}}}}",
                        "dataType": "number",
                    },
                ],
                "uri": f"/contacts/scoring/models/{model_id}",
                "createdBy": who,
                "updatedBy": who,
                "createdAt": ts(created),
                "updatedAt": ts(later(created, utc(2026, 10, 31))),
                "_scores": scores,
            }
        )
    return models


README = """\
# Fixtures — seed data for the Eloqua Bulk API 2.0 emulator

Generated by `scripts/make_fixtures.py` (deterministic: `random.Random(20261123)`, stdlib only).
**Do not edit by hand** — change the script and re-run `python scripts/make_fixtures.py`.

## Conventions

* `*.json` files are pretty-printed (indent 2, UTF-8, `ensure_ascii=False`); `*.jsonl` files hold one
  compact JSON object per line.
* Catalogue items (fields, lists, segments, filters, email groups, custom objects, events, scoring
  models) are written exactly as the API lists them (reference §15 key order). The resource id is the
  last segment of `uri`; there is no `id` key unless Oracle's resource has one (scoring models do).
* Keys starting with `_` are fixture metadata for the emulator and are never served:
  `_members` (member ids of a container), `_fields` (field items of a custom object / event),
  `_types` (campaign field `?type=` filter), `_scores` (lead-score values per contact id).
* Timestamps: ISO-8601 UTC, exactly seven fractional digits, `Z` (`2025-03-01T10:00:00.1234567Z`).
  Built-in fields carry `1900-01-01T05:00:00.0000000Z`; only user-created fields carry
  `createdBy`/`updatedBy`. `defaultValue` appears only when set.
* `dataType` is one of `string`, `date`, `number`, `emailAddress`, `boolean`.
* Record field values are always strings keyed by internal name (contacts/accounts/campaigns),
  field name (activities, campaign responses) or numeric field id (custom objects, events).
  Date values are `YYYY-MM-DD HH:MM:SS` (UTC); booleans `true`/`false`; empty values are omitted.
* Every cross reference (list members, `contactId`, `accountId`, `campaignId`, scoring ids)
  points to an existing record.

## Files

| file | content |
|---|---|
| `contacts/fields.json` | contact fields: standard Eloqua fields (real internal names, uris `/contacts/fields/1000NN`) plus 5 custom ones; statements `{{Contact.Field(<internalName>)}}` only |
| `accounts/fields.json` | account (company) fields; `M_CompanyName` is `/accounts/fields/100085` with `hasNotNullConstraint: true`; statements `{{Account.Field(<internalName>)}}` |
| `activities/fields.json` | one item per distinct activity field, with `activityTypes` (the `?activityType=` filter); statements per Oracle's "Activity fields" page |
| `campaignResponses/fields.json` | `{{CampaignResponse.Field(MemberStatus)}}`, `{{CampaignResponse.Field(IntegrationReturnValue)}}` |
| `opportunities/fields.json` | opportunity fields as Oracle's 18B notice lists them (`{{Opportunity.Id}}`, `{{Opportunity.CreatedAt}}`, `{{Opportunity.Field(Name)}}` …) plus the other fields of the opportunity import tutorial |
| `campaigns/fields.json` | campaign fields `{{Campaign.Field(<internalName>)}}` + `_types` ⊆ `sourceCampaign`, `activity`, `campaignResponse` |
| `customObjects/index.json` | custom object types as `GET /customObjects` lists them + `_fields` (uri `/customObjects/<id>/fields/<fid>`, statement `{{CustomObject[<id>].Field[<fid>]}}`) |
| `customObjects/<id>.jsonl` | CDO records `{"id","externalId","contactId","createdAt","updatedAt","fields":{"<fid>": "..."}}` |
| `events/index.json`, `events/<id>.jsonl` | events (uri `/events/<id>`, statements `{{Event[<id>].Field[<fid>]}}`) and their registrants, same shapes as CDOs |
| `contacts/lists.json`, `contacts/segments.json`, `contacts/filters.json` | containers with `name`, `count` (= `len(_members)`), `statement` (`{{ContactList[id]}}`, `{{ContactSegment[id]}}`, `{{ContactFilter[id]}}`), `uri`, audit fields, `executedAt` (segments, filters), `_members` (contact ids) |
| `accounts/lists.json` | account lists (`{{AccountList[id]}}`), `_members` = account ids |
| `emailGroups.json` | email groups (`/emailGroups/<id>`, `{{EmailGroup[id]}}`), `_members` = subscribed contact ids |
| `contacts/scoringModels.json` | lead-scoring models (`id`, `name`, `status`, `fields[]` with `{{Contact.LeadScore.Model[id].Rating|ProfileScore|EngagementScore}}`, `uri` `/contacts/scoring/models/<id>`, audit) + `_scores` |
| `contacts/records.jsonl` | 300 contacts `{"id","createdAt","updatedAt","accountId","isSubscribed","isBounced","emailFormat","fields":{...}}` (serve `{{Contact.Id}}`, `{{Contact.Email.IsSubscribed}}`, ... from the top-level keys) |
| `accounts/records.jsonl` | 60 accounts `{"id","createdAt","updatedAt","fields":{...}}`; a contact's `C_Company` equals its account's `M_CompanyName` |
| `campaigns/records.jsonl` | the 6 campaigns that `campaignId` refers to, `fields` keyed by campaign field internal name |
| `activities/records.jsonl` | 600 activities `{"id","type","createdAt","contactId","visitorId","externalId","assetType","assetName","assetId","campaignId","fields":{...}}`; `fields` holds the type's other fields by field name (incl. `VisitorExternalId`, `CampaignResponseDate`, ...). Asset keys are `null` for types without asset fields (WebVisit, PageView) |
| `campaignResponses/records.jsonl` | 50 responses `{"id","createdAt","campaignId","contactId","fields":{"MemberStatus", "IntegrationReturnValue"?}}` |

## Where the names come from

* Contact fields, ids and flags: a real `GET /contacts/fields` page recorded on a p04 pod
  (github.com/grouparoo/grouparoo, `plugins/@grouparoo/eloqua/__tests__/fixtures/export/destination-mapping-options.js`),
  Oracle's "Contact field definitions" page for display names.
* Account fields: pyeloqua test fixtures (`M_CompanyName` → `/accounts/fields/100085`, `M_Country` → 100088)
  and Adobe's Eloqua source-connector mapping (`M_Fax1`, `M_Wesbsite1` — Eloqua's own typo —, `M_Employees1`,
  `M_Annual_Revenue1`, `M_Industry1`, `M_Account_Type1`); other account uri ids are invented.
* Activity fields: Oracle "Activity fields" and "Activities export definitions" pages, pyeloqua `system_fields.py`.
* Scoring models: pyeloqua test fixtures; email groups, lists, filters, segments, custom objects: Oracle's swagger.
* **Inferred (no public source found):** the SMS activity field names (`PhoneNumber`, `SmsCode`, `SmsMessage`,
  `SmsDeploymentId`, `Keyword`, `SmsClickedThruLink`), which activity types carry the campaign-response
  fields, the campaign field list and its `{{Campaign.Field(...)}}` statements, display names of opportunity
  / campaign-response fields, custom-object field internal names, activity value formats (e.g. `EmailSendType`).
"""


# --------------------------------------------------------------------------- #
# writing
# --------------------------------------------------------------------------- #
def strip_internal(record: Json) -> Json:
    """Drop generator-only keys (e.g. '_place', '_created'); keep fixture metadata like '_members'."""
    return {k: v for k, v in record.items() if k not in ("_place", "_created", "_when")}


def write_json(rel: str, data: Any) -> None:
    path = FIXTURES / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_jsonl(rel: str, rows: Iterable[Json]) -> None:
    path = FIXTURES / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(strip_internal(r), ensure_ascii=False, separators=(",", ":")) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    global FIXTURES
    parser = argparse.ArgumentParser(description="(Re)write the emulator's seed fixtures.")
    parser.add_argument("--out", type=Path, default=FIXTURES, help="target directory")
    FIXTURES = parser.parse_args(argv).out
    # catalogues
    write_json("contacts/fields.json", contact_fields())
    write_json("accounts/fields.json", account_fields())
    write_json("activities/fields.json", activity_fields())
    write_json(
        "campaignResponses/fields.json",
        simple_fields("CampaignResponse", "campaignResponses", CAMPAIGN_RESPONSE_FIELDS),
    )
    write_json(
        "opportunities/fields.json",
        opportunity_fields(),
    )
    write_json("campaigns/fields.json", campaign_fields())

    # records
    accounts = make_accounts()
    contacts = make_contacts(accounts)
    write_jsonl("accounts/records.jsonl", accounts)
    write_jsonl("contacts/records.jsonl", contacts)
    write_jsonl("campaigns/records.jsonl", make_campaigns())
    write_jsonl("activities/records.jsonl", make_activities(contacts))
    write_jsonl("campaignResponses/records.jsonl", make_campaign_responses(contacts))

    cdos, cdo_records = make_custom_objects(contacts)
    write_json("customObjects/index.json", cdos)
    for parent_id, rows in cdo_records.items():
        write_jsonl(f"customObjects/{parent_id}.jsonl", rows)
    events, event_records = make_events(contacts)
    write_json("events/index.json", events)
    for parent_id, rows in event_records.items():
        write_jsonl(f"events/{parent_id}.jsonl", rows)

    # containers
    lists = make_contact_lists(contacts)
    filters = make_contact_filters(contacts)
    write_json("contacts/lists.json", lists)
    write_json("contacts/filters.json", filters)
    write_json("contacts/segments.json", make_contact_segments(lists, filters))
    write_json("accounts/lists.json", make_account_lists(accounts))
    write_json("emailGroups.json", make_email_groups(contacts))
    write_json("contacts/scoringModels.json", make_scoring_models(contacts))

    (FIXTURES / "README.md").write_text(README, encoding="utf-8")


if __name__ == "__main__":
    main()
