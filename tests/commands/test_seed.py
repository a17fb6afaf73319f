"""``python -m emulator seed``: into a database file before the server starts, and into a
running emulator; the same seed gives byte-identical rows either way, and the records are
then served by the Bulk API like any others."""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from emulator.cli import main as cli
from emulator.core.config import Settings
from emulator.testing import free_port, serve
from tests.conftest import ROOT

ARGS = [
    "--site",
    "Acme",
    "--contacts",
    "2000",
    "--accounts",
    "50",
    "--activities",
    "700",
    "--custom-objects",
    "60",
    "--seed",
    "42",
    "--quiet",
]
TABLES = ("contacts", "accounts", "activities", "object_records", "fields", "containers")
BULK = "/api/bulk/2.0"


def dump(path: Path, site: str = "Acme") -> dict[str, list[tuple]]:
    """A site's rows of each record and catalog table, as stored."""
    with sqlite3.connect(path) as conn:
        (site_id,) = conn.execute("SELECT id FROM sites WHERE name = ?", [site]).fetchone()
        return {
            table: conn.execute(
                f"SELECT * FROM {table} WHERE site_id = ? ORDER BY 1, 2, 3, 4", [site_id]
            ).fetchall()
            for table in TABLES
        }


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file that did not exist, seeded by the command."""
    path = tmp_path_factory.mktemp("seed") / "seeded.db"
    assert cli(["seed", *ARGS, "--db", str(path)]) == 0
    return path


def served(path: Path) -> AbstractContextManager[str]:
    return serve(Settings(db=str(path), sync_progression="immediate", log_level="warning"))


def test_a_new_file_holds_the_fixtures_and_the_seeded_records(seeded_file: Path) -> None:
    with sqlite3.connect(seeded_file) as conn:
        counts = dict(
            conn.execute(
                "SELECT 'contacts', count(*) FROM contacts WHERE site_id = 1 UNION ALL "
                "SELECT 'accounts', count(*) FROM accounts WHERE site_id = 1 UNION ALL "
                "SELECT 'activities', count(*) FROM activities WHERE site_id = 1 UNION ALL "
                "SELECT 'records', count(*) FROM object_records WHERE site_id = 1 "
                "AND family = 'customObjects' UNION ALL "
                "SELECT 'template', count(*) FROM contacts WHERE site_id = 0"
            ).fetchall()
        )
        emails = conn.execute(
            "SELECT count(DISTINCT email_key), count(*) FROM contacts WHERE site_id = 1"
        ).fetchone()
    # the site is the fixtures' copy (300 contacts, 60 accounts, ...) plus the seeded ones
    assert counts == {
        "contacts": 300 + 2000,
        "accounts": 60 + 50,
        "activities": 600 + 700,
        "records": 49 + 78 + 67 + 60,
        "template": 300,
    }
    assert emails == (2300, 2300)


def test_the_server_started_on_the_file_exports_the_seeded_contacts(seeded_file: Path) -> None:
    with sqlite3.connect(seeded_file) as conn:
        stored = {
            row[0]: (row[1], row[2])
            for row in conn.execute(
                "SELECT id, json_extract(fields, '$.C_EmailAddress'), "
                "json_extract(fields, '$.C_Country') FROM contacts WHERE site_id = 1 AND id > 300"
            )
        }
    with (
        served(seeded_file) as url,
        httpx.Client(base_url=url + BULK, auth=("Acme\\jane", "pw")) as bulk,
    ):
        created = bulk.post(
            "/contacts/exports",
            json={
                "name": "seeded",
                "fields": {
                    "id": "{{Contact.Id}}",
                    "email": "{{Contact.Field(C_EmailAddress)}}",
                    "country": "{{Contact.Field(C_Country)}}",
                },
                "filter": "'{{Contact.Id}}' > '300'",
            },
        )
        assert created.status_code == 201, created.text
        sync = bulk.post("/syncs", json={"syncedInstanceUri": created.json()["uri"]}).json()
        deadline = time.monotonic() + 30
        while (status := bulk.get(sync["uri"]).json()["status"]) not in ("success", "error"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert status == "success"
        page = bulk.get(sync["uri"] + "/data", params={"limit": 5000}).json()
    exported = {int(i["id"]): (i["email"], i["country"]) for i in page["items"]}
    assert page["totalResults"] == 2000
    assert exported == stored


def test_a_running_emulator_is_seeded_byte_for_byte_as_a_file(
    seeded_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "served.db"
    with served(path) as url:
        assert cli(["seed", *ARGS, "--url", url]) == 0
    assert dump(path) == dump(seeded_file)


def test_another_seed_gives_other_records(seeded_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = [*ARGS]
    other[other.index("--seed") + 1] = "43"
    assert cli(["seed", *other, "--db", str(path)]) == 0
    mine, theirs = dump(seeded_file), dump(path)
    assert mine["fields"] == theirs["fields"]  # the same catalog
    # the fixtures' copies are the same, every seeded record differs
    for table, copied in (("contacts", 300), ("accounts", 60), ("activities", 600)):
        assert len(set(mine[table]) & set(theirs[table])) == copied


def test_progress_goes_to_stderr_and_the_summary_to_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "small.db"
    assert cli(["seed", "--site", "Globex", "--contacts", "300", "--db", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "records" in err  # the bar
    assert out.startswith("Seeded site Globex (seed 0)")
    assert out.splitlines()[1].split() == ["contacts", "300", "ids", "301-600"]
    assert cli(["seed", "--site", "Globex", "--contacts", "10", "--db", str(path), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "ids 601-610" in out  # seeded again: the next free ids


def test_custom_object_records_need_a_site_with_custom_objects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures, ignore=shutil.ignore_patterns("customObjects"))
    path = tmp_path / "bare.db"
    argv = ["seed", "--site", "Acme", "--custom-objects", "5", "--quiet", "--db", str(path)]
    assert cli([*argv, "--fixtures", str(fixtures)]) == 1
    assert capsys.readouterr().err == "error: customObjects: The site has no custom objects.\n"


def test_a_refused_order_names_the_problem(capsys: pytest.CaptureFixture[str]) -> None:
    with serve() as url:
        assert cli(["seed", "--site", "A\\B", "--url", url]) == 1
    assert "site: Must be a non-empty site name" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli(["seed", "--site", "Acme", "--contacts", "-1", "--url", "http://127.0.0.1:9"])
    with pytest.raises(SystemExit):
        cli(["seed", "--site", "Acme", "--contacts", "5"])  # no target


def test_an_unreachable_emulator_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    assert cli(["seed", "--site", "Acme", "--contacts", "5", "--quiet", "--url", url]) == 1
    assert capsys.readouterr().err.startswith("error: ")


def test_an_emulator_with_a_control_token_is_seeded_with_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(db=":memory:", port=free_port(), log_level="warning", control_token="t0k")
    argv = ["seed", "--site", "Acme", "--contacts", "5", "--quiet"]
    with serve(settings) as url:
        assert cli([*argv, "--url", url]) == 1
        assert "error: Authorization: The control plane needs" in capsys.readouterr().err
        assert cli([*argv, "--url", url, "--control-token", "t0k"]) == 0
        assert "ids 301-305" in capsys.readouterr().out
        monkeypatch.setenv("ELOQUA_EMULATOR_CONTROL_TOKEN", "t0k")
        assert cli([*argv, "--url", url]) == 0
        assert "ids 306-310" in capsys.readouterr().out
