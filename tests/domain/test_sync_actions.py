"""Sync actions (``domain.sync_actions``) applied by syncs: a sync-action definition's
staged rows name the records, an import acts on what it created and updated; list
membership and subscription are stored and logged."""

from __future__ import annotations

import orjson
import pytest

from emulator.domain import catalog, control
from tests.domain.support import CONTACT_ID, EMAIL, Bulk

LIST = 58  # the fixtures' "Empty Test List"
ADD = {"action": "add", "destination": f"{{{{ContactList[{LIST}]}}}}"}
REMOVE = {"action": "remove", "destination": f"{{{{ContactList[{LIST}]}}}}"}


@pytest.fixture
def people(bulk: Bulk) -> dict[str, int]:
    """Three contacts of our own: e-mail address → id."""
    uri = bulk.define(
        "contacts",
        "imports",
        {"name": "people", "fields": {"email": EMAIL}, "identifierFieldName": "email"},
    )["uri"]
    bulk.run(uri, [{"email": f"{name}@act.test"} for name in ("ann", "ben", "cat")])
    return {row["email"]: int(row["id"]) for row in bulk.contacts("act.test")}


def acting_on(bulk: Bulk, statement: str, *actions: dict) -> str:
    body = {
        "name": "actions",
        "fields": {"key": statement},
        "identifierFieldName": "key",
        "syncActions": list(actions),
    }
    return str(bulk.define("contacts", "syncActions", body)["uri"])


def state_of(bulk: Bulk, contact_id: int) -> dict:
    """What the control plane shows of a contact: subscription and memberships."""
    return bulk.store.read_sync(control.contact_state, bulk.principal.site_name, contact_id)


def lists_of(bulk: Bulk, contact_id: int) -> list[int]:
    return list(state_of(bulk, contact_id)["contactLists"])


def list_size(bulk: Bulk) -> int:
    item = bulk.store.read_sync(catalog.get_container, bulk.principal, "contactLists", LIST)
    return int(orjson.loads(item)["count"])


def test_a_sync_action_definition_adds_the_named_contacts_to_a_list(
    bulk: Bulk, people: dict[str, int]
) -> None:
    ann, ben = people["ann@act.test"], people["ben@act.test"]
    sync = bulk.run(acting_on(bulk, CONTACT_ID, ADD), [{"key": ann}, {"key": ben}])
    assert sync.status == "success"
    lines = [(e["statusCode"], e["count"], e["message"]) for e in bulk.log_lines(sync.id)]
    assert lines == [
        ("ELQ-00140", 2, "Records staged for sync actions."),
        ("ELQ-00119", 2, f"Added members to Contact List {LIST}."),
        ("ELQ-00101", 0, "Sync processed for sync , resulting in Success status."),
    ]
    assert (lists_of(bulk, ann), lists_of(bulk, people["cat@act.test"])) == ([LIST], [])
    assert list_size(bulk) == 2


def test_adding_an_existing_member_counts_only_the_new_ones(
    bulk: Bulk, people: dict[str, int]
) -> None:
    uri = acting_on(bulk, CONTACT_ID, ADD)
    bulk.run(uri, [{"key": people["ann@act.test"]}])
    again = bulk.run(uri, [{"key": people["ann@act.test"]}, {"key": people["cat@act.test"]}])
    assert bulk.logs(again.id)["ELQ-00119"] == 1
    assert list_size(bulk) == 2


def test_rows_naming_no_contact_end_the_sync_in_warning(bulk: Bulk, people: dict[str, int]) -> None:
    sync = bulk.run(
        acting_on(bulk, EMAIL, ADD),
        [{"key": "ben@act.test"}, {"key": "nobody@act.test"}, {"key": "CAT@act.test"}],
    )
    assert sync.status == "warning"
    logs = bulk.logs(sync.id)
    assert (logs["ELQ-00140"], logs["ELQ-00119"], logs["ELQ-00034"]) == (3, 2, 1)
    unmatched = next(e for e in bulk.log_lines(sync.id) if e["statusCode"] == "ELQ-00034")
    assert unmatched["severity"] == "warning"
    assert list_size(bulk) == 2


def test_remove_takes_contacts_out_of_the_list(bulk: Bulk, people: dict[str, int]) -> None:
    ann, ben = people["ann@act.test"], people["ben@act.test"]
    bulk.run(acting_on(bulk, CONTACT_ID, ADD), [{"key": ann}, {"key": ben}])
    removed = bulk.run(acting_on(bulk, CONTACT_ID, REMOVE), [{"key": ann}])
    assert bulk.logs(removed.id)["ELQ-00118"] == 1
    assert (lists_of(bulk, ann), lists_of(bulk, ben)) == ([], [LIST])


def test_an_import_adds_the_contacts_it_created_and_updated(
    bulk: Bulk, people: dict[str, int]
) -> None:
    uri = bulk.define(
        "contacts",
        "imports",
        {
            "name": "import and add",
            "fields": {"email": EMAIL},
            "identifierFieldName": "email",
            "syncActions": [ADD],
        },
    )["uri"]
    sync = bulk.run(uri, [{"email": "ann@act.test"}, {"email": "dan@act.test"}])
    logs = bulk.logs(sync.id)
    assert (logs["ELQ-00004"], logs["ELQ-00022"], logs["ELQ-00119"]) == (1, 1, 2)
    members = {
        row["email"]
        for row in bulk.export(
            "contacts", {"email": EMAIL}, filter=f"EXISTS('{{{{ContactList[{LIST}]}}}}')"
        )
    }
    assert members == {"ann@act.test", "dan@act.test"}


def test_an_email_address_import_unsubscribes_contacts_globally(
    bulk: Bulk, people: dict[str, int]
) -> None:
    uri = bulk.define(
        "emailAddresses",
        "imports",
        {
            "name": "unsubscribe",
            "fields": {"email": "{{EmailAddress.Field(EmailAddress)}}"},
            "syncActions": [
                {
                    "action": "setStatus",
                    "destination": "{{GlobalSubscribe}}",
                    "status": "unsubscribed",
                }
            ],
        },
    )["uri"]
    sync = bulk.run(uri, [{"email": "ben@act.test"}])
    assert sync.status == "success"

    def subscribed(email: str) -> bool:
        return bool(state_of(bulk, people[email])["isSubscribed"])

    assert (subscribed("ann@act.test"), subscribed("ben@act.test")) == (True, False)
