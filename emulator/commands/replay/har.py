"""HAR 1.2 files (browser developer tools, mitmproxy, Charles, Fiddler) → exchanges.

An entry gives ``request`` (``method``, ``url``, ``headers``, ``postData.text``, or
``postData.params`` for a form whose text was not kept) and ``response`` (``status``,
``headers``, ``content.text``, base64 when ``content.encoding`` says so). Entries are taken
in the file's order, which is the order the tools write them in (by start time). An entry
with status 0 is a request that got no answer (blocked, cancelled) and is left out.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from emulator.commands.replay.recording import Wire


class HarError(ValueError):
    """A file that is not a HAR log."""


def wires(document: Any) -> list[Wire]:
    log = document.get("log") if isinstance(document, Mapping) else None
    entries = log.get("entries") if isinstance(log, Mapping) else None
    if not isinstance(entries, list):
        raise HarError("not a HAR file: it has no log.entries")
    captured = []
    for number, entry in enumerate(entries, 1):
        try:
            request, response = entry["request"], entry["response"]
            status = int(response["status"])
            if status == 0:
                continue
            captured.append(
                Wire(
                    method=str(request["method"]),
                    url=str(request["url"]),
                    request_headers=_headers(request.get("headers")),
                    request_content=_post_data(request.get("postData")),
                    status=status,
                    response_headers=_headers(response.get("headers")),
                    response_content=_content(response.get("content")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HarError(f"entry {number}: {exc!r}") from exc
    return captured


def _headers(headers: Any) -> list[tuple[str, str]]:
    return [(str(h["name"]), str(h["value"])) for h in headers or ()]


def _post_data(post: Any) -> bytes:
    if not isinstance(post, Mapping):
        return b""
    text = post.get("text")
    if text is None and post.get("params"):
        return urlencode([(p["name"], p.get("value", "")) for p in post["params"]]).encode()
    if not text:
        return b""
    if post.get("encoding") == "base64":  # not in HAR 1.2, but some tools write it
        return base64.b64decode(text)
    return str(text).encode("utf-8")


def _content(content: Any) -> bytes:
    if not isinstance(content, Mapping) or not content.get("text"):
        return b""
    if content.get("encoding") == "base64":
        return base64.b64decode(content["text"])
    return str(content["text"]).encode("utf-8")
