"""The pure shape check of a job definition body, and the token lifetime rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from emulator.acoustic.core import definitions, rules, tokens
from tests.acoustic.helpers import example

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(
    ["contactSourceId", "ftpUserId", "channels", "id", "type", "jobFrequency", "eventTypes"]
)


def test_the_example_parses_into_its_draft() -> None:
    parsed = definitions.parse(example())
    assert parsed.errors == {}
    assert parsed.draft == definitions.Draft(
        contact_source_id=423251,
        ftp_user_id="user@example.com",
        channels=(
            definitions.Channel(
                type="Email",
                job_frequency=1,
                export_file_format="CSV",
                export_file_name="Test_Email",
                event_types=("emailSend", "emailOpen"),
                mailing_types=("SendExperience",),
                columns=(definitions.Column("column1", 0),),
            ),
        ),
    )
    assert parsed.column_names == [("channels[0].columnNames[0].columnName", "column1")]


def test_column_names_follow_column_order() -> None:
    body = example()
    body["channels"][0]["columnNames"] = [
        {"columnName": "b", "columnOrder": 2},
        {"columnName": "c", "columnOrder": 0},
        {"columnName": "a", "columnOrder": 1},
    ]
    draft = definitions.parse(body).draft
    assert draft is not None
    assert draft.email.column_names == ["c", "a", "b"]


def test_the_public_form_fills_in_defaults() -> None:
    body = {
        "contactSourceId": 7,
        "ftpUserId": "a@b.example",
        "channels": [{"type": "Email", "jobFrequency": 2}],
    }
    draft = definitions.parse(body).draft
    assert draft is not None
    assert definitions.public(draft, 3, "A@b.example") == {
        "id": 3,
        "channels": [
            {
                "eventTypes": [],
                "columnNames": [],
                "mailingTypes": [],
                "exportFileName": rules.DEFAULT_FILE_NAME,
                "exportFileFormat": "CSV",
                "jobFrequency": 2,
                "type": "Email",
            }
        ],
        "contactSourceId": "7",
        "ftpUserId": "A@b.example",
    }


def test_a_path_id_is_one_to_eighteen_digits_above_zero() -> None:
    assert [
        definitions.parse_id(t) for t in ("1", "0", "007", "1" * 18, "1" * 19, "-1", "1e3", "")
    ] == [
        1,
        None,
        7,
        int("1" * 18),
        None,
        None,
        None,
        None,
    ]


@given(st.dictionaries(keys, json_values, max_size=5), st.one_of(st.none(), st.integers(1, 9)))
def test_any_body_gives_a_draft_or_errors_never_an_exception(body, path_id) -> None:
    parsed = definitions.parse(body, path_id=path_id)
    assert (parsed.draft is None) == bool(parsed.errors)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.errors.items())


@given(st.dictionaries(st.text(max_size=10), json_values, max_size=4))
def test_unknown_keys_change_nothing(extra) -> None:
    body = {**extra, **example()}
    assert definitions.parse(body) == definitions.parse(example())


def test_tokens_are_reused_for_three_hours_and_live_four() -> None:
    assert tokens.reusable(0, 3 * 3600 - 0.001)
    assert not tokens.reusable(0, 3 * 3600)
    assert tokens.live(4 * 3600, 4 * 3600 - 0.5)
    assert not tokens.live(4 * 3600, 4 * 3600)
    assert tokens.expires_in(14400, 0.4) == 14399
    assert tokens.expires_in(10, 20) == 0
