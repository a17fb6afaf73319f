"""Pairing the recording's ids with the replay's: numbers in the scope of the collection
they follow, learned from answers, applied to later requests."""

from __future__ import annotations

from emulator.commands.replay.idmap import IdMap, template

BULK = "/api/bulk/2.0"


def test_a_uri_form_replaces_its_numbers() -> None:
    assert template("/customObjects/9/imports/3/data") == "/customObjects/{id}/imports/{id}/data"


def test_learned_ids_rewrite_paths_bodies_and_queries() -> None:
    ids = IdMap()
    assert ids.learn("/contacts/imports/865", "/contacts/imports/1") is None
    assert ids.learn("/syncs/684", "/syncs/1") is None
    assert ids.path(f"{BULK}/contacts/imports/865/data", BULK) == f"{BULK}/contacts/imports/1/data"
    assert ids.path("/API/Bulk/2.0/syncs/684/rejects", BULK) == "/API/Bulk/2.0/syncs/1/rejects"
    assert ids.value({"syncedInstanceUri": "/contacts/imports/865", "name": "865"}) == {
        "syncedInstanceUri": "/contacts/imports/1",
        "name": "865",
    }
    assert ids.value(["/syncs/684", "/syncs/999"]) == ["/syncs/1", "/syncs/999"]


def test_each_collection_counts_on_its_own() -> None:
    ids = IdMap()
    assert ids.learn("/customObjects/9/imports/3", "/customObjects/9/imports/1") is None
    assert ids.uri("/contacts/imports/3") == "/contacts/imports/3"
    assert ids.uri("/customObjects/9/imports/3") == "/customObjects/9/imports/1"


def test_contradicting_pairs_are_refused_with_the_reason() -> None:
    ids = IdMap()
    assert ids.learn("/syncs/684", "/syncs/1") is None
    assert (
        ids.learn("/syncs/684", "/syncs/2")
        == "/syncs/684 stands for /syncs/1 in this replay, not /syncs/2"
    )
    assert (
        ids.learn("/syncs/685", "/syncs/1")
        == "/syncs/1 already stands for the recording's id 684, not 685"
    )
    assert ids.learn("/syncs/684", "/contacts/imports/1") == (
        "/contacts/imports/1 is not of the form of /syncs/684"
    )
    assert ids.uri("/syncs/685") == "/syncs/685"
