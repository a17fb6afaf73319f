"""The comparison rules of ``python -m emulator replay``: strict where pods are consistent
(status, types, keys and their order, values, outcomes, the headers a pod always sends),
tolerant only where a value cannot repeat (ids, timestamps, logins), and the site's
catalog compared as data, not shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from emulator.commands.replay.compare import (
    OPTIONAL_KEYS,
    Answer,
    Difference,
    compare,
    operation,
    scope_of,
)
from emulator.commands.replay.idmap import IdMap
from emulator.commands.replay.recording import Exchange, exchange_from_json

JSON = "application/json; charset=utf-8"
POD_HEADERS = [
    ["Cache-Control", "no-store"],
    ["Pragma", "no-cache"],
    ["Content-Type", JSON],
    ["Expires", "-1"],
    ["X-Request-Id", "3a64208961aa42af99b76255c0acdd37/22970028816"],
    ["P3P", 'CP="IDC DSP COR"'],
    ["Date", "Tue, 08 Jun 2021 05:34:28 GMT"],
]
EMULATOR_HEADERS = [
    ("cache-control", "no-store"),
    ("pragma", "no-cache"),
    ("expires", "-1"),
    ("content-type", JSON),
    ("x-request-id", "5eb334e44846423882a6dc329eede9c0/7"),
]
DEFINITION = {
    "name": "grouparoo-import",
    "fields": {"emailAddress": "{{Contact.Field(C_EmailAddress)}}"},
    "identifierFieldName": "emailAddress",
    "uri": "/contacts/imports/865",
    "createdBy": "t3st",
    "createdAt": "2021-06-18T02:42:55.0812516Z",
}
FIELD = {
    "name": "Email Address",
    "internalName": "C_EmailAddress",
    "dataType": "emailAddress",
    "statement": "{{Contact.Field(C_EmailAddress)}}",
    "uri": "/contacts/fields/100001",
    "createdAt": "1900-01-01T05:00:00.0000000Z",
    "updatedAt": "1900-01-01T05:00:00.0000000Z",
}


def recorded(
    method: str, path: str, status: int, body: Any, headers: Any = POD_HEADERS
) -> Exchange:
    return exchange_from_json(
        {
            "request": {"method": method, "base": "https://p04/api/bulk/2.0", "path": path},
            "response": {"status": status, "headers": headers, "body": body},
        }
    )


def replayed(status: int, body: Any, headers: Any = EMULATOR_HEADERS) -> Answer:
    content = b"" if body is None else json.dumps(body, separators=(",", ":")).encode()
    return Answer(status, list(headers), content)


def differences(exchange: Exchange, answer: Answer, idmap: IdMap | None = None) -> list[str]:
    return [str(d) for d in compare(exchange, answer, idmap or IdMap()).differences]


def envelope(items: list[Any], total: int | None = None) -> dict[str, Any]:
    count = len(items)
    return {
        "items": items,
        "totalResults": count if total is None else total,
        "limit": 1000,
        "offset": 0,
        "count": count,
        "hasMore": False,
    }


def test_the_same_answer_from_another_instance_is_the_same() -> None:
    exchange = recorded("POST", "/contacts/imports", 201, DEFINITION)
    mine = {**DEFINITION, "uri": "/contacts/imports/1", "createdBy": "replay.user"}
    mine["createdAt"] = "2026-12-05T01:23:24.2398800Z"
    assert differences(exchange, replayed(201, mine)) == []


def test_status_keys_order_and_values_are_strict() -> None:
    exchange = recorded("POST", "/contacts/imports", 201, DEFINITION)
    reordered: dict[str, Any] = {"uri": "/contacts/imports/1"}
    reordered.update((k, v) for k, v in DEFINITION.items() if k != "uri")
    reordered["name"] = "another"
    del reordered["identifierFieldName"]
    reordered["isSyncTriggeredOnImport"] = False
    assert differences(exchange, replayed(200, reordered)) == [
        "status at status: 200, recorded 201",
        "missing key at $.identifierFieldName: absent, recorded 'emailAddress'",
        "extra key at $.isSyncTriggeredOnImport: False; the recording has none",
        "key order at $: uri, name, fields, createdBy, createdAt; "
        "recorded name, fields, uri, createdBy, createdAt",
        "value at $.name: 'another', recorded 'grouparoo-import'",
    ]


def test_types_are_compared_at_every_place() -> None:
    exchange = recorded("GET", "/syncs/684/rejects", 200, envelope([{"recordIndex": 1}]))
    answer = replayed(200, envelope([{"recordIndex": "1"}]))
    assert differences(exchange, answer) == [
        "type at $.items[0].recordIndex: string '1', recorded integer 1"
    ]


def test_timestamps_compare_by_form_and_read_backs_must_be_rounded_to_the_millisecond() -> None:
    sync = {"status": "warning", "createdAt": "2021-06-18T02:43:51.9200000Z", "uri": "/syncs/687"}
    exchange = recorded("GET", "/syncs/687", 200, sync)
    rounded = {**sync, "createdAt": "2026-12-05T01:23:24.2440000Z", "uri": "/syncs/1"}
    assert differences(exchange, replayed(200, rounded)) == []
    precise = {**rounded, "createdAt": "2026-12-05T01:23:24.2441234Z"}
    assert differences(exchange, replayed(200, precise)) == [
        "format at $.createdAt: '2026-12-05T01:23:24.2441234Z' (7 fractional digits, zone Z), "
        "recorded '2021-06-18T02:43:51.9200000Z' (7 fractional digits, zone Z, to the millisecond)"
    ]
    short = {**rounded, "createdAt": "2026-12-05T01:23:24.244Z"}
    assert differences(exchange, replayed(200, short))[0].startswith("format at $.createdAt")


def test_a_create_answer_may_show_any_precision_of_seven_digits() -> None:
    exchange = recorded("POST", "/contacts/imports", 201, DEFINITION)
    mine = {**DEFINITION, "uri": "/contacts/imports/1", "createdAt": "2026-12-05T01:23:24.2440000Z"}
    assert differences(exchange, replayed(201, mine)) == []


def test_uris_pair_ids_and_a_uri_naming_another_definition_differs() -> None:
    idmap = IdMap()
    created = recorded("POST", "/contacts/imports", 201, DEFINITION)
    assert (
        differences(created, replayed(201, {**DEFINITION, "uri": "/contacts/imports/1"}), idmap)
        == []
    )
    sync = recorded(
        "POST", "/syncs", 201, {"syncedInstanceUri": "/contacts/imports/865", "uri": "/syncs/684"}
    )
    wrong = {"syncedInstanceUri": "/contacts/imports/2", "uri": "/syncs/1"}
    assert differences(sync, replayed(201, wrong), idmap) == [
        "uri at $.syncedInstanceUri: /contacts/imports/865 stands for /contacts/imports/1 in "
        "this replay, not /contacts/imports/2"
    ]
    other_form = {"syncedInstanceUri": "/accounts/imports/1", "uri": "/syncs/1"}
    assert differences(sync, replayed(201, other_form), idmap) == [
        "uri at $.syncedInstanceUri: /accounts/imports/1, recorded /contacts/imports/865 "
        "(another form)"
    ]


def test_a_sync_the_recording_saw_end_must_end_the_same_way() -> None:
    sync = {"status": "warning", "uri": "/syncs/687"}
    exchange = recorded("GET", "/syncs/687", 200, sync)
    assert differences(exchange, replayed(200, {"status": "success", "uri": "/syncs/1"})) == [
        "sync outcome at $.status: 'success', recorded 'warning'"
    ]


def test_a_sync_seen_under_way_may_be_further_along_here_with_its_stage_timestamps() -> None:
    sync = {"syncedInstanceUri": "/contacts/imports/865", "status": "pending", "uri": "/syncs/1"}
    exchange = recorded("GET", "/syncs/1", 200, sync)
    ended = {
        "syncedInstanceUri": "/contacts/imports/865",
        "syncStartedAt": "2026-12-05T01:23:24.2450000Z",
        "syncEndedAt": "2026-12-05T01:23:24.2450000Z",
        "status": "success",
        "uri": "/syncs/1",
    }
    assert differences(exchange, replayed(200, ended)) == []
    active = recorded("GET", "/syncs/1", 200, {**sync, "status": "active"})
    assert differences(active, replayed(200, sync)) == [
        "sync outcome at $.status: 'pending', behind the recorded 'active'"
    ]


def test_catalog_lists_pair_items_by_internal_name_and_their_length_is_data() -> None:
    custom = {
        **FIELD,
        "name": "Shoe Size",
        "internalName": "C_Shoe_Size1",
        "uri": "/contacts/fields/100201",
    }
    edited = {**FIELD, "updatedBy": "Mgr1"}
    exchange = recorded("GET", "/contacts/fields", 200, envelope([edited, custom]))
    comparison = compare(exchange, replayed(200, envelope([FIELD], total=1)), IdMap())
    assert comparison.differences == []
    assert comparison.notes == [
        "1 items only in the recording, 0 only in the replay (the instance's own data; "
        "compared in shape)"
    ]


def test_catalog_items_on_both_sides_are_compared_in_full_and_extra_ones_in_shape() -> None:
    exchange = recorded("GET", "/contacts/fields", 200, envelope([FIELD]))
    renamed = {**FIELD, "name": "E-mail"}
    odd = {"internalName": "C_Odd", "name": "Odd", "uri": 7}
    answer = replayed(200, envelope([renamed, odd]))
    assert differences(exchange, answer) == [
        "value at $.items[internalName=C_EmailAddress].name: 'E-mail', recorded 'Email Address'",
        "missing key at $.items[internalName=C_Odd].dataType: absent, recorded 'emailAddress'",
        "missing key at $.items[internalName=C_Odd].statement: absent, recorded "
        "'{{Contact.Field(C_EmailAddress)}}'",
        "missing key at $.items[internalName=C_Odd].createdAt: absent, recorded "
        "'1900-01-01T05:00:00.0000000Z'",
        "missing key at $.items[internalName=C_Odd].updatedAt: absent, recorded "
        "'1900-01-01T05:00:00.0000000Z'",
        "key order at $.items[internalName=C_Odd]: internalName, name, uri; recorded name, "
        "internalName, uri",
        "type at $.items[internalName=C_Odd].uri: integer 7, recorded string "
        "'/contacts/fields/100001'",
    ]


def test_lists_a_sync_produced_are_compared_item_by_item_in_order() -> None:
    reject = {
        "fieldValues": {"email": "bad"},
        "message": "Invalid email address.",
        "recordIndex": 1,
    }
    exchange = recorded("GET", "/syncs/976/rejects", 200, envelope([reject]))
    assert differences(exchange, replayed(200, envelope([]))) == [
        "length at $.items: 0 items, recorded 1",
        "value at $.totalResults: 0, recorded 1",
        "value at $.count: 0, recorded 1",
    ]


def test_updated_by_is_optional_only_where_it_is_data() -> None:
    exchange = recorded("POST", "/contacts/imports", 201, {**DEFINITION, "updatedBy": "t3st"})
    answer = replayed(201, {**DEFINITION, "uri": "/contacts/imports/1"})
    assert differences(exchange, answer) == ["missing key at $.updatedBy: absent, recorded 't3st'"]
    assert {"updatedBy", "createdBy", "defaultValue", "message"} == {
        key for rule in OPTIONAL_KEYS for key in rule.keys
    }


def test_a_staging_answer_must_have_no_body_and_no_content_type() -> None:
    headers = [h for h in POD_HEADERS if h[0] != "Content-Type"]
    exchange = recorded("POST", "/contacts/imports/865/data", 204, None, headers)
    bare = [h for h in EMULATOR_HEADERS if h[0] != "content-type"]
    assert differences(exchange, replayed(204, None, bare)) == []
    declared = Answer(204, [*EMULATOR_HEADERS, ("content-length", "2")], b"")
    assert differences(exchange, declared) == [
        "body at body: Content-Length: 2 on a 204; the recording has no body",
        "header at Content-Type: 'application/json; charset=utf-8'; the recording has none",
    ]


def test_the_headers_a_pod_always_sends_are_compared_and_its_web_front_is_not() -> None:
    exchange = recorded("GET", "/syncs/976/rejects", 200, envelope([]))
    headers = [(k, v) for k, v in EMULATOR_HEADERS if k not in ("pragma", "x-request-id")]
    headers.append(("x-request-id", "42"))
    assert differences(exchange, replayed(200, envelope([]), headers)) == [
        "header at Pragma: absent, recorded 'no-cache'",
        "header at X-Request-Id: '42', recorded '3a64208961aa42af99b76255c0acdd37/22970028816' "
        "(32 hex digits, a slash and a number)",
    ]


def test_id_compares_the_signed_in_user_by_type_and_urls_by_path() -> None:
    body = {
        "site": {"id": 734972267, "name": "Acme"},
        "user": {"id": 222, "username": "t3st"},
        "urls": {
            "base": "https://secure.p04.eloqua.com",
            "bulk": "https://secure.p04.eloqua.com/API/Bulk/{version}/",
        },
    }
    exchange = exchange_from_json(
        {
            "request": {"method": "GET", "base": "https://login.eloqua.com", "path": "/id"},
            "response": {"status": 200, "body": body},
        }
    )
    mine = {
        "site": {"id": 1, "name": "Replay"},
        "user": {"id": 1, "username": "replay.user"},
        "urls": {"base": "http://127.0.0.1:1", "bulk": "http://127.0.0.1:1/API/REST/{version}/"},
    }
    assert differences(exchange, replayed(200, mine)) == [
        "value at $.urls.bulk: 'http://127.0.0.1:1/API/REST/{version}/', recorded "
        "'https://secure.p04.eloqua.com/API/Bulk/{version}/' (compared by path)"
    ]


def test_redacted_values_compare_as_strings() -> None:
    exchange = exchange_from_json(
        {
            "request": {"method": "POST", "path": "/auth/oauth2/token"},
            "response": {
                "status": 200,
                "body": {"access_token": "<redacted>", "expires_in": 28800},
            },
        }
    )
    assert differences(exchange, replayed(200, {"access_token": "abc", "expires_in": 28800})) == []


def test_text_bodies_are_equal_or_differ() -> None:
    exchange = exchange_from_json(
        {
            "request": {"method": "GET", "path": "/api/bulk/2.0/syncs/1/data"},
            "response": {"status": 200, "body": "a,b\n1,2\n", "bodyFormat": "text"},
        }
    )
    same = Answer(200, [("content-type", "text/csv")], b"a,b\n1,2\n")
    assert differences(exchange, same) == []
    other = Answer(200, [("content-type", "text/csv")], b"a,b\n1,3\n")
    assert differences(exchange, other) == [
        "value at body: 'a,b\\n1,3\\n', recorded 'a,b\\n1,2\\n'"
    ]


@pytest.mark.parametrize(
    ("method", "path", "shown", "scope"),
    [
        ("GET", "/api/bulk/2.0/contacts/fields", "GET /contacts/fields", "catalog"),
        (
            "GET",
            "/API/Bulk/2.0/customObjects/9/fields/3",
            "GET /customObjects/{id}/fields/{id}",
            "catalog",
        ),
        ("GET", "/api/bulk/2.0/contacts/imports", "GET /contacts/imports", "instance"),
        ("GET", "/api/bulk/2.0/syncs", "GET /syncs", "instance"),
        ("GET", "/api/bulk/2.0/syncs/5/logs", "GET /syncs/{id}/logs", "logs"),
        ("GET", "/api/bulk/2.0/syncs/5/data", "GET /syncs/{id}/data", "results"),
        ("GET", "/api/bulk/2.0/syncs/5/rejects", "GET /syncs/{id}/rejects", None),
        ("GET", "/api/bulk/2.0/contacts/imports/5", "GET /contacts/imports/{id}", None),
        ("POST", "/api/bulk/2.0/contacts/imports", "POST /contacts/imports", None),
        ("GET", "/id", "GET /id", None),
    ],
)
def test_operations_are_named_by_path_form_and_scoped(
    method: str, path: str, shown: str, scope: str | None
) -> None:
    assert operation(method, path) == shown
    assert scope_of(shown, bulk=path.lower().startswith("/api/bulk/")) == scope


def test_a_difference_reads_as_one_line() -> None:
    assert str(Difference("status", "status", "200, recorded 201")) == (
        "status at status: 200, recorded 201"
    )
