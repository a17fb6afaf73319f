"""BEX job definitions: create, read, replace, delete and list (reference §1-§3), as plain
functions over the store whose first argument is the database.

Order of the checks (reference §2.1): the caller may use BEX (403), the body is a JSON
object (400), then every field error at once, those of the shape and those found in the
data (the contact source is a database, the FTP user an Org Admin with a folder, the
columns exist), in one 400; then what does not exist (404), then the state (400). Each
runs inside the request's transaction, so a rejected request changes nothing.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
import sqlite_utils

from emulator.acoustic import store
from emulator.acoustic.core import definitions, rules
from emulator.acoustic.core import messages as m
from emulator.acoustic.errors import BadRequest, Forbidden, NotFound


def check_access(caller: store.Caller) -> None:
    """Only an Org Admin of an org enabled for BEX may call it [DOC D1]; the status (403)
    is the emulator's [INF]."""
    if not (caller.user.is_org_admin and caller.bex_enabled):
        raise Forbidden([m.NOT_AUTHORIZED])


def path_id(text: str) -> int:
    """The ``{id}`` of a path: a positive number, else a 400 general error [INF]."""
    job_id = definitions.parse_id(text)
    if job_id is None:
        raise BadRequest([m.JOB_ID_INVALID.format(value=text)])
    return job_id


def create(
    db: sqlite_utils.Database,
    caller: store.Caller,
    body: Any,
    now: float,
    *,
    one_per_source: bool = True,
) -> int:
    """The new definition's id. With ``one_per_source`` (the emulator's reading of "the job
    definition for the listId"), a second definition for a database is refused."""
    check_access(caller)
    draft, ftp_user = _checked(db, caller, body)
    if one_per_source and store.job_for_source(db, draft.contact_source_id) is not None:
        raise BadRequest([m.JOB_EXISTS])
    job_id = store.insert_job(db, _fields(caller, draft, ftp_user), now)
    store.set_job_definition(db, job_id, _text(draft, job_id, ftp_user))
    return job_id


def replace(
    db: sqlite_utils.Database, caller: store.Caller, job_id: int, body: Any, now: float
) -> str:
    """PUT: the body is a whole definition with the path's ``id``; the contact source stays
    the same ("the job definition for the listId needs to exist"). The definition's JSON."""
    check_access(caller)
    draft, ftp_user = _checked(db, caller, body, job_id=job_id)
    current = _own(db, caller, job_id)
    if current.contact_source_id != draft.contact_source_id:
        raise BadRequest(fields={"contactSourceId": m.CONTACT_SOURCE_CHANGED})
    store.update_job(db, job_id, _fields(caller, draft, ftp_user), now)
    text = _text(draft, job_id, ftp_user)
    store.set_job_definition(db, job_id, text)
    return text


def read(db: sqlite_utils.Database, caller: store.Caller, job_id: int) -> str:
    check_access(caller)
    return _own(db, caller, job_id).definition


def delete(db: sqlite_utils.Database, caller: store.Caller, job_id: int) -> int:
    check_access(caller)
    _own(db, caller, job_id)
    store.delete_job(db, job_id)
    return job_id


def list_definitions(db: sqlite_utils.Database, caller: store.Caller) -> list[str]:
    """The org's definitions by id (an extension: Acoustic documents no list)."""
    check_access(caller)
    return [job.definition for job in store.jobs(db, caller.user.org_id)]


def _own(db: sqlite_utils.Database, caller: store.Caller, job_id: int) -> store.JobDefinition:
    """A definition of the caller's org; another org's is as unknown as a missing one."""
    job = store.job(db, job_id)
    if job is None or job.org_id != caller.user.org_id:
        raise NotFound([m.JOB_NOT_FOUND])
    return job


def _checked(
    db: sqlite_utils.Database, caller: store.Caller, body: Any, *, job_id: int | None = None
) -> tuple[definitions.Draft, store.User]:
    """The draft, with column names spelled as the database spells them, and the FTP user;
    or every field error of the request at once."""
    if not isinstance(body, dict):
        raise BadRequest([m.BODY_INVALID])
    parsed = definitions.parse(body, path_id=job_id)
    errors = dict(parsed.errors)
    database = _database(db, caller, parsed, errors)
    ftp_user = _ftp_user(db, caller, parsed.ftp_user_id, errors)
    columns: dict[str, str] = {}
    if database is not None:
        columns = {name.casefold(): name for name in store.column_names(db, database.id)}
        for path, name in parsed.column_names:
            if name.casefold() not in columns:
                errors[path] = m.COLUMN_UNKNOWN.format(value=name)
    if errors:
        raise BadRequest(fields=errors)
    if job_id is not None:
        _own(db, caller, job_id)
    if database is None:
        raise NotFound([m.DATABASE_NOT_FOUND])
    assert parsed.draft is not None
    assert ftp_user is not None
    draft = parsed.draft
    channels = tuple(
        dataclasses.replace(
            channel,
            columns=tuple(
                definitions.Column(columns[c.name.casefold()], c.order) for c in channel.columns
            ),
        )
        for channel in draft.channels
    )
    return dataclasses.replace(draft, channels=channels), ftp_user


def _database(
    db: sqlite_utils.Database,
    caller: store.Caller,
    parsed: definitions.Parsed,
    errors: definitions.FieldErrors,
) -> store.ContactSource | None:
    """The caller's database the body names; a contact list or query is a field error, an
    unknown id (or another org's) ``None``, for a 404 once the field errors are known."""
    if parsed.contact_source_id is None:
        return None
    source = store.contact_source(db, parsed.contact_source_id)
    if source is None or source.org_id != caller.user.org_id:
        return None
    if source.kind != rules.DATABASE:
        errors["contactSourceId"] = m.NOT_A_DATABASE
        return None
    return source


def _ftp_user(
    db: sqlite_utils.Database,
    caller: store.Caller,
    email: str | None,
    errors: definitions.FieldErrors,
) -> store.User | None:
    """The Org Admin of the caller's org whose FTP folder receives the files [DOC D1]."""
    if email is None:
        return None
    user = store.user_by_email(db, email)
    if user is None or user.org_id != caller.user.org_id:
        errors["ftpUserId"] = m.FTP_USER_UNKNOWN
        return None
    if not user.is_org_admin:
        errors["ftpUserId"] = m.FTP_USER_NOT_ADMIN
        return None
    if not user.has_ftp_folder:
        errors["ftpUserId"] = m.FTP_USER_NO_FOLDER
        return None
    return user


def _fields(
    caller: store.Caller, draft: definitions.Draft, ftp_user: store.User
) -> store.JobFields:
    email = draft.email
    return store.JobFields(
        org_id=caller.user.org_id,
        contact_source_id=draft.contact_source_id,
        ftp_user_id=ftp_user.email,
        channel=email.type,
        job_frequency=email.job_frequency,
        export_file_format=email.export_file_format,
        export_file_name=email.export_file_name,
        event_types=list(email.event_types),
        mailing_types=list(email.mailing_types),
        columns=email.column_names,
    )


def _text(draft: definitions.Draft, job_id: int, ftp_user: store.User) -> str:
    return orjson.dumps(definitions.public(draft, job_id, ftp_user.email)).decode()
