"""Read a pod's catalogs into the files :mod:`emulator.seed` loads.

What is read, and where it goes, comes from the emulator's own tables
(:data:`emulator.domain.catalog.FIELD_FAMILIES` and ``CONTAINER_FAMILIES`` for the paths,
:mod:`emulator.seed` for the files), so a catalog the emulator learns to serve is mirrored
with no change here. Items are kept exactly as the pod lists them, in id order; the
fixture-only keys (``_fields``, ``_types``, ``_members``) are rebuilt from other listings:

* ``_fields`` of a custom object or event: ``GET /customObjects/{id}/fields``.
* hidden tags (campaign fields' ``_types``): one listing per ``?type=`` value. Activity
  fields carry their ``activityTypes`` in the item itself.
* ``_members`` of lists, segments and filters: the emulator serves their ``count`` live from
  memberships, and members can only be read with an export sync (a write), so the mirror
  writes ``count`` placeholder ids ``-1 … -count``. No record has a negative id: exports,
  filters and control-plane lookups find no member, while the served ``count`` equals the
  pod's and moves as sync actions add or remove real records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from emulator import seed
from emulator.commands.pod import NotServed, Pod
from emulator.core.types import JSONObject
from emulator.domain.catalog import CONTAINER_FAMILIES, FIELD_FAMILIES, FieldFamily
from emulator.store.catalog import COUNTED

# Catalogs that came in later releases: where a pod answers 404, it has none.
OPTIONAL = frozenset({"campaignResponses", "opportunities", "campaigns"})
# What the fixtures hold that no Bulk API listing shows (the summary names them).
UNREADABLE = (
    "records (so list members and lead scores)",
    seed.CONTAINER_FILES["opportunityStages"],
    seed.CONTAINER_FILES["externalAssetTypes"],
    seed.RECORD_FILES["eloqua_users"],
    "rest/ (REST 2.0 assets)",
)


@dataclass
class Catalog:
    """One fixture file: its items and what the summary says about it."""

    file: str
    items: list[JSONObject]
    label: str  # the listing it was read from
    detail: str = ""


@dataclass
class Mirror:
    catalogs: list[Catalog] = field(default_factory=list)
    unserved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    placeholders: int = 0

    def files(self) -> dict[str, list[JSONObject]]:
        return {c.file: c.items for c in self.catalogs}


@dataclass(frozen=True)
class Reader:
    """How to read: the pod, the page size, whether to keep counts, where to report."""

    pod: Pod
    page_size: int
    counts: bool = True
    progress: Callable[[str], None] = lambda line: None


def mirror(reader: Reader) -> Mirror:
    """Every catalog the loader reads that the Bulk API lists, in the loader's order."""
    result = Mirror()
    for spec in FIELD_FAMILIES:
        if spec.parent is None and spec.family in seed.FIELD_FILES:
            _read_fields(reader, result, spec)
    for container in CONTAINER_FAMILIES:
        if container.family in seed.CONTAINER_FILES:
            _read_containers(reader, result, container.family, container.path)
    for family in seed.OBJECT_INDEXES:
        _read_objects(reader, result, family)
    return result


def item_id(item: JSONObject) -> int | None:
    """The id the loader files an item under: ``id``, or the number ending its ``uri``."""
    value = item.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    uri = item.get("uri")
    if isinstance(uri, str):
        tail = uri.rstrip("/").rpartition("/")[2]
        if tail.isdigit():
            return int(tail)
    return None


def placeholders(count: object) -> list[int]:
    """Member ids no record has, as many as ``count``."""
    if isinstance(count, int) and not isinstance(count, bool) and count > 0:
        return list(range(-1, -count - 1, -1))
    return []


def _by_id(items: list[JSONObject], where: str, result: Mirror) -> list[JSONObject]:
    """One item per id, in id order (a listing that shifted between pages can repeat one)."""
    kept: dict[int, JSONObject] = {}
    for item in items:
        id_ = item_id(item)
        if id_ is None:
            result.warnings.append(f"{where}: left out an item with no id: {item!r:.120}")
        else:
            kept.setdefault(id_, item)
    return [kept[i] for i in sorted(kept)]


def _fields_only(items: list[JSONObject], where: str, result: Mirror) -> list[JSONObject]:
    """Fields the loader can file: each needs its ``statement``."""
    kept = []
    for item in _by_id(items, where, result):
        if isinstance(item.get("statement"), str):
            kept.append(item)
        else:
            result.warnings.append(f"{where}: left out a field with no statement: {item!r:.120}")
    return kept


def _listing(
    reader: Reader, path: str, result: Mirror, params: dict[str, str] | None = None
) -> list[JSONObject]:
    listing = reader.pod.read_all(path, params or {}, page_size=reader.page_size)
    unique = {item_id(i) for i in listing.items} - {None}
    if listing.total is not None and listing.total != len(unique) and not params:
        result.warnings.append(
            f"{path}: totalResults said {listing.total}, {len(unique)} distinct items were read "
            "(the catalog changed while it was read?)"
        )
    return listing.items


def _read_fields(reader: Reader, result: Mirror, spec: FieldFamily) -> None:
    file = seed.FIELD_FILES[spec.family]
    try:
        items = _fields_only(_listing(reader, spec.path, result), spec.path, result)
    except NotServed:
        if spec.family not in OPTIONAL:
            raise
        result.unserved.append(file)
        result.catalogs.append(Catalog(file, [], spec.path, "not served"))
        reader.progress(f"{spec.path}: not served by this pod")
        return
    detail = ""
    tag_key = seed.TAG_KEYS.get(spec.family)
    if tag_key and tag_key.startswith("_") and spec.tag_param:
        tags = _tags(reader, result, spec)
        items = [{**item, tag_key: tags.get(item_id(item) or 0, [])} for item in items]
        detail = f"{tag_key} from {len(spec.tag_values)} ?{spec.tag_param}= listings"
    result.catalogs.append(Catalog(file, items, spec.path, detail))
    reader.progress(f"{spec.path}: {len(items)}")


def _tags(reader: Reader, result: Mirror, spec: FieldFamily) -> dict[int, list[str]]:
    """Which ``?{tag_param}=`` values list each field."""
    assert spec.tag_param is not None
    tags: dict[int, list[str]] = {}
    for value in spec.tag_values:
        for item in _listing(reader, spec.path, result, {spec.tag_param: value}):
            id_ = item_id(item)
            if id_ is not None and value not in tags.setdefault(id_, []):
                tags[id_].append(value)
    return tags


def _read_containers(reader: Reader, result: Mirror, family: str, path: str) -> None:
    file = seed.CONTAINER_FILES[family]
    items = _by_id(_listing(reader, path, result), path, result)
    detail = ""
    if family in COUNTED and reader.counts:
        items = [{**item, "_members": placeholders(item.get("count"))} for item in items]
        added = sum(len(item["_members"]) for item in items)
        result.placeholders += added
        detail = f"count kept with {added} placeholder members"
    result.catalogs.append(Catalog(file, items, path, detail))
    reader.progress(f"{path}: {len(items)}")


def _read_objects(reader: Reader, result: Mirror, family: str) -> None:
    """Custom objects or events, each with its fields under ``_fields``."""
    path = "/" + family
    (spec,) = (f for f in FIELD_FAMILIES if f.parent == family)
    objects = _by_id(_listing(reader, path, result), path, result)
    nested = 0
    with_fields = []
    for item in objects:
        fields_path = spec.path.format(parentId=item_id(item))
        fields = _fields_only(_listing(reader, fields_path, result), fields_path, result)
        nested += len(fields)
        with_fields.append({**item, "_fields": fields})
    file = seed.OBJECT_INDEXES[family]
    result.catalogs.append(Catalog(file, with_fields, path, f"with {nested} fields"))
    reader.progress(f"{path}: {len(objects)} with {nested} fields")
