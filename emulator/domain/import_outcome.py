"""What an import sync did, and the log lines a pod writes for it (reference §13.1)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from emulator.core import logs
from emulator.core.types import JSONObject

# The reject of a row forced through the control plane: a real reject code (reference
# §13.1, "Invalid field value."), counted with the rejected values (ELQ-00144).
FORCED_REJECT = "ELQ-00040"

# (created, updated, linked) log codes per family, reference §13.4.
COUNTS: dict[str, tuple[str | None, str | None, str | None]] = {
    "contacts": ("ELQ-00004", "ELQ-00022", None),
    "accounts": ("ELQ-00005", "ELQ-00023", None),
    "customObjects": ("ELQ-00007", "ELQ-00012", "ELQ-00025"),
    "events": ("ELQ-00077", "ELQ-00079", "ELQ-00078"),
    # Oracle's list has no opportunity codes but "Total new records."; no update line
    "opportunities": ("ELQ-00049", None, None),
    # nor for campaign responses, which an import only updates: exports show the change
    "campaignResponses": (None, None, None),
}


@dataclass
class Outcome:
    staged: int = 0
    created: int = 0
    updated: int = 0
    linked: int = 0
    duplicates: int = 0
    invalid_emails: int = 0
    invalid_values: int = 0
    invalid_stages: int = 0
    duplicate_links: int = 0  # users an account import linked that were linked already
    unknown_users: int = 0  # CRM user ids that name no Eloqua user of the site
    missing: int = 0
    unmatched: int = 0
    existing: int = 0
    ignored_keys: list[str] = field(default_factory=list)
    missing_keys: list[tuple[str, int]] = field(default_factory=list)
    rejects: list[tuple[int, JSONObject]] = field(default_factory=list)
    actions: list[logs.Entry] = field(default_factory=list)  # the sync actions' lines
    forced: bool = False  # a warning forced through the control plane (domain/outcomes)

    def saved(self) -> dict[str, Any]:
        """What a chunk commits with the sync's progress (rejects are stored as rows and
        the actions' lines written at the end, so neither is kept)."""
        kept = asdict(self)
        del kept["rejects"], kept["actions"]
        return kept

    @classmethod
    def restore(cls, saved: dict[str, Any] | None) -> Outcome:
        if not saved:
            return cls()
        return cls(
            **{
                **saved,
                "missing_keys": [(str(k), int(f)) for k, f in saved.get("missing_keys", [])],
            }
        )

    @property
    def rejected(self) -> int:
        return (
            self.duplicates
            + self.invalid_emails
            + self.invalid_values
            + self.invalid_stages
            + self.missing
        )

    @property
    def status(self) -> str:
        troubled = (
            self.rejected
            or self.ignored_keys
            or self.unmatched
            or self.unknown_users
            or self.forced
        )
        return "warning" if troubled else "success"


def log_entries(outcome: Outcome, family: str) -> Iterator[logs.Entry]:
    """The log lines of an import sync, in the order a pod wrote them (reference §13.1)."""
    yield logs.entry("ELQ-00130", outcome.staged)
    yield logs.entry("ELQ-00137")
    for key in outcome.ignored_keys:
        yield logs.entry("ELQ-00111", severity=logs.WARNING, field=key)
    for key, file_id in outcome.missing_keys:
        yield logs.entry("ELQ-00121", field=key, file=file_id)
    if outcome.staged == 0:
        yield logs.entry("ELQ-00124")
    yield from outcome.actions
    yield logs.processed(outcome.status)
    yield logs.entry("ELQ-00001", outcome.staged)
    for code, count in (
        ("ELQ-00026", outcome.duplicates),
        ("ELQ-00002", outcome.invalid_emails),
        ("ELQ-00144", outcome.invalid_values),
        ("ELQ-00039", outcome.invalid_stages),
        ("ELQ-00061", outcome.missing),
        ("ELQ-00034", outcome.unmatched + outcome.unknown_users),
    ):
        if count:
            yield logs.entry(code, count, logs.WARNING)
    yield logs.entry("ELQ-00003", outcome.staged - outcome.duplicates)
    created, updated, linked = COUNTS[family]
    if created:
        yield logs.entry(created, outcome.created)
    if updated:
        yield logs.entry(updated, outcome.updated)
    if linked and outcome.linked:
        yield logs.entry(linked, outcome.linked)
    if outcome.duplicate_links:
        yield logs.entry("ELQ-00062", outcome.duplicate_links)
    # a pod's import log ends with this message-less item (reference §13.1, observed);
    # Oracle's list does not say what it counts
    yield logs.Entry("ELQ-00071")


def reject_item(
    index: int, field_values: dict[str, str], invalid: list[str], code: str
) -> JSONObject:
    """One item of ``GET /syncs/{id}/rejects``, in a pod's key order (reference §18)."""
    return {
        "fieldValues": field_values,
        "message": logs.REJECT_MESSAGES[code],
        "statusCode": code,
        "recordIndex": index,
        "invalidFields": invalid,
    }
