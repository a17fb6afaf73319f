"""The proxy's own certificate authority, and the host certificates it signs.

Made on first use in one directory (``ca.pem``, ``ca-key.pem`` readable by its owner only),
so a user trusts it once (``REQUESTS_CA_BUNDLE``, ``NODE_EXTRA_CA_CERTS``,
``SSL_CERT_FILE``) and every later start reuses it. Host certificates are signed on demand
for the name a client asked to ``CONNECT`` to, kept under ``hosts/``, and carry the
extensions strict verifiers require (subject alternative name, key identifiers, key usage,
server-auth usage). Keys are ECDSA P-256: quick to make and accepted by OpenSSL, Node and Go.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_NAME = "Eloqua Emulator Local CA"
CA_YEARS = 10
# Clients reject server certificates valid for longer than 398 days.
HOST_DAYS = 397
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


class CertificateAuthority:
    """The CA in ``directory``: created if missing, loaded otherwise."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.cert_path = directory / "ca.pem"
        self.key_path = directory / "ca-key.pem"
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        with _exclusive(directory):
            if not (self.cert_path.exists() and self.key_path.exists()):
                key = ec.generate_private_key(ec.SECP256R1())
                _write(self.key_path, _key_pem(key), 0o600)
                _write(self.cert_path, _make_ca(key).public_bytes(serialization.Encoding.PEM))
        self._key = _load_key(self.key_path)
        self.cert = x509.load_pem_x509_certificate(self.cert_path.read_bytes())

    def context_for(self, host: str) -> ssl.SSLContext:
        """A server-side TLS context presenting a certificate for ``host``, made once."""
        host = host.lower().rstrip(".")
        if not _HOST.match(host):
            raise ValueError(f"not a host name: {host!r}")
        with self._lock:
            context = self._contexts.get(host)
            if context is None:
                path = self._host_file(host)
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                context.load_cert_chain(path)
                self._contexts[host] = context
            return context

    def _host_file(self, host: str) -> Path:
        path = self.directory / "hosts" / f"{host}.pem"
        if path.exists():
            cert = x509.load_pem_x509_certificate(path.read_bytes())
            fresh = cert.not_valid_after_utc - _now() > dt.timedelta(days=1)
            if fresh and cert.issuer == self.cert.subject:
                return path
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._sign(host, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(path, cert.public_bytes(serialization.Encoding.PEM) + _key_pem(key), 0o600)
        return path

    def _sign(self, host: str, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
        now = _now()
        ca_public = self._key.public_key()
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=HOST_DAYS))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(cert_sign=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_public), critical=False
            )
            .sign(self._key, hashes.SHA256())
        )


def _make_ca(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "eloqua-emulator"),
        ]
    )
    public = key.public_key()
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path} does not hold the emulator CA's EC key")
    return key


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Whole or not at all: a crash mid-write never leaves half a key behind."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """Two emulators starting on one directory make one CA, not two."""
    directory.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; first start is rarely concurrent
        yield
        return
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
