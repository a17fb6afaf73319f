"""The contract kit's manners towards a pod: a rate limit, a request budget, and waiting as
told on 429 (and on a 500 that says when to retry)."""

from __future__ import annotations

import time

import httpx
import pytest

from contract_tests import limits
from contract_tests.limits import LimitedTransport, Limiter


def client(limiter: Limiter, answers: list[httpx.Response]) -> tuple[httpx.Client, list[str]]:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        return answers.pop(0) if answers else httpx.Response(200)

    transport = LimitedTransport(limiter, httpx.MockTransport(handler))
    return httpx.Client(base_url="http://pod.test", transport=transport), sent


def test_requests_are_spaced_by_the_rate_limit() -> None:
    api, sent = client(Limiter(rate=20, budget=None), [])
    began = time.monotonic()
    for _ in range(5):
        api.get("/id")
    assert len(sent) == 5
    assert time.monotonic() - began >= 4 / 20 * 0.9


def test_a_spent_budget_skips_the_test() -> None:
    api, sent = client(Limiter(rate=None, budget=2), [])
    api.get("/id")
    api.get("/id")
    with pytest.raises(pytest.skip.Exception, match="request budget of 2 spent"):
        api.get("/id")
    assert len(sent) == 2


def test_429_is_retried_after_the_time_the_pod_asks(monkeypatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr("contract_tests.limits.time.sleep", waits.append)
    answers = [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200)]
    api, sent = client(Limiter(rate=None, budget=None), answers)
    assert api.get("/api/bulk/2.0/syncs").status_code == 200
    assert (len(sent), waits) == (2, [7.0])


def test_a_500_is_retried_only_when_it_says_when(monkeypatch) -> None:
    waits: list[float] = []
    monkeypatch.setattr("contract_tests.limits.time.sleep", waits.append)
    hinted = [httpx.Response(500, headers={"Retry-After": "3600"}), httpx.Response(200)]
    api, sent = client(Limiter(rate=None, budget=None), hinted)
    assert api.get("/api/bulk/2.0/syncs/1").status_code == 200
    assert waits == [limits.LONGEST_WAIT]
    api, sent = client(Limiter(rate=None, budget=None), [httpx.Response(500)])
    assert api.get("/api/bulk/2.0/syncs/1").status_code == 500
    assert len(sent) == 1


def test_retries_stop_after_a_few(monkeypatch) -> None:
    monkeypatch.setattr("contract_tests.limits.time.sleep", lambda seconds: None)
    answers = [httpx.Response(429) for _ in range(10)]
    api, sent = client(Limiter(rate=None, budget=None), answers)
    assert api.get("/id").status_code == 429
    assert len(sent) == limits.RETRIES + 1
