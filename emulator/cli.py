"""``python -m emulator``: options → :class:`Settings` → uvicorn, or one of the commands.

Every server option falls back to an ``ELOQUA_EMULATOR_<NAME>`` environment variable, then
to its default; the effective configuration is printed before the server starts. A first
argument naming a command (``seed``, ``fixtures``, ``ca``, ``replay``, ``convert``) runs
that command instead; each lives in :mod:`emulator.commands` and is imported only when asked
for, so the server starts without loading what the commands need.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from emulator.app import create_app
from emulator.core import hosts
from emulator.core.config import ENV_PREFIX, Settings, __version__, coerce
from emulator.http import log_lines
from emulator.proxy.ca import CertificateAuthority
from emulator.proxy.server import EmulatorServer
from emulator.wire.protocols import uvicorn_config

# (environment variable, glibc mallopt option from malloc.h, value): see tune_malloc
MALLOC_SETTINGS = (
    ("MALLOC_ARENA_MAX", -8, 2),  # M_ARENA_MAX
    ("MALLOC_MMAP_THRESHOLD_", -3, 8 * 1024 * 1024),  # M_MMAP_THRESHOLD
    ("MALLOC_TRIM_THRESHOLD_", -1, 32 * 1024 * 1024),  # M_TRIM_THRESHOLD
)

# command name → module with ``main(argv) -> int``
COMMANDS: dict[str, str] = {
    "ca": "emulator.commands.ca",
    "convert": "emulator.commands.replay.convert",
    "fixtures": "emulator.commands.fixtures",
    "replay": "emulator.commands.replay",
    "seed": "emulator.commands.seed",
}


def parser(environ: Mapping[str, str]) -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m emulator",
        description="A local Oracle Eloqua Bulk API 2.0 emulator. Clients sign in at /id "
        "and use the Bulk API at /api/bulk/2.0; the control plane is under /_emulator/. "
        "Commands: 'seed' (synthetic records at scale), 'fixtures from-pod' (mirror a pod's "
        "catalogs), 'ca' (the proxy's certificate authority), 'replay' (recorded traffic "
        "against the emulator, with a parity report), 'convert' (HAR files and vcrpy "
        "cassettes into recordings); each has its own --help.",
    )
    cli.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    for name, default, text in Settings.options():
        env = ENV_PREFIX + name.upper()
        flag = "--" + name.replace("_", "-")
        shown = "none" if default is None else default
        cli.add_argument(
            flag,
            dest=name,
            default=None,
            metavar=name.upper(),
            help=f"{text} (env {env}; default: {shown})",
        )
    return cli


def settings_from(argv: Sequence[str], environ: Mapping[str, str]) -> Settings:
    args = parser(environ).parse_args(argv)
    defaults = {name: default for name, default, _ in Settings.options()}
    overrides = {
        name: coerce(name, defaults[name], value)
        for name, value in vars(args).items()
        if value is not None
    }
    return Settings.from_env(environ, **overrides)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        command = importlib.import_module(COMMANDS[args[0]])
        return int(command.main(args[1:]))
    if args[:1] == ["serve"]:
        args = args[1:]
    return serve(args)


def tune_malloc(
    environ: Mapping[str, str], mallopt: Callable[[int, int], int] | None = None
) -> None:
    """glibc's allocator set for a server that moves multi-megabyte buffers, before any
    thread starts; each setting unless its ``MALLOC_*`` variable says otherwise. Elsewhere
    (musl, macOS) there are no such options and nothing is done.

    - At most two arenas. glibc gives each thread that allocates an arena of its own (up
      to eight per core) and keeps what each one held; the threads anyio starts and
      retires for the store each took one, and under load the server's RSS climbed by a
      third over a minute before it levelled (``make soak``).
    - Blocks up to 8 MB from the heap, and up to 32 MB free at its top kept rather than
      given back. By default both thresholds move with the sizes freed, and the pieces
      of an export page (25,000 rows, ~3.7 MB each) were given back and faulted in anew
      on some pages and not others: the same page took 21 ms or 30 ms depending on its
      rows' lengths (``make bench``, the deepest page against the first). Fixed, every
      page takes the lower figure, and the peak RSS of a 1M-row upload is lower too."""
    if mallopt is None:
        try:
            mallopt = ctypes.CDLL(None).mallopt
        except (OSError, AttributeError):
            return
    for variable, option, value in MALLOC_SETTINGS:
        if variable not in environ:
            mallopt(option, value)


def serve(argv: Sequence[str]) -> int:
    tune_malloc(os.environ)
    try:
        settings = settings_from(argv, os.environ)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    log_lines.configure(
        settings.log_format,
        logging.DEBUG if settings.log_level in ("debug", "trace") else logging.INFO,
        access=settings.log_level,
    )
    print(f"Eloqua Bulk API emulator {__version__}", flush=True)
    for key, value in settings.describe().items():
        print(f"  {key:<17} {value}", flush=True)
    print(f"  discovery         http://{settings.host}:{settings.port}/id", flush=True)
    warning = hosts.exposure_warning(settings.host, settings.port, settings.control_token)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    ca = None
    if settings.proxy_port:
        try:
            ca = CertificateAuthority(settings.ca_dir)
        except (OSError, ValueError) as exc:
            print(f"error: the proxy's certificate authority: {exc}", file=sys.stderr)
            return 2
        print(f"  proxy             http://{settings.host}:{settings.proxy_port}", flush=True)
        print(f"  proxy CA          {ca.cert_path}", flush=True)
    try:
        app = create_app(settings)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    config = uvicorn_config(
        app,
        settings,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        server_header=False,
        **log_lines.uvicorn_options(settings.log_format),
    )
    server = EmulatorServer(config, proxy_port=settings.proxy_port, ca=ca, settings=settings)
    server.run()
    return 0 if server.started else 1
