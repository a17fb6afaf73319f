#!/usr/bin/env python3
"""Drive PyPI `eloqua-python-sdk` (0.4.9, import name `eloquasdk`) against the emulator,
under `emulator.testing.mock_eloqua`.

    clients/.venvs/sdk/bin/python clients/drive_sdk.py

Needs the emulator installed in the client's venv (clients/run.sh does it). Optional env:
SDK_AUTH = basic | oauth | both (default both),
ELOQUA_SITE (Acme), ELOQUA_USER (jane), ELOQUA_PASSWORD (pw),
ELOQUA_CLIENT_ID (test-client), ELOQUA_CLIENT_SECRET (test-secret),
SDK_STRIP_SLASH=1 to strip the trailing '/' of the /id bulk URL (default: keep
it, like a naive user -> requests go to .../API/Bulk/2.0//contacts/fields).

`mock_eloqua` serves a fresh in-process emulator and answers every `requests` call to
login.eloqua.com or *.eloqua.com from it; the library and this script use Eloqua's real
URLs. Facts about the library that shape this script:
* EloquaBulkClient(username, password, bulk_url, client_id=None, client_secret=None)
  never calls /id; the caller must supply bulk_url.  So, as the Eloqua docs
  instruct, the script itself does GET https://login.eloqua.com/id and uses
  urls.apis.rest.bulk.format(version='2.0').
* Basic auth = requests HTTPBasicAuth(username, password): the username must be
  passed pre-joined as 'Site\\User'.
* OAuth = requests_oauthlib OAuth2Session(LegacyApplicationClient).fetch_token
  against the module constant eloquasdk.bulk.TOKEN_URL
  ('https://login.eloqua.com/auth/oauth2/token', used as shipped).
  The mocked /id answers the https Eloqua host it was asked on, so OAuth2Session
  sends its token as it would to a pod (no OAUTHLIB_INSECURE_TRANSPORT).
* eloquasdk.login.EloquaLogin is unusable on Python 3 (bytes(str) without
  encoding in utils.b64auth) and is deliberately not used.
"""

import os
import sys
import traceback

import requests
from eloquasdk.bulk import EloquaBulkClient

from emulator.testing import mock_eloqua

LOGIN = "https://login.eloqua.com"


def bulk_url_from_id(id_json):
    if not isinstance(id_json, dict):
        raise RuntimeError("GET /id did not authenticate: %r" % (id_json,))
    url = id_json["urls"]["apis"]["rest"]["bulk"].format(version="2.0")
    if os.environ.get("SDK_STRIP_SLASH") == "1":
        url = url.rstrip("/")
    return url


def list_contact_fields(client, label):
    fields = client.get_fields("contacts")  # GET {bulk_url}/contacts/fields
    print("[%s] get_fields('contacts'): %d fields" % (label, len(fields)))
    for f in fields:
        print("  %-28s %-24s %s" % (f.get("internalName"), f.get("name"), f.get("statement")))
    via_execute = client.execute("get_fields", "contacts")  # same call through the dispatcher
    assert len(via_execute) == len(fields)
    if not fields:
        raise RuntimeError("emulator returned no contact fields")
    # _get_fields_dict reads internalName + statement of every item
    d = client._get_fields_dict(entity="contacts")
    print("[%s] fields dict for exports: %d entries" % (label, len(d)))


def create_definitions(client, label):
    """The SDK's own create_export/create_import, with the keys it always sends
    (``filter: null``, ``syncActions: null``, ``mapDataCardsSensitiveMatch`` ...)."""
    export = client.create_export(
        name="sdk export",
        entity="contacts",
        fields={"email": "{{Contact.Field(C_EmailAddress)}}", "id": "{{Contact.Id}}"},
    )
    print("[%s] create_export ->" % label, export["uri"])
    contacts = client.create_import(
        name="sdk import",
        entity="contacts",
        fields={"email": "{{Contact.Field(C_EmailAddress)}}"},
        identifier_field_name="email",
    )
    print("[%s] create_import(contacts) ->" % label, contacts["uri"])
    cdo = client.create_import(
        name="sdk cdo import",
        entity="customObjects",
        parent_id=9,
        fields={"id": "{{CustomObject[9].Id}}"},
        identifier_field_name="id",
    )
    print("[%s] create_import(customObjects) ->" % label, cdo["uri"])
    for created in (export, contacts, cdo):
        if not str(created.get("uri", "")).startswith("/"):
            raise RuntimeError("definition not created: %r" % (created,))


def run_basic(site, user, password):
    username = site + "\\" + user
    r = requests.get(LOGIN + "/id", auth=(username, password))
    r.raise_for_status()
    bulk_url = bulk_url_from_id(r.json())
    print("[basic] bulk_url from /id:", bulk_url)
    client = EloquaBulkClient(username=username, password=password, bulk_url=bulk_url)
    list_contact_fields(client, "basic")
    create_definitions(client, "basic")


def run_oauth(site, user, password):
    client = EloquaBulkClient(
        username=site + "\\" + user,
        password=password,
        bulk_url=None,
        client_id=os.environ.get("ELOQUA_CLIENT_ID", "test-client"),
        client_secret=os.environ.get("ELOQUA_CLIENT_SECRET", "test-secret"),
    )
    tok = client.token
    print("[oauth] token keys:", sorted(tok.keys()))
    # discover the bulk URL with the Bearer token through the library's own OAuth2Session
    r = client.oauth.get(LOGIN + "/id")
    r.raise_for_status()
    client.bulk_url = bulk_url_from_id(r.json())
    print("[oauth] bulk_url from /id:", client.bulk_url)
    list_contact_fields(client, "oauth")


def main():
    with mock_eloqua() as eloqua:
        print("emulator (mock_eloqua):", eloqua.url)
        return drive()


def drive():
    site = os.environ.get("ELOQUA_SITE", "Acme")
    user = os.environ.get("ELOQUA_USER", "jane")
    password = os.environ.get("ELOQUA_PASSWORD", "pw")
    mode = os.environ.get("SDK_AUTH", "both")
    if mode in ("basic", "both"):
        run_basic(site, user, password)
    if mode in ("oauth", "both"):
        run_oauth(site, user, password)
    print("OK")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except Exception:
        traceback.print_exc()
        sys.exit(1)
