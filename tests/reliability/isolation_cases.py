"""The isolation cases: one per operation of the Bulk spec, and what another site sends.

An operation's path parameters are filled with site A's values: ``{id}`` with the id of
site A's item in the collection the path names before it (``/contacts/imports/{id}`` →
site A's contact import, ``/customObjects/{parentId}/fields/{id}`` → its own field of the
custom object; ``/syncs/{id}/data`` → its export sync, other ``/syncs/{id}`` paths → its
import sync), ``{parentId}`` with the custom object or event every site has, on which
site A's definitions and its own fields live.
A route added to the spec gets a case with no edit, once site A has an item in its
collection.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import yaml
from starlette.testclient import TestClient

from tests.reliability.isolation_bodies import (
    BODIES,
    SHARED_PARENTS,
    STEP,
    definition_path,
    rows,
)
from tests.reliability.isolation_world import BULK, World, b_headers, client_headers

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "eloqua-bulk-2.0.yaml"
METHODS = ("get", "put", "post", "delete", "patch")
PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Operation:
    method: str
    template: str  # as the spec writes it: /api/bulk/2.0/contacts/imports/{id}
    operation_id: str
    has_body: bool

    def __str__(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def relative(self) -> str:
        """The template under the Bulk base (the login host's paths as they are)."""
        return self.template.removeprefix(BULK)

    @property
    def parameters(self) -> list[str]:
        return PARAMETER.findall(self.template)

    @property
    def names_an_item(self) -> bool:
        """Whether the path names one of site A's own items (an ``{id}``): another site
        must get a 404."""
        return "id" in self.parameters

    @property
    def is_export_data(self) -> bool:
        """``…/exports/{id}/data`` or ``/syncs/{id}/data``: exported data (reference §9.3)."""
        return self.relative.endswith("/{id}/data") and (
            self.relative.startswith("/syncs/") or "/exports/" in self.relative
        )


@functools.cache
def operations() -> tuple[Operation, ...]:
    """Every operation of the Bulk spec, in its order."""
    spec = yaml.load(SPEC.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return tuple(
        Operation(method.upper(), path, str(op["operationId"]), "requestBody" in op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    )


def path_of(operation: Operation, world: World) -> str:
    """The operation's path with site A's values in its parameters."""
    relative = operation.relative
    values: dict[str, int] = {}
    for name in operation.parameters:
        collection = relative.split(f"/{{{name}}}", 1)[0]  # the template before it
        if name == "parentId":
            values[name] = SHARED_PARENTS[collection.strip("/")]
        elif collection == "/syncs":
            values[name] = world.export_sync if operation.is_export_data else world.import_sync
        else:
            values[name] = world.ids[collection]
    path = PARAMETER.sub(lambda m: str(values[m.group(1)]), relative)
    return BULK + path if operation.template.startswith(BULK) else path


def body_of(operation: Operation, tag: str) -> Any:
    """A minimal valid body: a definition of the family, or rows to stage into one; ``{}``
    where the collection has no body of ours."""
    if not operation.has_body:
        return None
    relative = operation.relative
    if relative.endswith("/{id}/data"):
        return rows(relative.removesuffix("/{id}/data"), tag)
    collection = relative.removesuffix("/{id}")
    if collection in BODIES:
        return {"name": f"{tag} {collection}", **BODIES[collection]}
    return {}


@dataclass
class Request:
    """One request of a case; ``refused``: it must get a 4xx."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any = None
    data: dict[str, str] | None = None
    params: dict[str, str] = field(default_factory=dict)
    refused: bool = False

    def send(self, client: TestClient) -> httpx.Response:
        return client.request(
            self.method,
            self.path,
            headers=self.headers,
            json=self.json,
            data=self.data,
            params=self.params,
            follow_redirects=False,
        )


def requests_of(operation: Operation, world: World) -> list[Request]:
    """What site B sends for an operation: its path with site A's values and a minimal
    valid body. ``POST /syncs`` names each of site A's definitions in its body instead, the
    token endpoint site A's refresh token and code (from another OAuth client), and the
    authorize endpoint signs site B's user in."""
    path = path_of(operation, world)
    if operation.operation_id == "create_sync":
        return [
            Request("POST", path, b_headers(), json={"syncedInstanceUri": uri}, refused=True)
            for uri in world.definition_uris()
        ]
    if operation.operation_id == "issue_token":
        grants = (
            {"grant_type": "refresh_token", "refresh_token": world.refresh_token},
            {"grant_type": "authorization_code", "code": world.code},
        )
        client_b = client_headers("client-b")
        return [Request("POST", path, client_b, data=grant, refused=True) for grant in grants]
    if operation.operation_id == "authorize":
        params = {
            "client_id": "client-b",
            "redirect_uri": "https://b.example/back",
            "response_type": "code",
        }
        return [Request("GET", path, b_headers(), params=params)]
    body = body_of(operation, "siteb")
    return [Request(operation.method, path, b_headers(), body, refused=operation.names_an_item)]


@dataclass(frozen=True)
class Definition:
    """A definition another site writes; ``naming`` is the text that names site A's item
    in it, which the refusal must be about."""

    collection: str
    body: dict[str, Any]
    naming: str


Reference = Callable[[World], Definition]


def _with_field(catalog: str, collection: str) -> Reference:
    """A definition with one more field: site A's own item of ``catalog``."""

    def make(world: World) -> Definition:
        body, statement = BODIES[collection], world.statements[catalog]
        fields = {**body["fields"], "a": statement}
        return Definition(definition_path(collection), {**body, "fields": fields}, statement)

    return make


def _in_filter(catalog: str, collection: str) -> Reference:
    def make(world: World) -> Definition:
        statement = world.statements[catalog]
        body = {**BODIES[collection], "filter": f"EXISTS('{statement}')"}
        return Definition(collection, body, statement)

    return make


def _in_action(
    catalog: str, action: dict[str, str], collection: str = "/contacts/syncActions"
) -> Reference:
    """A contact definition whose sync action names site A's own list or group, or its
    AppCloud step."""

    def make(world: World) -> Definition:
        destination = world.statements.get(catalog, catalog)
        actions = [{**action, "destination": destination}]
        return Definition(collection, {**BODIES[collection], "syncActions": actions}, destination)

    return make


def _under(family: str, kind: str) -> Reference:
    """A definition under the custom object or event only site A has."""

    def make(world: World) -> Definition:
        path = f"/{family}/{world.ids[f'/{family}']}/{kind}"
        return Definition(path, BODIES[f"/{family}/{{parentId}}/{kind}"], path)

    return make


# Definitions site B writes that name site A's own things in their body or path: refused
# when defined, or (AppCloud steps, which a definition may name before the step exists)
# when synced.
REFERENCES: dict[str, Reference] = {
    "contact field": _with_field("/contacts/fields", "/contacts/exports"),
    "account field": _with_field("/accounts/fields", "/accounts/exports"),
    "activity field": _with_field("/activities/fields", "/activities/exports"),
    "campaign response field": _with_field(
        "/campaignResponses/fields", "/campaignResponses/exports"
    ),
    "opportunity field": _with_field("/opportunities/fields", "/opportunities/imports"),
    "lead scoring model": _with_field("/contacts/scoring/models", "/contacts/exports"),
    "custom object field": _with_field(
        "/customObjects/{parentId}/fields", "/customObjects/{parentId}/exports"
    ),
    "event field": _with_field("/events/{parentId}/fields", "/events/{parentId}/exports"),
    "contact list in a filter": _in_filter("/contacts/lists", "/contacts/exports"),
    "segment in a filter": _in_filter("/contacts/segments", "/contacts/exports"),
    "contact filter in a filter": _in_filter("/contacts/filters", "/contacts/exports"),
    "account list in a filter": _in_filter("/accounts/lists", "/accounts/exports"),
    "contact list in a sync action": _in_action("/contacts/lists", {"action": "add"}),
    "contact list in an import's sync actions": _in_action(
        "/contacts/lists", {"action": "add"}, "/contacts/imports"
    ),
    "contact list in an export's sync actions": _in_action(
        "/contacts/lists", {"action": "remove"}, "/contacts/exports"
    ),
    "e-mail group in a sync action": _in_action(
        "/emailGroups", {"action": "setStatus", "status": "subscribed"}
    ),
    "AppCloud step in a sync action": _in_action(
        STEP, {"action": "setStatus", "status": "complete"}
    ),
    "AppCloud step in an export filter": lambda world: Definition(
        "/contacts/exports",
        {**BODIES["/contacts/exports"], "filter": f"STATUS('{STEP}') = 'pending'"},
        STEP,
    ),
    "AppCloud step on a custom object": lambda world: Definition(
        definition_path("/customObjects/{parentId}/syncActions"),
        BODIES["/customObjects/{parentId}/syncActions"],
        STEP,
    ),
    "custom object in the path": _under("customObjects", "exports"),
    "event in the path": _under("events", "imports"),
}
