"""The recording's ids and the replay's, paired as answers come back.

A pod numbers definitions and syncs with its own counters (``/contacts/imports/865``,
``/syncs/684``); a fresh site starts again at 1. When a replayed answer shows a uri where
the recording showed one of the same form, each number in it is paired with the recorded
one, in the scope of the collection it follows (``/syncs``, ``/customObjects/{id}/imports``
…). Later requests are rewritten with the pairs learned so far: paths, query values and
every uri string in a body. A number never paired is sent as it was recorded.
"""

from __future__ import annotations

import re
from typing import Any

NUMBER = re.compile(r"^\d+$")
URI = re.compile(r"^(/[A-Za-z][\w.-]*)+(/\d+)(/[\w.{}-]+)*/?$")


def template(uri: str) -> str:
    """``/customObjects/9/imports/3`` → ``/customObjects/{id}/imports/{id}``."""
    return "/".join("{id}" if NUMBER.match(part) else part for part in uri.split("/"))


def _numbers(uri: str) -> list[tuple[str, str]]:
    """``(scope, number)`` for each number in ``uri``; the scope is the template before it."""
    parts = uri.split("/")
    return [
        (template("/".join(parts[:index])).lower(), part)
        for index, part in enumerate(parts)
        if NUMBER.match(part)
    ]


class IdMap:
    def __init__(self) -> None:
        self._forward: dict[tuple[str, str], str] = {}
        self._backward: dict[tuple[str, str], str] = {}

    def learn(self, recorded: str, replayed: str) -> str | None:
        """Pair the numbers of two uris of one form; the reason when they contradict pairs
        already made (``None`` when they agree or are new)."""
        if template(recorded) != template(replayed):
            return f"{replayed} is not of the form of {recorded}"
        for (scope, old), (_, new) in zip(_numbers(recorded), _numbers(replayed), strict=True):
            known = self._forward.get((scope, old))
            if known is not None and known != new:
                return f"{recorded} stands for {self.uri(recorded)} in this replay, not {replayed}"
            owner = self._backward.get((scope, new))
            if owner is not None and owner != old:
                return f"{replayed} already stands for the recording's id {owner}, not {old}"
        for (scope, old), (_, new) in zip(_numbers(recorded), _numbers(replayed), strict=True):
            self._forward[(scope, old)] = new
            self._backward[(scope, new)] = old
        return None

    def uri(self, recorded: str) -> str:
        """``recorded`` with every paired number replaced by the replay's."""
        parts = recorded.split("/")
        out = list(parts)
        for index, part in enumerate(parts):
            if NUMBER.match(part):
                scope = template("/".join(parts[:index])).lower()
                out[index] = self._forward.get((scope, part), part)
        return "/".join(out)

    def path(self, full_path: str, bulk_prefix: str) -> str:
        """A request path: its part below the Bulk base is mapped like a uri."""
        if full_path.lower().startswith(bulk_prefix.lower()):
            cut = len(bulk_prefix)
            return full_path[:cut] + self.uri(full_path[cut:])
        return full_path

    def value(self, value: Any) -> Any:
        """A request body or query value with every uri in it mapped."""
        if isinstance(value, str):
            return self.uri(value) if URI.match(value) else value
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        return value
