"""A small driver over the domain functions, the way the routes and the worker call them:
each call is one ``Store.write_sync``/``read_sync`` transaction, as one user, at a clock
the test moves by hand (``bulk.now``)."""

from __future__ import annotations

from typing import Any

import orjson

from emulator.core.types import JSONObject, Principal
from emulator.domain import definitions, exports, staging, syncs
from emulator.engine import runner
from emulator.store import Store
from emulator.store import staging as staged
from emulator.store import syncs as sync_rows

EMAIL = "{{Contact.Field(C_EmailAddress)}}"
FIRST = "{{Contact.Field(C_FirstName)}}"
CITY = "{{Contact.Field(C_City)}}"
CONTACT_ID = "{{Contact.Id}}"


def sync_id(item: JSONObject) -> int:
    """``/syncs/7`` → 7."""
    return int(str(item["uri"]).rsplit("/", 1)[1])


def target(uri: str) -> tuple[definitions.Where, int]:
    found = syncs.parse_instance_uri(uri)
    assert found is not None, uri
    return found


class Bulk:
    def __init__(self, store: Store, principal: Principal, now: float) -> None:
        self.store = store
        self.principal = principal
        self.now = now

    # definitions and staging

    def define(
        self, family: str, kind: str, body: JSONObject, parent_id: int | None = None
    ) -> JSONObject:
        item = self.store.write_sync(
            definitions.create,
            self.principal,
            definitions.where(family, kind, parent_id),
            body,
            self.now,
            "PT6H",
        )
        return dict(orjson.loads(item))

    def stage(self, uri: str, rows: list[JSONObject], as_: Principal | None = None) -> int:
        at, id_ = target(uri)
        return self.store.write_sync(
            staging.stage, as_ or self.principal, at, id_, rows, len(orjson.dumps(rows)), self.now
        )

    def open_files(self, uri: str) -> int:
        at, id_ = target(uri)
        return self.store.read_sync(
            staged.count_open_files, self.principal.site_id, at.kind, id_, self.now
        )

    # syncs

    def sync(self, uri: str, **extra: Any) -> JSONObject:
        body = {"syncedInstanceUri": uri, **extra}
        return dict(
            orjson.loads(self.store.write_sync(syncs.create, self.principal, body, self.now))
        )

    def claim(self) -> sync_rows.SyncRow:
        """The worker's turn: pending syncs become active. The oldest of this user's syncs
        that the turn claimed, else the oldest already under way (a test that applied a
        sync by hand leaves it under way, and runs the one it created next)."""
        before = set(self.store.read_sync(sync_rows.active))
        under_way = self.store.write_sync(runner.rotation, self.now)
        mine = [key for key in under_way if key[0] == self.principal.site_id]
        assert mine, "no sync to run"
        claimed = [key for key in mine if key not in before]
        row = self.store.read_sync(sync_rows.get, *min(claimed or mine))
        assert row is not None
        return row

    def run_next(self) -> sync_rows.SyncRow:
        """What the worker does for one sync: claim, run, then drop the consumed files."""
        row = self.claim()
        final = self.store.write_sync(runner.run, row, self.now)
        self.store.write_sync(staging.purge_consumed)
        return final

    def run(self, uri: str, rows: list[JSONObject]) -> sync_rows.SyncRow:
        """Stage, sync and run: the whole import flow."""
        self.stage(uri, rows)
        self.sync(uri)
        return self.run_next()

    def log_lines(self, id_: int) -> list[JSONObject]:
        page, _ = self.store.read_sync(syncs.logs, self.principal, id_, {}, 1000)
        return [orjson.loads(item) for item in page.items]

    def logs(self, id_: int) -> dict[str, int]:
        return {line["statusCode"]: line["count"] for line in self.log_lines(id_)}

    def rejects(self, id_: int) -> list[JSONObject]:
        page, _ = self.store.read_sync(syncs.rejects, self.principal, id_, {}, 1000)
        return [orjson.loads(item) for item in page.items]

    # exports

    def data(self, id_: int, as_: Principal | None = None) -> list[JSONObject]:
        """Every row of an export sync's data, as ``GET /syncs/{id}/data`` serves it."""

        def read(db: Any) -> list[JSONObject]:
            page = exports.data_page(db, as_ or self.principal, id_, 0, 50000, self.now)
            return [
                orjson.loads(row)
                for first in exports.chunk_starts(page)
                for row in exports.chunks(db, page, first)
            ]

        return self.store.read_sync(read)

    def export(
        self, family: str, fields: dict[str, str], parent_id: int | None = None, **options: Any
    ) -> list[JSONObject]:
        """Define an export, sync it, run it and read its data."""
        uri = self.define(
            family, "exports", {"name": "check", "fields": fields, **options}, parent_id
        )
        self.sync(uri["uri"])
        final = self.run_next()
        assert final.status == "success", self.log_lines(final.id)
        return self.data(final.id)

    def contacts(self, domain: str, **columns: str) -> list[JSONObject]:
        """The contacts whose e-mail address ends with ``@domain``, in id order: their id,
        e-mail address and ``columns`` (name → field statement)."""
        fields = {"id": CONTACT_ID, "email": EMAIL, **columns}
        return self.export("contacts", fields, filter=f"'{EMAIL}' ~ '%@{domain}'")
