"""The route list: login host, Bulk API catalogs and the control plane."""

from __future__ import annotations

from starlette.routing import Route

from emulator.routes import appcloud, catalog, control, data, definitions, identity, syncs


def all_routes() -> list[Route]:
    return [
        *identity.routes(),
        *catalog.routes(),
        *definitions.routes(),
        *syncs.routes(),
        *data.routes(),
        *control.routes(),
        *appcloud.routes(),
    ]
