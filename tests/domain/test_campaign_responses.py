"""Campaign response imports (Oracle's campaign response tutorial): an app writes back what
its CRM made of each response, matched by ``{{CampaignResponse.Id}}``; responses are never
created by an import. Exports show the change."""

from __future__ import annotations

from tests.domain.support import Bulk

ID = "{{CampaignResponse.Id}}"
STATUS = "{{CampaignResponse.Field(MemberStatus)}}"
RETURNED = "{{CampaignResponse.Field(IntegrationReturnValue)}}"
IMPORT = {
    "name": "CRM write-back",
    "fields": {"CampaignResponseId": ID, "Status": STATUS, "CampaignMembershipId": RETURNED},
    "identifierFieldName": "CampaignResponseId",
}


def response(bulk: Bulk, id_: int) -> dict[str, str]:
    [found] = bulk.export(
        "campaignResponses",
        {"id": ID, "status": STATUS, "returned": RETURNED},
        filter=f"'{ID}' = '{id_}'",
    )
    return found


def test_an_import_updates_responses_and_creates_none(bulk: Bulk) -> None:
    assert response(bulk, 1)["status"] == "Clicked"  # the fixture response
    uri = bulk.define("campaignResponses", "imports", IMPORT)["uri"]
    final = bulk.run(
        uri,
        [
            {"CampaignResponseId": "1", "Status": "Responded", "CampaignMembershipId": "00vNEW1"},
            {"CampaignResponseId": "999999", "Status": "Responded"},
        ],
    )
    assert final.status == "warning"
    assert bulk.logs(final.id)["ELQ-00034"] == 1  # no response 999999, and none is created
    assert response(bulk, 1) == {"id": "1", "status": "Responded", "returned": "00vNEW1"}
