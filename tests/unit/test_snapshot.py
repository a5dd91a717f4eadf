"""Reading b24-snapshot/1 files: what is accepted, and the one-line reasons for what is not."""

import json
from pathlib import Path

import pytest

from b24clients.snapshot import SnapshotError, parse_snapshot

SNAPSHOTS = Path(__file__).parent.parent / "snapshots"


def test_the_example_of_the_format_spec_loads():
    snap = parse_snapshot((SNAPSHOTS / "spec_example.json").read_text(), "spec_example.json")
    assert set(snap.crm.contacts) == {1} and set(snap.crm.companies) == {5}
    assert snap.portal["domain"] == "demo.bitrix24.ru"


def test_every_collection_may_be_absent_and_unknown_keys_are_ignored():
    snap = parse_snapshot(json.dumps({"format": "b24-snapshot/1", "leads": [{"ID": "1"}], "extra": 1}))
    assert snap.crm.contacts == {} and str(snap.utc_offset) == "UTC+03:00"


@pytest.mark.parametrize("text, reason", [
    ("{not json", "not valid JSON"),
    ("[]", "top level must be a JSON object"),
    ('{"format": "b24-snapshot/2"}', "format must be 'b24-snapshot/1'"),
    ('{"format": "b24-snapshot/1", "portal": [1]}', "'portal' must be an object"),
    ('{"format": "b24-snapshot/1", "portal": {"utc_offset": "Moscow"}}', "portal.utc_offset"),
    ('{"format": "b24-snapshot/1", "contacts": {"ID": "1"}}', "'contacts' must be a list"),
    ('{"format": "b24-snapshot/1", "deals": ["x"]}', "deals[0] must be an object"),
    ('{"format": "b24-snapshot/1", "companies": [{"TITLE": "no id"}]}', "companies[0] has no valid ID"),
    ('{"format": "b24-snapshot/1", "contacts": [{"ID": "1"}, {"ID": "1"}]}', "contacts[1] repeats ID 1"),
    ('{"format": "b24-snapshot/1", "invoices": [{"id": 1}, {"id": "1"}]}', "invoices[1] repeats ID 1"),
])
def test_malformed_snapshots_are_refused_with_a_one_line_reason_naming_the_source(text, reason):
    with pytest.raises(SnapshotError) as caught:
        parse_snapshot(text, "broken.json")
    message = str(caught.value)
    assert message.startswith("broken.json: ") and reason in message and "\n" not in message


def test_odd_values_inside_records_are_absorbed_not_refused():
    odd = {"format": "b24-snapshot/1",
           "contacts": [{"ID": "1", "COMPANY_ID": "abc", "PHONE": "not a list", "DATE_CREATE": 12}],
           "deals": [{"ID": "2", "STAGE_SEMANTIC_ID": "S", "CONTACT_ID": "1", "CLOSEDATE": "yesterday",
                      "DATE_MODIFY": "2026-01-05T10:00:00+03:00"}],
           "activities": [{"ID": "3", "BINDINGS": "none"}]}
    snap = parse_snapshot(json.dumps(odd))
    assert snap.crm.contacts[1].company_ids == ()
    assert str(snap.crm.deals[0].succeeded_on) == "2026-01-05"
