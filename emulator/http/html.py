"""Server-rendered HTML for the dashboard: escaped text, tables and one page shell with its
style inline, so a page works offline and saved as a single file (no build step, no
external assets, no script)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

Cell = Callable[[Mapping[str, Any]], str]

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; margin: 0 0 .2rem; } h2 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; }
h3 { font-size: 1rem; margin: 1.1rem 0 .3rem; } .meta { color: #6e6e73; }
table { border-collapse: collapse; margin: .3rem 0 .8rem; }
th, td { border: 1px solid #d2d2d7; padding: .25rem .5rem; text-align: left;
  vertical-align: top; } th { background: #f5f5f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { padding: 0 .4rem; border-radius: .3rem; color: #fff; }
.success { background: #1a7f37; } .warning { background: #b35900; }
.error { background: #c62828; } .pending, .active { background: #0b5cad; }
.empty { color: #6e6e73; font-style: italic; } code { font-size: 13px; }
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value))


def status(value: object) -> str:
    word = esc(value)
    return f'<span class="status {word}">{word}</span>'


def link(href: str, text: object) -> str:
    return f'<a href="{esc(href)}">{esc(text)}</a>'


def table(
    columns: Sequence[tuple[str, str | Cell]],
    rows: Iterable[Mapping[str, Any]],
    *,
    empty: str = "none",
    numeric: frozenset[str] = frozenset(),
) -> str:
    """``columns`` are (heading, key or cell function); numbers align right."""
    head = "".join(f"<th>{esc(heading)}</th>" for heading, _ in columns)
    body = []
    for row in rows:
        cells = []
        for heading, how in columns:
            if callable(how):
                cells.append(f"<td>{how(row)}</td>")
            else:
                css = ' class="num"' if heading in numeric else ""
                cells.append(f"<td{css}>{esc(row.get(how))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        return f'<p class="empty">{esc(empty)}</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def page(title: str, body: str, *, refresh: int | None = None) -> str:
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width">{meta}'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )
