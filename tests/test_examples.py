"""The example AppCloud app against the emulator on loopback: records enter its step, the
app is notified, pulls the pending members through the Bulk API, reports them complete,
and they leave the step."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from contract_tests.target import serve_app, serve_in_thread
from contract_tests.waiting import wait_until
from examples import appcloud_action_app

INSTANCES = "/_emulator/appcloud/instances"


def test_the_example_app_completes_every_member_of_its_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    appcloud_action_app.processed.clear()
    with (
        serve_in_thread() as emulator,
        serve_app(appcloud_action_app.app) as app,
        httpx.Client(base_url=emulator, timeout=30) as control,
    ):
        monkeypatch.setenv("ELOQUA_LOGIN", emulator)
        monkeypatch.setenv("ELOQUA_AUTH", "Acme\\jane:pw")
        assert control.get("/id", auth=("Acme\\jane", "pw")).status_code == 200
        created = control.post(
            INSTANCES,
            json={
                "site": "Acme",
                "type": "action",
                "notificationUrl": app + "/notify?instance={InstanceId}&execution={ExecutionId}",
            },
        )
        assert created.status_code == 201, created.text
        guid = created.json()["instanceId"]
        entered = control.post(f"{INSTANCES}/{guid}/executions", json={"recordIds": [4, 2, 9]})
        assert entered.status_code == 201, entered.text
        execution = entered.json()["executionId"]
        found: dict[str, Any] = {}

        def step_completed() -> bool:
            nonlocal found
            found = control.get(f"{INSTANCES}/{guid}/executions/{execution}").json()
            complete = all(m["status"] == "complete" for m in found["members"])
            return complete and bool(appcloud_action_app.processed)

        wait_until(
            step_completed,
            timeout=60,
            every=0.1,
            message=lambda: f"the app did not complete its step: {found}",
        )
        assert found["members"] == [
            {"recordId": 2, "status": "complete"},
            {"recordId": 4, "status": "complete"},
            {"recordId": 9, "status": "complete"},
        ]
        assert found["notifications"][0]["status"] == 204
        (done,) = appcloud_action_app.processed
        assert [m["ContactID"] for m in done["members"]] == ["2", "4", "9"]
        assert done["report"] == "success"
