"""Stateful workflows from the spec's ``links``: schemathesis chains calls the way a client
does (create a definition, stage data, create a sync, read the sync, its logs, rejects and
data), each answer checked as in ``test_conformance``.

A JSON schema cannot produce a definition Eloqua accepts (its field statements must name
the site's catalog), so the bodies of the definitions that start each flow are taken from
``DEFINITIONS``; every later step's body and parameters are generated, or come from the
link. Links give a definition's ``uri`` (``/contacts/imports/12``) where a path wants its
id; that value is cut to its last segment before the call.

This writes records, so on a pod it runs only with ``--allow-pod-writes``."""

from __future__ import annotations

import os
from typing import Any, ClassVar
from unittest import mock
from urllib.parse import unquote

import hypothesis
import pytest
import schemathesis
from schemathesis import Case
from schemathesis.specs.openapi import stateful

from contract_tests.checks import CHECKS, excluded_checks
from contract_tests.conftest import SPEC
from contract_tests.limits import LimitedSession
from contract_tests.target import Target

CONTACT_FIELDS = {
    "Email": "{{Contact.Field(C_EmailAddress)}}",
    "FirstName": "{{Contact.Field(C_FirstName)}}",
}
DEFINITIONS: dict[str, dict[str, Any]] = {
    "create_contact_import": {"fields": CONTACT_FIELDS, "identifierFieldName": "Email"},
    "create_contact_export": {"fields": CONTACT_FIELDS},
    "create_account_import": {
        "fields": {"Company": "{{Account.Field(M_CompanyName)}}"},
        "identifierFieldName": "Company",
    },
}
FLOW = [
    *DEFINITIONS,
    "stage_contact_import_data",
    "stage_account_import_data",
    "create_sync",
    "get_sync",
    "list_sync_logs",
    "list_sync_rejects",
    "get_sync_data",
]
STEPS = {"ci": 10, "deep": 20}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 10)
EXAMPLES = {"ci": 25, "deep": 200}.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), 25)
SYNC_READS = {"get_sync", "list_sync_logs", "list_sync_rejects", "get_sync_data"}


def _machine() -> Any:
    """schemathesis starts flows only at operations it deems likely to succeed with random
    data, and it infers that ``externalSystemId`` names a resource no operation creates; so
    it would never start at a definition. Here the definitions are roots, since their
    bodies come from ``DEFINITIONS``."""
    flows = schemathesis.openapi.from_path(str(SPEC)).include(operation_id=FLOW)
    likely = stateful.is_likely_root_transition
    operations: list[Any] = [result.ok() for result in flows.get_all_operations()]  # type: ignore[union-attr]
    starts = {op.label for op in operations if _id(op) in DEFINITIONS}

    def root(operation: Any, node: Any, produced: set[str]) -> bool:
        return operation.label in starts or likely(operation, node, produced)

    with mock.patch.object(stateful, "is_likely_root_transition", root):
        return flows.as_state_machine()


def _id(operation: Any) -> str:
    return str(operation.definition.raw.get("operationId"))


Machine = _machine()


class Flows(Machine):  # type: ignore[misc, valid-type]
    """The state machine, pointed at the target by the test."""

    target: ClassVar[Target]
    origin: ClassVar[str]
    session: ClassVar[LimitedSession]
    run_id: ClassVar[str]
    created: ClassVar[list[str]]
    calls: ClassVar[list[tuple[str, int]]]  # (operationId, status)

    def before_call(self, case: Case) -> None:
        operation_id = _id(case.operation)
        if operation_id in DEFINITIONS:
            case.body = {
                "name": f"contract-{self.run_id}-stateful",
                **DEFINITIONS[operation_id],
            }
        for name, value in (case.path_parameters or {}).items():
            if isinstance(value, str) and unquote(value).startswith("/"):
                case.path_parameters[name] = unquote(value).rsplit("/", 1)[-1]

    def get_call_kwargs(self, case: Case) -> dict[str, Any]:
        return {"base_url": self.origin, "session": self.session, "headers": self.target.headers}

    def after_call(self, response: Any, case: Case) -> None:
        operation_id = _id(case.operation)
        self.calls.append((operation_id, response.status_code))
        if response.status_code == 201 and operation_id in DEFINITIONS:
            self.created.append(str(response.json()["uri"]))

    def validate_response(self, response: Any, case: Case, **kwargs: Any) -> None:
        case.validate_response(
            response, additional_checks=list[Any](CHECKS), excluded_checks=excluded_checks(case)
        )


def test_the_flows_of_the_links_run_as_documented(
    target: Target,
    bulk_origin: str,
    api_session: LimitedSession,
    run_id: str,
    created: list[str],
    request: pytest.FixtureRequest,
) -> None:
    if not target.is_emulator and not request.config.getoption("--allow-pod-writes"):
        pytest.skip("creates definitions and syncs: run with --allow-pod-writes on a pod")
    Flows.target, Flows.origin, Flows.session = target, bulk_origin, api_session
    Flows.run_id, Flows.created, Flows.calls = run_id, created, []
    Flows.run(
        settings=hypothesis.settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.generate],
        )
    )
    reached = {operation for operation, status in Flows.calls if status < 400}
    assert "create_sync" in reached, Flows.calls
    assert reached & {"stage_contact_import_data", "stage_account_import_data"}, Flows.calls
    assert reached & SYNC_READS, Flows.calls
