"""What the contract suite talks to: a real pod, or an emulator started in a thread.

Either way it is HTTP to a base URL (the login origin that serves ``/id``); the pod's Bulk
base is discovered from ``/id`` as a real client does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from starlette.types import ASGIApp

from emulator import Settings, create_app
from emulator.testing import free_port, serve_app

__all__ = ["Target", "free_port", "serve_app", "serve_in_thread"]


@dataclass(frozen=True)
class Target:
    base_url: str
    headers: dict[str, str]
    kind: str  # "emulator" or "pod"

    @property
    def is_emulator(self) -> bool:
        return self.kind == "emulator"


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
