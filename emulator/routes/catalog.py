"""Read-only catalog routes, built from the families in :mod:`emulator.domain.catalog`.

Each family gets a list and a get-one route; route names are the spec's operationIds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.domain import catalog
from emulator.http.auth import require_principal
from emulator.http.ids import bulk_path
from emulator.http.responses import page_response, raw_json
from emulator.http.state import state_of

Endpoint = Callable[..., Awaitable[Response]]

# family → (operationId of the list, operationId of one item)
FIELD_OPERATIONS = {
    "contacts": ("list_contact_fields", "get_contact_field"),
    "accounts": ("list_account_fields", "get_account_field"),
    "activities": ("list_activity_fields", "get_activity_field"),
    "customObjects": ("list_custom_object_fields", "get_custom_object_field"),
    "events": ("list_event_fields", "get_event_field"),
    "campaignResponses": ("list_campaign_response_fields", "get_campaign_response_field"),
    "opportunities": ("list_opportunity_fields", "get_opportunity_field"),
    "campaigns": ("list_campaign_fields", "get_campaign_field"),
}
CONTAINER_OPERATIONS = {
    "contactLists": ("list_contact_lists", "get_contact_list"),
    "contactSegments": ("list_contact_segments", "get_contact_segment"),
    "contactFilters": ("list_contact_filters", "get_contact_filter"),
    "scoringModels": ("list_scoring_models", "get_scoring_model"),
    "accountLists": ("list_account_lists", "get_account_list"),
    "emailGroups": ("list_email_groups", "get_email_group"),
    "customObjects": ("list_custom_objects", "get_custom_object"),
    "events": ("list_events", "get_event"),
}


async def list_fields(request: Request, family: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    page, query = await state.db.read(
        catalog.list_fields,
        principal,
        family,
        request.query_params,
        state.settings.list_limit_max,
        request.path_params.get("parentId", 0),
    )
    return page_response(page, query)


async def get_field(request: Request, family: str) -> Response:
    principal = await require_principal(request)
    item = await state_of(request).db.read(
        catalog.get_field,
        principal,
        family,
        request.path_params["id"],
        request.path_params.get("parentId", 0),
    )
    return raw_json(item)


async def list_containers(request: Request, family: str) -> Response:
    principal = await require_principal(request)
    state = state_of(request)
    page, query = await state.db.read(
        catalog.list_containers,
        principal,
        family,
        request.query_params,
        state.settings.list_limit_max,
    )
    return page_response(page, query)


async def get_container(request: Request, family: str) -> Response:
    principal = await require_principal(request)
    item = await state_of(request).db.read(
        catalog.get_container, principal, family, request.path_params["id"]
    )
    return raw_json(item)


def _pair(
    path: str, names: tuple[str, str], list_endpoint: Endpoint, get_endpoint: Endpoint, family: str
) -> list[Route]:
    """The list route and the get-one route of one collection."""
    list_name, get_name = names
    return [
        Route(
            bulk_path(path), partial(list_endpoint, family=family), methods=["GET"], name=list_name
        ),
        Route(
            bulk_path(path + "/{id}"),
            partial(get_endpoint, family=family),
            methods=["GET"],
            name=get_name,
        ),
    ]


def routes() -> list[Route]:
    result: list[Route] = []
    for spec in catalog.CONTAINER_FAMILIES:
        result += _pair(
            spec.path,
            CONTAINER_OPERATIONS[spec.family],
            list_containers,
            get_container,
            spec.family,
        )
    for field_spec in catalog.FIELD_FAMILIES:
        result += _pair(
            field_spec.path,
            FIELD_OPERATIONS[field_spec.family],
            list_fields,
            get_field,
            field_spec.family,
        )
    return result
