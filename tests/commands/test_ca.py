"""``python -m emulator ca``: the proxy's CA, for a user to trust once."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator.cli import main


def test_it_prints_where_the_ca_is_making_it_on_first_use(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ca", "--ca-dir", str(tmp_path / "ca")]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'ca' / 'ca.pem'}\n"
    assert (tmp_path / "ca" / "ca.pem").exists()


def test_pem_prints_the_certificate_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["ca", "--ca-dir", str(tmp_path)])
    capsys.readouterr()
    assert main(["ca", "--ca-dir", str(tmp_path), "--pem"]) == 0
    assert capsys.readouterr().out == (tmp_path / "ca.pem").read_text()


def test_env_prints_the_variables_clients_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ca", "--ca-dir", str(tmp_path), "--env"]) == 0
    exports = capsys.readouterr().out.splitlines()
    assert f"export NODE_EXTRA_CA_CERTS={tmp_path / 'ca.pem'}" in exports
    assert f"export REQUESTS_CA_BUNDLE={tmp_path / 'ca.pem'}" in exports


def test_the_directory_comes_from_the_server_s_environment_variable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELOQUA_EMULATOR_CA_DIR", str(tmp_path / "from-env"))
    assert main(["ca"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "from-env" / "ca.pem")
