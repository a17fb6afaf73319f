"""Settings, their environment variables and the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from emulator.cli import parser, settings_from
from emulator.core.config import Settings
from tests.conftest import ROOT


def test_defaults_are_the_documented_ones() -> None:
    settings = Settings()
    assert (settings.host, settings.port, settings.db) == ("127.0.0.1", 8080, "eloqua-emulator.db")
    assert settings.fixtures == ROOT / "fixtures"
    assert settings.sync_progression == "polls:1"
    assert not settings.strict_auth


def test_every_option_reads_its_environment_variable() -> None:
    environ = {
        "ELOQUA_EMULATOR_HOST": "0.0.0.0",
        "ELOQUA_EMULATOR_PORT": "9001",
        "ELOQUA_EMULATOR_DB": ":memory:",
        "ELOQUA_EMULATOR_FIXTURES": "/tmp/fx",
        "ELOQUA_EMULATOR_SYNC_PROGRESSION": "immediate",
        "ELOQUA_EMULATOR_LOG_LEVEL": "debug",
        "ELOQUA_EMULATOR_USERS": "/tmp/users.json",
        "ELOQUA_EMULATOR_TOKEN_TTL": "60",
        "ELOQUA_EMULATOR_DEFAULT_SITE": "S",
        "ELOQUA_EMULATOR_DEFAULT_USER": "u",
        "ELOQUA_EMULATOR_SYNC_CHUNK": "500",
        "ELOQUA_EMULATOR_CALLBACK_TIMEOUT": "2.5",
        "ELOQUA_EMULATOR_OUTBOUND_ALLOW": "receiver:8080,*.ci.internal",
        "ELOQUA_EMULATOR_HEADER_TIMEOUT": "3",
        "ELOQUA_EMULATOR_BODY_TIMEOUT": "30.5",
        "ELOQUA_EMULATOR_IDLE_TIMEOUT": "2",
        "ELOQUA_EMULATOR_HEADER_MAX_KB": "16",
        "ELOQUA_EMULATOR_STAGING_QUOTA_KB": "2048",
        "ELOQUA_EMULATOR_EXPORT_RETENTION": "PT12H",
        "ELOQUA_EMULATOR_PROXY_PORT": "8081",
        "ELOQUA_EMULATOR_CA_DIR": "/tmp/ca",
        "ELOQUA_EMULATOR_SNAPSHOTS_DIR": "/tmp/snapshots",
        "ELOQUA_EMULATOR_ALLOWED_HOSTS": "eloqua,*.ci.internal",
        "ELOQUA_EMULATOR_CONTROL_TOKEN": "s3cret-token",
        "ELOQUA_EMULATOR_FAULTS": "/tmp/faults.json",
        "ELOQUA_EMULATOR_JOURNAL_SIZE": "50",
        "ELOQUA_EMULATOR_LOG_FORMAT": "json",
        "ELOQUA_EMULATOR_ACOUSTIC_FTP_ROOT": "/tmp/acoustic-ftp",
    }
    settings = Settings.from_env(environ)
    assert settings.control_token == "s3cret-token"  # read, though never shown
    assert settings.describe() == {
        "host": "0.0.0.0",
        "port": "9001",
        "db": ":memory:",
        "fixtures": "/tmp/fx",
        "sync_progression": "immediate",
        "log_level": "debug",
        "users": "/tmp/users.json",
        "token_ttl": "60",
        "default_site": "S",
        "default_user": "u",
        "sync_chunk": "500",
        "callback_timeout": "2.5",
        "outbound_allow": "receiver:8080,*.ci.internal",
        "header_timeout": "3.0",
        "body_timeout": "30.5",
        "idle_timeout": "2.0",
        "header_max_kb": "16",
        "staging_quota_kb": "2048",
        "export_retention": "PT12H",
        "proxy_port": "8081",
        "ca_dir": "/tmp/ca",
        "snapshots_dir": "/tmp/snapshots",
        "allowed_hosts": "eloqua,*.ci.internal",
        "control_token": "(set, hidden)",
        "faults": "/tmp/faults.json",
        "journal_size": "50",
        "log_format": "json",
        "acoustic_ftp_root": "/tmp/acoustic-ftp",
    }
    names = {name for name, _, _ in Settings.options()}
    assert {key.removeprefix("ELOQUA_EMULATOR_").lower() for key in environ} == names


def test_command_line_wins_over_environment() -> None:
    settings = settings_from(
        ["--port", "7000", "--db", ":memory:"],
        {"ELOQUA_EMULATOR_PORT": "9001", "ELOQUA_EMULATOR_HOST": "::1"},
    )
    assert (settings.port, settings.db, settings.host) == (7000, ":memory:", "::1")


def test_help_documents_every_option_and_its_variable() -> None:
    text = parser({}).format_help()
    for name, _, _ in Settings.options():
        assert "--" + name.replace("_", "-") in text
        assert "ELOQUA_EMULATOR_" + name.upper() in re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("sync_progression", "sometimes"),
        ("sync_progression", "polls:0"),
        ("port", 70000),
        ("log_level", "loud"),
        ("token_ttl", 0),
        ("callback_timeout", 0.0),
        ("sync_chunk", 0),
        ("allowed_hosts", "eloqua, evil example"),
        ("allowed_hosts", "eloqua.*"),
        ("outbound_allow", "http://receiver/hook"),
        ("control_token", "two words"),
    ],
)
def test_bad_settings_are_refused(name, value) -> None:
    with pytest.raises(ValueError, match=name):
        Settings(**{name: value})


def test_bad_environment_integers_are_refused() -> None:
    with pytest.raises(ValueError, match="ELOQUA_EMULATOR_PORT"):
        Settings.from_env({"ELOQUA_EMULATOR_PORT": "eighty"})


def test_the_readme_documents_every_option() -> None:
    readme = (ROOT / "README.md").read_text()
    for name, _, _ in Settings.options():
        assert "--" + name.replace("_", "-") in readme
        assert "ELOQUA_EMULATOR_" + name.upper() in readme


def test_users_file_must_be_well_formed(tmp_path: Path) -> None:
    from emulator.domain.directory import DirectoryError, load_directory

    bad = tmp_path / "users.json"
    for text in (
        "not json",
        '{"users": [{"site": "A"}]}',
        '{"users": 3}',
        '{"clients": [{"client_id": "x"}]}',
    ):
        bad.write_text(text)
        with pytest.raises(DirectoryError):
            load_directory(bad)
