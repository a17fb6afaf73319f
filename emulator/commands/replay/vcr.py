"""vcrpy cassettes → exchanges.

A cassette is ``{"version": 1, "interactions": [{"request": {"method", "uri", "body",
"headers": {name: [value]}}, "response": {"status": {"code", "message"}, "headers": {name:
[value, …]}, "body": {"string"}}}]}``; vcrpy's httpx support before version 5 wrote the
response as ``{"status_code", "headers": {name: value}, "content"}``, which is read too.
Bodies are text, or bytes where the cassette's YAML kept them as ``!!binary``.

vcrpy writes YAML unless a cassette is recorded with ``serializer="json"``. The emulator
does not depend on PyYAML, so this module reads JSON cassettes (and cassettes already
loaded); a YAML cassette is read by ``python -m contract_tests.cassette``, which has the
contract kit's PyYAML, with the same conversion.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from emulator.commands.replay.recording import Wire

YAML_HINT = (
    "this cassette is YAML: convert it with 'python -m contract_tests.cassette IN OUT' "
    "(the contract kit, with PyYAML), or record it with vcrpy's serializer='json'"
)


class CassetteError(ValueError):
    """A file that is not a vcrpy cassette, with the reason."""


def load_json(text: str) -> Any:
    if not text.lstrip().startswith("{"):
        raise CassetteError(YAML_HINT)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise CassetteError(f"not a JSON cassette: {exc}") from exc


def wires(document: Any) -> list[Wire]:
    interactions = document.get("interactions") if isinstance(document, Mapping) else None
    if not isinstance(interactions, list):
        raise CassetteError("not a vcrpy cassette: it has no interactions")
    captured = []
    for number, interaction in enumerate(interactions, 1):
        try:
            request, response = interaction["request"], interaction["response"]
            status = response.get("status")
            code = status["code"] if isinstance(status, Mapping) else response["status_code"]
            body = response.get("body")
            content = body.get("string") if isinstance(body, Mapping) else response.get("content")
            captured.append(
                Wire(
                    method=str(request["method"]).upper(),
                    url=str(request["uri"]),
                    request_headers=_headers(request.get("headers")),
                    request_content=_bytes(request.get("body")),
                    status=int(code),
                    response_headers=_headers(response.get("headers")),
                    response_content=_bytes(content),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CassetteError(f"interaction {number}: {exc!r}") from exc
    return captured


def _headers(headers: Any) -> list[tuple[str, str]]:
    pairs = []
    for name, values in (headers or {}).items():
        for value in values if isinstance(values, list | tuple) else [values]:
            if value is not None:
                pairs.append((str(name), str(value)))
    return pairs


def _bytes(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return value
    if isinstance(value, Mapping):  # a request body kept as {"string": …}
        return _bytes(value.get("string"))
    return str(value).encode("utf-8")
