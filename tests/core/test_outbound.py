"""Which hosts sync callbacks and AppCloud notifications may call (``--outbound-allow``):
every host from an emulator on loopback, loopback hosts only from one others can reach,
and the patterns given; never a URL that carries credentials."""

from __future__ import annotations

import pytest

from emulator.core.outbound import (
    CREDENTIALS,
    INVALID,
    REFUSED,
    HostPattern,
    Policy,
    parse_patterns,
)


@pytest.mark.parametrize("bind", ["127.0.0.1", "::1", "localhost", "127.0.0.2"])
def test_an_emulator_on_loopback_calls_any_host(bind: str) -> None:
    policy = Policy.of("", bind)
    assert policy.patterns is None
    assert policy.refusal("https://hooks.example.com/sync") is None
    assert policy.refusal("http://10.0.0.5:8080/admin") is None


@pytest.mark.parametrize("bind", ["0.0.0.0", "::", "192.168.1.20", "emulator.lan"])
def test_an_emulator_others_can_reach_calls_loopback_hosts_only(bind: str) -> None:
    policy = Policy.of("", bind)
    for url in (
        "http://localhost:9000/hook",
        "http://LOCALHOST./hook",
        "http://127.0.0.1/hook",
        "http://127.8.9.10:1/hook",
        "http://[::1]:8080/hook",
        "https://[0:0::1]/hook",
    ):
        assert policy.refusal(url) is None, url
    for url, host in (
        ("http://10.0.0.5/admin", "10.0.0.5"),
        ("https://hooks.example.com/sync", "hooks.example.com"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("http://0.0.0.0:8080/", "0.0.0.0"),
        ("http://[::ffff:10.0.0.5]/", "::ffff:10.0.0.5"),
        ("http://localhost.evil.example/", "localhost.evil.example"),
    ):
        assert policy.refusal(url) == REFUSED.format(host=host), url


def test_patterns_add_hosts_by_name_wildcard_and_port() -> None:
    policy = Policy.of("*.example.com, receiver:8080, 10.1.*, [fd00::1]:9000", "0.0.0.0")
    allowed = [
        "https://hooks.example.com/sync",
        "https://a.b.EXAMPLE.com/sync",
        "http://receiver:8080/hook",
        "http://10.1.2.3/hook",
        "http://[fd00:0::1]:9000/hook",
        "http://127.0.0.1:5000/hook",  # loopback stays allowed
    ]
    refused = [
        "https://example.com/sync",  # *.domain names the hosts under it, not the domain
        "http://receiver/hook",  # port 80, not 8080
        "https://receiver:8443/hook",
        "http://10.2.0.1/hook",
        "http://[fd00::1]/hook",
        "http://[fd00::2]:9000/hook",
    ]
    assert [url for url in allowed if policy.refusal(url) is not None] == []
    assert [url for url in refused if policy.refusal(url) is None] == []


def test_the_default_port_of_the_scheme_is_the_port_matched() -> None:
    policy = Policy.of("hooks.example.com:443", "0.0.0.0")
    assert policy.refusal("https://hooks.example.com/x") is None
    assert policy.refusal("http://hooks.example.com/x") is not None


def test_patterns_on_a_loopback_emulator_restrict_it_to_them() -> None:
    policy = Policy.of("hooks.example.com", "127.0.0.1")
    assert policy.refusal("https://hooks.example.com/x") is None
    assert policy.refusal("https://localhost/x") is None
    assert policy.refusal("https://other.example.com/x") is not None


@pytest.mark.parametrize("given", ["*", " * ", "receiver:8080,*"])
def test_a_star_allows_every_host(given: str) -> None:
    assert Policy.of(given, "0.0.0.0").patterns is None


def test_a_star_with_a_port_allows_every_host_on_that_port() -> None:
    policy = Policy.of("*:8080", "0.0.0.0")
    assert policy.refusal("http://anything.example:8080/") is None
    assert policy.refusal("http://anything.example:8081/") is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://user:secret@hooks.example.com/sync",
        "https://user@hooks.example.com/sync",
        "https://:secret@127.0.0.1/sync",
        "https://@localhost/sync",
    ],
)
def test_a_url_with_credentials_is_never_called_whatever_the_policy(url: str) -> None:
    assert Policy.of("*", "127.0.0.1").refusal(url) == CREDENTIALS


@pytest.mark.parametrize("url", ["http:///hook", "http://[::1/hook", "http://host:port/", "hook"])
def test_a_url_without_a_host_is_not_called(url: str) -> None:
    assert Policy.of("", "127.0.0.1").refusal(url) == INVALID


def test_patterns_are_parsed_in_lower_case_with_ipv6_compressed() -> None:
    assert parse_patterns(" Receiver:8080,, *.CI.internal., [FD00:0::1]:9000, ::1 ") == (
        HostPattern("receiver", 8080),
        HostPattern("*.ci.internal"),
        HostPattern("fd00::1", 9000),
        HostPattern("::1"),
    )


@pytest.mark.parametrize(
    "given",
    [
        "http://receiver/hook",
        "receiver:0",
        "receiver:70000",
        "receiver:http",
        "user@receiver",
        "two words",
        "[::1",
        "[::1]x",
        ":8080",
        "recei/ver",
    ],
)
def test_what_is_not_a_host_pattern_is_refused_naming_it(given: str) -> None:
    with pytest.raises(ValueError, match=r"outbound_allow: .* is not a host pattern"):
        parse_patterns(f"localhost,{given}")
