"""Options and fixtures of the contract suite.

Without options the suite starts its own emulator on loopback. With ``--base-url`` (the
login origin, e.g. ``https://login.eloqua.com``) and ``--auth`` it runs against a pod;
``ELOQUA_BASE_URL`` and ``ELOQUA_AUTH`` are the environment fallbacks. A base URL that
answers ``/_emulator/health`` (an emulator started as a CI service, say) is an emulator:
every test runs, writes included, at full speed; ``--target`` overrides the guess.
``--record FILE.jsonl`` writes every exchange of the run for ``python -m emulator replay``.

The Acoustic scenarios (``contract_tests/acoustic/``, marked ``acoustic``) have their own
target, options and skips (``contract_tests/acoustic/target.py``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis

from contract_tests.acoustic.target import acoustic_kind, add_options
from contract_tests.auth import parse_auth
from contract_tests.limits import LimitedSession, LimitedTransport, Limiter
from contract_tests.recorder import Recorder
from contract_tests.report import Report
from contract_tests.target import Target, serve_in_thread

SPEC = Path(__file__).resolve().parent.parent / "openapi" / "eloqua-bulk-2.0.yaml"
POD_RATE = 5.0  # requests a second
POD_BUDGET = 3000
POD_READS_ONLY = "on a pod only reads are generated: random ids could name someone's data"
EMULATOR_AUTH = "basic:ContractSuite\\contract.user:any-password"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("eloqua", "Eloqua contract suite")
    group.addoption(
        "--base-url",
        default=os.environ.get("ELOQUA_BASE_URL") or None,
        help="login origin of a real pod (default: start an emulator)",
    )
    group.addoption(
        "--auth",
        default=os.environ.get("ELOQUA_AUTH") or None,
        help="basic:Site\\User:password or bearer:TOKEN",
    )
    group.addoption(
        "--rate-limit",
        type=float,
        default=None,
        help="requests a second at most (default: 5 on a pod, unlimited on the emulator)",
    )
    group.addoption(
        "--request-budget",
        type=int,
        default=None,
        help="requests in the run at most; later tests skip (default: 3000 on a pod)",
    )
    group.addoption(
        "--dry-run",
        action="store_true",
        default=False,
        help="list the operations and scenarios that would run, call nothing",
    )
    group.addoption(
        "--report",
        default=None,
        help="write a per-operation Markdown report to this path",
    )
    group.addoption(
        "--record",
        default=None,
        metavar="FILE.jsonl",
        help="write every request sent and answer got, in order, one exchange a line, "
        "credentials removed, for 'python -m emulator replay' (needs a run in one process)",
    )
    group.addoption(
        "--target",
        choices=("auto", "emulator", "pod"),
        default=os.environ.get("ELOQUA_TARGET") or "auto",
        help="what --base-url is (default auto: an emulator if it answers /_emulator/health)",
    )
    group.addoption(
        "--allow-pod-writes",
        action="store_true",
        default=False,
        help="let tests that write records run against a pod",
    )
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("--report")
    if path and not hasattr(config, "workerinput"):  # the xdist controller writes it
        config.pluginmanager.register(Report(SPEC, Path(path)), "eloqua-contract-report")
    record = config.getoption("--record")
    if record:
        if config.getoption("dist", "no") != "no" or hasattr(config, "workerinput"):
            raise pytest.UsageError("--record keeps the order of one process: add -n 0")
        config._eloqua_recorder = Recorder(Path(record))  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder: Recorder | None = getattr(config, "_eloqua_recorder", None)
    if recorder is not None:
        recorder.close()


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    recorder: Recorder | None = getattr(config, "_eloqua_recorder", None)
    if recorder is not None:
        terminalreporter.write_line(f"recorded {recorder.count} exchanges to {recorder.path}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Name generated tests after their operation; on a pod, skip what needs the emulator,
    and record writes unless allowed."""
    for item in items:
        _name_after_operation(item)
    acoustic = [item for item in items if item.get_closest_marker("acoustic")]
    eloqua = [item for item in items if not item.get_closest_marker("acoustic")]
    if eloqua and target_kind(config) == "pod":
        _skip_on_pod(config, eloqua)
    if acoustic and acoustic_kind(config) == "pod":
        _skip_on_pod(config, acoustic)
    if config.getoption("--dry-run"):
        _dry_run(config, items)


def target_kind(config: pytest.Config) -> str:
    """``emulator`` or ``pod``: what the run talks to, decided once. Without a base URL the
    suite starts an emulator; with one, ``--target`` says, or one ``GET
    /_emulator/health`` (a read a pod answers 404) does."""
    known: str | None = getattr(config, "_eloqua_target_kind", None)
    if known is not None:
        return known
    base_url = config.getoption("--base-url")
    kind = config.getoption("--target")
    if not base_url:
        kind = "emulator"
    elif kind == "auto":
        kind = "emulator" if _answers_health(base_url) else "pod"
    config._eloqua_target_kind = kind  # type: ignore[attr-defined]
    return str(kind)


def _answers_health(base_url: str) -> bool:
    try:
        response = httpx.get(base_url.rstrip("/") + "/_emulator/health", timeout=3)
        return response.status_code == 200 and response.json().get("status") == "ready"
    except (httpx.HTTPError, ValueError, AttributeError):
        return False


def _skip_on_pod(config: pytest.Config, items: list[pytest.Item]) -> None:
    """What needs the emulator, generated calls that are not reads, and record writes
    unless allowed."""
    allow_writes = config.getoption("--allow-pod-writes")
    for item in items:
        label = getattr(item, "operation_label", None) or ""
        if item.get_closest_marker("emulator_only"):
            item.add_marker(pytest.mark.skip(reason="emulator only: checks unpublished behaviour"))
        elif label and not label.startswith("GET "):
            item.add_marker(pytest.mark.skip(reason=POD_READS_ONLY))
        elif item.get_closest_marker("writes_pod_data") and not allow_writes:
            item.add_marker(pytest.mark.skip(reason="writes records; pass --allow-pod-writes"))


def _dry_run(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Print what would be called, and run nothing."""
    write = config.get_terminal_writer().line
    where = config.getoption("--base-url") or "a fresh emulator"
    write(f"dry run against {where}: {len(items)} tests would run")
    for item in items:
        skip = item.get_closest_marker("skip")
        marks = [m for m in ("writes_pod_data", "emulator_only") if item.get_closest_marker(m)]
        notes = [f"skipped: {skip.kwargs.get('reason', '')}"] if skip else marks
        write(f"  {item.nodeid}" + (f"  ({'; '.join(notes)})" if notes else ""))
    config.hook.pytest_deselected(items=list(items))
    items[:] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.config.getoption("--dry-run") and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK


def _name_after_operation(item: pytest.Item) -> None:
    """``test_…[GET /api/bulk/2.0/syncs]`` as the node id too (JUnit XML, ``-k``, reports):
    with pytest 9 the ids schemathesis gives its items lose the operation."""
    name = getattr(item, "originalname", None)
    if not name or "[" not in item.name or "[" in item.nodeid:
        return
    label = item.name[len(name) + 1 : -1]
    item._id = item.parent.id.child(name).with_params(label)  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    base_url = request.config.getoption("--base-url")
    auth = request.config.getoption("--auth")
    if base_url:
        kind = target_kind(request.config)
        if kind == "emulator":
            auth = auth or EMULATOR_AUTH
        if not auth:
            raise pytest.UsageError("--base-url needs --auth (or ELOQUA_AUTH)")
        yield Target(base_url.rstrip("/"), parse_auth(auth), kind)
        return
    with serve_in_thread() as url:
        yield Target(url, parse_auth(auth or EMULATOR_AUTH), "emulator")


@pytest.fixture(scope="session")
def limiter(request: pytest.FixtureRequest, target: Target) -> Limiter:
    """One rate limit and request budget for every call of the run (and, with
    ``--record``, one recording of them)."""
    rate = request.config.getoption("--rate-limit")
    budget = request.config.getoption("--request-budget")
    if not target.is_emulator:
        rate = POD_RATE if rate is None else rate
        budget = POD_BUDGET if budget is None else budget
    recorder: Recorder | None = getattr(request.config, "_eloqua_recorder", None)
    if recorder is not None:
        recorder.own_authorization = target.headers.get("Authorization")
    return Limiter(rate, budget, recorder)


@pytest.fixture(scope="session")
def api_session(limiter: Limiter) -> Iterator[LimitedSession]:
    """The requests session generated calls go through."""
    with LimitedSession(limiter) as session:
        yield session


@pytest.fixture(scope="session")
def api_schema() -> Any:
    return schemathesis.openapi.from_path(str(SPEC))


@pytest.fixture(scope="session")
def login(target: Target, api_schema: Any, limiter: Limiter) -> Iterator[httpx.Client]:
    """A client of the login host; every response is checked against the contract."""
    with _client(target.base_url, target, api_schema, limiter) as client:
        yield client


@pytest.fixture(scope="session")
def bulk(
    login: httpx.Client, target: Target, api_schema: Any, limiter: Limiter
) -> Iterator[httpx.Client]:
    """A client of the pod's Bulk API 2.0 base, discovered through ``/id``."""
    identity = login.get("/id").json()
    assert isinstance(identity, dict), f"/id refused the credentials: {identity!r}"
    base = identity["urls"]["apis"]["rest"]["bulk"].replace("{version}", "2.0").rstrip("/")
    with _client(base, target, api_schema, limiter) as client:
        yield client


@pytest.fixture(scope="session")
def run_id() -> str:
    """Names every definition the suite creates, so a pod's leftovers are recognisable."""
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def created(bulk: httpx.Client) -> Iterator[list[str]]:
    """Definition uris to delete when the session ends (keeps a pod clean)."""
    uris: list[str] = []
    yield uris
    for uri in reversed(uris):
        bulk.delete(uri)


def _client(base_url: str, target: Target, api_schema: Any, limiter: Limiter) -> httpx.Client:
    def validate(response: httpx.Response) -> None:
        response.read()
        path = response.request.url.path
        if "/api/bulk/" in path.lower():
            path = "/api/bulk/2.0" + path.lower().split("/api/bulk/2.0", 1)[1]
        operation = api_schema.find_operation_by_path(response.request.method, path)
        if operation is not None:
            operation.validate_response(response)

    return httpx.Client(
        base_url=base_url,
        headers=target.headers,
        timeout=30,
        transport=LimitedTransport(limiter),
        event_hooks={"response": [validate]},
    )


@pytest.fixture(scope="session")
def bulk_origin(bulk: httpx.Client) -> str:
    """Scheme and host of the Bulk base: the contract's paths start with ``/api/bulk/2.0``."""
    url = bulk.base_url
    return f"{url.scheme}://{url.netloc.decode()}"
