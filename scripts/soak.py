#!/usr/bin/env python3
"""Soak: many concurrent clients of mixed flows against one emulator process, for a
bounded time; then proof that nothing acknowledged was lost.

One emulator runs as its own process (``python -m emulator``) on a loopback port over a
temporary SQLite file. Each client is an ``httpx.AsyncClient`` with its own kept-alive
connection, signed in as its own user (four users to a site), running flows drawn at
random until the time is up:

* contact import: create a definition (every other one with a sync action adding the
  contacts to a list), stage rows with e-mail addresses no one else uses, sync, poll the
  sync to its end, read its logs;
* export: create an export of the client's own contacts, sync, poll, page through the
  data, delete the definition; the rows must be exactly the client's imported contacts;
* list reads of definitions, fields, lists and syncs;
* token sign-ins: the password grant, the token used on ``/id``, then the refresh grant;
* refused requests: a definition without fields, an unknown sync (the 4xx they expect are
  counted apart from unexpected ones).

Flows under way when the time is up run to their end. Meanwhile the server's RSS is read
from ``/proc/<pid>/status`` every second. Growth is the highest RSS of the last quarter of
the run against the highest of the first quarter (the warm-up: sites seeded, caches and
connection pools filled): a leak grows it, the working set does not.

After the server stops, the SQLite file is read: every row of an upload answered 204 must
be in exactly one contact, no other row of the run in any, and every sync ended.

Exit status 1 on any 5xx, request without an answer, unexpected status, lost, duplicated
or stray row, sync that did not end, export that did not match, or RSS growth of 10 % or
more. ``make soak ARGS="--clients 64 --seconds 60"``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from emulator.testing import free_port

ROOT = Path(__file__).resolve().parent.parent
BULK = "/api/bulk/2.0"
DOMAIN = "soak.example"
CLIENTS_PER_SITE = 4
OAUTH_CLIENT = ("soak-app", "secret")
TERMINAL = ("success", "warning", "error")
GRACE = 180.0  # seconds the flows under way when time is up may take to end
POLL = 0.05  # seconds between polls of a sync
GROWTH_LIMIT = 10.0  # per cent
NO_ANSWER = 0  # the status a request without an answer is counted under
FLOWS = {"import": 0.35, "export": 0.15, "list": 0.3, "sign-in": 0.1, "refused": 0.1}
EMAIL = "{{Contact.Field(C_EmailAddress)}}"
LIST = "{{ContactList[12]}}"  # a contact list of the fixtures


class Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


@dataclass
class Tally:
    """What every client saw (one event loop, so no lock)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[int] = field(default_factory=Counter)
    expected: Counter[int] = field(default_factory=Counter)  # 4xx a flow asked for
    unexpected: Counter[int] = field(default_factory=Counter)  # NO_ANSWER for no answer
    flows: Counter[str] = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)
    in_doubt: set[str] = field(default_factory=set)  # sent, no answer
    exports_checked: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        if len(self.problems) < 50:
            self.problems.append(text)


class Soaker:
    """One client: its own connection, user and e-mail prefix."""

    def __init__(self, number: int, base: str, tally: Tally, seed: int) -> None:
        self.number = number
        self.site = f"Soak{number // CLIENTS_PER_SITE}"
        self.user = f"user{number}"
        self.prefix = f"soak-c{number:04d}-"  # fixed width: no prefix starts another
        self.tally = tally
        self.rng = random.Random(seed)
        self.basic = httpx.BasicAuth(f"{self.site}\\{self.user}", "pw")
        self.http = httpx.AsyncClient(base_url=base, timeout=120)
        self.uploads = 0
        self.imported: set[str] = set()  # rows of this client's import syncs that ended

    async def run(self, deadline: float) -> None:
        names, weights = list(FLOWS), list(FLOWS.values())
        try:
            while time.monotonic() < deadline:
                flow = self.rng.choices(names, weights)[0]
                self.tally.flows[flow] += 1
                await getattr(self, "flow_" + flow.replace("-", "_"))()
        finally:
            await self.http.aclose()

    async def call(
        self,
        family: str,
        method: str,
        url: str,
        *,
        expect: Iterable[int] = (200, 201, 204),
        auth: httpx.Auth | None = None,
        **kwargs: Any,
    ) -> httpx.Response | None:
        """One request, timed under ``family``; ``None`` when it got no answer."""
        expected = set(expect)
        started = time.monotonic()
        try:
            response = await self.http.request(method, url, auth=auth or self.basic, **kwargs)
        except httpx.TransportError as exc:
            self.tally.unexpected[NO_ANSWER] += 1
            self.tally.problem(f"{method} {url}: no answer ({type(exc).__name__}: {exc})")
            return None
        self.tally.latencies[family].append(time.monotonic() - started)
        status = response.status_code
        self.tally.statuses[status] += 1
        if status not in expected:
            self.tally.unexpected[status] += 1
            self.tally.problem(f"{method} {url}: {status} {response.text[:300]}")
            return None
        if status >= 400:
            self.tally.expected[status] += 1
        return response

    async def sync(self, uri: str) -> dict[str, Any] | None:
        """Create a sync of ``uri`` and poll it to its end."""
        made = await self.call(
            "POST /syncs", "POST", f"{BULK}/syncs", json={"syncedInstanceUri": uri}
        )
        if made is None:
            return None
        sync_uri = made.json()["uri"]
        give_up = time.monotonic() + GRACE
        while time.monotonic() < give_up:
            polled = await self.call("GET /syncs/{id}", "GET", BULK + sync_uri)
            if polled is None:
                return None
            sync: dict[str, Any] = polled.json()
            if sync["status"] in TERMINAL:
                return sync
            await asyncio.sleep(POLL)
        self.tally.problem(f"{sync_uri} did not end in {GRACE:.0f} s")
        return None

    async def flow_import(self) -> None:
        definition: dict[str, Any] = {
            "name": f"soak import {self.number}",
            "fields": {"email": EMAIL, "first": "{{Contact.Field(C_FirstName)}}"},
            "identifierFieldName": "email",
        }
        if self.rng.random() < 0.5:
            definition["syncActions"] = [{"action": "add", "destination": LIST}]
        made = await self.call(
            "POST definition", "POST", f"{BULK}/contacts/imports", json=definition
        )
        if made is None:
            return
        uri = made.json()["uri"]
        sent: list[str] = []
        for _ in range(self.rng.choice((1, 1, 2))):  # now and then two uploads, one sync
            self.uploads += 1
            emails = [
                f"{self.prefix}{self.uploads}-{n}@{DOMAIN}"
                for n in range(self.rng.randint(20, 400))
            ]
            rows = [{"email": email, "first": f"F{n}"} for n, email in enumerate(emails)]
            self.tally.in_doubt.update(emails)
            staged = await self.call("POST data", "POST", f"{BULK}{uri}/data", json=rows)
            if staged is None:
                return
            self.tally.in_doubt.difference_update(emails)
            self.tally.acknowledged.update(emails)
            sent += emails
        ended = await self.sync(uri)
        if ended is None:
            return
        if ended["status"] != "success":
            self.tally.problem(f"import sync {ended['uri']} ended {ended['status']}")
            return
        self.imported.update(sent)
        await self.call("GET logs", "GET", f"{BULK}{ended['uri']}/logs")

    async def flow_export(self) -> None:
        definition = {
            "name": f"soak export {self.number}",
            "fields": {"id": "{{Contact.Id}}", "email": EMAIL},
            "filter": f"'{EMAIL}' ~ '{self.prefix}%'",
        }
        made = await self.call(
            "POST definition", "POST", f"{BULK}/contacts/exports", json=definition
        )
        if made is None:
            return
        uri = made.json()["uri"]
        ended = await self.sync(uri)
        if ended is not None:
            emails = await self.pages(ended["uri"])
            if emails is not None:
                self.check(ended["uri"], emails)
        await self.call("DELETE definition", "DELETE", BULK + uri)

    async def pages(self, sync_uri: str) -> list[str] | None:
        emails: list[str] = []
        offset, limit = 0, self.rng.choice((200, 1000, 5000))
        while True:
            page = await self.call(
                "GET /syncs/{id}/data",
                "GET",
                f"{BULK}{sync_uri}/data",
                params={"offset": offset, "limit": limit},
            )
            if page is None:
                return None
            body = page.json()
            emails += [str(item["email"]).lower() for item in body.get("items", [])]
            if not body["hasMore"]:
                return emails
            offset += limit

    def check(self, sync_uri: str, emails: list[str]) -> None:
        """The client's contacts are its imported rows, each once (no one else writes
        them)."""
        self.tally.exports_checked += 1
        counted = Counter(emails)
        twice = sorted(e for e, n in counted.items() if n > 1)
        missing = sorted(self.imported - set(counted))
        extra = sorted(set(counted) - self.imported)
        if twice or missing or extra:
            self.tally.problem(
                f"export {sync_uri}: {len(missing)} missing, {len(extra)} extra, "
                f"{len(twice)} twice (e.g. {(missing + extra + twice)[:3]})"
            )

    async def flow_list(self) -> None:
        reads = [
            ("/contacts/imports", {"limit": 20, "orderBy": "createdAt DESC"}),
            ("/contacts/fields", {"limit": 100}),
            ("/contacts/lists", {"limit": 50}),
            ("/syncs", {"limit": 50, "offset": self.rng.randint(0, 20)}),
        ]
        path, params = self.rng.choice(reads)
        await self.call("GET list", "GET", BULK + path, params=params)

    async def flow_sign_in(self) -> None:
        grant = {
            "grant_type": "password",
            "username": f"{self.site}\\{self.user}",
            "password": "pw",
        }
        client = httpx.BasicAuth(*OAUTH_CLIENT)
        token = await self.call("POST token", "POST", "/auth/oauth2/token", data=grant, auth=client)
        if token is None:
            return
        issued = token.json()
        await self.call("GET /id", "GET", "/id", auth=Bearer(issued["access_token"]))
        refresh = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
        await self.call("POST token", "POST", "/auth/oauth2/token", data=refresh, auth=client)

    async def flow_refused(self) -> None:
        if self.rng.random() < 0.5:
            body = {"name": "no fields", "fields": {}}
            await self.call("refused", "POST", f"{BULK}/contacts/imports", json=body, expect=(400,))
        else:
            unknown = f"{BULK}/syncs/{self.rng.randint(10**6, 10**7)}"
            await self.call("refused", "GET", unknown, expect=(404,))


@dataclass
class Rss:
    """The server's resident set size, sampled every second: (seconds, kB)."""

    pid: int
    samples: list[tuple[float, int]] = field(default_factory=list)

    def read(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    async def sample(self, started: float) -> None:
        while True:
            self.samples.append((time.monotonic() - started, self.read()))
            await asyncio.sleep(1)

    def figures(self, seconds: float) -> dict[str, Any]:
        """Start, peak, end; growth of the last quarter's highest over the first's."""
        kb = [k for _, k in self.samples]
        first = [k for t, k in self.samples if t <= seconds / 4] or kb[:1]
        last = [k for t, k in self.samples if t >= seconds * 3 / 4] or kb[-1:]
        baseline, end = max(first), max(last)
        return {
            "start_kb": kb[0],
            "peak_kb": max(kb),
            "baseline_kb": baseline,
            "end_kb": end,
            "growth_pct": round((end / baseline - 1) * 100, 2),
            "samples": [[round(t, 1), k] for t, k in self.samples],
        }


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "emulator",
        "--db",
        str(db),
        "--port",
        str(port),
        "--sync-progression",
        "immediate",
        "--log-level",
        "warning",
    ]
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        if server.poll() is not None:
            raise RuntimeError(f"the emulator exited at start:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/_emulator/health", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.kill()
    raise RuntimeError(f"the emulator did not become ready:\n{log.read_text()[-2000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


async def soak(base: str, pid: int, clients: int, seconds: float, seed: int) -> dict[str, Any]:
    tally = Tally()
    rss = Rss(pid)
    started = time.monotonic()
    sampler = asyncio.create_task(rss.sample(started))
    deadline = started + seconds
    soakers = [Soaker(n, base, tally, seed * 1000 + n) for n in range(clients)]
    await asyncio.gather(*(s.run(deadline) for s in soakers))
    elapsed = time.monotonic() - started
    sampler.cancel()
    requests = sum(tally.statuses.values()) + tally.unexpected[NO_ANSWER]
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": requests,
        "requests_per_second": round(requests / elapsed, 1),
        "flows": dict(tally.flows),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "expected_4xx": {str(k): v for k, v in sorted(tally.expected.items())},
        "unexpected": {str(k or "no answer"): v for k, v in sorted(tally.unexpected.items())},
        "server_errors": sum(v for k, v in tally.statuses.items() if k >= 500),
        "latency_ms": {
            family: {"count": len(values), "p50": pct(values, 0.5), "p99": pct(values, 0.99)}
            for family, values in sorted(tally.latencies.items())
        },
        "rss": rss.figures(seconds),
        "exports_checked": tally.exports_checked,
        "problems": tally.problems,
        "_acknowledged": tally.acknowledged,
        "_in_doubt": tally.in_doubt,
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


def verify(db: Path, acknowledged: set[str], in_doubt: set[str]) -> dict[str, int]:
    """What the file holds, read after the server stopped."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        stored = Counter(
            str(email)
            for (email,) in conn.execute(
                "SELECT lower(json_extract(fields, '$.C_EmailAddress')) FROM contacts "
                "WHERE json_extract(fields, '$.C_EmailAddress') LIKE ?",
                [f"%@{DOMAIN}"],
            )
        )
        statuses = dict(conn.execute("SELECT status, count(*) FROM syncs GROUP BY status"))
        integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    return {
        "acknowledged": len(acknowledged),
        "stored": sum(stored.values()),
        "lost": len(acknowledged - set(stored)),
        "duplicated": sum(1 for n in stored.values() if n > 1),
        "stray": len(set(stored) - acknowledged - in_doubt),
        "in_doubt": len(in_doubt),
        "syncs_ended": sum(v for k, v in statuses.items() if k in TERMINAL),
        "syncs_not_ended": sum(v for k, v in statuses.items() if k not in TERMINAL),
        "integrity_ok": int(integrity == "ok"),
    }


def failures(report: dict[str, Any]) -> list[str]:
    rows = report["rows"]
    found = []
    if report["server_errors"]:
        found.append(f"{report['server_errors']} server errors (5xx)")
    if report["unexpected"]:
        found.append(f"unexpected answers {report['unexpected']}")
    for key in ("lost", "duplicated", "stray", "syncs_not_ended"):
        if rows[key]:
            found.append(f"{rows[key]} {key.replace('_', ' ')}")
    if not rows["integrity_ok"]:
        found.append("integrity check failed")
    if any(p.startswith("export ") or " did not end" in p for p in report["problems"]):
        found.append("exports or syncs went wrong (see problems)")
    if report["rss"]["growth_pct"] >= GROWTH_LIMIT:
        found.append(f"RSS grew {report['rss']['growth_pct']} %")
    return found


def mb(kb: int) -> str:
    return f"{kb / 1024:.1f}"


def table(report: dict[str, Any]) -> str:
    rss, rows = report["rss"], report["rows"]
    lines = [
        f"soak: {report['clients']} clients for {report['seconds']} s",
        f"requests        {report['requests']} ({report['requests_per_second']}/s)",
        f"flows           {report['flows']}",
        f"statuses        {report['statuses']}",
        f"expected 4xx    {report['expected_4xx'] or 'none'}",
        f"unexpected      {report['unexpected'] or 'none'}",
        "",
        f"{'route family':<24}{'count':>8}{'p50 ms':>10}{'p99 ms':>10}",
    ]
    for family, figures in report["latency_ms"].items():
        lines.append(f"{family:<24}{figures['count']:>8}{figures['p50']:>10}{figures['p99']:>10}")
    every = max(1, len(rss["samples"]) // 10)
    lines += [
        "",
        f"RSS MB          start {mb(rss['start_kb'])}, after warm-up {mb(rss['baseline_kb'])}"
        f" (highest of the first quarter), peak {mb(rss['peak_kb'])},"
        f" end {mb(rss['end_kb'])} (highest of the last quarter),"
        f" growth {rss['growth_pct']:+} %",
        "RSS over time   " + ", ".join(f"{t:.0f}s {mb(kb)}" for t, kb in rss["samples"][::every]),
        "",
        f"rows            {rows['acknowledged']} acknowledged, {rows['stored']} stored,"
        f" {rows['lost']} lost, {rows['duplicated']} duplicated, {rows['stray']} stray,"
        f" {rows['in_doubt']} in doubt",
        f"syncs           {rows['syncs_ended']} ended, {rows['syncs_not_ended']} not ended;"
        f" {report['exports_checked']} exports checked against the client's rows",
    ]
    if report["problems"]:
        lines += ["", "problems (first 10):", *("  " + p for p in report["problems"][:10])]
    lines += ["", "result          " + ("; ".join(report["failures"]) or "OK")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients (64)")
    parser.add_argument("--seconds", type=float, default=60, help="how long flows start (60)")
    parser.add_argument("--seed", type=int, default=20261205, help="of the flows drawn")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eloqua-soak-") as directory:
        db, log = Path(directory) / "soak.db", Path(directory) / "emulator.log"
        server, base = start_server(db, log)
        try:
            report = asyncio.run(soak(base, server.pid, args.clients, args.seconds, args.seed))
        finally:
            stop_server(server)
        report["rows"] = verify(db, report.pop("_acknowledged"), report.pop("_in_doubt"))
        report["failures"] = failures(report)
        if report["failures"]:
            report["emulator_log_tail"] = log.read_text(errors="replace")[-3000:]
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
