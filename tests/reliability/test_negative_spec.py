"""Every operation of every contract, called with data its schema forbids (schemathesis's
negative mode) on the in-process app through schemathesis's ASGI transport, signed in as
each service expects: whatever arrives, the answer is never a 5xx, and a 4xx on a Bulk path
is in Eloqua's failure shape.

Three examples an operation in ``make test`` (HYPOTHESIS_PROFILE ``ci``); under ``deep``
a hundred, with schemathesis's explicit-example and coverage phases as well.
``create_fault`` is left out: a fault rule is a way to *ask* for a 500.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.schemas import BaseSchema

from contract_tests.checks import eloqua_failure_shape
from emulator import Settings, create_app
from tests.acoustic.helpers import token_params
from tests.conftest import CONTROL, LOCAL, ROOT, basic

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
EXAMPLES = 100 if DEEP else 3
# schemathesis's coverage phase (boundary values of every parameter) costs ~0.5 s an
# operation: only under ``deep``
PHASES = ["examples", "coverage", "fuzzing"] if DEEP else ["fuzzing"]
CHECKS = [not_a_server_error, eloqua_failure_shape]
ASKS_FOR_FAILURES = "^create_fault$"


def negative(name: str) -> BaseSchema:
    schema = schemathesis.openapi.from_path(str(ROOT / "openapi" / name))
    schema.config.generation.update(modes=[GenerationMode.NEGATIVE], max_examples=EXAMPLES)
    schema.config.phases.update(phases=PHASES)
    return schema.exclude(operation_id_regex=ASKS_FOR_FAILURES)


BULK = negative("eloqua-bulk-2.0.yaml")
REST = negative("eloqua-rest-2.0.yaml")
CONTROL_PLANE = negative("emulator-control.yaml")
ACOUSTIC = negative("acoustic-bulk-event-export.yaml")
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(hypothesis.HealthCheck)
)


@pytest.fixture(scope="module")
def app() -> Iterator[Any]:
    """An emulator whose site has signed in, served by schemathesis's ASGI transport (which
    runs its lifespan once, on the first request, until the module ends)."""
    emulator: Any = create_app(Settings(db=":memory:", sync_progression="immediate"))
    with asgi.get_client(emulator) as client:
        assert client.get(LOCAL + "/id", headers=basic()).json() != "Not authenticated."
    yield emulator
    asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def acoustic_bearer(app: Any) -> dict[str, str]:
    with asgi.get_client(app) as client:
        response = client.post(LOCAL + "/oauth/token", data=token_params())
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


def call(case: Any, app: Any, headers: dict[str, str]) -> None:
    case.call_and_validate(base_url=LOCAL, app=app, headers=headers, checks=CHECKS)


@BULK.parametrize()
@SETTINGS
def test_bulk_operations_never_answer_5xx(case: Any, app: Any) -> None:
    call(case, app, basic())


@REST.parametrize()
@SETTINGS
def test_rest_operations_never_answer_5xx(case: Any, app: Any) -> None:
    call(case, app, basic())


@CONTROL_PLANE.parametrize()
@SETTINGS
def test_control_operations_never_answer_5xx(case: Any, app: Any) -> None:
    call(case, app, CONTROL)


@ACOUSTIC.parametrize()
@SETTINGS
def test_acoustic_operations_never_answer_5xx(
    case: Any, app: Any, acoustic_bearer: dict[str, str]
) -> None:
    call(case, app, acoustic_bearer)
