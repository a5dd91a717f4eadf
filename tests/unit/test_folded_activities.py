"""Activities as the sync keeps them (`sync/aggregates.py`): a chunk row replays into the
same `Activity` the fold made, the days, people and names of many activities are one
object each, a changed or deleted activity replaces its facts and its owners' flags; and
the Planning mode's window taken from them (`sync/planning.py` `in_window`)."""

import json
from datetime import date, timedelta, timezone

import pytest

from b24clients import records
from b24clients.model import Activity
from b24clients.records import StageBook
from b24clients.sync.aggregates import Aggregates
from b24clients.sync.planning import AHEAD_DAYS, in_window

MSK = timezone(timedelta(hours=3))
CALL = {"ID": "11", "OWNER_TYPE_ID": "3", "OWNER_ID": "5", "TYPE_ID": "2", "PROVIDER_ID": "VOXIMPLANT_CALL",
        "COMPLETED": "Y", "STATUS": "2", "DEADLINE": "2026-11-01T10:00:00+03:00", "RESPONSIBLE_ID": "4012",
        "AUTHOR_ID": "7", "CREATED": "2026-11-01T09:00:00+03:00", "LAST_UPDATED": "2026-11-02T23:30:00+00:00",
        "BINDINGS": [{"OWNER_TYPE_ID": "3", "OWNER_ID": "5"}, {"OWNER_TYPE_ID": "2", "OWNER_ID": "90"},
                     {"OWNER_TYPE_ID": "31", "OWNER_ID": "3"}, {"OWNER_TYPE_ID": "4", "OWNER_ID": "6"}]}
TODO = {"ID": "12", "OWNER_TYPE_ID": "4", "OWNER_ID": "6", "TYPE_ID": "6", "PROVIDER_ID": "CRM_TODO",
        "COMPLETED": "N", "STATUS": "1", "DEADLINE": "9999-12-31T23:59:59+03:00", "AUTHOR_ID": "4012",
        "CREATED": "2026-11-03T09:00:00+03:00", "LAST_UPDATED": "2026-11-03T09:00:00+03:00"}


def folded(*rows) -> tuple[Aggregates, dict]:
    aggregates = Aggregates()
    return aggregates, aggregates.fold("activities", rows, StageBook(), MSK)


def replayed(chunk: dict) -> Aggregates:
    aggregates = Aggregates()
    aggregates.replay(json.loads(json.dumps(chunk)))     # as a store gives it back
    return aggregates


def test_a_chunk_row_replays_into_the_activity_the_fold_made():
    aggregates, chunk = folded(CALL, TODO)
    call, todo = aggregates.activities[11], aggregates.activities[12]
    assert call == records.activity(CALL, MSK) == Activity(
        11, "call", True, (("contact", 5), ("company", 6)), (90,), ("invoice:000000000003",), 4012,
        done_on=date(2026, 11, 3), deadline=date(2026, 11, 1))            # LAST_UPDATED in the portal's offset
    assert todo == Activity(12, "todo", False, (("company", 6),), responsible_id=4012)  # author; year 9999: no deadline
    again = replayed(chunk)
    assert again.activities == aggregates.activities
    assert again.with_activities == aggregates.with_activities == {("contact", 5): 1, ("company", 6): 2}


def test_many_activities_share_their_days_people_and_names():
    rows = [{**CALL, "ID": str(100 + i), "BINDINGS": []} for i in range(3)]
    for aggregates in (folded(*rows)[0], replayed(folded(*rows)[1])):
        first, *rest = (aggregates.activities[100 + i] for i in range(3))
        for other in rest:
            assert other.done_on is first.done_on and other.deadline is first.deadline
            assert other.responsible_id is first.responsible_id and other.kind is first.kind
            assert other.owners[0][0] is first.owners[0][0]


def test_a_changed_activity_replaces_its_facts_and_a_deleted_one_its_owners_flags():
    aggregates, first = folded(CALL, TODO)
    done = {**TODO, "COMPLETED": "Y", "STATUS": "2", "LAST_UPDATED": "2026-11-20T12:00:00+03:00",
            "OWNER_TYPE_ID": "3", "OWNER_ID": "8", "BINDINGS": []}
    second = aggregates.fold("activities", [done], StageBook(), MSK)
    assert aggregates.activities[12] == Activity(12, "todo", True, (("contact", 8),), responsible_id=4012,
                                                 done_on=date(2026, 11, 20))
    assert aggregates.with_activities == {("contact", 5): 1, ("company", 6): 1, ("contact", 8): 1}
    third = aggregates.delete("activities", [11])
    assert set(aggregates.activities) == {12} and aggregates.with_activities == {("contact", 8): 1}
    again = Aggregates()
    for chunk in (first, second, third):
        again.replay(json.loads(json.dumps(chunk)))
    assert again.activities == aggregates.activities and again.with_activities == aggregates.with_activities


TODAY = date(2026, 11, 23)
SINCE = TODAY - timedelta(days=188)


@pytest.mark.parametrize("activity, inside", [
    (Activity(1, completed=True, done_on=SINCE), True),
    (Activity(1, completed=True, done_on=SINCE - timedelta(days=1)), False),
    (Activity(1, completed=True), False),                                   # completed, no date: no touch
    (Activity(1, completed=True, done_on=SINCE, deadline=TODAY + timedelta(days=AHEAD_DAYS)), True),
    (Activity(1, deadline=TODAY), True),
    (Activity(1, deadline=TODAY - timedelta(days=1)), False),               # open, past due: plans nothing
    (Activity(1, deadline=TODAY + timedelta(days=AHEAD_DAYS - 1)), True),
    (Activity(1, deadline=TODAY + timedelta(days=AHEAD_DAYS)), False),
    (Activity(1), False),                                                   # open, no deadline
])
def test_the_window_is_what_the_portal_is_asked_for(activity, inside):
    """`activity_specs`: open with DEADLINE in [today, today + AHEAD_DAYS), or completed with
    LAST_UPDATED (its `done_on`) from `since` on."""
    assert in_window(activity, TODAY, SINCE) is inside
