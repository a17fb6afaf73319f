"""Forced outcomes as the store keeps them (``domain.outcomes``): which sync each one
takes when the worker claims, and what may still be withdrawn."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from emulator.core.errors import Conflict, NotFound
from emulator.domain import outcomes, syncs
from emulator.store import outcomes as outcome_rows
from tests.domain.support import EMAIL, Bulk, sync_id

IMPORT = {"name": "i", "fields": {"email": EMAIL}, "identifierFieldName": "email"}


def force(bulk: Bulk, **body: Any) -> dict[str, Any]:
    order = outcomes.parse({"site": bulk.principal.site_name, **body})
    return bulk.store.write_sync(outcomes.create, order, bulk.now)


def triggered_sync(bulk: Bulk, uri: str) -> int:
    """A sync created by an upload: several may wait for one definition."""
    item = bulk.store.write_sync(
        syncs.create, bulk.principal, {"syncedInstanceUri": uri}, bulk.now, triggered=True
    )
    return sync_id(orjson.loads(item))


def taken(bulk: Bulk) -> dict[int, tuple[int | None, bool]]:
    """Outcome id → (its sync, started)."""
    return {
        row.id: (row.sync_id, row.started) for row in bulk.store.read_sync(outcome_rows.every, None)
    }


def test_outcomes_of_a_definition_take_its_pending_syncs_oldest_first(bulk: Bulk) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    first = force(bulk, definition=uri, status="error")["id"]
    second = force(bulk, definition=uri, status="active")["id"]
    third = force(bulk, definition=uri, status="warning")["id"]
    early, late = triggered_sync(bulk, uri), triggered_sync(bulk, uri)
    bulk.store.write_sync(outcomes.start)
    assert taken(bulk) == {first: (early, True), second: (late, True), third: (None, False)}


def test_an_outcome_naming_a_sync_is_taken_before_one_waiting_for_its_definition(
    bulk: Bulk,
) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    id_ = sync_id(bulk.sync(uri))
    waiting = force(bulk, definition=uri, status="error")["id"]
    named = force(bulk, sync=f"/syncs/{id_}", status="active")["id"]
    bulk.store.write_sync(outcomes.start)
    assert taken(bulk) == {waiting: (None, False), named: (id_, True)}


def test_outcomes_wait_for_a_sync_of_their_own_definition_and_site(bulk: Bulk, stranger) -> None:
    mine = bulk.define("contacts", "imports", IMPORT)["uri"]
    other = bulk.define("contacts", "imports", {**IMPORT, "name": "other"})["uri"]
    theirs = Bulk(bulk.store, stranger, bulk.now)
    same_uri = theirs.define("contacts", "imports", IMPORT)["uri"]
    assert same_uri == mine  # ids are per site
    forced = force(bulk, definition=mine, status="error")["id"]
    bulk.sync(other)
    theirs.sync(same_uri)
    bulk.store.write_sync(outcomes.start)
    assert taken(bulk) == {forced: (None, False)}


def test_an_outcome_being_applied_cannot_be_withdrawn_but_a_hold_can(bulk: Bulk) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    held_uri = bulk.define("contacts", "imports", {**IMPORT, "name": "held"})["uri"]
    warning = force(bulk, definition=uri, status="warning", rejects=1)["id"]
    hold = force(bulk, definition=held_uri, status="active")["id"]
    bulk.sync(uri)
    bulk.sync(held_uri)
    bulk.store.write_sync(outcomes.start)
    with pytest.raises(Conflict):
        bulk.store.write_sync(outcomes.remove, warning)
    assert bulk.store.write_sync(outcomes.remove, hold) is True  # the worker has work
    with pytest.raises(NotFound):
        bulk.store.write_sync(outcomes.remove, hold)


def test_a_listed_outcome_shows_what_it_forces(bulk: Bulk) -> None:
    uri = bulk.define("contacts", "imports", IMPORT)["uri"]
    force(bulk, definition=uri, status="error", log={"statusCode": "ELQ-00143"})
    [item] = bulk.store.read_sync(outcomes.listing, None)["items"]
    # ELQ-00143's text has placeholders a pod fills in: the line goes without a message
    assert item["log"] == {"statusCode": "ELQ-00143", "count": 0}
    assert item["site"] == bulk.principal.site_name
    assert item["definition"] == uri
