"""The control plane against its own contract, with data generated from it: every answer a
documented status and body, never a 5xx (the AppCloud routes take arbitrary JSON)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis

from contract_tests.target import serve_in_thread
from tests.conftest import CONTROL, ROOT

schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / "emulator-control.yaml")).include(
    path_regex="^/_emulator/(appcloud|sites)/"
)
GUID = "f82d50cd-86a9-4fca-b37e-4ec9a98b0339"


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    with serve_in_thread() as url:
        httpx.get(url + "/id", auth=("Acme\\jane", "pw")).raise_for_status()
        created = httpx.post(
            url + "/_emulator/appcloud/instances",
            json={"site": "Acme", "type": "action", "instanceId": GUID},
        )
        created.raise_for_status()
        yield url


@schema.parametrize()
@hypothesis.settings(
    max_examples=25, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_the_control_plane_answers_as_documented(case: Any, emulator: str) -> None:
    if "instance" in (case.path_parameters or {}) and case.method != "DELETE":
        case.path_parameters["instance"] = GUID  # a known instance reaches the body checks
    case.call_and_validate(
        base_url=emulator,
        headers=CONTROL,  # a DELETE has no body: the header shows a program sent it
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
