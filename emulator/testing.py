"""The emulator inside a test run, as moto's ``mock_aws`` puts AWS there.

``serve_app``/``serve`` run it under uvicorn on a loopback port in a thread, for a block.
``mock_eloqua`` (a context manager and a decorator; the pytest fixture of the same name
comes with the package's pytest plugin) serves a fresh ``:memory:`` emulator and sends every
``requests`` or ``httpx`` call to ``login.eloqua.com`` or any ``*.eloqua.com`` pod to it, with
no change to the code under test: clients that hard-code ``https://login.eloqua.com/id``
sign in to the emulator, which answers with the Eloqua host they asked for (``Host`` and
``X-Forwarded-Proto`` are kept), so every later call comes back through the mock, over
``https`` as far as the client can tell. Calls to any other host pass through untouched.
``mock_acoustic`` does the same for Acoustic Campaign's API hosts
(``api-campaign-us-1.goacoustic.com`` and the other pods, the older
``api<n>.ibmmarketingcloud.com`` and ``api<n>.silverpop.com``): ``POST /oauth/token`` and
``/rest/bulkeventexport/...`` reach the emulator's Acoustic service.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, Self, TypeVar
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import httpx

from emulator.core.config import Settings
from emulator.core.hosts import is_acoustic_api
from emulator.proxy.gate import is_eloqua
from emulator.proxy.server import free_port, serve, serve_app

__all__ = ["free_port", "mock_acoustic", "mock_eloqua", "serve", "serve_app"]

F = TypeVar("F", bound=Callable[..., Any])


class mock_eloqua:
    """``with mock_eloqua() as eloqua:`` or ``@mock_eloqua()``: Eloqua hosts answered by a
    fresh emulator for the block; ``eloqua.url`` is its origin."""

    routes: Callable[[str | None], bool] = staticmethod(is_eloqua)  # the hosts it answers

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self.url = ""
        self._stack: ExitStack | None = None

    def __enter__(self) -> Self:
        stack = ExitStack()
        self.url = stack.enter_context(serve(self.settings))
        target = urlsplit(self.url)
        stack.enter_context(_patch_requests(target.netloc, self.routes))
        stack.enter_context(_patch_httpx(target.port or 80, self.routes))
        self._stack = stack
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with type(self)(self.settings):
                return fn(*args, **kwargs)

        return wrapped  # type: ignore[return-value]


class mock_acoustic(mock_eloqua):
    """``with mock_acoustic() as acoustic:`` or ``@mock_acoustic()``: Acoustic Campaign's
    API hosts answered by a fresh emulator for the block (the seeded orgs, users, refresh
    tokens and databases of ``fixtures/acoustic/``); ``acoustic.url`` is its origin, whose
    ``/_emulator/acoustic/…`` adds events, rotates jobs and lists the files written.
    Eloqua's hosts are not routed: combine it with ``mock_eloqua`` for both."""

    routes = staticmethod(is_acoustic_api)


@contextmanager
def _patch_requests(netloc: str, routes: Callable[[str | None], bool]) -> Iterator[None]:
    """``requests`` is not a dependency of the emulator: patched when the code under test
    has it."""
    try:
        import requests.adapters
    except ImportError:
        yield
        return
    adapter_class = requests.adapters.HTTPAdapter
    send = adapter_class.send

    def routed(adapter: Any, request: Any, **kwargs: Any) -> Any:
        parts = urlsplit(request.url or "")
        if routes(parts.hostname):
            request.url = urlunsplit(("http", netloc, parts.path, parts.query, parts.fragment))
            request.headers["Host"] = parts.netloc
            request.headers["X-Forwarded-Proto"] = parts.scheme
        return send(adapter, request, **kwargs)

    with mock.patch.object(adapter_class, "send", routed):
        yield


@contextmanager
def _patch_httpx(port: int, routes: Callable[[str | None], bool]) -> Iterator[None]:
    handle = httpx.HTTPTransport.handle_request
    handle_async = httpx.AsyncHTTPTransport.handle_async_request

    def reroute(request: httpx.Request) -> None:
        if routes(request.url.host):
            scheme, netloc = request.url.scheme, request.url.netloc.decode("ascii")
            request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
            request.headers["Host"] = netloc
            request.headers["X-Forwarded-Proto"] = scheme

    def routed(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        reroute(request)
        return handle(transport, request)

    async def routed_async(
        transport: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        reroute(request)
        return await handle_async(transport, request)

    with (
        mock.patch.object(httpx.HTTPTransport, "handle_request", routed),
        mock.patch.object(httpx.AsyncHTTPTransport, "handle_async_request", routed_async),
    ):
        yield
