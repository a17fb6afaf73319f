"""Outgoing calls (sync callbacks, AppCloud notifications): one total deadline per call,
redirects are answers, and a receiver that hangs holds up nothing but its own calls."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import anyio
import pytest

from emulator.engine.callbacks import Outbound


def serve(handle: Callable[[socket.socket], None]) -> Iterator[str]:
    """A raw TCP server on loopback that hands each connection to ``handle``."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=handle, args=(conn,), daemon=True)
            thread.start()
            threads.append(thread)

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
    finally:
        stop.set()
        acceptor.join(timeout=5)
        listener.close()


def trickle(conn: socket.socket) -> None:
    """Reads the request, then answers one byte every 0.2 s (a per-read timeout never
    fires)."""
    with conn:
        conn.recv(65536)
        try:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                conn.sendall(bytes([byte]))
                time.sleep(0.2)
        except OSError:
            pass


def redirect(conn: socket.socket) -> None:
    with conn:
        conn.recv(65536)
        conn.sendall(
            b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/x\r\nContent-Length: 0\r\n\r\n"
        )


@pytest.fixture
def trickling() -> Iterator[str]:
    yield from serve(trickle)


@pytest.fixture
def redirecting() -> Iterator[str]:
    yield from serve(redirect)


def post(url: str, deadline: float) -> tuple[tuple[int | None, str | None], float]:
    async def call() -> tuple[int | None, str | None]:
        outbound = Outbound(deadline)
        try:
            return await outbound.post(url, {"uri": "/syncs/1"})
        finally:
            await outbound.aclose()

    began = time.perf_counter()
    answer = anyio.run(call)
    return answer, time.perf_counter() - began


def test_a_receiver_that_trickles_its_answer_is_cut_off_at_the_deadline(trickling: str) -> None:
    (status, error), took = post(trickling, 0.5)
    assert status is None
    assert error == "no answer within 0.5 s"
    assert took < 2


def test_a_redirect_is_the_answer_and_is_not_followed(redirecting: str) -> None:
    (status, error), _ = post(redirecting, 5)
    assert (status, error) == (302, None)


def test_an_unreachable_receiver_is_an_error_not_an_exception() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (status, error), _ = post(f"http://127.0.0.1:{port}/hook", 5)
    assert status is None
    assert error
