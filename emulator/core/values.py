"""Staged values as an import reads them: every value becomes text, then is checked against
its field's ``dataType`` (reference §12). Used by the import checks in Python and, as SQL
functions, by the statements that read staged rows."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

EMAIL = re.compile(r"^[^@\s\"<>,;]+@[^@\s\"<>,;]+\.[^@\s\"<>,;]+$")
BOOLEANS = {"true": 1, "false": 0, "1": 1, "0": 0, "yes": 1, "no": 0}
DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%SZ",
)
# Oracle's "Data types": small text holds 100 characters on contacts and accounts, 250 on
# custom objects (and event registrants); the Bulk catalog calls it "string". Large text
# (32,000) is not told apart there, and the seed catalogs hold none.
TEXT_LIMITS = {"customObjects": 250, "events": 250}
TEXT_LIMIT = 100
# Numbers hold 15 digits before the decimal point (and 4 after).
NUMBER_DIGITS = 15
# The types whose values are checked; every other type takes any text.
CHECKED_TYPES = ("emailaddress", "number", "date", "boolean")


def text(value: Any) -> str:
    """A staged JSON value as text: null is empty, booleans are ``true``/``false``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def valid(data_type: str, value: str) -> bool:
    """Whether a non-empty ``value`` fits a field of ``data_type``."""
    kind = data_type.lower()
    if kind == "emailaddress":
        return email(value)
    if kind == "number":
        plain = value.replace(",", "")
        try:
            float(plain)
        except ValueError:
            return False
        whole = plain.strip().lstrip("+-").partition(".")[0].lstrip("0")
        return not whole.isdigit() or len(whole) <= NUMBER_DIGITS
    if kind == "date":
        return any(_parses(value, f) for f in DATE_FORMATS)
    if kind == "boolean":
        return value.lower() in BOOLEANS
    return True


def text_limit(family: str) -> int:
    """The characters a text ("string") field of the family holds."""
    return TEXT_LIMITS.get(family, TEXT_LIMIT)


def email(value: str) -> bool:
    """Whether a non-empty ``value`` is an e-mail address (the check imports run most)."""
    return EMAIL.match(value) is not None


# Lines of e-mail addresses, each ended by a newline: ``EMAIL`` without its anchors.
EMAIL_LINES = re.compile(f"(?:{EMAIL.pattern[1:-1]}\n)*+")


def all_emails(joined: str, count: int) -> bool:
    """Whether ``joined`` is ``count`` e-mail addresses (as ``email`` checks one), each but
    the last followed by a newline: one regular expression over a whole import chunk. A
    value holding a newline makes the count differ, so the answer is then False."""
    return joined.count("\n") + 1 == count and EMAIL_LINES.fullmatch(joined + "\n") is not None


def invalid_emails(pairs: Iterable[tuple[int, str]]) -> list[int]:
    """The keys of the ``(key, value)`` pairs whose non-empty value is not an e-mail
    address: the check of ``email`` over an import chunk in one pass."""
    match = EMAIL.match
    return [key for key, value in pairs if match(value) is None]


def _parses(value: str, pattern: str) -> bool:
    try:
        datetime.strptime(value, pattern)
    except ValueError:
        return False
    return True
