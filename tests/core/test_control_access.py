"""Which control requests are served: a sign that a program sent the ones that change
something, and the token when the emulator has one."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.core import control_access as access
from emulator.core.errors import Forbidden, Unauthorized


def refusal(method: str = "POST", path: str = "/_emulator/reset", **given: Any) -> Any:
    request: dict[str, Any] = {
        "content_type": None,
        "control_header": None,
        "authorization": None,
        "token": "",
        **given,
    }
    return access.refusal(method, path, **request)


@pytest.mark.parametrize(
    ("content_type", "json"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        (" APPLICATION/JSON ;charset=UTF-8", True),
        ("application/merge-patch+json", True),
        ("application/vnd.api+json", True),
        ("application/jsonp", False),
        ("application/json, text/plain", False),
        ("text/plain; application/json", False),
        ("text/json", False),
        ("application/x-www-form-urlencoded", False),
        ("multipart/form-data; boundary=x", False),
        ("", False),
        (None, False),
    ],
)
def test_json_content_types(content_type: str | None, json: bool) -> None:
    assert access.is_json(content_type) is json


@pytest.mark.parametrize(
    ("path", "control"),
    [
        ("/_emulator", True),
        ("/_emulator/", True),
        ("/_emulator/reset", True),
        ("/_EMULATOR/reset", True),
        ("/_emulatorx", False),
        ("/api/bulk/2.0/_emulator/reset", False),
        ("/id", False),
    ],
)
def test_the_control_plane_is_everything_under_its_prefix(path: str, control: bool) -> None:
    assert access.is_control(path) is control


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_change_without_a_sign_of_a_program_is_forbidden(method: str) -> None:
    refused = refusal(method, content_type="text/plain")
    assert isinstance(refused, Forbidden)
    assert refused.body() == {
        "failures": [
            {"field": "Content-Type", "constraint": access.INTENT_NEEDED, "value": "text/plain"}
        ]
    }
    assert refusal(method, content_type="application/json") is None
    assert refusal(method, control_header="1") is None
    assert refusal(method, control_header="") is None  # a custom header forces a preflight


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_reads_need_no_sign(method: str) -> None:
    assert refusal(method, "/_emulator/settings") is None


def test_the_token_is_needed_everywhere_but_the_health_check() -> None:
    refused = refusal("GET", "/_emulator/settings", token="s3cret")
    assert isinstance(refused, Unauthorized)
    assert refused.body() == {
        "failures": [{"field": "Authorization", "constraint": access.TOKEN_NEEDED}]
    }
    assert refused.headers["WWW-Authenticate"].startswith("Bearer ")
    assert refusal("GET", "/_emulator/health", token="s3cret") is None
    assert refusal("HEAD", "/_emulator/health", token="s3cret") is None
    assert isinstance(refusal("POST", "/_emulator/health", token="s3cret"), Unauthorized)
    assert isinstance(refusal("GET", "/_emulator/", token="s3cret"), Unauthorized)


def test_the_token_comes_first_then_the_sign() -> None:
    token = {"token": "s3cret", "authorization": "Bearer s3cret"}
    assert isinstance(refusal(content_type="text/plain", token="s3cret"), Unauthorized)
    assert isinstance(refusal(content_type="text/plain", **token), Forbidden)
    assert refusal(content_type="application/json", **token) is None


@pytest.mark.parametrize(
    ("authorization", "matches"),
    [
        ("Bearer s3cret", True),
        ("bearer s3cret", True),
        ("  Bearer   s3cret  ", True),
        ("Bearer s3cre", False),
        ("Bearer s3cretX", False),
        ("Bearer", False),
        ("Basic s3cret", False),
        ("s3cret", False),
        ("Bearer s3crét", False),
        (None, False),
    ],
)
def test_bearer_tokens(authorization: str | None, matches: bool) -> None:
    assert access.bearer_matches(authorization, "s3cret") is matches
