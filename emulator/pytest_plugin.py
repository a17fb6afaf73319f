"""The package's pytest plugin (entry point ``pytest11``): fixtures for tests of code that
talks to Eloqua.

* ``mock_eloqua``: Eloqua hosts answered by a fresh in-process emulator for the test, as
  ``emulator.testing.mock_eloqua`` does; the fixture's ``url`` is its origin.
* ``mock_acoustic``: the same for Acoustic Campaign's API hosts
  (``api-campaign-us-1.goacoustic.com`` …), as ``emulator.testing.mock_acoustic`` does.
* ``eloqua_server``: a fresh emulator on a loopback port for the test; its origin (point a
  client at ``<origin>/id``).
* ``eloqua_client``: a fresh emulator served in-process through an ASGI transport, no port:
  an ``httpx.Client`` (Starlette's test client) whose base URL is the emulator; it sends
  ``X-Emulator-Control: 1``, so ``client.post("/_emulator/reset")`` works as it is.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from emulator import testing
from emulator.app import create_app
from emulator.core.config import Settings


@pytest.fixture
def mock_eloqua() -> Iterator[testing.mock_eloqua]:
    with testing.mock_eloqua() as mocked:
        yield mocked


@pytest.fixture
def mock_acoustic() -> Iterator[testing.mock_acoustic]:
    with testing.mock_acoustic() as mocked:
        yield mocked


@pytest.fixture
def eloqua_server() -> Iterator[str]:
    with testing.serve() as url:
        yield url


@pytest.fixture
def eloqua_client() -> Iterator[TestClient]:
    app = create_app(Settings(db=":memory:", allowed_hosts="emulator"))
    control = {"X-Emulator-Control": "1"}  # control-plane writes need no JSON body
    with TestClient(app, base_url="http://emulator", headers=control) as client:
        yield client
