"""The dashboard: what a person sees of a test run, without a script or a request of its
own to the Bulk API."""

from __future__ import annotations

from tests.acoustic.helpers import example, signed_in
from tests.routes.bulk import Bulk

IMPORT = {
    "name": "dashboard import",
    "fields": {
        "email": "{{Contact.Field(C_EmailAddress)}}",
        "first": "{{Contact.Field(C_FirstName)}}",
    },
    "identifierFieldName": "email",
}


def import_with_a_reject(bulk: Bulk) -> tuple[str, dict]:
    uri = bulk.define("/contacts/imports", IMPORT)
    sync = bulk.run(
        uri, [{"email": "ada@example.com", "first": "Ada"}, {"email": "not-an-address"}]
    )
    return uri, sync


def test_before_anyone_signs_in_it_says_so(bulk: Bulk) -> None:
    page = bulk.client.get("/_emulator/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "No site has signed in yet." in page.text


def test_the_overview_lists_each_site_with_its_syncs_and_definitions(bulk: Bulk) -> None:
    uri, sync = import_with_a_reject(bulk)
    page = bulk.client.get("/_emulator/").text
    assert "<h2>Site Acme</h2>" in page
    assert '<span class="status warning">warning</span>' in page
    assert f"<td>{uri}</td><td>dashboard import</td>" in page
    sync_id = sync["uri"].rsplit("/", 1)[1]
    assert f'href="/_emulator/ui/sites/Acme/syncs/{sync_id}"' in page
    assert '<meta http-equiv="refresh" content="5">' in page


def test_a_sync_page_shows_its_timeline_logs_and_rejects(bulk: Bulk) -> None:
    _, sync = import_with_a_reject(bulk)
    sync_id = sync["uri"].rsplit("/", 1)[1]
    page = bulk.client.get(f"/_emulator/ui/sites/Acme/syncs/{sync_id}").text
    assert "<h3>Rejects (1)</h3>" in page
    assert "not-an-address" in page
    assert "Invalid email addresses." in page  # ELQ-00002, the rejected-rows log line
    assert "ELQ-00001" in page  # the total
    timeline = page.split("<h3>Timeline</h3>", 1)[1].split("<h3>Logs</h3>", 1)[0]
    assert "<td>status</td><td>status pending</td>" in timeline
    assert "<td>chunk</td><td>rows 2, total 2</td>" in timeline
    assert "<td>status</td><td>status warning</td>" in timeline


def test_the_overview_shows_the_journal_the_fault_rules_and_the_snapshots(bulk: Bulk) -> None:
    bulk.sign_in()
    rule = bulk.client.post(
        "/_emulator/faults", json={"path": "/api/bulk/2.0/syncs/*", "status": 503, "times": 2}
    )
    assert rule.status_code == 201
    assert bulk.client.post("/_emulator/snapshots/signed-in", json={}).status_code == 201
    page = bulk.client.get("/_emulator/").text
    requests = page.split("<h2>Requests</h2>", 1)[1].split("<h2>Fault rules</h2>", 1)[0]
    assert "<td>GET /api/bulk/2.0/contacts/fields</td><td>200</td>" in requests
    faults = page.split("<h2>Fault rules</h2>", 1)[1].split("<h2>Snapshots</h2>", 1)[0]
    assert "<td>/api/bulk/2.0/syncs/*</td>" in faults
    assert "<td>status 503</td><td>0</td><td>2</td>" in faults
    assert "<td>signed-in</td>" in page.split("<h2>Snapshots</h2>", 1)[1]


def test_text_from_clients_is_escaped(bulk: Bulk) -> None:
    bulk.define("/contacts/imports", {**IMPORT, "name": "<script>alert(1)</script>"})
    page = bulk.client.get("/_emulator/").text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_unknown_sync_or_site_is_a_404_in_eloqua_s_shape(bulk: Bulk) -> None:
    bulk.sign_in()
    missing = bulk.client.get("/_emulator/ui/sites/Acme/syncs/999")
    assert missing.status_code == 404
    assert missing.json()["failures"][0]["value"] == "/syncs/999"
    assert bulk.client.get("/_emulator/ui/sites/Nobody/syncs/1").status_code == 404


def test_a_sync_id_no_store_can_hold_is_a_404_not_a_server_error(bulk: Bulk) -> None:
    bulk.sign_in()
    for sync_id in ("9223372036854775808", "9" * 40):
        missing = bulk.client.get(f"/_emulator/ui/sites/Acme/syncs/{sync_id}")
        assert missing.status_code == 404
        assert missing.json()["failures"][0]["field"] == "uri"


def test_the_report_is_one_page_with_every_sync_inline(bulk: Bulk) -> None:
    _, sync = import_with_a_reject(bulk)
    sync_id = sync["uri"].rsplit("/", 1)[1]
    report = bulk.client.get("/_emulator/report.html")
    assert report.status_code == 200
    assert 'filename="eloqua-emulator-report.html"' in report.headers["content-disposition"]
    page = report.text
    assert f'<h2 id="sync-Acme-{sync_id}">Acme: sync {sync_id}</h2>' in page
    assert f'href="#sync-Acme-{sync_id}"' in page
    assert "not-an-address" in page
    assert "http-equiv" not in page  # a saved page does not reload
    assert "<link" not in page  # nothing outside the page
    assert "src=" not in page


def acoustic_job_and_file(bulk: Bulk) -> tuple[int, dict]:
    acoustic = signed_in(bulk.client)
    body = example()
    body["channels"][0]["exportFileName"] = "R&D's nightly"  # text from clients is escaped
    job_id = acoustic.create(body)
    rotated = bulk.client.post(f"/_emulator/acoustic/jobs/{job_id}/rotate")
    assert rotated.status_code == 201
    return job_id, rotated.json()["file"]


def test_the_overview_shows_the_acoustic_jobs_and_the_files_they_wrote(bulk: Bulk) -> None:
    before = bulk.client.get("/_emulator/").text
    assert "<h2>Acoustic</h2>" in before
    assert "no BEX job definitions" in before
    assert "no export files written yet" in before
    assert "28 e-mail events to export" in before  # the seeded ones
    job_id, file = acoustic_job_and_file(bulk)
    page = bulk.client.get("/_emulator/").text
    section = page.split("<h2>Acoustic</h2>", 1)[1].split("<h2>Requests</h2>", 1)[0]
    jobs = section.split("<h3>BEX job definitions</h3>", 1)[1].split("<h3>Export files", 1)[0]
    assert f"<td>{job_id}</td><td>423251 Newsletter Subscribers</td>" in jobs
    assert "<td>user@example.com</td>" in jobs
    assert "<td>emailSend, emailOpen</td><td>SendExperience</td><td>column1</td>" in jobs
    assert "<td>2027-01-15T08:00:00.0000000Z</td>" in jobs  # the last rotation
    assert "<td>2027-01-15T09:00:00.0000000Z</td>" in jobs  # the next
    files = section.split("<h3>Export files</h3>", 1)[1]
    assert "R&amp;D&#x27;s nightly_Email_20270115080000_1.csv</a>" in files
    assert "R&D's" not in section
    assert f'href="{file["url"]}"' in files
    assert '<td class="num">9</td>' in files  # rows


def test_the_report_lists_the_acoustic_files_without_links(bulk: Bulk) -> None:
    _, file = acoustic_job_and_file(bulk)
    page = bulk.client.get("/_emulator/report.html").text
    section = page.split("<h2>Acoustic</h2>", 1)[1]
    assert "<h3>Export files</h3>" in section
    assert file["url"] not in page  # a saved page links to nothing on the server
    assert "<td>R&amp;D&#x27;s nightly_Email_20270115080000_1.csv</td>" in section
