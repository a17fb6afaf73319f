"""Read-only REST 2.0 lists (``/api/REST/2.0/assets/campaigns`` …), built from the
collections in :mod:`emulator.domain.rest_assets`; route names are the operationIds of
``openapi/eloqua-rest-2.0.yaml``.

Credentials work as on the Bulk routes (a 401 has the same ``failures`` body: Oracle
publishes no REST 401 body). A refused parameter is REST 2.0's own 400, a JSON array of
validation errors, rendered here because the Bulk error tree's bodies are objects.
"""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.core.rest_query import RestQueryError
from emulator.domain import rest_assets
from emulator.http.auth import require_principal
from emulator.http.responses import json_response
from emulator.http.state import state_of

REST = "/api/REST/2.0"

# kind → operationId
OPERATIONS = {
    "campaigns": "list_rest_campaigns",
    "emails": "list_rest_emails",
    "forms": "list_rest_forms",
    "externals": "list_rest_external_assets",
    "emailGroups": "list_rest_email_groups",
    "visitors": "list_rest_visitors",
}


async def list_elements(request: Request, kind: str) -> Response:
    principal = await require_principal(request)
    try:
        body = await state_of(request).db.read(
            rest_assets.list_elements, principal, kind, request.query_params
        )
    except RestQueryError as exc:
        return json_response(exc.errors, 400)
    return json_response(body)


def routes() -> list[Route]:
    return [
        Route(
            REST + c.path,
            partial(list_elements, kind=c.kind),
            methods=["GET"],
            name=OPERATIONS[c.kind],
        )
        for c in rest_assets.COLLECTIONS
    ]
