"""Which ``Host`` names the server answers, and whether the interface it binds is private.

DNS rebinding: a page on ``evil.example`` whose name is made to resolve to 127.0.0.1 is, to
the browser, same-origin with the emulator, and can read and write everything in it. The
browser still sends ``Host: evil.example``, so the server answers only names it was told to:
loopback, Eloqua's own (the emulator impersonates ``login.eloqua.com`` and the pods under
``emulator.testing.mock_eloqua`` and in proxy mode), Acoustic Campaign's (its API hosts,
``api-campaign-<region>-<n>.goacoustic.com`` and the older ``api<n>.ibmmarketingcloud.com``
and ``api<n>.silverpop.com``, under ``emulator.testing.mock_acoustic``), the interface it
binds when that names one, and ``--allowed-hosts``. Patterns are in the form of Starlette's
``TrustedHostMiddleware``, which matches them: no port, IPv6 literals in brackets,
``*.example.com`` for the names under a domain (not the domain itself), ``*`` for any.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
ELOQUA = ("eloqua.com", "*.eloqua.com")
# Acoustic Campaign's pods (reference §5): the middleware's patterns cover the domains
ACOUSTIC = ("*.goacoustic.com", "*.ibmmarketingcloud.com", "*.silverpop.com")
# … of which the API hosts a client of the REST API calls (what mock_acoustic routes)
ACOUSTIC_API = re.compile(
    r"api-campaign-[a-z]{2}-[0-9]+\.goacoustic\.com|api[0-9]+\.(ibmmarketingcloud|silverpop)\.com"
)
ANY = "*"
WILDCARD_BINDS = frozenset({"", "0.0.0.0", "::", "[::]"})

_NAME = re.compile(r"(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*", re.IGNORECASE)

HOST_REFUSED = (
    "This emulator answers only the Host names it was started for (localhost, 127.0.0.1, "
    "[::1], eloqua.com, *.eloqua.com, Acoustic's *.goacoustic.com, *.ibmmarketingcloud.com "
    "and *.silverpop.com, the --host address and --allowed-hosts), a guard "
    "against DNS rebinding. To reach it as {name}, start it with --allowed-hosts {name} (or "
    "ELOQUA_EMULATOR_ALLOWED_HOSTS={name}); --allowed-hosts '*' answers any name."
)
HOST_INVALID = "A request must name the server in a valid Host header."


def parse_names(text: str) -> list[str]:
    """The comma-separated names of ``--allowed-hosts`` as patterns; a ``ValueError`` names
    the first one that is not a host name, an address, ``*.domain`` or ``*``."""
    names = []
    for item in text.split(","):
        name = item.strip().lower()
        if name:
            pattern = _pattern(name)
            if pattern is None:
                raise ValueError(
                    f"allowed_hosts: {item.strip()!r} is not a host name, an IP address, "
                    "'*.domain' or '*'"
                )
            names.append(pattern)
    return names


def _pattern(name: str) -> str | None:
    if name == ANY:
        return ANY
    try:
        return f"[{ipaddress.IPv6Address(name.removeprefix('[').removesuffix(']')).compressed}]"
    except ValueError:
        pass
    return name.rstrip(".") if _NAME.fullmatch(name.rstrip(".")) else None


def patterns(allowed_hosts: str, bind: str) -> list[str]:
    """Every pattern the server answers: loopback, Eloqua's and Acoustic's names, the
    interface it binds (``--host``) unless that is every interface, then
    ``--allowed-hosts``."""
    found = [*LOOPBACK, *ELOQUA, *ACOUSTIC]
    if bind.lower() not in WILDCARD_BINDS:
        own = _pattern(bind.lower())
        if own is not None and "*" not in own:
            found.append(own)
    found += parse_names(allowed_hosts)
    return list(dict.fromkeys(found))


def is_acoustic_api(host: str | None) -> bool:
    """Whether ``host`` is an Acoustic Campaign REST API host (any case, a trailing dot)."""
    return ACOUSTIC_API.fullmatch((host or "").lower().rstrip(".")) is not None


def refusal(host_header: str | None) -> str:
    """What a request with this ``Host`` (refused) should do instead."""
    try:
        parts = urlsplit("//" + (host_header or ""))  # ValueError: a bracket left open
        _ = parts.port  # ValueError: a port that is not a number
        name = parts.hostname or ""
    except ValueError:
        name = ""
    if not name or "*" in name or _pattern(name) is None:
        return HOST_INVALID
    return HOST_REFUSED.format(name=name)


def is_loopback(bind: str) -> bool:
    """Whether ``--host`` binds this machine only (so no one else can reach the port)."""
    if bind.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False


def exposure_warning(bind: str, port: int, control_token: str) -> str | None:
    """What to print at start when others can reach the control plane unguarded."""
    if control_token or is_loopback(bind):
        return None
    return (
        f"warning: --host {bind} can be reached from other machines and no --control-token "
        f"is set: anyone who can reach port {port} can reset the emulator and change its "
        "data through /_emulator/. Set --control-token (ELOQUA_EMULATOR_CONTROL_TOKEN) or "
        "bind 127.0.0.1."
    )
