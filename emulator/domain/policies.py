"""Setting progression policies at run time (``/_emulator/progression``): checking what a
client asks for against the store. The policies themselves live in memory
(``core.policies.Policies``), since every poll reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from emulator.core import constraints as c
from emulator.core import policies
from emulator.core.errors import Failure, NotFound, ValidationFailed
from emulator.core.types import JSONObject
from emulator.store import identity
from emulator.store import syncs as sync_rows

KEYS = ("policy", "site", "sync")
SYNC_URI = re.compile(r"^/syncs/([0-9]{1,18})/?$")


@dataclass(frozen=True)
class Setting:
    """What a policy applies to: everything (``site`` None), a site, or one of its syncs."""

    policy: str
    site: str | None = None
    sync: int | None = None


def parse(body: Any) -> Setting:
    """``PUT /_emulator/progression``'s body; every problem is a failure on its key."""
    if not isinstance(body, dict):
        raise ValidationFailed([Failure("body", c.BODY_NOT_OBJECT, None, has_value=False)])
    failures = [Failure(key, c.PROGRESSION_UNKNOWN_KEY, key) for key in body if key not in KEYS]
    policy = body.get("policy")
    if not policies.valid(policy):
        failures.append(Failure("policy", c.PROGRESSION_POLICY, policy))
    site, sync = _target(body.get("site"), body.get("sync"), failures)
    if failures:
        raise ValidationFailed(failures)
    assert isinstance(policy, str)
    return Setting(policy, site, sync)


def parse_target(site: str | None, sync: str | None) -> tuple[str | None, int | None]:
    """The ``site`` and ``sync`` query parameters of ``DELETE /_emulator/progression``."""
    failures: list[Failure] = []
    found = _target(site, sync, failures)
    if failures:
        raise ValidationFailed(failures)
    return found


def _target(site: Any, sync: Any, failures: list[Failure]) -> tuple[str | None, int | None]:
    if site is not None and not (isinstance(site, str) and site.strip()):
        failures.append(Failure("site", c.OUTCOME_SITE, site))
        site = None
    sync_id = None
    if sync is not None:
        match = SYNC_URI.match(sync) if isinstance(sync, str) else None
        if match is None:
            failures.append(Failure("sync", c.OUTCOME_SYNC, sync))
        elif site is None:
            failures.append(Failure("sync", c.PROGRESSION_SYNC_SITE, sync))
        else:
            sync_id = int(match[1])
    return (site.strip() if isinstance(site, str) else None), sync_id


def resolve(db: sqlite_utils.Database, site: str, sync: int | None) -> tuple[int, str]:
    """The site's id and name; 404 when the site, or the sync in it, does not exist."""
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", c.SITE_UNKNOWN, site)])
    site_id, name = int(found[0]), str(found[1])
    if sync is not None and sync_rows.get(db, site_id, sync) is None:
        raise NotFound.resource(f"/syncs/{sync}")
    return site_id, name


def describe(held: policies.Policies, default: str) -> JSONObject:
    """The global policy, ``--sync-progression``, and the overrides."""
    overrides = []
    for override in held.overrides():
        item: JSONObject = {"site": override.site}
        if override.sync is not None:
            item["sync"] = f"/syncs/{override.sync}"
        item["policy"] = override.policy
        overrides.append(item)
    return {"policy": held.global_policy(default), "default": default, "overrides": overrides}
