"""Where the emulator may call out to: the hosts of sync callbacks and AppCloud
notifications (``--outbound-allow``).

An emulator that others can reach (``--host 0.0.0.0`` in a CI container, a LAN address)
must not become a way to make requests to any host from inside that network: anyone who can
create a sync could name ``callbackUrl: http://10.0.0.5/admin``. So the default follows the
interface the server binds:

* a loopback interface (``127.0.0.1``, the default, ``::1``, ``localhost``): every host, as
  only the machine's own user can reach the emulator;
* anything else: loopback hosts only (``localhost``, ``127.0.0.0/8``, ``::1``).

``--outbound-allow`` lists more hosts, comma-separated: shell-style patterns
(:func:`fnmatch.fnmatchcase`, any case) on the host name or address, each with an optional
port (``localhost,127.0.0.1,*.example.com,receiver:8080,[fd00::1]:9000``); ``*`` allows
every host. Loopback hosts are always allowed. The rule reads the URL's host name as
written: DNS is not consulted, so a name that resolves to an address the patterns would
refuse is still called (pin such receivers by address instead).
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from emulator.core import hosts

ANY = "*"
DEFAULT_PORTS = {"http": 80, "https": 443}
# why a call was not made: recorded as its answer ("not called: …") and logged
REFUSED = (
    "the host {host} is not allowed for outgoing calls (--outbound-allow; an emulator bound "
    "to a non-loopback interface calls loopback hosts only by default)"
)
CREDENTIALS = "the URL carries credentials"
INVALID = "the URL names no host"
NOT_CALLED = "not called: {reason}"
# host patterns: names, addresses and shell wildcards; a port is digits
_HOST = re.compile(r"[a-z0-9*?._-]+|[0-9a-f:*?.]+", re.IGNORECASE)


@dataclass(frozen=True)
class HostPattern:
    host: str  # lower case; IPv6 literals without brackets
    port: int | None = None  # None: any port

    def matches(self, host: str, port: int) -> bool:
        return (self.port is None or self.port == port) and fnmatch.fnmatchcase(host, self.host)


def parse_patterns(text: str) -> tuple[HostPattern, ...]:
    """The comma-separated patterns of ``--outbound-allow``; a ``ValueError`` names the
    first one that is not ``host``, ``host:port``, ``[v6]``, ``[v6]:port`` or ``*``."""
    found = []
    for item in text.split(","):
        item = item.strip()
        if item:
            pattern = _pattern(item.lower())
            if pattern is None:
                raise ValueError(
                    f"outbound_allow: {item!r} is not a host pattern with an optional port "
                    "(such as localhost, *.example.com, receiver:8080, [::1]:9000 or *)"
                )
            found.append(pattern)
    return tuple(found)


def _pattern(item: str) -> HostPattern | None:
    port: str | None = None
    if item.startswith("["):
        host, sep, rest = item[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] if rest else None
    elif item.count(":") == 1:
        host, _, port = item.partition(":")
    else:
        host = item  # a name, or an IPv6 address without brackets (no port)
    host = host.rstrip(".")
    if not host or not _HOST.fullmatch(host):
        return None
    if port is not None and not (port.isdigit() and 0 < int(port) <= 65535):
        return None
    return HostPattern(_normal(host), int(port) if port is not None else None)


@dataclass(frozen=True)
class Policy:
    """Which hosts may be called. ``patterns`` None: every host."""

    patterns: tuple[HostPattern, ...] | None

    @classmethod
    def of(cls, outbound_allow: str, bind: str) -> Policy:
        """The rule for ``--outbound-allow`` on a server bound to ``bind`` (``--host``)."""
        patterns = parse_patterns(outbound_allow)
        if any(p.host == ANY and p.port is None for p in patterns):
            return cls(None)
        if not patterns and hosts.is_loopback(bind):
            return cls(None)
        return cls(patterns)

    def refusal(self, url: str) -> str | None:
        """Why ``url`` may not be called, or None when it may. Credentials in the URL are
        never sent (Eloqua refuses such URLs; one stored before that is not called)."""
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").rstrip(".")
            port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 0)
        except ValueError:
            return INVALID
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            return CREDENTIALS
        if not host:
            return INVALID
        if self.patterns is None or hosts.is_loopback(host):
            return None
        if any(p.matches(_normal(host), port) for p in self.patterns):
            return None
        return REFUSED.format(host=host)


def _normal(host: str) -> str:
    """An IPv6 address in its compressed form, so ``0:0::1`` matches ``::1``; names as
    they are (``urlsplit`` lower-cases them)."""
    try:
        return ipaddress.IPv6Address(host).compressed
    except ValueError:
        return host
