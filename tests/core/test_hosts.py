"""The Host names the server answers, the interface it binds, and the warning at start."""

from __future__ import annotations

import pytest

from emulator.core import hosts

DEFAULTS = [
    "localhost",
    "127.0.0.1",
    "[::1]",
    "eloqua.com",
    "*.eloqua.com",
    "*.goacoustic.com",
    "*.ibmmarketingcloud.com",
    "*.silverpop.com",
]


def test_by_default_loopback_eloqua_and_acoustic_names_only() -> None:
    assert hosts.patterns("", "127.0.0.1") == DEFAULTS
    assert hosts.patterns("", "0.0.0.0") == DEFAULTS
    assert hosts.patterns("", "::") == DEFAULTS


def test_allowed_hosts_are_added_as_the_middleware_matches_them() -> None:
    given = " Eloqua, *.CI.internal,, ::1, fe80:0::1, [2001:db8::5], 10.0.0.5, host.lan. "
    assert hosts.parse_names(given) == [
        "eloqua",
        "*.ci.internal",
        "[::1]",
        "[fe80::1]",
        "[2001:db8::5]",
        "10.0.0.5",
        "host.lan",
    ]
    assert hosts.patterns(given, "127.0.0.1") == [
        *DEFAULTS,
        "eloqua",
        "*.ci.internal",
        "[fe80::1]",
        "[2001:db8::5]",
        "10.0.0.5",
        "host.lan",
    ]
    assert hosts.patterns("*", "127.0.0.1") == [*DEFAULTS, "*"]


def test_the_interface_the_server_binds_is_answered() -> None:
    assert hosts.patterns("", "10.1.2.3") == [*DEFAULTS, "10.1.2.3"]
    assert hosts.patterns("", "fd00::7") == [*DEFAULTS, "[fd00::7]"]
    assert hosts.patterns("", "devbox.lan") == [*DEFAULTS, "devbox.lan"]
    assert hosts.patterns("", "*") == DEFAULTS  # not a name: answers nothing more


@pytest.mark.parametrize("given", ["evil example", "*x.example", "eloqua.*", "a/b", "**", "a:b"])
def test_what_is_not_a_name_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="allowed_hosts"):
        hosts.parse_names("eloqua," + given)


@pytest.mark.parametrize(
    ("header", "advice"),
    [
        ("evil.example:8080", "evil.example"),
        ("EVIL.example", "evil.example"),
        ("[::2]:80", "::2"),
        ("10.0.0.9", "10.0.0.9"),
    ],
)
def test_a_refusal_says_which_option_to_set(header: str, advice: str) -> None:
    text = hosts.refusal(header)
    assert f"--allowed-hosts {advice} (or ELOQUA_EMULATOR_ALLOWED_HOSTS={advice})" in text


@pytest.mark.parametrize("header", [None, "", "bad host", "x:port", "[::1", "*.example"])
def test_a_malformed_host_is_named_as_such(header: str | None) -> None:
    assert hosts.refusal(header) == hosts.HOST_INVALID


@pytest.mark.parametrize(
    ("bind", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("devbox.lan", False),
    ],
)
def test_loopback_binds(bind: str, loopback: bool) -> None:
    assert hosts.is_loopback(bind) is loopback


def test_a_reachable_port_without_a_token_is_warned_about() -> None:
    warning = hosts.exposure_warning("0.0.0.0", 8080, "")
    assert warning is not None
    assert "anyone who can reach port 8080 can reset the emulator" in warning
    assert "--control-token" in warning
    assert hosts.exposure_warning("0.0.0.0", 8080, "s3cret") is None
    assert hosts.exposure_warning("127.0.0.1", 8080, "") is None


@pytest.mark.parametrize(
    "host",
    [
        "api-campaign-us-1.goacoustic.com",
        "API-CAMPAIGN-EU-1.goacoustic.com.",
        "api-campaign-ap-3.goacoustic.com",
        "api-campaign-ca-1.goacoustic.com",
        "api6.ibmmarketingcloud.com",
        "api1.silverpop.com",
    ],
)
def test_acoustic_api_hosts_are_known(host: str) -> None:
    assert hosts.is_acoustic_api(host)


@pytest.mark.parametrize(
    "host",
    [
        None,
        "",
        "goacoustic.com",
        "transfer-campaign-us-1.goacoustic.com",  # SFTP, not the REST API
        "campaign-us-1.goacoustic.com",  # the user interface
        "api-campaign-us-1.goacoustic.com.evil.example",
        "api.silverpop.com",
        "engage1.silverpop.com",
        "secure.p04.eloqua.com",
    ],
)
def test_other_hosts_are_not_acoustic_api_hosts(host: str | None) -> None:
    assert not hosts.is_acoustic_api(host)
