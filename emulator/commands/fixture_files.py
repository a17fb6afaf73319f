"""Writing a fixtures folder: the same bytes for the same catalogs, and nothing outside it.

Files follow ``fixtures/README.md``: JSON arrays indented two spaces, UTF-8 as is. Keys keep
the order the API gave them, because the emulator serves each item as it is stored and a
pod's key order is part of what clients see; only arrays of plain values (member ids, which
can run to millions, and ``activityTypes``) stay on one line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from emulator.core.types import JSONObject


class UnsafeOutput(Exception):
    """OUT_DIR cannot be written as asked."""


def check_out_dir(out_dir: Path, *, force: bool) -> None:
    """Refuse a file, or a folder with anything in it unless ``force``, before any request."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UnsafeOutput(f"{out_dir} exists and is not a directory")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise UnsafeOutput(
            f"{out_dir} is not empty; --force writes the catalog files over what is there"
        )


def write(out_dir: Path, files: Mapping[str, list[JSONObject]]) -> list[Path]:
    """Write each file (a path relative to ``out_dir``); nothing at all if any of them would
    land outside ``out_dir`` through a link. The paths written, in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    targets = {name: root / name for name in sorted(files)}
    for name, target in targets.items():
        if not target.resolve().is_relative_to(root):
            raise UnsafeOutput(f"{out_dir / name} leads outside {out_dir}; nothing written")
    for name, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render(files[name]) + "\n", encoding="utf-8")
    return list(targets.values())


def render(value: Any, depth: int = 0) -> str:
    """``value`` as indented JSON, with arrays of plain values on one line."""
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict) and value:
        entries = (f"{inner}{_plain(k)}: {render(v, depth + 1)}" for k, v in value.items())
        return "{\n" + ",\n".join(entries) + "\n" + pad + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(inner + render(v, depth + 1) for v in value) + "\n" + pad + "]"
    return _plain(value)


def _plain(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
