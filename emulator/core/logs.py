"""Eloqua's sync log codes (reference §13.4) and the entries a sync writes.

Messages are Oracle's published texts with placeholders filled. ELQ-00101 reproduces what
a pod really returned: an empty sync id and a capitalised status ("Sync processed for sync ,
resulting in Warning status.", reference §13.1).
"""

from __future__ import annotations

from dataclasses import dataclass

INFORMATION, WARNING, ERROR = "information", "warning", "error"

MESSAGES = {
    "ELQ-00001": "Total records processed.",
    "ELQ-00002": "Invalid email addresses.",
    "ELQ-00003": "Total records remaining after duplicates are rejected.",
    "ELQ-00004": "Contacts created.",
    "ELQ-00005": "Accounts created.",
    "ELQ-00007": "CustomObject data created.",
    "ELQ-00012": "CustomObject data updated.",
    "ELQ-00022": "Contacts updated.",
    "ELQ-00023": "Accounts updated.",
    "ELQ-00025": "CustomObject data linked.",
    "ELQ-00026": "Duplicate identifier.",
    "ELQ-00032": "Malformed records.",
    "ELQ-00034": "Total unmatched records.",
    "ELQ-00039": "Invalid opportunity stage.",
    "ELQ-00049": "Total new records.",
    "ELQ-00060": "Total rejected records.",
    "ELQ-00061": "Rejected records (missing fields).",
    "ELQ-00062": "Duplicate account linkage.",
    "ELQ-00055": "Campaign not found.",
    "ELQ-00068": "Assets created.",
    "ELQ-00069": "Activities created.",
    "ELQ-00070": "Activity Type not found.",
    "ELQ-00072": "Asset Type not found.",
    "ELQ-00077": "Event data created.",
    "ELQ-00078": "Event data linked.",
    "ELQ-00079": "Event data updated.",
    "ELQ-00084": "Opportunity does not exist.",
    "ELQ-00085": "Contact does not exist.",
    "ELQ-00101": "Sync processed for sync {sync_id}, resulting in {status} status.",
    "ELQ-00102": "Successfully exported members to csv file.",
    "ELQ-00106": "Successfully converted csv file to sqlite, taking {kb} kb.",
    "ELQ-00111": "Field {field} is not part of import definition, and will be ignored.",
    "ELQ-00114": "Added members to Account List {list_id}.",
    "ELQ-00115": "Subscribed members to Email Group {group_id}.",
    "ELQ-00116": "Unsubscribed members from Email Group {group_id}.",
    "ELQ-00117": "Removed members from Account List {list_id}.",
    "ELQ-00118": "Removed members from Contact List {list_id}.",
    "ELQ-00119": "Added members to Contact List {list_id}.",
    "ELQ-00121": "Field {field} is part of import definition, but not included in file {file}.",
    "ELQ-00122": "Validation errors found on sync {sync_id} for user {user_id}. "
    "Sync will NOT proceed.",
    "ELQ-00123": "identifierField will be ignored since Activities are never updated.",
    "ELQ-00124": "There was no data available to process.",
    "ELQ-00128": "Updated members status to {status} in service instance {instance}.",
    "ELQ-00130": "Total records staged for import.",
    "ELQ-00131": "Deleted internal staging for data transfer.",
    "ELQ-00137": "Ready for data import processing.",
    "ELQ-00138": "Contacts email marked as subscribed.",
    "ELQ-00140": "Records staged for sync actions.",
    "ELQ-00144": "Total records with rejected fields.",
    "ELQ-00146": "The sync failed because of a temporary error.",
    "ELQ-00143": "Sync Recovery Worker could not recover from sync error. {product} definition "
    "for id {definition_id} has been deleted.",
}

# Per-row reject messages differ from the log text for the same code (reference §13.1).
REJECT_MESSAGES = {
    "ELQ-00002": "Invalid email address.",
    "ELQ-00039": "Invalid opportunity stage.",
    "ELQ-00026": "Duplicate identifier.",
    "ELQ-00032": "Malformed record.",
    "ELQ-00040": "Invalid field value.",  # [INF]: code seen in real rejects, text not published
    "ELQ-00061": "Missing required field.",
    "ELQ-00084": "Opportunity does not exist.",
    "ELQ-00085": "Contact does not exist.",
    "ELQ-00055": "Campaign not found.",
    "ELQ-00070": "Activity Type not found.",
    "ELQ-00072": "Asset Type not found.",
}


@dataclass(frozen=True)
class Entry:
    code: str
    count: int = 0
    severity: str = INFORMATION
    message: str | None = None


def entry(code: str, count: int = 0, severity: str = INFORMATION, **values: object) -> Entry:
    return Entry(code, count, severity, MESSAGES[code].format(**values))


def processed(status: str) -> Entry:
    return entry("ELQ-00101", sync_id="", status=status.capitalize())
