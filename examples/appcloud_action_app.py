"""An AppCloud action service, built as Oracle's tutorial "Retrieving app records using the
bulk API" describes: Eloqua notifies it when contacts reach its step (records per
notification 0); it answers 204 at once, then pulls the step's pending members through the
Bulk API, does its work, and marks them complete so they leave the step.

Against the emulator (``make run`` in another terminal)::

    ELOQUA_LOGIN=http://127.0.0.1:8080 ELOQUA_AUTH='Acme\\jane:pw' \\
        .venv/bin/uvicorn examples.appcloud_action_app:app --port 9000
    curl -u 'Acme\\jane:pw' http://127.0.0.1:8080/id     # the site exists once signed in
    curl -H 'Content-Type: application/json' http://127.0.0.1:8080/_emulator/appcloud/instances \\
      -d '{"site": "Acme", "type": "action", "notificationUrl":
      "http://127.0.0.1:9000/notify?instance={InstanceId}&execution={ExecutionId}"}'
    curl -H 'Content-Type: application/json' -d '{"recordIds": [1, 2, 3]}' \\
      http://127.0.0.1:8080/_emulator/appcloud/instances/<instanceId>/executions
"""

from __future__ import annotations

import os
import time
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DONE = {"success", "warning", "error"}
processed: list[dict[str, Any]] = []  # what the app did, for whoever runs it


def bulk_api() -> httpx.Client:
    """Discover the pod's Bulk API 2.0 base through the login host, as every client does."""
    login = os.environ.get("ELOQUA_LOGIN", "https://login.eloqua.com")
    user, password = os.environ.get("ELOQUA_AUTH", "Acme\\jane:pw").split(":", 1)
    urls = httpx.get(f"{login}/id", auth=(user, password), timeout=30).json()["urls"]
    base = urls["apis"]["rest"]["bulk"].replace("{version}", "2.0")
    return httpx.Client(base_url=base, auth=(user, password), timeout=30)


def sync(api: httpx.Client, definition_uri: str) -> dict[str, Any]:
    """Create a sync of the definition and poll it until it ends."""
    created = api.post("syncs", json={"syncedInstanceUri": definition_uri})
    created.raise_for_status()
    while True:
        found: dict[str, Any] = api.get(created.json()["uri"].lstrip("/")).json()
        if found["status"] in DONE:
            return found
        time.sleep(0.2)


def pull_pending(api: httpx.Client, instance: str, execution: str) -> list[dict[str, str]]:
    """The step's pending members: an export filtered on the execution's status."""
    step = f"{{{{ActionInstance({instance}).Execution[{execution}]}}}}"
    definition = api.post(
        "contacts/exports",
        json={
            "name": f"Example app pending {instance} {execution}",
            "fields": {
                "ContactID": "{{Contact.Id}}",
                "EmailAddress": "{{Contact.Field(C_EmailAddress)}}",
            },
            "filter": f"STATUS('{step}') = 'pending'",
        },
    )
    definition.raise_for_status()
    done = sync(api, definition.json()["uri"])
    members: list[dict[str, str]] = []
    offset = 0
    while True:
        page = api.get(f"{done['uri'].lstrip('/')}/data", params={"offset": offset}).json()
        members += page.get("items", [])
        if not page["hasMore"]:
            return members
        offset += page["count"]


def mark_complete(api: httpx.Client, instance: str, execution: str, ids: list[str]) -> str:
    """Report: an import whose sync action sets each member's status to complete."""
    step = f"{{{{ActionInstance({instance}).Execution[{execution}]}}}}"
    definition = api.post(
        "contacts/imports",
        json={
            "name": f"Example app results {instance} {execution}",
            "fields": {"ContactID": "{{Contact.Id}}"},
            "identifierFieldName": "ContactID",
            "syncActions": [{"action": "setStatus", "destination": step, "status": "complete"}],
        },
    )
    definition.raise_for_status()
    uri = definition.json()["uri"]
    staged = api.post(f"{uri.lstrip('/')}/data", json=[{"ContactID": i} for i in ids])
    staged.raise_for_status()
    return str(sync(api, uri)["status"])


def work(instance: str, execution: str) -> None:
    """Pull, act, report: here the action is only to remember whom it saw."""
    instance = instance.replace("-", "")  # Bulk statements name instances without dashes
    with bulk_api() as api:
        members = pull_pending(api, instance, execution)
        status = mark_complete(api, instance, execution, [m["ContactID"] for m in members])
    processed.append({"execution": execution, "members": members, "report": status})


async def notify(request: Request) -> Response:
    """Eloqua's notification: answer 204 (process asynchronously), then do the work."""
    await request.body()
    instance = request.query_params["instance"]
    execution = request.query_params["execution"]
    return Response(status_code=204, background=BackgroundTask(work, instance, execution))


app = Starlette(routes=[Route("/notify", notify, methods=["POST"])])
