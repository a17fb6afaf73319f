"""Outgoing calls (sync callbacks, AppCloud notifications): one total deadline per call,
redirects are answers, a receiver that hangs holds up nothing but its own calls, only the
hosts ``--outbound-allow`` allows are called, and credentials never reach the logs."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator

import anyio
import httpx
import pytest

from emulator.core.outbound import Policy
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


def answer_204(conn: socket.socket) -> None:
    with conn:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")


@pytest.fixture
def receiver() -> Iterator[str]:
    yield from serve(answer_204)


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


def calls(outbound: Outbound, url: str, times: int) -> list[tuple[int | None, str | None]]:
    """The answers of ``times`` callbacks to ``url``."""

    async def run() -> list[tuple[int | None, str | None]]:
        try:
            return [await outbound.notify(url, {"uri": "/syncs/1"}) for _ in range(times)]
        finally:
            await outbound.aclose()

    return anyio.run(run)


def counting(policy: Policy) -> tuple[Outbound, list[str]]:
    """An ``Outbound`` whose client answers 204 without a connection, and the URLs of the
    requests it was asked to send."""
    outbound = Outbound(5, policy)
    attempts: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        attempts.append(str(request.url))
        return httpx.Response(204)

    outbound._client = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    return outbound, attempts


def test_an_emulator_bound_anywhere_calls_a_loopback_receiver(receiver: str) -> None:
    outbound = Outbound(5, Policy.of("", "0.0.0.0"))
    assert calls(outbound, receiver, 1) == [(204, None)]


def test_a_host_not_allowed_is_not_called_and_is_logged_once(caplog) -> None:
    outbound, attempts = counting(Policy.of("", "0.0.0.0"))
    with caplog.at_level(logging.DEBUG, logger="emulator.callbacks"):
        answers = calls(outbound, "http://10.255.255.1:9000/hook", 3)
    why = (
        "not called: the host 10.255.255.1 is not allowed for outgoing calls "
        "(--outbound-allow; an emulator bound to a non-loopback interface calls loopback "
        "hosts only by default)"
    )
    assert answers == [(None, why)] * 3
    assert attempts == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "not calling http://10.255.255.1:9000/hook: " + why.removeprefix("not called: ")
    ]


def test_an_allowed_pattern_is_called() -> None:
    outbound, attempts = counting(Policy.of("*.example.com", "0.0.0.0"))
    assert calls(outbound, "https://hooks.example.com/done", 1) == [(204, None)]
    assert attempts == ["https://hooks.example.com/done"]


def test_a_url_with_credentials_is_not_called_and_its_password_never_logged(caplog) -> None:
    outbound, attempts = counting(Policy.of("*", "127.0.0.1"))
    with caplog.at_level(logging.DEBUG):
        answers = calls(outbound, "https://jane:s3cret@hooks.example.com/done", 2)
    assert answers == [(None, "not called: the URL carries credentials")] * 2
    assert attempts == []
    assert "s3cret" not in caplog.text
    assert "https://***@hooks.example.com/done" in caplog.text
