"""Sends a recording's requests, in order, to an emulator (or any base URL) and compares
each answer with the recorded one.

Before a request goes out its ids are mapped (:mod:`~emulator.commands.replay.idmap`) and
its credentials are the replay's own: a request the recording made with the session's
credentials carries the replay's, one made with other credentials carries credentials no
site accepts, one made with none carries none. A recorded read of a sync is sent again
until the replay's sync is as far along as the recording's was (a sync the recording saw
end must end here too); a sync's logs, rejects or data are read once it has ended; and a
sync the recording created is created here once the earlier syncs of its definition have
ended (a definition has one sync under way at a time, and the recording's was accepted).
Two kinds of exchange are not replayed, and the report says so: one the recording got a
429 for (the pod's rate limit refused it, so it changed nothing there), and one whose
secrets the recorder removed (an OAuth grant's code, password or token: what the recording
holds is no longer what was sent).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from emulator.commands.replay.compare import (
    BULK,
    SYNC,
    SYNC_READ,
    SYNC_RESULTS,
    Answer,
    Difference,
    bulk_path,
    compare,
    operation,
    stage,
)
from emulator.commands.replay.idmap import IdMap
from emulator.commands.replay.recording import (
    OTHER_CREDENTIALS,
    REDACTED,
    SESSION_CREDENTIALS,
    Exchange,
    Request,
    content_of,
    query_pairs,
)
from emulator.commands.replay.report import Outcome
from emulator.core.config import Settings
from emulator.proxy.server import free_port, serve

# Credentials no site accepts: what a request recorded with someone else's is sent with.
REFUSED = "Basic " + base64.b64encode(b"nobody:not-a-credential").decode()
# Headers of the connection, not of the request: httpx sets its own.
NOT_SENT = frozenset({"host", "content-length", "connection", "transfer-encoding", "keep-alive"})
NOT_REPLAYED_STATUS = {429: "the recording's answer was 429: the pod's rate limit refused it"}
REDACTED_REQUEST = (
    "its secrets (a password, code or token) were removed when it was recorded, so it "
    "cannot be sent as it was"
)


class Replayer:
    def __init__(
        self,
        client: httpx.Client,
        authorization: str | None,
        *,
        sync_timeout: float = 120.0,
        poll_every: float = 0.1,
        pace: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client, self.authorization = client, authorization
        self.sync_timeout, self.poll_every = sync_timeout, poll_every
        self.pace = pace or (lambda: None)
        self.clock, self.sleep = clock, sleep
        self.idmap = IdMap()
        self.ended: set[str] = set()  # the replay's syncs seen ended (their bulk paths)
        self.syncs: dict[str, list[str]] = {}  # the replay's definition uri → its syncs' uris

    def run(self, exchanges: Sequence[Exchange]) -> list[Outcome]:
        return [self.replay(number, exchange) for number, exchange in enumerate(exchanges, 1)]

    def replay(self, number: int, exchange: Exchange) -> Outcome:
        request = exchange.request
        op = operation(request.method, request.full_path)
        outcome = Outcome(
            number=number,
            operation=op,
            method=request.method,
            path=request.full_path,
            recorded_status=exchange.response.status,
        )
        reason = NOT_REPLAYED_STATUS.get(exchange.response.status)
        if reason is None and _redacted(request):
            reason = REDACTED_REQUEST
        if reason is not None:
            outcome.skipped = reason
            return outcome
        started = self.clock()
        before: list[Difference] = []
        path = self.idmap.path(request.full_path, BULK)
        if SYNC_RESULTS.match(op):
            sync = path.rsplit("/", 1)[0]
            before += self._until_ended(sync, f"before its {path.rsplit('/', 1)[1]} were read")
        definition = _synced(request.body) if op == "POST /syncs" else None
        if definition is not None and exchange.response.status == 201:
            for earlier in self.syncs.get(self.idmap.uri(definition), []):
                why = "before another sync of its definition was created"
                before += self._until_ended(BULK + earlier, why)
        try:
            answer = self._send(request, path)
            if SYNC_READ.match(op) and exchange.response.status == 200:
                answer, late = self._until_as_far(request, path, answer, exchange.response.body)
                before += late
        except httpx.HTTPError as exc:
            outcome.differences = [
                Difference("no answer", "request", f"{type(exc).__name__}: {exc}")
            ]
            outcome.seconds = self.clock() - started
            return outcome
        comparison = compare(exchange, answer, self.idmap)
        if definition is not None and answer.status == 201:
            made = _json(answer)
            if isinstance(made, dict) and isinstance(made.get("uri"), str):
                owner = str(made.get("syncedInstanceUri"))
                self.syncs.setdefault(owner, []).append(made["uri"])
        outcome.status = answer.status
        outcome.differences = [*comparison.differences, *before]
        outcome.notes = comparison.notes
        outcome.seconds = self.clock() - started
        return outcome

    def _until_as_far(
        self, request: Request, path: str, answer: Answer, recorded: Any
    ) -> tuple[Answer, list[Difference]]:
        """Read the sync again until it is as far along as the recording's was."""
        wanted = stage(recorded.get("status")) if isinstance(recorded, dict) else None
        if wanted is None:
            return answer, []
        deadline = self.clock() + self.sync_timeout
        while True:
            now = _status_of(answer)
            reached = stage(now)
            if reached is not None and reached >= wanted:
                if reached == 2:
                    self.ended.add(_bulk_key(path))
                return answer, []
            if answer.status != 200 or reached is None or self.clock() >= deadline:
                return answer, [_not_reached(recorded.get("status"), now, self.sync_timeout)]
            self.sleep(self.poll_every)
            answer = self._send(request, path)

    def _until_ended(self, sync_path: str, why: str) -> list[Difference]:
        """Poll ``GET {sync_path}`` (not compared) until the sync ends."""
        key = _bulk_key(sync_path)
        if key in self.ended:
            return []
        deadline = self.clock() + self.sync_timeout
        get = Request(method="GET", path=sync_path, headers=None)
        while True:
            try:
                answer = self._send(get, sync_path)
            except httpx.HTTPError:
                return []
            now = _status_of(answer)
            reached = stage(now)
            if reached == 2:
                self.ended.add(key)
                return []
            if answer.status != 200 or reached is None:
                return []  # no such sync here: the read itself will show it
            if self.clock() >= deadline:
                late = _not_reached("ended", now, self.sync_timeout)
                return [Difference(late.kind, late.where, f"{late.detail}, {why}")]
            self.sleep(self.poll_every)

    def _send(self, request: Request, path: str) -> Answer:
        headers: list[tuple[str, str]] = []
        for name, value in request.headers or ():
            lower = name.lower()
            if lower in NOT_SENT:
                continue
            if lower == "authorization":
                if value == SESSION_CREDENTIALS:
                    if self.authorization is None:
                        continue
                    value = self.authorization
                elif value == OTHER_CREDENTIALS:
                    value = REFUSED
            headers.append((name, value))
        body = self.idmap.value(request.body) if request.form == "json" else request.body
        content = content_of(body, request.form)
        if request.headers is None:
            if self.authorization is not None:
                headers.append(("Authorization", self.authorization))
            if content and request.form == "json":
                headers.append(("Content-Type", "application/json"))
        params: list[tuple[str, str | int | float | bool | None]] = [
            (key, str(self.idmap.value(value))) for key, value in query_pairs(request.query)
        ]
        self.pace()
        response = self.client.request(
            request.method,
            path,
            params=params or None,
            headers=headers,
            content=content or None,
        )
        return Answer(
            response.status_code,
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
            response.content,
        )


def _redacted(request: Request) -> bool:
    """Whether the recorder replaced a secret of this request (body or query)."""
    if any(value == REDACTED for _, value in query_pairs(request.query)):
        return True
    if request.form == "json":
        return _holds(request.body, REDACTED)
    return request.form == "text" and quote(REDACTED) in str(request.body)


def _holds(value: Any, wanted: str) -> bool:
    if isinstance(value, dict):
        return any(_holds(item, wanted) for item in value.values())
    if isinstance(value, list):
        return any(_holds(item, wanted) for item in value)
    return bool(value == wanted)


def _synced(body: Any) -> str | None:
    """The definition a ``POST /syncs`` body names."""
    uri = body.get("syncedInstanceUri") if isinstance(body, dict) else None
    return uri if isinstance(uri, str) else None


def _json(answer: Answer) -> Any:
    try:
        return json.loads(answer.content) if answer.content else None
    except ValueError:
        return None


def _status_of(answer: Answer) -> Any:
    body = _json(answer)
    return body.get("status") if isinstance(body, dict) else None


def _bulk_key(path: str) -> str:
    return (bulk_path(path) or path).lower().rstrip("/")


def _not_reached(wanted: Any, now: Any, timeout: float) -> Difference:
    return Difference(
        SYNC, "$.status", f"did not reach {wanted!r} within {timeout:g} s: last {now!r}"
    )


@contextmanager
def in_process(fixtures: Path | None = None) -> Iterator[str]:
    """A fresh ``:memory:`` emulator on a free loopback port in a thread, for the block;
    its origin."""
    options: dict[str, Any] = {"db": ":memory:", "port": free_port(), "log_level": "warning"}
    if fixtures is not None:
        options["fixtures"] = fixtures
    with serve(Settings(**options)) as origin:
        yield origin
