"""Fault rules as plain values: what a rule may say, how it matches a path, and how its
seeded draws make a run repeat."""

from __future__ import annotations

import random
from typing import Any

import pytest

from emulator.core.errors import NotFound, ValidationFailed
from emulator.domain.faults import FaultBook, Latency, compile_path, parse, parse_all

SYNCS = "/api/bulk/2.0/syncs/*"


def failures(body: Any) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse(body)
    return {f.field: f.constraint for f in caught.value.failures}


def test_a_bulk_500_takes_its_retry_after_from_its_severity() -> None:
    default = parse({"path": SYNCS, "status": 500})
    assert (default.error_severity, default.retry_after) == (3, 120)
    assert default.error == "Unable to process request due to a temporary error."
    severe = parse({"path": SYNCS, "status": 500, "errorSeverity": 0})
    assert severe.retry_after == 3600
    chosen = parse({"path": SYNCS, "status": 500, "retryAfter": 7, "errorSeverity": 1})
    assert (chosen.error_severity, chosen.retry_after) == (1, 7)
    permanent = parse(
        {
            "path": SYNCS,
            "status": 500,
            "errorSeverity": 0,
            "retryAfter": None,
            "error": "Unable to process request due to a permanent error.",
        }
    )
    assert permanent.retry_after is None


def test_the_interface_sketch_parses() -> None:
    spec = parse(
        {
            "method": "get",
            "path": SYNCS,
            "site": None,
            "status": 500,
            "retryAfter": 120,
            "errorSeverity": 3,
            "probability": 0.5,
            "seed": 7,
            "times": None,
        }
    )
    assert (spec.method, spec.probability, spec.seed, spec.times) == ("GET", 0.5, 7, None)
    slow = parse({"path": "/x", "latencyMs": {"dist": "lognormal", "median": 200}})
    assert slow.latency == Latency("lognormal", 200.0, 0.5)
    assert slow.kind == "latency"
    cut = parse({"path": "/api/bulk/2.0/syncs/*/data", "fault": "connection_reset"})
    assert cut.kind == "connection_reset"
    assert parse({"path": "/x", "status": 429}).retry_after == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"path": SYNCS, "status": 500, "colour": "red"}, "colour"),
        ({"path": SYNCS, "status": 404}, "status"),
        ({"path": SYNCS, "status": "500"}, "status"),
        ({"path": SYNCS, "status": True}, "status"),
        ({"path": SYNCS, "status": 500, "probability": 1.5}, "probability"),
        ({"path": SYNCS, "status": 500, "probability": -0.1}, "probability"),
        ({"path": SYNCS, "status": 500, "times": 0}, "times"),
        ({"path": SYNCS, "status": 500, "seed": 1.5}, "seed"),
        ({"path": "syncs/*", "status": 500}, "path"),
        ({"status": 500}, "path"),
        ({"path": SYNCS, "status": 500, "method": "FETCH"}, "method"),
        ({"path": SYNCS, "status": 500, "site": ""}, "site"),
        ({"path": SYNCS, "status": 500, "errorSeverity": 4}, "errorSeverity"),
        ({"path": SYNCS, "status": 503, "errorSeverity": 1}, "errorSeverity"),
        ({"path": SYNCS, "status": 401, "retryAfter": 5}, "retryAfter"),
        ({"path": SYNCS, "status": 500, "retryAfter": -1}, "retryAfter"),
        ({"path": SYNCS, "latencyMs": -5}, "latencyMs"),
        ({"path": SYNCS, "latencyMs": {"dist": "uniform", "min": 500, "max": 50}}, "latencyMs"),
        ({"path": SYNCS, "latencyMs": {"dist": "poisson", "mean": 5}}, "latencyMs"),
        ({"path": SYNCS, "fault": "timeout"}, "fault"),
        ({"path": SYNCS, "status": 500, "fault": "connection_reset"}, "fault"),
        ({"path": SYNCS}, "body"),
    ],
)
def test_a_bad_rule_names_what_is_wrong(body: dict[str, Any], field: str) -> None:
    assert field in failures(body)


def test_every_problem_is_reported_at_once() -> None:
    found = failures({"path": 5, "status": 999, "probability": 2, "extra": 1})
    assert set(found) == {"path", "status", "probability", "extra"}
    assert found["extra"] == "Not a property of a fault rule."


def test_a_rules_file_names_each_rule_by_its_place() -> None:
    assert len(parse_all([{"path": "/a", "status": 503}, {"path": "/b", "latencyMs": 5}])) == 2
    with pytest.raises(ValidationFailed) as caught:
        parse_all([{"path": "/a", "status": 503}, {"path": "/b", "status": 1}])
    assert [f.field for f in caught.value.failures] == ["[1].status"]
    with pytest.raises(ValidationFailed):
        parse_all({"path": "/a"})


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        (SYNCS, "/api/bulk/2.0/syncs/12", True),
        (SYNCS, "/api/bulk/2.0/syncs/12/data", False),  # * stays within a segment
        ("/api/bulk/2.0/syncs/**", "/api/bulk/2.0/syncs/12/data", True),
        ("/api/bulk/2.0/syncs/*/data", "/api/bulk/2.0/syncs/12/data", True),
        ("/API/Bulk/2.0/syncs/*", "/api/bulk/2.0/syncs/12", True),  # the casing pods accept
        ("/api/bulk/2.0//customobjects/*/fields/", "/api/bulk/2.0/customObjects/9/fields", True),
        ("/api/bulk/2.0/syncs/?", "/api/bulk/2.0/syncs/7", True),
        ("/api/bulk/2.0/syncs/?", "/api/bulk/2.0/syncs/17", False),
        ("/id", "/id", True),
        ("/api/bulk/2.0/syncs.*", "/api/bulk/2.0/syncsX12", False),  # . is literal
    ],
)
def test_path_patterns_are_globs_over_the_normalised_path(
    pattern: str, path: str, matches: bool
) -> None:
    assert bool(compile_path(pattern).match(path)) is matches


def test_a_rule_fires_its_times_then_stops() -> None:
    book = FaultBook()
    book.add(parse({"path": SYNCS, "status": 500, "times": 2}))
    active = book.active
    fired = [book.draw(book.candidates("GET", "/api/bulk/2.0/syncs/1"), None) for _ in range(3)]
    assert [f is not None for f in fired] == [True, True, False]
    assert (active, book.active) == (True, False)  # then nothing can fire: requests pass free
    assert book.describe()[0]["fired"] == 2
    assert book.describe()[0]["remaining"] == 0


def test_method_path_and_site_must_all_match() -> None:
    book = FaultBook()
    book.add(parse({"method": "GET", "path": SYNCS, "site": "Acme", "status": 503}))
    assert book.candidates("POST", "/api/bulk/2.0/syncs/1") == []
    assert book.candidates("GET", "/api/bulk/2.0/contacts/fields") == []
    rules = book.candidates("GET", "/api/bulk/2.0/syncs/1")
    assert book.draw(rules, "Other") is None
    assert book.draw(rules, None) is None
    fired = book.draw(rules, "acme")  # site names are case-insensitive, as sign-in is
    assert fired is not None
    assert fired.kind == "status_503"


def test_the_first_rule_that_fires_decides() -> None:
    book = FaultBook()
    first = book.add(parse({"path": SYNCS, "status": 429, "times": 1}))
    second = book.add(parse({"path": "/api/bulk/2.0/**", "status": 500}))
    draws = [book.draw(book.candidates("GET", "/api/bulk/2.0/syncs/3"), None) for _ in range(2)]
    assert [d.rule for d in draws if d] == [first.id, second.id]


def _pattern(seed: int) -> list[bool]:
    book = FaultBook()
    book.add(parse({"path": "/x", "status": 503, "probability": 0.5, "seed": seed}))
    return [book.draw(book.candidates("GET", "/x"), None) is not None for _ in range(40)]


def test_a_seeded_probability_repeats_run_after_run() -> None:
    assert _pattern(7) == _pattern(7)
    assert _pattern(7) != _pattern(8)
    assert 5 < sum(_pattern(7)) < 35  # about half


def test_latency_draws_follow_their_distribution() -> None:
    rng = random.Random(1)
    assert Latency("fixed", 250).draw(rng) == 0.25
    uniform = [Latency("uniform", 50, 500).draw(rng) for _ in range(200)]
    assert all(0.05 <= s <= 0.5 for s in uniform)
    lognormal = sorted(Latency("lognormal", 200, 0.5).draw(rng) for _ in range(401))
    assert 0.15 < lognormal[200] < 0.27  # the median
    assert lognormal[0] > 0


def test_rules_are_listed_found_and_removed_by_id() -> None:
    book = FaultBook()
    one = book.add(parse({"path": "/a", "status": 503}))
    two = book.add(parse({"path": "/b", "latencyMs": {"dist": "uniform", "min": 1, "max": 2}}))
    assert [r["id"] for r in book.describe()] == [one.id, two.id]
    assert book.get(two.id)["latencyMs"] == {"dist": "uniform", "min": 1.0, "max": 2.0}
    book.remove(one.id)
    with pytest.raises(NotFound):
        book.get(one.id)
    with pytest.raises(NotFound):
        book.remove(one.id)
    book.clear()
    assert book.describe() == []
    assert not book.active
