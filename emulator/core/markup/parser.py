"""Tokens → :class:`Statement`, the generic syntax tree of one ``{{...}}``.

Grammar (reference §6)::

    statement := '{{' segment ('.' segment)* '}}'
    segment   := name [ '[' digits ']' | '(' word ')' ]

Entity and attribute keywords match case-insensitively and are stored in their canonical
case (``{{contact.field(C_EmailAddress)}}`` → ``Contact.Field``); internal names are kept
as written (the catalog lookup ignores case); service instance ids are lower-cased. Which
segment sequences are meaningful is ``forms.classify``'s job.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from emulator.core import constraints
from emulator.core.markup.ast import KEYWORDS, SERVICE_SEGMENTS, Segment, Statement
from emulator.core.markup.errors import MarkupError
from emulator.core.markup.lexer import CLOSE, OPEN, WORD, Token, tokens

MAX_ID = 2**31 - 1
# Ours: Oracle publishes no limit, and its longest statements are under 200 characters; a
# longer text is refused unread, so a body of megabytes cannot hold the writer for seconds.
MAX_LENGTH = 1000
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_DIGITS = re.compile(r"[0-9]+\Z")


def parse_statement(text: str) -> Statement:
    if len(text) > MAX_LENGTH:
        raise MarkupError(constraints.MARKUP_LENGTH.format(max=MAX_LENGTH), MAX_LENGTH)
    return _Parser(text).statement()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self._tokens: Iterator[Token] = tokens(text)
        self._peeked: Token | None = None

    def peek(self) -> Token | None:
        if self._peeked is None:
            self._peeked = next(self._tokens, None)
        return self._peeked

    def take(self) -> Token | None:
        token = self.peek()
        self._peeked = None
        return token

    def fail(self, message: str, token: Token | None) -> MarkupError:
        return MarkupError(message, len(self.text) if token is None else token.start)

    def statement(self) -> Statement:
        opening = self.take()
        if opening is None or opening.kind != OPEN:
            raise self.fail(constraints.MARKUP_BRACES, opening)
        if (token := self.peek()) is not None and token.kind == CLOSE:
            raise self.fail(constraints.MARKUP_EMPTY, token)
        segments = [self.segment()]
        while True:
            token = self.take()
            if token is None:
                raise self.fail(constraints.MARKUP_BRACES, token)
            if token.kind == CLOSE:
                break
            if token.kind != "dot":
                raise self.fail(constraints.MARKUP_SEPARATOR, token)
            segments.append(self.segment())
        if (extra := self.peek()) is not None:
            raise self.fail(constraints.MARKUP_TRAILING, extra)
        return Statement(tuple(segments), 0, token.end)

    def segment(self) -> Segment:
        token = self.take()
        if token is None or token.kind != WORD or not _NAME.match(token.text):
            raise self.fail(constraints.MARKUP_NAME, token)
        name = KEYWORDS.get(token.text.lower(), token.text)
        follower = self.peek()
        if follower is not None and follower.kind == "[":
            self.take()
            index = self.index()
            end = self.close("]", constraints.MARKUP_CLOSE_BRACKET)
            return Segment(name, index=index, start=token.start, end=end)
        if follower is not None and follower.kind == "(":
            self.take()
            argument = self.take()
            if argument is None or argument.kind != WORD:
                raise self.fail(constraints.MARKUP_ARGUMENT, argument)
            value = argument.text.lower() if name in SERVICE_SEGMENTS else argument.text
            end = self.close(")", constraints.MARKUP_CLOSE_PAREN)
            return Segment(name, argument=value, start=token.start, end=end)
        return Segment(name, start=token.start, end=token.end)

    def index(self) -> int:
        token = self.take()
        if token is None or token.kind != WORD or not _DIGITS.match(token.text):
            raise self.fail(constraints.MARKUP_INDEX, token)
        digits = token.text.lstrip("0") or "0"
        if len(digits) > len(str(MAX_ID)) or int(digits) > MAX_ID:
            raise self.fail(constraints.MARKUP_INDEX_RANGE.format(max=MAX_ID), token)
        return int(digits)

    def close(self, kind: str, message: str) -> int:
        token = self.take()
        if token is None or token.kind != kind:
            raise self.fail(message, token)
        return token.end
