"""The list envelope and its query parameters (reference §3.1, §3.2)."""

from __future__ import annotations

import pytest

from tests.conftest import basic

FIELDS = "/api/bulk/2.0/contacts/fields"

BAD_PARAMETERS = [
    ("limit", "0"),
    ("limit", "1001"),
    ("limit", "-1"),
    ("limit", "ten"),
    ("limit", "1.5"),
    ("limit", ""),
    ("offset", "-1"),
    ("offset", "x"),
    ("offset", "1e3"),
    ("totalResults", "yes"),
    ("totalResults", "0"),
    ("orderBy", "nope ASC"),
    ("orderBy", "name SIDEWAYS"),
    ("orderBy", "name ASC DESC"),
    ("orderBy", ""),
    ("q", "name"),
    ("q", "nope=1"),
    ("q", "name~x"),
    ("q", "createdAt<yesterday"),
    ("q", "hasNotNullConstraint=maybe"),
    ("q", "createdAt=*2025*"),
    ("q", "name<*x"),
]


@pytest.mark.parametrize(("name", "value"), BAD_PARAMETERS)
def test_each_bad_parameter_gets_400_naming_it(client, name, value) -> None:
    response = client.get(FIELDS, params={name: value}, headers=basic())
    assert response.status_code == 400
    assert response.json() == {
        "failures": [
            {
                "field": name,
                "constraint": response.json()["failures"][0]["constraint"],
                "value": value,
            }
        ]
    }


def test_all_bad_parameters_are_reported_at_once(client) -> None:
    response = client.get(FIELDS, params={"limit": "0", "offset": "-2", "q": "x"}, headers=basic())
    assert response.status_code == 400
    assert [f["field"] for f in response.json()["failures"]] == ["limit", "offset", "q"]


def test_envelope_defaults(client) -> None:
    body = client.get(FIELDS, headers=basic()).json()
    assert list(body) == ["items", "totalResults", "limit", "offset", "count", "hasMore"]
    assert body["limit"] == 1000
    assert body["offset"] == 0
    assert body["count"] == len(body["items"]) == body["totalResults"]
    assert body["hasMore"] is False


def test_limit_and_offset_walk_every_item_once(client) -> None:
    everything = client.get(FIELDS, headers=basic()).json()["items"]
    seen, offset = [], 0
    while True:
        page = client.get(FIELDS, params={"limit": 7, "offset": offset}, headers=basic()).json()
        seen += page["items"]
        assert page["count"] == len(page["items"])
        assert page["hasMore"] == (offset + page["count"] < page["totalResults"])
        if not page["hasMore"]:
            break
        offset += 7
    assert seen == everything


def test_total_results_false_omits_the_total_and_still_knows_more(client) -> None:
    body = client.get(FIELDS, params={"limit": 3, "totalResults": "false"}, headers=basic()).json()
    assert "totalResults" not in body
    assert body["count"] == 3
    assert body["hasMore"] is True
    total = client.get(FIELDS, headers=basic()).json()["totalResults"]
    last = client.get(
        FIELDS, params={"limit": 3, "offset": total - 3, "totalResults": "False"}, headers=basic()
    ).json()
    assert last["hasMore"] is False


def test_an_empty_page_carries_empty_items(client) -> None:
    body = client.get(FIELDS, params={"offset": 100000}, headers=basic()).json()
    assert body["items"] == []
    assert body["count"] == 0
    assert body["hasMore"] is False


def test_q_with_wildcards_matches_case_insensitively(client) -> None:
    body = client.get(FIELDS, params={"q": '"name=*address*"'}, headers=basic()).json()
    names = [item["name"] for item in body["items"]]
    assert "Email Address" in names
    assert all("address" in name.lower() for name in names)
    assert body["totalResults"] == len(names)


def test_q_exact_match_and_quoted_values(client) -> None:
    body = client.get(FIELDS, params={"q": "name='Email Address'"}, headers=basic()).json()
    assert [i["internalName"] for i in body["items"]] == ["C_EmailAddress"]
    spaced = client.get(FIELDS, params={"q": "name=Email*Address"}, headers=basic()).json()
    assert [i["internalName"] for i in spaced["items"]] == ["C_EmailAddress"]


def test_q_wildcard_does_not_treat_sql_wildcards_as_wildcards(client) -> None:
    body = client.get(FIELDS, params={"q": "internalName=C%"}, headers=basic()).json()
    assert body["items"] == []
    underscores = client.get(FIELDS, params={"q": "internalName=C_*"}, headers=basic()).json()
    assert all(i["internalName"].startswith("C_") for i in underscores["items"])
    assert underscores["count"] > 0


def test_q_compares_timestamps_and_combines_terms(client) -> None:
    recent = client.get(FIELDS, params={"q": "createdAt>2000-01-01"}, headers=basic()).json()
    assert recent["count"] > 0
    assert all(i["createdAt"] > "2000" for i in recent["items"])
    both = client.get(
        FIELDS, params={"q": "createdAt>2000-01-01 dataType=string"}, headers=basic()
    ).json()
    assert both["count"] > 0
    assert all(i["dataType"] == "string" and i["createdAt"] > "2000" for i in both["items"])
    standard = client.get(FIELDS, params={"q": "createdAt<1901-01-01"}, headers=basic()).json()
    assert (
        standard["count"] + recent["count"] == client.get(FIELDS, headers=basic()).json()["count"]
    )


def test_q_on_booleans_and_not_equal(client) -> None:
    unique = client.get(
        FIELDS, params={"q": "hasUniquenessConstraint=true"}, headers=basic()
    ).json()
    assert [i["internalName"] for i in unique["items"]] == ["C_EmailAddress"]
    others = client.get(FIELDS, params={"q": "dataType!=string"}, headers=basic()).json()
    assert others["count"] > 0
    assert all(i["dataType"] != "string" for i in others["items"])


def test_order_by_sorts_and_is_stable(client) -> None:
    ascending = client.get(FIELDS, params={"orderBy": "name ASC"}, headers=basic()).json()["items"]
    descending = client.get(FIELDS, params={"orderBy": "name desc"}, headers=basic()).json()[
        "items"
    ]
    names = [i["name"] for i in ascending]
    assert names == sorted(names, key=str)
    assert [i["name"] for i in descending] == sorted(names, key=str, reverse=True)


def test_order_by_count_on_lists(client) -> None:
    items = client.get(
        "/api/bulk/2.0/contacts/lists", params={"orderBy": "count DESC"}, headers=basic()
    ).json()["items"]
    counts = [i["count"] for i in items]
    assert counts == sorted(counts, reverse=True)


def test_unknown_query_parameters_are_ignored(client) -> None:
    response = client.get(FIELDS, params={"links": "self", "depth": "complete"}, headers=basic())
    assert response.status_code == 200
