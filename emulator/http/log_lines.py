"""How the server's log lines look (``--log-format``): ``text`` for people, ``json`` (one
object a line on stderr) for log collectors. Every line written while a request is being
answered carries its request id (``REQUEST_ID``, set by ``http/journal``); the access line
of each request adds its method, path, status and duration. The emulator writes its own
access line, so uvicorn's (which has no request id) is turned off."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

import orjson

FORMATS = ("text", "json")
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
ACCESS = logging.getLogger("emulator.access")
# extra fields of the access line: attribute → JSON key
FIELDS = {
    "method": "method",
    "path": "path",
    "status": "status",
    "duration_ms": "durationMs",
    "fault": "fault",
}


class RequestIdFilter(logging.Filter):
    """Puts the request being answered, if any, on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None:
            line["requestId"] = request_id
        for attribute, key in FIELDS.items():
            value = getattr(record, attribute, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class TextLines(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", None)
        return text if request_id is None else f"{text} [{request_id}]"


def configure(log_format: str, level: int, *, access: str = "info") -> None:
    """The root logger writes ``log_format`` lines to stderr at ``level``; uvicorn's
    loggers pass theirs up to it in JSON (see ``uvicorn_options``). Access lines follow
    ``access`` (``--log-level``), as uvicorn's own access log did. Like
    ``logging.basicConfig``, nothing changes when logging is set up already (the server
    embedded in a program, or run in process by a test runner)."""
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if log_format == "json" else TextLines())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level)
    ACCESS.setLevel(logging.DEBUG if access == "trace" else access.upper())


def uvicorn_options(log_format: str) -> dict[str, Any]:
    """``uvicorn.Config`` options: no access log of its own; in JSON, no logging setup of
    its own either, so its lines go through the root logger's JSON handler."""
    options: dict[str, Any] = {"access_log": False}
    if log_format == "json":
        options["log_config"] = None
    return options


def access(
    request_id: str, method: str, path: str, status: int, duration_ms: float, fault: str | None
) -> None:
    """The access line of one request (at INFO; nothing is formatted when INFO is off)."""
    if ACCESS.isEnabledFor(logging.INFO):
        ACCESS.info(
            "%s %s %s %.1f ms",
            method,
            path,
            status,
            duration_ms,
            extra={
                "request_id": request_id,
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round(duration_ms, 3),
                "fault": fault,
            },
        )
