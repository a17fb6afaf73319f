"""The route list: login host, Bulk API, the REST 2.0 lists Bulk clients read, and the
control plane."""

from __future__ import annotations

from starlette.routing import Route

from emulator.routes import (
    appcloud,
    catalog,
    clock,
    control,
    dashboard,
    data,
    definitions,
    faults,
    identity,
    journal,
    outcomes,
    progression,
    rest,
    snapshots,
    syncs,
)


def all_routes() -> list[Route]:
    """Starlette tries routes in order: the ones clients call in loops (polling a sync,
    paging its data) come first; they share no path with the others."""
    return [
        *syncs.routes(),
        *data.routes(),
        *identity.routes(),
        *catalog.routes(),
        *definitions.routes(),
        *control.routes(),
        *snapshots.routes(),
        *clock.routes(),
        *dashboard.routes(),
        *outcomes.routes(),
        *progression.routes(),
        *faults.routes(),
        *journal.routes(),
        *appcloud.routes(),
        *rest.routes(),
    ]
