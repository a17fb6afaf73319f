"""What the Acoustic scenarios talk to, and the options that say so.

Without ``--acoustic-base-url`` they use the emulator: the Eloqua target's, when that is an
emulator (started in a thread, or a CI service), since one emulator serves both services;
otherwise one started in a thread. With it, a base URL that answers ``/_emulator/health``
is an emulator and anything else a pod (``--acoustic-target`` overrides the guess). On a
pod the application's ``client_id``/``client_secret`` and an Org Admin's refresh token are
needed, and the job definitions are made on ``--acoustic-contact-source-id`` (a database of
the org) for ``--acoustic-ftp-user`` (an Org Admin who has logged in to FTP once): the
example body of Acoustic's page names ids of Acoustic's own, which the emulator's fixtures
reproduce.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx
import pytest

# The emulator's seed (fixtures/acoustic/)
EMULATOR_CLIENT_ID = "acoustic-emulator-client"
EMULATOR_CLIENT_SECRET = "acoustic-emulator-secret"
EMULATOR_REFRESH_TOKEN = "acoustic-refresh-org-admin"


@dataclass(frozen=True)
class AcousticTarget:
    base_url: str
    kind: str  # "emulator" or "pod"
    client_id: str
    client_secret: str
    refresh_token: str
    contact_source_id: str | None  # None: the example body's own
    ftp_user: str | None  # None: the example body's own
    columns: tuple[str, ...] | None  # None: the example body's own

    @property
    def is_emulator(self) -> bool:
        return self.kind == "emulator"


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("acoustic", "Acoustic Campaign BEX contract suite")
    env = os.environ.get
    group.addoption(
        "--acoustic-base-url",
        default=env("ACOUSTIC_BASE_URL") or None,
        help="API origin of an Acoustic pod, e.g. https://api-campaign-us-1.goacoustic.com "
        "(default: the emulator)",
    )
    group.addoption(
        "--acoustic-target",
        choices=("auto", "emulator", "pod"),
        default=env("ACOUSTIC_TARGET") or "auto",
        help="what --acoustic-base-url is (default auto: an emulator if it answers "
        "/_emulator/health)",
    )
    group.addoption(
        "--acoustic-client-id",
        default=env("ACOUSTIC_CLIENT_ID") or None,
        help="the application's client_id (env ACOUSTIC_CLIENT_ID)",
    )
    group.addoption(
        "--acoustic-client-secret",
        default=env("ACOUSTIC_CLIENT_SECRET") or None,
        help="the application's client_secret (env ACOUSTIC_CLIENT_SECRET)",
    )
    group.addoption(
        "--acoustic-refresh-token",
        default=env("ACOUSTIC_REFRESH_TOKEN") or None,
        help="an Org Admin's refresh token (env ACOUSTIC_REFRESH_TOKEN)",
    )
    group.addoption(
        "--acoustic-contact-source-id",
        default=env("ACOUSTIC_CONTACT_SOURCE_ID") or None,
        help="on a pod: the database to define jobs on (env ACOUSTIC_CONTACT_SOURCE_ID)",
    )
    group.addoption(
        "--acoustic-ftp-user",
        default=env("ACOUSTIC_FTP_USER") or None,
        help="on a pod: an Org Admin with an FTP folder, for ftpUserId (env ACOUSTIC_FTP_USER)",
    )
    group.addoption(
        "--acoustic-columns",
        default=env("ACOUSTIC_COLUMNS") or None,
        help="on a pod: custom columns of that database to export, comma-separated (default: none)",
    )


def acoustic_kind(config: pytest.Config) -> str:
    """``emulator`` or ``pod``, decided once."""
    known: str | None = getattr(config, "_acoustic_target_kind", None)
    if known is not None:
        return known
    base_url = config.getoption("--acoustic-base-url")
    kind = config.getoption("--acoustic-target")
    if not base_url:
        kind = "emulator"
    elif kind == "auto":
        kind = "emulator" if answers_health(base_url) else "pod"
    config._acoustic_target_kind = kind  # type: ignore[attr-defined]
    return str(kind)


def answers_health(base_url: str) -> bool:
    try:
        response = httpx.get(base_url.rstrip("/") + "/_emulator/health", timeout=3)
        return response.status_code == 200 and response.json().get("status") == "ready"
    except (httpx.HTTPError, ValueError, AttributeError):
        return False


def resolve(config: pytest.Config, base_url: str) -> AcousticTarget:
    """The target at ``base_url`` (an emulator's, or the pod the options name)."""
    kind = acoustic_kind(config)
    option = config.getoption
    if kind == "emulator":
        return AcousticTarget(
            base_url,
            kind,
            option("--acoustic-client-id") or EMULATOR_CLIENT_ID,
            option("--acoustic-client-secret") or EMULATOR_CLIENT_SECRET,
            option("--acoustic-refresh-token") or EMULATOR_REFRESH_TOKEN,
            option("--acoustic-contact-source-id"),
            option("--acoustic-ftp-user"),
            _columns(option("--acoustic-columns")),
        )
    missing = [
        name
        for name in ("--acoustic-client-id", "--acoustic-client-secret", "--acoustic-refresh-token")
        if not option(name)
    ]
    if missing:
        raise pytest.UsageError(f"--acoustic-base-url of a pod needs {', '.join(missing)}")
    return AcousticTarget(
        base_url,
        kind,
        option("--acoustic-client-id"),
        option("--acoustic-client-secret"),
        option("--acoustic-refresh-token"),
        option("--acoustic-contact-source-id"),
        option("--acoustic-ftp-user"),
        _columns(option("--acoustic-columns")) or (),
    )


def _columns(text: str | None) -> tuple[str, ...] | None:
    if not text:
        return None
    return tuple(name.strip() for name in text.split(",") if name.strip())
