"""Run-time progression policies (``core.policies``): a sync's own policy wins over its
site's, which wins over the global one, which is ``--sync-progression`` until set."""

from __future__ import annotations

import pytest

from emulator.core.config import Settings
from emulator.core.policies import Override, Policies, valid

START = "polls:1"  # --sync-progression


def test_nothing_set_means_the_start_up_policy() -> None:
    held = Policies()
    assert held.text(1, 7, START) == START
    assert held.global_policy(START) == START


def test_a_sync_wins_over_its_site_which_wins_over_the_global_policy() -> None:
    held = Policies()
    held.set_global("manual")
    held.set(Override(1, "Acme", None, "polls:3"))
    held.set(Override(1, "Acme", 7, "immediate"))
    assert held.text(1, 7, START) == "immediate"
    assert held.text(1, 8, START) == "polls:3"
    assert held.text(2, 7, START) == "manual"  # another site, the same sync id
    assert held.of_site(1, START) == ("polls:3", {7: "immediate"})
    assert held.of_site(2, START) == ("manual", {})


def test_removing_falls_back_and_says_whether_there_was_one() -> None:
    held = Policies()
    held.set(Override(1, "Acme", None, "polls:3"))
    held.set(Override(1, "Acme", 7, "immediate"))
    assert held.remove(1, 7) is True
    assert held.remove(1, 7) is False
    assert held.text(1, 7, START) == "polls:3"
    assert held.remove(1, None) is True
    assert held.text(1, 7, START) == START
    held.set_global("manual")
    held.set_global(None)
    assert held.global_policy(START) == START


def test_forgetting_a_site_drops_its_overrides_only() -> None:
    held = Policies()
    held.set_global("manual")
    for site, name in ((1, "Acme"), (2, "Globex")):
        held.set(Override(site, name, None, "polls:2"))
        held.set(Override(site, name, 5, "immediate"))
    held.forget(1)
    assert [(o.site, o.sync) for o in held.overrides()] == [("Globex", None), ("Globex", 5)]
    held.forget()
    assert held.overrides() == []
    assert held.global_policy(START) == "manual"


def test_overrides_list_sites_first_then_syncs_in_order() -> None:
    held = Policies()
    held.set(Override(2, "Globex", 3, "manual"))
    held.set(Override(1, "Acme", 9, "manual"))
    held.set(Override(2, "Globex", None, "manual"))
    held.set(Override(1, "Acme", 4, "manual"))
    assert [(o.site_id, o.sync) for o in held.overrides()] == [(2, None), (1, 4), (1, 9), (2, 3)]


@pytest.mark.parametrize(
    "text",
    [
        "immediate",
        "manual",
        "polls:1",
        "polls:9999",
        "polls:0",
        "polls:10000",
        "polls:1.5",
        "seconds:0",
        "seconds:2.5",
        "seconds:",
        "seconds:-1",
        "Manual",
        " manual",
        "",
        "polls",
    ],
)
def test_a_policy_is_valid_exactly_when_the_start_up_option_accepts_it(text: str) -> None:
    try:
        Settings(sync_progression=text)
    except ValueError:
        accepted = False
    else:
        accepted = True
    assert valid(text) is accepted
