"""``fixtures/acoustic/`` into the Acoustic tables: loaded at start, loaded again when the
files change (definitions kept), forgotten and reloaded by a full reset."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from emulator.acoustic import seed, store
from emulator.seed import FixtureError
from emulator.store import Store
from tests.acoustic.helpers import (
    CONTACT_LIST,
    DATABASE,
    JOBS,
    QUERY,
    TOKEN,
    Acoustic,
    signed_in,
    token_params,
)
from tests.conftest import basic

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NOW = 1_800_000_000.0  # after the seeded events


def test_the_fixtures_give_the_orgs_users_sources_columns_and_contacts(acoustic: Acoustic) -> None:
    read = acoustic.state.db.read_sync
    admin = read(store.user_by_email, "User@Example.com")
    assert admin == store.User(101, 1, "user@example.com", True, True)
    without_ftp = read(store.user_by_email, "admin.without.ftp@example.com")
    analyst = read(store.user_by_email, "analyst@example.com")
    assert without_ftp == store.User(102, 1, "admin.without.ftp@example.com", True, False)
    assert analyst == store.User(103, 1, "analyst@example.com", False, True)
    kinds = {s.id: (s.kind, s.database_id) for s in read(store.contact_sources, 1)}
    assert kinds[DATABASE] == ("database", DATABASE)
    assert kinds[CONTACT_LIST] == ("contact_list", DATABASE)
    assert kinds[QUERY] == ("query", DATABASE)
    assert 900001 not in kinds  # another org's
    assert read(store.column_names, DATABASE) == [
        "column1",
        "First Name",
        "Last Name",
        "Country",
        "City",
        "Loyalty Tier",
    ]
    contacts = read(store.contacts, DATABASE)
    assert [c.id for c in contacts] == list(range(2400001, 2400007))
    assert contacts[3].fields["City"] == "Washington, D.C."
    assert read(store.contact, DATABASE, 2400005) == contacts[4]


def test_a_full_reset_forgets_definitions_and_tokens_and_reloads_the_fixtures(
    acoustic: Acoustic,
) -> None:
    acoustic.create()
    assert acoustic.client.post("/_emulator/reset").status_code == 200
    assert acoustic.client.get(JOBS, headers=acoustic.headers).status_code == 401
    again = signed_in(acoustic.client)
    assert again.client.get(JOBS, headers=again.headers).json()["data"] == []
    assert again.create() == 1  # ids start again
    assert len(again.state.db.read_sync(store.contacts, DATABASE)) == 6


def test_resetting_one_eloqua_site_leaves_acoustic_alone(acoustic: Acoustic) -> None:
    job_id = acoustic.create()
    assert acoustic.client.get("/id", headers=basic()).status_code == 200  # site Acme
    response = acoustic.client.post("/_emulator/reset", json={"site": "Acme"})
    assert response.status_code == 200
    assert acoustic.get(job_id).status_code == 200


def copy_fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target


def test_changed_fixtures_are_loaded_again_at_start_and_definitions_stay(
    client_factory, settings_factory, tmp_path: Path
) -> None:
    fixtures = copy_fixtures(tmp_path)
    settings = settings_factory(db=str(tmp_path / "e.db"), fixtures=fixtures)
    first = signed_in(client_factory(settings))
    job_id = first.create()
    first.client.__exit__(None, None, None)

    users = fixtures / "acoustic" / "users.json"
    data = orjson.loads(users.read_bytes())
    data.append(
        {
            "id": 104,
            "orgId": 1,
            "email": "new@example.com",
            "isOrgAdmin": True,
            "hasFtpFolder": True,
        }
    )
    users.write_bytes(orjson.dumps(data))
    second = signed_in(client_factory(settings))
    assert second.get(job_id).status_code == 200
    assert second.state.db.read_sync(store.user_by_email, "new@example.com") is not None


def test_unchanged_fixtures_are_not_loaded_again(tmp_path: Path) -> None:
    db = Store(":memory:")
    try:
        assert db.write_sync(seed.ensure_loaded, FIXTURES, NOW) is True
        assert db.write_sync(seed.ensure_loaded, FIXTURES, NOW) is False
    finally:
        db.close()


def test_without_an_acoustic_folder_there_is_no_org(client_factory, settings_factory, tmp_path):
    fixtures = copy_fixtures(tmp_path)
    shutil.rmtree(fixtures / "acoustic")
    client = client_factory(settings_factory(fixtures=fixtures))
    response = client.post(TOKEN, data=token_params())
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("users.json", b"{not json", "users.json"),
        ("users.json", b'{"id": 1}', "expected a JSON array of objects"),
        ("users.json", b'[{"id": 1}]', "KeyError"),
        ("contactSources.json", b'[{"id": 1, "orgId": 1, "name": "x", "kind": "segment"}]', "kind"),
        ("contacts.jsonl", b"[1]\n", "contacts.jsonl:1: expected a JSON object"),
    ],
)
def test_a_malformed_fixture_names_its_file(tmp_path: Path, name, content, problem) -> None:
    fixtures = copy_fixtures(tmp_path)
    (fixtures / "acoustic" / name).write_bytes(content)
    db = Store(":memory:")
    try:
        with pytest.raises(FixtureError, match=problem) as raised:
            db.write_sync(seed.ensure_loaded, fixtures, NOW)
        assert name in str(raised.value)
    finally:
        db.close()
