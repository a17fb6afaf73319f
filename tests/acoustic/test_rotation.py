"""BEX rotations: on demand and every ``jobFrequency`` hours of the emulator's clock, one
file of the events since the previous rotation, filtered and shaped by the job, in the FTP
folder of its user; the files listed and downloaded through the control plane."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from emulator import Settings
from emulator.acoustic import store
from emulator.acoustic.core import rules
from tests.acoustic.helpers import DATABASE, SECOND_DATABASE, Acoustic, example
from tests.conftest import Clock

USER = "user@example.com"
FILES = "/_emulator/acoustic/files"
EVENTS = "/_emulator/acoustic/events"
HEADER = ",".join(rules.STANDARD_COLUMNS)
# the clock of tests/conftest.py: 2027-01-15T08:00:00Z
T0 = "20270115080000"
# the example body selects the Spring Newsletter's sends and opens (fixtures/acoustic)
EXAMPLE_EVENT_IDS = [1, 2, 3, 4, 5, 8, 9, 12, 14]


def rotate(acoustic: Acoustic, job_id: int) -> dict[str, Any]:
    response = acoustic.client.post(f"/_emulator/acoustic/jobs/{job_id}/rotate")
    assert response.status_code == 201, response.text
    return response.json()


def advance(acoustic: Acoustic, seconds: float) -> None:
    response = acoustic.client.post("/_emulator/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


def listed(acoustic: Acoustic, **params: Any) -> list[dict[str, Any]]:
    response = acoustic.client.get(FILES, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def folder(acoustic: Acoustic, user: str = USER) -> Path:
    root = Path(acoustic.client.get(FILES).json()["ftpRoot"])
    return root / user / "download"


def lines(acoustic: Acoustic, name: str) -> list[str]:
    data = (folder(acoustic) / name).read_bytes()
    assert data.endswith(b"\r\n")
    return data.decode("utf-8").split("\r\n")[:-1]


def records(acoustic: Acoustic, name: str) -> list[dict[str, str]]:
    """The file's rows by column, read as a client would (any format)."""
    delimiter = {"csv": ",", "psv": "|", "tsv": "\t"}[name.rsplit(".", 1)[1]]
    text = (folder(acoustic) / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def add(acoustic: Acoustic, *events: dict[str, Any]) -> list[dict[str, Any]]:
    response = acoustic.client.post(EVENTS, json={"events": list(events)})
    assert response.status_code == 201, response.text
    return response.json()["events"]


def job_with(acoustic: Acoustic, **channel: Any) -> int:
    body = example()
    body["channels"][0].update(channel)
    return acoustic.create(body)


@pytest.fixture
def several(acoustic_factory) -> Acoustic:
    """Signed in to an emulator that allows several definitions per database."""
    return acoustic_factory(Settings(db=":memory:", acoustic_one_job_per_source=False))


def test_the_example_job_rotated_writes_the_documented_header_and_a_row_per_event(
    acoustic: Acoustic,
) -> None:
    job_id = acoustic.create()  # the BEX page's example body, verbatim
    done = rotate(acoustic, job_id)
    name = f"Test_Email_Email_{T0}_1.csv"
    assert done == {
        "rotationId": 1,
        "jobId": job_id,
        "databaseId": DATABASE,
        "rotatedAt": "2027-01-15T08:00:00.000Z",
        "trigger": "manual",
        "file": {
            "jobId": job_id,
            "ftpUserId": USER,
            "name": name,
            "path": f"{USER}/download/{name}",
            "format": "CSV",
            "rows": 9,
            "size": (folder(acoustic) / name).stat().st_size,
            "rotatedAt": "2027-01-15T08:00:00.000Z",
            "trigger": "manual",
            "url": f"{FILES}/{USER}/{quote(name)}",
        },
    }
    header, *rows = lines(acoustic, name)
    assert header == HEADER + ",column1"
    assert rows[0] == (
        "ada.moreau@example.com,2400001,MjQwMDAwMQS0,,emailSend,31000101,,Spring Newsletter,"
        '21000101,"Spring news, and ""fresh"" picks",HTML,41000101,SendExperience,,,,,,,'
        "2024-05-01T12:00:00.000Z,,1,,,,A-17"
    )
    found = records(acoustic, name)
    assert [int(r["eventId"]) for r in found] == EXAMPLE_EVENT_IDS  # in arrival order
    assert {r["code"] for r in found} == {"emailSend", "emailOpen"}
    assert {r["sendType"] for r in found} == {"SendExperience"}
    assert {r["column1"] for r in found} == {"A-17", "B-02", "C-33", "D-4", "E|5"}
    job = acoustic.state.db.read_sync(store.job, job_id)
    assert job is not None
    assert job.last_rotation_at == 1_800_000_000.0


def test_the_next_rotation_holds_only_the_events_that_arrived_since(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    rotate(acoustic, job_id)
    added = add(
        acoustic,
        {"databaseId": DATABASE, "recipientId": 2400003, "eventType": "emailOpen"},
        {"databaseId": DATABASE, "recipientId": 2400003, "eventType": "emailClick"},  # not asked
        {"databaseId": SECOND_DATABASE, "recipientId": 2500001, "eventType": "emailOpen"},
        {"databaseId": DATABASE, "recipientId": 2400006, "eventType": "emailSend"},
    )
    second = rotate(acoustic, job_id)["file"]
    assert second["name"] == f"Test_Email_Email_{T0}_1-2.csv"  # the same second: numbered
    found = records(acoustic, second["name"])
    assert [int(r["eventId"]) for r in found] == [added[0]["eventId"], added[3]["eventId"]]
    assert second["rows"] == 2
    third = rotate(acoustic, job_id)["file"]
    assert lines(acoustic, third["name"]) == [HEADER + ",column1"]  # nothing new: the header
    assert third["rows"] == 0


def test_rotations_follow_the_emulated_clock(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    advance(acoustic, 3599)
    assert listed(acoustic) == []
    advance(acoustic, 1)  # an hour after the definition was made
    [first] = listed(acoustic)
    assert (first["name"], first["trigger"], first["rows"]) == (
        "Test_Email_Email_20270115090000_1.csv",
        "schedule",
        9,
    )
    add(acoustic, {"databaseId": DATABASE, "recipientId": 2400002, "eventType": "emailSend"})
    advance(acoustic, 3 * 3600 + 10)  # past three rotation times: a file for each
    files = listed(acoustic)
    assert [(f["name"], f["rows"]) for f in files] == [
        ("Test_Email_Email_20270115120000_1.csv", 0),
        ("Test_Email_Email_20270115110000_1.csv", 0),
        ("Test_Email_Email_20270115100000_1.csv", 1),  # the event, in the first
        ("Test_Email_Email_20270115090000_1.csv", 9),
    ]
    job = acoustic.state.db.read_sync(store.job, job_id)
    assert job is not None
    assert job.last_rotation_at == 1_800_000_000.0 + 4 * 3600


def test_a_rotation_on_demand_restarts_the_schedule(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    advance(acoustic, 1800)
    rotate(acoustic, job_id)  # at 08:30
    advance(acoustic, 1800)  # 09:00 would have been the first scheduled rotation
    assert [f["trigger"] for f in listed(acoustic)] == ["manual"]
    advance(acoustic, 1800)
    assert [(f["name"], f["trigger"]) for f in listed(acoustic)] == [
        ("Test_Email_Email_20270115093000_1.csv", "schedule"),
        ("Test_Email_Email_20270115083000_1.csv", "manual"),
    ]


def test_a_job_rotates_as_its_definition_says_now(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    body = {**example(), "id": job_id}
    body["channels"][0]["jobFrequency"] = 2
    assert acoustic.put(job_id, body).status_code == 200
    advance(acoustic, 3600)
    assert listed(acoustic) == []
    advance(acoustic, 3600)
    assert [f["name"] for f in listed(acoustic)] == ["Test_Email_Email_20270115100000_2.csv"]


def test_a_deleted_job_rotates_no_more_and_its_files_stay(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    name = rotate(acoustic, job_id)["file"]["name"]
    assert acoustic.delete(job_id).status_code == 200
    advance(acoustic, 5 * 3600)
    assert [f["name"] for f in listed(acoustic)] == [name]
    assert (folder(acoustic) / name).is_file()
    gone = acoustic.client.post(f"/_emulator/acoustic/jobs/{job_id}/rotate")
    assert gone.status_code == 404
    assert gone.json()["failures"][0]["field"] == "id"


def test_event_and_mailing_types_select_the_rows(several: Acoustic) -> None:
    clicks_and_bounces = job_with(
        several,
        eventTypes=[{"eventType": "emailClick"}, {"eventType": "emailBounce"}],
        mailingTypes=[],
    )
    automated = job_with(
        several,
        eventTypes=[],
        mailingTypes=[{"mailingType": "AMG"}, {"mailingType": "Programs"}],
    )
    everything = job_with(several, eventTypes=[], mailingTypes=[])

    def codes_and_types(job_id: int) -> list[tuple[str, str]]:
        found = records(several, rotate(several, job_id)["file"]["name"])
        return [(r["code"], r["sendType"]) for r in found]

    assert codes_and_types(clicks_and_bounces) == [
        ("emailBounce", "SendExperience"),
        ("emailClick", "SendExperience"),
        ("emailClick", "SendExperience"),
        ("emailClick", "AMG"),
    ]
    assert sorted(codes_and_types(automated)) == [
        ("emailClick", "AMG"),
        ("emailOpen", "Programs"),
        ("emailSend", "AMG"),
        ("emailSend", "AMG"),
        ("emailSend", "Programs"),
        ("emailSend", "Programs"),
    ]
    assert len(codes_and_types(everything)) == 23  # every event of the database


def test_custom_columns_follow_their_column_order(acoustic: Acoustic) -> None:
    job_id = job_with(
        acoustic,
        columnNames=[
            {"columnName": "City", "columnOrder": 1},
            {"columnName": "Loyalty Tier", "columnOrder": 0},
            {"columnName": "First Name", "columnOrder": 2},
        ],
    )
    header, *rows = lines(acoustic, rotate(acoustic, job_id)["file"]["name"])
    assert header == HEADER + ",Loyalty Tier,City,First Name"
    dana = next(r for r in rows if r.startswith("dana.okafor@example.com,"))
    assert dana.endswith(',Gold,"Washington, D.C.","Dana ""Dee"""')
    chen = next(r for r in rows if r.startswith("chen.wei@example.com,"))
    assert chen.endswith(",,Shanghai,Chen")  # an empty value is an empty field


@pytest.mark.parametrize(
    ("fmt", "delimiter", "zoe_column1"),
    [("PSV", "|", '"E|5"'), ("TSV", "\t", "E|5"), ("CSV", ",", "E|5")],
)
def test_each_format_has_its_delimiter_and_extension(
    acoustic: Acoustic, fmt: str, delimiter: str, zoe_column1: str
) -> None:
    job_id = job_with(acoustic, exportFileFormat=fmt)
    name = rotate(acoustic, job_id)["file"]["name"]
    assert name == f"Test_Email_Email_{T0}_1.{fmt.lower()}"
    header, *rows = lines(acoustic, name)
    assert header == delimiter.join([*rules.STANDARD_COLUMNS, "column1"])
    zoe = next(r for r in rows if r.startswith("zoe.muller@example.com"))
    assert zoe.endswith(delimiter + zoe_column1)
    assert '"Spring news, and ""fresh"" picks"' in zoe  # a double quote is always quoted


def test_a_tab_in_a_tsv_value_is_quoted(acoustic: Acoustic) -> None:
    job_id = job_with(acoustic, exportFileFormat="TSV", mailingTypes=[], eventTypes=[])
    _, *rows = lines(acoustic, rotate(acoustic, job_id)["file"]["name"])
    emil = [r for r in rows if r.startswith("emil.novak@example.com")]
    assert emil
    assert all(r.endswith('\t"F\t6"') for r in emil)


def test_names_and_values_are_utf8_without_a_byte_order_mark(acoustic: Acoustic) -> None:
    job_id = job_with(
        acoustic,
        exportFileName="Événements_",
        columnNames=[{"columnName": "First Name", "columnOrder": 0}],
    )
    done = rotate(acoustic, job_id)["file"]
    assert done["name"] == f"Événements_Email_{T0}_1.csv"
    data = (folder(acoustic) / done["name"]).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "Zoë".encode() in data
    assert "Müller".encode() not in data  # a custom column the job did not ask for
    download = acoustic.client.get(done["url"])
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert "filename*=utf-8''%C3%89v%C3%A9nements_Email_" in download.headers["content-disposition"]


def test_the_files_are_listed_newest_first_and_downloaded_as_written(several: Acoustic) -> None:
    csv_job = several.create()
    psv_job = job_with(several, exportFileFormat="PSV", exportFileName="Nightly")
    first = rotate(several, csv_job)["file"]
    second = rotate(several, psv_job)["file"]
    assert listed(several) == [second, first]
    assert listed(several, jobId=psv_job) == [second]
    assert listed(several, jobId=999) == []
    wrong = several.client.get(FILES, params={"jobId": "one"})
    assert wrong.status_code == 400
    assert wrong.json()["failures"][0]["field"] == "jobId"
    for file, media in ((first, "text/csv"), (second, "text/plain")):
        download = several.client.get(file["url"])
        assert download.status_code == 200
        assert download.headers["content-type"] == f"{media}; charset=utf-8"
        assert download.content == (folder(several) / file["name"]).read_bytes()
        assert len(download.content) == file["size"]


@pytest.mark.parametrize(
    "path",
    [
        f"{FILES}/{USER}/..%2F..%2Fsecret.csv",
        f"{FILES}/..%2F{USER}/secret.csv",
        f"{FILES}/%2E%2E/secret.csv",
        f"{FILES}/{USER}/.%2E",
        f"{FILES}/{USER}/never-written.csv",
        f"{FILES}/someone@example.com/Test_Email_Email_{T0}_1.csv",
    ],
)
def test_only_files_a_rotation_wrote_can_be_downloaded(acoustic: Acoustic, path: str) -> None:
    rotate(acoustic, acoustic.create())
    root = folder(acoustic).parent.parent
    (root / "secret.csv").write_text("TOP SECRET CONTENT")
    (root / USER / "secret.csv").write_text("TOP SECRET CONTENT")
    response = acoustic.client.get(path)
    assert response.status_code == 404
    assert "TOP SECRET" not in response.text


def test_a_file_removed_from_the_folder_is_a_404(acoustic: Acoustic) -> None:
    file = rotate(acoustic, acoustic.create())["file"]
    (folder(acoustic) / file["name"]).unlink()
    response = acoustic.client.get(file["url"])
    assert response.status_code == 404
    assert "no longer" in response.json()["failures"][0]["constraint"]


def test_a_full_reset_forgets_the_rotations_and_empties_the_folders(acoustic: Acoustic) -> None:
    name = rotate(acoustic, acoustic.create())["file"]["name"]
    assert acoustic.client.post("/_emulator/reset").status_code == 200
    assert listed(acoustic) == []
    assert not (folder(acoustic) / name).exists()


def test_without_empty_files_a_rotation_with_no_events_writes_none(acoustic_factory) -> None:
    acoustic = acoustic_factory(Settings(db=":memory:", acoustic_empty_files=False))
    job_id = acoustic.create()
    assert rotate(acoustic, job_id)["file"]["rows"] == 9
    nothing = rotate(acoustic, job_id)
    assert nothing["file"] is None
    assert nothing["trigger"] == "manual"
    assert len(listed(acoustic)) == 1
    assert len(list(folder(acoustic).iterdir())) == 1


def test_time_that_passes_by_itself_rotates_too(acoustic: Acoustic, clock: Clock) -> None:
    """The rotator looks every second; here the clock's source moves, not the control
    plane."""
    acoustic.create()
    clock.advance(3600)
    deadline = time.monotonic() + 10
    while not listed(acoustic) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [f["trigger"] for f in listed(acoustic)] == ["schedule"]


def test_an_unknown_or_malformed_job_id_is_a_404(acoustic: Acoustic) -> None:
    assert acoustic.client.post("/_emulator/acoustic/jobs/77/rotate").status_code == 404
    assert acoustic.client.post("/_emulator/acoustic/jobs/x/rotate").status_code == 404
    assert listed(acoustic) == []
