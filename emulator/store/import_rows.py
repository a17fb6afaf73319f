"""The rows of an import chunk, read from the staged files into a temporary table
(``store.scratch``), and the set-based statements that apply them to records: one join
finds the matches, one ``UPDATE … FROM`` writes the matched records, one
``INSERT … SELECT`` creates the rest.

SQLite reads the staged JSON and checks each value (the checks of ``emulator.core.values``, as
SQL functions), so the only Python per row is a value check and applying a chunk costs
about what a raw upsert of it costs. Rows that fail a check are flagged; the domain reads
those back and writes their rejects.

A row of ``import_rows``:

- ``file_id``, ``file_ordinal``: where it was staged; ``problem``: 1 when a value fails;
- ``key``: the identifier value (lower-cased for e-mail addresses), NULL when empty;
- ``patch``: the JSON object of field values a new record gets;
- ``upd``: the values an update writes, when the rule ``ifNewIsNotNull`` drops some;
- ``flags``: ``{column: value}`` for the columns besides ``fields`` (subscription flags,
  external id);
- ``contact_value`` / ``card_value``: what to look a linked contact or account up by;
- ``user_value``: the CRM user ids of the Eloqua users to link to an account (``linkUsers``);
- ``email``: the value of the first e-mail address column, NULL when empty, for its check;
- ``missing``: 1 when a required field is empty, which rejects the row if it would create
  a record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from emulator.core import values
from emulator.store import staging
from emulator.store.migrations import EMAIL_KEY
from emulator.store.tables import CONTACTS, ELOQUA_USERS, Match, MatchBy, RecordTable, path

# SQLite functions take at most 127 arguments: json_remove gets this many paths per call,
# json_object this many pairs.
PATHS_PER_CALL = 100
PAIRS_PER_CALL = 60
NEVER = '$."#"'  # a path no record field has: json_remove(x, NEVER) is x


@dataclass(frozen=True)
class Key:
    """A key of the staged rows and where its value goes."""

    key: str
    kind: str  # field | flag | external_id | contact | id | ignored
    name: str  # field internal name or id, or record column
    data_type: str
    rule: str  # always | ifNewIsNotNull | ifExistingIsNull
    required: bool = False
    max_length: int | None = None  # a text field's limit: a longer value fails its check


@dataclass(frozen=True)
class Card:
    """Data card mapping: the contact or account a record links to, found by a field."""

    table: RecordTable
    match: Match
    case_sensitive: bool
    key: str  # the staged key holding the value


@dataclass(frozen=True)
class Plan:
    """What the statements need to know about the definition."""

    table: RecordTable
    parent_id: int
    site_id: int
    columns: tuple[Key, ...]
    identifier: str  # the identifier's key, '' for none
    identifier_required: bool  # an empty identifier rejects the row
    match: Match | None  # how rows find their record; None: they never do
    update_all: bool
    contact_lookup: Match | None  # how a linked contact is found by contact_value
    card: Card | None = None
    user_key: str = ""  # the key of the users to link to each account (``linkUsers``)
    stage_key: str = ""  # the key of an opportunity's stage, checked against ``stages``
    stages: tuple[str, ...] = ()  # the site's opportunity stages, lower-cased

    @property
    def card_key(self) -> str:
        return self.card.key if self.card else ""

    @property
    def fill_fields(self) -> tuple[str, ...]:
        """Fields written only where empty (``ifExistingIsNull``)."""
        return tuple(
            c.name for c in self.columns if c.kind == "field" and c.rule == "ifExistingIsNull"
        )

    @property
    def fill_flags(self) -> tuple[str, ...]:
        return tuple(
            c.name
            for c in self.columns
            if c.kind in ("flag", "external_id") and c.rule == "ifExistingIsNull"
        )


@dataclass(frozen=True)
class Seen:
    """The identifiers a sync has seen, for finding duplicates across its chunks (other
    syncs take turns between them): its rows of ``import_seen``, kept in memory on the
    writer connection while the sync runs."""

    site_id: int
    sync_id: int
    new: bool  # first chunk since start-up: a sync resumed after a restart must fill it again

    @property
    def params(self) -> dict[str, int]:
        return {"seen_site": self.site_id, "seen_sync": self.sync_id}


def open_seen(db: sqlite_utils.Database, site_id: int, sync_id: int) -> Seen:
    new = (
        db.execute(
            "INSERT OR IGNORE INTO import_seen_syncs (site_id, sync_id) VALUES (?, ?)",
            [site_id, sync_id],
        ).rowcount
        == 1
    )
    return Seen(site_id, sync_id, new)


def close_seen(db: sqlite_utils.Database, site_id: int, sync_id: int) -> None:
    """Forget a sync's identifiers (its last chunk is applied, or it ended early). When no
    other sync's are held, the table is emptied whole, which SQLite does without visiting
    its rows (a million-row sync's took 0.2 s row by row)."""
    key = [site_id, sync_id]
    db.execute("DELETE FROM import_seen_syncs WHERE site_id = ? AND sync_id = ?", key)
    if db.execute("SELECT 1 FROM import_seen_syncs LIMIT 1").fetchone() is None:
        db.execute("DELETE FROM import_seen")
    else:
        db.execute("DELETE FROM import_seen WHERE site_id = ? AND sync_id = ?", key)


def remember(db: sqlite_utils.Database, seen: Seen) -> None:
    """Add the identifiers of the rows in ``import_rows`` that pass their checks to
    ``seen``, then forget the rows: how a resumed sync learns what its applied chunks
    held."""
    db.execute("DELETE FROM import_rows WHERE problem = 1")
    db.execute(
        "INSERT OR IGNORE INTO import_seen (site_id, sync_id, key, ordinal) "
        "SELECT :seen_site, :seen_sync, key, ordinal FROM import_rows WHERE key IS NOT NULL "
        "ORDER BY ordinal",
        seen.params,
    )
    clear(db)


def append(
    db: sqlite_utils.Database, plan: Plan, file_id: int, after: int, last: int, base: int
) -> None:
    """Read rows ``after + 1 … last`` of a staged file; ``ordinal`` (the sync's
    ``recordIndex``) is ``base`` plus the row's place in its file."""
    sql = _Reading(plan)
    db.execute(
        sql.statement(),
        {**sql.params, "file": file_id, "after": after, "last": last, "base": base},
    )
    if sql.email_key:
        _check_emails(db, base + after, base + last)


def _check_emails(db: sqlite_utils.Database, after: int, last: int) -> None:
    """Flag the rows ``after < ordinal <= last`` whose ``email`` is not an e-mail address.
    The values come out joined by newlines, one string for the chunk, and are checked in one
    pass; only when one fails (or holds a newline) are they read again row by row to find
    which."""
    span = [after, last]
    joined, count = db.execute(
        "SELECT group_concat(email, char(10)), count(email) FROM import_rows "
        "WHERE ordinal > ? AND ordinal <= ?",
        span,
    ).fetchone()
    if not count or values.all_emails(str(joined), int(count)):
        return
    read = db.execute(
        "SELECT ordinal, email FROM import_rows WHERE ordinal > ? AND ordinal <= ? "
        "AND email IS NOT NULL",
        span,
    )
    db.conn.executemany(
        "UPDATE import_rows SET problem = 1 WHERE ordinal = ?",
        [(ordinal,) for ordinal in values.invalid_emails(read)],
    )


class _Reading:
    """The ``INSERT … SELECT`` that reads staged rows: a materialised CTE reads each key's
    value once; the outer select checks and arranges them. The first e-mail address column
    is copied to ``email`` and checked after, in one pass in Python (``append``): a SQL
    function called per row cost a third of the statement."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.params: dict[str, Any] = {}
        self.text: dict[str, str] = {}  # key -> the CTE column holding its text
        for column in plan.columns:
            if column.kind != "ignored" and column.key not in self.text:
                self.text[column.key] = f"v{len(self.text)}"
        for key in (plan.identifier, plan.card_key, plan.user_key):
            if key and key not in self.text:
                self.text[key] = f"v{len(self.text)}"
        self.email_key = next(
            (
                c.key
                for c in plan.columns
                if c.kind != "ignored" and c.data_type.lower() == "emailaddress"
            ),
            "",
        )

    def param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def statement(self) -> str:
        columns = ", ".join(f"{self._value(key)} AS {v}" for key, v in self.text.items())
        return (
            f"WITH v AS MATERIALIZED (SELECT s.ordinal AS o{', ' if columns else ''}{columns} "
            "FROM staged_rows s WHERE s.file_id = :file AND s.ordinal > :after "
            "AND s.ordinal <= :last) "
            "INSERT INTO import_rows (ordinal, file_id, file_ordinal, problem, key, patch, upd, "
            "flags, contact_value, card_value, missing, user_value, email) "
            f"SELECT :base + o, :file, o, {self._problem()}, {self._key()}, {self._patch()}, "
            f"{self._upd()}, {self._flags()}, {self._link(self._contact_key())}, "
            f"{self._link(self.plan.card_key)}, {self._missing()}, "
            f"{self._link(self.plan.user_key)}, {self._link(self.email_key)} FROM v WHERE true"
        )

    def _value(self, key: str) -> str:
        """The text of ``key`` in a staged row, NULL if absent (staging stores every value as
        text)."""
        function, argument = staging.value_of(key)
        return f"{function}(s.data, {self.param(argument)})"

    def _problem(self) -> str:
        checks = [
            self._invalid(self.text[c.key], c.data_type)
            for c in self.plan.columns
            if c.kind != "ignored"
            and c.data_type.lower() in values.CHECKED_TYPES
            and c.key != self.email_key  # checked after reading (``append``)
        ] + [
            f"length({self.text[c.key]}) > {self.param(c.max_length)}"
            for c in self.plan.columns
            if c.max_length is not None
        ]
        if self.plan.identifier and self.plan.identifier_required:
            checks.append(f"coalesce({self.text[self.plan.identifier]}, '') = ''")
        if self.plan.stage_key:
            stage = self.text[self.plan.stage_key]
            known = ", ".join(self.param(name) for name in self.plan.stages) or "NULL"
            checks.append(f"(coalesce({stage}, '') <> '' AND lower({stage}) NOT IN ({known}))")
        return f"CASE WHEN {' OR '.join(checks)} THEN 1 ELSE 0 END" if checks else "0"

    def _invalid(self, text: str, data_type: str) -> str:
        """Whether a value fails its type check (``emulator.core.values``); e-mail addresses,
        checked on most imports, have a function of their own."""
        if data_type.lower() == "emailaddress":
            return f"(coalesce({text}, '') <> '' AND NOT eloqua_email({text}))"
        kind = self.param(data_type)
        return f"(coalesce({text}, '') <> '' AND NOT eloqua_valid({kind}, {text}))"

    def _key(self) -> str:
        if not self.plan.identifier:
            return "NULL"
        key = f"nullif({self.text[self.plan.identifier]}, '')"
        by_email = self.plan.match is not None and self.plan.match.by is MatchBy.EMAIL
        return f"lower({key})" if by_email else key

    def _patch(self, *, updating: bool = False) -> str:
        pairs = [
            (
                self.param(c.name),
                f"nullif({self.text[c.key]}, '')"
                if updating and c.rule == "ifNewIsNotNull"
                else self.text[c.key],
            )
            for c in self.plan.columns
            if c.kind == "field"
        ]
        return _object(pairs)

    def _upd(self) -> str:
        dropped = any(c.kind == "field" and c.rule == "ifNewIsNotNull" for c in self.plan.columns)
        return self._patch(updating=True) if dropped else "NULL"

    def _flags(self) -> str:
        pairs = []
        for c in self.plan.columns:
            if c.kind not in ("flag", "external_id"):
                continue
            text = self.text[c.key]
            value = (
                f"CASE WHEN {text} IS NULL THEN NULL WHEN lower({text}) IN "
                f"({', '.join(repr(k) for k, v in values.BOOLEANS.items() if v)}) THEN 1 "
                "ELSE 0 END"
                if c.data_type == "boolean"
                else text
            )
            if c.rule == "ifNewIsNotNull":
                value = f"CASE WHEN {text} = '' THEN NULL ELSE {value} END"
            pairs.append((self.param(c.name), value))
        return _object(pairs) if pairs else "NULL"

    def _contact_key(self) -> str:
        return next((c.key for c in self.plan.columns if c.kind == "contact"), "")

    def _link(self, key: str) -> str:
        return f"nullif({self.text[key]}, '')" if key else "NULL"

    def _missing(self) -> str:
        required = [
            f"coalesce({self.text[c.key]}, '') = ''"
            for c in self.plan.columns
            if c.kind == "field" and c.required
        ]
        return f"CASE WHEN {' OR '.join(required)} THEN 1 ELSE 0 END" if required else "0"


def _object(pairs: list[tuple[str, str]]) -> str:
    """A JSON object of the pairs whose value is not NULL. When every value is there (the
    usual row), one ``json_object``; otherwise each group patched onto ``{}``, which drops
    the NULLs."""
    groups = [
        ", ".join(f"{k}, {v}" for k, v in pairs[start : start + PAIRS_PER_CALL])
        for start in range(0, len(pairs), PAIRS_PER_CALL)
    ]
    built = "'{}'"
    for group in groups:
        built = f"json_patch({built}, json_object({group}))"
    if len(groups) != 1:
        return built
    complete = " AND ".join(f"{v} IS NOT NULL" for _, v in pairs)
    return f"CASE WHEN {complete} THEN json_object({groups[0]}) ELSE {built} END"


def flagged(
    db: sqlite_utils.Database, condition: str, params: dict[str, int] | None = None
) -> list[tuple[int, str]]:
    """``(ordinal, staged JSON)`` of the chunk's rows where ``condition`` holds."""
    return [
        (int(ordinal), str(data))
        for ordinal, data in db.execute(
            "SELECT i.ordinal, s.data FROM import_rows i JOIN staged_rows s "
            f"ON s.file_id = i.file_id AND s.ordinal = i.file_ordinal WHERE {condition} "
            "ORDER BY i.ordinal",
            params or {},
        )
    ]


def problems(db: sqlite_utils.Database) -> list[tuple[int, str]]:
    return flagged(db, "i.problem = 1")


def leading(db: sqlite_utils.Database, last: int) -> list[tuple[int, str]]:
    """The chunk's rows up to ``recordIndex`` ``last`` (rejects forced through the control
    plane)."""
    return flagged(db, "i.ordinal <= :last", {"last": last})


def discard(db: sqlite_utils.Database, ordinals: Sequence[int]) -> None:
    db.conn.executemany("DELETE FROM import_rows WHERE ordinal = ?", ((o,) for o in ordinals))


def take_duplicates(db: sqlite_utils.Database, seen: Seen) -> list[tuple[int, str]]:
    """Rows whose identifier an earlier row of the sync already had: removed and returned.
    ``seen`` keeps each identifier's first row; rows are read in ordinal order, so the
    first ``INSERT OR IGNORE`` wins."""
    keyed = db.execute("SELECT count(key) FROM import_rows").fetchone()[0]
    added = db.execute(
        "INSERT OR IGNORE INTO import_seen (site_id, sync_id, key, ordinal) "
        "SELECT :seen_site, :seen_sync, key, ordinal FROM import_rows WHERE key IS NOT NULL "
        "ORDER BY ordinal",
        seen.params,
    ).rowcount
    if added == keyed:
        return []
    duplicates = flagged(
        db,
        "i.key IS NOT NULL AND (SELECT ordinal FROM import_seen WHERE site_id = :seen_site "
        "AND sync_id = :seen_sync AND key = i.key) <> i.ordinal",
        seen.params,
    )
    discard(db, [ordinal for ordinal, _ in duplicates])
    return duplicates


def clear(db: sqlite_utils.Database) -> None:
    db.execute("DELETE FROM import_rows")
    db.execute("DELETE FROM import_matches")


@dataclass
class Applied:
    """What applying one chunk did, for the sync's outcome and logs."""

    created: int = 0
    updated: int = 0
    linked: int = 0
    existing: int = 0
    unmatched: int = 0


def apply(
    db: sqlite_utils.Database,
    plan: Plan,
    *,
    import_rule: str,
    id_identifier: bool,
    next_id: int,
    stamp: str,
) -> tuple[Applied, list[tuple[int, str]]]:
    """Apply the rows in ``import_rows``; what happened, and the rows rejected because a new
    record would lack a required field (``(ordinal, staged JSON)``)."""
    applied = Applied()
    _resolve_links(db, plan)
    if plan.match is not None:
        _find_matches(db, plan, plan.match)
        if import_rule == "createOnly":
            applied.existing = int(
                db.execute("SELECT count(DISTINCT ordinal) FROM import_matches").fetchone()[0]
            )
        else:
            applied.linked += _count_links(db, plan)
            applied.updated = _update(db, plan, stamp)
    creatable = "ordinal NOT IN (SELECT ordinal FROM import_matches)"
    if import_rule == "updateOnly":
        applied.unmatched = _count(db, creatable)
        return applied, []
    if id_identifier:
        applied.unmatched = _count(db, f"{creatable} AND key IS NOT NULL")
        creatable += " AND key IS NULL"
    missing = flagged(db, f"i.{creatable} AND i.missing = 1")
    creatable += " AND missing = 0"
    if plan.contact_lookup is not None or plan.card is not None:  # else no row links
        applied.linked += _count(
            db, f"{creatable} AND (contact_ref IS NOT NULL OR account_ref IS NOT NULL)"
        )
    applied.created = _insert(db, plan, creatable, next_id, stamp)
    return applied, missing


@dataclass
class UserLinks:
    """What linking an account import's users did."""

    linked: int = 0
    duplicates: int = 0  # users already linked to the account (ELQ-00062)
    unknown: int = 0  # CRM user ids no Eloqua user of the site has


def link_users(db: sqlite_utils.Database, plan: Plan) -> UserLinks:
    """Link each applied row's account to the Eloqua users its ``user_value`` names (CRM
    user ids, comma-separated), after the chunk is applied: the rows are matched again so
    that new accounts are found too."""
    done = UserLinks()
    if plan.match is None:
        return done
    db.execute("DELETE FROM import_matches")
    _find_matches(db, plan, plan.match)
    wanted = db.execute(
        "SELECT m.record_id, i.user_value FROM import_matches m JOIN import_rows i "
        "ON i.ordinal = m.ordinal WHERE coalesce(i.user_value, '') <> '' ORDER BY i.ordinal"
    ).fetchall()
    for account_id, value in wanted:
        for crm_id in (part.strip() for part in str(value).split(",")):
            if not crm_id:
                continue
            user = db.execute(
                f"SELECT min(id) FROM {ELOQUA_USERS.name} WHERE site_id = ? AND crm_user_id = ?",
                [plan.site_id, crm_id],
            ).fetchone()[0]
            if user is None:
                done.unknown += 1
                continue
            added = db.execute(
                "INSERT OR IGNORE INTO account_users (site_id, account_id, user_id) "
                "VALUES (?, ?, ?)",
                [plan.site_id, account_id, user],
            ).rowcount
            done.linked += added
            done.duplicates += 1 - added
    return done


def _count(db: sqlite_utils.Database, condition: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM import_rows WHERE {condition}").fetchone()[0])


def _find_matches(db: sqlite_utils.Database, plan: Plan, match: Match) -> None:
    """Fill ``import_matches`` with ``(ordinal, record id, its rowid)``: the lowest matching
    id, or every match with ``isUpdatingMultipleMatchedRecords``. The update then reaches
    each record by its rowid rather than through the (site, id) index."""
    rows = "import_rows i"
    if match.by in (MatchBy.FIELD, MatchBy.EXTERNAL_ID):
        # these scan the records and look each one's value up among the chunk's
        rows = "import_keys i"
        db.execute(
            "INSERT INTO import_keys (key, ordinal) SELECT key, ordinal FROM import_rows "
            "WHERE key IS NOT NULL"
        )
    join, params = plan.table.join(match, rows, "i.key", plan.site_id, plan.parent_id)
    # with min(), SQLite takes the bare r.rowid from the row holding the minimum
    picked, grouped = ("r.id", "") if plan.update_all else ("min(r.id)", " GROUP BY i.ordinal")
    db.execute(
        f"INSERT INTO import_matches (ordinal, record_id, row) SELECT i.ordinal, {picked}, "
        f"r.rowid FROM {join} WHERE i.key IS NOT NULL{grouped}",
        params,
    )
    db.execute("DELETE FROM import_keys")


def _resolve_links(db: sqlite_utils.Database, plan: Plan) -> None:
    """``contact_ref`` / ``account_ref``: the contact or account each row links to."""
    contact: list[tuple[str, list[Any]]] = []
    account: list[tuple[str, list[Any]]] = []
    if plan.contact_lookup is not None:
        contact.append(CONTACTS.lookup(plan.contact_lookup, "contact_value", plan.site_id))
    if plan.card is not None:
        card = plan.card
        found = card.table.lookup(
            card.match, "card_value", plan.site_id, case_sensitive=card.case_sensitive
        )
        (contact if card.table is CONTACTS else account).append(found)
    refs: list[str] = []
    args: list[Any] = []
    if contact:
        joined = ", ".join(sql for sql, _ in contact)
        refs.append(
            f"contact_ref = coalesce({joined})" if len(contact) > 1 else f"contact_ref = {joined}"
        )
        args += [a for _, params in contact for a in params]
    if account:
        refs.append(f"account_ref = {account[0][0]}")
        args += account[0][1]
    if refs:
        db.execute(f"UPDATE import_rows SET {', '.join(refs)}", args)


def _count_links(db: sqlite_utils.Database, plan: Plan) -> int:
    """Matched records whose linked contact or account the update changes."""
    if not plan.table.links:
        return 0
    scoped, params = plan.table.scope("r", plan.site_id, plan.parent_id)
    return int(
        db.execute(
            f"SELECT count(*) FROM {_MATCHED} CROSS JOIN {plan.table.name} r "
            f"WHERE {scoped} AND r.id = m.record_id "
            "AND ((i.contact_ref IS NOT NULL AND i.contact_ref IS NOT r.contact_id) "
            "OR (i.account_ref IS NOT NULL AND i.account_ref IS NOT r.account_id))",
            params,
        ).fetchone()[0]
    )


def _update(db: sqlite_utils.Database, plan: Plan, stamp: str) -> int:
    """One ``UPDATE … FROM`` over the matches; fields written only where empty are
    removed from each row's values where the record already has a value."""
    table = plan.table.name
    values = _without_filled(table, "coalesce(i.upd, i.patch)", plan.fill_fields)
    assignments = [f"fields = json_patch({table}.fields, {values})"]
    stamped = [stamp] if plan.table.updated_at else []
    if stamped:
        assignments.append("updated_at = ?")
    written = {c.name for c in plan.columns if c.kind in ("flag", "external_id")}
    for column in (c for c in plan.table.flags if c in written):
        given = f"json_type(i.flags, '$.{column}') IS NOT NULL"
        if column in plan.fill_flags:
            given += f" AND coalesce({table}.{column}, '') = ''"
        value = f"json_extract(i.flags, '$.{column}')"
        if column == "external_id":
            value = f"nullif({value}, '')"
        assignments.append(f"{column} = CASE WHEN {given} THEN {value} ELSE {table}.{column} END")
    if plan.table.links:
        assignments += [
            f"contact_id = coalesce(i.contact_ref, {table}.contact_id)",
            f"account_id = coalesce(i.account_ref, {table}.account_id)",
        ]
    scoped, params = plan.table.scope(table, plan.site_id, plan.parent_id)
    return db.execute(
        f"UPDATE {table} SET {', '.join(assignments)} FROM {_MATCHED} "
        f"WHERE {table}.rowid = m.row AND {scoped}",
        [*stamped, *params],
    ).rowcount


# The rows (as ``i``) joined to the records they update (``m.record_id``).
_MATCHED = "import_matches m JOIN import_rows i ON i.ordinal = m.ordinal"


def _without_filled(table: str, values: str, fields: Sequence[str]) -> str:
    for start in range(0, len(fields), PATHS_PER_CALL):
        paths = ", ".join(
            f"CASE WHEN coalesce(json_extract({table}.fields, '{path(name)}'), '') <> '' "
            f"THEN '{path(name)}' ELSE '{NEVER}' END"
            for name in fields[start : start + PATHS_PER_CALL]
        )
        values = f"json_remove({values}, {paths})"
    return values


# What a new record's columns besides ``fields`` get from the row's ``flags``.
_NEW = {
    "is_subscribed": "coalesce(json_extract(flags, '$.is_subscribed'), 1)",
    "is_bounced": "coalesce(json_extract(flags, '$.is_bounced'), 0)",
    "email_format": "coalesce(json_extract(flags, '$.email_format'), '')",
    "external_id": "nullif(json_extract(flags, '$.external_id'), '')",
}


def _key_is_email(plan: Plan) -> bool:
    """Whether the rows' ``key`` is the new contacts' ``email_key`` already: they are matched
    by the one column holding ``C_EmailAddress``, lower-cased. (An empty address gives a
    NULL key and the key ''; the insert trigger puts that right.)"""
    addresses = [c for c in plan.columns if c.kind == "field" and c.name == "C_EmailAddress"]
    return (
        plan.match is not None
        and plan.match.by is MatchBy.EMAIL
        and len(addresses) == 1
        and addresses[0].key == plan.identifier
    )


def _insert(db: sqlite_utils.Database, plan: Plan, creatable: str, next_id: int, stamp: str) -> int:
    """New records for the rows left, ids in staged order."""
    table = plan.table
    columns = ["site_id", "id", "created_at", "updated_at"]
    values = ["?", "? + row_number() OVER (ORDER BY ordinal) - 1", "?", "?"]
    args: list[Any] = [plan.site_id, next_id, stamp, stamp]
    if table.per_parent:
        columns += ["family", "parent_id"]
        values += ["?", "?"]
        args += [table.family, plan.parent_id]
    columns += table.flags
    values += [_NEW[flag] for flag in table.flags]
    if table.links:
        columns += ["contact_id", "account_id"]
        values += ["contact_ref", "account_ref"]
    if table.email_key:
        columns.append("email_key")
        values.append("key" if _key_is_email(plan) else EMAIL_KEY.format("patch"))
    return db.execute(
        f"INSERT INTO {table.name} ({', '.join(columns)}, fields) "
        f"SELECT {', '.join(values)}, patch FROM import_rows WHERE {creatable} ORDER BY ordinal",
        args,
    ).rowcount
