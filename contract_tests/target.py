"""What the contract suite talks to: a real pod, or an emulator started in a thread.

Either way it is HTTP to a base URL (the login origin that serves ``/id``); the pod's Bulk
base is discovered from ``/id`` as a real client does.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

from emulator import Settings, create_app


@dataclass(frozen=True)
class Target:
    base_url: str
    headers: dict[str, str]
    kind: str  # "emulator" or "pod"

    @property
    def is_emulator(self) -> bool:
        return self.kind == "emulator"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_in_thread(
    settings: Settings | None = None, wrap: Callable[[ASGIApp], ASGIApp] | None = None
) -> Iterator[str]:
    """A fresh ``:memory:`` emulator on a free loopback port, for the length of the block;
    ``wrap`` puts middleware around it (the kit's own tests break it on purpose)."""
    port = free_port()
    settings = settings or Settings(db=":memory:", port=port, log_level="warning")
    app: ASGIApp = create_app(settings)
    with serve_app(wrap(app) if wrap else app, port) as url:
        yield url


@contextmanager
def serve_app(app: ASGIApp, port: int | None = None) -> Iterator[str]:
    """Any ASGI app under uvicorn on a loopback port, in a thread, for the block."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
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
