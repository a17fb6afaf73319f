"""``python -m contract_tests.cassette CASSETTE.yaml OUT.jsonl [--all]``: a vcrpy cassette
written as YAML (vcrpy's default), as a recording ``python -m emulator replay`` reads.

The emulator does not depend on PyYAML; the contract kit does, so YAML cassettes are read
here and converted as ``python -m emulator convert vcr`` converts JSON ones. The loader is
YAML's safe one plus the plain tags vcrpy cassettes carry (``!!python/str``,
``!!python/unicode``, ``!!python/tuple``); bytes bodies are YAML's ``!!binary``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from emulator.commands.replay import vcr
from emulator.commands.replay.convert import write


class CassetteLoader(yaml.SafeLoader):
    """Safe YAML, and the harmless Python tags that vcrpy writes."""


def _scalar(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


def _tuple(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    return tuple(loader.construct_sequence(node))  # type: ignore[arg-type]


CassetteLoader.add_constructor("tag:yaml.org,2002:python/str", _scalar)
CassetteLoader.add_constructor("tag:yaml.org,2002:python/unicode", _scalar)
CassetteLoader.add_constructor("tag:yaml.org,2002:python/tuple", _tuple)


def load(text: str) -> Any:
    return yaml.load(text, Loader=CassetteLoader)


def main(argv: Sequence[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m contract_tests.cassette", description=__doc__)
    cli.add_argument("cassette", type=Path)
    cli.add_argument("output", metavar="OUT.jsonl", type=Path)
    cli.add_argument("--all", action="store_true", help="keep requests to other APIs too")
    args = cli.parse_args(argv)
    try:
        captured = vcr.wires(load(args.cassette.read_text(encoding="utf-8")))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        print(f"error: {args.cassette}: {exc}", file=sys.stderr)
        return 2
    return write(captured, args.output, keep_all=args.all)


if __name__ == "__main__":
    sys.exit(main())
