"""How long ``python -m emulator`` takes to be ready (health 200), against the cost of
starting a bare Python process that imports the same libraries (the raw baseline).

Target: ready in under 1 second, cold (new database file, fixtures loaded) and warm.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import results
from benchmarks.harness import free_port, median_of, start, stop

RUNS = 5


def baseline() -> float:
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import starlette, uvicorn, sqlite_utils, orjson"], check=True
    )
    return time.perf_counter() - began


def ready(db: str) -> float:
    process, seconds = start(db, free_port())
    stop(process)
    return seconds


def run() -> None:
    raw = median_of(RUNS, baseline)
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))
        cold = median_of(RUNS, lambda: ready(str(Path(tmp) / f"cold-{next(counter)}.db")))
        warm_db = str(Path(tmp) / "warm.db")
        ready(warm_db)
        warm = median_of(RUNS, lambda: ready(warm_db))
    memory = median_of(RUNS, lambda: ready(":memory:"))
    print(f"baseline: python + imports          {raw * 1000:7.0f} ms")
    for label, value in (
        ("cold file (fixtures loaded)", cold),
        ("warm file (already seeded)", warm),
        (":memory:", memory),
    ):
        print(
            f"ready, {label:<29}{value * 1000:7.0f} ms   {value / raw:4.1f}x baseline"
            f"   {'OK' if value < 1.0 else 'OVER'} (target < 1000 ms)"
        )
        results.record(
            "startup",
            f"ready (health 200), {label}, seconds",
            f"{value:.2f}",
            baseline=f"{raw:.2f} (python + imports)",
            ratio=value,
            at_most=1.0,
        )
