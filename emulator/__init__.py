"""A local emulator of Oracle Eloqua's Bulk API 2.0."""

from __future__ import annotations

from emulator.app import create_app
from emulator.core.config import Settings, __version__

__all__ = ["Settings", "__version__", "create_app"]
