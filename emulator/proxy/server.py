"""uvicorn's server, plus the proxy listener when ``--proxy-port`` asks for it.

The proxy is a second listening socket in the same event loop, serving the same app with
the same lifespan state, closed by the same graceful shutdown. Each connection's first
request decides what it is:

- ``CONNECT host:443`` for an Eloqua host: answered ``200``, then TLS is terminated with a
  certificate for that host signed by the emulator's CA, and uvicorn's own HTTP/1.1
  protocol serves the requests inside the tunnel (keep-alive, streaming, ``https`` scheme,
  so the base URLs the emulator answers keep the client on the proxy);
- ``CONNECT`` to any other host: a 403, and the connection closes;
- anything else (absolute-form ``GET http://…`` or a plain request): handed to uvicorn's
  protocol with :class:`~emulator.proxy.gate.AbsoluteForm` in front of the app.

Only HTTP/1.1 inside tunnels: the certificate's ALPN offers nothing else, so clients that
prefer HTTP/2 fall back, as they do with any HTTP/1.1 server.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from emulator.app import create_app
from emulator.core.config import Settings
from emulator.proxy.ca import CertificateAuthority
from emulator.proxy.gate import AbsoluteForm, is_eloqua, refusal
from emulator.wire.protocols import protocol_class, uvicorn_config

log = logging.getLogger("emulator.proxy")
MAX_HEAD = 64 * 1024
HANDSHAKE_TIMEOUT = 15.0


class EmulatorServer(uvicorn.Server):
    """A ``uvicorn.Server`` that also opens the proxy port when ``proxy_port`` is set."""

    def __init__(
        self,
        config: uvicorn.Config,
        proxy_port: int = 0,
        ca: CertificateAuthority | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__(config)
        self.proxy_port = proxy_port
        self.ca = ca
        self.settings = settings or Settings()
        self.proxy_started = False

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if not self.proxy_port or self.should_exit:
            return
        self.started = False  # started means every port listens, the proxy's too
        if self.ca is None:
            raise ValueError("a proxy port needs a certificate authority")
        inner = uvicorn_config(
            AbsoluteForm(cast(ASGIApp, self.config.app)),
            self.settings,
            http=protocol_class(self.settings, h11=True),
            lifespan="off",
            proxy_headers=False,
            server_header=False,
            log_level=self.config.log_level,
            access_log=self.config.access_log,
        )
        inner.load()
        ca, state, app_state = self.ca, self.server_state, self.lifespan.state
        loop = asyncio.get_running_loop()
        try:
            proxy = await loop.create_server(
                lambda: ProxyConnection(inner, state, app_state, ca),
                host=self.config.host,
                port=self.proxy_port,
                backlog=self.config.backlog,
            )
        except OSError as exc:
            log.error("the proxy cannot listen on port %s: %s", self.proxy_port, exc)
            self.should_exit = True
            return
        self.servers.append(proxy)
        self.proxy_started = self.started = True
        log.info(
            "Proxy for *.eloqua.com on http://%s:%d; clients trust %s",
            self.config.host,
            self.proxy_port,
            ca.cert_path,
        )


class ProxyConnection(asyncio.Protocol):
    """One client connection to the proxy port, until its first request head decides who
    serves it (see the module docstring)."""

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        ca: CertificateAuthority,
    ) -> None:
        self.config = config
        self.server_state = server_state
        self.app_state = app_state
        self.ca = ca
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.handed_over = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses but behave as one
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        if self.handed_over or self.transport is None:
            return
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD:
                self._close_with(431, b"Request header fields too large.\n")
            return
        method, _, rest = bytes(self.buffer[: self.buffer.find(b"\r\n")]).partition(b" ")
        self.handed_over = True
        if method.upper() != b"CONNECT":
            protocol = self._http()
            self.transport.set_protocol(protocol)
            protocol.connection_made(self.transport)
            protocol.data_received(bytes(self.buffer))
            return
        target = rest.split(b" ", 1)[0].decode("latin-1")
        host = target.rpartition(":")[0] if ":" in target else target
        if not is_eloqua(host):
            self._close_with(403, refusal(target))
            return
        self.transport.pause_reading()
        self.transport.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        task = asyncio.get_running_loop().create_task(self._tunnel(host))
        self.server_state.tasks.add(task)
        task.add_done_callback(self.server_state.tasks.discard)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None

    async def _tunnel(self, host: str) -> None:
        transport = self.transport
        if transport is None:
            return
        loop = asyncio.get_running_loop()
        protocol = self._http()
        try:
            context = await asyncio.to_thread(self.ca.context_for, host)
            tls = await loop.start_tls(
                transport,
                protocol,
                context,
                server_side=True,
                ssl_handshake_timeout=HANDSHAKE_TIMEOUT,
            )
        except (OSError, ssl.SSLError, ValueError, TimeoutError) as exc:
            log.info(
                "proxy: no TLS with a client for %s (%s); does it trust %s?",
                host,
                exc,
                self.ca.cert_path,
            )
            transport.close()
            return
        if tls is None:  # the client went away during the handshake
            return
        protocol.connection_made(tls)

    def _http(self) -> H11Protocol:
        protocol = self.config.http_protocol_class(
            config=self.config,  # type: ignore[call-arg]
            server_state=self.server_state,
            app_state=self.app_state,
        )
        return cast(H11Protocol, protocol)

    def _close_with(self, status: int, body: bytes) -> None:
        reason = {403: b"Forbidden", 431: b"Request Header Fields Too Large"}[status]
        assert self.transport is not None
        self.transport.write(
            b"HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (status, reason, len(body), body)
        )
        self.transport.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_app(
    app: ASGIApp,
    port: int | None = None,
    *,
    proxy_port: int = 0,
    ca: CertificateAuthority | None = None,
    settings: Settings | None = None,
) -> Iterator[str]:
    """Any ASGI app under uvicorn on a loopback port, in a thread, for the block; with
    ``proxy_port`` and ``ca``, the proxy listens beside it. The connection limits are those
    of ``settings`` (by default the defaults)."""
    port = port or free_port()
    settings = settings or Settings()
    config = uvicorn_config(
        app, settings, host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = EmulatorServer(config, proxy_port=proxy_port, ca=ca, settings=settings)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve(settings: Settings | None = None) -> Iterator[str]:
    """A fresh emulator (``:memory:`` unless ``settings`` say otherwise) for the block; its
    origin. ``settings.proxy_port`` opens the proxy too, with the CA in ``settings.ca_dir``."""
    settings = settings or Settings(db=":memory:", port=free_port(), log_level="warning")
    port = settings.port or free_port()
    ca = CertificateAuthority(settings.ca_dir) if settings.proxy_port else None
    app = create_app(settings)
    with serve_app(app, port, proxy_port=settings.proxy_port, ca=ca, settings=settings) as url:
        yield url
