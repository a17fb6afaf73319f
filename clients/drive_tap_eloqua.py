#!/usr/bin/env python3
"""Drive PyPI `tap-eloqua` (1.3.0) in --discover mode against an Eloqua emulator.

    EMULATOR_URL=http://127.0.0.1:8080 clients/.venvs/<client>/bin/python clients/drive_tap_eloqua.py

Optional env: ELOQUA_CLIENT_ID (test-client), ELOQUA_CLIENT_SECRET (test-secret),
ELOQUA_REFRESH_TOKEN (test-refresh-token), ELOQUA_REDIRECT_URI
(https://localhost/callback), TAP_WORKDIR (default: a fresh temporary directory).

tap-eloqua hard-codes 'https://login.eloqua.com/auth/oauth2/token' and
'https://login.eloqua.com/id' as literals in tap_eloqua/client.py (lines 51, 89);
the HTTP session is created with `requests.Session()` in EloquaClient.__init__.
The only redirect without editing the library is swapping the `requests` name in
the tap_eloqua.client module namespace for a proxy whose Session rewrites that
host.  Then the tap's own CLI entry point (tap_eloqua:main, i.e. the
`tap-eloqua` console script) is run with `--config <file> --discover`.
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tap_eloqua
import tap_eloqua.client
from login_redirect import make_requests_proxy


def first_refresh_token(target):
    """What a tap user does once: obtain a refresh token (here with the password grant)."""
    import requests

    response = requests.post(
        target.rstrip("/") + "/auth/oauth2/token",
        auth=(
            os.environ.get("ELOQUA_CLIENT_ID", "test-client"),
            os.environ.get("ELOQUA_CLIENT_SECRET", "test-secret"),
        ),
        data={
            "grant_type": "password",
            "scope": "full",
            "username": "%s\\%s"
            % (os.environ.get("ELOQUA_SITE", "Acme"), os.environ.get("ELOQUA_USER", "jane")),
            "password": os.environ.get("ELOQUA_PASSWORD", "pw"),
        },
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["refresh_token"]


def discover(config_path):
    """Run the tap's own entry point, as its console script does; return the catalog."""
    sys.argv = ["tap-eloqua", "--config", config_path, "--discover"]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        tap_eloqua.main()
    return buf.getvalue()


def main():
    target = os.environ.get("EMULATOR_URL")
    if not target:
        print("EMULATOR_URL is not set", file=sys.stderr)
        return 2

    workdir = os.environ.get("TAP_WORKDIR") or tempfile.mkdtemp(prefix="tap_eloqua_")
    os.makedirs(workdir, exist_ok=True)
    refresh_token = os.environ.get("ELOQUA_REFRESH_TOKEN") or first_refresh_token(target)
    config_path = os.path.join(workdir, "config.json")
    config = {
        # REQUIRED_CONFIG_KEYS in tap_eloqua/__init__.py
        "start_date": "2024-01-01T00:00:00Z",
        "client_id": os.environ.get("ELOQUA_CLIENT_ID", "test-client"),
        "client_secret": os.environ.get("ELOQUA_CLIENT_SECRET", "test-secret"),
        "refresh_token": refresh_token,
        "redirect_uri": os.environ.get("ELOQUA_REDIRECT_URI", "https://localhost/callback"),
        # optional
        "user_agent": "tap-eloqua-emulator-driver",
    }
    with open(config_path, "w") as fh:
        json.dump(config, fh, indent=2)
    print("config written to", config_path, file=sys.stderr)

    # --- the only redirect: login host used by EloquaClient ------------------
    tap_eloqua.client.requests = make_requests_proxy(target)

    # --- run the CLI entry point exactly like the console script ----------
    catalog_text = discover(config_path)
    catalog_path = os.path.join(workdir, "catalog.json")
    with open(catalog_path, "w") as fh:
        fh.write(catalog_text)

    catalog = json.loads(catalog_text)
    streams = {s["tap_stream_id"]: s for s in catalog["streams"]}
    print("catalog written to %s: %d streams" % (catalog_path, len(streams)))
    for sid in sorted(streams):
        print("  %-28s %3d properties" % (sid, len(streams[sid]["schema"].get("properties", {}))))

    with open(config_path) as fh:
        new_rt = json.load(fh).get("refresh_token")
    print(
        "refresh_token in config after run:",
        new_rt,
        "(tap rewrites it with the one returned by the token endpoint)",
    )
    if new_rt == refresh_token:
        print("FAIL: the refresh token was not rotated", file=sys.stderr)
        return 1
    # A second run uses the rotated token, as the tap's next scheduled run would.
    second = json.loads(discover(config_path))
    if len(second["streams"]) != len(streams):
        print("FAIL: second discovery with the rotated token differs", file=sys.stderr)
        return 1
    print("second discovery with the rotated refresh token: %d streams" % len(second["streams"]))

    contacts = streams.get("contacts")
    if contacts is None:
        print("FAIL: no 'contacts' stream in catalog", file=sys.stderr)
        return 1
    print("contacts fields (from GET /api/bulk/2.0/contacts/fields):")
    for md in contacts["metadata"]:
        bc = md.get("breadcrumb") or []
        if len(bc) == 2:
            m = md["metadata"]
            print(
                "  %-24s inclusion=%-9s statement=%s id=%s"
                % (bc[1], m.get("inclusion"), m.get("tap-eloqua.statement"), m.get("tap-eloqua.id"))
            )
    server_props = [
        md
        for md in contacts["metadata"]
        if md["metadata"].get("inclusion") == "available"
        and len(md.get("breadcrumb") or []) == 2
        and md["breadcrumb"][1]
        not in ("IsBounceback", "IsSubscribed", "EmailFormat", "AccountName")
    ]
    if not server_props:
        print("FAIL: emulator contributed no contact fields", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception:
        traceback.print_exc()
        sys.exit(1)
