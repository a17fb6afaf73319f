"""Fixtures of the route tests: ``Bulk`` drivers over a fresh in-memory emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator import Settings
from tests.routes.bulk import Bulk


@pytest.fixture
def bulk_factory(
    client_factory: Callable[..., TestClient], settings_factory: Callable[..., Settings]
) -> Callable[..., Bulk]:
    """``bulk_factory(validate=True, **settings)``: a driver over a client of a fresh
    emulator with those settings; ``validate=False`` skips the spec check of responses."""

    def make(*, validate: bool = True, **settings: Any) -> Bulk:
        return Bulk(client_factory(settings_factory(**settings), validate=validate))

    return make


@pytest.fixture
def bulk(bulk_factory: Callable[..., Bulk]) -> Bulk:
    """A driver over an emulator that runs each sync as soon as it is created."""
    return bulk_factory(sync_progression="immediate")
