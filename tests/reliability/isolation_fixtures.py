"""Site A's fixture set: the bundled fixtures plus an item of its own in every catalog.

A field of each field family, a list, segment, filter, scoring model, account list and
e-mail group, a custom object and an event with their fields and records, and a field of
the custom object and of the event every site has: copies of bundled items under new ids,
their names carrying the marker. Those ids exist in site A
only, so another site asking for one must get a 404, not its own copy of a bundled item.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tests.reliability.isolation_bodies import MARKER, SHARED_PARENTS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FIELD_FILES = {
    "/contacts/fields": "contacts/fields.json",
    "/accounts/fields": "accounts/fields.json",
    "/activities/fields": "activities/fields.json",
    "/campaignResponses/fields": "campaignResponses/fields.json",
    "/opportunities/fields": "opportunities/fields.json",
    "/campaigns/fields": "campaigns/fields.json",
}
CONTAINER_FILES = {
    "/contacts/lists": "contacts/lists.json",
    "/contacts/segments": "contacts/segments.json",
    "/contacts/filters": "contacts/filters.json",
    "/contacts/scoring/models": "contacts/scoringModels.json",
    "/accounts/lists": "accounts/lists.json",
    "/emailGroups": "emailGroups.json",
}
OBJECT_FOLDERS = {"/customObjects": "customObjects", "/events": "events"}

Item = dict[str, Any]


@dataclass(frozen=True)
class OwnItems:
    """Site A's own catalog items: ids by collection path template (its field of the shared
    custom object and event under ``…/{parentId}/fields``), statements by collection."""

    ids: dict[str, int]
    statements: dict[str, str]


def fixture_set(target: Path) -> OwnItems:
    """Write site A's fixture set into ``target`` (which must not exist)."""
    shutil.copytree(FIXTURES, target)
    ids: dict[str, int] = {}
    statements: dict[str, str] = {}
    for collection, name in FIELD_FILES.items():
        ids[collection], statements[collection] = _append(target / name, collection, _own_field)
    for collection, name in CONTAINER_FILES.items():
        ids[collection], statements[collection] = _append(target / name, collection, _own_list)
    for collection, folder in OBJECT_FOLDERS.items():
        ids[collection] = _own_object(target / folder, collection)
        fields = f"{collection}/{{parentId}}/fields"
        ids[fields], statements[fields] = _own_object_field(target / folder, collection)
    return OwnItems(ids, statements)


def _id(item: Item) -> int:
    return int(str(item["uri"]).rsplit("/", 1)[1])


def _append(path: Path, collection: str, own: Callable[[Item, str, int], Item]) -> tuple[int, str]:
    items = orjson.loads(path.read_bytes())
    new = max(_id(i) for i in items) + 1000
    # of fields, one whose statement names it by internal name ({{Activity.Field(X)}}, not
    # {{Activity.Id}}), so that the copy's statement names the copy
    named = (i for i in items if "internalName" in i and f"({i['internalName']})" in i["statement"])
    clone = own(dict(next(named, items[0])), collection, new)
    path.write_bytes(orjson.dumps([*items, clone]))
    statement = clone.get("statement") or clone["fields"][0]["statement"]  # scoring models
    return new, str(statement)


def _own_field(item: Item, collection: str, new: int) -> Item:
    internal, mine = str(item["internalName"]), f"IsoA{new}"
    return {
        **item,
        "name": f"{MARKER} {item['name']}",
        "internalName": mine,
        "statement": str(item["statement"]).replace(f"({internal})", f"({mine})"),
        "uri": f"{collection}/{new}",
    }


def _own_list(item: Item, collection: str, new: int) -> Item:
    """A list, segment, filter, scoring model or group, with the members (or scores) of
    the one it copies."""
    text = orjson.dumps(item).decode().replace(f"[{_id(item)}]", f"[{new}]")
    clone: Item = orjson.loads(text)
    clone.update(name=f"{MARKER} {item['name']}", uri=f"{collection}/{new}")
    if "id" in clone:
        clone["id"] = new
    return clone


def _own_object(folder: Path, collection: str) -> int:
    """A copy of the first custom object (or event), its fields and its records."""
    index = folder / "index.json"
    items = orjson.loads(index.read_bytes())
    old = _id(items[0])
    new = old * 1000 + 1
    text = orjson.dumps(items[0]).decode()
    text = text.replace(f"{collection}/{old}/", f"{collection}/{new}/")
    text = text.replace(f'"{collection}/{old}"', f'"{collection}/{new}"')
    clone = orjson.loads(text.replace(f"[{old}]", f"[{new}]"))
    clone["name"] = f"{MARKER} {clone['name']}"
    for field in clone["_fields"]:
        field["name"] = f"{MARKER} {field['name']}"
    index.write_bytes(orjson.dumps([*items, clone]))
    shutil.copy(folder / f"{old}.jsonl", folder / f"{new}.jsonl")
    return new


def _own_object_field(folder: Path, collection: str) -> tuple[int, str]:
    """One more field of the custom object (or event) every site has: a copy of its first."""
    index = folder / "index.json"
    items = orjson.loads(index.read_bytes())
    parent = SHARED_PARENTS[collection.strip("/")]
    [shared] = [item for item in items if _id(item) == parent]
    model = shared["_fields"][0]
    new = max(_id(f) for f in shared["_fields"]) + 1000
    text = orjson.dumps(model).decode().replace(f'/{_id(model)}"', f'/{new}"')
    clone = orjson.loads(text.replace(f"[{_id(model)}]", f"[{new}]"))
    clone.update(name=f"{MARKER} {model['name']}", internalName=f"IsoA{new}")
    clone["hasUniquenessConstraint"] = clone["hasNotNullConstraint"] = False
    shared["_fields"].append(clone)
    index.write_bytes(orjson.dumps(items))
    return new, str(clone["statement"])
