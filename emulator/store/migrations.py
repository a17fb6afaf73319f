"""The store's schema, as a versioned sqlite-utils migration set.

Every table that holds a site's data starts with ``site_id``: sites are isolated
namespaces, and site 0 holds the fixtures that each new site is seeded from.
"""

from __future__ import annotations

import orjson
import sqlite_utils
from sqlite_utils import Migrations

from emulator.core import values
from emulator.core.redaction import token_digest

migrations = Migrations("eloqua_emulator")


@migrations()
def m001_identity(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sites (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
            username TEXT NOT NULL COLLATE NOCASE,
            display_name TEXT NOT NULL,
            first_name TEXT NOT NULL,
            last_name TEXT NOT NULL,
            email_address TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (site_id, username)
        );
        CREATE TABLE tokens (
            token TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh', 'code')),
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            client_id TEXT NOT NULL,
            redirect_uri TEXT,
            expires_at REAL NOT NULL
        );
        CREATE INDEX tokens_expiry ON tokens (expires_at);
        """
    )


@migrations()
def m002_catalog(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE fields (
            site_id INTEGER NOT NULL,
            family TEXT NOT NULL,
            parent_id INTEGER NOT NULL DEFAULT 0,
            id INTEGER NOT NULL,
            internal_name TEXT,
            statement TEXT NOT NULL,
            data_type TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            item TEXT NOT NULL,
            PRIMARY KEY (site_id, family, parent_id, id)
        );
        CREATE TABLE containers (
            site_id INTEGER NOT NULL,
            family TEXT NOT NULL,
            id INTEGER NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (site_id, family, id)
        );
        CREATE TABLE memberships (
            site_id INTEGER NOT NULL,
            family TEXT NOT NULL,
            container_id INTEGER NOT NULL,
            member_id INTEGER NOT NULL,
            PRIMARY KEY (site_id, family, container_id, member_id)
        );
        CREATE INDEX memberships_member ON memberships (site_id, family, member_id);
        """
    )


@migrations()
def m003_records(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE contacts (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            account_id INTEGER,
            is_subscribed INTEGER NOT NULL DEFAULT 1,
            is_bounced INTEGER NOT NULL DEFAULT 0,
            email_format TEXT NOT NULL DEFAULT '',
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, id)
        );
        CREATE TABLE accounts (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, id)
        );
        CREATE TABLE object_records (
            site_id INTEGER NOT NULL,
            family TEXT NOT NULL CHECK (family IN ('customObjects', 'events')),
            parent_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            external_id TEXT,
            contact_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, family, parent_id, id)
        );
        CREATE TABLE activities (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            type TEXT NOT NULL,
            created_at TEXT NOT NULL,
            contact_id INTEGER,
            visitor_id INTEGER,
            external_id TEXT,
            asset_type TEXT,
            asset_name TEXT,
            asset_id INTEGER,
            campaign_id INTEGER,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, id)
        );
        CREATE INDEX activities_type ON activities (site_id, type, created_at);
        CREATE TABLE campaign_responses (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            campaign_id INTEGER,
            contact_id INTEGER,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, id)
        );
        """
    )


@migrations()
def m004_definitions(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE sequences (
            site_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            last INTEGER NOT NULL,
            PRIMARY KEY (site_id, name)
        );
        CREATE TABLE definitions (
            site_id INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('imports', 'exports', 'syncActions')),
            id INTEGER NOT NULL,
            family TEXT NOT NULL,
            parent_id INTEGER NOT NULL DEFAULT 0,
            item TEXT NOT NULL,
            delete_at REAL,
            PRIMARY KEY (site_id, kind, id)
        );
        CREATE INDEX definitions_family ON definitions (site_id, kind, family, parent_id, id);
        """
    )


@migrations()
def m005_staging_and_syncs(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE staged_files (
            id INTEGER PRIMARY KEY,
            site_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            definition_id INTEGER NOT NULL,
            sync_id INTEGER,
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL,
            rows INTEGER NOT NULL,
            keys TEXT NOT NULL,
            bytes INTEGER NOT NULL
        );
        CREATE INDEX staged_files_definition
            ON staged_files (site_id, kind, definition_id, sync_id);
        CREATE TABLE staged_rows (
            file_id INTEGER NOT NULL REFERENCES staged_files(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (file_id, ordinal)
        ) WITHOUT ROWID;
        CREATE TABLE syncs (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            definition_id INTEGER NOT NULL,
            family TEXT NOT NULL,
            parent_id INTEGER NOT NULL,
            synced_instance_uri TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            created_by TEXT NOT NULL,
            status TEXT NOT NULL,
            callback_url TEXT,
            created_at TEXT NOT NULL,
            created_epoch REAL NOT NULL,
            started_at TEXT,
            ended_at TEXT,
            reads INTEGER NOT NULL DEFAULT 0,
            shown INTEGER NOT NULL DEFAULT 0,
            advanced INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (site_id, id)
        );
        CREATE INDEX syncs_status ON syncs (status, created_epoch);
        CREATE INDEX syncs_definition ON syncs (site_id, kind, definition_id, status);
        CREATE TABLE sync_logs (
            site_id INTEGER NOT NULL,
            sync_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            count INTEGER NOT NULL,
            severity TEXT NOT NULL,
            status_code TEXT NOT NULL,
            message TEXT,
            created_at TEXT NOT NULL,
            PRIMARY KEY (site_id, sync_id, seq)
        );
        CREATE TABLE sync_rejects (
            site_id INTEGER NOT NULL,
            sync_id INTEGER NOT NULL,
            record_index INTEGER NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (site_id, sync_id, record_index)
        );
        ALTER TABLE object_records ADD COLUMN account_id INTEGER;
        CREATE INDEX contacts_email
            ON contacts (site_id, lower(json_extract(fields, '$.C_EmailAddress')));
        """
    )


@migrations()
def m006_exports(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE export_rows (
            site_id INTEGER NOT NULL,
            sync_id INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            data TEXT NOT NULL,
            PRIMARY KEY (site_id, sync_id, ordinal)
        ) WITHOUT ROWID;
        ALTER TABLE syncs ADD COLUMN row_count INTEGER;
        ALTER TABLE syncs ADD COLUMN columns TEXT;
        ALTER TABLE syncs ADD COLUMN data_expires_at REAL;
        CREATE TABLE execution_members (
            site_id INTEGER NOT NULL,
            instance TEXT NOT NULL,
            execution INTEGER NOT NULL,
            family TEXT NOT NULL,
            parent_id INTEGER NOT NULL,
            record_id INTEGER NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (site_id, instance, execution, family, parent_id, record_id)
        );
        CREATE INDEX execution_members_record
            ON execution_members (site_id, family, parent_id, record_id);
        """
    )


@migrations()
def m007_campaigns_and_scores(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE campaigns (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, id)
        );
        CREATE TABLE lead_scores (
            site_id INTEGER NOT NULL,
            model_id INTEGER NOT NULL,
            contact_id INTEGER NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, model_id, contact_id)
        );
        """
    )


@migrations()
def m008_contact_email_key(db: sqlite_utils.Database) -> None:
    """The lower-cased e-mail address as a (virtual, generated) column: SQLite uses an index
    on an expression only against constants, an index on a column in joins too, which is
    how an import matches its rows to contacts."""
    db.executescript(
        """
        DROP INDEX contacts_email;
        ALTER TABLE contacts ADD COLUMN email_key TEXT
            AS (lower(json_extract(fields, '$.C_EmailAddress'))) VIRTUAL;
        CREATE INDEX contacts_email ON contacts (site_id, email_key);
        """
    )


@migrations()
def m009_staged_values_as_text(db: sqlite_utils.Database) -> None:
    """Staged values are stored as the text an import reads; rows staged before keep their
    JSON types until rewritten here."""
    after = (0, 0)
    while True:  # a batch at a time: staged data may be large
        typed = db.execute(
            "SELECT file_id, ordinal, data FROM staged_rows WHERE (file_id, ordinal) > (?, ?) "
            "AND EXISTS (SELECT 1 FROM json_each(staged_rows.data) WHERE type <> 'text') "
            "ORDER BY file_id, ordinal LIMIT 5000",
            list(after),
        ).fetchall()
        if not typed:
            return
        db.conn.executemany(
            "UPDATE staged_rows SET data = ? WHERE file_id = ? AND ordinal = ?",
            [(_as_text(data), f, o) for f, o, data in typed],
        )
        after = (typed[-1][0], typed[-1][1])


def _as_text(data: str) -> str:
    """A staged row with every value as text: null empty, booleans true/false."""
    row = orjson.loads(data)
    return orjson.dumps({k: values.text(v) for k, v in row.items()}).decode()


@migrations()
def m010_appcloud(db: sqlite_utils.Database) -> None:
    """AppCloud service instances (``id`` is the dashless lower-case GUID statements use),
    their executions, and the notifications sent to the app with its answers."""
    db.executescript(
        """
        CREATE TABLE service_instances (
            site_id INTEGER NOT NULL,
            id TEXT NOT NULL,
            guid TEXT NOT NULL,
            type TEXT NOT NULL,
            family TEXT NOT NULL,
            parent_id INTEGER NOT NULL,
            notification_url TEXT,
            records_per_notification INTEGER NOT NULL,
            record_definition TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (site_id, id)
        );
        CREATE TABLE executions (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            instance TEXT NOT NULL,
            asset_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (site_id, id)
        );
        CREATE INDEX executions_instance ON executions (site_id, instance);
        CREATE TABLE notifications (
            site_id INTEGER NOT NULL,
            execution INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            url TEXT NOT NULL,
            items INTEGER NOT NULL,
            status INTEGER,
            error TEXT,
            sent_at TEXT,
            PRIMARY KEY (site_id, execution, ordinal)
        );
        """
    )


@migrations()
def m011_notification_instance(db: sqlite_utils.Database) -> None:
    """Notifications name their instance: execution ids can be chosen, and may be used again
    once the instance that had one is deleted."""
    db.executescript(
        """
        ALTER TABLE notifications ADD COLUMN instance TEXT NOT NULL DEFAULT '';
        CREATE INDEX notifications_instance ON notifications (site_id, instance);
        """
    )
    # also: find instances by GUID alone, and never the same GUID in two sites
    db.execute("CREATE UNIQUE INDEX service_instances_id ON service_instances (id)")


@migrations()
def m012_no_poll_columns(db: sqlite_utils.Database) -> None:
    """Poll counts live in memory (``core.progression.Polls``); these were never written."""
    db.execute("ALTER TABLE syncs DROP COLUMN reads")
    db.execute("ALTER TABLE syncs DROP COLUMN shown")


@migrations()
def m013_chunked_syncs(db: sqlite_utils.Database) -> None:
    """Syncs commit a chunk at a time: what a sync has done so far (``progress``), the
    records its sync actions will act on (``sync_targets``), and the record each export row
    came from (where the next chunk starts)."""
    db.executescript(
        """
        ALTER TABLE syncs ADD COLUMN progress TEXT;
        CREATE TABLE sync_targets (
            site_id INTEGER NOT NULL,
            sync_id INTEGER NOT NULL,
            record_id INTEGER NOT NULL,
            PRIMARY KEY (site_id, sync_id, record_id)
        ) WITHOUT ROWID;
        ALTER TABLE export_rows ADD COLUMN record_id INTEGER;
        """
    )


@migrations()
def m014_opportunities_and_users(db: sqlite_utils.Database) -> None:
    """Opportunities (identified by ``{{Opportunity.Id}}``, a text id from the CRM, held in
    ``external_id``) and the contacts linked to them; the site's Eloqua users, whom an
    account import with ``linkUsers`` links to accounts by their CRM user ids."""
    db.executescript(
        """
        CREATE TABLE opportunities (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            external_id TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, id)
        );
        CREATE INDEX opportunities_external ON opportunities (site_id, external_id);
        CREATE TABLE opportunity_contacts (
            site_id INTEGER NOT NULL,
            opportunity_id INTEGER NOT NULL,
            contact_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (site_id, opportunity_id, contact_id)
        ) WITHOUT ROWID;
        CREATE TABLE eloqua_users (
            site_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            name TEXT NOT NULL,
            login_name TEXT NOT NULL,
            email_address TEXT NOT NULL,
            crm_user_id TEXT,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (site_id, id)
        );
        CREATE INDEX eloqua_users_crm ON eloqua_users (site_id, crm_user_id);
        CREATE TABLE account_users (
            site_id INTEGER NOT NULL,
            account_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            PRIMARY KEY (site_id, account_id, user_id)
        ) WITHOUT ROWID;
        """
    )


@migrations()
def m015_rest_assets(db: sqlite_utils.Database) -> None:
    """What the REST 2.0 lists serve (campaigns, emails, forms, external assets, email
    groups, visitors): each element at complete depth, as JSON text, by ``kind``. Lists
    sort and search on its properties (``json_extract``), so no column per property."""
    db.executescript(
        """
        CREATE TABLE rest_assets (
            site_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            id INTEGER NOT NULL,
            item TEXT NOT NULL,
            PRIMARY KEY (site_id, kind, id)
        );
        """
    )


@migrations()
def m016_forced_outcomes(db: sqlite_utils.Database) -> None:
    """Outcomes forced through the control plane (``domain/outcomes``): each waits for
    its definition's next sync (``sync_id`` set when that sync starts) or names a pending
    sync, and goes when its sync ends or is released."""
    db.executescript(
        """
        CREATE TABLE forced_outcomes (
            site_id INTEGER NOT NULL,
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            family TEXT NOT NULL,
            parent_id INTEGER NOT NULL,
            definition_id INTEGER NOT NULL,
            definition_uri TEXT NOT NULL,
            sync_id INTEGER,
            started INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('error', 'warning', 'active')),
            code TEXT,
            message TEXT,
            count INTEGER,
            rejects INTEGER,
            created_at TEXT NOT NULL
        );
        CREATE INDEX forced_outcomes_sync ON forced_outcomes (site_id, sync_id);
        CREATE INDEX forced_outcomes_waiting ON forced_outcomes (started);
        """
    )


@migrations()
def m017_sync_events(db: sqlite_utils.Database) -> None:
    """What only the worker sees of a sync, for its timeline (``domain/timeline``): each
    chunk committed (rows) and each callback sent (the answer). Kept as long as the sync."""
    db.executescript(
        """
        CREATE TABLE sync_events (
            site_id INTEGER NOT NULL,
            sync_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            at TEXT NOT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY (site_id, sync_id, seq)
        ) WITHOUT ROWID;
        """
    )


@migrations()
def m018_acoustic_accounts(db: sqlite_utils.Database) -> None:
    """Acoustic Campaign's side (``emulator/acoustic``), which knows no Eloqua site: orgs,
    their OAuth applications, users (Org Admin, FTP folder present) and refresh tokens, all
    from ``fixtures/acoustic/``; the access tokens they give; contact sources (databases,
    contact lists, queries) with the databases' columns and contacts. Every table is
    named ``acoustic_*``: a full reset empties them all (``acoustic.store.clear``)."""
    db.executescript(
        """
        CREATE TABLE acoustic_orgs (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            bex_enabled INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE acoustic_applications (
            client_id TEXT PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES acoustic_orgs(id) ON DELETE CASCADE,
            client_secret TEXT NOT NULL,
            name TEXT NOT NULL
        );
        CREATE TABLE acoustic_users (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES acoustic_orgs(id) ON DELETE CASCADE,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            is_org_admin INTEGER NOT NULL,
            has_ftp_folder INTEGER NOT NULL
        );
        CREATE TABLE acoustic_refresh_tokens (
            token TEXT PRIMARY KEY,
            client_id TEXT NOT NULL
                REFERENCES acoustic_applications(client_id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES acoustic_users(id) ON DELETE CASCADE,
            revoked INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE acoustic_access_tokens (
            token TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            issued_at REAL NOT NULL,
            expires_at REAL NOT NULL
        );
        CREATE INDEX acoustic_access_tokens_grant
            ON acoustic_access_tokens (client_id, user_id, issued_at);
        CREATE TABLE acoustic_contact_sources (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES acoustic_orgs(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('database', 'contact_list', 'query')),
            database_id INTEGER NOT NULL
        );
        CREATE TABLE acoustic_columns (
            database_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            type TEXT NOT NULL,
            PRIMARY KEY (database_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE acoustic_contacts (
            database_id INTEGER NOT NULL,
            id INTEGER NOT NULL,
            email TEXT NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (database_id, id)
        ) WITHOUT ROWID;
        """
    )


@migrations()
def m019_acoustic_job_definitions(db: sqlite_utils.Database) -> None:
    """BEX job definitions: the public JSON as GET answers it (``definition``), and the
    fields a rotation reads, as columns (the Email channel's; it is the only channel).
    ``event_types``/``mailing_types`` are JSON arrays of names, empty for all;
    ``columns`` the custom column names in ``columnOrder``. Ids only grow
    (AUTOINCREMENT): a deleted definition's id is never given again."""
    db.executescript(
        """
        CREATE TABLE acoustic_job_definitions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            org_id INTEGER NOT NULL,
            contact_source_id INTEGER NOT NULL,
            ftp_user_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            job_frequency INTEGER NOT NULL,
            export_file_format TEXT NOT NULL,
            export_file_name TEXT NOT NULL,
            event_types TEXT NOT NULL,
            mailing_types TEXT NOT NULL,
            columns TEXT NOT NULL,
            definition TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            last_rotation_at REAL NOT NULL
        );
        CREATE INDEX acoustic_job_definitions_org ON acoustic_job_definitions (org_id, id);
        CREATE INDEX acoustic_job_definitions_source
            ON acoustic_job_definitions (contact_source_id);
        """
    )


@migrations()
def m020_acoustic_events_and_rotations(db: sqlite_utils.Database) -> None:
    """E-mail events of the Acoustic databases' contacts (``emulator/acoustic/events``) and
    the rotations of BEX jobs (``emulator/acoustic/rotation``).

    An event's id is its ``eventId`` and the order the emulator learned of it: a rotation
    exports the events of its job's database past the last one its previous rotation
    covered (``through_event_id``), up to the newest. ``detail`` holds the event's other
    file columns by name. A rotation names the file it wrote (``name`` is NULL when it
    wrote none); the rows stay after the job is deleted, as the files stay on FTP."""
    db.executescript(
        """
        CREATE TABLE acoustic_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            database_id INTEGER NOT NULL,
            contact_id INTEGER NOT NULL,
            code TEXT NOT NULL,
            mailing_type TEXT NOT NULL,
            at REAL NOT NULL,
            recorded_at REAL NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX acoustic_events_database ON acoustic_events (database_id, id);
        CREATE TABLE acoustic_rotations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id INTEGER NOT NULL,
            database_id INTEGER NOT NULL,
            ftp_user_id TEXT NOT NULL,
            rotated_at REAL NOT NULL,
            trigger TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
            through_event_id INTEGER NOT NULL,
            name TEXT,
            file_format TEXT NOT NULL,
            rows INTEGER NOT NULL,
            size INTEGER NOT NULL
        );
        CREATE INDEX acoustic_rotations_job ON acoustic_rotations (job_id, id);
        CREATE INDEX acoustic_rotations_file ON acoustic_rotations (ftp_user_id, name);
        """
    )


@migrations()
def m021_tokens_hashed(db: sqlite_utils.Database) -> None:
    """Tokens are kept as their SHA-256 digest (``core.redaction``), never in clear: those
    stored in clear before are hashed in place, so they keep working (a presented token is
    hashed and looked up). ``secure_delete`` zeroes the space the clear text leaves."""
    before = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        for table in ("tokens", "acoustic_refresh_tokens", "acoustic_access_tokens"):
            clear = [row[0] for row in db.execute(f"SELECT token FROM {table}").fetchall()]
            db.conn.executemany(
                f"UPDATE {table} SET token = ? WHERE token = ?",
                [(token_digest(token), token) for token in clear],
            )
    finally:
        db.execute(f"PRAGMA secure_delete = {int(before)}")


# A contact's lower-cased e-mail address, as ``contacts.email_key`` holds it.
EMAIL_KEY = "lower(json_extract({}, '$.C_EmailAddress'))"


@migrations()
def m022_contact_email_key_stored(db: sqlite_utils.Database) -> None:
    """``email_key`` becomes a stored column, and the e-mail index carries the contact's id.

    As a generated column, every write of ``fields`` rewrote the index entry, though an
    import matched by e-mail address never changes it: that cost half of updating a
    contact. Now a write that changes the address changes the key (the update trigger), an
    insert that leaves the key out gets it (the insert trigger), and an import finds the
    lowest id and row of each matching contact in the index alone. A writer that sets the
    key itself sets it to ``EMAIL_KEY`` of the row's fields (the import, seeding)."""
    key = EMAIL_KEY.format("new.fields")
    db.executescript(
        f"""
        DROP INDEX contacts_email;
        ALTER TABLE contacts DROP COLUMN email_key;
        ALTER TABLE contacts ADD COLUMN email_key TEXT;
        UPDATE contacts SET email_key = {EMAIL_KEY.format("fields")};
        CREATE INDEX contacts_email ON contacts (site_id, email_key, id);
        CREATE TRIGGER contacts_email_key_insert AFTER INSERT ON contacts
            WHEN new.email_key IS NULL AND {key} IS NOT NULL
            BEGIN UPDATE contacts SET email_key = {key} WHERE rowid = new.rowid; END;
        CREATE TRIGGER contacts_email_key_update AFTER UPDATE OF fields ON contacts
            WHEN new.email_key IS NOT {key}
            BEGIN UPDATE contacts SET email_key = {key} WHERE rowid = new.rowid; END;
        """
    )


@migrations()
def m023_definitions_by_expiry(db: sqlite_utils.Database) -> None:
    """The definitions due to go (``delete_at``), indexed: every create deletes the expired
    ones first, which scanned every definition of every site."""
    db.execute(
        "CREATE INDEX definitions_expiry ON definitions (delete_at) WHERE delete_at IS NOT NULL"
    )


@migrations()
def m024_fields_by_statement(db: sqlite_utils.Database) -> None:
    """Fields found by their statement, in any case, through an index: every definition,
    sync and import chunk looks its fields up so, and each look-up read every field of the
    family (about 30 µs for a contact field)."""
    db.execute(
        "CREATE INDEX fields_statement "
        "ON fields (site_id, family, parent_id, statement COLLATE NOCASE)"
    )


# Tables whose site-0 rows are copied into every new site.
SEEDED_TABLES = (
    "fields",
    "containers",
    "memberships",
    "contacts",
    "accounts",
    "object_records",
    "activities",
    "campaign_responses",
    "campaigns",
    "lead_scores",
    "opportunities",
    "eloqua_users",
    "rest_assets",
)


# Tables of what clients create in a site (not seeded).
SITE_TABLES = (
    "definitions",
    "sequences",
    "staged_rows",
    "staged_files",
    "syncs",
    "sync_targets",
    "sync_logs",
    "sync_rejects",
    "service_instances",
    "executions",
    "execution_members",
    "notifications",
    "forced_outcomes",
    "sync_events",
)


def apply(db: sqlite_utils.Database) -> None:
    migrations.apply(db)
