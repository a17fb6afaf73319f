"""``/_emulator/faults``: making rules, reading how often they fired, taking them away; and
what a client of an Eloqua route gets while one is in force."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.conftest import basic
from tests.routes.bulk import BULK, Bulk

FAULTS = "/_emulator/faults"
FIELDS = BULK + "/contacts/fields"


def add(bulk: Bulk, **rule: Any) -> dict[str, Any]:
    response = bulk.client.post(FAULTS, json=rule)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_rule_is_made_listed_read_and_removed(bulk: Bulk) -> None:
    made = add(bulk, method="GET", path="/api/bulk/2.0/syncs/*", status=500, times=2, seed=7)
    assert made == {
        "id": made["id"],
        "method": "GET",
        "path": "/api/bulk/2.0/syncs/*",
        "site": None,
        "status": 500,
        "retryAfter": 120,
        "errorSeverity": 3,
        "error": "Unable to process request due to a temporary error.",
        "probability": 1.0,
        "seed": 7,
        "times": 2,
        "fired": 0,
        "remaining": 2,
    }
    other = add(bulk, path="/api/bulk/2.0/**", latencyMs={"dist": "uniform", "min": 1, "max": 3})
    listed = bulk.client.get(FAULTS).json()
    assert [r["id"] for r in listed["items"]] == [made["id"], other["id"]]
    assert listed["count"] == 2
    assert bulk.client.get(f"{FAULTS}/{made['id']}").json() == made
    assert bulk.client.delete(f"{FAULTS}/{made['id']}").status_code == 204
    assert bulk.client.get(f"{FAULTS}/{made['id']}").status_code == 404
    assert bulk.client.delete(f"{FAULTS}/{made['id']}").status_code == 404
    assert bulk.client.delete(FAULTS).status_code == 204
    assert bulk.client.get(FAULTS).json() == {"items": [], "count": 0}


def test_a_bad_rule_is_refused_whole_with_every_failure(bulk: Bulk) -> None:
    response = bulk.client.post(
        FAULTS, json={"path": "/x", "status": 418, "probability": 3, "colour": "red"}
    )
    assert response.status_code == 400
    assert {f["field"] for f in response.json()["failures"]} == {"status", "probability", "colour"}
    assert bulk.client.get(FAULTS).json()["count"] == 0
    not_json = bulk.client.post(FAULTS, content=b"path=/x", headers={"Content-Type": "text/plain"})
    assert not_json.status_code == 400
    assert bulk.client.post(FAULTS, json=[{"path": "/x", "status": 500}]).status_code == 400


def test_an_injected_bulk_500_has_eloquas_shape_and_fires_its_times(bulk: Bulk) -> None:
    rule = add(bulk, method="GET", path="/api/bulk/2.0/contacts/*", status=500, times=1)
    failed = bulk.client.get(FIELDS, headers=bulk.headers)
    assert failed.status_code == 500
    assert failed.json() == {
        "error": "Unable to process request due to a temporary error.",
        "errorSeverity": 3,
    }
    assert failed.headers["retry-after"] == "120"
    assert failed.headers["cache-control"] == "no-store"  # a pod's headers, as on any answer
    assert bulk.client.get(FIELDS, headers=bulk.headers).status_code == 200
    assert bulk.client.get(f"{FAULTS}/{rule['id']}").json()["fired"] == 1


def test_an_injected_401_is_an_expired_token(bulk: Bulk) -> None:
    add(bulk, path=FIELDS, status=401, times=1)
    refused = bulk.client.get(FIELDS, headers=bulk.headers)
    assert refused.status_code == 401
    assert refused.json() == {
        "failures": [{"field": "Authorization", "constraint": "The access token has expired."}]
    }
    assert refused.headers["www-authenticate"] == 'Basic realm="Eloqua"'
    assert "retry-after" not in refused.headers


@pytest.mark.parametrize(
    ("status", "constraint"), [(429, "Too Many Requests"), (503, "The service is unavailable.")]
)
def test_injected_429_and_503_carry_retry_after(bulk: Bulk, status: int, constraint: str) -> None:
    add(bulk, path=FIELDS, status=status, retryAfter=2, times=1)
    answer = bulk.client.get(FIELDS, headers=bulk.headers)
    assert answer.status_code == status
    assert answer.json() == {"failures": [{"field": "request", "constraint": constraint}]}
    assert answer.headers["retry-after"] == "2"


def test_retry_after_null_sends_none(bulk: Bulk) -> None:
    add(bulk, path=FIELDS, status=500, errorSeverity=0, retryAfter=None, times=1)
    answer = bulk.client.get(FIELDS, headers=bulk.headers)
    assert answer.json()["errorSeverity"] == 0
    assert "retry-after" not in answer.headers


def test_faults_match_the_spellings_pods_accept(bulk: Bulk) -> None:
    add(bulk, path="/API/Bulk/2.0/contacts/fields", status=503, times=2)
    assert bulk.client.get("/api/bulk/2.0/contacts/fields", headers=bulk.headers).status_code == 503
    assert (
        bulk.client.get("/API/Bulk/2.0//Contacts/Fields/", headers=bulk.headers).status_code == 503
    )


def test_a_site_rule_fires_for_that_sites_basic_and_bearer_callers(bulk: Bulk) -> None:
    add(bulk, path=FIELDS, site="Globex", status=503)
    assert bulk.client.get(FIELDS, headers=basic("Acme")).status_code == 200
    assert bulk.client.get(FIELDS, headers=basic("globex")).status_code == 503
    token = bulk.client.post(
        "/auth/oauth2/token",
        auth=("client", "secret"),
        data={"grant_type": "password", "username": "Globex\\ann", "password": "pw"},
    ).json()["access_token"]
    assert bulk.client.get(FIELDS, headers={"Authorization": f"Bearer {token}"}).status_code == 503


def test_the_control_plane_is_never_faulted(bulk: Bulk) -> None:
    add(bulk, path="/**", status=503)
    assert bulk.client.get(FIELDS, headers=bulk.headers).status_code == 503
    assert bulk.client.get("/_emulator/health").status_code == 200
    assert bulk.client.get(FAULTS).status_code == 200
    assert bulk.client.delete(FAULTS).status_code == 204
    assert bulk.client.get(FIELDS, headers=bulk.headers).status_code == 200


def test_a_latency_rule_delays_then_answers(bulk: Bulk) -> None:
    add(bulk, path=FIELDS, latencyMs=300, times=1)
    started = time.perf_counter()
    slow = bulk.client.get(FIELDS, headers=bulk.headers)
    waited = time.perf_counter() - started
    assert slow.status_code == 200
    assert waited >= 0.3
    status = bulk.client.get(f"{FAULTS}/1").json()
    assert (status["fired"], status["latencyMs"]) == (1, 300.0)


def test_a_seeded_probability_fires_the_same_requests_each_run(bulk_factory: Any) -> None:
    def statuses() -> list[int]:
        bulk = bulk_factory()
        add(bulk, path=FIELDS, status=503, probability=0.5, seed=11)
        return [bulk.client.get(FIELDS, headers=bulk.headers).status_code for _ in range(12)]

    first = statuses()
    assert first == statuses()
    assert set(first) == {200, 503}
