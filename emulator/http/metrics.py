"""Prometheus metrics for ``/_emulator/metrics``: requests by operation and status, and
their latency; faults fired; syncs (how long, how many rows, by kind and status); rows
staged and exported. One registry per app, so apps in one process do not share counters."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.domain.entities import EXPORTS
from emulator.engine.worker import Ended

SYNC_SECONDS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)
SYNC_ROWS = (0, 1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000)


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
        self.faults = Counter(
            "eloqua_emulator_faults_fired",
            "Faults injected (/_emulator/faults), by what they did",
            ["kind"],
            registry=self.registry,
        )
        self.sync_seconds = Histogram(
            "eloqua_emulator_sync_seconds",
            "Time from a sync's creation to its end",
            ["kind", "status"],
            buckets=SYNC_SECONDS,
            registry=self.registry,
        )
        self.sync_rows = Histogram(
            "eloqua_emulator_sync_rows",
            "Rows a sync did: staged rows applied, or records exported",
            ["kind", "status"],
            buckets=SYNC_ROWS,
            registry=self.registry,
        )
        self.rows_staged = Counter(
            "eloqua_emulator_rows_staged",
            "Rows accepted by uploads to import and sync action definitions",
            ["kind"],
            registry=self.registry,
        )
        self.rows_exported = Counter(
            "eloqua_emulator_rows_exported",
            "Records written by export syncs",
            ["family"],
            registry=self.registry,
        )

    def sync_ended(self, ended: Ended) -> None:
        """The worker's listener: one sync ended."""
        self.sync_seconds.labels(ended.kind, ended.status).observe(ended.seconds)
        self.sync_rows.labels(ended.kind, ended.status).observe(ended.rows)
        if ended.kind == EXPORTS:
            self.rows_exported.labels(ended.family).inc(ended.rows)


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
