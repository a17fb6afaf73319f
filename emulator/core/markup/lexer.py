"""Statement text → tokens with spans, in the style of sqlite-utils' ``create_table_parser``.

A word is a run of letters, digits, ``_`` and ``-``: wide enough to hold an entity name, an
internal name, an id or a (dashed) GUID, so the parser can name the exact problem. Whitespace
is an error: Oracle documents no spacing inside ``{{...}}``, every statement in its docs and in
``/fields`` catalogs is written without it, and the ``statement`` property is "the exact string
to use" (reference §6). A pod may be more forgiving; we would rather fail early.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from emulator.core import constraints
from emulator.core.markup.errors import MarkupError

OPEN = "{{"
CLOSE = "}}"
WORD = "word"
PUNCTUATION = {".": "dot", "[": "[", "]": "]", "(": "(", ")": ")"}
_WORD = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    position = 0
    while position < len(text):
        char = text[position]
        if text.startswith(OPEN, position) or text.startswith(CLOSE, position):
            yield Token(
                text[position : position + 2], text[position : position + 2], position, position + 2
            )
            position += 2
        elif char in PUNCTUATION:
            yield Token(PUNCTUATION[char], char, position, position + 1)
            position += 1
        elif (match := _WORD.match(text, position)) is not None:
            yield Token(WORD, match.group(), position, match.end())
            position = match.end()
        elif char.isspace():
            raise MarkupError(constraints.MARKUP_SPACE, position)
        elif char in "{}":
            raise MarkupError(constraints.MARKUP_BRACES, position)
        else:
            raise MarkupError(constraints.MARKUP_CHARACTER.format(char=char), position)
