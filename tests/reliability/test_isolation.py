"""Isolation, generated from the Bulk spec: for every operation of
openapi/eloqua-bulk-2.0.yaml another site sends it with site A's ids and gets nothing of
site A's and changes nothing of it; another user of site A cannot read or drop the first
user's exported data (reference §9.3).

Site A holds one of everything (``isolation_world``). After each request the store's
fingerprint, hashed site by site, shows what changed: a refused request changes nothing at
all, an accepted one only rows of the site that sent it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from emulator import Settings, create_app
from tests.conftest import LOCAL, Clock, SpecValidator, basic
from tests.reliability.isolation_bodies import BODIES, CONTACT_EMAIL, MARKER
from tests.reliability.isolation_cases import (
    REFERENCES,
    Operation,
    Request,
    operations,
    path_of,
    requests_of,
)
from tests.reliability.isolation_world import (
    BULK,
    USER_1,
    USER_2,
    World,
    a_headers,
    b_headers,
    build,
)

# Operations without a case, each with its reason; none so far.
EXCLUDED: dict[str, str] = {}
CASES = [op for op in operations() if op.operation_id not in EXCLUDED]
READS = [op for op in CASES if op.method == "GET" and not op.parameters and BULK in op.template]
EXPORT_DATA = [op for op in CASES if op.is_export_data]
READER = basic("SiteC", "reader")  # a third site, which only reads


def emulator(spec_validator: SpecValidator) -> TestClient:
    """An emulator whose syncs end at once, on a clock that stands still; every answer is
    checked against the spec."""
    app = create_app(Settings(db=":memory:", sync_progression="immediate"), clock=Clock())
    client = TestClient(app, base_url=LOCAL)
    client.event_hooks = {"request": [], "response": [spec_validator]}
    return client


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, spec_validator: SpecValidator
) -> Iterator[World]:
    with emulator(spec_validator) as client:
        yield build(client, Path(tmp_path_factory.mktemp("site-a")) / "fixtures")


@pytest.fixture(scope="module")
def pristine(world: World, spec_validator: SpecValidator) -> Iterator[TestClient]:
    """An emulator where site A never was; site C signed in to it and to the world's."""
    with emulator(spec_validator) as client:
        for each in (client, world.client):
            assert each.get(BULK + "/contacts/fields", headers=READER).status_code == 200
        world.changes()  # site C's first request copied the fixtures into it
        yield client


def failure_shape(response: httpx.Response) -> None:
    body = response.json()
    assert set(body) == {"failures"}, body
    assert body["failures"], body
    assert all({"field", "constraint"} <= set(failure) for failure in body["failures"]), body


def leaked(response: httpx.Response, request: Request, world: World) -> list[str]:
    """Site A's identifying values in an answer: the marker its names, staged and exported
    values carry, and its sync uris but the one the request named (an error echoes it)."""
    sent = f"{request.path} {request.json} {request.data}"
    text = (response.text + " " + response.headers.get("location", "")).lower()
    values = [MARKER, *(uri for uri in world.sync_uris if uri not in sent)]
    return [value for value in values if value.lower() in text]


def uris(response: httpx.Response) -> set[str]:
    if not response.headers.get("content-type", "").startswith("application/json"):
        return set()
    items = response.json().get("items", [])
    return {str(item.get("uri")) for item in items if isinstance(item, dict)}


@pytest.mark.parametrize("operation", CASES, ids=str)
def test_another_site_gets_and_changes_nothing_of_site_a(
    world: World, operation: Operation
) -> None:
    for request in requests_of(operation, world):
        response = request.send(world.client)
        assert response.status_code < 500, response.text
        assert leaked(response, request, world) == [], response.text
        if operation.names_an_item:
            assert response.status_code == 404, response.text
            failure_shape(response)
        elif request.refused:
            assert 400 <= response.status_code < 500, response.text
        else:
            assert not uris(response) & {*world.definition_uris(), *world.sync_uris}
        touched = world.changes()
        if response.status_code >= 400:
            assert touched == [], response.text
        else:  # site B's own rows, nothing else
            assert all(table.endswith(f"@{world.site_b}") for table in touched), touched


@pytest.mark.parametrize("operation", READS, ids=str)
def test_a_site_that_only_reads_sees_what_it_would_see_without_site_a(
    world: World, pristine: TestClient, operation: Operation
) -> None:
    """Lists and staging space, counts included: site A does not show, not even as a
    number."""
    path = path_of(operation, world)
    world.changes()
    here = world.client.get(path, headers=READER)
    there = pristine.get(path, headers=READER)
    assert here.status_code == there.status_code == 200, here.text
    assert here.json() == there.json()
    assert world.changes() == []


@pytest.mark.parametrize("name", REFERENCES)
def test_another_site_cannot_use_site_a_items_in_its_own_definitions(
    world: World, name: str
) -> None:
    """Refused when defined, or for AppCloud steps (which a definition may name before the
    step exists) when synced; the refusal names site A's item as unknown."""
    definition = REFERENCES[name](world)
    world.changes()
    body = {"name": name, **definition.body}
    answer = world.client.post(BULK + definition.collection, json=body, headers=b_headers())
    answers = [answer]
    if answer.status_code == 201:
        uri = answer.json()["uri"]
        if "/syncActions/" in uri:
            rows = [{body["identifierFieldName"]: "CDO9-00001"}]
            staged = world.client.post(BULK + uri + "/data", json=rows, headers=b_headers())
            assert staged.status_code == 204, staged.text
        sync = {"syncedInstanceUri": uri}
        answers.append(world.client.post(BULK + "/syncs", json=sync, headers=b_headers()))
    assert 400 <= answers[-1].status_code < 500, answers[-1].text
    failure_shape(answers[-1])
    assert definition.naming in answers[-1].text, answers[-1].text
    assert all(MARKER not in answer.text.lower() for answer in answers)
    touched = world.changes()
    assert all(table.endswith(f"@{world.site_b}") for table in touched), touched


def test_two_sites_with_the_same_ids_each_see_and_sync_their_own(world: World) -> None:
    """Ids are per site, and so are records: sites D and E both get import 1, export 1 and
    syncs 1 and 2, and both import a contact with the same address, staged in both before
    either syncs; each site's export shows its own contact only."""
    sites = {"SiteD": basic("SiteD", "dora"), "SiteE": basic("SiteE", "emil")}
    world.changes()

    def post(path: str, body: Any, headers: dict[str, str], status: int = 201) -> str:
        response = world.client.post(BULK + path, json=body, headers=headers)
        assert response.status_code == status, response.text
        return str(response.json()["uri"]) if response.content else ""

    address = "same.address@example.com"
    for site, headers in sites.items():
        body = {"name": site, **BODIES["/contacts/imports"]}
        assert post("/contacts/imports", body, headers) == "/contacts/imports/1"
        post("/contacts/imports/1/data", [{"email": address, "first": site}], headers, 204)
    for headers in sites.values():
        assert post("/syncs", {"syncedInstanceUri": "/contacts/imports/1"}, headers) == "/syncs/1"
        assert world.client.get(BULK + "/syncs/1", headers=headers).json()["status"] == "success"
    for site, headers in sites.items():
        export = {
            "name": site,
            **BODIES["/contacts/exports"],
            "filter": f"'{CONTACT_EMAIL}' = '{address}'",
        }
        assert post("/contacts/exports", export, headers) == "/contacts/exports/1"
        assert post("/syncs", {"syncedInstanceUri": "/contacts/exports/1"}, headers) == "/syncs/2"
    for site, headers in sites.items():
        data = world.client.get(BULK + "/syncs/2/data", headers=headers).json()
        assert data["items"] == [{"email": address, "first": site}]
        found = world.client.get(BULK + "/contacts/imports/1", headers=headers).json()
        assert found["name"] == site
    own = {f"@{world.site_of(site)}" for site in sites}
    touched = world.changes()
    assert touched
    assert all(name[name.find("@") :] in own for name in touched), touched


@pytest.mark.parametrize("operation", EXPORT_DATA, ids=str)
def test_another_user_of_the_site_cannot_read_or_drop_the_exported_data(
    world: World, operation: Operation
) -> None:
    """Reference §9.3: "Only the user who synchronizes an export is able to retrieve the
    exported data: any other user who attempts to retrieve it will receive an error". A
    definition's ``DELETE …/data`` drops the caller's own data only (none here)."""
    path = path_of(operation, world)
    world.changes()
    response = world.client.request(operation.method, path, headers=a_headers(USER_2))
    if operation.method == "GET":
        assert response.status_code == 403, response.text
        failure_shape(response)
    else:
        assert response.status_code in (204, 403), response.text
    assert MARKER not in response.text.lower()
    assert world.changes() == []
    assert world.client.get(path, headers=a_headers(USER_1)).status_code == 200


def test_every_operation_of_the_spec_has_a_case(world: World) -> None:
    """Every operation but the excluded ones has a case that can be sent (its path filled,
    its body made); exclusions name operations the spec still has."""
    spec = {op.operation_id for op in operations()}
    assert set(EXCLUDED) <= spec, set(EXCLUDED) - spec
    assert {op.operation_id for op in CASES} == spec - set(EXCLUDED)
    for operation in CASES:
        requests = requests_of(operation, world)
        assert requests, operation
        assert all("{" not in r.path for r in requests), operation
        if operation.has_body:
            assert all(r.json is not None or r.data is not None for r in requests), operation
    exports = {f"{c}/{{id}}/data" for c in BODIES if c.endswith("/exports")}
    assert {op.relative for op in EXPORT_DATA} == {"/syncs/{id}/data"} | exports
