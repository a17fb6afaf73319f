"""``python -m emulator ca``: where the proxy's certificate authority is, made if missing.

Prints the path of ``ca.pem`` (or, with ``--pem``, the certificate itself, for copying
out of a container) and the variables that make common clients trust it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from emulator.core.config import ENV_PREFIX, Settings, coerce
from emulator.proxy.ca import CertificateAuthority

TRUST_VARIABLES = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "CURL_CA_BUNDLE")


def main(argv: Sequence[str]) -> int:
    cli = argparse.ArgumentParser(
        prog="python -m emulator ca",
        description="Show the certificate authority the proxy signs *.eloqua.com "
        "certificates with (made on first use).",
    )
    cli.add_argument(
        "--ca-dir",
        default=None,
        help=f"the CA's directory (env {ENV_PREFIX}CA_DIR; default: the server's)",
    )
    shown = cli.add_mutually_exclusive_group()
    shown.add_argument("--pem", action="store_true", help="print the certificate, not its path")
    shown.add_argument(
        "--env", action="store_true", help="print shell exports that make clients trust it"
    )
    args = cli.parse_args(argv)
    overrides = {"ca_dir": coerce("ca_dir", None, args.ca_dir)} if args.ca_dir else {}
    try:
        ca = CertificateAuthority(Settings.from_env(os.environ, **overrides).ca_dir)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.pem:
        sys.stdout.write(ca.cert_path.read_text())
    elif args.env:
        for name in TRUST_VARIABLES:
            print(f"export {name}={ca.cert_path}")
    else:
        print(ca.cert_path)
    return 0
