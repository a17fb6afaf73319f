"""Tokens → :mod:`filters.ast` by precedence climbing (OR < AND < NOT < primary).

Grammar (reference §7)::

    filter  := or
    or      := and ('OR' and)*
    and     := not ('AND' not)*
    not     := 'NOT' not | primary
    primary := '(' or ')'
             | 'EXISTS' '(' quoted-statement ')'
             | 'STATUS' '(' quoted-statement ')' op quoted-value
             | quoted-statement op quoted-value
    op      := '=' | '!=' | '>' | '>=' | '<' | '<=' | '~'

The text between ``'{{`` and ``}}'`` goes through ``markup.parse_statement`` and
``markup.classify``; their positions are shifted so every error points into the filter.
Which statement kinds may stand where (fields in comparisons, containers in EXISTS, AppCloud
instances in STATUS) is checked here; what the entity allows is ``validate``'s job.
"""

from __future__ import annotations

from collections.abc import Iterator

from emulator.core import constraints
from emulator.core.filters.ast import And, Compare, Exists, Expr, Not, Or, Status
from emulator.core.filters.errors import FilterError
from emulator.core.filters.lexer import END, KEYWORD, OPERATOR, STRING, Token, tokens
from emulator.core.markup import (
    FieldStatement,
    MarkupError,
    Node,
    Statement,
    classify,
    parse_statement,
)
from emulator.core.markup.ast import (
    AccountList,
    ActionInstance,
    ContactFilter,
    ContactList,
    ContactSegment,
    DecisionInstance,
)

MAX_DEPTH = 50


def parse_filter(text: str) -> Expr:
    if not text.strip():
        raise FilterError(constraints.FILTER_EMPTY, 0)
    return _Parser(text).filter()


class _Parser:
    def __init__(self, text: str) -> None:
        self._tokens: Iterator[Token] = tokens(text)
        self._peeked: Token | None = None

    def peek(self) -> Token:
        if self._peeked is None:
            self._peeked = next(self._tokens)
        return self._peeked

    def take(self) -> Token:
        token = self.peek()
        if token.kind != END:
            self._peeked = None
        return token

    def keyword(self, word: str) -> bool:
        token = self.peek()
        return token.kind == KEYWORD and token.value == word

    def expect(self, kind: str, message: str) -> Token:
        token = self.take()
        if token.kind != kind:
            raise FilterError(message, token.start)
        return token

    def filter(self) -> Expr:
        expr = self.disjunction(0)
        if (token := self.peek()).kind != END:
            raise FilterError(constraints.FILTER_TRAILING, token.start)
        return expr

    def disjunction(self, depth: int) -> Expr:
        items = [self.conjunction(depth)]
        while self.keyword("OR"):
            self.take()
            items.append(self.conjunction(depth))
        return items[0] if len(items) == 1 else Or(tuple(items), items[0].start, items[-1].end)

    def conjunction(self, depth: int) -> Expr:
        items = [self.negation(depth)]
        while self.keyword("AND"):
            self.take()
            items.append(self.negation(depth))
        return items[0] if len(items) == 1 else And(tuple(items), items[0].start, items[-1].end)

    def negation(self, depth: int) -> Expr:
        if depth > MAX_DEPTH:
            raise FilterError(constraints.FILTER_NESTING.format(max=MAX_DEPTH), self.peek().start)
        if self.keyword("NOT"):
            start = self.take().start
            operand = self.negation(depth + 1)
            return Not(operand, start, operand.end)
        return self.primary(depth)

    def primary(self, depth: int) -> Expr:
        token = self.take()
        if token.kind == "(":
            expr = self.disjunction(depth + 1)
            self.expect(")", constraints.FILTER_EXPECTED.format(token=")"))
            return expr
        if token.kind == KEYWORD and token.value == "EXISTS":
            return self.exists(token)
        if token.kind == KEYWORD and token.value == "STATUS":
            return self.status(token)
        if token.kind == STRING:
            node, syntax = self.statement(token)
            if not isinstance(node, FieldStatement):
                raise FilterError(constraints.FILTER_COMPARE_KIND, token.start)
            op = self.expect(OPERATOR, constraints.FILTER_EXPECTED_OPERATOR).value
            value = self.expect(STRING, constraints.FILTER_EXPECTED_VALUE)
            return Compare(node, op, value.value, syntax, token.start, value.end)
        raise FilterError(constraints.FILTER_EXPECTED_TERM, token.start)

    def exists(self, keyword: Token) -> Exists:
        quoted = self.call_argument()
        node, syntax = self.statement(quoted)
        if not isinstance(node, ContactList | ContactSegment | ContactFilter | AccountList):
            raise FilterError(constraints.FILTER_EXISTS_KIND, quoted.start)
        close = self.expect(")", constraints.FILTER_EXPECTED.format(token=")"))
        return Exists(node, syntax, keyword.start, close.end)

    def status(self, keyword: Token) -> Status:
        quoted = self.call_argument()
        node, syntax = self.statement(quoted)
        if not isinstance(node, ActionInstance | DecisionInstance):
            raise FilterError(constraints.FILTER_STATUS_KIND, quoted.start)
        self.expect(")", constraints.FILTER_EXPECTED.format(token=")"))
        op = self.expect(OPERATOR, constraints.FILTER_EXPECTED_OPERATOR).value
        value = self.expect(STRING, constraints.FILTER_EXPECTED_VALUE)
        return Status(node, op, value.value, syntax, keyword.start, value.end)

    def call_argument(self) -> Token:
        self.expect("(", constraints.FILTER_EXPECTED.format(token="("))
        return self.expect(STRING, constraints.FILTER_EXPECTED_STATEMENT)

    def statement(self, quoted: Token) -> tuple[Node, Statement]:
        if not quoted.value.startswith("{{"):
            raise FilterError(constraints.FILTER_EXPECTED_STATEMENT, quoted.start)
        offset = quoted.start + 1
        try:
            statement = parse_statement(quoted.value)
            return classify(statement), statement.shifted(offset)
        except MarkupError as error:
            raise FilterError(error.message, offset + error.position) from None
