"""Sync actions applied by syncs (reference §8, §14): AppCloud member statuses, list
membership, e-mail group and global subscription, seen by later exports and catalogs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.routes.bulk import BULK, Bulk

INSTANCES = "/_emulator/appcloud/instances"
GUID = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"
DASHLESS = GUID.replace("-", "")
DECISION = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"


@pytest.fixture(autouse=True)
def signed_in(bulk: Bulk) -> None:
    """Every test here starts with the site in place: the control plane names it."""
    bulk.sign_in()


def step(bulk: Bulk, guid: str, kind: str, record_ids: list[int]) -> dict[str, Any]:
    created = bulk.client.post(INSTANCES, json={"site": "Acme", "type": kind, "instanceId": guid})
    assert created.status_code == 201, created.text
    entered = bulk.client.post(f"{INSTANCES}/{guid}/executions", json={"recordIds": record_ids})
    assert entered.status_code == 201, entered.text
    return dict(entered.json())


def members(bulk: Bulk, guid: str, execution: int) -> dict[int, str]:
    found = bulk.client.get(f"{INSTANCES}/{guid}/executions/{execution}").json()
    return {m["recordId"]: m["status"] for m in found["members"]}


def exported(bulk: Bulk, filter_: str, path: str = "/contacts/exports") -> list[int]:
    uri = bulk.define(
        path, {"name": "check", "fields": {"Id": "{{Contact.Id}}"}, "filter": filter_}
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success", bulk.get(sync["uri"] + "/logs")
    return [int(r["Id"]) for r in bulk.get(sync["uri"] + "/data").get("items", [])]


def sync_action(bulk: Bulk, path: str, key: str, statement: str, *actions: dict[str, Any]) -> str:
    """A sync-action definition identifying records by its one field ``key``."""
    return bulk.define(
        path,
        {
            "name": f"actions on {key}",
            "fields": {key: statement},
            "identifierFieldName": key,
            "syncActions": list(actions),
        },
    )


def contact(bulk: Bulk, contact_id: int) -> dict[str, Any]:
    response = bulk.client.get(f"/_emulator/sites/Acme/contacts/{contact_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def log_lines(bulk: Bulk, sync_uri: str) -> list[tuple[str, int, str]]:
    return [
        (i["statusCode"], i["count"], i.get("message", ""))
        for i in bulk.get(sync_uri + "/logs")["items"]
    ]


def test_the_tutorial_flow_marks_members_complete_and_they_leave_the_step(bulk: Bulk) -> None:
    execution = step(bulk, GUID, "action", [3, 5, 7])
    statement = execution["statement"]
    pending = f"STATUS('{statement}') = 'pending'"
    assert exported(bulk, pending) == [3, 5, 7]
    uri = bulk.define(
        "/contacts/imports",
        {
            "name": "AwesomeApp results",
            "fields": {"ContactID": "{{Contact.Id}}"},
            "identifierFieldName": "ContactID",
            "syncActions": [
                {"action": "setStatus", "destination": statement, "status": "complete"}
            ],
        },
    )
    sync = bulk.run(uri, [{"ContactID": "3"}, {"ContactID": "7"}])
    assert sync["status"] == "success"
    assert (
        "ELQ-00128",
        2,
        f"Updated members status to complete in service instance {statement}.",
    ) in log_lines(bulk, sync["uri"])
    assert members(bulk, GUID, execution["executionId"]) == {
        3: "complete",
        5: "pending",
        7: "complete",
    }
    assert exported(bulk, pending) == [5]
    assert exported(bulk, f"STATUS('{{{{ActionInstance({DASHLESS})}}}}') = 'pending'") == [5]


def test_a_decision_splits_members_yes_and_no_and_shows_errored(bulk: Bulk) -> None:
    execution = step(bulk, DECISION, "decision", [1, 2, 3, 4])
    statement = execution["statement"]

    def decide(status: str, ids: list[int]) -> None:
        uri = sync_action(
            bulk,
            "/contacts/syncActions",
            "ContactID",
            "{{Contact.Id}}",
            {"action": "setStatus", "destination": statement, "status": status},
        )
        assert bulk.run(uri, [{"ContactID": str(i)} for i in ids])["status"] == "success"

    decide("yes", [1, 3])
    decide("no", [2])
    decide("errored", [4])
    assert members(bulk, DECISION, execution["executionId"]) == {
        1: "yes",
        2: "no",
        3: "yes",
        4: "errored",
    }
    assert exported(bulk, f"STATUS('{statement}') = 'yes'") == [1, 3]


def test_update_all_without_data_moves_the_whole_execution(bulk: Bulk) -> None:
    execution = step(bulk, GUID, "action", [3, 5, 7])
    uri = sync_action(
        bulk,
        "/contacts/syncActions",
        "ContactID",
        "{{Contact.Id}}",
        {
            "action": "setStatus",
            "destination": execution["statement"],
            "status": "complete",
            "updateAll": True,
        },
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success"
    assert set(members(bulk, GUID, execution["executionId"]).values()) == {"complete"}
    codes = [code for code, _, _ in log_lines(bulk, sync["uri"])]
    assert codes == ["ELQ-00140", "ELQ-00128", "ELQ-00101"]


def test_list_add_and_remove_change_exports_and_the_catalog_count(bulk: Bulk) -> None:
    before = bulk.get("/contacts/lists/12")["count"]
    in_list = "EXISTS('{{ContactList[12]}}')"
    assert 2 not in exported(bulk, in_list)

    def act(action: str, ids: list[int]) -> dict[str, Any]:
        uri = sync_action(
            bulk,
            "/contacts/syncActions",
            "ContactID",
            "{{Contact.Id}}",
            {"action": action, "destination": "{{ContactList[12]}}"},
        )
        return bulk.run(uri, [{"ContactID": str(i)} for i in ids])

    added = act("add", [2, 8, 1])  # 1 is already a member
    assert ("ELQ-00119", 2, "Added members to Contact List 12.") in log_lines(bulk, added["uri"])
    assert bulk.get("/contacts/lists/12")["count"] == before + 2
    assert {2, 8} <= set(exported(bulk, in_list))
    removed = act("remove", [2])
    assert ("ELQ-00118", 1, "Removed members from Contact List 12.") in log_lines(
        bulk, removed["uri"]
    )
    assert bulk.get("/contacts/lists/12")["count"] == before + 1
    assert 2 not in exported(bulk, in_list)


def test_an_export_with_a_sync_action_adds_what_it_exported(bulk: Bulk) -> None:
    before = bulk.get("/contacts/lists/12")["count"]
    uri = bulk.define(
        "/contacts/exports",
        {
            "name": "to list",
            "fields": {"Id": "{{Contact.Id}}"},
            "filter": "'{{Contact.Id}}' <= '10'",
            "syncActions": [{"action": "add", "destination": "{{ContactList[12]}}"}],
        },
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert sync["status"] == "success"
    exported_ids = [int(r["Id"]) for r in bulk.get(sync["uri"] + "/data")["items"]]
    assert exported_ids == list(range(1, 11))
    assert bulk.get("/contacts/lists/12")["count"] == before + 2  # 2 and 8 were not members


def test_email_group_subscribe_and_unsubscribe_by_email_address(bulk: Bulk) -> None:
    uri = bulk.define(
        "/contacts/exports",
        {"name": "who", "fields": {"Email": "{{Contact.Field(C_EmailAddress)}}"}, "maxRecords": 4},
    )
    rows = bulk.get(bulk.wait(bulk.sync(uri)["uri"])["uri"] + "/data")["items"]
    address = rows[3]["Email"]  # contact 4 is not in group 1

    def group(status: str) -> dict[str, Any]:
        definition = sync_action(
            bulk,
            "/contacts/syncActions",
            "Email",
            "{{Contact.Field(C_EmailAddress)}}",
            {"action": "setStatus", "destination": "{{EmailGroup[1]}}", "status": status},
        )
        return bulk.run(definition, [{"Email": address.upper()}])

    assert not {1} & set(contact(bulk, 4)["emailGroups"])
    subscribed = group("subscribed")
    assert {1} <= set(contact(bulk, 4)["emailGroups"])
    assert ("ELQ-00115", 1, "Subscribed members to Email Group 1.") in log_lines(
        bulk, subscribed["uri"]
    )
    again = group("subscribed")  # the group remembers: nobody new to subscribe
    assert ("ELQ-00115", 0, "Subscribed members to Email Group 1.") in log_lines(bulk, again["uri"])
    unsubscribed = group("unsubscribed")
    assert ("ELQ-00116", 1, "Unsubscribed members from Email Group 1.") in log_lines(
        bulk, unsubscribed["uri"]
    )
    assert not {1} & set(contact(bulk, 4)["emailGroups"])


def test_an_email_address_import_unsubscribes_globally(bulk: Bulk) -> None:
    uri = bulk.define(
        "/contacts/exports",
        {
            "name": "who",
            "fields": {
                "Email": "{{Contact.Field(C_EmailAddress)}}",
                "Subscribed": "{{Contact.Email.IsSubscribed}}",
            },
            "filter": "'{{Contact.Id}}' = '1'",
        },
    )
    before = bulk.get(bulk.wait(bulk.sync(uri)["uri"])["uri"] + "/data")["items"][0]
    assert before["Subscribed"] == "true"
    imports = bulk.define(
        "/emailAddresses/imports",
        {
            "name": "unsubscribes",
            "fields": {"EmailAddress": "{{EmailAddress.Field(EmailAddress)}}"},
            "syncActions": [
                {
                    "action": "setStatus",
                    "destination": "{{GlobalSubscribe}}",
                    "status": "unsubscribed",
                }
            ],
        },
    )
    sync = bulk.run(
        imports, [{"EmailAddress": before["Email"]}, {"EmailAddress": "no@one.example"}]
    )
    assert sync["status"] == "warning"  # one address names no contact
    after = bulk.get(bulk.wait(bulk.sync(uri)["uri"])["uri"] + "/data")["items"][0]
    assert after["Subscribed"] == "false"


def test_a_sync_action_sync_that_names_no_record_ends_warning(bulk: Bulk) -> None:
    uri = sync_action(
        bulk,
        "/contacts/syncActions",
        "ContactID",
        "{{Contact.Id}}",
        {"action": "add", "destination": "{{ContactList[12]}}"},
    )
    sync = bulk.run(uri, [{"ContactID": "99999999"}])
    assert sync["status"] == "warning"
    assert ("ELQ-00034", 1, "Total unmatched records.") in log_lines(bulk, sync["uri"])
    response = bulk.client.get(BULK + "/contacts/lists/12", headers=bulk.headers)
    assert response.status_code == 200


def test_the_tutorials_requests_verbatim(bulk: Bulk) -> None:
    """Oracle's "Retrieving app records using the bulk API" (records per notification 0),
    request for request, with the tutorial's instance and execution."""
    created = bulk.client.post(
        INSTANCES,
        json={"site": "Acme", "type": "action", "instanceId": GUID, "recordsPerNotification": 0},
    )
    assert created.status_code == 201
    entered = bulk.client.post(
        f"{INSTANCES}/{GUID}/executions", json={"recordIds": [1, 2], "executionId": 12345}
    )
    assert entered.status_code == 201, entered.text
    export = bulk.client.post(
        BULK + "/contacts/exports",
        headers=bulk.headers,
        json={
            "name": "AwesomeApp pending f82d50cd86a94fcab37e4ec9a98b0339 12345",
            "fields": {
                "ContactID": "{{Contact.Id}}",
                "EmailAddress": "{{Contact.Field(C_EmailAddress)}}",
            },
            "filter": "STATUS('{{ActionInstance(f82d50cd86a94fcab37e4ec9a98b0339).Execution[12345]}}') = 'pending'",  # noqa: E501 (verbatim)
        },
    )
    assert export.status_code == 201, export.text
    sync = bulk.wait(bulk.sync(export.json()["uri"])["uri"])
    data = bulk.get(sync["uri"] + "/data")
    assert [item["ContactID"] for item in data["items"]] == ["1", "2"]
    results = bulk.client.post(
        BULK + "/contacts/imports",
        headers=bulk.headers,
        json={
            "name": "AwesomeApp results",
            "fields": {"ContactID": "{{Contact.Id}}"},
            "identifierFieldName": "ContactID",
            "syncActions": [
                {
                    "action": "setStatus",
                    "destination": "{{ActionInstance(f82d50cd86a94fcab37e4ec9a98b0339).Execution[12345]}}",  # noqa: E501 (verbatim)
                    "status": "complete",
                }
            ],
        },
    )
    assert results.status_code == 201, results.text
    uri = results.json()["uri"]
    bulk.stage(uri, [{"ContactID": "1"}, {"ContactID": "2"}])
    assert bulk.wait(bulk.sync(uri)["uri"])["status"] == "success"
    assert members(bulk, GUID, 12345) == {1: "complete", 2: "complete"}
    again = bulk.wait(bulk.sync(export.json()["uri"])["uri"])
    assert "items" not in bulk.get(again["uri"] + "/data")
    taken = bulk.client.post(
        f"{INSTANCES}/{GUID}/executions", json={"recordIds": [3], "executionId": 12345}
    )
    assert taken.status_code == 400


def test_a_program_step_on_custom_object_records(bulk: Bulk) -> None:
    created = bulk.client.post(
        INSTANCES,
        json={
            "site": "Acme",
            "type": "action",
            "instanceId": GUID,
            "entity": "customObjects/9",
            "recordDefinition": {"RecordId": "{{CustomObject[9].Id}}"},
        },
    )
    assert created.status_code == 201, created.text
    entered = bulk.client.post(f"{INSTANCES}/{GUID}/executions", json={"recordIds": [1, 2, 3]})
    assert entered.status_code == 201, entered.text
    statement = entered.json()["statement"]
    fields = {"RecordId": "{{CustomObject[9].Id}}"}
    export = bulk.define(
        "/customObjects/9/exports",
        {"name": "pending", "fields": fields, "filter": f"STATUS('{statement}') = 'pending'"},
    )
    first = bulk.wait(bulk.sync(export)["uri"])
    assert [r["RecordId"] for r in bulk.get(first["uri"] + "/data")["items"]] == ["1", "2", "3"]
    report = sync_action(
        bulk,
        "/customObjects/9/syncActions",
        "RecordId",
        fields["RecordId"],
        {"action": "setStatus", "destination": statement, "status": "errored"},
    )
    assert bulk.run(report, [{"RecordId": "2"}])["status"] == "success"
    assert members(bulk, GUID, entered.json()["executionId"]) == {
        1: "pending",
        2: "errored",
        3: "pending",
    }
    second = bulk.wait(bulk.sync(export)["uri"])
    assert [r["RecordId"] for r in bulk.get(second["uri"] + "/data")["items"]] == ["1", "3"]


def test_an_account_import_adds_to_and_removes_from_an_account_list(bulk: Bulk) -> None:
    before = bulk.get("/accounts/lists/301")["count"]

    def act(action: str) -> dict[str, Any]:
        uri = bulk.define(
            "/accounts/imports",
            {
                "name": f"accounts {action}",
                "fields": {"Ext": "{{Account.Field(CompanyIDExt)}}"},
                "identifierFieldName": "Ext",
                "syncActions": [{"action": action, "destination": "{{AccountList[301]}}"}],
            },
        )
        return bulk.run(uri, [{"Ext": "AXMPL000000000001"}, {"Ext": "AXMPL000000000003"}])

    added = act("add")
    assert ("ELQ-00114", 2, "Added members to Account List 301.") in log_lines(bulk, added["uri"])
    assert bulk.get("/accounts/lists/301")["count"] == before + 2
    uri = bulk.define(
        "/accounts/exports",
        {
            "name": "in list",
            "fields": {"Id": "{{Account.Id}}"},
            "filter": "EXISTS('{{AccountList[301]}}')",
        },
    )
    sync = bulk.wait(bulk.sync(uri)["uri"])
    assert {1, 3} <= {int(r["Id"]) for r in bulk.get(sync["uri"] + "/data")["items"]}
    removed = act("remove")
    assert ("ELQ-00117", 2, "Removed members from Account List 301.") in log_lines(
        bulk, removed["uri"]
    )
    assert bulk.get("/accounts/lists/301")["count"] == before


def test_an_email_address_import_marks_bouncebacks(bulk: Bulk) -> None:
    assert contact(bulk, 2)["isBounced"] is False
    uri = bulk.define(
        "/contacts/exports",
        {"name": "who", "fields": {"Email": "{{Contact.Field(C_EmailAddress)}}"}, "maxRecords": 2},
    )
    address = bulk.get(bulk.wait(bulk.sync(uri)["uri"])["uri"] + "/data")["items"][1]["Email"]
    imports = bulk.define(
        "/emailAddresses/imports",
        {
            "name": "bounces",
            "fields": {"EmailAddress": "{{EmailAddress.Field(EmailAddress)}}"},
            "syncActions": [
                {"action": "setStatus", "destination": "{{GlobalSubscribe}}", "status": "bounced"}
            ],
        },
    )
    assert bulk.run(imports, [{"EmailAddress": address}])["status"] == "success"
    assert contact(bulk, 2)["isBounced"] is True
    missing = bulk.client.get("/_emulator/sites/Acme/contacts/99999999")
    assert missing.status_code == 404


def test_sync_action_rows_may_name_records_by_external_id(bulk: Bulk) -> None:
    created = bulk.client.post(
        INSTANCES,
        json={"site": "Acme", "type": "action", "instanceId": GUID, "entity": "customObjects/9"},
    )
    assert created.status_code == 201, created.text
    entered = bulk.client.post(f"{INSTANCES}/{GUID}/executions", json={"recordIds": [1, 2]})
    statement = entered.json()["statement"]
    uri = sync_action(
        bulk,
        "/customObjects/9/syncActions",
        "Ext",
        "{{CustomObject[9].ExternalId}}",
        {"action": "setStatus", "destination": statement, "status": "complete"},
    )
    sync = bulk.run(uri, [{"Ext": "CDO9-00002"}, {"Ext": "CDO9-99999"}])
    assert sync["status"] == "warning"
    assert ("ELQ-00034", 1, "Total unmatched records.") in log_lines(bulk, sync["uri"])
    assert members(bulk, GUID, entered.json()["executionId"]) == {1: "pending", 2: "complete"}


def test_sync_action_rows_may_name_records_by_a_field(bulk: Bulk) -> None:
    before = bulk.get("/accounts/lists/303")["count"]
    uri = sync_action(
        bulk,
        "/accounts/syncActions",
        "Company",
        "{{Account.Field(M_CompanyName)}}",
        {"action": "add", "destination": "{{AccountList[303]}}"},
    )
    sync = bulk.run(uri, [{"Company": "Müller & Söhne SA"}, {"Company": "Nobody Ltd"}])
    assert sync["status"] == "warning"
    assert ("ELQ-00114", 1, "Added members to Account List 303.") in log_lines(bulk, sync["uri"])
    assert bulk.get("/accounts/lists/303")["count"] == before + 1


def test_an_id_must_be_exactly_a_record_id_and_any_key_may_name_it(bulk: Bulk) -> None:
    execution = step(bulk, GUID, "action", [1, 2, 3])
    uri = sync_action(
        bulk,
        "/contacts/syncActions",
        'Contact "Id"',
        "{{Contact.Id}}",
        {"action": "setStatus", "destination": execution["statement"], "status": "complete"},
    )
    sync = bulk.run(uri, [{'Contact "Id"': "1abc"}, {'Contact "Id"': "2.9"}, {'Contact "Id"': "3"}])
    assert sync["status"] == "warning"
    assert ("ELQ-00034", 2, "Total unmatched records.") in log_lines(bulk, sync["uri"])
    assert members(bulk, GUID, execution["executionId"]) == {
        1: "pending",
        2: "pending",
        3: "complete",
    }
