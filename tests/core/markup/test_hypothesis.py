"""Property tests: typed node → canonical text → parse → classify is the identity, and no
text makes the parser raise anything but MarkupError."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from emulator.core.markup import (
    MarkupError,
    Node,
    classify,
    format_statement,
    parse_node,
    parse_statement,
)
from emulator.core.markup import ast as m

NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,30}", fullmatch=True)
IDS = st.integers(min_value=0, max_value=2**31 - 1)
GUIDS = st.from_regex(r"[0-9a-f]{32}", fullmatch=True)
BY_FIELD = {"name": NAMES, "instance": GUIDS, "execution": st.none() | IDS}


def node_strategy(node_type: type[Node]) -> st.SearchStrategy[Node]:
    arguments = {
        f.name: st.sampled_from(node_type.ATTRIBUTES)
        if f.name == "attribute"
        else BY_FIELD.get(f.name, IDS)
        for f in dataclasses.fields(node_type)
    }
    return st.builds(node_type, **arguments)


NODES = st.one_of([node_strategy(t) for t in m.NODE_TYPES])


@given(NODES)
def test_canonical_text_parses_back_to_the_same_node(node):
    text = format_statement(node)
    statement = parse_statement(text)
    assert classify(statement) == node
    assert statement.text == text


@given(NODES, st.data())
def test_keyword_case_does_not_matter(node, data):
    text = format_statement(node)
    flipped = "".join(c.swapcase() if data.draw(st.booleans()) and c.isalpha() else c for c in text)
    node_again = parse_node(flipped)
    assert type(node_again) is type(node)


def failure_position(text: str) -> int | None:
    try:
        parse_node(text)
    except MarkupError as error:
        return error.position
    return None


@given(st.text())
def test_arbitrary_text_raises_only_markup_errors(text):
    position = failure_position(text)
    assert position is None or 0 <= position <= len(text)


@given(st.text(alphabet="{}[]().-_ aZ09Contact.FieldIdActionInstance", max_size=60))
def test_statement_like_text_raises_only_markup_errors(text):
    position = failure_position(text)
    assert position is None or 0 <= position <= len(text)
