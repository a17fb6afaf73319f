"""``--auth`` values: ``basic:Site\\User:password`` or ``bearer:TOKEN``."""

from __future__ import annotations

import base64


def parse_auth(value: str) -> dict[str, str]:
    """The ``Authorization`` header for an ``--auth`` value."""
    scheme, sep, rest = value.partition(":")
    if scheme == "basic" and sep and "\\" in rest.partition(":")[0] and ":" in rest:
        return {"Authorization": "Basic " + base64.b64encode(rest.encode()).decode()}
    if scheme == "bearer" and sep and rest:
        return {"Authorization": f"Bearer {rest}"}
    raise ValueError("--auth must be 'basic:Site\\User:password' or 'bearer:TOKEN'")
