"""uvicorn's HTTP/1.1 protocols with deadlines, head-size limits, and Eloqua's error shape
for what the server answers before the app sees a request.

uvicorn waits for a request's head and body as long as a client likes, takes headers of
any size, and answers a malformed request with a plain-text 400. A shared emulator must
not be held open by a client that sends one byte at a time or lies in ``Content-Length``,
and every answer a client gets should read like Eloqua's. So:

- the request line and headers must arrive within ``header_timeout`` from their first
  byte (a new connection must start one within that time too): otherwise a 408;
- the body must arrive within ``body_timeout`` once the head is in: otherwise a 408;
- a request line over ``header_max_kb`` is a 414, headers over it a 431;
- a request the parser refuses (bad framing, a bad chunk size) is a 400;
- a kept-alive connection waits ``idle_timeout`` for its next request (uvicorn's own
  keep-alive timeout).

Each of these answers is ``{"failures": [...]}`` JSON and closes the connection. The main
port speaks through httptools; the proxy's tunnels through h11, whose head limit is h11's
own (``h11_max_incomplete_event_size``), so there an oversized head is a 400.
"""

from __future__ import annotations

import asyncio
import http
from typing import Any, ClassVar

import orjson
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from emulator.core import constraints as c
from emulator.core.config import Settings
from emulator.core.errors import Failure


def answer(status: int, constraint: str) -> bytes:
    """A whole HTTP/1.1 response in Eloqua's failure shape that closes the connection."""
    body = orjson.dumps({"failures": [Failure("request", constraint, has_value=False).as_dict()]})
    phrase = http.HTTPStatus(status).phrase
    return (
        b"HTTP/1.1 %d %s\r\ncontent-type: application/json; charset=utf-8\r\n"
        b"content-length: %d\r\ncache-control: no-store\r\nconnection: close\r\n\r\n%s"
        % (status, phrase.encode("ascii"), len(body), body)
    )


class _Deadlines:
    """The timers both protocols share. ``settings`` is set on the class that
    :func:`protocol_class` makes, since uvicorn builds a protocol from its class alone."""

    settings: ClassVar[Settings]
    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: Any

    _head_timer: asyncio.TimerHandle | None = None
    _body_timer: asyncio.TimerHandle | None = None
    _head_started = False

    def _arm_head(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(
                self.settings.header_timeout, self._head_expired
            )

    def _disarm_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _arm_body(self) -> None:
        if self._body_timer is None:
            self._body_timer = self.loop.call_later(self.settings.body_timeout, self._body_expired)

    def _disarm_body(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        if self._head_started:
            seconds = self.settings.header_timeout
            self._refuse(408, c.REQUEST_HEAD_TIMEOUT.format(seconds=seconds))
        elif not self.transport.is_closing():
            self.transport.close()  # connected and silent: nobody to answer

    def _body_expired(self) -> None:
        self._body_timer = None
        cycle = self.cycle
        if cycle is None or cycle.response_started:
            self.transport.close()  # the app answered already; it cannot be told
            return
        self._refuse(408, c.REQUEST_BODY_TIMEOUT.format(seconds=self.settings.body_timeout))

    def _refuse(self, status: int, constraint: str) -> None:
        """Answer in Eloqua's shape and close; an app still waiting for the body is told
        the client went away, so whatever it answers later goes nowhere."""
        self._disarm_head()
        self._disarm_body()
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
            cycle.message_event.set()
        if not self.transport.is_closing():
            self.transport.write(answer(status, constraint))
            self.transport.close()

    def _forget_timers(self) -> None:
        self._disarm_head()
        self._disarm_body()


class EloquaHttpTools(_Deadlines, HttpToolsProtocol):
    """The main port's protocol (httptools)."""

    _refusal: tuple[int, str] | None = None
    _head_bytes = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._forget_timers()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_started = True
        self._head_bytes = 0
        self._arm_head()

    def on_url(self, url: bytes) -> None:
        self._head_bytes += len(url)
        limit = self.settings.header_max_kb
        if self._head_bytes > limit * 1024:
            self._refusal = (414, c.REQUEST_LINE_TOO_LONG.format(kb=limit))
            raise ValueError("request line too long")  # the parser stops: send_400_response
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value) + 4
        limit = self.settings.header_max_kb
        if self._head_bytes > limit * 1024:
            self._refusal = (431, c.REQUEST_HEADERS_TOO_LARGE.format(kb=limit))
            raise ValueError("request headers too large")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._disarm_head()
        self._head_started = False
        super().on_headers_complete()
        self._arm_body()

    def on_message_complete(self) -> None:
        self._disarm_body()
        super().on_message_complete()

    def send_400_response(self, msg: str) -> None:
        status, constraint = self._refusal or (400, c.REQUEST_MALFORMED)
        self._refusal = None
        self._refuse(status, constraint)


class EloquaH11(_Deadlines, H11Protocol):
    """The proxy tunnels' protocol (h11). h11 reports a whole head at once, so the head
    deadline runs from the connection or the previous answer, not from the first byte."""

    _seen: Any = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_started = True
        self._arm_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._forget_timers()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        cycle = self.cycle
        if cycle is not None and cycle is not self._seen:  # a new request's head is in
            self._seen = cycle
            self._disarm_head()
            if cycle.more_body:
                self._arm_body()
        if cycle is not None and not cycle.more_body:
            self._disarm_body()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm_body()
        if not self.transport.is_closing():
            self._arm_head()  # the next head, should the client send one

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, c.REQUEST_MALFORMED)


def protocol_class(
    settings: Settings, *, h11: bool = False
) -> type[HttpToolsProtocol | H11Protocol]:
    """The protocol class uvicorn builds each connection from, bound to ``settings``."""
    base: type[Any] = EloquaH11 if h11 else EloquaHttpTools
    return type(base.__name__, (base,), {"settings": settings})


def uvicorn_config(app: Any, settings: Settings, **options: Any) -> uvicorn.Config:
    """A ``uvicorn.Config`` serving ``app`` with the protocol and limits of ``settings``."""
    options.setdefault("http", protocol_class(settings))
    return uvicorn.Config(
        app,
        timeout_keep_alive=settings.idle_timeout,  # type: ignore[arg-type]
        h11_max_incomplete_event_size=settings.header_max_kb * 1024,
        **options,
    )
