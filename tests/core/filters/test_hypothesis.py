"""Property tests: tree → ``format_filter`` → ``parse_filter`` is the identity (spans aside),
and no text makes the parser raise anything but FilterError."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from emulator.core.filters import (
    And,
    Compare,
    Exists,
    FilterError,
    Not,
    Or,
    Status,
    format_filter,
    parse_filter,
)
from emulator.core.filters.lexer import END, KEYWORD, OPERATORS, tokens
from emulator.core.markup import ast as m
from tests.core.markup.test_hypothesis import IDS, node_strategy

FIELDS = st.one_of([node_strategy(t) for t in m.NODE_TYPES if issubclass(t, m.FieldStatement)])
CONTAINERS = st.one_of(
    [st.builds(t, IDS) for t in (m.ContactList, m.ContactSegment, m.ContactFilter, m.AccountList)]
)
INSTANCES = st.one_of([node_strategy(t) for t in (m.ActionInstance, m.DecisionInstance)])
OPS = st.sampled_from(OPERATORS)
LEAVES = st.one_of(
    st.builds(Compare, FIELDS, OPS, st.text()),
    st.builds(Exists, CONTAINERS),
    st.builds(Status, INSTANCES, OPS, st.text()),
)


def branches(children: st.SearchStrategy) -> st.SearchStrategy:
    several = st.lists(children, min_size=2, max_size=4).map(tuple)
    return st.builds(Not, children) | st.builds(And, several) | st.builds(Or, several)


TREES = st.recursive(LEAVES, branches, max_leaves=12)
WHITESPACE = st.sampled_from(["", " ", "\t", "\n  ", "\u00a0"])


@given(TREES)
def test_canonical_text_parses_back_to_the_same_tree(tree):
    text = format_filter(tree)
    assert parse_filter(text) == tree
    assert format_filter(parse_filter(text)) == text


@given(TREES, st.data())
def test_whitespace_between_tokens_is_optional_and_free(tree, data):
    text = format_filter(tree)
    found = [t for t in tokens(text) if t.kind != END]
    spaced = data.draw(WHITESPACE)
    for index, token in enumerate(found):
        if index:
            gap = data.draw(WHITESPACE)
            if not gap and found[index - 1].kind == KEYWORD and token.kind == KEYWORD:
                gap = " "
            spaced += gap
        spaced += text[token.start : token.end]
    spaced += data.draw(WHITESPACE)
    assert parse_filter(spaced) == tree


def failure_position(text: str) -> int | None:
    try:
        parse_filter(text)
    except FilterError as error:
        return error.position
    return None


@given(st.text())
def test_arbitrary_text_raises_only_filter_errors(text):
    position = failure_position(text)
    assert position is None or 0 <= position <= len(text)


@given(st.text(alphabet="'(){}[]=!<>~ .ANDORTEXISTSactu9_", max_size=80))
def test_filter_like_text_raises_only_filter_errors(text):
    position = failure_position(text)
    assert position is None or 0 <= position <= len(text)


@given(TREES, st.data())
def test_truncated_filters_raise_only_filter_errors(tree, data):
    text = format_filter(tree)
    cut = data.draw(st.integers(0, len(text)))
    position = failure_position(text[:cut])
    assert position is None or 0 <= position <= cut
