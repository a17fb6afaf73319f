"""The engine's tests use the domain tests' store, principals and clock."""

from tests.domain.conftest import (
    bulk,
    colleague,
    now,
    principal,
    seeded,
    session_store,
    store,
    stranger,
)

__all__ = ["bulk", "colleague", "now", "principal", "seeded", "session_store", "store", "stranger"]
