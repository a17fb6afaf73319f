"""Progression policies set at run time (``/_emulator/progression``): one global policy
and overrides per site and per sync; a sync's own policy wins over its site's, which wins
over the global one, which is ``--sync-progression`` until set.

Read at every poll, so kept in memory behind a lock (like ``progression.Polls``): a lookup
is two dictionary reads. Sites are keyed by id; ids are reused after a reset, so the
control plane forgets a site's overrides when it forgets the site (:meth:`forget`). A
restart starts again from ``--sync-progression``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

# The forms ``--sync-progression`` accepts (``core.config``).
FORM = re.compile(r"^(immediate|manual|polls:[1-9]\d{0,3}|seconds:\d+(\.\d+)?)$")


def valid(text: object) -> bool:
    """Whether ``text`` is a policy ``--sync-progression`` would accept."""
    return isinstance(text, str) and FORM.match(text) is not None


@dataclass(frozen=True)
class Override:
    """A policy set for one site (``sync`` None) or one sync of it."""

    site_id: int
    site: str  # the site's name, as shown
    sync: int | None
    policy: str


class Policies:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._global: str | None = None
        self._sites: dict[int, Override] = {}
        self._syncs: dict[tuple[int, int], Override] = {}

    def text(self, site_id: int, sync_id: int, default: str) -> str:
        """The policy a poll of the sync follows; ``default`` is ``--sync-progression``."""
        with self._lock:
            found = self._syncs.get((site_id, sync_id)) or self._sites.get(site_id)
            return found.policy if found else self._global or default

    def of_site(self, site_id: int, default: str) -> tuple[str, dict[int, str]]:
        """The policy of the site's syncs and the syncs with their own (sync lists)."""
        with self._lock:
            site = self._sites.get(site_id)
            base = site.policy if site else self._global or default
            own = {sync: o.policy for (site, sync), o in self._syncs.items() if site == site_id}
        return base, own

    def global_policy(self, default: str) -> str:
        with self._lock:
            return self._global or default

    def set_global(self, policy: str | None) -> None:
        """``None``: back to ``--sync-progression``."""
        with self._lock:
            self._global = policy

    def set(self, override: Override) -> None:
        with self._lock:
            if override.sync is None:
                self._sites[override.site_id] = override
            else:
                self._syncs[(override.site_id, override.sync)] = override

    def remove(self, site_id: int, sync_id: int | None) -> bool:
        """Drop a site's (``sync_id`` None) or a sync's override; whether there was one."""
        with self._lock:
            if sync_id is None:
                return self._sites.pop(site_id, None) is not None
            return self._syncs.pop((site_id, sync_id), None) is not None

    def overrides(self) -> list[Override]:
        """Site overrides, then sync overrides, each by site and sync id."""
        with self._lock:
            found = [*self._sites.values(), *self._syncs.values()]
        return sorted(found, key=lambda o: (o.sync is not None, o.site_id, o.sync or 0))

    def forget(self, site_id: int | None = None) -> None:
        """Drop the overrides of a site (every site's when ``None``); the global policy
        stays."""
        with self._lock:
            if site_id is None:
                self._sites.clear()
                self._syncs.clear()
                return
            self._sites.pop(site_id, None)
            self._syncs = {k: o for k, o in self._syncs.items() if k[0] != site_id}
