"""What a BEX export file looks like (reference §6): its name, its delimiter, its header and
rows, and how its values are written.

* Name: ``<term><channel>_<yyyyMMddHHmmss>_<jobFrequency>.<ext>``; ``<term>`` is the
  definition's ``exportFileName`` with ``_`` added unless it ends in one (the default
  term, ``Recipient Event Bulk Export_``, does), the time is the rotation's, in UTC.
  Acoustic documents the parts, not their order or separators.
* Body: UTF-8 without a byte order mark, CRLF line ends, a header row, then one row per
  event; a value that holds the delimiter, a double quote or a line break is quoted as
  RFC 4180 says (``"`` doubled inside). CSV is ``,``-, PSV ``|``- and TSV tab-separated.
* Columns: the 25 documented ones (``rules.STANDARD_COLUMNS``) then the definition's
  custom columns in ``columnOrder``; a value an event does not have is empty.

Pure: the rows are written to whatever text stream the caller opened (``newline=""``).
"""

from __future__ import annotations

import base64
import csv
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from emulator.acoustic.core import rules

DELIMITERS = {"CSV": ",", "PSV": "|", "TSV": "\t"}
EXTENSIONS = {"CSV": "csv", "PSV": "psv", "TSV": "tsv"}
MEDIA_TYPES = {"CSV": "text/csv", "PSV": "text/plain", "TSV": "text/tab-separated-values"}
LINE_END = "\r\n"
ENCODING = "utf-8"
NAME_TIME = "%Y%m%d%H%M%S"
# The ``timestamp`` column: undocumented; the form Acoustic's e-mail events take
# elsewhere (reference §6), with milliseconds. One constant, to change after a capture.
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.{ms:03d}Z"
# The suffix of the encoded recipient id Acoustic puts in tracked links [INF]
ENCODED_SUFFIX = "S0"

# Columns an event carries in its own right (the rest come from the contact, the event's
# type, mailing type, time and id)
EVENT_COLUMNS = (
    "contactId",
    "messageId",
    "userAgent",
    "messageName",
    "mailingTemplateId",
    "subjectLine",
    "docType",
    "reportId",
    "bounceType",
    "urlDescription",
    "clickUrl",
    "optOutDetails",
    "messageGroupId",
    "programId",
    "originatedFrom",
    "externalSystemName",
    "externalSystemReferenceId",
    "trackingCode",
)


class TextStream(Protocol):
    def write(self, text: str, /) -> int: ...


def term(export_file_name: str) -> str:
    """The definition's term as the file name starts: ``_`` added unless it ends in one."""
    name = export_file_name or rules.DEFAULT_FILE_NAME
    return name if name.endswith("_") else name + "_"


def file_name(export_file_name: str, channel: str, at: float, frequency: int, fmt: str) -> str:
    """``Recipient Event Bulk Export_Email_20240501120000_1.csv`` for a rotation at ``at``."""
    moment = datetime.fromtimestamp(int(at), UTC).strftime(NAME_TIME)
    return f"{term(export_file_name)}{channel}_{moment}_{frequency}.{EXTENSIONS[fmt]}"


def numbered(name: str, n: int) -> str:
    """The ``n``-th name (from 2) for a file whose name is taken in its folder:
    ``…_1.csv`` → ``…_1-2.csv``."""
    stem, dot, extension = name.rpartition(".")
    return f"{stem}-{n}{dot}{extension}" if dot else f"{name}-{n}"


def header(custom_columns: Sequence[str]) -> list[str]:
    return [*rules.STANDARD_COLUMNS, *custom_columns]


def timestamp(epoch: float) -> str:
    """``2024-05-01T12:34:56.000Z``: UTC, milliseconds."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.strftime(TIMESTAMP_FORMAT).format(ms=moment.microsecond // 1000)


def encoded_recipient_id(recipient_id: int) -> str:
    """The recipient id as Acoustic's tracked links carry it (base64 of its digits, then
    ``S0``); the form is seen in links, not documented for BEX [INF]."""
    digits = base64.b64encode(str(recipient_id).encode("ascii")).decode("ascii")
    return digits.rstrip("=") + ENCODED_SUFFIX


def writer(stream: TextStream, fmt: str) -> Any:
    """A ``csv`` writer of the format's dialect: minimal RFC 4180 quoting, CRLF."""
    return csv.writer(
        stream,
        delimiter=DELIMITERS[fmt],
        quotechar='"',
        doublequote=True,
        quoting=csv.QUOTE_MINIMAL,
        lineterminator=LINE_END,
        strict=True,
    )


def row(
    *,
    event_id: int,
    email: str,
    recipient_id: int,
    code: str,
    mailing_type: str,
    at: float,
    detail: Mapping[str, Any],
    contact_fields: Mapping[str, Any],
    custom_columns: Sequence[str],
) -> list[str]:
    """One event's values, in ``header(custom_columns)`` order."""
    values = {
        **{column: text(detail.get(column)) for column in EVENT_COLUMNS},
        "Email": email,
        "RECIPIENT_ID": str(recipient_id),
        "ENCODED_RECIPIENT_ID": encoded_recipient_id(recipient_id),
        "code": code,
        "sendType": mailing_type,
        "timestamp": timestamp(at),
        "eventId": str(event_id),
    }
    return [
        *(values[column] for column in rules.STANDARD_COLUMNS),
        *(text(contact_fields.get(column)) for column in custom_columns),
    ]


def text(value: Any) -> str:
    """A value as a file shows it: nothing for a missing one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
