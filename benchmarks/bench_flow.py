"""One whole import flow, as a client runs it, repeated ``FLOWS`` times in a row by one
client over one keep-alive connection (``immediate`` progression): create a contact import
definition, stage one row, ``POST /syncs``, poll ``GET /syncs/{id}`` until it ends (at once,
then every ``POLL_EVERY`` seconds) and read its logs. Every flow must end in ``success`` with
one contact created (ELQ-00004).

Baseline, measured in the same run with the same client: a canned-answer stub, as WireMock
or Prism would serve, answering the same five requests with fixed bodies and statuses (201
definition, 204 staging, 201 sync, 200 sync in ``success``, 200 logs); a Starlette app under
uvicorn in a subprocess with the emulator's uvicorn settings (loop and http ``auto``, log
level ``warning``, no server header). It reads each request's body and parses nothing.

Each side runs ``RUNS`` times, alternating, and the best run counts, which keeps the ratio
steady on a busy two-core machine; the mean time of each step is shown for the best run.

Target: emulator flows/s at least 0.5x the stub's.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from benchmarks import results
from benchmarks.harness import (
    BULK,
    CONTACT_IMPORT,
    contact_rows,
    free_port,
    json_bodies,
    peak_rss_mb,
    start,
    start_baseline,
    stop,
)
from contract_tests.flows import TERMINAL

BENCH = "flow"
FLOWS = 200
RUNS = 3
POLL_EVERY = 0.001
SYNC_TIMEOUT = 10.0
RUN_TIMEOUT = 60.0
RATIO_TARGET = 0.5
USER = ("Acme\\flow", "pw")
STEPS = ("define", "stage", "sync", "poll", "logs")
JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Flows:
    """One run: how many flows, how long in all, the seconds spent in each step, polls."""

    flows: int
    seconds: float
    steps: dict[str, float]
    polls: int

    @property
    def rate(self) -> float:
        return self.flows / self.seconds

    def describe(self) -> str:
        steps = ", ".join(f"{s} {self.steps[s] / self.flows * 1000:.2f}" for s in STEPS)
        return (
            f"{self.rate:7.1f} flows/s  {self.seconds / self.flows * 1000:6.2f} ms a flow "
            f"(ms: {steps}; {self.polls / self.flows:.2f} polls a flow)"
        )


def run() -> None:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        process, _ = start(
            str(Path(tmp) / "emulator.db"), port := free_port(), "--sync-progression", "immediate"
        )
        try:
            stub, stub_port = start_stub()
            try:
                ours_runs: list[Flows] = []
                stub_runs: list[Flows] = []
                for attempt in range(RUNS):
                    stub_runs.append(flows(stub_port, attempt))
                    ours_runs.append(flows(port, attempt))
            finally:
                stop(stub)
            rss = peak_rss_mb(process.pid)
        finally:
            stop(process)
    for label, runs in (("emulator", ours_runs), ("stub", stub_runs)):
        print(f"runs (flows/s), {label}: {', '.join(f'{r.rate:.1f}' for r in runs)}")
    ours = max(ours_runs, key=lambda r: r.rate)
    base = max(stub_runs, key=lambda r: r.rate)
    print(f"{FLOWS} flows in a row, one keep-alive client (best of {RUNS})")
    print(f"emulator          {ours.describe()}")
    print(f"canned stub       {base.describe()}")
    ratio = ours.rate / base.rate
    print(
        f"ratio emulator / stub {ratio:6.2f}   "
        f"{'OK' if ratio >= RATIO_TARGET else 'UNDER'} (target >= {RATIO_TARGET})"
    )
    print(f"server peak RSS (VmHWM) {rss:5.0f} MB; took {time.perf_counter() - began:.0f} s")
    results.record(
        BENCH,
        "import flow (define, stage 1 row, sync, poll to the end, logs): flows/s",
        f"{ours.rate:.1f} flows/s ({ours.seconds / ours.flows * 1000:.1f} ms a flow)",
        baseline=f"{base.rate:.1f} flows/s ({base.seconds / base.flows * 1000:.1f} ms a flow)",
        ratio=ratio,
        at_least=RATIO_TARGET,
        rss_mb=rss,
    )


def flows(port: int, attempt: int) -> Flows:
    """``FLOWS`` flows in a row on one keep-alive connection."""
    steps = dict.fromkeys(STEPS, 0.0)
    polls = 0
    deadline = time.perf_counter() + RUN_TIMEOUT
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", auth=USER, timeout=10) as client:
        client.get("/id").raise_for_status()  # sign in and connect, untimed
        began = time.perf_counter()
        for n in range(FLOWS):
            polls += flow(client, attempt * FLOWS + n, steps)
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{n + 1} flows took over {RUN_TIMEOUT:g} s")
        seconds = time.perf_counter() - began
    return Flows(FLOWS, seconds, steps, polls)


def flow(client: httpx.Client, n: int, steps: dict[str, float]) -> int:
    """One flow; adds each step's seconds to ``steps``; the number of polls."""
    t0 = time.perf_counter()
    response = client.post(
        f"{BULK}/contacts/imports", json={"name": f"bench flow {n}", **CONTACT_IMPORT}
    )
    _expect(response, 201)
    uri = str(response.json()["uri"])
    t1 = time.perf_counter()
    (body,) = json_bodies(contact_rows(n, 1, "flow.example"))
    response = client.post(
        f"{BULK}{uri}/data", content=body, headers={"Content-Type": "application/json"}
    )
    _expect(response, 204)
    t2 = time.perf_counter()
    response = client.post(f"{BULK}/syncs", json={"syncedInstanceUri": uri})
    _expect(response, 201)
    sync_uri = str(response.json()["uri"])
    t3 = time.perf_counter()
    polls, status = 0, ""
    while True:
        response = client.get(f"{BULK}{sync_uri}")
        _expect(response, 200)
        polls += 1
        status = str(response.json()["status"])
        if status in TERMINAL:
            break
        if time.perf_counter() - t3 > SYNC_TIMEOUT:
            raise RuntimeError(f"{sync_uri} did not end in {SYNC_TIMEOUT:g} s")
        time.sleep(POLL_EVERY)
    t4 = time.perf_counter()
    response = client.get(f"{BULK}{sync_uri}/logs")
    _expect(response, 200)
    t5 = time.perf_counter()
    counts = {str(i["statusCode"]): int(i["count"]) for i in response.json()["items"]}
    if status != "success" or counts.get("ELQ-00004") != 1:
        raise RuntimeError(f"{sync_uri} ended {status} with logs {counts}")
    for step, seconds in zip(STEPS, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
        steps[step] += seconds
    return polls


def _expect(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}, not {status}: {response.text[:300]}"
        )


# The stub's canned answers: what the emulator answers, with fixed ids and times.
STAMP = "2026-01-01T00:00:00.0000000Z"
DEFINITION = orjson.dumps(
    {
        "name": "bench flow",
        **CONTACT_IMPORT,
        "isSyncTriggeredOnImport": False,
        "dataRetentionDuration": "P7D",
        "isUpdatingMultipleMatchedRecords": False,
        "uri": "/contacts/imports/1",
        "createdBy": "flow",
        "createdAt": STAMP,
        "updatedBy": "flow",
        "updatedAt": STAMP,
    }
)
SYNC = {
    "syncedInstanceUri": "/contacts/imports/1",
    "status": "pending",
    "createdAt": STAMP,
    "createdBy": "flow",
    "uri": "/syncs/1",
}
SYNC_CREATED = orjson.dumps(SYNC)
SYNC_ENDED = orjson.dumps(
    {
        "syncedInstanceUri": "/contacts/imports/1",
        "syncStartedAt": STAMP,
        "syncEndedAt": STAMP,
        **{k: v for k, v in SYNC.items() if k != "syncedInstanceUri"},
        "status": "success",
    }
)
LOG_CODES = (
    (1, "ELQ-00130", "Total records staged for import."),
    (0, "ELQ-00137", "Ready for data import processing."),
    (0, "ELQ-00101", "Sync processed for sync , resulting in Success status."),
    (1, "ELQ-00001", "Total records processed."),
    (1, "ELQ-00003", "Total records remaining after duplicates are rejected."),
    (1, "ELQ-00004", "Contacts created."),
    (0, "ELQ-00022", "Contacts updated."),
)
LOGS = orjson.dumps(
    {
        "items": [
            {
                "syncUri": "/syncs/1",
                "count": count,
                "severity": "information",
                "statusCode": code,
                "message": message,
                "createdAt": STAMP,
            }
            for count, code, message in LOG_CODES
        ],
        "totalResults": len(LOG_CODES),
        "limit": 1000,
        "offset": 0,
        "count": len(LOG_CODES),
        "hasMore": False,
    }
)


def stub_app() -> Starlette:
    """The five routes of the flow, each reading the request's body and answering its
    canned body and status."""

    def answer(body: bytes | None, status: int) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            await request.body()
            if body is None:
                return Response(status_code=status)
            return Response(body, status_code=status, media_type=JSON_TYPE)

        return endpoint

    return Starlette(
        routes=[
            Route(f"{BULK}/contacts/imports", answer(DEFINITION, 201), methods=["POST"]),
            Route(BULK + "/contacts/imports/{id:int}/data", answer(None, 204), methods=["POST"]),
            Route(f"{BULK}/syncs", answer(SYNC_CREATED, 201), methods=["POST"]),
            Route(BULK + "/syncs/{id:int}", answer(SYNC_ENDED, 200), methods=["GET"]),
            Route(BULK + "/syncs/{id:int}/logs", answer(LOGS, 200), methods=["GET"]),
            Route("/id", answer(b'"ok"', 200), methods=["GET"]),
        ]
    )


def serve_stub(port: int) -> None:
    """Run the stub as ``emulator.cli`` runs the emulator."""
    uvicorn.run(stub_app(), host="127.0.0.1", port=port, log_level="warning", server_header=False)


def start_stub() -> tuple[subprocess.Popen[bytes], int]:
    return start_baseline("benchmarks.bench_flow", "serve-stub", probe="/id", expect=200)


if __name__ == "__main__" and sys.argv[1:2] == ["serve-stub"]:
    serve_stub(int(sys.argv[2]))
