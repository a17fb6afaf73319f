"""What the control plane does to the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from emulator import seed
from emulator.core import constraints, timestamps
from emulator.core.errors import Failure, NotFound, ValidationFailed
from emulator.core.types import JSONObject
from emulator.domain import syncs
from emulator.store import identity, records, scratch, sites


def parse_reset(body: Any) -> str | None:
    """The site ``POST /_emulator/reset`` names, or None (no body, or ``{}``) for all."""
    if body is None:
        return None
    if not isinstance(body, dict):
        raise ValidationFailed(
            [Failure("body", constraints.BODY_NOT_OBJECT, None, has_value=False)]
        )
    failures = [Failure(key, constraints.RESET_KEY, key) for key in body if key != "site"]
    site = body.get("site")
    if "site" in body and (not isinstance(site, str) or not site.strip()):
        failures.append(Failure("site", constraints.CONTROL_SITE_NAME, site))
    if failures:
        raise ValidationFailed(failures)
    return site.strip() if isinstance(site, str) else None


def reset(
    db: sqlite_utils.Database,
    fixtures: Path,
    now: float,
    then: Sequence[Callable[[sqlite_utils.Database, float], None]] = (),
) -> None:
    """Forget every site and reload the template; ``then`` is what other services (the
    Acoustic one) forget and reload in the same transaction."""
    sites.clear_everything(db)
    scratch.forget(db)
    seed.ensure_loaded(db, fixtures, now)
    for also in then:
        also(db, now)


def reset_site(db: sqlite_utils.Database, site: str) -> int:
    """Forget one site (records, catalogs, definitions, staged data, syncs, users, tokens);
    its id. The next sign-in creates it again from the template, as a new site."""
    site_id, _ = _site(db, site)
    sites.clear_site(db, site_id)
    scratch.forget(db, site_id)
    return site_id


@dataclass(frozen=True)
class FixtureSet:
    """A directory of fixture files (the layout of ``fixtures/``) to load into a site."""

    site: str
    directory: Path


def names_fixture_set(body: Any) -> bool:
    """Whether a ``POST /_emulator/seed`` body loads a fixture set (it has ``fixtures``)
    rather than synthetic records."""
    return isinstance(body, dict) and "fixtures" in body


def parse_fixture_set(body: JSONObject) -> FixtureSet:
    failures = [
        Failure(key, constraints.FIXTURES_KEY, key)
        for key in body
        if key not in ("site", "fixtures")
    ]
    site = body.get("site")
    if not isinstance(site, str) or not site.strip() or "\\" in site:
        failures.append(Failure("site", constraints.CONTROL_SITE_NAME, site))
    directory = body.get("fixtures")
    if not isinstance(directory, str) or not directory.strip() or "\0" in directory:
        failures.append(Failure("fixtures", constraints.FIXTURES_DIRECTORY, directory))
    if failures:
        raise ValidationFailed(failures)
    assert isinstance(site, str)
    assert isinstance(directory, str)
    return FixtureSet(site.strip(), Path(directory.strip()))


def load_fixture_set(db: sqlite_utils.Database, order: FixtureSet, now: float) -> JSONObject:
    """The set's catalogs and records replace the site's (created, without the template, if
    no one has signed in to it), in the caller's one transaction: a set that does not load
    changes nothing. The site's definitions, staged data, syncs and users stay; links
    between its old records (account users, opportunity contacts) go with them."""
    if not order.directory.is_dir():
        raise ValidationFailed(
            [Failure("fixtures", constraints.FIXTURES_DIRECTORY, str(order.directory))]
        )
    found = identity.find_site(db, order.site)
    if found is None:
        site_id = identity.insert_site(db, order.site, timestamps.from_epoch(now))
        name = order.site
    else:
        site_id, name = found
        sites.clear_records(db, site_id)
    try:
        seed.load_set(db, order.directory, site_id)
    except seed.FixtureError as exc:
        reason = constraints.FIXTURES_INVALID.format(reason=exc)
        raise ValidationFailed([Failure("fixtures", reason, str(order.directory))]) from None
    return {
        "site": name,
        "fixtures": str(order.directory),
        "digest": seed.digest(order.directory),
        "rows": sites.count_records(db, site_id),
    }


def summary(db: sqlite_utils.Database) -> dict[str, object]:
    return {"sites": identity.count_sites(db), "fixtures": sites.get_meta(db, seed.DIGEST_KEY)}


def advance_sync(db: sqlite_utils.Database, site: str, sync_id: int) -> dict[str, object]:
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, site)])
    syncs.advance(db, found[0], sync_id)
    return {"site": found[1], "uri": f"/syncs/{sync_id}"}


def contact_state(db: sqlite_utils.Database, site: str, contact_id: int) -> dict[str, object]:
    """What sync actions changed on a contact that the Bulk API cannot show: e-mail group
    subscriptions (Oracle's Bulk API has no e-mail group field, filter or count)."""
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, site)])
    in_range = 0 < contact_id < 2**63
    state = records.contact_state(db, found[0], contact_id) if in_range else None
    if state is None:
        raise NotFound([Failure("id", constraints.CONTACT_UNKNOWN, contact_id)])
    return {"site": found[1], "id": contact_id, **state}


def opportunity_state(db: sqlite_utils.Database, site: str, external_id: str) -> dict[str, object]:
    """An opportunity as stored, with its linked contacts: the Bulk API imports
    opportunities but cannot export them."""
    site_id, name = _site(db, site)
    state = records.opportunity_state(db, site_id, external_id)
    if state is None:
        raise NotFound([Failure("id", constraints.OPPORTUNITY_UNKNOWN, external_id)])
    return {"site": name, **state}


def account_state(db: sqlite_utils.Database, site: str, account_id: int) -> dict[str, object]:
    """An account's fields and the Eloqua users linked to it (``linkUsers``), which no
    export shows."""
    site_id, name = _site(db, site)
    in_range = 0 < account_id < 2**63
    state = records.account_state(db, site_id, account_id) if in_range else None
    if state is None:
        raise NotFound([Failure("id", constraints.ACCOUNT_UNKNOWN, account_id)])
    return {"site": name, "id": account_id, **state}


def _site(db: sqlite_utils.Database, site: str) -> tuple[int, str]:
    found = identity.find_site(db, site)
    if found is None:
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, site)])
    return found[0], found[1]
