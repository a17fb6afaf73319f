"""The dashboard under ``/_emulator/``: what a test run did, for a person in a browser.

``GET /_emulator/`` lists every site with its newest syncs, definitions and waiting uploads,
the Acoustic side (BEX job definitions with their rotations, the files written), then the
request journal, the fault rules and the snapshots;
``GET /_emulator/ui/sites/{site}/syncs/{id}`` shows one sync with its timeline, logs and
rejects;
``GET /_emulator/report.html`` is the same as one static page (every sync inline), to save
as a CI artefact. Plain GETs with no script: nothing here changes state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from emulator.core import timestamps
from emulator.core.config import __version__
from emulator.domain import dashboard, snapshots
from emulator.http.html import Cell, esc, link, page, status, table
from emulator.http.journal import Query
from emulator.http.state import AppState, state_of

NUMBERS = frozenset({"contacts", "definitions", "syncs", "waiting uploads", "rows", "bytes"})
JOURNAL = 50  # the newest requests shown; GET /_emulator/requests has the rest


async def get_dashboard(request: Request) -> Response:
    state = state_of(request)
    sites = await state.db.read(dashboard.overview)
    acoustic = await state.db.read(dashboard.acoustic)
    body = _header(state, "Eloqua emulator") + "".join(_site(site) for site in sites)
    if not sites:
        body += '<p class="empty">No site has signed in yet.</p>'
    body += _acoustic(acoustic)
    body += _controls(state)
    return HTMLResponse(page("Eloqua emulator", body, refresh=5))


async def get_dashboard_sync(request: Request) -> Response:
    state = state_of(request)
    site, sync_id = request.path_params["site"], request.path_params["id"]
    detail = await state.db.read(dashboard.sync_detail, site, sync_id)
    body = _header(state, f"{detail['site']}: sync {sync_id}") + _sync(detail)
    body += f"<p>{link('/_emulator/', '← all sites')}</p>"
    return HTMLResponse(page(f"Sync {sync_id} of {detail['site']}", body, refresh=5))


async def get_report(request: Request) -> Response:
    """One self-contained page: the overview, then every listed sync in full."""
    state = state_of(request)

    def gather(db: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
        sites = dashboard.overview(db)
        details = [
            dashboard.sync_detail(db, site["name"], sync["id"])
            for site in sites
            for sync in site["syncList"]
        ]
        return sites, details, dashboard.acoustic(db)

    sites, details, acoustic = await state.db.read(gather)
    body = _header(state, "Eloqua emulator report", report=True)
    body += "".join(_site(site, report=True) for site in sites)
    body += _acoustic(acoustic, report=True)
    body += _controls(state)
    for detail in details:
        anchor = _anchor(detail["site"], detail["sync"]["id"])
        body += f'<h2 id="{anchor}">{esc(detail["site"])}: sync {detail["sync"]["id"]}</h2>'
        body += _sync(detail)
    return HTMLResponse(
        page("Eloqua emulator report", body),
        headers={"Content-Disposition": 'inline; filename="eloqua-emulator-report.html"'},
    )


def _header(state: AppState, title: str, *, report: bool = False) -> str:
    now = timestamps.from_epoch(state.clock())
    links = (
        ""
        if report
        else (
            f" · {link('/_emulator/report.html', 'save as one page')}"
            f" · {link('/_emulator/metrics', 'metrics')}"
            f" · {link('/_emulator/openapi.yaml', 'contract')}"
        )
    )
    return (
        f'<h1>{esc(title)}</h1><p class="meta">version {esc(__version__)} · store '
        f"<code>{esc(state.settings.db)}</code> · emulated time {esc(now)}{links}</p>"
    )


def _controls(state: AppState) -> str:
    """The newest requests, the fault rules and the snapshots: what a test set up and what
    its client sent."""
    journal = state.journal.listing(Query(limit=JOURNAL))
    requests = table(
        [
            ("time", "time"),
            ("site", "site"),
            ("request", lambda row: esc(f"{row['method']} {row['path']}")),
            ("status", "status"),
            ("ms", "durationMs"),
            ("fault", lambda row: esc((row.get("fault") or {}).get("kind", ""))),
            ("request id", "id"),
        ],
        journal["items"],
        empty="no requests recorded",
        numeric=frozenset({"ms"}),
    )
    faults = table(
        [
            ("rule", "id"),
            ("method", "method"),
            ("path", "path"),
            ("site", "site"),
            ("does", _fault_does),
            ("fired", "fired"),
            ("left", "remaining"),
        ],
        state.faults.describe(),
        empty="no fault rules",
    )
    shelf = state.snapshots
    saved = table(
        [("name", "name"), ("saved", "createdAt"), ("bytes", "size")],
        snapshots.listing(shelf)["items"] if shelf is not None else [],
        empty="no snapshots",
        numeric=frozenset({"bytes"}),
    )
    return (
        f'<h2>Requests</h2><p class="meta">the newest {JOURNAL} of {journal["total"]} '
        f"in the journal (GET /_emulator/requests)</p>{requests}"
        f"<h2>Fault rules</h2>{faults}<h2>Snapshots</h2>{saved}"
    )


def _acoustic(acoustic: Mapping[str, Any], *, report: bool = False) -> str:
    """Acoustic BEX: the job definitions with their last and next rotations, and the files
    written (linked to their download, except in the one-page report)."""

    def file_cell(row: Mapping[str, Any]) -> str:
        if report:
            return esc(row["name"])
        user, name = quote(row["ftpUserId"], safe="@"), quote(row["name"], safe="")
        return link(f"/_emulator/acoustic/files/{user}/{name}", row["name"])

    def listed(key: str) -> Cell:
        return lambda row: esc(", ".join(row[key]) or "all")

    jobs = table(
        [
            ("job", "id"),
            ("database", lambda row: esc(f"{row['contactSourceId']} {row['database'] or ''}")),
            ("FTP user", "ftpUserId"),
            ("every (hours)", "jobFrequency"),
            ("format", "exportFileFormat"),
            ("event types", listed("eventTypes")),
            ("mailing types", listed("mailingTypes")),
            ("columns", lambda row: esc(", ".join(row["columns"]))),
            ("last rotation", lambda row: esc(row["lastRotation"] or "never")),
            ("next rotation", "nextRotation"),
            ("files", "files"),
        ],
        acoustic["jobs"],
        empty="no BEX job definitions",
        numeric=frozenset({"every (hours)", "files"}),
    )
    files = table(
        [
            ("file", file_cell),
            ("job", "jobId"),
            ("FTP user", "ftpUserId"),
            ("format", "format"),
            ("rows", "rows"),
            ("bytes", "bytes"),
            ("rotated", "rotatedAt"),
            ("by", "trigger"),
        ],
        acoustic["files"],
        empty="no export files written yet",
        numeric=NUMBERS,
    )
    return (
        f'<h2>Acoustic</h2><p class="meta">{esc(acoustic["events"])} e-mail events to export '
        "(POST /_emulator/acoustic/events adds more)</p>"
        f"<h3>BEX job definitions</h3>{jobs}<h3>Export files</h3>{files}"
    )


def _fault_does(rule: Mapping[str, Any]) -> str:
    if rule.get("fault"):
        return esc(rule["fault"])
    if rule.get("status") is not None:
        return esc(f"status {rule['status']}")
    return esc(f"latency {rule.get('latencyMs')} ms")


def _anchor(site: str, sync_id: int) -> str:
    return f"sync-{quote(site, safe='')}-{sync_id}"


def _site(site: Mapping[str, Any], *, report: bool = False) -> str:
    name = site["name"]

    def sync_link(row: Mapping[str, Any]) -> str:
        if report:
            return link(f"#{_anchor(name, row['id'])}", row["id"])
        return link(f"/_emulator/ui/sites/{quote(name, safe='')}/syncs/{row['id']}", row["id"])

    summary = table(
        [
            ("contacts", "contacts"),
            ("definitions", "definitions"),
            ("syncs", "syncs"),
            ("waiting uploads", "stagedFiles"),
            ("since", "createdAt"),
        ],
        [site],
        numeric=NUMBERS,
    )
    syncs = table(
        [
            ("sync", sync_link),
            ("of", "syncedInstanceUri"),
            ("status", lambda row: status(row["status"])),
            ("created", "createdAt"),
            ("started", "syncStartedAt"),
            ("ended", "syncEndedAt"),
            ("logs", "logs"),
            ("rejects", "rejects"),
        ],
        site["syncList"],
        empty="no syncs",
        numeric=frozenset({"logs", "rejects"}),
    )
    definitions = table(
        [("uri", "uri"), ("name", "name")], site["definitionList"], empty="no definitions"
    )
    staged = table(
        [
            ("file", "id"),
            ("definition", lambda row: esc(f"/{row['kind']} {row['definitionId']}")),
            ("rows", "rows"),
            ("bytes", "bytes"),
        ],
        site["stagedFileList"],
        empty="no uploads waiting for a sync",
        numeric=NUMBERS,
    )
    return (
        f"<h2>Site {esc(name)}</h2>{summary}<h3>Syncs</h3>{syncs}"
        f"<h3>Definitions</h3>{definitions}<h3>Uploads waiting for a sync</h3>{staged}"
    )


def _sync(detail: Mapping[str, Any]) -> str:
    sync = detail["sync"]
    facts = table(
        [
            ("of", "syncedInstanceUri"),
            ("status", lambda row: status(row["status"])),
            ("created by", "createdBy"),
            ("created", "createdAt"),
            ("started", "syncStartedAt"),
            ("ended", "syncEndedAt"),
        ],
        [sync],
    )
    logs = table(
        [
            ("severity", "severity"),
            ("code", "statusCode"),
            ("message", "message"),
            ("count", "count"),
            ("at", "createdAt"),
        ],
        detail["logs"],
        empty="no log lines",
        numeric=frozenset({"count"}),
    )
    shown = len(detail["rejects"])
    rejects = table(
        [
            ("row", "recordIndex"),
            ("code", "statusCode"),
            ("message", "message"),
            ("values", _field_values),
        ],
        detail["rejects"],
        empty="no rejects",
    )
    more = sync["rejects"] - shown
    if more > 0:
        rejects += f'<p class="meta">and {more} more (GET /syncs/{sync["id"]}/rejects)</p>'
    timeline = table(
        [("at", "at"), ("event", "event"), ("what", _event_detail)],
        detail["timeline"],
        empty="nothing yet",
    )
    return (
        f"{facts}<h3>Timeline</h3>{timeline}<h3>Logs</h3>{logs}"
        f"<h3>Rejects ({esc(sync['rejects'])})</h3>{rejects}"
    )


def _event_detail(event: Mapping[str, Any]) -> str:
    """Everything an event says besides when and what: status, rows, codes, answers."""
    return esc(
        ", ".join(
            f"{key} {value}"
            for key, value in event.items()
            if key not in ("at", "event") and value is not None
        )
    )


def _field_values(row: Mapping[str, Any]) -> str:
    """A reject's ``fieldValues`` (item key → value as sent), the invalid ones marked."""
    values = row.get("fieldValues")
    if not isinstance(values, Mapping):
        return ""
    invalid = set(row.get("invalidFields") or ())
    return "<br>".join(
        f"<code>{esc(key)}</code> = {'<strong>' if key in invalid else ''}{esc(value)}"
        f"{'</strong>' if key in invalid else ''}"
        for key, value in values.items()
    )


def routes() -> list[Route]:
    return [
        Route("/_emulator/", get_dashboard, methods=["GET"], name="get_dashboard"),
        Route(
            "/_emulator/ui/sites/{site}/syncs/{id:eloqua}",  # 19+ digits: 404, not a bind error
            get_dashboard_sync,
            methods=["GET"],
            name="get_dashboard_sync",
        ),
        Route("/_emulator/report.html", get_report, methods=["GET"], name="get_report"),
    ]
