"""Account imports with ``linkUsers`` (Oracle's account tutorial): the Eloqua users named
by their CRM user ids in ``{{Account.User.Field(CRMOSCUserId)}}`` are linked to the
account; a link made before counts as ELQ-00062, an id no user has as unmatched."""

from __future__ import annotations

from typing import Any

from emulator.store import records
from tests.domain.support import Bulk

COMPANY = "{{Account.Field(M_CompanyName)}}"
TUTORIAL = {
    "name": "Import Accounts and link to Users",
    "fields": {"CompanyName": COMPANY, "UserCRMIdLink": "{{Account.User.Field(CRMOSCUserId)}}"},
    "identifierFieldName": "CompanyName",
    "linkUsers": "true",
}
ADA, BILAL = "005A000000Ada01", "005A000000Bil02"  # fixtures/users: Ada Moreau, Bilal Haddad


def users_of(bulk: Bulk, company: str) -> list[str]:
    [account] = bulk.export(
        "accounts", {"id": "{{Account.Id}}", "name": COMPANY}, filter=f"'{COMPANY}' = '{company}'"
    )
    state: dict[str, Any] | None = bulk.store.read_sync(
        records.account_state, bulk.principal.site_id, int(account["id"])
    )
    assert state is not None
    return [user["name"] for user in state["users"]]


def test_the_tutorial_links_the_named_users_to_new_and_existing_accounts(bulk: Bulk) -> None:
    uri = bulk.define("accounts", "imports", TUTORIAL)["uri"]
    first = bulk.run(
        uri,
        [
            {"CompanyName": "Linked Widgets", "UserCRMIdLink": f"{ADA}, {BILAL}"},
            {"CompanyName": "Lonely Widgets", "UserCRMIdLink": ""},
        ],
    )
    assert first.status == "success"
    assert users_of(bulk, "Linked Widgets") == ["Ada Moreau", "Bilal Haddad"]
    assert users_of(bulk, "Lonely Widgets") == []
    again = bulk.run(uri, [{"CompanyName": "Linked Widgets", "UserCRMIdLink": ADA}])
    assert again.status == "success"
    assert bulk.logs(again.id)["ELQ-00062"] == 1  # Ada was linked already
    assert users_of(bulk, "Linked Widgets") == ["Ada Moreau", "Bilal Haddad"]


def test_an_unknown_crm_user_id_links_nobody_and_says_so(bulk: Bulk) -> None:
    uri = bulk.define("accounts", "imports", TUTORIAL)["uri"]
    final = bulk.run(uri, [{"CompanyName": "Ghost Widgets", "UserCRMIdLink": f"nobody,{BILAL}"}])
    assert final.status == "warning"
    assert bulk.logs(final.id)["ELQ-00034"] == 1
    assert users_of(bulk, "Ghost Widgets") == ["Bilal Haddad"]  # the account is still imported


def test_without_link_users_the_user_field_is_not_linked(bulk: Bulk) -> None:
    uri = bulk.define("accounts", "imports", {**TUTORIAL, "linkUsers": False})["uri"]
    final = bulk.run(uri, [{"CompanyName": "Unlinked Widgets", "UserCRMIdLink": ADA}])
    assert final.status == "success"
    assert users_of(bulk, "Unlinked Widgets") == []
