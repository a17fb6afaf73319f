"""Settings: every default and limit in one frozen object.

Built once, by the CLI or by :meth:`Settings.from_env`, and passed to ``create_app``;
nothing reads the environment at import time, so two apps with different settings can
live in one process.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from emulator.core import control_access, hosts, outbound

__version__ = "0.1.0"

ENV_PREFIX = "ELOQUA_EMULATOR_"
MEMORY = ":memory:"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
LOG_FORMATS = ("text", "json")
_PROGRESSION = re.compile(r"^(immediate|manual|polls:[1-9]\d{0,3}|seconds:\d+(\.\d+)?)$")


def bundled_path(name: str) -> Path:
    """Where the bundled ``fixtures``/``openapi`` live: inside the wheel, or in the checkout."""
    package = Path(__file__).resolve().parent.parent  # emulator/
    inside = package / f"_{name}"
    return inside if inside.is_dir() else package.parent / name


def default_ca_dir() -> Path:
    """``$XDG_DATA_HOME/eloqua-emulator/ca``: one CA per user, trusted once, whatever the
    database; read from the environment when a :class:`Settings` is made, not at import."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "eloqua-emulator" / "ca"


@dataclass(frozen=True)
class Settings:
    """The emulator's configuration; each option also reads ``ELOQUA_EMULATOR_<NAME>``."""

    host: str = field(default="127.0.0.1", metadata={"help": "interface to bind"})
    port: int = field(default=8080, metadata={"help": "TCP port"})
    db: str = field(
        default="eloqua-emulator.db",
        metadata={"help": "SQLite file, or ':memory:' for a store that ends with the process"},
    )
    fixtures: Path = field(
        default_factory=lambda: bundled_path("fixtures"),
        metadata={"help": "directory of seed data loaded into every new site"},
    )
    sync_progression: str = field(
        default="polls:1",
        metadata={
            "help": "what polling clients see: immediate, polls:N (advance one state every N "
            "reads), seconds:S, or manual (advanced through /_emulator)"
        },
    )
    log_level: str = field(default="info", metadata={"help": "one of " + ", ".join(LOG_LEVELS)})
    users: Path | None = field(
        default=None,
        metadata={
            "help": "JSON file of users (site, user, password) and OAuth clients; turns on "
            "strict authentication. Without it any well-formed credentials are accepted"
        },
    )
    token_ttl: int = field(default=28800, metadata={"help": "OAuth access token lifetime, seconds"})
    default_site: str = field(
        default="EmulatorSite",
        metadata={
            "help": "site of users signed in without naming one "
            "(OAuth authorize, client_credentials)"
        },
    )
    default_user: str = field(
        default="emulator.user", metadata={"help": "user name that goes with --default-site"}
    )

    sync_chunk: int = field(
        default=25_000,
        metadata={
            "help": "rows a sync applies (or records an export writes) per transaction: "
            "other writes and other syncs wait for one chunk at most"
        },
    )
    callback_timeout: float = field(
        default=10.0,
        metadata={
            "help": "seconds a sync callback or AppCloud notification may take in all "
            "(connect, send, answer) before it is recorded as unanswered"
        },
    )
    outbound_allow: str = field(
        default="",
        metadata={
            "help": "hosts sync callbacks and AppCloud notifications may call besides "
            "loopback, comma-separated shell-style patterns with an optional port "
            "('*.example.com', 'receiver:8080', '*' for any). Default: any host when --host "
            "is a loopback interface, loopback hosts only otherwise. A call to another host "
            "is not made and is recorded as its answer"
        },
    )
    header_timeout: float = field(
        default=10.0,
        metadata={
            "help": "seconds a client has to send a request's line and headers, from its "
            "first byte (and to start one on a new connection); then a 408 and the "
            "connection closes"
        },
    )
    body_timeout: float = field(
        default=60.0,
        metadata={
            "help": "seconds a client has to send a request's whole body once its headers "
            "are in; then a 408 and the connection closes"
        },
    )
    idle_timeout: float = field(
        default=5.0,
        metadata={"help": "seconds a kept-alive connection may wait for its next request"},
    )
    header_max_kb: int = field(
        default=64,
        metadata={
            "help": "KB a request line or its headers may take; over it a 414 (line) or "
            "431 (headers) and the connection closes"
        },
    )
    staging_quota_kb: int = field(
        default=0,
        metadata={
            "help": "KB of staged data a site may hold; an upload beyond it is a 413 "
            '"Storage space exceeded." (0: no limit, which a pod reports as kbAllowed 0)'
        },
    )
    export_retention: str = field(
        default="PT6H",
        metadata={
            "help": "dataRetentionDuration of export definitions that set none: PT6H since "
            "Eloqua 24A, PT12H before"
        },
    )

    proxy_port: int = field(
        default=0,
        metadata={
            "help": "also answer as an HTTP(S) proxy for *.eloqua.com on this port, for "
            "clients that hard-code Eloqua's hosts (0: no proxy); other hosts get a 403"
        },
    )
    ca_dir: Path = field(
        default_factory=lambda: default_ca_dir(),
        metadata={
            "help": "where the proxy keeps its certificate authority (ca.pem, made on first "
            "use) and the host certificates it signs"
        },
    )
    snapshots_dir: Path | None = field(
        default=None,
        metadata={
            "help": "directory of the named snapshots of /_emulator/snapshots (default: "
            "<db>.snapshots beside the database file; for ':memory:' a temporary directory "
            "removed at shutdown)"
        },
    )

    allowed_hosts: str = field(
        default="",
        metadata={
            "help": "more Host names to answer, comma-separated (a CI service name, "
            "'*.example.test' for a domain's names, '*' for any), besides localhost, "
            "127.0.0.1, [::1], eloqua.com, *.eloqua.com, Acoustic's *.goacoustic.com, "
            "*.ibmmarketingcloud.com and *.silverpop.com and the --host interface: any other "
            "name gets a 400 (a guard against DNS rebinding)"
        },
    )
    control_token: str = field(
        default="",
        repr=False,
        metadata={
            "help": "when set, every /_emulator/ request but GET /_emulator/health needs "
            "Authorization: Bearer TOKEN (for a port others can reach); never printed"
        },
    )

    faults: Path | None = field(
        default=None,
        metadata={
            "help": "JSON file of fault rules (an array of what POST /_emulator/faults "
            "takes), in force from the start"
        },
    )
    journal_size: int = field(
        default=1000,
        metadata={"help": "requests the journal (GET /_emulator/requests) keeps; 0 keeps none"},
    )
    log_format: str = field(
        default="text",
        metadata={
            "help": "log lines: text, or json (one object a line on stderr: time, level, "
            "request id, and method, path, status and duration for each request)"
        },
    )

    acoustic_ftp_root: Path | None = field(
        default=None,
        metadata={
            "help": "directory of the Acoustic FTP folders BEX rotations write to, "
            "<root>/<ftpUserId>/download/ (default: <db>.acoustic-ftp beside the database "
            "file; for ':memory:' a temporary directory removed at shutdown)"
        },
    )

    # Acoustic BEX: refuse a second job definition for a database that has one (the
    # emulator's reading of Acoustic's docs, reference §2.1); False allows several. A
    # switch for code and tests, not a command-line option.
    acoustic_one_job_per_source: bool = True
    # Acoustic BEX: a rotation with no events writes a file with the header alone (the
    # emulator's choice, reference §8); False writes none. Not a command-line option.
    acoustic_empty_files: bool = True

    # Eloqua's limits (reference §3.2, §13.3); not options.
    list_limit_max: int = 1000
    data_limit_max: int = 50000
    upload_max_bytes: int = 32 * 1024 * 1024

    def __post_init__(self) -> None:
        problems = []
        if not 0 <= self.port <= 65535:
            problems.append(f"port must be 0-65535, not {self.port}")
        if not 0 <= self.proxy_port <= 65535:
            problems.append(f"proxy_port must be 0-65535, not {self.proxy_port}")
        if not _PROGRESSION.match(self.sync_progression):
            problems.append(
                "sync_progression must be immediate, manual, polls:N or seconds:S, "
                f"not {self.sync_progression!r}"
            )
        if self.log_level not in LOG_LEVELS:
            problems.append(f"log_level must be one of {', '.join(LOG_LEVELS)}")
        if self.export_retention not in ("PT6H", "PT12H"):
            problems.append("export_retention must be PT6H or PT12H")
        if self.token_ttl <= 0:
            problems.append("token_ttl must be positive")
        if self.sync_chunk <= 0:
            problems.append("sync_chunk must be positive")
        if not self.callback_timeout > 0:
            problems.append("callback_timeout must be positive")
        try:
            outbound.parse_patterns(self.outbound_allow)
        except ValueError as exc:
            problems.append(str(exc))
        for name in ("header_timeout", "body_timeout", "idle_timeout"):
            if not getattr(self, name) > 0:
                problems.append(f"{name} must be positive")
        if not 1 <= self.header_max_kb <= 1024:
            problems.append("header_max_kb must be 1-1024")
        if self.staging_quota_kb < 0:
            problems.append("staging_quota_kb must be 0 (no limit) or more")
        try:
            hosts.parse_names(self.allowed_hosts)
        except ValueError as exc:
            problems.append(str(exc))
        if self.control_token and not control_access.TOKEN.fullmatch(self.control_token):
            problems.append("control_token must be printable ASCII without spaces")
        if not 0 <= self.journal_size <= 1_000_000:
            problems.append("journal_size must be 0-1000000")
        if self.log_format not in LOG_FORMATS:
            problems.append(f"log_format must be one of {', '.join(LOG_FORMATS)}")
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def strict_auth(self) -> bool:
        return self.users is not None

    @classmethod
    def options(cls) -> list[tuple[str, Any, str]]:
        """(name, default, help) of every user-facing option, for the CLI and the README."""
        result = []
        for f in fields(cls):
            if "help" in f.metadata:
                default = f.default_factory() if callable(f.default_factory) else f.default
                result.append((f.name, default, f.metadata["help"]))
        return result

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: Any) -> Settings:
        """Defaults, then ``ELOQUA_EMULATOR_*`` variables, then ``overrides``."""
        values: dict[str, Any] = {}
        for name, default, _ in cls.options():
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name] = coerce(name, default, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def describe(self) -> dict[str, str]:
        """The effective configuration, as printed at start; the control token is hidden."""
        shown = {name: str(getattr(self, name)) for name, _, _ in self.options()}
        if self.control_token:
            shown["control_token"] = "(set, hidden)"
        return shown


def coerce(name: str, default: Any, raw: str) -> Any:
    if name in ("fixtures", "users", "ca_dir", "snapshots_dir", "faults", "acoustic_ftp_root"):
        return Path(raw)
    if isinstance(default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(
                f"{ENV_PREFIX}{name.upper()} must be an integer, not {raw!r}"
            ) from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{name.upper()} must be a number, not {raw!r}") from None
    return raw
