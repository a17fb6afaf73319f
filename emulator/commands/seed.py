"""``python -m emulator seed``: synthetic records at scale, deterministically.

Into a database file before the server starts (``--db``: created if new, with the schema
and the fixtures loaded as the server loads them), or into a running emulator (``--url``,
through ``POST /_emulator/seed``, written there a chunk at a time through its one writer).
Both run ``emulator.domain.synthetic``, so the same seed into the same state gives the
same records whichever the target. Progress goes to stderr (``--quiet`` turns it off), the
summary to stdout.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import httpx
import orjson

from emulator import seed
from emulator.commands.progress import Progress
from emulator.core.config import ENV_PREFIX, MEMORY, Settings, bundled_path
from emulator.core.errors import EloquaError
from emulator.core.types import JSONObject
from emulator.domain import synthetic
from emulator.store import Store

TOKEN_VARIABLE = ENV_PREFIX + "CONTROL_TOKEN"
READ_TIMEOUT = 600.0  # a chunk may wait behind other writes; minutes of silence is a fault


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m emulator seed",
        description="Write deterministic synthetic accounts, contacts, custom object records "
        "and activities into a site (created if missing), into a database file before the "
        "server starts or into a running emulator. The same --seed gives the same records.",
    )
    cli.add_argument("--site", required=True, help="the site (company) to seed")
    for name, text in (
        ("contacts", "contacts, with unique e-mail addresses, linked to the run's accounts"),
        ("accounts", "accounts (companies)"),
        ("activities", "activities of the run's contacts (e-mails, web visits, forms, SMS)"),
        ("custom-objects", "custom object records, spread over the site's custom objects"),
    ):
        cli.add_argument(f"--{name}", type=_count, default=0, metavar="N", help=text)
    cli.add_argument("--seed", type=int, default=0, metavar="K", help="the seed (default: 0)")
    target = cli.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--db", metavar="FILE", help="a database file (new or existing); the server not running"
    )
    target.add_argument("--url", help="a running emulator, e.g. http://127.0.0.1:8080")
    cli.add_argument(
        "--fixtures",
        type=Path,
        default=None,
        metavar="DIR",
        help="with --db: the fixtures a new site is copied from, as the server's --fixtures "
        "(default: the bundled ones)",
    )
    cli.add_argument(
        "--control-token",
        default=None,
        metavar="TOKEN",
        help="with --url: the token the emulator was started with (its --control-token), "
        "if any (default: $ELOQUA_EMULATOR_CONTROL_TOKEN)",
    )
    cli.add_argument("--quiet", action="store_true", help="no progress bar")
    return cli


def _count(text: str) -> int:
    value = int(text)
    if not 0 <= value <= synthetic.MAX_RECORDS:
        raise argparse.ArgumentTypeError(f"must be from 0 to {synthetic.MAX_RECORDS:,}")
    return value


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    try:
        order = synthetic.parse(
            {
                "site": args.site,
                "seed": args.seed,
                "accounts": args.accounts,
                "contacts": args.contacts,
                "customObjects": args.custom_objects,
                "activities": args.activities,
            }
        )
    except EloquaError as exc:
        return _refused(exc.body())
    began = time.perf_counter()
    try:
        if args.db is not None:
            if args.db == MEMORY:
                print(
                    "error: --db needs a file; a :memory: store ends with this process",
                    file=sys.stderr,
                )
                return 2
            fixtures = args.fixtures or bundled_path("fixtures")
            summary = follow(into_file(args.db, fixtures, order), quiet=args.quiet)
        else:
            token = args.control_token or os.environ.get(TOKEN_VARIABLE, "")
            summary = follow(into_server(args.url, order, token), quiet=args.quiet)
    except EloquaError as exc:
        return _refused(exc.body())
    except (httpx.HTTPError, seed.FixtureError, sqlite3.Error, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if summary.get("event") != "finished":
        return _refused(summary)
    print(report(summary, time.perf_counter() - began))
    return 0


def into_file(path: str, fixtures: Path, order: synthetic.Order) -> Iterator[JSONObject]:
    """The run in this process, on the database file, as the server would write it."""
    store = Store(path)
    try:
        store.write_sync(seed.ensure_loaded, fixtures, time.time())
        plan = store.write_sync(synthetic.prepare, order, time.time())
        yield synthetic.started(plan)
        chunk = Settings().sync_chunk  # the server's default: commits of the same size
        for step in synthetic.steps(plan, lambda: chunk):
            store.write_sync(synthetic.write, plan, step)
            yield synthetic.progressed(plan, step)
        yield synthetic.finished(plan)
    finally:
        store.close()


def into_server(url: str, order: synthetic.Order, token: str = "") -> Iterator[JSONObject]:
    """The run in a running emulator: its answer's lines as they come."""
    timeout = httpx.Timeout(30.0, read=READ_TIMEOUT)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with (
        httpx.Client(base_url=url.rstrip("/"), timeout=timeout, headers=headers) as client,
        client.stream("POST", "/_emulator/seed", json=order.body()) as response,
    ):
        if response.status_code != 200:
            response.read()
            try:
                yield {"event": "failed", **response.json()}
            except ValueError:
                yield {
                    "event": "failed",
                    "failures": [{"field": "url", "constraint": f"HTTP {response.status_code}"}],
                }
            return
        for line in response.iter_lines():
            if line.strip():
                yield orjson.loads(line)


def follow(events: Iterable[JSONObject], *, quiet: bool) -> JSONObject:
    """Show the run's progress; its last event (``finished`` unless it stopped short)."""
    progress: Progress | None = None
    written: dict[str, int] = {}
    last: JSONObject = {"event": "failed", "failures": [{"constraint": "no answer"}]}
    try:
        for event in events:
            last = event
            if event["event"] == "started":
                written = dict(event["written"])
                progress = Progress(sum(event["total"].values()), quiet=quiet)
                progress.advance(sum(written.values()))
            elif event["event"] == "written" and progress is not None:
                family = event["family"]
                progress.label(family)
                progress.advance(event["written"] - written.get(family, 0))
                written[family] = event["written"]
    finally:
        if progress is not None:
            progress.close()
    if last.get("event") not in ("finished", "failed"):
        return {
            "event": "failed",
            "failures": [{"constraint": "The answer ended before the run finished."}],
        }
    return last


def report(summary: JSONObject, seconds: float) -> str:
    lines = [f"Seeded site {summary['site']} (seed {summary['seed']}) in {seconds:.1f} s:"]
    ids = summary["ids"]
    for family in synthetic.ORDER:
        count = summary["created"][family]
        if not count:
            continue
        if family == "customObjects":
            ranges = ", ".join(
                f"{r['first']}-{r['last']} of {parent}" for parent, r in ids[family].items()
            )
        else:
            ranges = f"{ids[family]['first']}-{ids[family]['last']}"
        lines.append(f"  {family:<14} {count:>12,}  ids {ranges}")
    return "\n".join(lines)


def _refused(body: JSONObject) -> int:
    for failure in body.get("failures", []):
        field = failure.get("field")
        where = f"{field}: " if field else ""
        print(f"error: {where}{failure.get('constraint')}", file=sys.stderr)
    return 1
