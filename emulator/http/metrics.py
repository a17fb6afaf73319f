"""Prometheus metrics for ``/_emulator/metrics``: requests by operation and status, and
their latency. One registry per app, so apps in one process do not share counters."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "eloqua_emulator_requests",
            "HTTP requests served",
            ["operation", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "eloqua_emulator_request_seconds",
            "Time to answer a request",
            ["operation"],
            registry=self.registry,
        )


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            route = scope.get("route")
            operation = getattr(route, "name", None) or "unmatched"
            self.metrics.requests.labels(operation, str(status)).inc()
            self.metrics.latency.labels(operation).observe(time.perf_counter() - started)
