#!/usr/bin/env python3
"""Drive PyPI `pyeloqua` (0.5.11) against the emulator, under `emulator.testing.mock_eloqua`.

    clients/.venvs/pyeloqua/bin/python clients/drive_pyeloqua.py

Needs the emulator installed in the client's venv (clients/run.sh does it). Optional env:
ELOQUA_SITE (Acme), ELOQUA_USER (jane), ELOQUA_PASSWORD (pw).

pyeloqua hard-codes 'https://login.eloqua.com/id' inside Eloqua.__init__
(pyeloqua/pyeloqua.py:41) and calls it through `requests`; `mock_eloqua` serves a fresh
in-process emulator and answers every `requests` call to *.eloqua.com from it, so the
library runs as shipped. All later calls use the bulk/rest base URLs of the /id response.

After login it lists fields, creates definitions, then imports 2,500 contacts in
several post_data calls and waits with Bulk.sync(); a second import with one invalid
e-mail must end 'warning' with that row among get_sync_rejects().
"""

import os
import sys
import traceback
from typing import Any

import pyeloqua  # type: ignore[import-not-found]

from emulator.testing import mock_eloqua


def main() -> int:
    with mock_eloqua() as eloqua:
        print("emulator (mock_eloqua):", eloqua.url)
        return drive()


def drive() -> int:
    site = os.environ.get("ELOQUA_SITE", "Acme")
    user = os.environ.get("ELOQUA_USER", "jane")
    password = os.environ.get("ELOQUA_PASSWORD", "pw")

    # --- login exactly as a user would (Bulk subclasses Eloqua) ------------
    bulk = pyeloqua.Bulk(company=site, username=user, password=password)
    print(
        "login ok: user_id=%r user_display=%r site_id=%r"
        % (bulk.user_id, bulk.user_display, bulk.site_id)
    )
    print("url_base  =", bulk.url_base)
    print("rest_base =", bulk.rest_base)
    print("bulk_base =", bulk.bulk_base)

    # --- new-style API: Bulk.get_fields -> GET {bulk_base}/contacts/fields?limit=1000&offset=0
    fields = bulk.get_fields(elq_object="contacts")
    system_names = {f["name"] for f in pyeloqua.CONTACT_SYSTEM_FIELDS}
    server_fields = [f for f in fields if "internalName" in f or f.get("name") not in system_names]
    print(
        "Bulk.get_fields('contacts'): %d fields (%d from server, %d built-in system fields)"
        % (len(fields), len(server_fields), len(fields) - len(server_fields))
    )
    for f in fields:
        print("  %-30s %-28s %s" % (f.get("internalName", "-"), f.get("name"), f.get("statement")))
    if not server_fields:
        print("FAIL: emulator returned no contact fields", file=sys.stderr)
        return 1

    # --- exercise the job helper the way the README does (add_fields re-GETs the field list)
    bulk.exports("contacts")
    bulk.add_fields([server_fields[0].get("internalName") or server_fields[0]["name"]])
    print("job fields after add_fields:", [f["statement"] for f in bulk.job["fields"]])

    # --- definitions as the README builds them: an export with date, equality and list
    # filters (the list looked up by name with q="name=...*..."), then an import whose sync
    # action adds the imported contacts to a list.
    export = pyeloqua.Bulk(company=site, username=user, password=password)
    export.exports("contacts")
    export.add_fields(["contactID", "C_EmailAddress", "C_FirstName", "updatedAt"])
    export.filter_date("updatedAt", start="2024-01-01 00:00:00", end="2026-12-31 23:59:59")
    export.filter_equal("C_Country", "Deutschland")
    export.asset_exists("lists", name="Newsletter Subscribers 2025")
    export.create_def("pyeloqua export")
    print("export definition:", export.job_def["uri"], export.job_def["filter"])

    # --- reading an export the pyeloqua way: through the definition's /data
    reader = pyeloqua.Bulk(company=site, username=user, password=password)
    reader.exports("contacts")
    reader.add_fields(["contactID", "C_EmailAddress", "C_FirstName"])
    reader.create_def("pyeloqua export reader")
    status = reader.sync(sleeptime=0.2)
    if status != "success":
        print("FAIL: export sync ended %r" % status, file=sys.stderr)
        return 1
    count = reader.get_export_count()
    exported = reader.get_export_data()
    print("get_export_data: %d rows (get_export_count %d)" % (len(exported), count))
    if not exported or len(exported) != count:
        print("FAIL: export data and count disagree", file=sys.stderr)
        return 1
    if not all(isinstance(v, str) for row in exported for v in row.values()):
        print("FAIL: exported values must all be strings", file=sys.stderr)
        return 1

    load = pyeloqua.Bulk(company=site, username=user, password=password)
    load.imports("contacts")
    load.add_fields(["C_EmailAddress", "C_FirstName"])
    load.add_options(identifierFieldName="C_EmailAddress", isSyncTriggeredOnImport=False)
    load.add_syncaction_list(action="add", list_name="Newsletter Subscribers 2025")
    load.create_def("pyeloqua import")
    print("import definition:", load.job_def["uri"], load.job_def["syncActions"])

    # --- legacy (deprecated) API: Eloqua.GetFields -> GET {bulkBase}contacts/fields
    legacy = bulk.GetFields("contacts")
    print("legacy Eloqua.GetFields('contacts'): %d fields" % len(legacy))
    if not legacy:
        print("FAIL: legacy GetFields returned nothing", file=sys.stderr)
        return 1

    failures = import_contacts(site, user, password)
    for failure in failures:
        print("FAIL:", failure, file=sys.stderr)
    if failures:
        return 1
    print("OK")
    return 0


IMPORTED = 2500
SLICE = 1000  # post_data sends what it is given in one POST; slices make several files


def import_contacts(site: str, user: str, password: str) -> list[str]:
    """Import contacts the way pyeloqua's import walkthrough does: define the import, post
    the rows, sync() (which polls check_sync until the sync ends), then read the logs and
    rejects with get_sync_logs()/get_sync_rejects(). Returns failure messages."""
    failures: list[str] = []
    load = pyeloqua.Bulk(company=site, username=user, password=password)
    load.imports("contacts")
    load.add_fields(["C_EmailAddress", "C_FirstName", "C_LastName"])
    load.add_options(identifierFieldName="C_EmailAddress")
    load.create_def("pyeloqua contact import")
    print("contact import definition:", load.job_def["uri"], sorted(load.job_def["fields"]))

    rows = [
        {
            "C_EmailAddress": "pyeloqua.%04d@example.com" % n,
            "C_FirstName": "Zoë %d" % n,
            "C_LastName": "Müller",
        }
        for n in range(IMPORTED)
    ]
    for start in range(0, len(rows), SLICE):
        load.post_data(rows[start : start + SLICE])
    print("posted %d rows in %d post_data calls" % (len(rows), -(-len(rows) // SLICE)))
    status = load.sync(timeout=60, sleeptime=0.2)
    counts = log_counts(load.get_sync_logs())
    print("first sync %s: %s, logs %s" % (load.job_sync["uri"], status, counts))
    if status != "success":
        failures.append("the import of %d contacts ended %r" % (IMPORTED, status))
    if counts.get("ELQ-00004") != IMPORTED or counts.get("ELQ-00022") != 0:
        failures.append("expected %d contacts created and none updated: %r" % (IMPORTED, counts))

    # --- a second file: two known contacts (updated), two new ones, one invalid e-mail
    second = [
        {"C_EmailAddress": "pyeloqua.0000@example.com", "C_FirstName": "Again", "C_LastName": "A"},
        {"C_EmailAddress": "PYELOQUA.0001@example.com", "C_FirstName": "Again", "C_LastName": "B"},
        {"C_EmailAddress": "not-an-email", "C_FirstName": "Broken", "C_LastName": "C"},
        {"C_EmailAddress": "pyeloqua.new1@example.com", "C_FirstName": "New", "C_LastName": "D"},
        {"C_EmailAddress": "pyeloqua.new2@example.com", "C_FirstName": "New", "C_LastName": "E"},
    ]
    load.post_data(second)
    status = load.sync(timeout=60, sleeptime=0.2)
    counts = log_counts(load.get_sync_logs())
    rejects = load.get_sync_rejects()
    print("second sync %s: %s, logs %s" % (load.job_sync["uri"], status, counts))
    print("rejects:", rejects)
    if status != "warning":
        failures.append("the import with an invalid e-mail ended %r, not 'warning'" % status)
    expected = {"ELQ-00004": 2, "ELQ-00022": 2, "ELQ-00002": 1}
    if {code: counts.get(code) for code in expected} != expected:
        failures.append("expected logs %r, got %r" % (expected, counts))
    bad = [r for r in rejects if r.get("fieldValues", {}).get("C_EmailAddress") == "not-an-email"]
    if len(rejects) != 1 or not bad:
        failures.append("expected the one invalid row among the rejects, got %r" % rejects)
    elif (bad[0].get("statusCode"), bad[0].get("recordIndex")) != ("ELQ-00002", 3):
        failures.append("the reject should be ELQ-00002 at recordIndex 3: %r" % bad[0])
    return failures


def log_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """statusCode -> count of a sync's log items (as pyeloqua's get_sync_logs returns them)."""
    return {item["statusCode"]: item["count"] for item in items}


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception:
        traceback.print_exc()
        sys.exit(1)
