"""BEX job definitions as a client uses them: the example body of Acoustic's page creates
one (data.jobId); GET shows it with the defaults; PUT with the id changes its frequency;
DELETE removes it. Writes a definition (deleted at the end), so on a pod it runs only
with --allow-pod-writes, on the database and FTP user the options name."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contract_tests.acoustic.conftest import JOBS, example_bytes
from contract_tests.acoustic.target import AcousticTarget

pytestmark = [pytest.mark.acoustic, pytest.mark.writes_pod_data]


def create(acoustic: httpx.Client, created: list[int], body: dict[str, Any]) -> int:
    response = acoustic.post(JOBS, json=body)
    assert response.status_code == 200, response.text
    job_id = response.json()["data"]["jobId"]
    assert isinstance(job_id, int)
    created.append(job_id)
    return job_id


def test_the_example_body_creates_a_definition_get_put_and_delete_follow(
    acoustic: httpx.Client,
    acoustic_created: list[int],
    acoustic_target: AcousticTarget,
    definition: dict[str, Any],
) -> None:
    if acoustic_target.is_emulator and definition == _example():
        # sent byte for byte as the page gives it
        response = acoustic.post(
            JOBS, content=example_bytes(), headers={"Content-Type": "application/json"}
        )
    else:
        response = acoustic.post(JOBS, json=definition)
    assert response.status_code == 200, response.text
    job_id = response.json()["data"]["jobId"]
    acoustic_created.append(job_id)

    shown = acoustic.get(f"{JOBS}/{job_id}")
    assert shown.status_code == 200
    data = shown.json()["data"]
    assert data["id"] == job_id
    assert str(data["contactSourceId"]) == str(definition["contactSourceId"])
    (channel,) = data["channels"]
    assert (channel["type"], channel["jobFrequency"], channel["exportFileFormat"]) == (
        "Email",
        1,
        "CSV",
    )
    assert [e["eventType"] for e in channel["eventTypes"]] == ["emailSend", "emailOpen"]

    replaced = {**definition, "id": job_id}
    replaced["channels"] = [{**definition["channels"][0], "jobFrequency": 6}]
    response = acoustic.put(f"{JOBS}/{job_id}", json=replaced)
    assert response.status_code == 200, response.text
    assert acoustic.get(f"{JOBS}/{job_id}").json()["data"]["channels"][0]["jobFrequency"] == 6

    response = acoustic.delete(f"{JOBS}/{job_id}")
    assert response.status_code == 200, response.text
    acoustic_created.remove(job_id)
    assert acoustic.get(f"{JOBS}/{job_id}").status_code == 404


def test_defaults_are_filled_in_for_what_a_body_leaves_out(
    acoustic: httpx.Client, acoustic_created: list[int], definition: dict[str, Any]
) -> None:
    body = {
        "contactSourceId": definition["contactSourceId"],
        "ftpUserId": definition["ftpUserId"],
        "channels": [{"type": "Email", "jobFrequency": 24}],
    }
    job_id = create(acoustic, acoustic_created, body)
    (channel,) = acoustic.get(f"{JOBS}/{job_id}").json()["data"]["channels"]
    assert channel["exportFileFormat"] == "CSV"
    assert channel["exportFileName"].startswith("Recipient Event Bulk Export_")
    assert (channel["eventTypes"], channel["mailingTypes"], channel["columnNames"]) == ([], [], [])
    assert acoustic.delete(f"{JOBS}/{job_id}").status_code == 200
    acoustic_created.remove(job_id)


def test_put_with_another_id_in_the_body_is_refused(
    acoustic: httpx.Client, acoustic_created: list[int], definition: dict[str, Any]
) -> None:
    job_id = create(acoustic, acoustic_created, definition)
    response = acoustic.put(f"{JOBS}/{job_id}", json={**definition, "id": job_id + 1})
    assert response.status_code == 400
    assert "id" in response.json()["meta"]["fieldErrors"]
    assert acoustic.delete(f"{JOBS}/{job_id}").status_code == 200
    acoustic_created.remove(job_id)


@pytest.mark.emulator_only
def test_the_list_extension_shows_the_orgs_definitions(
    acoustic: httpx.Client, acoustic_created: list[int], definition: dict[str, Any]
) -> None:
    job_id = create(acoustic, acoustic_created, definition)
    listed = acoustic.get(JOBS)
    assert listed.status_code == 200
    assert job_id in [d["id"] for d in listed.json()["data"]]
    assert acoustic.delete(f"{JOBS}/{job_id}").status_code == 200
    acoustic_created.remove(job_id)


def _example() -> dict[str, Any]:
    import orjson

    return dict(orjson.loads(example_bytes()))
