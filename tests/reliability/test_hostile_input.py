"""Malformed requests, one table across every route family: each gets the 4xx a pod gives
(reference §13.2) or our documented choice, in its family's error shape, and leaves the
store exactly as it was (a fingerprint of every table, taken after each case).

Statuses that are ours, not Oracle's: a wrong ``Content-Type`` is a 400 naming
``Content-Type`` (reference §3.3 says only that one is required); a body over the JSON
limit is a 400 naming ``body``; the list query language's limits (``q``: 50 terms and
2,000 characters, ``orderBy``: one item per sortable property; ``core/listing``) and REST's
2,000-character ``search`` (``core/rest_query``); a refresh token the server does not know
is a 401 ``invalid_grant`` (``domain/oauth``); the control plane's choices are its own
(``openapi/emulator-control.yaml``).

Each group below is a small table; ``TABLE`` joins them. Paths may name what the warmed-up
app holds (``{import}``, ``{export}``, ``{action}``, ``{sync}``, ``{cdo}``, ``{event}``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.acoustic.helpers import CLIENT_ID, CLIENT_SECRET, example
from tests.conftest import CONTROL
from tests.reliability import fingerprint
from tests.reliability.hostile_support import (
    BULK,
    CSV,
    DASHED,
    EMAIL,
    GUID,
    JOBS,
    JSON,
    REST,
    Case,
    Target,
    basic_raw,
    check_shape,
    encoded,
    started,
)

IMPORT = {"name": "x", "fields": {"email": EMAIL}, "identifierFieldName": "email"}
EXPORT = {"name": "x", "fields": {"email": EMAIL}}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CLIENT = basic_raw(b"client:secret")
ACOUSTIC_CLIENT = f"client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}".encode()
JSON_BODY_MAX = 4 * 1024 * 1024  # http/bodies


def post(id_: str, path: str, body: bytes, status: int = 400, field: str | None = None) -> Case:
    """A POST of raw bytes as ``application/json`` with Basic credentials."""
    return Case(id_, "POST", path, status, body, headers=JSON, field=field)


def get(id_: str, path: str, status: int, field: str | None = None, **kw: Any) -> Case:
    return Case(id_, "GET", path, status, field=field, **kw)


# --- definition bodies a JSON reader must refuse, on every kind of definition

DEFINITION_PATHS = {
    "contact import": "/contacts/imports",
    "contact export": "/contacts/exports",
    "contact sync action": "/contacts/syncActions",
    "account import": "/accounts/imports",
    "account export": "/accounts/exports",
    "account sync action": "/accounts/syncActions",
    "custom object import": "/customObjects/{cdo}/imports",
    "custom object export": "/customObjects/{cdo}/exports",
    "custom object sync action": "/customObjects/{cdo}/syncActions",
    "activity import": "/activities/imports",
    "activity export": "/activities/exports",
    "event import": "/events/{event}/imports",
    "event export": "/events/{event}/exports",
    "opportunity import": "/opportunities/imports",
    "opportunity contact import": "/opportunities/contacts/imports",
    "campaign response import": "/campaignResponses/imports",
    "campaign response export": "/campaignResponses/exports",
    "email address import": "/emailAddresses/imports",
}
# (what, body, the field a failure names: None where more than one reading is fair)
BODY_MALFORMATIONS: list[tuple[str, bytes, str | None]] = [
    ("non-UTF-8 byte", b'{"name": "caf\xe9", "fields": {}}', "body"),
    ("overlong UTF-8 slash", b'{"name": "\xc0\xaf", "fields": {}}', "body"),
    ("UTF-16 body", '{"name": "x"}'.encode("utf-16"), "body"),
    ("truncated JSON", b'{"name": "x", "fields": {', "body"),
    ("single quotes", b"{'name': 'x'}", "body"),
    ("trailing comma", b'{"name": "x",}', "body"),
    ("raw NUL in a string", b'{"name": "a\x00b", "fields": {}}', "body"),
    ("NaN literal", b'{"name": "x", "maxRecords": NaN}', "body"),
    ("number past double", b'{"name": "x", "maxRecords": 1e309}', "body"),
    ("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000, "body"),
    ("JSON array", b"[]", "body"),
    ("JSON string", b'"contacts"', "body"),
    ("JSON number", b"42", "body"),
    ("JSON null", b"null", "body"),
    ("empty body", b"", "body"),
    ("whitespace body", b"   \r\n ", "body"),
    ("BOM then nothing valid", b'\xef\xbb\xbf{"nameX": 1}', None),
    ("comment", b'{"name": "x" /* hi */}', "body"),
    ("over the JSON limit", b"{" + b" " * JSON_BODY_MAX + b"}", "body"),
]
# every kind meets two malformations, the contact import all of them
DEFINITION_BODIES = [
    post(f"{kind}: {what}", BULK + path, body, field=field)
    for i, (kind, path) in enumerate(DEFINITION_PATHS.items())
    for what, body, field in BODY_MALFORMATIONS[i % 6 :: 6][:2]
] + [
    post(f"every malformation, contact import: {what}", BULK + "/contacts/imports", b, field=f)
    for what, b, f in BODY_MALFORMATIONS
]

CONTENT_TYPES = {
    "no Content-Type": {},
    "text/plain": {"Content-Type": "text/plain"},
    "application/xml": {"Content-Type": "application/xml"},
    "form": FORM,
    "multipart": {"Content-Type": "multipart/form-data; boundary=x"},
    "JSON lookalike": {"Content-Type": "application/jsonx"},
    "text/csv": CSV,
    "type with NUL": {"Content-Type": "application/json\x00"},
}
DEFINITION_CONTENT_TYPES = [
    Case(
        f"contact import as {what}",
        "POST",
        BULK + "/contacts/imports",
        400,
        encoded(IMPORT),
        headers=headers,
        field="Content-Type",
    )
    for what, headers in CONTENT_TYPES.items()
]

# --- definition values of the wrong type, size or range: (what, path, body, field)

TEN_THOUSAND = {f"f{i}": EMAIL for i in range(10_000)}
DEFINITION_VALUES = [
    post(what, BULK + path, body if isinstance(body, bytes) else encoded(body), field=field)
    for what, path, body, field in [
        ("10,000 fields", "/contacts/exports", {"name": "x", "fields": TEN_THOUSAND}, "fields"),
        ("101 import fields", "/contacts/imports",
         {**IMPORT, "fields": dict(list(TEN_THOUSAND.items())[:101])}, "fields"),
        ("fields as a list", "/contacts/imports", {**IMPORT, "fields": [EMAIL]}, "fields"),
        ("fields as a string", "/accounts/exports", {"name": "x", "fields": "{{Account.Id}}"},
         "fields"),
        ("a statement as a number", "/contacts/exports", {"name": "x", "fields": {"id": 12}},
         "fields"),
        ("a field name of 101 characters", "/contacts/exports",
         {"name": "x", "fields": {"n" * 101: EMAIL}}, "fields"),
        ("an empty field name", "/contacts/exports", {"name": "x", "fields": {"": EMAIL}},
         "fields"),
        ("name as a number", "/contacts/exports", {**EXPORT, "name": 5}, "name"),
        ("name of 101 characters", "/contacts/exports", {**EXPORT, "name": "n" * 101}, "name"),
        ("name of 1 MB", "/contacts/exports", {**EXPORT, "name": "n" * 1_000_000}, "name"),
        ("name a lone surrogate", "/contacts/exports",
         b'{"name": "\\ud800", "fields": {"e": "' + EMAIL.encode() + b'"}}', "body"),
        ("unknown property and no fields", "/contacts/exports", {"name": "x", "nosuch": 1},
         "fields"),
        ("duplicate keys, the last one bad", "/contacts/exports",
         b'{"name": "x", "fields": {"e": "' + EMAIL.encode() + b'"}, "fields": 7}', "fields"),
        ("boolean as yes", "/contacts/imports", {**IMPORT, "isSyncTriggeredOnImport": "yes"},
         "isSyncTriggeredOnImport"),
        ("boolean as 1", "/contacts/imports", {**IMPORT, "isSyncTriggeredOnImport": 1},
         "isSyncTriggeredOnImport"),
        ("retention as a number", "/contacts/imports", {**IMPORT, "dataRetentionDuration": 7},
         "dataRetentionDuration"),
        ("retention of 10**20 days", "/contacts/imports",
         {**IMPORT, "dataRetentionDuration": "P100000000000000000000D"}, "dataRetentionDuration"),
        ("negative retention", "/contacts/imports", {**IMPORT, "dataRetentionDuration": "-PT1H"},
         "dataRetentionDuration"),
        ("maxRecords 2**64", "/contacts/exports", {**EXPORT, "maxRecords": 2**64}, "maxRecords"),
        ("maxRecords 2**63 as text", "/contacts/exports",
         {**EXPORT, "maxRecords": str(2**63)}, "maxRecords"),
        ("maxRecords -0", "/contacts/exports",
         b'{"name": "x", "fields": {"e": "' + EMAIL.encode() + b'"}, "maxRecords": -0}',
         "maxRecords"),
        ("maxRecords 1.5", "/contacts/exports", {**EXPORT, "maxRecords": 1.5}, "maxRecords"),
        ("maxRecords NaN as text", "/contacts/exports", {**EXPORT, "maxRecords": "NaN"},
         "maxRecords"),
        ("update rule unknown", "/contacts/imports", {**IMPORT, "updateRule": "sometimes"},
         "updateRule"),
        ("update rules as a list", "/contacts/imports", {**IMPORT, "updateRuleByField": [1]},
         "updateRuleByField"),
        ("identifier not among fields", "/contacts/imports",
         {**IMPORT, "identifierFieldName": "../../etc"}, "identifierFieldName"),
        ("import priority traversal", "/contacts/imports",
         {**IMPORT, "importPriorityUri": "/imports/priorities/../../syncs/1"},
         "importPriorityUri"),
        ("import priority an object", "/contacts/imports",
         {**IMPORT, "importPriorityUri": {"a": 1}}, "importPriorityUri"),
    ]
]  # fmt: skip

# --- EML and EEL: metacharacters, GUIDs and sizes in statements, filters, sync actions

STATEMENTS = {
    "SQL in an internal name": "{{Contact.Field(C_EmailAddress'); DROP TABLE contacts; --)}}",
    "quote in an internal name": "{{Contact.Field(C_Email'Address)}}",
    "NUL in a statement": "{{Contact.Field(C_Email\x00Address)}}",
    "two statements in one": EMAIL + "{{Contact.Id}}",
    "statement and text": EMAIL + " OR 1=1",
    "unclosed braces": "{{Contact.Field(C_EmailAddress)",
    "triple braces": "{{{Contact.Id}}}",
    "wildcard as a name": "{{Contact.Field(*)}}",
    "percent as a name": "{{Contact.Field(%)}}",
    "negative custom object id": "{{CustomObject[-9].Id}}",
    "custom object id 2**63": "{{CustomObject[9223372036854775808].Id}}",
    "custom object field id of 30 digits": "{{CustomObject[9].Field[" + "9" * 30 + "]}}",
    "field id with spaces": "{{CustomObject[9].Field[ 104 ]}}",
    "4,000 nested brackets": "{{CustomObject[" + "[" * 4000 + "9]}}",
    "a statement of 100,000 segments": "{{" + "Contact." * 100_000 + "Id}}",
    "right-to-left override": "{{Contact.Field(C_Email\u202eAddress)}}",
    "lead score model 2**31 - 1": "{{Contact.LeadScore.Model[2147483647].Rating}}",
}
EML = [
    post(
        f"field statement: {what}",
        BULK + "/contacts/exports",
        encoded({"name": "x", "fields": {"f": statement}}),
        field="fields",
    )
    for what, statement in STATEMENTS.items()
]


def status_of(instance: str) -> str:
    return f"STATUS('{{{{ActionInstance({instance}).Execution[1]}}}}') = 'pending'"


FILTERS: dict[str, object] = {
    "SQL after a comparison": f"'{EMAIL}' = 'a'; DROP TABLE contacts; --",
    "SQL tautology": f"'{EMAIL}' = 'a' OR 1=1",
    "backslash escape": f"'{EMAIL}' = 'a\\' OR 1=1 --'",
    "LIKE with a subquery": f"'{EMAIL}' ~ (SELECT name FROM sqlite_master)",
    "unterminated value": f"'{EMAIL}' = 'a",
    "statement outside quotes": EMAIL + " = 'a'",
    "unbalanced parenthesis": f"('{EMAIL}' = 'a'",
    "1,000 nested parentheses": "(" * 1000 + f"'{EMAIL}' = 'a'" + ")" * 1000,
    "60 nested parentheses": "(" * 60 + "'{{Contact.Id}}'='1'" + ")" * 60,
    "5,000 OR clauses": " OR ".join([f"'{EMAIL}' = 'a'"] * 5000),
    "1,000 NOTs": "NOT " * 1000 + f"'{EMAIL}' = 'a'",
    "two EXISTS": "EXISTS('{{ContactList[12]}}') AND EXISTS('{{ContactList[12]}}')",
    "EXISTS of a field": f"EXISTS('{EMAIL}')",
    "EXISTS of list 2**31 - 1": "EXISTS('{{ContactList[2147483647]}}')",
    "unknown operator": f"'{EMAIL}' LIKE 'a%'",
    "dashed GUID in STATUS": status_of(DASHED),
    "31-digit GUID in STATUS": status_of(GUID[:-1]),
    "non-hex GUID in STATUS": status_of("z" * 32),
    "GUID in braces": status_of("{" + GUID + "}"),
    "unknown status value": status_of(GUID).replace("pending", "done"),
    "NUL in a value": f"'{EMAIL}' = 'a\x00b' AND NOT",
    "date past year 9999": "'{{Contact.CreatedAt}}' > '99999-01-01'",
    "date of year 0": "'{{Contact.CreatedAt}}' > '0000-00-00 00:00:00'",
    "filter as a number": 12,
    "filter as an object": {"and": []},
    "empty filter": "",
}
EEL = [
    post(
        f"filter: {what}",
        BULK + "/contacts/exports",
        encoded({**EXPORT, "filter": text}),
        field="filter",
    )
    for what, text in FILTERS.items()
]


def set_status(instance: str) -> list[dict[str, str]]:
    destination = f"{{{{ActionInstance({instance}).Execution[1]}}}}"
    return [{"action": "setStatus", "destination": destination, "status": "complete"}]


ADD = {"action": "add", "destination": "{{ContactList[12]}}"}
SYNC_ACTIONS: dict[str, object] = {
    "dashed GUID destination": set_status(DASHED),
    "33-digit GUID destination": set_status(GUID + "0"),
    "unknown action": [{**ADD, "action": "drop"}],
    "destination of SQL": [{**ADD, "destination": "{{ContactList[12]}}; DELETE"}],
    "destination as a number": [{**ADD, "destination": 1}],
    "list id 2**63": [{**ADD, "destination": "{{ContactList[9223372036854775808]}}"}],
    "list id of 5,000 digits": [{**ADD, "destination": "{{ContactList[" + "1" * 5000 + "]}}"}],
    "eleven sync actions": [ADD] * 11,
    "sync actions as an object": ADD,
    "a sync action as a string": ["add"],
}
ACTIONS = [
    post(f"sync action: {what}", BULK + "/contacts/syncActions",
         encoded({**IMPORT, "syncActions": actions}), field="syncActions")
    for what, actions in SYNC_ACTIONS.items()
] + [
    post("import sync action: dashed GUID", BULK + "/contacts/imports",
         encoded({**IMPORT, "syncActions": set_status(DASHED)}), field="syncActions"),
]  # fmt: skip

# --- ids in paths: traversal, encodings, numbers no id can be

IDS = {
    "encoded traversal": "..%2F..%2Fsyncs",
    "encoded NUL": "1%00",
    "NUL then digits": "%001",
    "negative": "-1",
    "zero": "0",
    "2**63": "9223372036854775808",
    "2**64": "18446744073709551616",
    "400 digits": "9" * 400,
    "non-numeric": "abc",
    "decimal": "1.0",
    "hexadecimal": "0x1",
    "exponent": "1e3",
    "encoded space": "%201",
    "SQL": "1%20OR%201=1",
    "overlong UTF-8 dot": "%C0%AE%C0%AE",
    "non-UTF-8 escape": "%FF",
    "bad escape": "%zz",
    "fullwidth digit": "%EF%BC%91",
    "Arabic-Indic digit": "%D9%A1",
}
ID_CASES = [
    get(f"import id: {what}", BULK + f"/contacts/imports/{text}", 404, field="uri")
    for what, text in IDS.items()
] + [
    get(f"sync id: {what}", BULK + f"/syncs/{text}", 404, field="uri")
    for what, text in list(IDS.items())[:8]
] + [
    Case("PUT on an id past 2**63", "PUT", BULK + "/contacts/imports/9223372036854775808", 404,
         encoded(IMPORT), headers=JSON, field="uri"),
    Case("DELETE on a traversal id", "DELETE", BULK + "/contacts/exports/..%2F{export}", 404,
         field="uri"),
    Case("DELETE on an unknown id", "DELETE", BULK + "/contacts/exports/999999", 404),
    get("custom object parent -1", BULK + "/customObjects/-1/fields", 404),
    get("custom object parent traversal", BULK + "/customObjects/..%2F9/imports", 404),
    get("custom object parent unknown", BULK + "/customObjects/99999/imports", 404),
    get("custom object parent 2**64", BULK + "/customObjects/18446744073709551616/exports", 404),
    get("event parent of 300 digits", BULK + "/events/" + "3" * 300 + "/fields", 404),
    get("contact list id 2**63", BULK + "/contacts/lists/9223372036854775808", 404),
    get("contact field id -5", BULK + "/contacts/fields/-5", 404),
]  # fmt: skip

# --- staging: what an upload must be

STAGE = BULK + "/contacts/imports/{import}/data"
STAGING = [
    Case("staging as text/plain", "POST", STAGE, 400, b'[{"email": "a@example.com"}]',
         headers={"Content-Type": "text/plain"}, field="Content-Type"),
    Case("staging without a Content-Type", "POST", STAGE, 400, b'[{"email": "a@example.com"}]',
         field="Content-Type"),
    Case("staging as XML", "POST", STAGE, 400, b"<rows/>",
         headers={"Content-Type": "application/xml"}, field="Content-Type"),
    post("staging a number", STAGE, b"42"),
    post("staging rows of numbers", STAGE, b"[1, 2]"),
    post("staging a nested value", STAGE, b'[{"email": {"a": 1}}]'),
    post("staging a list value", STAGE, b'[{"email": ["a@example.com"]}]'),
    post("staging truncated JSON", STAGE, b'[{"email": '),
    post("staging non-UTF-8", STAGE, b'[{"email": "caf\xe9@example.com"}]', field="body"),
    post("staging overlong UTF-8", STAGE, b'[{"email": "\xc0\xafa@example.com"}]', field="body"),
    post("staging 100,000 deep", STAGE, b"[" * 100_000 + b"]" * 100_000),
    post("staging NaN", STAGE, b'[{"email": NaN}]'),
    Case("staging CSV with a repeated column", "POST", STAGE, 400,
         b"email,email\na@example.com,b@example.com\n", headers=CSV),
    Case("staging CSV with a ragged line", "POST", STAGE, 400, b"email\na@example.com,extra\n",
         headers=CSV),
    Case("staging CSV without a header", "POST", STAGE, 400, b"", headers=CSV),
    Case("staging CSV with an open quote", "POST", STAGE, 400, b'email\n"abc\n', headers=CSV),
    Case("staging CSV of a 200 KB value", "POST", STAGE, 400,
         b"email\n" + b"a" * 200_000 + b"\n", headers=CSV, field="body"),
    Case("staging CSV in Latin-1", "POST", STAGE, 400, b"email\ncaf\xe9@example.com\n",
         headers=CSV, field="body"),
    Case("staging over 32 MB declared", "POST", STAGE, 404, b'[{"email": "a@example.com"}]',
         headers={**JSON, "Content-Length": str(33 * 1024 * 1024)}, field="body"),
    Case("staging to an export", "POST", BULK + "/contacts/exports/{export}/data", 405, b"[]",
         headers=JSON),
    Case("staging to an unknown import", "POST", BULK + "/contacts/imports/999999/data", 404,
         b"[]", headers=JSON),
    Case("staging to a traversal id", "POST", BULK + "/contacts/imports/..%2F{import}/data",
         404, b"[]", headers=JSON),
    Case("staging sync-action rows as a string", "POST",
         BULK + "/contacts/syncActions/{action}/data", 400, b'"a@example.com"', headers=JSON),
    Case("staging sync-action CSV repeated column", "POST",
         BULK + "/contacts/syncActions/{action}/data", 400, b"email,email\na,b\n", headers=CSV),
    Case("clearing staged data of an unknown import", "DELETE",
         BULK + "/contacts/imports/999999/data", 404),
]  # fmt: skip

# --- syncs

SYNC_BODIES: dict[str, tuple[object, str | None]] = {
    "sync of a traversal uri": ({"syncedInstanceUri": "/contacts/imports/../../syncs/1"},
                                "syncedInstanceUri"),
    "sync of an absolute URL": ({"syncedInstanceUri": "https://evil.example/contacts/imports/1"},
                                "syncedInstanceUri"),
    "sync of an id past 2**63": ({"syncedInstanceUri": "/contacts/imports/9223372036854775808"},
                                 "syncedInstanceUri"),
    "sync of a uri with SQL": ({"syncedInstanceUri": "/contacts/imports/1 OR 1=1"},
                               "syncedInstanceUri"),
    "sync of a number": ({"syncedInstanceUri": 1}, "syncedInstanceUri"),
    "sync without a uri": ({}, "syncedInstanceUri"),
    "sync as an array": ([{"syncedInstanceUri": "/contacts/imports/1"}], "body"),
    "sync callback javascript:": ({"syncedInstanceUri": "/contacts/exports/1",
                                   "callbackUrl": "javascript:alert(1)"}, "callbackUrl"),
    "sync callback with CRLF": ({"syncedInstanceUri": "/contacts/exports/1",
                                 "callbackUrl": "http://a.example/\r\nX-Injected: 1"},
                                "callbackUrl"),
    "sync callback as a number": ({"syncedInstanceUri": "/contacts/exports/1", "callbackUrl": 80},
                                  "callbackUrl"),
}  # fmt: skip
SYNCS = [
    post(what, BULK + "/syncs", encoded(body), field=field)
    for what, (body, field) in SYNC_BODIES.items()
] + [
    post("sync body non-UTF-8", BULK + "/syncs", b'{"syncedInstanceUri": "\xff"}', field="body"),
    get("sync logs limit 0", BULK + "/syncs/{sync}/logs?limit=0", 400, field="limit"),
    get("sync rejects offset -1", BULK + "/syncs/{sync}/rejects?offset=-1", 400, field="offset"),
    get("sync data limit 50001", BULK + "/syncs/{sync}/data?limit=50001", 400, field="limit"),
    get("sync data offset 2**63", BULK + "/syncs/{sync}/data?offset=9223372036854775808", 400,
        field="offset"),
    get("sync data totalResults 1", BULK + "/syncs/{sync}/data?totalResults=1", 400,
        field="totalResults"),
    get("sync logs of a traversal id", BULK + "/syncs/..%2F{sync}/logs", 404),
    Case("clearing data of an unknown sync", "DELETE", BULK + "/syncs/999999/data", 404),
    Case("PUT a sync", "PUT", BULK + "/syncs/{sync}", 405, b"{}", headers=JSON),
]  # fmt: skip

# --- the list query language, on lists of every family

LISTS = [
    "/contacts/imports",
    "/accounts/exports",
    "/customObjects/{cdo}/syncActions",
    "/imports",
    "/syncs",
    "/contacts/fields",
    "/customObjects/{cdo}/fields",
    "/contacts/lists",
    "/syncs/{sync}/logs",
    "/syncs/{sync}/rejects",
]
THOUSAND_TERMS = " AND ".join(["name='x'"] * 1000)
MANY_ORDERS = ",".join(["name ASC"] * 2000)
LIST_LIMITS = [
    get(f"{path}: q of 1,000 terms", f"{BULK}{path}?q={THOUSAND_TERMS}", 400, field="q")
    for path in LISTS
] + [
    get(f"{path}: orderBy of 2,000 items", f"{BULK}{path}?orderBy={MANY_ORDERS}", 400,
        field="orderBy")
    for path in LISTS
]  # fmt: skip
IMPORTS = BULK + "/contacts/imports"
EXPORTS = BULK + "/contacts/exports"
LIST_PARAMETERS = [
    get(what, url, 400, field=url.split("?")[1].split("=")[0])
    for what, url in {
        "q of 51 terms": IMPORTS + "?q=" + " AND ".join(["name='x'"] * 51),
        "q wildcard of 60,000 characters": IMPORTS + "?q=name=*" + "a" * 60_000 + "*",
        "q SQL tautology": IMPORTS + "?q=name='x' OR 1=1 --",
        "q SQL stacked": IMPORTS + "?q=name=x;DROP TABLE definitions",
        "q unknown property": IMPORTS + "?q=item='x'",
        "q JSON path": IMPORTS + "?q=$.name='x'",
        "q number NaN": IMPORTS + "?q=id=NaN",
        "q number 1e309": IMPORTS + "?q=id=1e309",
        "q wildcard on a number": IMPORTS + "?q=id=1*",
        "q non-UTF-8 escape": IMPORTS + "?q=%FF",
        "q of a NUL": IMPORTS + "?q=%00",
        "orderBy SQL": IMPORTS + "?orderBy=name;DROP TABLE definitions",
        "orderBy expression": IMPORTS + "?orderBy=json_extract(item,'$.x')",
        "orderBy two directions": IMPORTS + "?orderBy=name ASC DESC",
        "orderBy unknown property": BULK + "/contacts/fields?orderBy=item",
        "limit 0": EXPORTS + "?limit=0",
        "limit -1": EXPORTS + "?limit=-1",
        "limit 1001": EXPORTS + "?limit=1001",
        "limit 1e3": EXPORTS + "?limit=1e3",
        "limit of 40 digits": EXPORTS + "?limit=" + "9" * 40,
        "offset -1": EXPORTS + "?offset=-1",
        "offset 1.5": EXPORTS + "?offset=1.5",
        "offset 2**63": EXPORTS + "?offset=9223372036854775808",
        "totalResults maybe": EXPORTS + "?totalResults=maybe",
        "activity fields of a NUL type": BULK + "/activities/fields?activityType=%00",
        "campaign fields of an unknown type": BULK + "/campaigns/fields?type=%27%20OR%201",
        "export data limit 0": BULK + "/contacts/exports/{export}/data?limit=0",
    }.items()
]

# --- the login host: /id and OAuth (RFC 6749's error shape)

TOKEN = "/auth/oauth2/token"
IDENTITY = [
    Case("/id with a malformed Basic header", "GET", "/id", 200, auth="none",
         headers={"Authorization": "Basic !!!"}),
    Case("/id with an unknown bearer token", "GET", "/id", 200, auth="none",
         headers={"Authorization": "Bearer nosuchtoken"}),
    Case("/id with Basic credentials without a site", "GET", "/id", 200, auth="none",
         headers=basic_raw(b"jane:pw")),
    Case("POST /id", "POST", "/id", 405, b"{}", headers=JSON, shape="bulk"),
    Case("DELETE /id", "DELETE", "/id", 405, shape="bulk"),
]  # fmt: skip
OAUTH = [
    Case(what, "POST", TOKEN, status, body, headers=headers, auth="none")
    for what, status, body, headers in [
        ("token without client credentials", 401,
         b"grant_type=password&username=Acme%5Cjane&password=pw", FORM),
        ("token with a malformed client header", 401, b"grant_type=password",
         {**FORM, "Authorization": "Basic %%%"}),
        ("token of an unknown grant", 400, b"grant_type=magic", {**FORM, **CLIENT}),
        ("token of a garbage refresh token", 401,
         b"grant_type=refresh_token&refresh_token=nosuch", {**FORM, **CLIENT}),
        ("token of a garbage code", 400,
         b"grant_type=authorization_code&code=nosuch&redirect_uri=https://a.example/",
         {**FORM, **CLIENT}),
        ("token password grant without a site", 400,
         b"grant_type=password&username=jane&password=pw", {**FORM, **CLIENT}),
        ("token body non-UTF-8", 400, b"grant_type=\xff", {**FORM, **CLIENT}),
        ("token body a JSON array", 400, b'["password"]', {**JSON, **CLIENT}),
        ("token body JSON with a number", 400, b'{"grant_type": 5}', {**JSON, **CLIENT}),
        ("token body JSON nested deep", 400, b'{"a":' * 2000 + b"1" + b"}" * 2000,
         {**JSON, **CLIENT}),
        ("token body over 64 KB", 400, b"grant_type=" + b"a" * 70_000, {**FORM, **CLIENT}),
    ]
] + [
    Case("GET the token endpoint", "GET", TOKEN, 405, auth="none"),
    Case("authorize without a client", "GET",
         "/auth/oauth2/authorize?response_type=code&redirect_uri=https://a.example/", 400,
         auth="none"),
    Case("authorize without a redirect", "GET",
         "/auth/oauth2/authorize?response_type=code&client_id=x", 400, auth="none"),
]  # fmt: skip

# --- credentials

AUTHORIZATION = {
    "no header": None,
    "empty Basic": "Basic",
    "Basic not base64": "Basic !!!",
    "Basic without a site": basic_raw(b"jane:pw")["Authorization"],
    "Basic without a user": basic_raw(b"Acme\\:pw")["Authorization"],
    "Basic without a colon": basic_raw(b"Acme\\jane")["Authorization"],
    "empty Bearer": "Bearer",
    "unknown Bearer": "Bearer nosuchtoken",
    "Bearer with a space": "Bearer a b",
    "Digest": 'Digest username="jane"',
    "a 100 KB header": "Bearer " + "a" * 100_000,
}
AUTH_CASES = [
    Case(f"Authorization: {what}", "GET", IMPORTS, 401, auth="none", field="Authorization",
         headers={} if header is None else {"Authorization": header})
    for what, header in AUTHORIZATION.items()
] + [
    Case("REST list without credentials", "GET", REST + "/assets/emails", 401, auth="none"),
    Case("definition create without credentials", "POST", IMPORTS, 401, encoded(IMPORT),
         headers=JSON, auth="none"),
]  # fmt: skip

# --- REST 2.0 lists (their own 400: an array of EndpointValidationError)

REST_CASES = [
    get(f"REST {what}", REST + path, 400, field=path.split("?")[1].split("=")[0])
    for what, path in {
        "count 0": "/assets/emails?count=0",
        "count 1001": "/assets/campaigns?count=1001",
        "count text": "/assets/forms?count=all",
        "page 0": "/assets/emails?page=0",
        "page 2**31": "/assets/emails?page=2147483648",
        "page of 40 digits": "/data/visitors?page=" + "9" * 40,
        "orderBy sideways": "/assets/emails?orderBy=name sideways",
        "orderBy unknown": "/assets/emails?orderBy=colour",
        "orderBy SQL": "/assets/emails?orderBy=name;DROP TABLE rest_assets",
        "orderBy two items": "/assets/emails?orderBy=name,id",
        "search unknown term": "/assets/externals?search=colour=red",
        "search without a term": "/assets/emails?search==x",
        "search of 60,000 characters": "/assets/emails?search=name=*" + "a" * 60_000 + "*",
        "search NaN": "/assets/emails?search=id=NaN",
        "search 1e309": "/assets/emails?search=id=1e309",
        "search bad date": "/assets/email/groups?search=updatedAt>'yesterday'",
    }.items()
]

# --- the control plane (programs send X-Emulator-Control; errors in the failures shape)


def control(id_: str, method: str, path: str, status: int, body: object = None, **kw) -> Case:
    raw = None if body is None else (body if isinstance(body, bytes) else encoded(body))
    return Case(id_, method, path, status, raw, headers={**CONTROL, **JSON}, auth="none", **kw)


INSTANCE = {"site": "Acme", "type": "action", "instanceId": DASHED}
CONTROL_CASES = [
    control("reset with an unknown key", "POST", "/_emulator/reset", 400, {"everything": True}),
    control("reset of a site as a number", "POST", "/_emulator/reset", 400, {"site": 5}),
    control("reset with non-UTF-8", "POST", "/_emulator/reset", 400, b'{"site": "\xff"}'),
    control("seed with an unknown key", "POST", "/_emulator/seed", 400, {"drop": "all"}),
    control("seed from a directory that does not exist", "POST", "/_emulator/seed", 400,
            {"site": "Acme", "fixtures": "../../../../nosuch"}),
    control("advance a non-numeric sync", "POST", "/_emulator/syncs/abc/advance", 404),
    control("advance an unknown sync", "POST", "/_emulator/syncs/999999/advance", 404),
    control("clock advance negative", "POST", "/_emulator/clock/advance", 400, {"seconds": -1}),
    control("clock advance NaN", "POST", "/_emulator/clock/advance", 400, b'{"seconds": NaN}'),
    control("clock advance 1e308", "POST", "/_emulator/clock/advance", 400, {"seconds": 1e308}),
    control("clock set to year 10000", "POST", "/_emulator/clock", 400,
            {"now": "10000-01-01T00:00:00Z"}),
    control("clock set backwards", "POST", "/_emulator/clock", 409,
            {"now": "2001-01-01T00:00:00Z"}),
    control("snapshot named by an encoded dot-dot", "POST", "/_emulator/snapshots/%2E%2E", 400),
    control("snapshot name of 65 characters", "POST", "/_emulator/snapshots/" + "s" * 65, 400),
    control("snapshot name with NUL", "POST", "/_emulator/snapshots/a%00b", 400),
    control("restore an unknown snapshot", "POST", "/_emulator/snapshots/nosuch/restore", 404),
    control("delete an unknown snapshot", "DELETE", "/_emulator/snapshots/nosuch", 404),
    control("outcome of an array", "POST", "/_emulator/outcomes", 400, []),
    control("outcome of a count past 2**64", "POST", "/_emulator/outcomes", 400,
            {"site": "Acme", "count": 2**70, "status": "error"}),
    control("fault of an array", "POST", "/_emulator/faults", 400, [1]),
    control("fault with a regular expression", "POST", "/_emulator/faults", 400,
            {"path": "(a+)+$", "status": 500}),
    control("fault of 2**64", "GET", "/_emulator/faults/18446744073709551616", 404),
    control("progression nonsense", "PUT", "/_emulator/progression", 400, {"policy": "soon"}),
    control("progression of 2**70 polls", "PUT", "/_emulator/progression", 400,
            {"policy": f"polls:{2**70}"}),
    control("journal limit of 23 digits", "GET", "/_emulator/requests?limit=" + "9" * 23, 400),
    control("journal status of text", "GET", "/_emulator/requests?status=abc", 400),
    control("service instance dashless id", "POST", "/_emulator/appcloud/instances", 400,
            {**INSTANCE, "instanceId": GUID}),
    control("service instance of an unknown type", "POST", "/_emulator/appcloud/instances", 400,
            {**INSTANCE, "type": "virus"}),
    control("service instance taken", "POST", "/_emulator/appcloud/instances", 400, INSTANCE),
    control("service instance of a NUL site", "POST", "/_emulator/appcloud/instances", 400,
            {**INSTANCE, "site": "\x00"}),
    control("service instance of a custom object past 2**63", "POST",
            "/_emulator/appcloud/instances", 400,
            {**INSTANCE, "instanceId": None, "entity": "customObjects/" + "9" * 23}),
    control("execution of an unknown instance", "POST",
            "/_emulator/appcloud/instances/00000000-0000-0000-0000-000000000000/executions", 404,
            {"executionId": 1, "recordIds": [1]}),
    control("execution with 2**64 records", "POST",
            f"/_emulator/appcloud/instances/{DASHED}/executions", 400,
            {"executionId": 1, "recordIds": [2**64]}),
    control("execution id 1e300", "POST", f"/_emulator/appcloud/instances/{DASHED}/executions",
            400, {"executionId": 1e300, "recordIds": [1]}),
    control("execution of an id past 2**63", "GET",
            f"/_emulator/appcloud/instances/{DASHED}/executions/{'9' * 23}", 404),
    control("contact state of a non-numeric id", "GET", "/_emulator/sites/Acme/contacts/abc",
            404),
    control("contact state of an unknown site", "GET", "/_emulator/sites/%00/contacts/1", 404),
    control("account state of an id past 2**63", "GET",
            "/_emulator/sites/Acme/accounts/" + "9" * 23, 404),
    control("timeline of an id past 2**63", "GET",
            "/_emulator/syncs/9223372036854775808/timeline", 404),
    control("dashboard sync of an id past 2**63", "GET",
            "/_emulator/ui/sites/Acme/syncs/9223372036854775808", 404),
    control("dashboard sync of an unknown site", "GET", "/_emulator/ui/sites/%00/syncs/1", 404),
    control("Acoustic events of an object", "POST", "/_emulator/acoustic/events", 400,
            {"events": {"a": 1}}),
    control("Acoustic rotation of a non-numeric job", "POST",
            "/_emulator/acoustic/jobs/abc/rotate", 404),
    control("Acoustic rotation of a job past 2**63", "POST",
            "/_emulator/acoustic/jobs/" + "9" * 23 + "/rotate", 404),
    control("Acoustic files of a text job", "GET", "/_emulator/acoustic/files?jobId=x", 400),
    control("Acoustic file by traversal", "GET",
            "/_emulator/acoustic/files/..%2F..%2Fetc/passwd", 404),
    control("Acoustic file of an encoded dot-dot user", "GET",
            "/_emulator/acoustic/files/%2E%2E/passwd", 404),
    Case("control write without the header", "POST", "/_emulator/reset", 403, b"",
         headers={"Content-Type": "text/plain"}, auth="none"),
]  # fmt: skip

# --- Acoustic BEX (its envelope; its tokens in RFC 6749's shape)

ACOUSTIC = [
    Case(what, method, JOBS + path, status, body, headers=headers, auth="acoustic")
    for what, method, path, status, body, headers in [
        ("BEX definition as text/plain", "POST", "", 415, b"{}", {"Content-Type": "text/plain"}),
        ("BEX definition truncated", "POST", "", 400, b'{"jobName": ', JSON),
        ("BEX definition non-UTF-8", "POST", "", 400, b'{"jobName": "\xff"}', JSON),
        ("BEX definition an array", "POST", "", 400, b"[]", JSON),
        ("BEX definition empty object", "POST", "", 400, b"{}", JSON),
        ("BEX definition nested deep", "POST", "", 400, b"[" * 100_000 + b"]" * 100_000, JSON),
        ("BEX definition over 1 MB", "POST", "", 400, b" " * (1024 * 1024 + 1), JSON),
        ("BEX id non-numeric", "GET", "/abc", 400, None, {}),
        ("BEX id negative", "GET", "/-1", 400, None, {}),
        ("BEX id of 40 digits", "GET", "/" + "9" * 40, 400, None, {}),
        ("BEX id unknown", "DELETE", "/999999", 404, None, {}),
        ("BEX update with an empty body", "PUT", "/999999", 400, b"{}", JSON),
        ("BEX update of an unknown id", "PUT", "/999999", 404,
         encoded({**example(), "id": 999999}), JSON),
        ("BEX PATCH", "PATCH", "/1", 405, b"{}", JSON),
    ]
] + [
    Case("BEX without a token", "GET", JOBS, 401, auth="none"),
    Case("BEX with an unknown token", "GET", JOBS, 401, auth="none",
         headers={"Authorization": "Bearer nosuch"}),
    Case("BEX with Basic credentials", "GET", JOBS, 401, auth="none", headers=basic_raw(b"a:b")),
    Case("Acoustic token without a client", "POST", "/oauth/token", 401, b"grant_type=magic",
         headers=FORM, auth="none"),
    Case("Acoustic token of an unknown grant", "POST", "/oauth/token", 400,
         b"grant_type=magic&" + ACOUSTIC_CLIENT, headers=FORM, auth="none"),
    Case("Acoustic token of a garbage refresh token", "POST", "/oauth/token", 400,
         b"grant_type=refresh_token&refresh_token=nosuch&" + ACOUSTIC_CLIENT, headers=FORM,
         auth="none"),
    Case("Acoustic token as JSON", "POST", "/oauth/token", 400, b'{"grant_type": "x"}',
         headers=JSON, auth="none"),
    Case("Acoustic token non-UTF-8", "POST", "/oauth/token", 400, b"grant_type=\xff",
         headers=FORM, auth="none"),
]  # fmt: skip

# --- methods, hosts and paths the router and the guards see

ROUTING = [
    Case("PATCH a definition", "PATCH", BULK + "/contacts/imports/{import}", 405, b"{}",
         headers=JSON),
    Case("PROPFIND a list", "PROPFIND", IMPORTS, 405),
    Case("OPTIONS a list", "OPTIONS", IMPORTS, 405),
    Case("TRACE a definition", "TRACE", BULK + "/contacts/imports/{import}", 405),
    Case("DELETE a field list", "DELETE", BULK + "/contacts/fields", 405),
    Case("method override to an unknown method", "POST", BULK + "/contacts/imports/{import}",
         405, b"{}", headers={**JSON, "X-HTTP-Method-Override": "EXPLODE"}),
    Case("method override DELETE on an unknown id", "POST", BULK + "/contacts/imports/999999",
         404, b"", headers={"X-HTTP-Method-Override": "DELETE"}),
    get("unknown Bulk path", BULK + "/contacts/nosuch", 404),
    get("unknown version", "/api/bulk/1.0/contacts/imports", 404),
    get("a path of 10,000 segments", BULK + "/a" * 10_000, 404),
    get("a path with NUL", IMPORTS + "%00", 404),
    get("export data of an unknown export", BULK + "/customObjects/{cdo}/exports/999999/data",
        404),
    get("a Host this emulator does not serve", IMPORTS, 400, field="Host",
        headers={"Host": "evil.example"}),
    get("a Host of 10,000 characters", IMPORTS, 400, field="Host",
        headers={"Host": "a" * 10_000}),
    get("a Host with an open bracket", IMPORTS, 400, field="Host", headers={"Host": "[::1"}),
]  # fmt: skip

TABLE: list[Case] = [
    *DEFINITION_BODIES,
    *DEFINITION_CONTENT_TYPES,
    *DEFINITION_VALUES,
    *EML,
    *EEL,
    *ACTIONS,
    *ID_CASES,
    *STAGING,
    *SYNCS,
    *LIST_LIMITS,
    *LIST_PARAMETERS,
    *IDENTITY,
    *OAUTH,
    *AUTH_CASES,
    *REST_CASES,
    *CONTROL_CASES,
    *ACOUSTIC,
    *ROUTING,
]


def test_the_table_is_large_and_its_ids_unique() -> None:
    assert len(TABLE) >= 150
    assert len({case.id for case in TABLE}) == len(TABLE)


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    yield from started()


@pytest.fixture(scope="module")
def baseline(target: Target) -> dict[str, dict[str, str]]:
    """The store's fingerprint after the last case: each case is judged on its own change."""
    return {"last": fingerprint.of_app(target.client.app)}


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in TABLE])
def test_a_malformed_request_is_refused_and_changes_nothing(
    case: Case, target: Target, baseline: dict[str, dict[str, str]]
) -> None:
    response = target.send(case)
    after = fingerprint.of_app(target.client.app)
    before, baseline["last"] = baseline["last"], after
    assert response.status_code == case.status, response.text[:500]
    check_shape(case.expected_shape(), response, case.field)
    assert fingerprint.changed(before, after) == []
