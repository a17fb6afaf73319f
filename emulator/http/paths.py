"""How real clients spell paths, folded onto the routes (reference §2.2, §16).

Pods answer ``/API/Bulk/2.0``, ``/api/bulk/2.0`` and ``/api/Bulk/2.0`` alike, and clients
send lower-case resources (``/customobjects/9/fields``) and doubled slashes
(``/API/Bulk/2.0//contacts/fields``). This ASGI middleware rewrites the path before
routing: repeated slashes become one, a trailing slash goes, and each literal segment
that matches a route's segment case-insensitively takes the route's spelling. The control
plane's paths (``/_emulator/``) are only cleaned of slashes: clients of Eloqua never call
them, and a segment there may be a name whose case matters. So are the Acoustic service's
(``emulator/acoustic``: ``/rest/…``, ``/oauth/…``), which is not Eloqua and whose segments
(``rest``) would otherwise take an Eloqua spelling (``REST``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

_SLASHES = re.compile(r"/{2,}")
CONTROL = "/_emulator/"
ACOUSTIC_PREFIXES = ("/rest/", "/oauth/")


def literal_segments(templates: Iterable[str]) -> dict[str, str]:
    """``{lower-case segment: spelling}`` for every non-parameter segment of the routes."""
    segments: dict[str, str] = {}
    for template in templates:
        for segment in template.split("/"):
            if segment and not segment.startswith("{"):
                segments.setdefault(segment.lower(), segment)
    return segments


def normalise(path: str, segments: dict[str, str]) -> str:
    path = _SLASHES.sub("/", path)
    if path == CONTROL:
        return path  # the dashboard's address
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    if path.startswith(CONTROL) or path.startswith(ACOUSTIC_PREFIXES):
        return path  # ours, spelled one way: its parameters (snapshot names) keep their case
    parts = path.split("/")
    return "/".join(segments.get(part.lower(), part) for part in parts)


class PathNormaliser:
    def __init__(self, app: ASGIApp, templates: Iterable[str]) -> None:
        self.app = app
        self.segments = literal_segments(templates)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            fixed = normalise(path, self.segments)
            if fixed != path:
                scope = {**scope, "path": fixed, "raw_path": fixed.encode()}
        await self.app(scope, receive, send)
