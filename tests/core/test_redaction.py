"""Secrets kept out of what is stored and shown: tokens as digests, URL credentials
masked."""

from __future__ import annotations

import hashlib

import pytest

from emulator.core import redaction


def test_a_token_is_kept_as_its_sha256() -> None:
    assert redaction.token_digest("abc") == hashlib.sha256(b"abc").hexdigest()
    assert redaction.token_digest("\ud800") == hashlib.sha256(b"\xed\xa0\x80").hexdigest()


@pytest.mark.parametrize(
    ("url", "userinfo", "shown"),
    [
        ("https://user:pw@host/x?y=1", "user:pw", "https://***@host/x?y=1"),
        ("https://user@host:8443/x", "user", "https://***@host:8443/x"),
        ("http://a@b:c@host/x@y", "a@b:c", "http://***@host/x@y"),
        ("https://@host/", "", "https://***@host/"),
        ("https://host/x?next=a@b", None, "https://host/x?next=a@b"),
        ("https://host/#a@b", None, "https://host/#a@b"),
        ("https://host/path", None, "https://host/path"),
        ("not a url", None, "not a url"),
    ],
)
def test_the_userinfo_of_a_url_is_found_and_masked(
    url: str, userinfo: str | None, shown: str
) -> None:
    assert redaction.userinfo(url) == userinfo
    assert redaction.masked(url) == shown


def test_the_urls_in_a_body_are_masked_wherever_they_are() -> None:
    body = (
        '{"callbackUrl":"https://jane:s3cret@hooks.example/done","escaped":'
        '"https:\\/\\/jane:s3cret@hooks.example\\/done","email":"a@b.example",'
        '"query":"https://hooks.example/x?next=a@b"}'
    )
    assert redaction.masked_urls(body) == (
        '{"callbackUrl":"https://***@hooks.example/done","escaped":'
        '"https:\\/\\/***@hooks.example\\/done","email":"a@b.example",'
        '"query":"https://hooks.example/x?next=a@b"}'
    )
