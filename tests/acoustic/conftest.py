from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.acoustic.helpers import Acoustic, signed_in


@pytest.fixture
def acoustic(client: TestClient) -> Acoustic:
    """A fresh emulator's client, signed in to Acoustic as the seeded Org Admin."""
    return signed_in(client)


@pytest.fixture
def acoustic_factory(client_factory: Callable[..., TestClient]) -> Callable[..., Acoustic]:
    def make(settings=None, refresh: str | None = None) -> Acoustic:
        client = client_factory(settings)
        return signed_in(client, refresh) if refresh else signed_in(client)

    return make
