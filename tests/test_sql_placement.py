"""SQL lives in ``emulator/store/`` only (and, for the Acoustic service, in its one store
module, ``emulator/acoustic/store.py``), and the record tables are named in one place.

Outside the stores no string (docstrings aside) holds an SQL statement; inside them no SQL
is rewritten by string replacement, and the record tables appear in SQL text only in
``store/tables.py`` (and the schema, ``store/migrations.py``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from emulator.store import tables

PACKAGE = Path(__file__).resolve().parent.parent / "emulator"
STORE = PACKAGE / "store"
ACOUSTIC_STORE = PACKAGE / "acoustic" / "store.py"
STATEMENT = re.compile(
    r"\bSELECT\b.*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\S+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\bCREATE\s+(TEMP\s+|TEMPORARY\s+|UNIQUE\s+)?(TABLE|INDEX|VIEW|TRIGGER)\b"
    r"|\bjson_extract\(|\bjson_object\(",
    re.DOTALL,  # SQL keywords are written in capitals here, prose is not
)
# record tables as SQL names them: FROM contacts, JOIN object_records, UPDATE accounts …
RECORD_TABLES = sorted({t.name for t in tables.FAMILIES.values()} | set(tables.STORED))
NAMED = re.compile(rf"\b(FROM|JOIN|INTO|UPDATE)\s+({'|'.join(RECORD_TABLES)})\b", re.DOTALL)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def strings(source: str) -> list[tuple[int, str]]:
    """Every string literal of a module but its docstrings, f-strings with ``{}`` for each
    expression."""
    tree = ast.parse(source)
    skipped = _docstrings(tree)
    inside_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                str(p.value) if isinstance(p, ast.Constant) else "{}" for p in node.values
            )
            found.append((node.lineno, text))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
            and id(node) not in inside_fstrings
        ):
            found.append((node.lineno, node.value))
    return found


def sql_outside_the_store(source: str) -> list[str]:
    return [f"line {n}: {text!r}" for n, text in strings(source) if STATEMENT.search(text)]


def sql_rewritten(source: str) -> list[str]:
    """``.replace(…)`` calls: the store builds SQL from its parts, never by editing it."""
    return [
        f"line {node.lineno}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "replace"
    ]


def record_tables_named(source: str) -> list[str]:
    return [f"line {n}: {text!r}" for n, text in strings(source) if NAMED.search(text)]


def modules(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


@pytest.mark.parametrize(
    "path",
    [p for p in modules(PACKAGE) if STORE not in p.parents and p != ACOUSTIC_STORE],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_no_sql_outside_the_store(path: Path) -> None:
    assert sql_outside_the_store(path.read_text()) == []


@pytest.mark.parametrize(
    "path", [*modules(STORE), ACOUSTIC_STORE], ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_the_store_never_rewrites_sql_by_string_replacement(path: Path) -> None:
    assert sql_rewritten(path.read_text()) == []


def test_the_acoustic_store_holds_sql() -> None:
    """The exemption names a module that exists and is the Acoustic service's SQL."""
    assert sql_outside_the_store(ACOUSTIC_STORE.read_text()) != []


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in [*modules(STORE), ACOUSTIC_STORE]
        if p.parent != STORE or p.name not in ("tables.py", "migrations.py")
    ],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_record_tables_are_named_only_by_their_table_objects(path: Path) -> None:
    assert record_tables_named(path.read_text()) == []


def test_the_checks_see_sql_in_strings_and_f_strings_but_not_in_docstrings() -> None:
    source = '''
"""Runs one ``SELECT id FROM contacts``."""
def f(table):
    """``DELETE FROM x``"""
    a = "SELECT id FROM contacts WHERE site_id = ?"
    b = f"UPDATE {table} SET fields = ?"
    c = "INSERT OR IGNORE INTO memberships (site_id) VALUES (?)"
    d = f"(SELECT json_extract(x.fields, ?) FROM {table} x)"
    e = "CREATE TEMP TABLE t (x)"
    ok = "Sync processed; select a list from the menu"
    return where.replace("family", "r.family")
'''
    assert [line.split(":")[0] for line in sql_outside_the_store(source)] == [
        "line 5",
        "line 6",
        "line 7",
        "line 8",
        "line 9",
    ]
    assert sql_rewritten(source) == ["line 11"]
    assert record_tables_named(source) == ["line 5: 'SELECT id FROM contacts WHERE site_id = ?'"]
