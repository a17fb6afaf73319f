"""Tokens at rest: the database file holds the digest of every access token, refresh token
and authorization code (Eloqua's and Acoustic's), never the token; presented tokens still
work, and so do those a database stored in clear before the upgrade."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from starlette.testclient import TestClient

from emulator import Settings, create_app
from emulator.acoustic import oauth as acoustic_oauth
from emulator.acoustic import store as acoustic_store
from emulator.core.redaction import token_digest
from emulator.domain import identity
from emulator.store import Store
from emulator.store import identity as rows
from emulator.store.db import open_database
from emulator.store.migrations import migrations
from tests.acoustic.helpers import ADMIN, CLIENT_ID, JOBS, TOKEN, token_params
from tests.conftest import LOCAL, bearer

ELOQUA_TOKEN = "/auth/oauth2/token"
CLIENT = ("app-id", "app-secret")
PASSWORD = {"grant_type": "password", "username": "Acme\\jane", "password": "pw"}
NOW = 1_800_000_000.0


def on_disk(path: Path) -> bytes:
    """The database file with its WAL, as anyone who copies them would read them."""
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_granted_tokens_are_stored_as_digests_and_still_work(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    with TestClient(create_app(Settings(db=str(path))), base_url=LOCAL) as client:
        granted = client.post(ELOQUA_TOKEN, auth=CLIENT, data=PASSWORD).json()
        location = client.get(
            "/auth/oauth2/authorize",
            params={
                "client_id": "app-id",
                "redirect_uri": "https://app.example/cb",
                "response_type": "code",
            },
            headers={"Authorization": "Basic QWNtZVxqYW5lOnB3"},  # Acme\jane:pw
            follow_redirects=False,
        ).headers["location"]
        code = parse_qs(urlsplit(location).query)["code"][0]
        acoustic = client.post(TOKEN, data=token_params()).json()

        stored = on_disk(path)
        for secret in (
            granted["access_token"],
            granted["refresh_token"],
            code,
            acoustic["access_token"],
            ADMIN,
        ):
            assert secret.encode() not in stored, secret
        assert token_digest(granted["access_token"]).encode() in stored

        assert client.get("/id", headers=bearer(granted["access_token"])).status_code == 200
        assert client.get(JOBS, headers=bearer(acoustic["access_token"])).status_code == 200
        again = client.post(TOKEN, data=token_params()).json()
        assert again["access_token"] == acoustic["access_token"]  # within three hours
        refreshed = client.post(
            ELOQUA_TOKEN,
            auth=CLIENT,
            data={"grant_type": "refresh_token", "refresh_token": granted["refresh_token"]},
        )
        assert refreshed.status_code == 200
        assert (
            client.get("/id", headers=bearer(refreshed.json()["access_token"])).status_code == 200
        )
        redeemed = client.post(
            ELOQUA_TOKEN,
            auth=CLIENT,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": "https://app.example/cb",
            },
        )
        assert redeemed.status_code == 200
        once_more = client.post(
            ELOQUA_TOKEN,
            auth=CLIENT,
            data={"grant_type": "refresh_token", "refresh_token": granted["refresh_token"]},
        )
        assert once_more.status_code == 401  # rotated: the old refresh token is retired


def test_tokens_a_database_stored_in_clear_are_hashed_and_keep_working(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = open_database(str(path))
    migrations.apply(old, stop_before="m021_tokens_hashed")
    with old.conn:
        old.execute("INSERT INTO sites (id, name, created_at) VALUES (1, 'Acme', 'x')")
        old.execute(
            "INSERT INTO users (id, site_id, username, display_name, first_name, last_name, "
            "email_address, created_at) VALUES (7, 1, 'jane', 'J', 'J', 'D', 'j@x', 'x')"
        )
        for token, kind in (("old-access", "access"), ("old-refresh", "refresh")):
            old.execute(
                "INSERT INTO tokens (token, kind, user_id, client_id, redirect_uri, expires_at) "
                "VALUES (?, ?, 7, 'app-id', NULL, ?)",
                [token, kind, NOW + 3600],
            )
        old.execute("INSERT INTO acoustic_orgs (id, name) VALUES (1, 'Org')")
        old.execute(
            "INSERT INTO acoustic_applications VALUES (?, 1, 'secret', 'BEX client')", [CLIENT_ID]
        )
        old.execute("INSERT INTO acoustic_users VALUES (101, 1, 'user@example.com', 1, 1)")
        old.execute(
            "INSERT INTO acoustic_refresh_tokens VALUES ('old-acoustic-refresh', ?, 101, 0)",
            [CLIENT_ID],
        )
        old.execute(
            "INSERT INTO acoustic_access_tokens VALUES ('old-acoustic-access', ?, 101, ?, ?)",
            [CLIENT_ID, NOW, NOW + 3600],
        )
    old.close()

    store = Store(str(path))  # applies the migration
    try:
        principal, _ = store.read_sync(identity.principal_for_token, "old-access", NOW)
        assert (principal.site_name, principal.username) == ("Acme", "jane")
        assert store.read_sync(rows.find_token, "old-refresh", "refresh") is not None
        caller = store.read_sync(acoustic_oauth.caller, "old-acoustic-access", NOW)
        assert caller.user.email == "user@example.com"
        assert (
            store.read_sync(acoustic_store.refresh_grant, "old-acoustic-refresh", CLIENT_ID) == 101
        )
    finally:
        store.close()
    stored = on_disk(path)
    for secret in (b"old-access", b"old-refresh", b"old-acoustic-refresh", b"old-acoustic-access"):
        assert secret not in stored, secret
