"""Loading fixtures into the template site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from emulator import seed
from emulator.store import Store, catalog, records
from tests.conftest import ROOT


@pytest.fixture
def store():
    store = Store(":memory:")
    yield store
    store.close()


def test_loading_is_idempotent_for_the_same_fixtures(store) -> None:
    assert store.write_sync(seed.ensure_loaded, ROOT / "fixtures", 0.0) is True
    assert store.write_sync(seed.ensure_loaded, ROOT / "fixtures", 0.0) is False
    assert store.read_sync(records.count, "contacts", 0) == 300


def test_changed_fixtures_replace_the_template(store, tmp_path: Path) -> None:
    copy = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", copy)
    store.write_sync(seed.ensure_loaded, copy, 0.0)
    (copy / "contacts" / "records.jsonl").write_text(
        '{"id": 1, "createdAt": "2024-01-01T00:00:00.0000000Z", '
        '"updatedAt": "2024-01-01T00:00:00.0000000Z", "fields": {"C_FirstName": "Ünal"}}\n'
    )
    assert store.write_sync(seed.ensure_loaded, copy, 0.0) is True
    assert store.read_sync(records.count, "contacts", 0) == 1


def test_a_malformed_fixture_names_its_file_and_line(store, tmp_path: Path) -> None:
    copy = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", copy)
    with (copy / "accounts" / "records.jsonl").open("a") as handle:
        handle.write("{broken\n")
    with pytest.raises(seed.FixtureError, match=r"accounts/records.jsonl:61"):
        store.write_sync(seed.ensure_loaded, copy, 0.0)
    assert store.read_sync(records.count, "accounts", 0) == 0


def test_missing_files_mean_empty_catalogs(store, tmp_path: Path) -> None:
    store.write_sync(seed.ensure_loaded, tmp_path, 0.0)
    assert store.read_sync(catalog.get_field, 0, "contacts", 0, 100001) is None


def test_a_missing_directory_is_an_error(store, tmp_path: Path) -> None:
    with pytest.raises(seed.FixtureError, match="does not exist"):
        store.write_sync(seed.ensure_loaded, tmp_path / "nope", 0.0)
