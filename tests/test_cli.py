"""``python -m emulator`` at start: the configuration it prints, and the warning when the
control plane is open to other machines."""

from __future__ import annotations

from typing import Any

import pytest

from emulator import cli


class Server:
    """Stands in for uvicorn: the configuration is printed before a server is made."""

    started = True

    def __init__(self, config: Any, **kwargs: Any) -> None:
        self.config = config

    def run(self) -> None:
        pass


@pytest.fixture
def start(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    monkeypatch.setattr(cli, "EmulatorServer", Server)

    def run(*argv: str) -> tuple[str, str]:
        assert cli.main(["--db", ":memory:", "--port", "8181", *argv]) == 0
        captured = capsys.readouterr()
        return captured.out, captured.err

    return run


def test_every_interface_and_no_token_is_warned_about(start: Any) -> None:
    out, err = start("--host", "0.0.0.0")
    assert "  host              0.0.0.0" in out
    assert err == (
        "warning: --host 0.0.0.0 can be reached from other machines and no --control-token "
        "is set: anyone who can reach port 8181 can reset the emulator and change its data "
        "through /_emulator/. Set --control-token (ELOQUA_EMULATOR_CONTROL_TOKEN) or bind "
        "127.0.0.1.\n"
    )


def test_loopback_or_a_token_needs_no_warning_and_the_token_is_never_printed(
    start: Any,
) -> None:
    assert start()[1] == ""
    out, err = start("--host", "0.0.0.0", "--control-token", "s3cret-7f2a")
    assert err == ""
    assert "  control_token     (set, hidden)" in out
    assert "s3cret-7f2a" not in out


def test_allowed_hosts_are_printed(start: Any) -> None:
    out, _ = start("--allowed-hosts", "eloqua,*.ci.internal")
    assert "  allowed_hosts     eloqua,*.ci.internal" in out


def test_a_bad_name_stops_the_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--db", ":memory:", "--allowed-hosts", "evil example"]) == 2
    assert "allowed_hosts: 'evil example' is not a host name" in capsys.readouterr().err


def test_the_allocator_is_tuned_unless_the_environment_says_otherwise() -> None:
    """Two arenas, blocks up to 8 MB from the heap, 32 MB kept at its top; a ``MALLOC_*``
    variable the user set wins over each."""
    calls: list[tuple[int, int]] = []

    def mallopt(option: int, value: int) -> int:
        calls.append((option, value))
        return 1

    cli.tune_malloc({}, mallopt)
    assert calls == [(-8, 2), (-3, 8 * 1024 * 1024), (-1, 32 * 1024 * 1024)]
    calls.clear()
    cli.tune_malloc({"MALLOC_ARENA_MAX": "4", "MALLOC_TRIM_THRESHOLD_": "0"}, mallopt)
    assert calls == [(-3, 8 * 1024 * 1024)]
