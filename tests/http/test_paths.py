"""Paths as real clients spell them reach the same routes (reference §2.2, §16)."""

from __future__ import annotations

import pytest

from emulator.http.paths import literal_segments, normalise
from tests.conftest import basic

SPELLINGS = [
    "/api/bulk/2.0/contacts/fields",
    "/API/Bulk/2.0/contacts/fields",
    "/api/Bulk/2.0/contacts/fields",
    "/API/BULK/2.0/CONTACTS/FIELDS",
    "/API/Bulk/2.0//contacts/fields",
    "/api//bulk//2.0///contacts/fields/",
]


@pytest.mark.parametrize("path", SPELLINGS)
def test_any_casing_and_doubled_slashes_reach_the_route(client, path) -> None:
    response = client.get(path, headers=basic())
    assert response.status_code == 200
    assert response.json()["items"][0]["statement"].startswith("{{Contact.Field(")


def test_lower_case_resource_segments_reach_nested_routes(client) -> None:
    response = client.get("/API/Bulk/2.0//customobjects/9/fields", headers=basic())
    assert response.status_code == 200
    assert response.json()["count"] > 0


def test_normalise_keeps_parameters_and_fixes_literals() -> None:
    segments = literal_segments(["/api/bulk/2.0/customObjects/{parentId:int}/fields"])
    assert normalise("/API/BULK/2.0//CUSTOMOBJECTS/9/Fields/", segments) == (
        "/api/bulk/2.0/customObjects/9/fields"
    )
    assert normalise("/", segments) == "/"
    assert normalise("/unknown//Thing", segments) == "/unknown/Thing"
