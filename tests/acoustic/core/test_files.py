"""The BEX export file format (reference §6): names, header, values, delimiters, quoting."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from emulator.acoustic.core import files, rules

AT = datetime(2024, 5, 1, 12, 0, 5, 250_000, tzinfo=UTC).timestamp()


def test_the_file_name_is_the_term_then_channel_rotation_time_and_frequency() -> None:
    name = files.file_name(rules.DEFAULT_FILE_NAME, "Email", AT, 1, "CSV")
    assert name == "Recipient Event Bulk Export_Email_20240501120005_1.csv"
    assert files.file_name("Test_Email", "Email", AT, 24, "TSV") == (
        "Test_Email_Email_20240501120005_24.tsv"
    )
    assert files.file_name("Nightly_", "Email", AT, 8, "PSV") == (
        "Nightly_Email_20240501120005_8.psv"
    )
    assert files.file_name("", "Email", AT, 2, "CSV").startswith("Recipient Event Bulk Export_")


def test_a_taken_name_is_numbered_before_its_extension() -> None:
    assert files.numbered("a_Email_20240501120005_1.csv", 2) == "a_Email_20240501120005_1-2.csv"
    assert files.numbered("no-extension", 3) == "no-extension-3"


def test_the_header_is_the_25_documented_columns_then_the_custom_ones_in_order() -> None:
    header = files.header(["Loyalty Tier", "column1"])
    assert len(rules.STANDARD_COLUMNS) == 25
    assert header[:25] == list(rules.STANDARD_COLUMNS)
    assert header[:5] == ["Email", "RECIPIENT_ID", "ENCODED_RECIPIENT_ID", "contactId", "code"]
    assert header[25:] == ["Loyalty Tier", "column1"]


def test_every_standard_column_has_a_source() -> None:
    """Seven come from the contact, the event's type, mailing type, time and id; the rest
    are the event's own, by name."""
    derived = {"Email", "RECIPIENT_ID", "ENCODED_RECIPIENT_ID", "code", "sendType"}
    derived |= {"timestamp", "eventId"}
    assert set(files.EVENT_COLUMNS) | derived == set(rules.STANDARD_COLUMNS)
    assert not set(files.EVENT_COLUMNS) & derived


def test_timestamps_are_utc_with_milliseconds() -> None:
    assert files.timestamp(AT) == "2024-05-01T12:00:05.250Z"
    assert files.timestamp(0) == "1970-01-01T00:00:00.000Z"


def test_the_encoded_recipient_id_is_base64_of_its_digits_and_s0() -> None:
    assert files.encoded_recipient_id(2400001) == "MjQwMDAwMQS0"
    assert files.encoded_recipient_id(123) == "MTIzS0"


def _row(**detail: str) -> list[str]:
    return files.row(
        event_id=7,
        email="dana.okafor@example.com",
        recipient_id=2400004,
        code="emailClick",
        mailing_type="SendExperience",
        at=AT,
        detail=detail,
        contact_fields={"City": "Washington, D.C.", "column1": "D-4", "Tier": None},
        custom_columns=["City", "Tier", "column1", "Missing"],
    )


def test_a_row_has_every_column_in_header_order_and_nothing_for_what_is_missing() -> None:
    row = _row(clickUrl="https://example.com/x", messageId="31000101")
    by_name = dict(zip(files.header(["City", "Tier", "column1", "Missing"]), row, strict=True))
    assert by_name["Email"] == "dana.okafor@example.com"
    assert by_name["RECIPIENT_ID"] == "2400004"
    assert by_name["ENCODED_RECIPIENT_ID"] == "MjQwMDAwNAS0"
    assert by_name["code"] == "emailClick"
    assert by_name["sendType"] == "SendExperience"
    assert by_name["timestamp"] == "2024-05-01T12:00:05.250Z"
    assert by_name["eventId"] == "7"
    assert by_name["clickUrl"] == "https://example.com/x"
    assert by_name["messageId"] == "31000101"
    assert by_name["bounceType"] == by_name["contactId"] == ""
    assert [by_name[c] for c in ("City", "Tier", "column1", "Missing")] == [
        "Washington, D.C.",
        "",
        "D-4",
        "",
    ]


@pytest.mark.parametrize(
    ("fmt", "line"),
    [
        ("CSV", 'plain,"a,b",a|b,a\tb,"say ""hi""","two\r\nlines",Zoë\r\n'),
        ("PSV", 'plain|a,b|"a|b"|a\tb|"say ""hi"""|"two\r\nlines"|Zoë\r\n'),
        ("TSV", 'plain\ta,b\ta|b\t"a\tb"\t"say ""hi"""\t"two\r\nlines"\tZoë\r\n'),
    ],
)
def test_each_format_has_its_delimiter_and_rfc_4180_quoting(fmt: str, line: str) -> None:
    stream = io.StringIO(newline="")
    files.writer(stream, fmt).writerow(
        ["plain", "a,b", "a|b", "a\tb", 'say "hi"', "two\r\nlines", "Zoë"]
    )
    assert stream.getvalue() == line
    back = next(csv.reader(io.StringIO(line, newline=""), delimiter=files.DELIMITERS[fmt]))
    assert back == ["plain", "a,b", "a|b", "a\tb", 'say "hi"', "two\r\nlines", "Zoë"]


def test_values_are_text() -> None:
    assert files.text(None) == ""
    assert files.text(True) == "true"
    assert files.text(12) == "12"
