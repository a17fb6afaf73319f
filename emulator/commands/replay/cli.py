"""``python -m emulator replay FILE.jsonl``: replay a recording and report every difference.

The exit status is 0 when every exchange is the same or its differences are waived, 1 when
any difference is not, and 2 when the recording, the waivers or the options are unusable.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

from emulator.commands.pacing import Pacer
from emulator.commands.pod import authorization, check_base_url
from emulator.commands.replay import recording, report, waivers
from emulator.commands.replay.replayer import Replayer, in_process
from emulator.core.config import __version__

REPLAY_SITE = "Replay"


def parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m emulator replay",
        description="Send a recording's requests, in order, to a fresh emulator site and "
        "compare every answer with the recorded one: status, JSON types, keys and their "
        "order, the form of timestamps, uris and ids, values that do not change from run "
        "to run, sync outcomes, rejects, log codes and the headers a pod always sends. "
        "Recordings come from the contract kit's --record, or from 'python -m emulator "
        "convert har|vcr'.",
    )
    cli.add_argument("recording", metavar="FILE.jsonl", type=Path, help="the recording")
    cli.add_argument(
        "--base-url",
        default=environ.get("ELOQUA_REPLAY_BASE_URL") or None,
        help="origin of a started emulator (serving /id and /api/bulk/2.0); default: a "
        "fresh emulator in this process (env ELOQUA_REPLAY_BASE_URL)",
    )
    cli.add_argument(
        "--auth",
        default=environ.get("ELOQUA_REPLAY_AUTH") or None,
        help="credentials to sign in with: 'Site\\user:password', basic:Site\\User:password "
        "or bearer:TOKEN; default: a user of a new site, so every run starts fresh "
        "(env ELOQUA_REPLAY_AUTH)",
    )
    cli.add_argument(
        "--fixtures",
        type=Path,
        default=None,
        help="the in-process emulator's fixtures folder, such as one 'fixtures from-pod' "
        "mirrored from the recorded pod (default: the bundled fixtures)",
    )
    cli.add_argument("--waivers", type=Path, default=None, help="TOML file of accepted differences")
    cli.add_argument("--report-md", type=Path, default=None, help="write the Markdown report here")
    cli.add_argument("--junit", type=Path, default=None, help="write JUnit XML here")
    cli.add_argument(
        "--sync-timeout",
        type=float,
        default=120.0,
        help="seconds a sync may take to get as far as the recording saw it (default 120)",
    )
    cli.add_argument(
        "--poll-every", type=float, default=0.1, help="seconds between sync reads (default 0.1)"
    )
    cli.add_argument(
        "--rate", type=float, default=None, help="requests a second at most (default: no limit)"
    )
    cli.add_argument(
        "--quiet", action="store_true", help="print the summary only, not each difference"
    )
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    args = parser(os.environ).parse_args(argv)
    try:
        exchanges = recording.read(args.recording)
        accepted = waivers.load(args.waivers) if args.waivers else []
        base_url = check_base_url(args.base_url) if args.base_url else None
        auth = _authorization(args.auth)
        pacer = Pacer(args.rate) if args.rate else None
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    clock = time.monotonic()
    with (
        _target(base_url, args.fixtures) as (url, described),
        httpx.Client(base_url=url, timeout=60, follow_redirects=False) as client,
    ):
        replayer = Replayer(
            client,
            auth,
            sync_timeout=args.sync_timeout,
            poll_every=args.poll_every,
            pace=pacer.wait if pacer else None,
        )
        outcomes = replayer.run(exchanges)
    used: set[int] = set()
    for outcome in outcomes:
        outcome.waive(accepted, used)
    run = report.Run(
        recording=str(args.recording),
        target=described,
        started=started.strftime("%Y-%m-%d %H:%M:%S UTC"),
        seconds=time.monotonic() - clock,
        waivers_file=str(args.waivers) if args.waivers else None,
        waivers=tuple(accepted),
        unused=tuple(w for i, w in enumerate(accepted) if i not in used),
    )
    if args.report_md:
        args.report_md.write_text(report.markdown(run, outcomes), encoding="utf-8")
    if args.junit:
        args.junit.write_text(report.junit(run, outcomes), encoding="utf-8")
    if not args.quiet:
        for outcome in outcomes:
            for difference in outcome.unwaived:
                print(f"#{outcome.number} {outcome.operation}: {difference}")
    for waiver in run.unused:
        print(f"unused waiver: {waiver.describe()}", file=sys.stderr)
    print(report.summary(outcomes))
    return 0 if report.passed(outcomes) else 1


def _authorization(value: str | None) -> str:
    """The ``Authorization`` header: ``Site\\user:password`` is Basic; the kit's forms are
    read as the kit reads them; none is a user of a site no run used before."""
    if value is None:
        value = f"{REPLAY_SITE}{secrets.token_hex(4)}\\replay.user:replay"
    if value.lower().startswith(("basic:", "bearer:")):
        return authorization(value)
    return authorization("basic:" + value)


@contextmanager
def _target(base_url: str | None, fixtures: Path | None) -> Iterator[tuple[str, str]]:
    if base_url is not None:
        yield base_url, f"`{base_url}`"
        return
    with in_process(fixtures) as url:
        shown = f", fixtures `{fixtures}`" if fixtures else ""
        yield url, f"a fresh emulator {__version__} in this process ({url}{shown})"
