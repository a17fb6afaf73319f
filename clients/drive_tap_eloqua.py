#!/usr/bin/env python3
"""Drive PyPI `tap-eloqua` (1.3.0) against the emulator: discovery, a full sync, an
incremental sync from the saved state, and an activity stream. Two ways in, neither
touching the tap's hard-coded 'https://login.eloqua.com/auth/oauth2/token' and
'https://login.eloqua.com/id' (tap_eloqua/client.py lines 51, 89):

    clients/.venvs/tap/bin/python clients/drive_tap_eloqua.py mock

  in-process, under `emulator.testing.mock_eloqua` (needs the emulator installed in the
  tap's venv): a fresh emulator answers every `requests` call to *.eloqua.com, and the tap
  runs through its own entry point, tap_eloqua.main() with sys.argv set, as the
  `tap-eloqua` console script does;

    python -m emulator --proxy-port 8081 --ca-dir ca &
    HTTPS_PROXY=http://127.0.0.1:8081 REQUESTS_CA_BUNDLE=ca/ca.pem \
        clients/.venvs/tap/bin/python clients/drive_tap_eloqua.py cli

  through the emulator's proxy: the `tap-eloqua` console script of the venv runs as a
  subprocess, and requests (honouring HTTPS_PROXY and REQUESTS_CA_BUNDLE) tunnels
  login.eloqua.com and the pod through the proxy to the emulator.

Either way the tap is run with `--config <file> --discover`, then with
`--config <file> --catalog <file> [--state <file>]`, its Singer messages read from stdout.

Optional env: ELOQUA_CLIENT_ID (test-client), ELOQUA_CLIENT_SECRET (test-secret),
ELOQUA_REFRESH_TOKEN (test-refresh-token), ELOQUA_REDIRECT_URI
(https://localhost/callback), ELOQUA_SITE (Acme), ELOQUA_USER (jane), ELOQUA_PASSWORD (pw),
TAP_WORKDIR (default: a fresh temporary directory), TAP_REAL_SLEEP=1 to keep the tap's own
2-300 s back-off between sync polls in `mock` mode (the console script always keeps it).

What the tap does in sync mode (tap_eloqua/sync.py): a stream is synced when its root
metadata has `selected: true`; a property is exported when its metadata has no `selected`
key, `selected: true`, or `inclusion: automatic`.  For contacts it POSTs
/contacts/exports with every selected statement, `areSystemTimestampsInUTC: true` and the
filter `'{{Contact.UpdatedAt}}' >= '<bookmark truncated to the second>'`, POSTs /syncs,
polls /syncs/{id}, reads the ELQ-00102 count from /syncs/{id}/logs and pages
/syncs/{id}/data?limit=5000&offset=... while `hasMore`.  The bookmark it writes is the
greatest raw `UpdatedAt` string it read, so the next run's filter (that value cut to whole
seconds, `>=`) returns every record updated since plus the records updated in the same
second as the bookmark ("boundary" rows) — the driver asserts exactly that set.  Activity
streams (activity_email_open, ...) export /activities/exports with
`'{{Activity.CreatedAt}}' >= '<bookmark>' AND '{{Activity.CreatedAt}}' < '<now>' AND
'{{Activity.Type}}' = 'EmailOpen'` and bookmark on `ActivityDate`.

Before the full sync the driver injects one Bulk 500 (`{"error", "errorSeverity"}` with
Retry-After, POST /_emulator/faults, `times: 1`) on the first GET of /syncs/* by the tap's
site, that is the tap's first poll of its export; the tap retries 5xx (backoff), so the run
must still complete, and the rule must show it fired once. The control plane is reached at
`mock_eloqua().url` in `mock` mode, and in `cli` mode at EMULATOR_URL (without the proxy),
else at http://login.eloqua.com through HTTP_PROXY.

The expected figures come from the emulator itself: the driver runs its own exports through
the Bulk API (plain `requests`, HTTP Basic, signing in at https://login.eloqua.com/id the
same way the tap reaches it) and compares record ids.
"""

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
import types

import requests

LOGIN = "https://login.eloqua.com"
MODES = ("mock", "cli")
MODE = ""
CONTROL_URL = ""  # the emulator's origin for /_emulator (set by main)

START_DATE = "2020-01-01T00:00:00Z"  # before every fixture record
REIMPORTED = 3
# How long the tap really waits when it decides to back off between sync polls (see below).
SLEEP_CAP = 0.05


class DriverFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise DriverFailure(message)


def site_user_password():
    return (
        os.environ.get("ELOQUA_SITE", "Acme"),
        os.environ.get("ELOQUA_USER", "jane"),
        os.environ.get("ELOQUA_PASSWORD", "pw"),
    )


def first_refresh_token():
    """What a tap user does once: obtain a refresh token (here with the password grant)."""
    site, user, password = site_user_password()
    response = requests.post(
        LOGIN + "/auth/oauth2/token",
        auth=(
            os.environ.get("ELOQUA_CLIENT_ID", "test-client"),
            os.environ.get("ELOQUA_CLIENT_SECRET", "test-secret"),
        ),
        data={
            "grant_type": "password",
            "scope": "full",
            "username": "%s\\%s" % (site, user),
            "password": password,
        },
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["refresh_token"]


# --- the tap, run as its console script runs it ------------------------------------------


def run_tap(*args):
    """Run the tap with the given command line; return its stdout. In `mock` mode that is
    tap_eloqua.main() with sys.argv set, in this process; in `cli` mode the venv's
    `tap-eloqua` console script, as a subprocess inheriting the proxy variables."""
    if MODE == "cli":
        script = os.path.join(os.path.dirname(sys.executable), "tap-eloqua")
        sys.stderr.flush()
        done = subprocess.run([script, *args], stdout=subprocess.PIPE, text=True, check=False)
        check(done.returncode == 0, "tap-eloqua %s exited %d" % (" ".join(args), done.returncode))
        return done.stdout
    import tap_eloqua

    sys.argv = ["tap-eloqua", *args]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        tap_eloqua.main()
    return buf.getvalue()


def discover(config_path):
    return run_tap("--config", config_path, "--discover")


class SingerOutput:
    def __init__(self, text):
        self.messages = [json.loads(line) for line in text.splitlines() if line.strip()]
        self.records = {}
        self.schemas = {}
        self.states = []
        for m in self.messages:
            if m["type"] == "RECORD":
                self.records.setdefault(m["stream"], []).append(m["record"])
            elif m["type"] == "SCHEMA":
                self.schemas[m["stream"]] = m
            elif m["type"] == "STATE":
                self.states.append(m["value"])

    def summary(self):
        return ", ".join(
            ["%s: %d RECORD" % (s, len(r)) for s, r in sorted(self.records.items())]
            + ["%d STATE" % len(self.states), "%d messages" % len(self.messages)]
        )


def sync(workdir, name, config_path, catalog_path, state=None):
    args = ["--config", config_path, "--catalog", catalog_path]
    if state is not None:
        state_path = os.path.join(workdir, "state-in-%s.json" % name)
        with open(state_path, "w") as fh:
            json.dump(state, fh, indent=2)
        args += ["--state", state_path]
    text = run_tap(*args)
    with open(os.path.join(workdir, "singer-%s.jsonl" % name), "w") as fh:
        fh.write(text)
    out = SingerOutput(text)
    print("tap run %r: %s" % (name, out.summary()))
    return out


def select(catalog, stream_ids, max_fields=None):
    """Singer selection: `selected: true` on the stream's root metadata and on every property.

    `max_fields` (env TAP_MAX_FIELDS, unset by default) is a diagnostic knob only: it marks
    `selected: false` on the `available` properties past the first that many properties, as a
    user trimming the catalog would."""
    selected = json.loads(json.dumps(catalog))
    for stream in selected["streams"]:
        on = stream["tap_stream_id"] in stream_ids
        n = 0
        for md in stream["metadata"]:
            if not on:
                md["metadata"].pop("selected", None)
                continue
            n += bool(md["breadcrumb"])
            md["metadata"]["selected"] = (
                max_fields is None
                or n <= max_fields
                or md["metadata"].get("inclusion") == "automatic"
            )
    return selected


# --- the emulator's own view, through the Bulk API (HTTP Basic) ---------------------------


class Bulk:
    def __init__(self):
        site, user, password = site_user_password()
        self.session = requests.Session()
        self.session.auth = ("%s\\%s" % (site, user), password)
        identity = self.session.get(LOGIN + "/id", timeout=60)
        check(identity.status_code == 200, "GET /id answered %d" % identity.status_code)
        self.base = identity.json()["urls"]["base"] + "/api/bulk/2.0"

    def call(self, method, path, expect, **kwargs):
        response = self.session.request(method, self.base + path, timeout=60, **kwargs)
        check(
            response.status_code == expect,
            "%s %s answered %d, expected %d: %s"
            % (method, path, response.status_code, expect, response.text[:500]),
        )
        return response.json() if response.content else None

    def run_sync(self, def_uri):
        sync = self.call("POST", "/syncs", 201, json={"syncedInstanceUri": def_uri})
        deadline = time.time() + 120
        while sync["status"] in ("pending", "active"):
            check(time.time() < deadline, "sync %s never finished" % sync["uri"])
            time.sleep(0.1)
            sync = self.call("GET", sync["uri"], 200)
        return sync

    def export(self, family, name, fields, filter_=None):
        """Export through the API; return (rows, ELQ-00102 count)."""
        body = {"name": name, "fields": fields, "areSystemTimestampsInUTC": True}
        if filter_:
            body["filter"] = filter_
        definition = self.call("POST", "/%s/exports" % family, 201, json=body)
        sync = self.run_sync(definition["uri"])
        check(sync["status"] == "success", "export %s ended %r" % (name, sync["status"]))
        logs = self.call("GET", sync["uri"] + "/logs", 200)
        counts = [i["count"] for i in logs.get("items", []) if i.get("statusCode") == "ELQ-00102"]
        rows, offset = [], 0
        while True:
            page = self.call(
                "GET", sync["uri"] + "/data", 200, params={"limit": 1000, "offset": offset}
            )
            rows += page.get("items", [])
            offset += 1000
            if not page["hasMore"]:
                break
        return rows, (counts[0] if counts else None)

    def reimport_first_names(self, emails):
        """Re-import contacts with changed first names; return {email: new first name}."""
        definition = self.call(
            "POST",
            "/contacts/imports",
            201,
            json={
                "name": "tap driver re-import",
                "fields": {
                    "C_EmailAddress": "{{Contact.Field(C_EmailAddress)}}",
                    "C_FirstName": "{{Contact.Field(C_FirstName)}}",
                },
                "identifierFieldName": "C_EmailAddress",
            },
        )
        names = {e: "Tapped%d" % i for i, e in enumerate(emails, 1)}
        self.call(
            "POST",
            definition["uri"] + "/data",
            204,
            json=[{"C_EmailAddress": e, "C_FirstName": n} for e, n in names.items()],
        )
        sync = self.run_sync(definition["uri"])
        check(sync["status"] == "success", "re-import ended %r" % sync["status"])
        return names


def boundary(rows, field, bookmark):
    """Ids of rows a run resuming from `bookmark` must return again: the tap cuts the
    bookmark to whole seconds (pendulum ... .to_datetime_string()) and filters with >=."""
    floor = bookmark[:19]
    return {r["Id"] for r in rows if r[field] >= floor}


# --- the emulator's control plane: a fault the tap must ride out --------------------------


def control():
    """A session for /_emulator: straight to EMULATOR_URL (no proxy), or through the proxy
    to the login host when only the proxy is known."""
    session = requests.Session()
    session.trust_env = CONTROL_URL.startswith("http://login.eloqua.com")
    session.headers["X-Emulator-Control"] = "1"
    return session


def inject_poll_500():
    """One Bulk 500 with retry hints on the next GET /syncs/{id} of the tap's site."""
    site, _, _ = site_user_password()
    response = control().post(
        CONTROL_URL + "/_emulator/faults",
        json={
            "method": "GET",
            "path": "/api/bulk/2.0/syncs/*",
            "site": site,
            "status": 500,
            "errorSeverity": 3,
            "retryAfter": 1,
            "times": 1,
        },
        timeout=30,
    )
    check(response.status_code == 201, "POST /_emulator/faults answered %d" % response.status_code)
    rule = response.json()
    print("injected fault %d: one 500 on the first GET /syncs/* of site %s" % (rule["id"], site))
    return rule["id"]


def fault_fired(rule_id):
    session = control()
    rule = session.get(CONTROL_URL + "/_emulator/faults/%d" % rule_id, timeout=30).json()
    session.delete(CONTROL_URL + "/_emulator/faults/%d" % rule_id, timeout=30)
    return rule["fired"]


# --- the flows ----------------------------------------------------------------------------


def run_discovery(config_path, workdir, refresh_token):
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
    check(new_rt != refresh_token, "the refresh token was not rotated")
    # A second run uses the rotated token, as the tap's next scheduled run would.
    second = json.loads(discover(config_path))
    check(
        len(second["streams"]) == len(streams),
        "second discovery with the rotated token differs",
    )
    print("second discovery with the rotated refresh token: %d streams" % len(second["streams"]))

    contacts = streams.get("contacts")
    check(contacts is not None, "no 'contacts' stream in catalog")
    check("activity_email_open" in streams, "no 'activity_email_open' stream in catalog")
    server_props = [
        md
        for md in contacts["metadata"]
        if md["metadata"].get("inclusion") == "available"
        and len(md.get("breadcrumb") or []) == 2
        and md["breadcrumb"][1]
        not in ("IsBounceback", "IsSubscribed", "EmailFormat", "AccountName")
    ]
    check(server_props, "emulator contributed no contact fields")
    print(
        "contacts stream: %d properties, %d from /contacts/fields"
        % (len(contacts["schema"]["properties"]), len(server_props))
    )
    return catalog


def run_syncs(bulk, workdir, config_path, catalog):
    contact_props = set(
        next(s for s in catalog["streams"] if s["tap_stream_id"] == "contacts")["schema"][
            "properties"
        ]
    )
    catalog_path = os.path.join(workdir, "catalog-selected.json")
    with open(catalog_path, "w") as fh:
        max_fields = os.environ.get("TAP_MAX_FIELDS")
        selected = select(
            catalog, {"contacts", "activity_email_open"}, int(max_fields) if max_fields else None
        )
        json.dump(selected, fh, indent=2)
    for stream in selected["streams"]:
        if stream["tap_stream_id"] in ("contacts", "activity_email_open"):
            fields = [
                md
                for md in stream["metadata"]
                if md["breadcrumb"]
                and (md["metadata"].get("selected") or md["metadata"]["inclusion"] == "automatic")
            ]
            print(
                "selected %s with %d of %d properties"
                % (stream["tap_stream_id"], len(fields), len(stream["schema"]["properties"]))
            )

    # What the emulator holds for the site, by its own export API.
    contacts_now, contacts_logged = bulk.export(
        "contacts",
        "tap driver: every contact",
        {
            "Id": "{{Contact.Id}}",
            "Email": "{{Contact.Field(C_EmailAddress)}}",
            "UpdatedAt": "{{Contact.UpdatedAt}}",
        },
    )
    opens, opens_logged = bulk.export(
        "activities",
        "tap driver: every EmailOpen",
        {"Id": "{{Activity.Id}}", "ActivityDate": "{{Activity.CreatedAt}}"},
        "'{{Activity.Type}}' = 'EmailOpen'",
    )
    print(
        "emulator holds %d contacts (ELQ-00102 %s) and %d EmailOpen activities (ELQ-00102 %s)"
        % (len(contacts_now), contacts_logged, len(opens), opens_logged)
    )
    check(contacts_logged == len(contacts_now), "contact export: ELQ-00102 count != rows")
    check(opens_logged == len(opens), "EmailOpen export: ELQ-00102 count != rows")
    check(len(contacts_now) >= 300, "fewer contacts than the 300 fixtures")
    check(opens, "the emulator seeded no EmailOpen activity")

    # 1. Full sync: no state, start_date 2020-01-01; its first poll answered by a 500.
    rule_id = inject_poll_500()
    full = sync(workdir, "full", config_path, catalog_path)
    fired = fault_fired(rule_id)
    check(fired == 1, "the injected 500 fired %d times, expected 1" % fired)
    print("full sync completed through the injected 500 (the tap retried the poll)")
    got = full.records.get("contacts", [])
    check(
        len(got) == len(contacts_now),
        "full sync: %d contact RECORDs, the emulator holds %d" % (len(got), len(contacts_now)),
    )
    check(
        {r["Id"] for r in got} == {r["Id"] for r in contacts_now},
        "full sync: contact ids differ from the emulator's export",
    )
    check(all(set(r) <= contact_props for r in got), "contact RECORD keys outside the schema")
    check(all(r.get("C_EmailAddress") for r in got), "contact RECORD without C_EmailAddress")
    got_opens = full.records.get("activity_email_open", [])
    check(
        len(got_opens) == len(opens),
        "full sync: %d EmailOpen RECORDs, the emulator's export has %d"
        % (len(got_opens), len(opens)),
    )
    check(
        {r["ActivityId"] for r in got_opens} == {r["Id"] for r in opens},
        "full sync: EmailOpen ids differ from the emulator's export",
    )
    check({r["ActivityType"] for r in got_opens} == {"EmailOpen"}, "non-EmailOpen activity emitted")
    check(full.states, "full sync emitted no STATE")
    state = full.states[-1]
    print("state after full sync:", json.dumps(state))
    contact_mark = state["bookmarks"]["contacts"]
    open_mark = state["bookmarks"]["activity_email_open"]
    check(
        contact_mark["sync_id"] is None and state.get("current_stream") is None,
        "final STATE still points at a sync",
    )
    check(
        contact_mark["datetime"] == max(r["UpdatedAt"] for r in contacts_now),
        "contacts bookmark %r is not the greatest UpdatedAt" % contact_mark["datetime"],
    )
    check(
        open_mark["datetime"] == max(r["ActivityDate"] for r in opens),
        "EmailOpen bookmark %r is not the greatest ActivityDate" % open_mark["datetime"],
    )

    # 2. Re-import a few contacts (the oldest, so none is a boundary row), then resume.
    time.sleep(1.1)  # a later second than the bookmark, so boundary rows stay distinct
    oldest = sorted(contacts_now, key=lambda r: r["UpdatedAt"])[:REIMPORTED]
    names = bulk.reimport_first_names([r["Email"] for r in oldest])
    reimported = {r["Id"] for r in oldest}
    print("re-imported %d contacts: %s" % (len(names), ", ".join(sorted(names))))
    expected = reimported | boundary(contacts_now, "UpdatedAt", contact_mark["datetime"])
    expected_opens = boundary(opens, "ActivityDate", open_mark["datetime"])

    incremental = sync(workdir, "incremental", config_path, catalog_path, state=state)
    got = incremental.records.get("contacts", [])
    print(
        "incremental: %d contact RECORDs = %d re-imported + %d boundary rows (UpdatedAt in "
        "the bookmark's second %s)"
        % (len(got), len(reimported), len(expected - reimported), contact_mark["datetime"][:19])
    )
    check(
        {r["Id"] for r in got} == expected and len(got) == len(expected),
        "incremental sync: contact ids %s, expected %s"
        % (sorted(r["Id"] for r in got), sorted(expected)),
    )
    for r in got:
        if r["Id"] in reimported:
            check(
                r["C_FirstName"] == names[r["C_EmailAddress"]],
                "re-imported contact %s has first name %r" % (r["Id"], r["C_FirstName"]),
            )
    got_opens = incremental.records.get("activity_email_open", [])
    check(
        {r["ActivityId"] for r in got_opens} == expected_opens,
        "incremental sync: EmailOpen ids %s, expected the boundary rows %s"
        % (sorted(r["ActivityId"] for r in got_opens), sorted(expected_opens)),
    )
    print(
        "incremental: %d EmailOpen RECORDs (boundary rows only, no new activity)" % len(got_opens)
    )
    check(incremental.states, "incremental sync emitted no STATE")
    new_mark = incremental.states[-1]["bookmarks"]["contacts"]["datetime"]
    check(new_mark > contact_mark["datetime"], "contacts bookmark did not advance: %r" % new_mark)
    print("contacts bookmark advanced to", new_mark)


def main():
    global MODE, CONTROL_URL
    MODE = sys.argv[1] if len(sys.argv) > 1 else ""
    if MODE not in MODES:
        print("usage: drive_tap_eloqua.py mock|cli", file=sys.stderr)
        return 2
    if MODE == "cli":
        proxy = os.environ.get("HTTPS_PROXY") or os.environ.get("https_proxy")
        if not proxy:  # without it the tap would sign in to the real login.eloqua.com
            print(
                "HTTPS_PROXY is not set: point it at the emulator's --proxy-port", file=sys.stderr
            )
            return 2
        print("tap-eloqua console script through HTTPS_PROXY=%s" % proxy)
        CONTROL_URL = os.environ.get("EMULATOR_URL", "http://login.eloqua.com").rstrip("/")
        return drive()

    from emulator.testing import mock_eloqua

    # --- the only patch: the length of the tap's back-off between sync polls.
    # sync_bulk_obj() calls time.sleep(next_sleep_interval(...)), a random 2-300 s that
    # doubles each poll (2 s, then 2-4 s, ... under the default polls:1 progression).  The
    # `time` name in tap_eloqua.sync is swapped for a namespace whose sleep() waits at most
    # SLEEP_CAP s; time.time() and the number and order of polls are the tap's own.
    # (`tap_eloqua.sync` the attribute is the sync() function, which tap_eloqua/__init__.py
    # imports over the submodule's name, hence importlib.)
    if os.environ.get("TAP_REAL_SLEEP") != "1":
        importlib.import_module("tap_eloqua.sync").time = types.SimpleNamespace(
            time=time.time, sleep=lambda seconds: time.sleep(min(seconds, SLEEP_CAP))
        )
    with mock_eloqua() as eloqua:
        print("emulator (mock_eloqua):", eloqua.url)
        CONTROL_URL = eloqua.url
        return drive()


def drive():
    workdir = os.environ.get("TAP_WORKDIR") or tempfile.mkdtemp(prefix="tap_eloqua_")
    os.makedirs(workdir, exist_ok=True)
    refresh_token = os.environ.get("ELOQUA_REFRESH_TOKEN") or first_refresh_token()
    config_path = os.path.join(workdir, "config.json")
    config = {
        # REQUIRED_CONFIG_KEYS in tap_eloqua/__init__.py
        "start_date": START_DATE,
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

    catalog = run_discovery(config_path, workdir, refresh_token)
    run_syncs(Bulk(), workdir, config_path, catalog)
    print("OK")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except DriverFailure as e:
        print("FAIL:", e, file=sys.stderr)
        sys.exit(1)
    except Exception:
        traceback.print_exc()
        sys.exit(1)
