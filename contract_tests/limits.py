"""How the suite treats the API it calls: at most ``rate`` requests a second, at most
``budget`` requests in the run, and a wait-and-retry when a pod answers 429 or a 500 with
``Retry-After`` (reference §13.2). Shared by the httpx clients of the scenarios and the
requests session schemathesis calls through, which is why ``--record`` takes its exchanges
here."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import requests

from contract_tests.recorder import Recorder

RETRIES = 3
LONGEST_WAIT = 120.0  # seconds; Retry-After can ask for an hour (errorSeverity 0)


class Limiter:
    def __init__(
        self, rate: float | None, budget: int | None, recorder: Recorder | None = None
    ) -> None:
        self.rate, self.budget = rate, budget
        self.recorder = recorder  # --record: every exchange sent through this limiter
        self.sent = 0
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Wait for the next slot; skip the test once the budget is spent."""
        with self._lock:
            if self.budget is not None and self.sent >= self.budget:
                pytest.skip(f"request budget of {self.budget} spent")
            self.sent += 1
            now = time.monotonic()
            wait = max(0.0, self._next - now)
            if self.rate:
                self._next = max(now, self._next) + 1 / self.rate
        if wait:
            time.sleep(wait)

    def send(
        self,
        call: Callable[[], Any],
        status: Callable[[Any], int],
        retry_after: Callable[[Any], str | None],
    ) -> Any:
        """``call`` within the limits, again after ``Retry-After`` on 429 (and 500 with it)."""
        for attempt in range(RETRIES + 1):
            self.acquire()
            response = call()
            code, hint = status(response), retry_after(response)
            retryable = code == 429 or (code == 500 and hint is not None)
            if not retryable or attempt == RETRIES:
                return response
            response.close()
            time.sleep(min(LONGEST_WAIT, _seconds(hint, attempt)))
        raise AssertionError("unreachable")


def _seconds(hint: str | None, attempt: int) -> float:
    if hint is not None and hint.strip().isdigit():
        return float(hint.strip())
    return float(2**attempt)


class LimitedTransport(httpx.BaseTransport):
    """An httpx transport that sends through a ``Limiter``."""

    def __init__(self, limiter: Limiter, inner: httpx.BaseTransport | None = None) -> None:
        self.limiter, self.inner = limiter, inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        def call() -> httpx.Response:
            response = self.inner.handle_request(request)
            recorder = self.limiter.recorder
            return response if recorder is None else recorder.httpx_answer(request, response)

        return self.limiter.send(
            call,
            lambda r: r.status_code,
            lambda r: r.headers.get("retry-after"),
        )

    def close(self) -> None:
        self.inner.close()


class LimitedSession(requests.Session):
    """A requests session (what schemathesis calls with) that sends through a ``Limiter``."""

    def __init__(self, limiter: Limiter) -> None:
        super().__init__()
        self.limiter = limiter

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        def call() -> requests.Response:
            response = super(LimitedSession, self).send(request, **kwargs)
            recorder = self.limiter.recorder
            return response if recorder is None else recorder.requests_answer(request, response)

        return self.limiter.send(
            call,
            lambda r: r.status_code,
            lambda r: r.headers.get("retry-after"),
        )
