"""What a ``make bench`` run measured, written as ``benchmarks/RESULTS.md`` and
``benchmarks/results.json``: every measure with our figure, its baseline (measured in the
same run), the ratio, the target and whether it holds, and a scaling table (cost per row at
10k, 100k and 1M rows)."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCALING_LIMIT = 1.5  # cost per row may grow this much from the smallest size to the largest


@dataclass(frozen=True)
class Measure:
    bench: str
    measure: str
    ours: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None  # None: no target
    rss_mb: float | None = None


@dataclass(frozen=True)
class Scale:
    bench: str
    rows: int
    seconds: float

    @property
    def per_row_us(self) -> float:
        return self.seconds / self.rows * 1e6


MEASURES: list[Measure] = []
SCALES: list[Scale] = []


def record(
    bench: str,
    measure: str,
    ours: str,
    *,
    baseline: str = "",
    ratio: float | None = None,
    at_least: float | None = None,
    at_most: float | None = None,
    rss_mb: float | None = None,
) -> None:
    """One line of the results. ``at_least``/``at_most`` bound the ratio (or, without a
    baseline, the figure given as ``ratio``)."""
    target, passed = "", None
    if at_least is not None and ratio is not None:
        target, passed = f">= {at_least:g}", ratio >= at_least
    elif at_most is not None and ratio is not None:
        target, passed = f"<= {at_most:g}", ratio <= at_most
    MEASURES.append(Measure(bench, measure, ours, baseline, ratio, target, passed, rss_mb))
    if rss_mb is not None:
        MEASURES.append(
            Measure(
                bench,
                f"{measure}: server peak RSS",
                f"{rss_mb:.0f} MB",
                ratio=rss_mb,
                target="< 400",
                passed=rss_mb < 400,
            )
        )


def scale(bench: str, rows: int, seconds: float) -> None:
    SCALES.append(Scale(bench, rows, seconds))


def _scaling() -> list[tuple[str, list[Scale], float, bool]]:
    found = []
    for bench in dict.fromkeys(s.bench for s in SCALES):
        sizes = sorted((s for s in SCALES if s.bench == bench), key=lambda s: s.rows)
        growth = max(s.per_row_us for s in sizes) / sizes[0].per_row_us
        found.append((bench, sizes, growth, growth <= SCALING_LIMIT))
    return found


def write(started: float) -> Path:
    """Write both files; the Markdown file's path."""
    took = time.time() - started
    failed = [m for m in MEASURES if m.passed is False]
    scaling = _scaling()
    failed_scaling = [b for b, _, _, ok in scaling if not ok]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))} "
        f"UTC, {platform.machine()}, Python {platform.python_version()}; the run took "
        f"{took / 60:.1f} minutes. Every baseline was measured in the same run.",
        "",
        f"**{sum(m.passed is True for m in MEASURES)} targets hold, {len(failed)} do not**"
        + (f" ({', '.join(f'{m.bench}: {m.measure}' for m in failed)})" if failed else "")
        + ".",
        "",
        "| bench | measure | ours | baseline | ratio | target | |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in MEASURES:
        mark = {True: "pass", False: "**fail**", None: ""}[m.passed]
        ratio = "" if m.ratio is None else f"{m.ratio:.2f}"
        lines.append(
            f"| {m.bench} | {m.measure} | {m.ours} | {m.baseline} | {ratio} | {m.target} | {mark} |"
        )
    if scaling:
        lines += [
            "",
            "## Scaling",
            "",
            f"Cost per row at each size; it may grow at most {SCALING_LIMIT}x from the smallest "
            "size to the largest.",
            "",
            "| bench | rows | seconds | µs per row | growth | |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for bench, sizes, growth, ok in scaling:
            for s in sizes:
                lines.append(
                    f"| {bench} | {s.rows:,} | {s.seconds:.2f} | {s.per_row_us:.1f} | "
                    f"{s.per_row_us / sizes[0].per_row_us:.2f}x | |"
                )
            lines.append(f"| {bench} | | | | {growth:.2f}x | {'pass' if ok else '**fail**'} |")
        if failed_scaling:
            lines += ["", f"Scaling fails for: {', '.join(failed_scaling)}."]
    markdown = HERE / "RESULTS.md"
    markdown.write_text("\n".join(lines) + "\n")
    (HERE / "results.json").write_text(
        json.dumps(
            {
                "started": started,
                "seconds": took,
                "measures": [asdict(m) for m in MEASURES],
                "scaling": [{**asdict(s), "per_row_us": s.per_row_us} for s in SCALES],
            },
            indent=2,
        )
        + "\n"
    )
    return markdown
