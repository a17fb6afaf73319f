"""Differences a team has looked at and accepts, each with its reason (``--waivers FILE``).

The file is TOML, one ``[[waiver]]`` table per accepted difference::

    [[waiver]]
    operation = "GET /contacts/fields"      # the report's operation; * and ? match anything
    where = "$.items[*]"                     # where the difference is; * and ? as above
    kind = "extra key"                       # the report's kind of difference
    exchanges = [2, 17]                      # the exchanges' numbers in the report
    detail = "*updatedBy*"                   # the difference's text
    reason = "the pod's users edited these fields; the emulator's were never edited"

``reason`` is required, and so is at least one of the others: a waiver that names nothing
would accept every difference. A difference is waived when every key a waiver gives
matches it. Waivers that match nothing are listed in the report, so a stale one is seen.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from emulator.commands.replay.compare import Difference

SELECTORS = ("operation", "where", "kind", "detail", "exchanges")


class WaiverError(ValueError):
    """A waivers file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Waiver:
    reason: str
    operation: str | None = None
    where: str | None = None
    kind: str | None = None
    detail: str | None = None
    exchanges: frozenset[int] | None = None

    def matches(self, number: int, operation: str, difference: Difference) -> bool:
        return (
            _fits(self.operation, operation)
            and _fits(self.where, difference.where)
            and _fits(self.kind, difference.kind)
            and _fits(self.detail, difference.detail)
            and (self.exchanges is None or number in self.exchanges)
        )

    def describe(self) -> str:
        named = [
            f"{name} {value!r}"
            for name in SELECTORS[:4]
            if (value := getattr(self, name)) is not None
        ]
        if self.exchanges is not None:
            named.append("exchanges " + ", ".join(str(n) for n in sorted(self.exchanges)))
        return "; ".join(named)


def _fits(pattern: str | None, text: str) -> bool:
    if pattern is None:
        return True
    return re.fullmatch(_glob(pattern), text, re.DOTALL) is not None


def _glob(pattern: str) -> str:
    """``*`` and ``?`` as wildcards, every other character (``[``, ``$``, ``.``) as itself."""
    return "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
    )


def load(path: Path) -> list[Waiver]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WaiverError(f"{path}: {exc}") from exc
    tables = document.get("waiver", [])
    unknown = set(document) - {"waiver"}
    if unknown or not isinstance(tables, list):
        raise WaiverError(f"{path}: only [[waiver]] tables are expected")
    return [_waiver(path, number, table) for number, table in enumerate(tables, 1)]


def _waiver(path: Path, number: int, table: dict[str, Any]) -> Waiver:
    where = f"{path}: waiver {number}"
    unknown = set(table) - {"reason", *SELECTORS}
    if unknown:
        raise WaiverError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    reason = table.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise WaiverError(f"{where}: a reason is required")
    if not any(name in table for name in SELECTORS):
        raise WaiverError(f"{where}: name at least one of {', '.join(SELECTORS)}")
    texts = {}
    for name in SELECTORS[:4]:
        value = table.get(name)
        if value is not None and not isinstance(value, str):
            raise WaiverError(f"{where}: {name} must be a string")
        texts[name] = value
    exchanges = table.get("exchanges")
    if exchanges is not None and (
        not isinstance(exchanges, list) or not all(isinstance(n, int) for n in exchanges)
    ):
        raise WaiverError(f"{where}: exchanges must be a list of numbers")
    return Waiver(
        reason=reason.strip(),
        exchanges=None if exchanges is None else frozenset(exchanges),
        **texts,
    )
