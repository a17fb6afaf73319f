"""``python -m emulator convert har|vcr IN OUT.jsonl``: traffic captured with other tools,
as a recording the replay reads.

Only the Eloqua API is kept (``/id`` and paths under ``/api/bulk/``) unless ``--all`` is
given; credentials and tokens are removed as the contract kit's recorder removes them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from emulator.commands.replay import har, recording, vcr


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m emulator convert",
        description="Convert captured traffic to the JSON Lines recording that "
        "'python -m emulator replay' reads.",
    )
    cli.add_argument(
        "source",
        choices=("har", "vcr"),
        help="har: a HAR 1.2 file (browser dev tools, mitmproxy, Charles); vcr: a vcrpy "
        "cassette serialised as JSON (YAML ones: python -m contract_tests.cassette)",
    )
    cli.add_argument("input", metavar="IN", type=Path)
    cli.add_argument("output", metavar="OUT.jsonl", type=Path)
    cli.add_argument(
        "--all", action="store_true", help="keep every request, not only the Eloqua API's"
    )
    return cli


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        text = args.input.read_text(encoding="utf-8")
        if args.source == "har":
            captured = har.wires(json.loads(text))
        else:
            captured = vcr.wires(vcr.load_json(text))
    except (OSError, ValueError) as exc:  # HarError, CassetteError, JSONDecodeError
        print(f"error: {args.input}: {exc}", file=sys.stderr)
        return 2
    return write(captured, args.output, keep_all=args.all)


def write(captured: Sequence[recording.Wire], output: Path, *, keep_all: bool) -> int:
    """Write what ``from_wire`` keeps of ``captured`` and say so; the exit status."""
    exchanges, left_out = recording.from_wire(captured, keep_all=keep_all)
    recording.write(output, exchanges)
    note = f" ({left_out} left out: not the Eloqua API; --all keeps them)" if left_out else ""
    print(f"wrote {len(exchanges)} exchanges to {output}{note}")
    return 0
