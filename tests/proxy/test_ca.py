"""The proxy's certificate authority: made once, reused, and signing certificates that
strict TLS clients accept for the host they asked for."""

from __future__ import annotations

import socket
import ssl
import stat
import threading
from pathlib import Path

import pytest
from cryptography import x509

from emulator.proxy.ca import CertificateAuthority


def handshake(ca: CertificateAuthority, host: str, server_name: str) -> dict:
    """A TLS handshake over a socket pair: the server presents ``host``'s certificate, the
    client verifies it against ``ca.pem`` for ``server_name``; the peer certificate."""
    client_context = ssl.create_default_context(cafile=str(ca.cert_path))
    client_context.verify_flags |= ssl.VERIFY_X509_STRICT
    left, right = socket.socketpair()
    server_error: list[BaseException] = []

    def serve() -> None:
        try:
            with ca.context_for(host).wrap_socket(right, server_side=True):
                pass
        except (ssl.SSLError, OSError) as exc:
            server_error.append(exc)

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        with client_context.wrap_socket(left, server_hostname=server_name) as tls:
            return tls.getpeercert() or {}
    finally:
        thread.join(timeout=10)
        right.close()


def test_the_ca_is_made_on_first_use_with_a_private_key_only_its_owner_reads(
    tmp_path: Path,
) -> None:
    ca = CertificateAuthority(tmp_path / "ca")
    assert ca.cert_path == tmp_path / "ca" / "ca.pem"
    assert stat.S_IMODE(ca.key_path.stat().st_mode) == 0o600
    cert = x509.load_pem_x509_certificate(ca.cert_path.read_bytes())
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_a_second_start_reuses_the_same_ca(tmp_path: Path) -> None:
    first = CertificateAuthority(tmp_path).cert_path.read_bytes()
    assert CertificateAuthority(tmp_path).cert_path.read_bytes() == first


def test_a_host_certificate_verifies_strictly_for_that_host(tmp_path: Path) -> None:
    ca = CertificateAuthority(tmp_path)
    peer = handshake(ca, "secure.p03.eloqua.com", "secure.p03.eloqua.com")
    assert ("DNS", "secure.p03.eloqua.com") in peer["subjectAltName"]


def test_a_host_certificate_does_not_pass_for_another_host(tmp_path: Path) -> None:
    ca = CertificateAuthority(tmp_path)
    with pytest.raises(ssl.SSLCertVerificationError, match="match"):
        handshake(ca, "login.eloqua.com", "secure.p03.eloqua.com")


def test_host_certificates_are_kept_and_reused_across_starts(tmp_path: Path) -> None:
    CertificateAuthority(tmp_path).context_for("login.eloqua.com")
    kept = (tmp_path / "hosts" / "login.eloqua.com.pem").read_bytes()
    CertificateAuthority(tmp_path).context_for("login.eloqua.com")
    assert (tmp_path / "hosts" / "login.eloqua.com.pem").read_bytes() == kept


def test_a_name_that_is_not_a_host_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a host name"):
        CertificateAuthority(tmp_path).context_for("../../etc/passwd")
