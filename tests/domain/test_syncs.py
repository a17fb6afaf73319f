"""Creating syncs (``domain.syncs.create``) and reading them under each progression policy
(``domain.syncs.read`` with ``core.progression.Polls``): a poller never sees a sync ahead
of its real status."""

from __future__ import annotations

import orjson
import pytest

from emulator.core import constraints as c
from emulator.core.errors import Conflict, Failure, NotFound, ValidationFailed
from emulator.core.progression import Polls
from emulator.domain import syncs
from tests.domain.support import EMAIL, Bulk, sync_id

IMPORT = {"name": "i", "fields": {"email": EMAIL}, "identifierFieldName": "email"}


@pytest.fixture
def uri(bulk: Bulk) -> str:
    return str(bulk.define("contacts", "imports", IMPORT)["uri"])


def refused(bulk: Bulk, body: object) -> list[Failure]:
    with pytest.raises(ValidationFailed) as caught:
        bulk.store.write_sync(syncs.create, bulk.principal, body, bulk.now)
    return caught.value.failures


def no_syncs(bulk: Bulk) -> bool:
    page, _ = bulk.store.read_sync(
        syncs.list_syncs, bulk.principal, {}, 1000, "immediate", bulk.now, Polls()
    )
    return page.items == []


def statuses(bulk: Bulk, id_: int, policy: str, polls: Polls, reads: int) -> list[str]:
    return [
        orjson.loads(
            bulk.store.read_sync(syncs.read, bulk.principal, id_, policy, bulk.now, polls)
        )["status"]
        for _ in range(reads)
    ]


def test_a_new_sync_is_pending_and_made_by_its_user(bulk: Bulk, uri: str) -> None:
    item = bulk.sync(uri)
    assert item == {
        "syncedInstanceUri": uri,
        "status": "pending",
        "createdAt": "2027-01-15T08:00:00.0000000Z",
        "createdBy": "jane",
        "uri": "/syncs/1",
    }


@pytest.mark.parametrize("instance", ["/contacts/imports/99", "/nothing/1"])
def test_a_sync_of_an_unknown_definition_is_refused_and_not_stored(
    bulk: Bulk, uri: str, instance
) -> None:
    assert refused(bulk, {"syncedInstanceUri": instance}) == [
        Failure("syncedInstanceUri", c.SYNCED_INSTANCE_URI, instance)
    ]
    assert no_syncs(bulk)


@pytest.mark.parametrize("url", ["not a url", "ftp://files.example/done"])
def test_a_callback_must_be_an_http_url(bulk: Bulk, uri: str, url) -> None:
    assert refused(bulk, {"syncedInstanceUri": uri, "callbackUrl": url}) == [
        Failure("callbackUrl", c.CALLBACK_URL, url)
    ]
    assert no_syncs(bulk)


def test_a_callback_url_is_kept_and_names_bind_case_insensitively(bulk: Bulk, uri: str) -> None:
    body = {"SYNCEDINSTANCEURI": uri, "callbackurl": "https://hooks.example/done?x=1"}
    item = orjson.loads(bulk.store.write_sync(syncs.create, bulk.principal, body, bulk.now))
    assert (item["syncedInstanceUri"], item["callbackUrl"]) == (uri, body["callbackurl"])


def test_a_second_sync_while_one_is_pending_conflicts_until_it_ends(bulk: Bulk, uri: str) -> None:
    bulk.sync(uri)
    with pytest.raises(Conflict) as caught:
        bulk.sync(uri)
    assert caught.value.failures == [Failure("syncedInstanceUri", c.SYNC_RUNNING, uri)]
    bulk.run_next()
    assert sync_id(bulk.sync(uri)) == 2


def test_polls_one_shows_pending_then_active_then_the_outcome(bulk: Bulk, uri: str) -> None:
    bulk.stage(uri, [{"email": "not an address"}])
    id_ = sync_id(bulk.sync(uri))
    bulk.run_next()
    assert statuses(bulk, id_, "polls:1", Polls(), 4) == ["pending", "active", "warning", "warning"]


def test_polling_never_shows_a_sync_ahead_of_its_real_status(bulk: Bulk, uri: str) -> None:
    id_ = sync_id(bulk.sync(uri))
    polls = Polls()
    assert statuses(bulk, id_, "polls:1", polls, 3) == ["pending", "pending", "pending"]
    assert statuses(bulk, id_, "immediate", Polls(), 1) == ["pending"]
    bulk.run_next()
    assert statuses(bulk, id_, "polls:1", polls, 1) == ["success"]


def test_immediate_shows_the_outcome_with_start_and_end_times(bulk: Bulk, uri: str) -> None:
    id_ = sync_id(bulk.sync(uri))
    bulk.now += 5
    bulk.run_next()
    item = orjson.loads(
        bulk.store.read_sync(syncs.read, bulk.principal, id_, "immediate", bulk.now, Polls())
    )
    assert item["status"] == "success"
    assert item["syncStartedAt"] == item["syncEndedAt"] == "2027-01-15T08:00:05.0000000Z"
    assert item["createdAt"] == "2027-01-15T08:00:00.0000000Z"


def test_manual_progression_moves_one_stage_per_advance(bulk: Bulk, uri: str) -> None:
    id_ = sync_id(bulk.sync(uri))
    bulk.run_next()
    polls = Polls()
    seen = statuses(bulk, id_, "manual", polls, 2)
    for _ in range(2):
        bulk.store.write_sync(syncs.advance, bulk.principal.site_id, id_)
        seen += statuses(bulk, id_, "manual", polls, 1)
    assert seen == ["pending", "pending", "active", "success"]
    with pytest.raises(NotFound):
        bulk.store.write_sync(syncs.advance, bulk.principal.site_id, 99)


def test_another_site_can_neither_sync_a_definition_nor_read_a_sync(
    bulk: Bulk, uri: str, stranger
) -> None:
    with pytest.raises(ValidationFailed):
        bulk.store.write_sync(syncs.create, stranger, {"syncedInstanceUri": uri}, bulk.now)
    id_ = sync_id(bulk.sync(uri))
    with pytest.raises(NotFound):
        bulk.store.read_sync(syncs.read, stranger, id_, "immediate", bulk.now, Polls())
