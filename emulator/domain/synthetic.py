"""Seeding a site with synthetic records at scale: ``python -m emulator seed`` into a
database file, or ``POST /_emulator/seed`` into a running emulator; both run this.

A run is prepared in one write (:func:`prepare`): the site is created if missing (seeded
from the fixtures, as at its first sign-in), its catalog read into a
:class:`~emulator.core.synthetic.Layout`, and each family's id range claimed by writing
the range's last record (the last of each custom object) first. Ids are the next free ones
(``max(id) + 1``, as imports take them), so an import running meanwhile takes its ids after
the range, and two runs never overlap. The rest is written a chunk at a time
(:func:`steps`, :func:`write`), each chunk its own write, so other clients wait for one
chunk at most. Records depend only on the seed, the counts, the site's catalog and the
first free ids, never on the chunking: the same seed into the same state gives the same
rows through either target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from emulator.core import constraints, synthetic, timestamps
from emulator.core.errors import Failure, NotFound, ValidationFailed
from emulator.core.types import JSONObject
from emulator.store import identity, records, sites, tables
from emulator.store import synthetic as stored

# Families in the order they are written: contacts link to accounts, activities and custom
# object records to contacts.
ORDER = ("accounts", "contacts", "customObjects", "activities")
TABLES = {
    "accounts": tables.ACCOUNTS,
    "contacts": tables.CONTACTS,
    "customObjects": tables.CUSTOM_OBJECTS,
    "activities": tables.ACTIVITIES,
}
MAX_RECORDS = 100_000_000  # of one family in one run

# Failures of the control plane (no Eloqua wording exists).
BODY_NOT_OBJECT = "Must be a JSON object."
SITE_NAME = "Must be a non-empty site name without a backslash."
SEED_VALUE = "Must be an integer."
COUNT_VALUE = f"Must be an integer from 0 to {MAX_RECORDS}."
UNKNOWN_KEY = "Not a seeding parameter: site, seed, " + ", ".join(ORDER) + "."
NO_CUSTOM_OBJECTS = "The site has no custom objects."


@dataclass(frozen=True)
class Order:
    """What to seed: how many records of each family, into which site, from which seed."""

    site: str
    seed: int = 0
    accounts: int = 0
    contacts: int = 0
    custom_objects: int = 0
    activities: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "accounts": self.accounts,
            "contacts": self.contacts,
            "customObjects": self.custom_objects,
            "activities": self.activities,
        }

    def body(self) -> JSONObject:
        """The order as ``POST /_emulator/seed`` takes it."""
        return {"site": self.site, "seed": self.seed, **self.counts()}


def parse(body: Any) -> Order:
    """An order from a request body; every problem is a failure on its key."""
    if not isinstance(body, dict):
        raise ValidationFailed([Failure("body", BODY_NOT_OBJECT, None, has_value=False)])
    failures = [
        Failure(key, UNKNOWN_KEY, key) for key in body if key not in ("site", "seed", *ORDER)
    ]
    site = body.get("site")
    if not isinstance(site, str) or not site.strip() or "\\" in site:
        failures.append(Failure("site", SITE_NAME, site))
    seed = body.get("seed", 0)
    if not _integer(seed):
        failures.append(Failure("seed", SEED_VALUE, seed))
    counts: dict[str, int] = {}
    for family in ORDER:
        value = body.get(family, 0)
        if _integer(value) and 0 <= value <= MAX_RECORDS:
            counts[family] = value
        else:
            failures.append(Failure(family, COUNT_VALUE, value))
    if failures:
        raise ValidationFailed(failures)
    assert isinstance(site, str)
    return Order(
        site=site.strip(),
        seed=seed,
        accounts=counts["accounts"],
        contacts=counts["contacts"],
        custom_objects=counts["customObjects"],
        activities=counts["activities"],
    )


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and -(2**63) <= value < 2**63


@dataclass(frozen=True)
class Plan:
    """A prepared run: its site, the records to write, and how many of each family's
    records (at the end of its range) :func:`prepare` wrote to claim the range."""

    site_id: int
    site: str
    order: Order
    records: synthetic.Records
    claimed: dict[str, int]

    @property
    def totals(self) -> dict[str, int]:
        return self.order.counts()


@dataclass(frozen=True)
class Step:
    """Records ``start`` to ``stop`` (excluded) of a family, in one write."""

    family: str
    start: int
    stop: int


def prepare(db: sqlite_utils.Database, order: Order, now: float) -> Plan:
    """The site, what its catalog gives the records, and the claimed id ranges, in one
    write; custom object records asked of a site without custom objects are refused."""
    site_id, site = _site(db, order.site, now)
    objects = _objects(db, site_id) if order.custom_objects else ()
    if order.custom_objects and not objects:
        raise ValidationFailed([Failure("customObjects", NO_CUSTOM_OBJECTS, order.custom_objects)])
    known_types = stored.activity_types(db, site_id)
    layout = synthetic.Layout(
        seed=order.seed,
        accounts=order.accounts,
        contacts=order.contacts,
        activities=order.activities,
        object_records=order.custom_objects,
        account_base=records.next_record_id(db, tables.ACCOUNTS, site_id, 0),
        contact_base=records.next_record_id(db, tables.CONTACTS, site_id, 0),
        activity_base=records.next_record_id(db, tables.ACTIVITIES, site_id, 0),
        object_bases=tuple(
            records.next_record_id(db, tables.CUSTOM_OBJECTS, site_id, shape.id)
            for shape in objects
        ),
        contact_fields=stored.field_names(db, site_id, "contacts"),
        account_fields=stored.field_names(db, site_id, "accounts"),
        activity_types=tuple(t for t in synthetic.ACTIVITY_WEIGHTS if t in known_types)
        or tuple(synthetic.ACTIVITY_WEIGHTS),
        objects=objects,
        assets=synthetic.Assets(
            emails=tuple(stored.emails(db, site_id)),
            forms=tuple(stored.forms(db, site_id)),
            campaigns=tuple(stored.campaign_ids(db, site_id)),
        ),
    )
    claimed = {
        family: min(total, len(objects) if family == "customObjects" else 1)
        for family, total in order.counts().items()
    }
    plan = Plan(site_id, site, order, synthetic.Records(layout), claimed)
    for family, total in plan.totals.items():
        _insert(db, plan, Step(family, total - claimed[family], total))
    return plan


def _site(db: sqlite_utils.Database, name: str, now: float) -> tuple[int, str]:
    """The site, created as a first sign-in creates it (a copy of the fixtures) if new."""
    found = identity.find_site(db, name)
    if found is not None:
        return found
    site_id = identity.insert_site(db, name, timestamps.from_epoch(now))
    sites.copy_template(db, site_id)
    return site_id, name


def _objects(db: sqlite_utils.Database, site_id: int) -> tuple[synthetic.ObjectShape, ...]:
    shapes = []
    for object_id, item in stored.custom_objects(db, site_id):
        fields = tuple(
            synthetic.ObjectField(str(field_id), name, data_type)
            for field_id, name, data_type in stored.object_fields(db, site_id, object_id)
        )
        shapes.append(
            synthetic.ObjectShape(
                object_id,
                fields,
                unique=_field_id(item.get("uniqueFieldUri")),
                email=_field_id(item.get("emailAddressFieldUri")),
            )
        )
    return tuple(shapes)


def _field_id(uri: Any) -> str | None:
    """``/customObjects/9/fields/103`` → ``103``."""
    if not isinstance(uri, str):
        return None
    tail = uri.rsplit("/", 1)[-1]
    return tail if tail.isdigit() else None


def steps(plan: Plan, size: Callable[[], int]) -> Iterator[Step]:
    """The chunks still to write after :func:`prepare`, family by family; ``size`` gives
    the length of each chunk as it is reached (shorter while other writes wait)."""
    for family in ORDER:
        end = plan.totals[family] - plan.claimed[family]
        start = 0
        while start < end:
            stop = min(end, start + max(1, size()))
            yield Step(family, start, stop)
            start = stop


def write(db: sqlite_utils.Database, plan: Plan, step: Step) -> int:
    """One chunk; a site reset away meanwhile stops the run."""
    if identity.find_site(db, plan.site) != (plan.site_id, plan.site):
        raise NotFound([Failure("site", constraints.SITE_UNKNOWN, plan.site)])
    return _insert(db, plan, step)


def _insert(db: sqlite_utils.Database, plan: Plan, step: Step) -> int:
    made = plan.records
    rows: Iterator[JSONObject]
    if step.family == "accounts":
        rows = made.accounts(step.start, step.stop)
    elif step.family == "contacts":
        rows = made.contacts(step.start, step.stop)
    elif step.family == "customObjects":
        rows = made.object_records(step.start, step.stop)
    else:
        rows = made.activities(step.start, step.stop)
    with stored.chunk_cache(db):
        return records.insert_rows(db, TABLES[step.family].name, plan.site_id, rows)


# --- what a run reports -----------------------------------------------------------------


def started(plan: Plan) -> JSONObject:
    return {
        "event": "started",
        "site": plan.site,
        "seed": plan.order.seed,
        "total": plan.totals,
        "written": dict(plan.claimed),
    }


def progressed(plan: Plan, step: Step) -> JSONObject:
    return {
        "event": "written",
        "family": step.family,
        "written": step.stop + plan.claimed[step.family],
        "total": plan.totals[step.family],
    }


def finished(plan: Plan) -> JSONObject:
    """The counts written and the id range of each family (of each custom object)."""
    layout = plan.records.layout
    ids: JSONObject = {}
    for family, base in (
        ("accounts", layout.account_base),
        ("contacts", layout.contact_base),
        ("activities", layout.activity_base),
    ):
        if plan.totals[family]:
            ids[family] = {"first": base, "last": base + plan.totals[family] - 1}
    total, objects = plan.totals["customObjects"], layout.objects
    per_object = {}
    for at, (shape, base) in enumerate(zip(objects, layout.object_bases, strict=True)):
        count = (total - at + len(objects) - 1) // len(objects)
        if count:
            per_object[str(shape.id)] = {"first": base, "last": base + count - 1}
    if per_object:
        ids["customObjects"] = per_object
    return {
        "event": "finished",
        "site": plan.site,
        "seed": plan.order.seed,
        "created": plan.totals,
        "ids": ids,
    }
