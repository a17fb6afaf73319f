"""Checks of a definition's optional properties, one function per group of properties.

Each copies what passes from the bound request (``raw``) into the definition (``out``) and
appends a ``Failure`` for what does not, so that every problem is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from emulator.core import constraints as c
from emulator.core.durations import DAY, HOUR
from emulator.core.errors import Failure
from emulator.core.types import JSONObject
from emulator.domain import statements, validate
from emulator.domain.entities import SYNC_ACTIONS

UPDATE_RULES = ("always", "ifNewIsNotNull", "ifExistingIsNull", "useFieldRule")
IMPORT_RULES = ("createAndUpdate", "updateOnly", "createOnly")
PRIORITY_URI = re.compile(r"^/imports/priorities/\d+$")
Resolved = dict[str, statements.Resolved] | None


def import_properties(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    family: str,
    catalog: statements.StoreCatalog,
    failures: list[Failure],
) -> None:
    booleans(
        raw,
        out,
        (
            "isUpdatingMultipleMatchedRecords",
            "nullIdentifierFieldName",
            "linkUsers",
            "mapDataCards",
            "mapDataCardsCaseSensitiveMatch",
            "isIdentifierFieldCaseSensitive",
            "linkOpportunitiesCaseSensitiveMatchField",
            "linkOpportunitiesCaseSensitiveSourceField",
            "linkOpportunitiesMultipleSourceMatches",
        ),
        failures,
    )
    take(raw, out, "updateRule", lambda v, n, f: validate.enum(v, n, UPDATE_RULES, f), failures)
    if "updateRuleByField" in raw:
        _update_rule_by_field(raw["updateRuleByField"], out, resolved, failures)
    take(raw, out, "importRule", lambda v, n, f: validate.enum(v, n, IMPORT_RULES, f), failures)
    take(raw, out, "importPriorityUri", _priority_uri, failures)
    take(raw, out, "externalSystemId", validate.integer, failures)
    take(raw, out, "serviceInstanceId", validate.text, failures)
    if family in ("customObjects", "events"):
        _map_data_cards(raw, out, resolved, catalog, failures)
    if family == "opportunityContacts":
        _link_opportunities(raw, out, resolved, failures)


def _source_field(
    raw: JSONObject,
    out: JSONObject,
    name: str,
    resolved: dict[str, statements.Resolved] | None,
    failures: list[Failure],
) -> None:
    value = raw.get(name)
    if value is None:
        return
    if not isinstance(value, str) or (resolved is not None and value not in resolved):
        failures.append(Failure(name, c.SOURCE_FIELD, value))
    else:
        out[name] = value


def _map_data_cards(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    catalog: statements.StoreCatalog,
    failures: list[Failure],
) -> None:
    """Linking custom object or event records to contacts or accounts (reference §12.2)."""
    entity_type = raw.get("mapDataCardsEntityType")
    if entity_type is not None:
        entity_type = validate.enum(
            entity_type, "mapDataCardsEntityType", ("Contact", "Company"), failures
        )
        if entity_type:
            out["mapDataCardsEntityType"] = entity_type
    if "mapDataCardsEntityField" in raw:
        field = raw["mapDataCardsEntityField"]
        target = statements.entity("accounts" if entity_type == "Company" else "contacts", None)
        if not isinstance(field, str):
            failures.append(Failure("mapDataCardsEntityField", c.FIELD_STATEMENT_TEXT, field))
        elif statements.field(field, target, catalog, failures, "mapDataCardsEntityField"):
            out["mapDataCardsEntityField"] = field
    _source_field(raw, out, "mapDataCardsSourceField", resolved, failures)
    if out.get("mapDataCards"):
        for name in (
            "mapDataCardsEntityType",
            "mapDataCardsEntityField",
            "mapDataCardsSourceField",
        ):
            if name not in raw:
                failures.append(Failure(name, c.PROPERTY_REQUIRED, None))


def _link_opportunities(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    failures: list[Failure],
) -> None:
    """Opportunity-to-contact linkage imports (reference §12.3)."""
    for name in (
        "linkOpportunitiesEntityType",
        "linkOpportunitiesMatchFieldName",
        "linkOpportunitiesSourceField",
    ):
        if name not in raw:
            failures.append(Failure(name, c.PROPERTY_REQUIRED, None))
    if "linkOpportunitiesEntityType" in raw:
        kind = validate.enum(
            raw["linkOpportunitiesEntityType"],
            "linkOpportunitiesEntityType",
            ("Contact", "Account"),
            failures,
        )
        if kind:
            out["linkOpportunitiesEntityType"] = kind
    _source_field(raw, out, "linkOpportunitiesMatchFieldName", resolved, failures)
    _source_field(raw, out, "linkOpportunitiesSourceField", resolved, failures)


def _update_rule_by_field(
    value: Any,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    failures: list[Failure],
) -> None:
    if not isinstance(value, dict):
        failures.append(Failure("updateRuleByField", c.FIELDS_OBJECT, value))
        return
    rules: dict[str, str] = {}
    for key, rule in value.items():
        if resolved is not None and key not in resolved:
            failures.append(Failure("updateRuleByField", c.UPDATE_RULE_FIELD, key))
        elif checked := validate.enum(rule, "updateRuleByField", UPDATE_RULES, failures):
            rules[key] = checked
    out["updateRuleByField"] = rules


def export_properties(
    raw: JSONObject,
    out: JSONObject,
    resolved: dict[str, statements.Resolved] | None,
    entity: Any,
    catalog: statements.StoreCatalog,
    family: str,
    failures: list[Failure],
) -> None:
    uses_instance = False
    if "filter" in raw:
        text = raw["filter"]
        if not isinstance(text, str):
            failures.append(Failure("filter", c.FILTER_TEXT, text))
        elif (checked := statements.export_filter(text, entity, catalog, failures)) is not None:
            out["filter"] = text
            uses_instance = checked.uses_service_instance
    if resolved is not None:
        high = 249 if uses_instance else 250
        if len(resolved) > high:
            failures.append(Failure("fields", c.FIELDS_COUNT.format(high=high), raw["fields"]))
        if family == "activities" and sum(r.is_contact_field for r in resolved.values()) > 10:
            failures.append(Failure("fields", c.ACTIVITY_CONTACT_FIELDS, raw["fields"]))
    booleans(raw, out, ("areSystemTimestampsInUTC",), failures)
    take(raw, out, "maxRecords", lambda v, n, f: validate.integer(v, n, f, low=1), failures)
    take(raw, out, "crmAccountIdField", validate.text, failures)
    take(raw, out, "productIdField", validate.text, failures)
    take(raw, out, "externalSystemId", validate.integer, failures)


Check = Callable[[Any, str, list[Failure]], Any]


def take(
    raw: JSONObject, out: JSONObject, name: str, check: Check, failures: list[Failure]
) -> None:
    """Copy ``raw[name]`` to ``out`` if it is present and passes ``check``."""
    if name in raw and (value := check(raw[name], name, failures)) is not None:
        out[name] = value


def _priority_uri(value: Any, name: str, failures: list[Failure]) -> str | None:
    if isinstance(value, str) and PRIORITY_URI.match(value):
        return value
    failures.append(Failure(name, c.IMPORT_PRIORITY_URI, value))
    return None


def booleans(
    raw: JSONObject, out: JSONObject, names: tuple[str, ...], failures: list[Failure]
) -> None:
    for name in names:
        take(raw, out, name, validate.boolean, failures)


def durations(raw: JSONObject, out: JSONObject, kind: str, failures: list[Failure]) -> None:
    if "dataRetentionDuration" in raw and kind != SYNC_ACTIONS:
        value = validate.duration(
            raw["dataRetentionDuration"],
            "dataRetentionDuration",
            failures,
            low=HOUR,
            high=14 * DAY,
            constraint=c.RETENTION_RANGE,
        )
        if value is not None:
            out["dataRetentionDuration"] = value
    if "autoDeleteDuration" in raw:
        value = validate.duration(
            raw["autoDeleteDuration"],
            "autoDeleteDuration",
            failures,
            low=HOUR,
            high=None,
            constraint=c.AUTO_DELETE_RANGE,
        )
        if value is not None:
            out["autoDeleteDuration"] = value
