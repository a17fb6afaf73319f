"""Discovery, as every client starts: ``GET /id`` with the user's credentials, then the
Bulk base it names, then the field catalog. Runs unchanged against a pod."""

from __future__ import annotations

import base64
import re

import httpx
import pytest

FIELD_STATEMENT = re.compile(r"^\{\{Contact\.Field\([A-Za-z0-9_]+\)\}\}$")


def test_id_names_the_site_the_user_and_the_bulk_base(login: httpx.Client) -> None:
    response = login.get("/id")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["site"]["id"], int)
    assert body["user"]["username"]
    assert body["urls"]["apis"]["rest"]["bulk"].endswith("/API/Bulk/{version}/")
    assert body["urls"]["apis"]["rest"]["bulk"].startswith(body["urls"]["base"])


def test_credentials_without_a_site_read_not_authenticated(login: httpx.Client) -> None:
    nobody = base64.b64encode(b"nobody:wrong").decode()
    response = login.get("/id", headers={"Authorization": f"Basic {nobody}"})
    assert response.status_code == 200
    assert response.json() == "Not authenticated."


def test_contact_fields_page_through_the_whole_catalog(bulk: httpx.Client) -> None:
    first = bulk.get("/contacts/fields", params={"limit": 10, "offset": 0}).json()
    total = first["totalResults"]
    seen = list(first["items"])
    offset = 10
    while offset < total:
        page = bulk.get("/contacts/fields", params={"limit": 10, "offset": offset}).json()
        assert page["offset"] == offset
        seen += page["items"]
        offset += 10
    assert len(seen) == total
    assert len({item["uri"] for item in seen}) == total
    assert all(FIELD_STATEMENT.match(item["statement"]) for item in seen)
    assert "C_EmailAddress" in {item["internalName"] for item in seen}


def test_one_field_reads_back_as_listed(bulk: httpx.Client) -> None:
    item = bulk.get("/contacts/fields", params={"limit": 1}).json()["items"][0]
    assert bulk.get(item["uri"]).json() == item


@pytest.mark.emulator_only  # a pod's answer to an out-of-range limit is not published
def test_a_bad_limit_is_a_400_with_failures(bulk: httpx.Client) -> None:
    response = bulk.get("/contacts/fields", params={"limit": 0})
    assert response.status_code == 400
    assert response.json()["failures"][0]["field"] == "limit"


def test_unknown_field_is_404(bulk: httpx.Client) -> None:
    assert bulk.get("/contacts/fields/999999999").status_code == 404
