"""``python -m emulator fixtures from-pod``: mirror a real instance's catalogs into a
fixtures folder that ``--fixtures`` loads.

It reads through the Bulk API only, with ``GET`` only, at most ``--rate`` requests a second
and ``--max-requests`` in all (the contract kit's limits on a pod), and writes nothing until
every catalog has been read, so a failed run leaves OUT_DIR as it was. Every failure is one
line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from emulator.commands.fixture_files import UnsafeOutput, check_out_dir, write
from emulator.commands.mirror import UNREADABLE, Mirror, Reader, mirror
from emulator.commands.pacing import BudgetSpent, Pacer
from emulator.commands.pod import AUTH_FORMS, Pod, PodError, authorization, check_base_url

POD_RATE = 5.0
POD_BUDGET = 3000
PAGE_MAX = 1000
MANY_PLACEHOLDERS = 1_000_000


def parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m emulator fixtures",
        description="Make fixtures folders for the emulator's --fixtures option.",
    )
    commands = cli.add_subparsers(dest="command", required=True, metavar="COMMAND")
    pod = commands.add_parser(
        "from-pod",
        help="mirror a real instance's catalogs (fields, lists, custom objects, …)",
        description="Read a pod's catalogs through the Bulk API 2.0 (GET only, paced) and "
        "write them as a fixtures folder: contact, account, activity, campaign-response, "
        "opportunity and campaign fields, custom objects and events with their fields, "
        "contact lists, segments, filters, scoring models, account lists and e-mail groups. "
        "No records are copied.",
    )
    pod.add_argument("out_dir", metavar="OUT_DIR", type=Path, help="folder to write")
    pod.add_argument(
        "--base-url",
        default=environ.get("ELOQUA_BASE_URL") or None,
        help="the login origin (https://login.eloqua.com: the pod is found through /id), a "
        "pod's origin (https://secure.p03.eloqua.com) or its Bulk base (…/api/bulk/2.0) "
        "(env ELOQUA_BASE_URL)",
    )
    pod.add_argument(
        "--auth",
        default=environ.get("ELOQUA_AUTH") or None,
        help=f"{AUTH_FORMS} (env ELOQUA_AUTH)",
    )
    pod.add_argument(
        "--rate",
        type=float,
        default=POD_RATE,
        help=f"requests a second at most (default {POD_RATE:g})",
    )
    pod.add_argument(
        "--max-requests",
        type=int,
        default=POD_BUDGET,
        help=f"requests in the run at most; beyond it the run fails (default {POD_BUDGET})",
    )
    pod.add_argument(
        "--page-size",
        type=int,
        default=PAGE_MAX,
        help=f"items a listing request asks for, 1-{PAGE_MAX} (default {PAGE_MAX})",
    )
    pod.add_argument(
        "--timeout", type=float, default=30.0, help="seconds one request may take (default 30)"
    )
    pod.add_argument(
        "--no-counts",
        action="store_true",
        help="write no placeholder members: lists, segments and filters then count 0",
    )
    pod.add_argument(
        "--force", action="store_true", help="write into OUT_DIR even if it is not empty"
    )
    pod.set_defaults(usage=pod)
    return cli


def main(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> int:
    args = parser(os.environ if environ is None else environ).parse_args(list(argv))
    usage: argparse.ArgumentParser = args.usage
    if not args.base_url:
        usage.error("--base-url is needed (or ELOQUA_BASE_URL)")
    if not args.auth:
        usage.error("--auth is needed (or ELOQUA_AUTH)")
    if not 1 <= args.page_size <= PAGE_MAX:
        usage.error(f"--page-size must be 1-{PAGE_MAX}, not {args.page_size}")
    if args.rate <= 0 or args.max_requests < 1 or args.timeout <= 0:
        usage.error("--rate, --max-requests and --timeout must be positive")
    try:
        base_url = check_base_url(args.base_url)
        header = authorization(args.auth)
    except ValueError as exc:
        usage.error(str(exc))
    return from_pod(args, base_url, header, Pacer(args.rate, args.max_requests))


def from_pod(args: argparse.Namespace, base_url: str, header: str, pacer: Pacer) -> int:
    out_dir: Path = args.out_dir
    started = time.monotonic()
    try:
        check_out_dir(out_dir, force=args.force)
        with Pod(base_url, header, pacer, timeout=args.timeout) as pod:
            bulk = pod.connect()
            _err(f"reading catalogs from {bulk}, at most {args.rate:g} requests a second")
            reader = Reader(pod, args.page_size, not args.no_counts, _err)
            result = mirror(reader)
        write(out_dir, result.files())
    except (PodError, BudgetSpent, UnsafeOutput) as exc:
        return _fail(str(exc), pacer)
    except OSError as exc:
        return _fail(f"cannot write {out_dir}: {exc}", pacer)
    except KeyboardInterrupt:
        return _fail("interrupted", pacer, status=130)
    print(summary(result, out_dir, bulk, pacer.sent, time.monotonic() - started, args.rate))
    return 0


def summary(
    result: Mirror, out_dir: Path, bulk: str, requests: int, seconds: float, rate: float
) -> str:
    width = max(len(c.file) for c in result.catalogs)
    lines = [f"mirrored {bulk} into {out_dir}"]
    for catalog in result.catalogs:
        extra = f"  ({catalog.detail})" if catalog.detail else ""
        lines.append(f"  {catalog.file:<{width}}  {len(catalog.items):>6}  {catalog.label}{extra}")
    if result.unserved:
        lines.append("not served by this pod (written empty): " + ", ".join(result.unserved))
    lines.append("not readable through the Bulk API (left out): " + ", ".join(UNREADABLE))
    if result.placeholders > MANY_PLACEHOLDERS:
        lines.append(
            f"note: {result.placeholders} placeholder members keep the counts; "
            "--no-counts leaves them out"
        )
    lines += [f"warning: {w}" for w in result.warnings]
    lines.append(f"requests: {requests} in {seconds:.1f} s (at most {rate:g} a second)")
    return "\n".join(lines)


def _err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _fail(message: str, pacer: Pacer, status: int = 1) -> int:
    _err(f"error: {message} ({pacer.sent} requests made)")
    return status
