"""Generic :class:`Statement` ↔ typed node, driven by each node class's ``FORMS``.

``classify`` walks the segments against every form at once, so the first segment no form
accepts is the one reported (``{{Contact.Feild(C_EmailAddress)}}`` points at ``Feild`` and
lists what may follow ``Contact``). ``format_statement`` is its inverse and gives the
canonical text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

from emulator.core import constraints
from emulator.core.markup.ast import NODE_TYPES, Node, Segment, Statement
from emulator.core.markup.errors import MarkupError
from emulator.core.markup.parser import parse_statement

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_GUID = re.compile(r"[0-9a-f]{32}\Z")
_DASHED_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_PART = re.compile(
    r"(?P<name>\{attribute\}|[A-Za-z]+)"
    r"(?:\[(?P<index>\w+)\]|\((?P<argument>\w+)(?P<guid>:guid)?\))?\Z"
)


@dataclass(frozen=True)
class _Pattern:
    names: tuple[str, ...]
    attribute: bool = False
    index: str | None = None
    argument: str | None = None
    guid: bool = False

    @property
    def shape(self) -> str:
        return "index" if self.index else "argument" if self.argument else "bare"


@dataclass(frozen=True)
class _Form:
    node: type[Node]
    patterns: tuple[_Pattern, ...]

    @property
    def bound(self) -> frozenset[str]:
        names = {p.index or p.argument for p in self.patterns} | {
            "attribute" for p in self.patterns if p.attribute
        }
        return frozenset(n for n in names if n)


def _compile(node: type[Node], form: str) -> _Form:
    patterns = []
    for part in form.split("."):
        match = _PART.match(part)
        if match is None:
            raise ValueError(form)
        attribute = match["name"] == "{attribute}"
        names = node.ATTRIBUTES if attribute else (match["name"],)
        patterns.append(
            _Pattern(names, attribute, match["index"], match["argument"], bool(match["guid"]))
        )
    return _Form(node, tuple(patterns))


FORMS: tuple[_Form, ...] = tuple(_compile(n, f) for n in NODE_TYPES for f in n.FORMS)


def parse_node(text: str) -> Node:
    """``parse_statement`` then ``classify``: the typed node of a statement's text."""
    return classify(parse_statement(text))


def classify(statement: Statement) -> Node:
    candidates: Sequence[_Form] = FORMS
    path: list[str] = []
    for depth, segment in enumerate(statement.segments):
        named = [
            f
            for f in candidates
            if depth < len(f.patterns) and segment.name in f.patterns[depth].names
        ]
        if not named:
            raise MarkupError(_unknown(segment, path, candidates), segment.start)
        shaped = [f for f in named if f.patterns[depth].shape == _shape(segment)]
        if not shaped:
            raise MarkupError(_misshaped(named[0].patterns[depth], segment), segment.start)
        candidates = shaped
        path.append(segment.name)
    complete = [f for f in candidates if len(f.patterns) == len(statement.segments)]
    if not complete:
        names = _next_names(candidates, len(path))
        message = constraints.MARKUP_INCOMPLETE.format(path=".".join(path), names=names)
        raise MarkupError(message, statement.segments[-1].end)
    return _bind(complete[0], statement.segments)


def format_statement(node: Node | Statement) -> str:
    """The canonical text, e.g. ``{{Contact.Field(C_EmailAddress)}}``."""
    if isinstance(node, Statement):
        return node.text
    values = {f.name: getattr(node, f.name) for f in dataclasses.fields(node)}
    present = {name for name, value in values.items() if value is not None}
    for form in FORMS:
        if form.node is type(node) and present <= form.bound:
            return "{{" + ".".join(_render(p, values) for p in form.patterns) + "}}"
    raise ValueError(repr(node))


def _render(pattern: _Pattern, values: dict[str, object]) -> str:
    if pattern.attribute:
        name = str(values["attribute"])
        if name not in pattern.names:
            raise ValueError(name)
        return name
    if pattern.index:
        return f"{pattern.names[0]}[{values[pattern.index]}]"
    if pattern.argument:
        return f"{pattern.names[0]}({values[pattern.argument]})"
    return pattern.names[0]


def _shape(segment: Segment) -> str:
    if segment.index is not None:
        return "index"
    return "argument" if segment.argument is not None else "bare"


def _next_names(candidates: Sequence[_Form], depth: int) -> str:
    names = {n for f in candidates if depth < len(f.patterns) for n in f.patterns[depth].names}
    return ", ".join(sorted(names))


def _unknown(segment: Segment, path: list[str], candidates: Sequence[_Form]) -> str:
    names = _next_names(candidates, len(path))
    if not path:
        return constraints.MARKUP_UNKNOWN_ENTITY.format(name=segment.name, names=names)
    if not names:
        return constraints.MARKUP_ENDS.format(name=segment.name, path=".".join(path))
    return constraints.MARKUP_UNKNOWN_SEGMENT.format(
        name=segment.name, path=".".join(path), names=names
    )


def _misshaped(pattern: _Pattern, segment: Segment) -> str:
    if pattern.guid:
        return constraints.MARKUP_NEEDS_GUID.format(name=segment.name)
    if pattern.index:
        return constraints.MARKUP_NEEDS_INDEX.format(name=segment.name)
    if pattern.argument:
        return constraints.MARKUP_NEEDS_NAME.format(name=segment.name)
    return constraints.MARKUP_NO_SUFFIX.format(name=segment.name)


def _bind(form: _Form, segments: Sequence[Segment]) -> Node:
    values: dict[str, object] = {}
    for pattern, segment in zip(form.patterns, segments, strict=True):
        if pattern.attribute:
            values["attribute"] = segment.name
        if pattern.index:
            values[pattern.index] = segment.index
        if pattern.argument:
            values[pattern.argument] = _argument(pattern, segment)
    return cast(Callable[..., Node], form.node)(**values)


def _argument(pattern: _Pattern, segment: Segment) -> str:
    value = segment.argument or ""
    position = segment.start + len(segment.name) + 1
    if pattern.guid:
        if _DASHED_GUID.match(value):
            message = constraints.MARKUP_GUID_DASHED.format(guid=value.replace("-", ""))
            raise MarkupError(message, position)
        if not _GUID.match(value):
            raise MarkupError(constraints.MARKUP_GUID_FORM, position)
    elif not _NAME.match(value):
        raise MarkupError(constraints.MARKUP_NAME_FORM.format(name=value), position)
    return value
