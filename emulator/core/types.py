"""Shared aliases and small value types used across layers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JSONObject = dict[str, Any]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user of one site (Eloqua's company namespace)."""

    site_id: int
    site_name: str
    user_id: int
    username: str
