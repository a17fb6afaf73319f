"""A read-only client of a pod's Bulk API 2.0, for the commands that read a real instance.

Only ``GET`` is ever sent. Every request is paced (:mod:`emulator.commands.pacing`), a 429
(or a 500 carrying ``Retry-After``) is waited out and asked again, as a pod asks callers
to, and every way a call can fail becomes a :class:`PodError` whose text is meant for the
person at the terminal.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from emulator.commands.pacing import Pacer
from emulator.core.types import JSONObject

AUTH_FORMS = "basic:Site\\User:password or bearer:TOKEN"
BULK_PATH = "/api/bulk/2.0"
RETRIES = 3
LONGEST_WAIT = 120.0  # seconds; Retry-After can ask for an hour


class PodError(Exception):
    """A call that failed, worded for the person running the command."""


class NotServed(PodError):
    """The pod answered 404: it has no such collection."""


def authorization(value: str) -> str:
    """The ``Authorization`` header for an ``--auth`` value (the contract kit's forms)."""
    scheme, sep, rest = value.partition(":")
    login, colon, _ = rest.partition(":")
    if scheme.lower() == "basic" and sep and colon and "\\" in login:
        return "Basic " + base64.b64encode(rest.encode()).decode()
    if scheme.lower() == "bearer" and sep and rest and " " not in rest:
        return f"Bearer {rest}"
    raise ValueError(f"--auth must be {AUTH_FORMS}")


def check_base_url(value: str) -> str:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"--base-url must be an http(s) URL such as https://login.eloqua.com, not {value!r}"
        )
    return value.strip().rstrip("/")


@dataclass(frozen=True)
class Listing:
    """Every item of a paged collection, and the ``totalResults`` its last page reported."""

    items: list[JSONObject]
    total: int | None


class Pod:
    """``GET`` calls to one pod with one set of credentials; :meth:`connect` finds the
    Bulk base, after which paths are relative to it."""

    def __init__(
        self,
        base_url: str,
        authorization: str,
        pacer: Pacer,
        *,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.bulk = ""
        self.pacer = pacer
        self.timeout = timeout
        self._client = httpx.Client(
            headers={"Authorization": authorization, "Accept": "application/json"},
            timeout=timeout,
            follow_redirects=False,
        )

    def __enter__(self) -> Pod:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def connect(self) -> str:
        """The Bulk base: ``--base-url`` itself when it names one, else what ``/id`` (the
        login discovery) says, else ``{base}/api/bulk/2.0`` on a pod that has no ``/id``."""
        if "/api/bulk/" in self.base_url.lower():
            self.bulk = self.base_url
            return self.bulk
        url = self.base_url + "/id"
        response = self._send(url, {})
        if response.status_code == 401:
            raise _refused(url, response)
        body = _json_or_none(response) if response.status_code == 200 else None
        if isinstance(body, str):  # "Not authenticated."
            raise PodError(f"credentials refused: GET {url} answered {body!r}")
        bulk = _bulk_url(body)
        self.bulk = bulk or self.base_url + BULK_PATH
        return self.bulk

    def get(self, path: str, params: Mapping[str, str]) -> Any:
        """The JSON answer of ``GET {bulk}{path}``."""
        url = self.bulk + path
        response = self._send(url, params)
        status = response.status_code
        if status == 401:
            raise _refused(url, response)
        if status == 403:
            raise PodError(
                f"forbidden: GET {url} answered 403; the user lacks the permission to read it"
            )
        if status == 404:
            raise NotServed(f"GET {url} answered 404; is --base-url the pod or its login host?")
        if not 200 <= status < 300:
            raise PodError(f"GET {url} answered {status}{_detail(response)}")
        try:
            return orjson.loads(response.content)
        except orjson.JSONDecodeError:
            kind = response.headers.get("content-type") or "no content type"
            raise PodError(
                f"GET {url} answered {status} with something that is not JSON ({kind}); "
                "is --base-url the pod (or login.eloqua.com)?"
            ) from None

    def read_all(self, path: str, params: Mapping[str, str], *, page_size: int) -> Listing:
        """Every page of a listing, following ``hasMore`` from offset 0."""
        items: list[JSONObject] = []
        total: int | None = None
        while True:
            page = self.get(path, {**params, "limit": str(page_size), "offset": str(len(items))})
            if not isinstance(page, dict) or not isinstance(page.get("items", []), list):
                raise PodError(f"GET {self.bulk}{path} did not answer a list envelope")
            batch = page.get("items", [])
            if not all(isinstance(item, dict) for item in batch):
                raise PodError(f"GET {self.bulk}{path} listed an item that is not an object")
            items.extend(batch)
            if isinstance(page.get("totalResults"), int):
                total = page["totalResults"]
            if page.get("hasMore") is not True:
                return Listing(items, total)
            if not batch:
                raise PodError(f"GET {self.bulk}{path} said hasMore but sent no items")

    def _send(self, url: str, params: Mapping[str, str]) -> httpx.Response:
        for attempt in range(RETRIES + 1):
            self.pacer.wait()
            try:
                response = self._client.get(url, params=dict(params))
            except httpx.TimeoutException:
                raise PodError(
                    f"{_host(url)} did not answer GET {url} within {self.timeout:g} s"
                ) from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise PodError(f"cannot reach {_host(url)}: {exc}") from None
            hint = response.headers.get("retry-after")
            retry = response.status_code == 429 or (response.status_code == 500 and hint)
            if not retry or attempt == RETRIES:
                return response
            time.sleep(min(LONGEST_WAIT, _seconds(hint, attempt)))
        raise AssertionError("unreachable")


def _refused(url: str, response: httpx.Response) -> PodError:
    return PodError(f"credentials refused: GET {url} answered 401{_detail(response)}")


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None


def _bulk_url(identity: Any) -> str | None:
    """``urls.apis.rest.bulk`` of a ``/id`` answer, version filled in."""
    try:
        template = identity["urls"]["apis"]["rest"]["bulk"]
    except (KeyError, TypeError):
        return None
    if not isinstance(template, str) or not template.startswith(("http://", "https://")):
        return None
    return template.replace("{version}", "2.0").rstrip("/")


def _detail(response: httpx.Response) -> str:
    """The first failure message of an Eloqua error body, if it has one."""
    body = _json_or_none(response)
    failures = body.get("failures") if isinstance(body, dict) else None
    if isinstance(failures, list) and failures and isinstance(failures[0], dict):
        message = failures[0].get("constraint") or failures[0].get("message")
        if isinstance(message, str):
            return f": {message}"
    return ""


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _seconds(hint: str | None, attempt: int) -> float:
    if hint is not None and hint.strip().isdigit():
        return float(hint.strip())
    return float(2**attempt)
