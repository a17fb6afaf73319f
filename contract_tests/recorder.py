"""``--record FILE.jsonl``: every request the kit sends and every answer it gets, in order,
one exchange a line, in the format ``python -m emulator replay`` reads
(:mod:`emulator.commands.replay.recording`). Credentials and tokens are removed there;
nothing else is changed.

Every call of the kit goes through its ``Limiter`` (the httpx clients of the scenarios
through ``LimitedTransport``, schemathesis's requests session through ``LimitedSession``),
so that is where exchanges are taken, each attempt of a retried call included."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import requests

from emulator.commands.replay.recording import Writer, recorded


class Recorder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.own_authorization: str | None = None  # the run's credentials, once known
        self._writer = Writer(path)
        self._lock = threading.Lock()

    @property
    def count(self) -> int:
        return self._writer.count

    def httpx_answer(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """Record the exchange; an answer the client reads as if nothing had touched it
        (its bytes as they came, still encoded when the server compressed them)."""
        raw = b"".join(response.iter_raw())
        response.close()
        decoded = httpx.Response(200, headers=response.headers, stream=httpx.ByteStream(raw))
        self._add(
            request.method,
            str(request.url),
            _pairs(request.headers),
            request.read(),
            response.status_code,
            _pairs(response.headers),
            decoded.read(),
        )
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            request=request,
            extensions=response.extensions,
        )

    def requests_answer(
        self, request: requests.PreparedRequest, response: requests.Response
    ) -> requests.Response:
        body = request.body
        content = body.encode("utf-8") if isinstance(body, str) else body or b""
        self._add(
            request.method or "GET",
            request.url or "",
            [(str(k), str(v)) for k, v in request.headers.items()],
            content if isinstance(content, bytes) else b"",
            response.status_code,
            list(response.headers.items()),
            response.content,
        )
        return response

    def _add(
        self,
        method: str,
        url: str,
        request_headers: list[tuple[str, str]],
        request_content: bytes,
        status: int,
        response_headers: list[tuple[str, str]],
        response_content: bytes,
    ) -> None:
        exchange = recorded(
            method=method,
            url=url,
            request_headers=request_headers,
            request_content=request_content,
            status=status,
            response_headers=response_headers,
            response_content=response_content,
            own_authorization=self.own_authorization,
        )
        with self._lock:
            self._writer.add(exchange)

    def close(self) -> None:
        self._writer.close()


def _pairs(headers: httpx.Headers) -> list[tuple[str, str]]:
    """Headers as sent, names in their own case."""
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers.raw]
