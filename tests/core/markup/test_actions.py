"""Sync-action destinations and the action/destination/status table of reference §8."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.core import constraints
from emulator.core.markup import (
    EntityRef,
    MarkupError,
    Problem,
    SyncAction,
    check_sync_action,
    resolve_destination,
    validate_sync_action,
)
from emulator.core.markup import ast as m
from tests.core.markup.catalogs import small_catalog

CATALOG = small_catalog()
GUID = "f82d50cd86a94fcab37e4ec9a98b0339"
ACTION = f"{{{{ActionInstance({GUID}).Execution[12345]}}}}"
DECISION = f"{{{{DecisionInstance({GUID}).Execution[12345]}}}}"
FEEDER = f"{{{{FeederInstance({GUID})}}}}"
CONTACTS = EntityRef("contacts")
ACCOUNTS = EntityRef("accounts")
CDO_9 = EntityRef("customObjects", 9)
EMAIL_ADDRESSES = EntityRef("emailAddresses")


def action(verb: str, destination: str, status: str | None = None, **extra: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {"action": verb, "destination": destination, **extra}
    if status is not None:
        raw["status"] = status
    return raw


ALLOWED = [
    (CONTACTS, action("add", "{{ContactList[12]}}")),
    (CONTACTS, action("remove", "{{ContactList[12]}}")),
    (CONTACTS, action("setStatus", "{{EmailGroup[4]}}", "subscribed")),
    (CONTACTS, action("setStatus", "{{EmailGroup[4]}}", "unsubscribed")),
    (CONTACTS, action("setStatus", "{{GlobalSubscribe}}", "subscribed")),
    (CONTACTS, action("setStatus", "{{GlobalSubscribe}}", "unsubscribed")),
    *[(CONTACTS, action("setStatus", ACTION, s)) for s in ("active", "complete", "errored")],
    *[(CONTACTS, action("setStatus", DECISION, s)) for s in ("yes", "no", "errored")],
    *[(CONTACTS, action("setStatus", FEEDER, s)) for s in ("complete", "errored")],
    (ACCOUNTS, action("add", "{{AccountList[301]}}")),
    (ACCOUNTS, action("remove", "{{AccountList[301]}}")),
    *[(CDO_9, action("setStatus", ACTION, s)) for s in ("active", "complete", "errored")],
    *[(CDO_9, action("setStatus", DECISION, s)) for s in ("yes", "no", "errored")],
    (CDO_9, action("setStatus", FEEDER, "complete")),
    (EMAIL_ADDRESSES, action("setStatus", "{{GlobalSubscribe}}", "unsubscribed")),
    (EMAIL_ADDRESSES, action("setStatus", "{{GlobalSubscribe}}", "bounced")),
    (CONTACTS, action("setStatus", ACTION, "complete", updateAll=True)),
    (CDO_9, action("setStatus", DECISION, "yes", updateAll=False)),
]


@pytest.mark.parametrize(("entity", "raw"), ALLOWED)
def test_each_combination_of_the_table_is_accepted(entity, raw):
    assert validate_sync_action(raw, entity, CATALOG) == []


def test_an_accepted_action_comes_back_typed_with_canonical_spelling():
    raw = {
        "action": "SETSTATUS",
        "destination": ACTION.upper().replace("EXECUTION", "Execution"),
        "status": "Complete",
        "updateAll": True,
    }
    assert check_sync_action(raw, CONTACTS, CATALOG) == (
        SyncAction("setStatus", m.ActionInstance(GUID, 12345), "complete", True),
        [],
    )


REFUSED = [
    (CONTACTS, action("setStatus", "{{ContactList[12]}}", "subscribed"), "action"),
    (CONTACTS, action("add", "{{EmailGroup[4]}}"), "action"),
    (CONTACTS, action("add", ACTION), "action"),
    (CONTACTS, action("setStatus", "{{EmailGroup[4]}}", "bounced"), "status"),
    (CONTACTS, action("setStatus", "{{GlobalSubscribe}}", "bounced"), "status"),
    (CONTACTS, action("setStatus", ACTION, "yes"), "status"),
    (CONTACTS, action("setStatus", ACTION, "pending"), "status"),
    (CONTACTS, action("setStatus", DECISION, "complete"), "status"),
    (CONTACTS, action("setStatus", FEEDER, "active"), "status"),
    (CONTACTS, action("setStatus", ACTION), "status"),
    (CONTACTS, action("add", "{{ContactList[12]}}", "subscribed"), "status"),
    (CONTACTS, action("add", "{{AccountList[301]}}"), "destination"),
    (CONTACTS, action("add", "{{ContactSegment[6]}}"), "destination"),
    (CONTACTS, action("add", "{{ContactList[99]}}"), "destination"),
    (CONTACTS, action("add", "{{Contact.Id}}"), "destination"),
    (CONTACTS, action("setStatus", f"{{{{ActionInstance({GUID})}}}}", "complete"), "destination"),
    (
        CONTACTS,
        action(
            "setStatus",
            "{{ActionInstance(f82d50cd-86a9-4fca-b37e-4ec9a98b0339).Execution[1]}}",
            "complete",
        ),
        "destination",
    ),
    (CONTACTS, action("append", "{{ContactList[12]}}"), "action"),
    (CONTACTS, action("add", "{{ContactList[12]}}", updateAll=True), "updateAll"),
    (CONTACTS, action("setStatus", ACTION, "complete", updateAll="yes"), "updateAll"),
    (ACCOUNTS, action("add", "{{ContactList[12]}}"), "destination"),
    (ACCOUNTS, action("setStatus", "{{AccountList[301]}}", "subscribed"), "action"),
    (CDO_9, action("add", "{{ContactList[12]}}"), "destination"),
    (CDO_9, action("setStatus", "{{GlobalSubscribe}}", "unsubscribed"), "destination"),
    (EMAIL_ADDRESSES, action("setStatus", "{{GlobalSubscribe}}", "subscribed"), "status"),
    (EMAIL_ADDRESSES, action("add", "{{ContactList[12]}}"), "destination"),
]


@pytest.mark.parametrize(("entity", "raw", "field"), REFUSED)
def test_combinations_outside_the_table_are_refused_on_the_offending_key(entity, raw, field):
    assert [p.field for p in validate_sync_action(raw, entity, CATALOG)] == [field]


@pytest.mark.parametrize(
    "family", ["events", "activities", "campaignResponses", "opportunities", "opportunityContacts"]
)
def test_entities_without_sync_actions_refuse_any(family):
    raw = action("add", "{{ContactList[12]}}")
    problems = validate_sync_action(raw, EntityRef(family, 3), CATALOG)
    assert len(problems) == 1
    assert problems[0].message.startswith("Sync actions are not supported on ")


def test_several_problems_are_reported_together():
    raw = {
        "action": "setStatus",
        "destination": "{{ContactList[99]}}",
        "status": "x",
        "updateAll": 1,
    }
    problems = validate_sync_action(raw, CONTACTS, CATALOG)
    assert [(p.field, p.message) for p in problems] == [
        ("destination", constraints.MARKUP_CONTAINER_UNKNOWN.format(kind="ContactList", id=99)),
        ("updateAll", constraints.SYNC_ACTION_UPDATE_ALL),
    ]


def test_problems_echo_the_offending_value_and_position():
    raw = action("setStatus", "{{EmailGroup[4]}}", "bounced")
    assert validate_sync_action(raw, CONTACTS, CATALOG) == [
        Problem(
            constraints.SYNC_ACTION_STATUS_VALUE.format(
                values="subscribed, unsubscribed", destination="{{EmailGroup[4]}}"
            ),
            "bounced",
            "status",
        )
    ]
    bad = "{{GlobalSubscribe.Id}}"
    (problem,) = validate_sync_action(action("setStatus", bad, "subscribed"), CONTACTS, CATALOG)
    assert (problem.field, problem.value, problem.position) == ("destination", bad, 18)


def test_a_missing_or_non_text_destination_is_reported():
    problems = validate_sync_action({"action": "add"}, CONTACTS, CATALOG)
    assert [(p.field, p.message) for p in problems] == [
        ("destination", constraints.SYNC_ACTION_DESTINATION_TEXT)
    ]


def test_a_non_object_action_is_reported():
    assert validate_sync_action(["add"], CONTACTS, CATALOG) == [
        Problem(constraints.SYNC_ACTION_SHAPE, ["add"])
    ]


def test_destinations_resolve_to_typed_nodes():
    assert resolve_destination("{{contactlist[12]}}", CONTACTS, CATALOG).node == m.ContactList(12)
    assert resolve_destination(FEEDER, CDO_9, CATALOG).text == FEEDER


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{Contact.Id}}", constraints.MARKUP_NOT_A_DESTINATION.format(statement="{{Contact.Id}}")),
        (
            "{{ContactFilter[201]}}",
            constraints.MARKUP_NOT_A_DESTINATION.format(statement="{{ContactFilter[201]}}"),
        ),
        (
            "{{AccountList[301]}}",
            constraints.MARKUP_DESTINATION_ENTITY.format(
                statement="{{AccountList[301]}}", entity="contact"
            ),
        ),
        ("{{EmailGroup[5]}}", constraints.MARKUP_CONTAINER_UNKNOWN.format(kind="EmailGroup", id=5)),
    ],
)
def test_destination_checks(text, message):
    with pytest.raises(MarkupError) as caught:
        resolve_destination(text, CONTACTS, CATALOG)
    assert caught.value.message == message
