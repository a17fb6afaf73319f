"""Opening the database file: any path names that file, whatever characters it holds, and
a new file (with its WAL and shared-memory files) is readable by its owner alone."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from starlette.testclient import TestClient

from emulator import Settings, create_app
from emulator.store import Store
from emulator.store.db import open_database, uri_of

# characters a URI gives a meaning to (fragment, query, escape), a space and non-ASCII
AWKWARD = "a#b?c%d e-é.db"


@contextlib.contextmanager
def usual_umask() -> Iterator[None]:
    """The usual umask (022), which makes new files world-readable unless told otherwise."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_reader_opens_the_file_the_writer_writes_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / AWKWARD
    store = Store(str(path))
    try:

        async def scenario() -> tuple[str, str]:
            await store.write(lambda db: db.execute("INSERT INTO meta VALUES ('k', 'v')"))
            threaded = await store.read(
                lambda db: db.execute("SELECT value FROM meta WHERE key = 'k'").fetchone()[0]
            )
            small = await store.read_small(
                lambda db: db.execute("SELECT value FROM meta WHERE key = 'k'").fetchone()[0]
            )
            return threaded, small

        assert anyio.run(scenario) == ("v", "v")
    finally:
        store.close()
    # the database and its WAL companions, nothing a misread name would have made
    assert {p.name for p in tmp_path.iterdir()} <= {AWKWARD, AWKWARD + "-wal", AWKWARD + "-shm"}


def test_a_path_that_looks_like_a_uri_is_a_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = open_database("file:x.db?mode=memory")
    try:
        db.execute("CREATE TABLE t (x)")
    finally:
        db.close()
    assert (tmp_path / "file:x.db?mode=memory").is_file()


def test_the_uri_escapes_what_sqlite_would_read_as_uri_syntax(tmp_path: Path) -> None:
    uri = uri_of(str(tmp_path / AWKWARD), readonly=True)
    assert uri.startswith("file:///")
    assert uri.endswith("?mode=ro")
    assert "a%23b%3Fc%25d%20e-%C3%A9.db" in uri


def test_an_app_on_such_a_path_answers_health(tmp_path: Path) -> None:
    path = tmp_path / AWKWARD
    with TestClient(create_app(Settings(db=str(path))), base_url="http://localhost") as client:
        response = client.get("/_emulator/health")
        assert response.status_code == 200
        assert response.json()["status"] == "ready"
        assert response.json()["store"] == str(path)
    assert path.is_file()
    assert not (tmp_path / "a").exists()  # what "file:…/a#b…" names


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with usual_umask():
        store = Store(str(path))
    try:
        store.write_sync(lambda db: db.execute("INSERT INTO meta VALUES ('k', 'v')"))
        created = [p for p in tmp_path.iterdir() if p.name.startswith("new.db")]
        assert {p.name for p in created} >= {"new.db", "new.db-wal", "new.db-shm"}
        assert {p.name: mode(p) for p in created} == {p.name: 0o600 for p in created}
    finally:
        store.close()


def test_an_existing_database_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    with usual_umask():
        Store(str(path)).close()
        path.chmod(0o640)  # its owner chose to share it with the group
        Store(str(path)).close()
    assert mode(path) == 0o640
