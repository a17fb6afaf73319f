"""Eloqua's X-HTTP-Method-Override and X-HTTP-Status-Code-Override headers."""

from __future__ import annotations

import pytest

from tests.conftest import basic

FIELDS = "/api/bulk/2.0/contacts/fields"


def test_method_override_turns_a_get_into_the_named_method(client) -> None:
    response = client.get(FIELDS, headers={**basic(), "X-HTTP-Method-Override": "DELETE"})
    assert response.status_code == 405
    assert response.json()["failures"][0]["value"] == "DELETE"


def test_method_override_of_a_post_to_get_reads(client) -> None:
    response = client.post(FIELDS, headers={**basic(), "X-HTTP-Method-Override": "get"})
    assert response.status_code == 200
    assert response.json()["count"] > 0


def test_unknown_override_methods_are_ignored(client) -> None:
    response = client.get(FIELDS, headers={**basic(), "X-HTTP-Method-Override": "BREW"})
    assert response.status_code == 200


def test_status_override_answers_200_and_reports_the_real_status(client_factory) -> None:
    client = client_factory(validate=False)  # a 200 carrying a failure body is the point
    response = client.get(FIELDS, headers={"X-HTTP-Status-Code-Override": "200"})
    assert response.status_code == 200
    assert response.headers["x-http-original-status-code"] == "401"
    assert response.json()["failures"][0]["field"] == "Authorization"


def test_malformed_status_override_is_ignored(client) -> None:
    response = client.get(FIELDS, headers={"X-HTTP-Status-Code-Override": "OK"})
    assert response.status_code == 401
    assert "x-http-original-status-code" not in response.headers


@pytest.mark.parametrize("status", ["100", "101", "204", "304"])
def test_status_overrides_that_cannot_carry_a_body_are_ignored(client, status) -> None:
    response = client.get(FIELDS, headers={"X-HTTP-Status-Code-Override": status})
    assert response.status_code == 401
