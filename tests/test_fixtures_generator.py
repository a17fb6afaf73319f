"""The fixture generator (``scripts/fixtures``) rewrites ``fixtures/`` byte for byte.

A change to the generator that moves one random draw changes every file after it; this
catches it, and catches a fixture edited by hand.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from pathlib import Path

import scripts.fixtures
from scripts.fixtures import FIXTURES, generate
from scripts.fixtures.common import SEED


def files_below(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def test_generated_files_equal_the_committed_fixtures(tmp_path: Path) -> None:
    generate(random.Random(SEED), tmp_path)

    assert files_below(tmp_path) == files_below(FIXTURES)
    for rel in files_below(tmp_path):
        assert (tmp_path / rel).read_bytes() == (FIXTURES / rel).read_bytes(), rel


def test_no_module_holds_a_random_generator() -> None:
    """The generator is passed in, so the order of the calls is the order of the draws."""
    for info in pkgutil.iter_modules(scripts.fixtures.__path__, "scripts.fixtures."):
        if info.name.endswith("__main__"):
            continue  # running it writes the fixtures
        module = importlib.import_module(info.name)
        held = [name for name, value in vars(module).items() if isinstance(value, random.Random)]
        assert not held, (info.name, held)
