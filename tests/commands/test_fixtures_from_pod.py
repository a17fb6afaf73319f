"""``python -m emulator fixtures from-pod``: an emulator stands in for the pod, and a second
emulator started on the mirror must serve the same catalogs, byte for byte."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from emulator import Settings, create_app
from emulator.cli import main as cli_main
from emulator.commands.fixtures import main
from emulator.commands.pacing import BudgetSpent, Pacer
from emulator.domain.catalog import ACTIVITY_TYPES, CAMPAIGN_FIELD_TYPES
from emulator.testing import free_port, serve, serve_app

AUTH = "basic:Mirror\\mirror.user:pw"
HEADERS = {"Authorization": "Basic " + base64.b64encode(b"Mirror\\mirror.user:pw").decode()}
BULK = "/api/bulk/2.0"
FIELD_LISTINGS = [
    "/contacts/fields",
    "/accounts/fields",
    "/activities/fields",
    "/campaignResponses/fields",
    "/opportunities/fields",
    "/campaigns/fields",
]
CONTAINER_LISTINGS = [
    "/contacts/lists",
    "/contacts/segments",
    "/contacts/filters",
    "/contacts/scoring/models",
    "/accounts/lists",
    "/emailGroups",
    "/customObjects",
    "/events",
]
# listings with a filter parameter: each value is a listing of its own
TAGGED = {
    "/activities/fields": ("activityType", ACTIVITY_TYPES),
    "/campaigns/fields": ("type", CAMPAIGN_FIELD_TYPES),
}


def settings(**overrides: Any) -> Settings:
    return Settings(db=":memory:", port=free_port(), log_level="warning", **overrides)


def mirror(url: str, out_dir: Path, *extra: str) -> int:
    argv = ["from-pod", "--base-url", url, "--auth", AUTH, "--rate", "1000", *extra]
    return main([*argv, str(out_dir)], environ={})


@pytest.fixture(scope="module")
def source() -> Iterator[str]:
    """The "pod": an emulator on the bundled fixtures."""
    with serve(settings()) as url:
        yield url


@pytest.fixture(scope="module")
def mirrored(source: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("mirror")
    assert mirror(source, out_dir, "--page-size", "7") == 0  # several pages per listing
    return out_dir


@pytest.fixture(scope="module")
def replica(mirrored: Path) -> Iterator[str]:
    with serve(settings(fixtures=mirrored)) as url:
        yield url


def pages(client: httpx.Client, path: str, **params: str) -> list[bytes]:
    """Every page of a listing, five items at a time, as the bytes served."""
    bodies: list[bytes] = []
    while True:
        response = client.get(BULK + path, params={**params, "limit": 5, "offset": 5 * len(bodies)})
        assert response.status_code == 200, (path, response.text)
        bodies.append(response.content)
        if not response.json()["hasMore"]:
            return bodies


def everything(url: str) -> dict[str, list[bytes]]:
    """Every catalog listing and item the emulator at ``url`` serves."""
    seen: dict[str, list[bytes]] = {}
    with httpx.Client(base_url=url, headers=HEADERS) as client:
        for path in FIELD_LISTINGS + CONTAINER_LISTINGS:
            seen[path] = pages(client, path)
        for path, (param, values) in TAGGED.items():
            for value in values:
                seen[f"{path}?{param}={value}"] = pages(client, path, **{param: value})
        for path in CONTAINER_LISTINGS:
            for item in client.get(BULK + path, params={"limit": 1000}).json()["items"]:
                uri = item["uri"]
                seen[uri] = [client.get(BULK + uri).content]
                if path in ("/customObjects", "/events"):
                    seen[uri + "/fields"] = pages(client, uri + "/fields")
    return seen


def test_the_mirror_serves_identical_catalogs(source: str, replica: str) -> None:
    expected, served = everything(source), everything(replica)
    assert served.keys() == expected.keys()
    for key, bodies in expected.items():
        assert served[key] == bodies, key
    # not vacuous: every unfiltered listing has items, and lists keep their counts
    for path in FIELD_LISTINGS + CONTAINER_LISTINGS:
        assert b'"totalResults":0,' not in expected[path][0], path
    lists = [orjson.loads(page)["items"] for page in expected["/contacts/lists"]]
    assert sum(item["count"] for items in lists for item in items) > 0


def test_the_mirror_writes_the_loader_layout_and_no_records(mirrored: Path) -> None:
    written = sorted(p.relative_to(mirrored).as_posix() for p in mirrored.rglob("*.json*"))
    assert "contacts/fields.json" in written
    assert "customObjects/index.json" in written
    assert not [name for name in written if name.endswith(".jsonl")]


def test_the_output_is_deterministic(source: str, mirrored: Path, tmp_path: Path) -> None:
    assert mirror(source, tmp_path) == 0  # other page size, same files
    files = sorted(p.relative_to(mirrored) for p in mirrored.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    for name in files:
        assert (tmp_path / name).read_bytes() == (mirrored / name).read_bytes(), name


class Recorder:
    """Notes when each request arrives; answers the first one to a path with a 429."""

    def __init__(self, app: ASGIApp, throttle: str = "") -> None:
        self.app, self.throttle = app, throttle
        self.arrivals: list[float] = []
        self.methods: set[str] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.arrivals.append(time.monotonic())
            self.methods.add(scope["method"])
            if self.throttle and scope["path"].endswith(self.throttle):
                self.throttle = ""
                response = Response(status_code=429, headers={"Retry-After": "0"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def test_it_never_goes_faster_than_the_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rate = 20
    recorder = Recorder(create_app(settings()), throttle="/contacts/segments")
    with serve_app(recorder) as url:
        started = time.monotonic()
        code = main(
            ["from-pod", "--base-url", url, "--auth", AUTH, "--rate", str(rate), str(tmp_path)],
            environ={},
        )
        elapsed = time.monotonic() - started
    assert code == 0
    n = len(recorder.arrivals)
    assert f"requests: {n} in" in capsys.readouterr().out  # the 429 is counted and asked again
    assert n > 15
    assert elapsed >= (n - 1) / rate
    assert recorder.arrivals[-1] - recorder.arrivals[0] >= (n - 1) / rate - 0.05
    assert recorder.methods == {"GET"}


def test_a_pod_origin_without_id_and_without_campaign_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pod's own host has no ``/id``: its Bulk base is ``/api/bulk/2.0``. A catalog it
    does not serve (404) is written empty."""
    app = create_app(settings())

    async def pod(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].endswith(("/id", "/campaigns/fields")):
            await Response(status_code=404)(scope, receive, send)
            return
        await app(scope, receive, send)

    with serve_app(pod) as url:
        assert mirror(url, tmp_path) == 0
    out = capsys.readouterr().out
    assert f"mirrored {url}/api/bulk/2.0 into" in out
    assert "not served by this pod (written empty): campaigns/fields.json" in out
    assert (tmp_path / "campaigns" / "fields.json").read_text() == "[]\n"
    assert "{{Contact.Field(" in (tmp_path / "contacts" / "fields.json").read_text()


def test_no_counts_writes_no_placeholder_members(source: str, tmp_path: Path) -> None:
    assert mirror(source, tmp_path, "--no-counts") == 0
    lists = orjson.loads((tmp_path / "contacts" / "lists.json").read_bytes())
    assert lists
    assert all("_members" not in item for item in lists)


def test_the_pacer_spaces_requests_and_keeps_to_the_budget() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(4, budget=3, clock=lambda: now[0], sleep=sleep)
    pacer.wait()
    pacer.wait()
    now[0] += 0.1
    pacer.wait()
    assert slept == [0.25, pytest.approx(0.15)]
    with pytest.raises(BudgetSpent):
        pacer.wait()


def failure(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.err


@pytest.mark.parametrize("bulk_base", [False, True], ids=["discovery", "bulk-base"])
def test_refused_credentials_fail_clearly(
    source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], bulk_base: bool
) -> None:
    url = source + BULK if bulk_base else source
    out_dir = tmp_path / "out"
    argv = ["from-pod", "--base-url", url, "--auth", "bearer:not-a-token", str(out_dir)]
    assert main(argv, environ={}) == 1
    assert "credentials refused" in failure(capsys)
    assert not out_dir.exists()


def test_it_refuses_a_non_empty_out_dir_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    unused = f"http://127.0.0.1:{free_port()}"
    code = cli_main(["fixtures", "from-pod", "--base-url", unused, "--auth", AUTH, str(tmp_path)])
    assert code == 1
    err = failure(capsys)
    assert "is not empty; --force" in err
    assert "(0 requests made)" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_force_writes_over_and_leaves_other_files(source: str, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "emailGroups.json").write_text("[]")
    assert mirror(source, tmp_path, "--force") == 0
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert "{{EmailGroup[" in (tmp_path / "emailGroups.json").read_text()


def test_an_unreachable_host_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mirror(f"http://127.0.0.1:{free_port()}", tmp_path / "out") == 1
    assert "cannot reach 127.0.0.1" in failure(capsys)


def test_an_answer_that_is_not_json_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def page(request: Request) -> Response:
        return HTMLResponse("<html>Sign in</html>")

    login_page = Starlette(routes=[Route("/{path:path}", page)])
    with serve_app(login_page) as url:
        assert mirror(url, tmp_path / "out") == 1
    assert "not JSON (text/html" in failure(capsys)
    assert not (tmp_path / "out").exists()


def test_the_request_budget_stops_the_run_before_anything_is_written(
    source: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert mirror(source, tmp_path / "out", "--max-requests", "3") == 1
    assert "request budget of 3 spent" in failure(capsys)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--auth", AUTH], "--base-url is needed"),
        (["--base-url", "http://x"], "--auth is needed"),
        (["--base-url", "http://x", "--auth", "basic:nobackslash:pw"], "--auth must be"),
        (["--base-url", "x.eloqua.com", "--auth", AUTH], "--base-url must be an http(s) URL"),
        (["--base-url", "http://x", "--auth", AUTH, "--page-size", "1001"], "--page-size"),
    ],
)
def test_usage_errors(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["from-pod", *argv, str(tmp_path)], environ={})
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_credentials_can_come_from_the_environment(source: str, tmp_path: Path) -> None:
    environ = {"ELOQUA_BASE_URL": source, "ELOQUA_AUTH": AUTH}
    assert main(["from-pod", "--rate", "1000", str(tmp_path)], environ=environ) == 0
