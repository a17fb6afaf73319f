"""``python -m benchmarks [name ...]``: run every ``bench_*`` module, or the named ones."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from benchmarks import results


def main(argv: list[str]) -> int:
    started = time.time()
    here = Path(__file__).resolve().parent
    names = argv or sorted(
        m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")
    )
    for name in names:
        module = importlib.import_module(f"benchmarks.{name.removesuffix('.py')}")
        print(f"== {module.__name__}")
        module.run()
        print()
    if not argv:  # only a whole run rewrites the results
        print(f"results: {results.write(started)}")
    return 0


raise SystemExit(main(sys.argv[1:]))
