"""What seeding synthetic records reads from a site (the names its catalog gives fields,
the activity types it knows, its custom objects and the assets activities point at), and
the page cache its chunks are written with."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import orjson
import sqlite_utils

from emulator.core.types import JSONObject
from emulator.store import tables


def field_names(db: sqlite_utils.Database, site_id: int, family: str) -> frozenset[str]:
    """The internal names of a family's catalog fields."""
    return frozenset(
        str(row[0])
        for row in db.execute(
            "SELECT internal_name FROM fields WHERE site_id = ? AND family = ? "
            "AND parent_id = 0 AND internal_name IS NOT NULL",
            [site_id, family],
        )
    )


def activity_types(db: sqlite_utils.Database, site_id: int) -> frozenset[str]:
    """Every activity type some field of the activity catalog is tagged with."""
    return frozenset(
        str(row[0])
        for row in db.execute(
            "SELECT DISTINCT t.value FROM fields f, json_each(f.tags) t "
            "WHERE f.site_id = ? AND f.family = 'activities'",
            [site_id],
        )
    )


def custom_objects(db: sqlite_utils.Database, site_id: int) -> list[tuple[int, JSONObject]]:
    """The site's custom objects, ``(id, item)`` in id order."""
    return [
        (int(row[0]), orjson.loads(row[1]))
        for row in db.execute(
            "SELECT id, item FROM containers WHERE site_id = ? AND family = 'customObjects' "
            "ORDER BY id",
            [site_id],
        )
    ]


def object_fields(
    db: sqlite_utils.Database, site_id: int, parent_id: int
) -> list[tuple[int, str, str]]:
    """A custom object's fields, ``(id, internal name, data type)`` in id order."""
    return [
        (int(row[0]), str(row[1] or ""), str(row[2] or "string"))
        for row in db.execute(
            "SELECT id, internal_name, data_type FROM fields WHERE site_id = ? "
            "AND family = 'customObjects' AND parent_id = ? ORDER BY id",
            [site_id, parent_id],
        )
    ]


def emails(db: sqlite_utils.Database, site_id: int) -> list[tuple[int, str, str]]:
    """The site's e-mail assets, ``(id, name, subject)`` in id order."""
    return [
        (int(row[0]), str(row[1] or ""), str(row[2] or ""))
        for row in db.execute(
            "SELECT id, json_extract(item, '$.name'), json_extract(item, '$.subject') "
            "FROM rest_assets WHERE site_id = ? AND kind = 'emails' ORDER BY id",
            [site_id],
        )
    ]


def forms(db: sqlite_utils.Database, site_id: int) -> list[tuple[int, str]]:
    """The site's form assets, ``(id, name)`` in id order."""
    return [
        (int(row[0]), str(row[1] or ""))
        for row in db.execute(
            "SELECT id, json_extract(item, '$.name') FROM rest_assets "
            "WHERE site_id = ? AND kind = 'forms' ORDER BY id",
            [site_id],
        )
    ]


def campaign_ids(db: sqlite_utils.Database, site_id: int) -> list[int]:
    """The ids of the site's campaigns (what ``{{Activity.Campaign.Field(…)}}`` reads)."""
    return [
        int(row[0])
        for row in db.execute(
            f"SELECT id FROM {tables.CAMPAIGNS.name} WHERE site_id = ? ORDER BY id", [site_id]
        )
    ]


CHUNK_CACHE_KIB = 64 * 1024


@contextmanager
def chunk_cache(db: sqlite_utils.Database) -> Iterator[None]:
    """A page cache large enough for one chunk of new records (64 MB) while it is written,
    the connection's own size again after. The e-mail index takes new contacts in random
    order: with the default cache, pages it evicts mid-transaction are written to the log
    and read back again, which costs a large chunk about a sixth of its time."""
    (size,) = db.execute("PRAGMA cache_size").fetchone()
    db.execute(f"PRAGMA cache_size = {-CHUNK_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(size)}")
