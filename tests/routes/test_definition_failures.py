"""Invalid definitions, one rule each: the exact 400 body a client gets, and proof that
nothing was stored (reference §5, §6, §7, §8, §13.2, §13.3)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from emulator import Settings, create_app
from tests.conftest import LOCAL, basic

GUID = "f82d50cd86a94fcab37e4ec9a98b0339"
DASHED = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"
EMAIL = "{{Contact.Field(C_EmailAddress)}}"
CI = {"name": "n", "fields": {"email": EMAIL}, "identifierFieldName": "email"}
CE = {"name": "n", "fields": {"id": "{{Contact.Id}}"}}
SA = {"name": "n", "fields": {"id": "{{Contact.Id}}"}, "identifierFieldName": "id"}
CONTACT_FIELDS = [
    "C_FirstName",
    "C_LastName",
    "C_Company",
    "C_Title",
    "C_BusPhone",
    "C_City",
    "C_Country",
    "C_State_Prov",
    "C_Zip_Postal",
    "C_Address1",
    "C_Address2",
]


def w(base, **changes):
    body = dict(base)
    for k, v in changes.items():
        if v is ...:
            body.pop(k, None)
        else:
            body[k] = v
    return body


def status_filter(guid):
    return f"STATUS('{{{{ActionInstance({guid}).Execution[1]}}}}') = 'pending'"


def action(**kw):
    return {
        "action": "setStatus",
        "destination": f"{{{{ActionInstance({GUID}).Execution[1]}}}}",
        "status": "complete",
        **kw,
    }


CASES = [
    ("name missing", "/contacts/imports", w(CI, name=...)),
    ("name empty", "/contacts/imports", w(CI, name="")),
    ("name too long", "/contacts/imports", w(CI, name="x" * 101)),
    ("name not text", "/contacts/imports", w(CI, name=5)),
    ("body is a list", "/contacts/imports", [CI]),
    ("body is a string", "/contacts/imports", "definition"),
    ("fields missing", "/contacts/exports", w(CE, fields=...)),
    ("fields a list", "/contacts/exports", w(CE, fields=[EMAIL])),
    ("fields empty", "/contacts/exports", w(CE, fields={})),
    ("101 import fields", "/contacts/imports", w(CI, fields={f"f{i}": EMAIL for i in range(101)})),
    ("251 export fields", "/contacts/exports", w(CE, fields={f"f{i}": EMAIL for i in range(251)})),
    ("statement not text", "/contacts/exports", w(CE, fields={"a": 5})),
    ("column name empty", "/contacts/exports", w(CE, fields={"": EMAIL})),
    ("column name too long", "/contacts/exports", w(CE, fields={"c" * 101: EMAIL})),
    (
        "unknown contact field",
        "/contacts/exports",
        w(CE, fields={"a": "{{Contact.Field(C_Nope)}}"}),
    ),
    (
        "account field in contact def",
        "/contacts/exports",
        w(CE, fields={"a": "{{Account.Field(M_CompanyName)}}"}),
    ),
    ("container as field", "/contacts/exports", w(CE, fields={"a": "{{ContactList[12]}}"})),
    ("statement without braces", "/contacts/exports", w(CE, fields={"a": "Contact.Id"})),
    ("statement with a space", "/contacts/exports", w(CE, fields={"a": "{{Contact. Id}}"})),
    (
        "other custom object",
        "/customObjects/9/exports",
        w(CE, fields={"a": "{{CustomObject[12].Id}}"}),
    ),
    (
        "unknown custom object field",
        "/customObjects/9/exports",
        w(CE, fields={"a": "{{CustomObject[9].Field[999]}}"}),
    ),
    ("other event", "/events/3/exports", w(CE, fields={"a": "{{Event[4].Field[401]}}"})),
    ("contact field in activity def", "/activities/exports", w(CE, fields={"a": EMAIL})),
    (
        "11 contact fields in activity export",
        "/activities/exports",
        w(CE, fields={f: f"{{{{Activity.Contact.Field({f})}}}}" for f in CONTACT_FIELDS}),
    ),
    (
        "contact field in email address import",
        "/emailAddresses/imports",
        w(CE, fields={"a": EMAIL}),
    ),
    ("identifier missing", "/contacts/imports", w(CI, identifierFieldName=...)),
    ("identifier missing on sync action", "/contacts/syncActions", w(SA, identifierFieldName=...)),
    ("identifier not a field", "/contacts/imports", w(CI, identifierFieldName="mail")),
    ("identifier empty", "/contacts/imports", w(CI, identifierFieldName="")),
    (
        "date identifier",
        "/contacts/imports",
        w(CI, fields={"c": "{{Contact.CreatedAt}}"}, identifierFieldName="c"),
    ),
    (
        "boolean identifier",
        "/contacts/imports",
        w(CI, fields={"b": "{{Contact.Email.IsBounced}}"}, identifierFieldName="b"),
    ),
    (
        "opportunity identifier not the id",
        "/opportunities/imports",
        {
            "name": "o",
            "identifierFieldName": "Name",
            "fields": {
                "Id": "{{Opportunity.Id}}",
                "Name": "{{Opportunity.Field(Name)}}",
                "Stage": "{{Opportunity.Field(Stage)}}",
                "Amount": "{{Opportunity.Field(Amount)}}",
            },
        },
    ),
    (
        "opportunity without required fields",
        "/opportunities/imports",
        {"name": "o", "identifierFieldName": "Id", "fields": {"Id": "{{Opportunity.Id}}"}},
    ),
    ("boolean as yes", "/contacts/imports", w(CI, isSyncTriggeredOnImport="yes")),
    ("boolean as number", "/contacts/imports", w(CI, isUpdatingMultipleMatchedRecords=1)),
    ("export boolean", "/contacts/exports", w(CE, areSystemTimestampsInUTC="maybe")),
    (
        "linkUsers not boolean",
        "/accounts/imports",
        {
            "name": "a",
            "fields": {"n": "{{Account.Field(M_CompanyName)}}"},
            "identifierFieldName": "n",
            "linkUsers": "nope",
        },
    ),
    ("updateRule unknown", "/contacts/imports", w(CI, updateRule="sometimes")),
    ("importRule unknown", "/contacts/imports", w(CI, importRule="upsert")),
    ("updateRuleByField not object", "/contacts/imports", w(CI, updateRuleByField="always")),
    (
        "updateRuleByField unknown column",
        "/contacts/imports",
        w(CI, updateRuleByField={"phone": "always"}),
    ),
    (
        "updateRuleByField bad rule",
        "/contacts/imports",
        w(CI, updateRuleByField={"email": "never"}),
    ),
    ("retention over 14 days", "/contacts/imports", w(CI, dataRetentionDuration="P15D")),
    ("retention under an hour", "/contacts/exports", w(CE, dataRetentionDuration="PT30M")),
    ("retention not ISO", "/contacts/exports", w(CE, dataRetentionDuration="7 days")),
    ("auto delete under an hour", "/contacts/exports", w(CE, autoDeleteDuration="PT59M")),
    ("auto delete a number", "/contacts/imports", w(CI, autoDeleteDuration=5)),
    ("maxRecords zero", "/contacts/exports", w(CE, maxRecords=0)),
    ("maxRecords text", "/contacts/exports", w(CE, maxRecords="many")),
    ("maxRecords negative", "/contacts/exports", w(CE, maxRecords=-5)),
    ("filter not text", "/contacts/exports", w(CE, filter=5)),
    ("filter empty", "/contacts/exports", w(CE, filter="")),
    (
        "filter too long",
        "/contacts/exports",
        w(CE, filter="'{{Contact.Id}}' = '" + "1" * 990 + "'"),
    ),
    (
        "two EXISTS",
        "/contacts/exports",
        w(CE, filter="EXISTS('{{ContactList[12]}}') AND EXISTS('{{ContactList[12]}}')"),
    ),
    (
        "two STATUS",
        "/contacts/exports",
        w(CE, filter=status_filter(GUID) + " OR " + status_filter(GUID)),
    ),
    ("dashed GUID in STATUS", "/contacts/exports", w(CE, filter=status_filter(DASHED))),
    (
        "AccountList EXISTS on contacts",
        "/contacts/exports",
        w(CE, filter="EXISTS('{{AccountList[301]}}')"),
    ),
    (
        "contact field in activity filter",
        "/activities/exports",
        {
            "name": "a",
            "fields": {"id": "{{Activity.Id}}"},
            "filter": "'{{Activity.Contact.Field(C_Country)}}' = 'BE'",
        },
    ),
    ("unterminated filter value", "/contacts/exports", w(CE, filter="'{{Contact.Id}}' = '1")),
    ("double-quoted filter", "/contacts/exports", w(CE, filter='"{{Contact.Id}}" = "1"')),
    (
        "segment rule",
        "/contacts/exports",
        w(CE, filter="EXISTS('{{ContactSegment[3]}}') AND '{{Contact.Field(C_Country)}}' = 'BE'"),
    ),
    (
        "date value not a date",
        "/contacts/exports",
        w(CE, filter="'{{Contact.CreatedAt}}' >= 'yesterday'"),
    ),
    (
        "unknown field in filter",
        "/contacts/exports",
        w(CE, filter="'{{Contact.Field(C_Nope)}}' = 'x'"),
    ),
    ("syncActions not a list", "/contacts/imports", w(CI, syncActions=action())),
    ("eleven sync actions", "/contacts/imports", w(CI, syncActions=[action()] * 11)),
    (
        "sync actions on activity import",
        "/activities/imports",
        {"name": "a", "fields": {"id": "{{Activity.Id}}"}, "syncActions": [action()]},
    ),
    ("unknown verb", "/contacts/imports", w(CI, syncActions=[action(action="delete")])),
    (
        "add to an email group",
        "/contacts/imports",
        w(CI, syncActions=[{"action": "add", "destination": "{{EmailGroup[1]}}"}]),
    ),
    ("setStatus without status", "/contacts/imports", w(CI, syncActions=[action(status=None)])),
    (
        "dashed GUID destination",
        "/contacts/imports",
        w(CI, syncActions=[action(destination=f"{{{{ActionInstance({DASHED}).Execution[1]}}}}")]),
    ),
    (
        "unknown contact list",
        "/contacts/imports",
        w(CI, syncActions=[{"action": "add", "destination": "{{ContactList[424242]}}"}]),
    ),
    (
        "status on add",
        "/contacts/imports",
        w(
            CI,
            syncActions=[
                {"action": "add", "destination": "{{ContactList[12]}}", "status": "complete"}
            ],
        ),
    ),
    (
        "account list on contacts",
        "/contacts/imports",
        w(CI, syncActions=[{"action": "add", "destination": "{{AccountList[301]}}"}]),
    ),
    (
        "two fields in a sync-action def",
        "/contacts/syncActions",
        w(SA, fields={"id": "{{Contact.Id}}", "e": EMAIL}),
    ),
    (
        "non-identity sync-action field",
        "/contacts/syncActions",
        w(SA, fields={"id": "{{Contact.Field(C_FirstName)}}"}),
    ),
    ("import priority uri", "/contacts/imports", w(CI, importPriorityUri="/imports/5")),
    ("external system id", "/contacts/imports", w(CI, externalSystemId="abc")),
    (
        "map data cards incomplete",
        "/customObjects/9/imports",
        {
            "name": "m",
            "fields": {"id": "{{CustomObject[9].Id}}"},
            "identifierFieldName": "id",
            "mapDataCards": True,
        },
    ),
    (
        "map data cards entity type",
        "/customObjects/9/imports",
        {
            "name": "m",
            "fields": {"id": "{{CustomObject[9].Id}}"},
            "identifierFieldName": "id",
            "mapDataCardsEntityType": "Lead",
        },
    ),
    (
        "linkage incomplete",
        "/opportunities/contacts/imports",
        {"name": "l", "fields": {"Id": "{{Opportunity.Id}}"}},
    ),
    (
        "several problems at once",
        "/contacts/imports",
        {"name": "", "fields": {}, "updateRule": "x"},
    ),
]

SAME = object()  # the failure echoes the property's whole value
ABSENT = object()  # the failure has no value key, as a pod's for a missing string
IN_FIELDS = object()  # a column naming no field: on its key, inside fields, as a pod answers
STRING = "Must be a string value, at least 1 character and at most 100 characters long."

EXPECTED: dict[str, list[tuple[str, str, object]]] = {
    "name missing": [
        ("name", STRING, ABSENT),
    ],
    "name empty": [
        (
            "name",
            "Must be a string value, at least 1 character and at most 100 characters long.",
            "",
        ),
    ],
    "name too long": [
        (
            "name",
            "Must be a string value, at least 1 character and at most 100 characters long.",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ),
    ],
    "name not text": [
        (
            "name",
            "Must be a string value, at least 1 character and at most 100 characters long.",
            5,
        ),
    ],
    "body is a list": [
        ("body", "Must be a JSON object.", SAME),
    ],
    "body is a string": [
        ("body", "Must be a JSON object.", SAME),
    ],
    "fields missing": [
        ("fields", "Is required.", None),
    ],
    "fields a list": [
        ("fields", "Must be an object of column names mapped to field statements.", SAME),
    ],
    "fields empty": [
        ("fields", "Must contain between 1 and 250 fields.", SAME),
    ],
    "101 import fields": [
        ("fields", "Must contain between 1 and 100 fields.", SAME),
    ],
    "251 export fields": [
        ("fields", "Must contain between 1 and 250 fields.", SAME),
    ],
    "statement not text": [
        (
            "fields",
            "Field statements must be strings such as {{Contact.Field(C_EmailAddress)}}.",
            5,
        ),
    ],
    "column name empty": [
        ("fields", "Field names must be 1 to 100 characters long.", ""),
    ],
    "column name too long": [
        (
            "fields",
            "Field names must be 1 to 100 characters long.",
            "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
        ),
    ],
    "unknown contact field": [
        ("a", "Must be a reference to an existing object.", IN_FIELDS),
    ],
    "account field in contact def": [
        (
            "fields",
            "Must be a field of the contact entity, such as {{Contact.Field(C_EmailAddress)}}; not {{Account.Field(M_CompanyName)}}.",
            "{{Account.Field(M_CompanyName)}}",
        ),
    ],
    "container as field": [
        (
            "fields",
            "Must be a field statement; {{ContactList[12]}} is a container or a service instance.",
            "{{ContactList[12]}}",
        ),
    ],
    "statement without braces": [
        (
            "fields",
            "Statements must be wrapped in double braces, as in {{Contact.Id}}.",
            "Contact.Id",
        ),
    ],
    "statement with a space": [
        ("fields", "Statements cannot contain spaces.", "{{Contact. Id}}"),
    ],
    "other custom object": [
        (
            "fields",
            "Must reference custom object 9, the one in the path; not 12.",
            "{{CustomObject[12].Id}}",
        ),
    ],
    "unknown custom object field": [
        ("a", "Must be a reference to an existing object.", IN_FIELDS),
    ],
    "other event": [
        (
            "fields",
            "Must reference event 3, the one in the path; not 4.",
            "{{Event[4].Field[401]}}",
        ),
    ],
    "contact field in activity def": [
        (
            "fields",
            "Must be a field of the activity entity, such as {{Activity.Type}}; not {{Contact.Field(C_EmailAddress)}}.",
            "{{Contact.Field(C_EmailAddress)}}",
        ),
    ],
    "11 contact fields in activity export": [
        ("fields", "An activity export may contain at most 10 contact fields.", SAME),
    ],
    "contact field in email address import": [
        (
            "fields",
            "Must be a field of the email address entity, such as {{EmailAddress.Field(EmailAddress)}}; not {{Contact.Field(C_EmailAddress)}}.",
            "{{Contact.Field(C_EmailAddress)}}",
        ),
    ],
    "identifier missing": [
        ("identifierFieldName", STRING, ABSENT),
    ],
    "identifier missing on sync action": [
        ("identifierFieldName", STRING, ABSENT),
    ],
    "identifier not a field": [
        (
            "identifierFieldName",
            "identifierFieldName mail must be contained within Fields, if specified.",
            "mail",
        ),
    ],
    "identifier empty": [
        (
            "identifierFieldName",
            "Must be a string value, at least 1 character and at most 100 characters long.",
            "",
        ),
    ],
    "date identifier": [
        (
            "identifierFieldName",
            "The following field types are not supported: Large Text, Date, and Boolean.",
            "c",
        ),
    ],
    "boolean identifier": [
        (
            "identifierFieldName",
            "The following field types are not supported: Large Text, Date, and Boolean.",
            "b",
        ),
    ],
    "opportunity identifier not the id": [
        ("identifierFieldName", "Must name the field that holds {{Opportunity.Id}}.", "Name"),
    ],
    "opportunity without required fields": [
        (
            "fields",
            "Must include {{Opportunity.Field(Name)}}, {{Opportunity.Field(Stage)}}, {{Opportunity.Field(Amount)}}.",
            SAME,
        ),
    ],
    "boolean as yes": [
        ("isSyncTriggeredOnImport", "Must be a boolean value (true or false).", "yes"),
    ],
    "boolean as number": [
        ("isUpdatingMultipleMatchedRecords", "Must be a boolean value (true or false).", 1),
    ],
    "export boolean": [
        ("areSystemTimestampsInUTC", "Must be a boolean value (true or false).", "maybe"),
    ],
    "linkUsers not boolean": [
        ("linkUsers", "Must be a boolean value (true or false).", "nope"),
    ],
    "updateRule unknown": [
        (
            "updateRule",
            "Must be one of: always, ifNewIsNotNull, ifExistingIsNull, useFieldRule.",
            "sometimes",
        ),
    ],
    "importRule unknown": [
        ("importRule", "Must be one of: createAndUpdate, updateOnly, createOnly.", "upsert"),
    ],
    "updateRuleByField not object": [
        (
            "updateRuleByField",
            "Must be an object of column names mapped to field statements.",
            "always",
        ),
    ],
    "updateRuleByField unknown column": [
        ("updateRuleByField", "Must name a field of the definition.", "phone"),
    ],
    "updateRuleByField bad rule": [
        (
            "updateRuleByField",
            "Must be one of: always, ifNewIsNotNull, ifExistingIsNull, useFieldRule.",
            "never",
        ),
    ],
    "retention over 14 days": [
        ("dataRetentionDuration", "Must be an ISO-8601 duration from PT1H to P14D.", "P15D"),
    ],
    "retention under an hour": [
        ("dataRetentionDuration", "Must be an ISO-8601 duration from PT1H to P14D.", "PT30M"),
    ],
    "retention not ISO": [
        ("dataRetentionDuration", "Must be an ISO-8601 duration from PT1H to P14D.", "7 days"),
    ],
    "auto delete under an hour": [
        ("autoDeleteDuration", "Must be an ISO-8601 duration of at least PT1H.", "PT59M"),
    ],
    "auto delete a number": [
        ("autoDeleteDuration", "Must be an ISO-8601 duration of at least PT1H.", 5),
    ],
    "maxRecords zero": [
        ("maxRecords", "Must be an integer of at least 1.", 0),
    ],
    "maxRecords text": [
        ("maxRecords", "Must be an integer of at least 1.", "many"),
    ],
    "maxRecords negative": [
        ("maxRecords", "Must be an integer of at least 1.", -5),
    ],
    "filter not text": [
        ("filter", "Must be a string.", 5),
    ],
    "filter empty": [
        ("filter", "The filter is empty.", ""),
    ],
    "filter too long": [
        (
            "filter",
            "Filters have a 1000 character limit.",
            SAME,
        ),
    ],
    "two EXISTS": [
        (
            "filter",
            "You can only use one EXISTS operator in a filter.",
            "EXISTS('{{ContactList[12]}}') AND EXISTS('{{ContactList[12]}}')",
        ),
    ],
    "two STATUS": [
        (
            "filter",
            "You can only use one STATUS operator in a filter.",
            "STATUS('{{ActionInstance(f82d50cd86a94fcab37e4ec9a98b0339).Execution[1]}}') = 'pending' OR STATUS('{{ActionInstance(f82d50cd86a94fcab37e4ec9a98b0339).Execution[1]}}') = 'pending'",
        ),
    ],
    "dashed GUID in STATUS": [
        (
            "filter",
            "Service instance ids are written without dashes, as 32 hexadecimal digits: f82d50cd86a94fcab37e4ec9a98b0339.",
            "STATUS('{{ActionInstance(f82d50cd-86a9-4fca-b37e-4ec9a98b0339).Execution[1]}}') = 'pending'",
        ),
    ],
    "AccountList EXISTS on contacts": [
        (
            "filter",
            "The AccountList EXISTS operator can only be used in filters for account exports.",
            "EXISTS('{{AccountList[301]}}')",
        ),
    ],
    "contact field in activity filter": [
        (
            "filter",
            "Contact fields cannot be used in the filter for activity exports.",
            "'{{Activity.Contact.Field(C_Country)}}' = 'BE'",
        ),
    ],
    "unterminated filter value": [
        (
            "filter",
            "Unterminated quoted text; a quote inside a value is written twice ('').",
            "'{{Contact.Id}}' = '1",
        ),
    ],
    "double-quoted filter": [
        (
            "filter",
            "Statements and values are wrapped in single quotes, not double quotes.",
            '"{{Contact.Id}}" = "1"',
        ),
    ],
    "segment rule": [
        (
            "filter",
            "With EXISTS on a contact segment, a filter may add at most two date criteria on {{Contact.UpdatedAt}}, {{Contact.CreatedAt}}, {{Contact.Field(C_DateModified)}} or {{Contact.Field(C_DateCreated)}}, as: segment AND date, segment AND date AND date, or segment AND (date OR date).",
            "EXISTS('{{ContactSegment[3]}}') AND '{{Contact.Field(C_Country)}}' = 'BE'",
        ),
    ],
    "date value not a date": [
        (
            "filter",
            "Must be a date such as 'YYYY-MM-DD HH:MM:SS' for {{Contact.CreatedAt}}.",
            "'{{Contact.CreatedAt}}' >= 'yesterday'",
        ),
    ],
    "unknown field in filter": [
        (
            "filter",
            "The field {{Contact.Field(C_Nope)}} does not exist.",
            "'{{Contact.Field(C_Nope)}}' = 'x'",
        ),
    ],
    "syncActions not a list": [
        ("syncActions", "Must be a list of at most 10 sync actions.", SAME),
    ],
    "eleven sync actions": [
        ("syncActions", "Must be a list of at most 10 sync actions.", SAME),
    ],
    "sync actions on activity import": [
        ("syncActions", "This kind of definition accepts no sync actions.", SAME),
    ],
    "unknown verb": [
        ("syncActions", "Must be one of: add, remove, setStatus.", "delete"),
    ],
    "add to an email group": [
        (
            "syncActions",
            "Action 'add' cannot be used with {{EmailGroup[1]}}; use: setStatus.",
            "add",
        ),
    ],
    "setStatus without status": [
        (
            "syncActions",
            "setStatus on {{ActionInstance(f82d50cd86a94fcab37e4ec9a98b0339).Execution[1]}} requires a status, one of: active, complete, errored.",
            None,
        ),
    ],
    "dashed GUID destination": [
        (
            "syncActions",
            "Service instance ids are written without dashes, as 32 hexadecimal digits: f82d50cd86a94fcab37e4ec9a98b0339.",
            "{{ActionInstance(f82d50cd-86a9-4fca-b37e-4ec9a98b0339).Execution[1]}}",
        ),
    ],
    "unknown contact list": [
        ("syncActions", "ContactList 424242 does not exist.", "{{ContactList[424242]}}"),
    ],
    "status on add": [
        ("syncActions", "status is used only with setStatus.", "complete"),
    ],
    "account list on contacts": [
        (
            "syncActions",
            "{{AccountList[301]}} is not a sync-action destination of contact definitions.",
            "{{AccountList[301]}}",
        ),
    ],
    "two fields in a sync-action def": [
        ("fields", "Must contain exactly one field.", SAME),
    ],
    "non-identity sync-action field": [
        (
            "fields",
            "Must be an identity statement of the entity: {{Contact.Id}}, {{Contact.Field(C_EmailAddress)}}, {{Contact.Field(ContactIDExt)}}.",
            "{{Contact.Field(C_FirstName)}}",
        ),
    ],
    "import priority uri": [
        ("importPriorityUri", "Must reference an existing /imports/priorities/{id}.", "/imports/5"),
    ],
    "external system id": [
        ("externalSystemId", "Must be an integer.", "abc"),
    ],
    "map data cards incomplete": [
        ("mapDataCardsEntityType", "Is required.", None),
        ("mapDataCardsEntityField", "Is required.", None),
        ("mapDataCardsSourceField", "Is required.", None),
    ],
    "map data cards entity type": [
        ("mapDataCardsEntityType", "Must be one of: Contact, Company.", "Lead"),
    ],
    "linkage incomplete": [
        ("linkOpportunitiesEntityType", "Is required.", None),
        ("linkOpportunitiesMatchFieldName", "Is required.", None),
        ("linkOpportunitiesSourceField", "Is required.", None),
    ],
    "several problems at once": [
        (
            "name",
            "Must be a string value, at least 1 character and at most 100 characters long.",
            "",
        ),
        ("fields", "Must contain between 1 and 100 fields.", SAME),
        ("identifierFieldName", STRING, ABSENT),
        (
            "updateRule",
            "Must be one of: always, ifNewIsNotNull, ifExistingIsNull, useFieldRule.",
            "x",
        ),
    ],
}


@pytest.fixture(scope="module")
def shared():
    with TestClient(create_app(Settings(db=":memory:")), base_url=LOCAL) as client:
        yield client


def expected_body(body, rows):
    failures = []
    for field, constraint, value in rows:
        if value is ABSENT:
            failures.append({"field": field, "constraint": constraint})
            continue
        if value is IN_FIELDS:
            failures.append(
                {
                    "field": field,
                    "stackTrace": [{"field": "fields"}],
                    "value": body["fields"][field],
                    "constraint": constraint,
                }
            )
            continue
        if value is SAME:
            value = body if field == "body" else body[field]
        failures.append({"field": field, "constraint": constraint, "value": value})
    return {"failures": failures}


def test_the_table_covers_sixty_rules_at_least() -> None:
    assert len(CASES) >= 60
    assert [name for name, _, _ in CASES] == list(EXPECTED)


@pytest.mark.parametrize(("name", "path", "body"), CASES, ids=[c[0] for c in CASES])
def test_invalid_definition_is_refused_and_nothing_is_stored(shared, name, path, body) -> None:
    response = shared.post("/api/bulk/2.0" + path, json=body, headers=basic())
    assert response.status_code == 400
    assert response.json() == expected_body(body, EXPECTED[name])
    for kind in ("imports", "exports", "syncActions"):
        listed = shared.get(f"/api/bulk/2.0/{kind}", headers=basic()).json()
        assert listed["totalResults"] == 0, kind


@pytest.mark.parametrize(
    ("content", "content_type", "failure"),
    [
        (
            b'{"name": "n"}',
            None,
            {
                "field": "Content-Type",
                "constraint": "Content-Type must be application/json.",
                "value": None,
            },
        ),
        (
            b'{"name": "n"}',
            "text/plain",
            {
                "field": "Content-Type",
                "constraint": "Content-Type must be application/json.",
                "value": "text/plain",
            },
        ),
        (
            b'{"name": ',
            "application/json",
            {
                "field": "body",
                "constraint": "There was a parsing error.",
                "value": "unexpected end of data: line 1 column 10 (char 9)",
            },
        ),
        (
            b'{"name": "\xff"}',
            "application/json; charset=utf-8",
            {
                "field": "body",
                "constraint": "The body must be encoded in UTF-8.",
                "value": "byte 10",
            },
        ),
    ],
    ids=["no content type", "text/plain", "malformed JSON", "not UTF-8"],
)
def test_unreadable_bodies_are_refused(shared, content, content_type, failure) -> None:
    headers = {**basic(), **({"Content-Type": content_type} if content_type else {})}
    response = shared.post("/api/bulk/2.0/contacts/imports", content=content, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"failures": [failure]}
    assert shared.get("/api/bulk/2.0/imports", headers=basic()).json()["totalResults"] == 0


def test_a_column_naming_no_field_fails_on_its_key_in_a_pods_key_order(shared) -> None:
    body = {"name": "n", "fields": {"BadField": "{{Contact.Field(C_BadField)}}"}}
    response = shared.post("/api/bulk/2.0/contacts/exports", json=body, headers=basic())
    assert response.status_code == 400
    [failure] = response.json()["failures"]
    assert list(failure) == ["field", "stackTrace", "value", "constraint"]  # as recorded
    assert failure == {
        "field": "BadField",
        "stackTrace": [{"field": "fields"}],
        "value": "{{Contact.Field(C_BadField)}}",
        "constraint": "Must be a reference to an existing object.",
    }
