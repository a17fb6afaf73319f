"""What the isolation tests send: a minimal valid definition for every collection of the
spec, and rows to stage into it.

Site A defines one of each (its names carrying :data:`MARKER`); another site sends the
same bodies, without the marker, to its own collections and to site A's ids.
"""

from __future__ import annotations

from typing import Any

MARKER = "zq7sitea"  # in every name and value site A owns; never in another site's requests
SHARED_PARENTS = {"customObjects": 9, "events": 3}  # every site has them: definitions use them
GUID = "5e1ec7ed-0a1b-4c2d-8e9f-0a1b2c3d4e5f"  # site A's AppCloud action step on custom object 9
STEP = f"{{{{ActionInstance({GUID.replace('-', '')}).Execution[1]}}}}"

CONTACT_EMAIL = "{{Contact.Field(C_EmailAddress)}}"
CONTACT = {"email": CONTACT_EMAIL, "first": "{{Contact.Field(C_FirstName)}}"}
COMPANY = {"company": "{{Account.Field(M_CompanyName)}}"}
REGISTRATION = {"reg": "{{CustomObject[9].Field[103]}}", "name": "{{CustomObject[9].Field[105]}}"}
REGISTRANT = {"email": "{{Event[3].Field[301]}}", "first": "{{Event[3].Field[302]}}"}
RESPONSE = {"id": "{{CampaignResponse.Id}}", "status": "{{CampaignResponse.Field(MemberStatus)}}"}

# collection path template → a definition body without its name
BODIES: dict[str, dict[str, Any]] = {
    "/contacts/imports": {"fields": CONTACT, "identifierFieldName": "email"},
    "/contacts/exports": {"fields": CONTACT},
    "/contacts/syncActions": {
        "fields": {"email": CONTACT_EMAIL},
        "identifierFieldName": "email",
        "syncActions": [{"action": "add", "destination": "{{ContactList[58]}}"}],
    },
    "/accounts/imports": {"fields": COMPANY, "identifierFieldName": "company"},
    "/accounts/exports": {"fields": COMPANY},
    "/accounts/syncActions": {
        "fields": {"id": "{{Account.Id}}"},
        "identifierFieldName": "id",
        "syncActions": [{"action": "add", "destination": "{{AccountList[303]}}"}],
    },
    "/customObjects/{parentId}/imports": {"fields": REGISTRATION, "identifierFieldName": "reg"},
    "/customObjects/{parentId}/exports": {"fields": REGISTRATION},
    "/customObjects/{parentId}/syncActions": {
        "fields": {"ext": "{{CustomObject[9].ExternalId}}"},
        "identifierFieldName": "ext",
        "syncActions": [{"action": "setStatus", "destination": STEP, "status": "complete"}],
    },
    "/activities/imports": {
        "fields": {
            "email": "{{Activity.Contact.Field(C_EmailAddress)}}",
            "asset": "{{Activity.Asset.Name}}",
            "assetType": "{{Activity.Asset.Type}}",
            "type": "{{Activity.Type}}",
        }
    },
    "/activities/exports": {
        "fields": {"id": "{{Activity.Id}}", "type": "{{Activity.Type}}"},
        "filter": "'{{Activity.Type}}' = 'EmailOpen'",
        "maxRecords": 5,
    },
    "/events/{parentId}/imports": {"fields": REGISTRANT, "identifierFieldName": "email"},
    "/events/{parentId}/exports": {"fields": REGISTRANT},
    "/campaignResponses/imports": {"fields": RESPONSE, "identifierFieldName": "id"},
    "/campaignResponses/exports": {"fields": RESPONSE, "maxRecords": 5},
    "/opportunities/imports": {
        "fields": {
            "id": "{{Opportunity.Id}}",
            "name": "{{Opportunity.Field(Name)}}",
            "stage": "{{Opportunity.Field(Stage)}}",
            "amount": "{{Opportunity.Field(Amount)}}",
        },
        "identifierFieldName": "id",
    },
    "/opportunities/contacts/imports": {
        "fields": {
            "id": "{{Opportunity.Id}}",
            "email": "{{Opportunity.Contact.Field(C_EmailAddress)}}",
        },
        "linkOpportunitiesEntityType": "Contact",
        "linkOpportunitiesMatchFieldName": "email",
        "linkOpportunitiesSourceField": "email",
    },
    "/emailAddresses/imports": {
        "fields": {"email": "{{EmailAddress.Field(EmailAddress)}}"},
        "identifierFieldName": "email",
    },
}

ADDRESS = "{tag}.staged@example.com"
# collection path template → one row to stage, ``{tag}`` naming the site that stages it
ROWS: dict[str, dict[str, str]] = {
    "/contacts/imports": {"email": ADDRESS, "first": "{tag}"},
    "/contacts/syncActions": {"email": ADDRESS},
    "/accounts/imports": {"company": "{tag} Corp"},
    "/accounts/syncActions": {"id": "1"},
    "/customObjects/{parentId}/imports": {"reg": "{tag}-1", "name": "{tag}"},
    "/customObjects/{parentId}/syncActions": {"ext": "CDO9-00001"},
    "/activities/imports": {
        "email": ADDRESS,
        "asset": "{tag} booth",
        "assetType": "Tradeshow",
        "type": "Visited Booth",
    },
    "/events/{parentId}/imports": {"email": ADDRESS, "first": "{tag}"},
    "/campaignResponses/imports": {"id": "1", "status": "{tag}"},
    "/opportunities/imports": {
        "id": "{tag}-1",
        "name": "{tag}",
        "stage": "Prospecting",
        "amount": "1",
    },
    "/opportunities/contacts/imports": {"id": "{tag}-1", "email": ADDRESS},
    "/emailAddresses/imports": {"email": ADDRESS},
}


def rows(collection: str, tag: str) -> list[dict[str, str]]:
    return [{key: value.format(tag=tag) for key, value in ROWS[collection].items()}]


def definition_path(collection: str) -> str:
    """A collection template with the shared parent in it: ``/customObjects/9/imports``."""
    family = collection.split("/")[1]
    return collection.replace("{parentId}", str(SHARED_PARENTS.get(family, "")))
