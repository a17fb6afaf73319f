"""REST 2.0 lists over HTTP: what tap-eloqua sends (discovery probes with ``count=1``, then
``depth=complete``, ``orderBy`` and a ``search`` on its bookmark), the envelope it reads,
REST 2.0's 400 array and the Bulk routes' 401. Every response is checked against
``openapi/eloqua-rest-2.0.yaml`` by the client."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from emulator import Settings, create_app
from emulator.domain import rest_assets
from emulator.routes.rest import OPERATIONS
from tests.conftest import LOCAL, ROOT, basic, bearer

REST = "/api/REST/2.0"
PATHS = {c.kind: REST + c.path for c in rest_assets.COLLECTIONS}
SPEC = yaml.safe_load((ROOT / "openapi" / "eloqua-rest-2.0.yaml").read_text())
# kind → the elements' type, which is also the name of their schema in the spec
TYPES = {
    "campaigns": "Campaign",
    "emails": "Email",
    "forms": "Form",
    "externals": "ExternalAsset",
    "emailGroups": "EmailGroup",
    "visitors": "Visitor",
}


def fixture(kind: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        (ROOT / "fixtures" / "rest" / f"{kind}.json").read_text()
    )
    return data


def documented(name: str) -> set[str]:
    """The properties a schema of the spec names, through ``allOf``."""
    schema = SPEC["components"]["schemas"][name]
    found = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        if "$ref" in part:
            found |= documented(part["$ref"].rsplit("/", 1)[1])
        found |= set(part.get("properties", {}))
    return found


@pytest.mark.parametrize("kind", list(PATHS))
def test_a_list_is_the_rest_envelope_of_minimal_elements(client, kind) -> None:
    response = client.get(PATHS[kind], headers=basic())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert b": " not in response.content  # compact JSON
    body = response.json()
    assert list(body) == ["elements", "page", "pageSize", "total"]
    assert (body["page"], body["pageSize"], body["total"]) == (1, 1000, len(fixture(kind)))
    assert {e["type"] for e in body["elements"]} == {TYPES[kind]}
    assert [e["id"] for e in body["elements"]] == sorted((e["id"] for e in fixture(kind)), key=int)


@pytest.mark.parametrize("kind", list(PATHS))
def test_the_discovery_probe_gets_one_element(client, kind) -> None:
    response = client.get(PATHS[kind], params={"count": 1}, headers=basic())
    assert response.status_code == 200
    body = response.json()
    assert len(body["elements"]) == 1
    assert (body["pageSize"], body["total"]) == (1, len(fixture(kind)))


@pytest.mark.parametrize(
    ("kind", "column"),
    [(kind, "V_LastVisitDateAndTime" if kind == "visitors" else "updatedAt") for kind in PATHS],
)
def test_an_incremental_sync_page_as_tap_eloqua_sends_it(client, kind, column) -> None:
    # requests encodes a space as '+', the quotes and operators percent-encoded
    query = (
        f"count=1000&page=1&depth=complete&orderBy={column}"
        f"&search={column}%3E%3D%272000-01-01+00%3A00%3A00%27"
    )
    response = client.get(f"{PATHS[kind]}?{query}", headers=basic())
    assert response.status_code == 200
    elements = response.json()["elements"]
    assert elements
    assert len(elements) == len(fixture(kind))
    stamps = [int(e[column]) for e in elements]
    assert stamps == sorted(stamps)
    assert all(e.get("depth", "complete") == "complete" for e in elements)
    # the bookmark the tap keeps, and the next run's search from it, finds the last one again
    last = elements[-1]
    again = client.get(
        PATHS[kind],
        params={"depth": "complete", "orderBy": column, "search": f"{column}>={last[column]}"},
        headers=basic(),
    ).json()["elements"]
    assert again[-1] == last


def test_a_page_past_the_end_has_no_elements(client) -> None:
    body = client.get(PATHS["forms"], params={"count": 2, "page": 3}, headers=basic()).json()
    assert body == {"elements": [], "page": 3, "pageSize": 2, "total": len(fixture("forms"))}


def test_pages_walk_the_whole_list(client) -> None:
    seen: list[str] = []
    page = 1
    while True:
        body = client.get(
            PATHS["emails"], params={"count": 3, "page": page}, headers=basic()
        ).json()
        seen += [e["id"] for e in body["elements"]]
        if len(body["elements"]) < 3:
            break
        page += 1
    assert seen == sorted((e["id"] for e in fixture("emails")), key=int)


def test_search_on_name_with_a_wildcard_and_descending_order(client) -> None:
    body = client.get(
        PATHS["campaigns"],
        params={"search": "name='*Webinar*'", "orderBy": "id DESC"},
        headers=basic(),
    ).json()
    assert [e["name"] for e in body["elements"]] == ["Spring Webinar Series – Data Cloud"]
    ids = client.get(PATHS["campaigns"], params={"orderBy": "ID desc"}, headers=basic()).json()
    assert [e["id"] for e in ids["elements"]] == ["106", "105", "104", "103", "102", "101"]


@pytest.mark.parametrize("kind", list(PATHS))
def test_complete_depth_shows_the_whole_element_and_arrays_are_never_null(client, kind) -> None:
    body = client.get(PATHS[kind], params={"depth": "COMPLETE"}, headers=basic()).json()
    assert body["elements"] == sorted(fixture(kind), key=lambda e: int(e["id"]))
    for element in body["elements"]:
        assert None not in element.values()
        if kind != "visitors":
            assert element["updatedAt"].isdigit()
    if kind == "emails":
        assert all(e["htmlContent"]["metaTags"] == [] for e in body["elements"])


@pytest.mark.parametrize("kind", list(PATHS))
def test_every_property_served_is_in_the_spec(kind) -> None:
    served = set().union(*(set(e) for e in fixture(kind)))
    assert served - documented(TYPES[kind]) == set()


@pytest.mark.parametrize(
    ("params", "parameter", "requirement"),
    [
        ({"count": "0"}, "count", {"type": "RangeRequirement", "minimum": 1, "maximum": 1000}),
        ({"count": "1001"}, "count", {"type": "RangeRequirement", "minimum": 1, "maximum": 1000}),
        (
            {"page": "0"},
            "page",
            {"type": "RangeRequirement", "minimum": 1, "maximum": 2147483647},
        ),
        (
            {"search": "updatedAt>=<"},
            "search",
            {"type": "DataTypeRequirement", "dataType": "date"},
        ),
    ],
)
def test_a_bad_parameter_is_a_400_array_of_endpoint_validation_errors(
    client, params, parameter, requirement
) -> None:
    response = client.get(PATHS["emails"], params=params, headers=basic())
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == [
        {
            "type": "EndpointValidationError",
            "parameter": parameter,
            "value": params[parameter],
            "requirement": requirement,
        }
    ]


@pytest.mark.parametrize("kind", list(PATHS))
def test_without_credentials_a_401_as_on_the_bulk_routes(client, kind) -> None:
    response = client.get(PATHS[kind])
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Basic realm="Eloqua"'
    assert response.json()["failures"][0]["field"] == "Authorization"


def test_a_bearer_token_from_the_refresh_grant_reads_the_lists(client) -> None:
    first = client.post(
        "/auth/oauth2/token",
        auth=("tap", "secret"),
        data={"grant_type": "password", "username": "Acme\\jane", "password": "pw"},
    ).json()
    refreshed = client.post(
        "/auth/oauth2/token",
        auth=("tap", "secret"),
        data={
            "grant_type": "refresh_token",
            "refresh_token": first["refresh_token"],
            "redirect_uri": "http://localhost/cb",
            "scope": "full",
        },
    ).json()
    assert isinstance(refreshed["expires_in"], int)
    base = client.get("/id", headers=bearer(refreshed["access_token"])).json()["urls"]["base"]
    response = client.get(
        base + PATHS["visitors"], params={"count": 1}, headers=bearer(refreshed["access_token"])
    )
    assert response.status_code == 200
    assert response.json()["total"] == len(fixture("visitors"))


def test_paths_are_matched_as_pods_spell_them(client) -> None:
    for path in ("/API/REST/2.0/assets/emails", "/api/rest/2.0/assets/emails/"):
        assert client.get(path, params={"count": 1}, headers=basic()).status_code == 200


def test_each_site_reads_its_own_copy_of_the_fixtures(client) -> None:
    acme = client.get(PATHS["campaigns"], headers=basic("Acme")).json()
    globex = client.get(PATHS["campaigns"], headers=basic("Globex", "hank")).json()
    assert acme == globex
    assert acme["total"] == 6


def test_email_groups_are_the_bulk_email_groups(client) -> None:
    bulk = client.get("/api/bulk/2.0/emailGroups", headers=basic()).json()["items"]
    rest = client.get(PATHS["emailGroups"], headers=basic()).json()["elements"]
    assert [(g["id"], g["name"]) for g in rest] == [
        (g["uri"].rsplit("/", 1)[1], g["name"]) for g in bulk
    ]


def test_campaigns_are_the_bulk_campaign_records() -> None:
    records = [
        json.loads(line)
        for line in (ROOT / "fixtures" / "campaigns" / "records.jsonl").read_text().splitlines()
    ]
    rest = {c["id"]: c for c in fixture("campaigns")}
    assert sorted(rest) == sorted(str(r["id"]) for r in records)
    for record in records:
        assert rest[str(record["id"])]["name"] == record["fields"]["CampaignName"]
        assert rest[str(record["id"])]["crmId"] == record["fields"]["CRMCampaignId"]


def test_visitors_are_those_of_the_web_activities() -> None:
    web = [
        json.loads(line)
        for line in (ROOT / "fixtures" / "activities" / "records.jsonl").read_text().splitlines()
    ]
    externals = {(str(a["visitorId"]), a["fields"].get("VisitorExternalId")) for a in web}
    for visitor in fixture("visitors"):
        assert (visitor["visitorId"], visitor["externalId"]) in externals


def test_route_names_are_the_operation_ids() -> None:
    assert set(OPERATIONS) == set(PATHS)
    documented_ids = {
        item["get"]["operationId"] for path, item in SPEC["paths"].items() if path.startswith(REST)
    }
    assert documented_ids == set(OPERATIONS.values())


@pytest.fixture(scope="module")
def app_client():
    with TestClient(create_app(Settings(db=":memory:")), base_url=LOCAL) as client:
        yield client


@given(
    kind=st.sampled_from(sorted(PATHS)),
    params=st.dictionaries(
        st.sampled_from(["count", "page", "depth", "orderBy", "search"]),
        st.text(max_size=40),
        max_size=5,
    ),
)
def test_any_parameters_are_answered_without_a_server_error(app_client, kind, params) -> None:
    response = app_client.get(PATHS[kind], params=params, headers=basic())
    assert response.status_code in (200, 400)
    body = response.json()
    if response.status_code == 400:
        assert isinstance(body, list)
        assert body
        assert {e["parameter"] for e in body} <= set(params)
    else:
        assert len(body["elements"]) <= body["pageSize"]


def test_an_unknown_depth_is_minimal_as_oracle_documents(client) -> None:
    unknown = client.get(PATHS["campaigns"], params={"depth": "deep"}, headers=basic())
    minimal = client.get(PATHS["campaigns"], headers=basic())
    assert unknown.status_code == 200
    assert unknown.json() == minimal.json()
