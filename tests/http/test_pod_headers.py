"""The headers every Bulk answer carries on a pod (reference §18)."""

from __future__ import annotations

import re

from tests.conftest import basic

FIELDS = "/api/bulk/2.0/contacts/fields"
REQUEST_ID = re.compile(r"^[0-9a-f]{32}/\d+$")


def pod_headers(response) -> dict[str, str]:
    return {k: response.headers.get(k, "") for k in ("cache-control", "pragma", "expires")}


def test_bulk_answers_are_not_cached_and_carry_a_request_id(client) -> None:
    first = client.get(FIELDS, headers=basic())
    second = client.get(FIELDS, headers=basic())
    for response in (first, second):
        assert response.status_code == 200
        assert pod_headers(response) == {
            "cache-control": "no-store",
            "pragma": "no-cache",
            "expires": "-1",
        }
        assert REQUEST_ID.match(response.headers["x-request-id"])
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


def test_errors_and_empty_answers_carry_them_too(client) -> None:
    refused = client.get(FIELDS)  # no credentials
    assert refused.status_code == 401
    assert pod_headers(refused)["cache-control"] == "no-store"
    assert REQUEST_ID.match(refused.headers["x-request-id"])
    unknown = client.get("/API/Bulk/2.0/nothing/here", headers=basic())
    assert unknown.status_code == 404
    assert REQUEST_ID.match(unknown.headers["x-request-id"])


def test_the_control_plane_is_not_a_pod_but_has_a_request_id_too(client) -> None:
    response = client.get("/_emulator/health")
    assert response.status_code == 200
    assert "cache-control" not in response.headers
    assert REQUEST_ID.match(response.headers["x-request-id"])


def test_the_login_hosts_identity_answer_is_not_cached_either(client) -> None:
    for headers in (basic(), {}):  # signed in, and "Not authenticated."
        response = client.get("/id", headers=headers)
        assert response.status_code == 200
        assert pod_headers(response) == {
            "cache-control": "no-store",
            "pragma": "no-cache",
            "expires": "-1",
        }
