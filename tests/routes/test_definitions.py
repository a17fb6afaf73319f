"""Definition CRUD for every family: what Oracle's tutorials and real clients send is
accepted and echoed as a pod echoes it (reference §4, §5)."""

from __future__ import annotations

import re

import orjson
import pytest

from tests.conftest import basic

BULK = "/api/bulk/2.0"
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
GUID = "f82d50cd86a94fcab37e4ec9a98b0339"


def post(client, path: str, body, **headers):
    return client.post(BULK + path, json=body, headers={**basic(), **headers})


def audit_ok(item: dict, user: str = "jane") -> None:
    assert item["createdBy"] == item["updatedBy"] == user
    assert STAMP.match(item["createdAt"])
    assert STAMP.match(item["updatedAt"])


def test_import_echo_matches_the_observed_pod_response(client) -> None:
    """Reference §5.1: a definition sent without optional keys."""
    body = {
        "name": "test name",
        "fields": {"contactID": "{{Contact.Id}}", "isBounced": "{{Contact.Email.IsBounced}}"},
        "identifierFieldName": "contactID",
    }
    response = post(client, "/contacts/imports", body)
    assert response.status_code == 201
    item = response.json()
    assert list(item) == [
        "name",
        "fields",
        "identifierFieldName",
        "isSyncTriggeredOnImport",
        "dataRetentionDuration",
        "isUpdatingMultipleMatchedRecords",
        "uri",
        "createdBy",
        "createdAt",
        "updatedBy",
        "updatedAt",
    ]
    assert item["isSyncTriggeredOnImport"] is False
    assert item["dataRetentionDuration"] == "P7D"
    assert item["isUpdatingMultipleMatchedRecords"] is False
    assert item["uri"] == "/contacts/imports/1"
    audit_ok(item)
    assert client.get(BULK + item["uri"], headers=basic()).json() == item


def test_appcloud_export_from_the_tutorial(client) -> None:
    """Reference §14 step 3 and the 2020 notice's echoed export (§5.2)."""
    body = {
        "name": "AwesomeApp pending f82d50cd86a94fcab37e4ec9a98b0339 12345",
        "fields": {
            "ContactID": "{{Contact.Id}}",
            "EmailAddress": "{{Contact.Field(C_EmailAddress)}}",
        },
        "filter": f"STATUS('{{{{ActionInstance({GUID}).Execution[12345]}}}}') = 'pending'",
    }
    response = post(client, "/contacts/exports", body)
    assert response.status_code == 201, response.text
    item = response.json()
    assert list(item) == [
        "name",
        "fields",
        "filter",
        "dataRetentionDuration",
        "uri",
        "createdBy",
        "createdAt",
        "updatedBy",
        "updatedAt",
    ]
    assert {k: item[k] for k in ("name", "fields", "filter")} == body
    assert item["dataRetentionDuration"] == "PT6H"
    assert item["uri"] == "/contacts/exports/1"


def test_appcloud_result_import_with_sync_actions(client) -> None:
    """Reference §14 step 4."""
    action = {
        "action": "setStatus",
        "destination": f"{{{{ActionInstance({GUID}).Execution[12345]}}}}",
        "status": "complete",
    }
    body = {
        "name": "AwesomeApp results",
        "fields": {"ContactID": "{{Contact.Id}}"},
        "identifierFieldName": "ContactID",
        "syncActions": [action],
    }
    response = post(client, "/contacts/imports", body)
    assert response.status_code == 201, response.text
    assert response.json()["syncActions"] == [action]


def test_sync_action_definition_with_update_all(client) -> None:
    action = {
        "action": "setStatus",
        "destination": f"{{{{ActionInstance({GUID}).Execution[7]}}}}",
        "status": "complete",
        "updateAll": True,
    }
    body = {
        "name": "complete all",
        "fields": {"ContactID": "{{Contact.Id}}"},
        "identifierFieldName": "ContactID",
        "syncActions": [action],
    }
    response = post(client, "/contacts/syncActions", body)
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["syncActions"] == [action]
    assert item["isSyncTriggeredOnImport"] is False
    assert "dataRetentionDuration" not in item
    assert item["uri"] == "/contacts/syncActions/1"


def test_account_import_with_link_users_as_a_string(client) -> None:
    body = {
        "name": "Accounts",
        "fields": {
            "CompanyName": "{{Account.Field(M_CompanyName)}}",
            "Country": "{{Account.Field(M_Country)}}",
        },
        "identifierFieldName": "CompanyName",
        "linkUsers": "true",
        "isSyncTriggeredOnImport": "false",
    }
    response = post(client, "/accounts/imports", body)
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["linkUsers"] is True
    assert item["isSyncTriggeredOnImport"] is False


def test_opportunity_import_from_the_tutorial(client) -> None:
    body = {
        "name": "Opportunity Import",
        "fields": {
            "OpportunityID": "{{Opportunity.Id}}",
            "OpportunityName": "{{Opportunity.Field(Name)}}",
            "AccountName": "{{Opportunity.Field(AccountName)}}",
            "CreatedDate": "{{Opportunity.CreatedAt}}",
            "Amount": "{{Opportunity.Field(Amount)}}",
            "CloseDate": "{{Opportunity.Field(CloseDate)}}",
            "Currency": "{{Opportunity.Field(Currency)}}",
            "ForecastToCloseDate": "{{Opportunity.Field(ForecastToCloseDate)}}",
            "Stage": "{{Opportunity.Field(Stage)}}",
            "Territory": "{{Opportunity.Field(Territory)}}",
        },
        "identifierFieldName": "OpportunityID",
        "isIdentifierFieldCaseSensitive": False,
    }
    response = post(client, "/opportunities/imports", body)
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["fields"] == body["fields"]
    assert item["isIdentifierFieldCaseSensitive"] is False
    assert item["uri"] == "/opportunities/imports/1"


def test_opportunity_contact_linkage_import(client) -> None:
    body = {
        "name": "Link opportunities",
        "fields": {
            "OpportunityID": "{{Opportunity.Id}}",
            "EmailAddress": "{{Opportunity.Contact.Field(C_EmailAddress)}}",
        },
        "linkOpportunitiesEntityType": "Contact",
        "linkOpportunitiesMatchFieldName": "OpportunityID",
        "linkOpportunitiesSourceField": "EmailAddress",
        "linkOpportunitiesCaseSensitiveMatchField": False,
        "linkOpportunitiesCaseSensitiveSourceField": False,
        "linkOpportunitiesMultipleSourceMatches": True,
    }
    response = post(client, "/opportunities/contacts/imports", body)
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["uri"] == "/opportunities/contacts/imports/1"
    assert item["linkOpportunitiesMultipleSourceMatches"] is True


def test_eloqua_python_sdk_sends_nulls(client) -> None:
    body = {
        "name": "sdk import",
        "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
        "identifierFieldName": "email",
        "syncActions": None,
        "updateRuleByField": None,
        "isSyncTriggeredOnImport": False,
    }
    response = post(client, "/contacts/imports", body)
    assert response.status_code == 201, response.text
    assert "syncActions" not in response.json()
    assert "updateRuleByField" not in response.json()
    export = post(
        client,
        "/contacts/exports",
        {
            "name": "sdk export",
            "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
            "filter": None,
            "syncActions": None,
        },
    )
    assert export.status_code == 201, export.text
    assert "filter" not in export.json()


def test_tap_eloqua_export_definitions(client) -> None:
    body = {
        "name": "tap contacts",
        "fields": {
            "Id": "{{Contact.Id}}",
            "UpdatedAt": "{{Contact.UpdatedAt}}",
            "EmailAddress": "{{Contact.Field(C_EmailAddress)}}",
        },
        "areSystemTimestampsInUTC": True,
        "autoDeleteDuration": "P3D",
        "dataRetentionDuration": "P3D",
        "filter": "'{{Contact.UpdatedAt}}' >= '2024-01-01 00:00:00'",
    }
    response = post(client, "/contacts/exports", body)
    assert response.status_code == 201, response.text
    item = response.json()
    assert item["areSystemTimestampsInUTC"] is True
    assert item["autoDeleteDuration"] == "P3D"
    assert item["dataRetentionDuration"] == "P3D"
    activity = post(
        client,
        "/activities/exports",
        {
            "name": "tap opens",
            "fields": {
                "ActivityId": "{{Activity.Id}}",
                "ActivityDate": "{{Activity.CreatedAt}}",
                "ContactId": "{{Activity.Contact.Id}}",
            },
            "areSystemTimestampsInUTC": True,
            "filter": "'{{Activity.CreatedAt}}' >= '2024-01-01 00:00:00' AND "
            "'{{Activity.Type}}' = 'EmailOpen'",
        },
    )
    assert activity.status_code == 201, activity.text


def test_pyeloqua_style_export_with_padded_filter(client) -> None:
    body = {
        "name": "pyeloqua",
        "fields": {"contactID": "{{Contact.Id}}"},
        "filter": " '{{Contact.Id}}' = '12345' AND '{{Contact.CreatedAt}}' >= "
        "'2017-01-01 00:00:00' ",
    }
    assert post(client, "/contacts/exports", body).status_code == 201


def test_inapplicable_known_properties_are_dropped(client) -> None:
    """A 2021 capture: areSystemTimestampsInUTC on an import is accepted, not echoed."""
    body = {
        "name": "grouparoo",
        "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
        "identifierFieldName": "email",
        "areSystemTimestampsInUTC": True,
        "isUpdatingMultipleMatchedRecords": True,
    }
    item = post(client, "/contacts/imports", body).json()
    assert "areSystemTimestampsInUTC" not in item
    assert item["isUpdatingMultipleMatchedRecords"] is True


def test_unknown_properties_are_dropped_as_on_a_pod(client) -> None:
    """eloqua-python-sdk sends the misspelt mapDataCardsSensitiveMatch on CDO imports."""
    body = {
        "name": "sdk cdo",
        "fields": {"id": "{{CustomObject[9].Id}}"},
        "identifierFieldName": "id",
        "mapDataCards": False,
        "mapDataCardsSensitiveMatch": False,
        "mapDataCardsEntityField": None,
        "colour": "red",
    }
    response = post(client, "/customObjects/9/imports", body)
    assert response.status_code == 201, response.text
    item = response.json()
    assert "mapDataCardsSensitiveMatch" not in item
    assert "colour" not in item
    assert item["mapDataCards"] is False


def test_property_names_bind_case_insensitively_and_read_only_ones_are_ignored(client) -> None:
    body = {
        "NAME": "shouty",
        "Fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
        "IdentifierFieldName": "email",
        "uri": "/contacts/imports/999",
        "createdBy": "someone",
        "kbUsed": 5,
    }
    item = post(client, "/contacts/imports", body).json()
    assert item["name"] == "shouty"
    assert item["uri"] == "/contacts/imports/1"
    assert item["createdBy"] == "jane"


def test_custom_object_definitions_live_under_their_object(client) -> None:
    body = {
        "name": "webinar",
        "fields": {"id": "{{CustomObject[9].Id}}", "email": "{{CustomObject[9].Field[104]}}"},
        "identifierFieldName": "email",
    }
    response = post(client, "/customObjects/9/imports", body)
    assert response.status_code == 201, response.text
    assert response.json()["uri"] == "/customObjects/9/imports/1"
    assert client.get(BULK + "/customObjects/9/imports/1", headers=basic()).status_code == 200
    assert client.get(BULK + "/customObjects/12/imports/1", headers=basic()).status_code == 404
    assert post(client, "/customObjects/777/imports", body).status_code == 404


def test_put_replaces_the_whole_definition(client, clock) -> None:
    created = post(
        client,
        "/contacts/exports",
        {"name": "v1", "fields": {"id": "{{Contact.Id}}"}, "maxRecords": 10},
    ).json()
    clock.advance(5)
    response = client.put(
        BULK + created["uri"],
        headers=basic("Acme", "john"),
        json={"name": "v2", "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"}},
    )
    assert response.status_code == 200, response.text
    item = response.json()
    assert item["name"] == "v2"
    assert "maxRecords" not in item
    assert item["createdAt"] == created["createdAt"]
    assert item["createdBy"] == "jane"
    assert item["updatedBy"] == "john"
    assert item["updatedAt"] > created["updatedAt"]
    assert client.get(BULK + created["uri"], headers=basic()).json() == item


def test_put_must_resend_required_properties(client) -> None:
    created = post(client, "/contacts/exports", {"name": "v1", "fields": {"id": "{{Contact.Id}}"}})
    uri = created.json()["uri"]
    response = client.put(BULK + uri, headers=basic(), json={"name": "v2"})
    assert response.status_code == 400
    assert response.json() == {
        "failures": [{"field": "fields", "constraint": "Is required.", "value": None}]
    }
    assert client.get(BULK + uri, headers=basic()).json()["name"] == "v1"


def test_delete_then_404(client) -> None:
    uri = post(
        client, "/accounts/exports", {"name": "a", "fields": {"id": "{{Account.Id}}"}}
    ).json()["uri"]
    assert client.delete(BULK + uri, headers=basic()).status_code == 204
    assert client.get(BULK + uri, headers=basic()).status_code == 404
    assert client.delete(BULK + uri, headers=basic()).status_code == 404


def test_ids_are_never_reused(client) -> None:
    first = post(
        client, "/contacts/exports", {"name": "a", "fields": {"id": "{{Contact.Id}}"}}
    ).json()
    client.delete(BULK + first["uri"], headers=basic())
    second = post(
        client, "/contacts/exports", {"name": "b", "fields": {"id": "{{Contact.Id}}"}}
    ).json()
    assert second["uri"] == "/contacts/exports/2"


def test_lists_per_family_and_across_families(client) -> None:
    post(
        client,
        "/contacts/imports",
        {
            "name": "Alpha import",
            "fields": {"e": "{{Contact.Field(C_EmailAddress)}}"},
            "identifierFieldName": "e",
        },
    )
    post(
        client,
        "/accounts/imports",
        {
            "name": "Beta import",
            "fields": {"n": "{{Account.Field(M_CompanyName)}}"},
            "identifierFieldName": "n",
        },
    )
    post(client, "/contacts/exports", {"name": "Gamma export", "fields": {"id": "{{Contact.Id}}"}})
    contacts = client.get(BULK + "/contacts/imports", headers=basic()).json()
    assert [i["name"] for i in contacts["items"]] == ["Alpha import"]
    every = client.get(BULK + "/imports", headers=basic()).json()
    assert [i["uri"] for i in every["items"]] == ["/contacts/imports/1", "/accounts/imports/2"]
    searched = client.get(BULK + "/imports", params={"q": "name=*beta*"}, headers=basic()).json()
    assert [i["name"] for i in searched["items"]] == ["Beta import"]
    ordered = client.get(BULK + "/imports", params={"orderBy": "name DESC"}, headers=basic()).json()
    assert [i["name"] for i in ordered["items"]] == ["Beta import", "Alpha import"]
    assert client.get(BULK + "/exports", headers=basic()).json()["totalResults"] == 1
    assert client.get(BULK + "/syncActions", headers=basic()).json()["items"] == []


def test_other_sites_never_see_a_definition(client) -> None:
    uri = post(
        client, "/contacts/exports", {"name": "mine", "fields": {"id": "{{Contact.Id}}"}}
    ).json()["uri"]
    other = basic("Globex", "hank")
    assert client.get(BULK + uri, headers=other).status_code == 404
    assert client.get(BULK + "/exports", headers=other).json()["items"] == []
    assert client.delete(BULK + uri, headers=other).status_code == 404


def test_auto_delete_duration_removes_the_definition(client, clock) -> None:
    uri = post(
        client,
        "/contacts/exports",
        {"name": "short", "fields": {"id": "{{Contact.Id}}"}, "autoDeleteDuration": "PT1H"},
    ).json()["uri"]
    clock.advance(3599)
    assert client.get(BULK + uri, headers=basic()).status_code == 200
    clock.advance(2)
    assert client.get(BULK + uri, headers=basic()).status_code == 404
    assert client.get(BULK + "/contacts/exports", headers=basic()).json()["items"] == []


def test_export_retention_setting_restores_the_pre_24a_default(client_factory, settings_factory):
    client = client_factory(settings_factory(export_retention="PT12H"))
    item = post(
        client, "/contacts/exports", {"name": "old", "fields": {"id": "{{Contact.Id}}"}}
    ).json()
    assert item["dataRetentionDuration"] == "PT12H"


@pytest.mark.parametrize(
    "path",
    [
        "/contacts/imports/abc",
        "/contacts/imports/1.5",
        "/customObjects/x/imports",
        "/contacts/imports/99",
    ],
)
def test_bad_and_unknown_ids_are_404(client, path) -> None:
    assert client.get(BULK + path, headers=basic()).status_code == 404


def test_every_family_and_kind_round_trips(client) -> None:
    bodies = {
        "/contacts": {"id": "{{Contact.Id}}"},
        "/accounts": {"id": "{{Account.Id}}"},
        "/customObjects/12": {"id": "{{CustomObject[12].Id}}"},
        "/activities": {"id": "{{Activity.Id}}"},
        "/events/3": {"reg": "{{Event[3].Field[301]}}"},
        "/campaignResponses": {"id": "{{CampaignResponse.Id}}"},
    }
    for prefix, fields in bodies.items():
        for kind in ("imports", "exports"):
            body = {"name": f"{prefix} {kind}", "fields": fields}
            if kind == "imports":
                body["identifierFieldName"] = next(iter(fields))
            response = post(client, f"{prefix}/{kind}", body)
            assert response.status_code == 201, (prefix, kind, response.text)
            uri = response.json()["uri"]
            assert uri.startswith(f"{prefix}/{kind}/")
            assert client.get(BULK + f"{prefix}/{kind}", headers=basic()).json()["count"] == 1
    email = post(
        client,
        "/emailAddresses/imports",
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
    )
    assert email.status_code == 201, email.text


def test_a_definition_body_may_start_with_a_byte_order_mark(client) -> None:
    """As staging uploads may: Windows tools write one before UTF-8 JSON."""
    body = {
        "name": "with a BOM",
        "fields": {"email": "{{Contact.Field(C_EmailAddress)}}"},
        "identifierFieldName": "email",
    }
    response = client.post(
        "/api/bulk/2.0/contacts/imports",
        content=b"\xef\xbb\xbf" + orjson.dumps(body),
        headers={**basic(), "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "with a BOM"
