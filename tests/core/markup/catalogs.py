"""In-memory catalogs for the pure statement and filter tests: a small hand-made one and one
read from the repository's fixture files (what a fresh site is seeded with)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.core.markup import FieldInfo

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"
FLAT_FIELD_FILES = {
    "contacts": "contacts/fields.json",
    "accounts": "accounts/fields.json",
    "activities": "activities/fields.json",
    "campaignResponses": "campaignResponses/fields.json",
    "opportunities": "opportunities/fields.json",
    "campaigns": "campaigns/fields.json",
}
CONTAINER_FILES = {
    "contactLists": "contacts/lists.json",
    "contactSegments": "contacts/segments.json",
    "contactFilters": "contacts/filters.json",
    "accountLists": "accounts/lists.json",
    "emailGroups": "emailGroups.json",
}


@dataclass
class FakeCatalog:
    fields: dict[tuple[str, int, str], str] = field(default_factory=dict)
    containers: set[tuple[str, int]] = field(default_factory=set)

    def add_field(self, family: str, statement: str, data_type: str, parent_id: int = 0) -> None:
        self.fields[family, parent_id, statement.lower()] = data_type

    def field(self, family: str, parent_id: int, statement: str) -> FieldInfo | None:
        data_type = self.fields.get((family, parent_id, statement.lower()))
        return None if data_type is None else FieldInfo(data_type)

    def container_exists(self, family: str, id: int) -> bool:
        return (family, id) in self.containers


def small_catalog() -> FakeCatalog:
    catalog = FakeCatalog()
    for family, statement, data_type in [
        ("contacts", "{{Contact.Field(C_EmailAddress)}}", "emailAddress"),
        ("contacts", "{{Contact.Field(C_Country)}}", "string"),
        ("contacts", "{{Contact.Field(C_FirstName)}}", "string"),
        ("contacts", "{{Contact.Field(C_DateModified)}}", "date"),
        ("contacts", "{{Contact.Field(C_DateCreated)}}", "date"),
        ("accounts", "{{Account.Field(M_CompanyName)}}", "string"),
        ("activities", "{{Activity.Field(EmailAddress)}}", "emailAddress"),
        ("activities", "{{Activity.CampaignResponse.Field(MemberStatus)}}", "string"),
        ("campaignResponses", "{{CampaignResponse.Field(MemberStatus)}}", "string"),
        ("opportunities", "{{Opportunity.Field(Name)}}", "string"),
        ("campaigns", "{{Campaign.Field(CampaignName)}}", "string"),
    ]:
        catalog.add_field(family, statement, data_type)
    catalog.add_field("customObjects", "{{CustomObject[9].Field[103]}}", "string", 9)
    catalog.add_field("customObjects", "{{CustomObject[9].Field[106]}}", "date", 9)
    catalog.add_field("customObjects", "{{CustomObject[12].Field[201]}}", "string", 12)
    catalog.add_field("events", "{{Event[3].Field[301]}}", "emailAddress", 3)
    catalog.containers |= {
        ("contactLists", 12),
        ("contactSegments", 6),
        ("contactFilters", 201),
        ("accountLists", 301),
        ("emailGroups", 4),
        ("customObjects", 9),
        ("customObjects", 12),
        ("events", 3),
        ("scoringModels", 1),
    }
    return catalog


def load(relative: str) -> Any:
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


def last_id(uri: str) -> int:
    return int(uri.rstrip("/").rsplit("/", 1)[1])


def nested_fields() -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(family, parent id, field item) of every custom object and event field."""
    for family, relative in (
        ("customObjects", "customObjects/index.json"),
        ("events", "events/index.json"),
    ):
        for parent in load(relative):
            for item in parent["_fields"]:
                yield family, last_id(parent["uri"]), item


def flat_fields() -> Iterator[tuple[str, dict[str, Any]]]:
    for family, relative in FLAT_FIELD_FILES.items():
        for item in load(relative):
            yield family, item


def scoring_fields() -> Iterator[tuple[int, dict[str, Any]]]:
    for model in load("contacts/scoringModels.json"):
        for item in model["fields"]:
            yield model["id"], item


def containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for family, relative in CONTAINER_FILES.items():
        for item in load(relative):
            yield family, item


def fixture_catalog() -> FakeCatalog:
    catalog = FakeCatalog()
    for family, item in flat_fields():
        catalog.add_field(family, item["statement"], item["dataType"])
    for family, parent_id, item in nested_fields():
        catalog.add_field(family, item["statement"], item["dataType"], parent_id)
        catalog.containers.add((family, parent_id))
    for model_id, _ in scoring_fields():
        catalog.containers.add(("scoringModels", model_id))
    for family, item in containers():
        catalog.containers.add((family, last_id(item["uri"])))
    return catalog


def all_statements() -> Iterable[str]:
    yield from (item["statement"] for _, item in flat_fields())
    yield from (item["statement"] for _, _, item in nested_fields())
    yield from (item["statement"] for _, item in scoring_fields())
    yield from (item["statement"] for _, item in containers())
