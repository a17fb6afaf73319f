"""Filter text → tokens with spans.

Quoted text is one token whatever it holds (statements and values alike, any Unicode); a
quote inside it is written twice, SQL-style (``'O''Brien'``). Oracle documents no escape for
filters, but it hands the value to SQL Server ("Eloqua uses the SQL server implementation of
the LIKE operator", reference §7), whose literal syntax this is. Whitespace between tokens is
optional (``'{{Activity.Type}}'='Bounceback'`` is Oracle's own example); keywords ignore case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from emulator.core import constraints
from emulator.core.filters.errors import FilterError

STRING, OPERATOR, KEYWORD, END = "string", "operator", "keyword", "end"
OPERATORS = ("!=", ">=", "<=", "=", ">", "<", "~")
KEYWORDS = {word.lower(): word for word in ("AND", "OR", "NOT", "EXISTS", "STATUS")}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Token:
    """``value`` is the decoded text of a string, the canonical keyword or the operator."""

    kind: str
    value: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
        elif char == "'":
            token = _string(text, position)
            yield token
            position = token.end
        elif char in "()":
            yield Token(char, char, position, position + 1)
            position += 1
        elif (operator := _operator(text, position)) is not None:
            yield Token(OPERATOR, operator, position, position + len(operator))
            position += len(operator)
        elif (match := _WORD.match(text, position)) is not None:
            keyword = KEYWORDS.get(match.group().lower())
            if keyword is None:
                raise FilterError(constraints.FILTER_WORD.format(word=match.group()), position)
            yield Token(KEYWORD, keyword, position, match.end())
            position = match.end()
        elif char == '"':
            raise FilterError(constraints.FILTER_DOUBLE_QUOTE, position)
        else:
            raise FilterError(constraints.FILTER_CHARACTER.format(char=char), position)
    yield Token(END, "", len(text), len(text))


def _operator(text: str, position: int) -> str | None:
    return next((op for op in OPERATORS if text.startswith(op, position)), None)


def _string(text: str, start: int) -> Token:
    parts: list[str] = []
    position = start + 1
    while True:
        close = text.find("'", position)
        if close < 0:
            raise FilterError(constraints.FILTER_UNTERMINATED, start)
        parts.append(text[position:close])
        if text.startswith("''", close):
            parts.append("'")
            position = close + 2
        else:
            return Token(STRING, "".join(parts), start, close + 1)
