"""Whatever a client sends, the answer is never a 500 (reference §13.2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from emulator import Settings, create_app
from tests.conftest import LOCAL, basic

LISTS = [
    "/api/bulk/2.0/contacts/fields",
    "/api/bulk/2.0/activities/fields",
    "/api/bulk/2.0/contacts/lists",
    "/api/bulk/2.0/customObjects/9/fields",
    "/api/bulk/2.0/campaigns/fields",
]
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)


@pytest.fixture(scope="module")
def app_client():
    with TestClient(create_app(Settings(db=":memory:")), base_url=LOCAL) as client:
        yield client


@given(
    path=st.sampled_from(LISTS),
    params=st.dictionaries(
        st.sampled_from(
            ["limit", "offset", "totalResults", "orderBy", "q", "activityType", "type"]
        ),
        st.text(max_size=40),
        max_size=4,
    ),
)
def test_any_query_string_is_answered_without_a_server_error(app_client, path, params) -> None:
    response = app_client.get(path, params=params, headers=basic())
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["failures"]


@given(scheme=st.sampled_from(["Basic ", "Bearer ", "basic ", ""]), value=header_text)
def test_any_authorization_header_is_answered_without_a_server_error(app_client, scheme, value):
    header = (scheme + value).strip()
    headers = {"Authorization": header.encode("latin-1")} if header else {}
    response = app_client.get("/api/bulk/2.0/contacts/fields", headers=headers)
    assert response.status_code in (200, 401)
    assert app_client.get("/id", headers=headers).status_code == 200


@given(
    segments=st.lists(
        st.text(
            st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="/?#%"),
            max_size=12,
        ),
        max_size=6,
    ),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]),
)
def test_any_path_and_method_is_answered_without_a_server_error(app_client, segments, method):
    path = "/api/bulk/2.0/" + "/".join(segments)
    response = app_client.request(method, path, headers=basic())
    assert response.status_code < 500
    assert response.headers["content-type"].startswith("application/json")
