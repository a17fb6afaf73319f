"""Which hosts the proxy answers for, and the requests it receives in absolute form.

The proxy stands in for Eloqua and nothing else: ``login.eloqua.com`` and every
``*.eloqua.com`` pod are answered by the emulator itself, any other host is refused with
a 403 that says why. Nothing is ever forwarded off the machine.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

DOMAIN = "eloqua.com"


def is_eloqua(host: str | None) -> bool:
    host = (host or "").lower().rstrip(".")
    return host == DOMAIN or host.endswith("." + DOMAIN)


def refusal(host: str) -> bytes:
    return (
        f"The Eloqua emulator's proxy answers for {DOMAIN} and *.{DOMAIN} only and never "
        f"forwards a request elsewhere; refused {host or 'a request without a host'}.\n"
    ).encode()


class AbsoluteForm:
    """``GET http://secure.p03.eloqua.com/api/...`` (what a client sends to an HTTP proxy
    for a plain-HTTP URL) is served as ``GET /api/...`` with that ``Host``; a request for
    another host gets the 403. Origin-form requests, which arrive through ``CONNECT``
    tunnels, pass as they are: the tunnel already checked the host."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            target = bytes(scope.get("raw_path") or b"")
            if target[:7].lower() == b"http://" or target[:8].lower() == b"https://":
                parts = urlsplit(target.decode("latin-1"))
                if not is_eloqua(parts.hostname):
                    await _forbidden(send, parts.hostname or "")
                    return
                path = parts.path or "/"
                headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
                headers.append((b"host", parts.netloc.encode("latin-1")))
                scope = {
                    **scope,
                    "scheme": parts.scheme.lower(),
                    "path": unquote(path),
                    "raw_path": path.encode("latin-1"),
                    "headers": headers,
                }
        await self.app(scope, receive, send)


async def _forbidden(send: Send, host: str) -> None:
    body = refusal(host)
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
