"""planning.md: next touch due = last touch + the rank's gap, and the band of each client."""

from datetime import date, timedelta, timezone
from types import MappingProxyType

import pytest
from b24clients import records
from b24clients.model import Activity, Touch
from b24clients.ranks import RankSettings, touch_status, touch_statuses
from b24clients.ranks.settings import Gaps
from b24clients.snapshot import snapshot_from_data
from builders import activity, company, contact, snapshot, stamp

MSK = timezone(timedelta(hours=3))
TODAY = date(2026, 11, 23)
GAPS = Gaps()


def status(rank, last=None, planned=None, gaps=GAPS):
    return touch_status(rank, Touch(last, 12) if last else None, planned, TODAY, gaps)


class TestDueDateAndBand:
    def test_on_the_day_a_touch_falls_due_it_is_due_not_overdue(self):
        due_today = status("A", last=TODAY - timedelta(days=30))
        assert (due_today.due_on, due_today.band) == (TODAY, "due_soon")
        assert status("A", last=TODAY - timedelta(days=31)).band == "overdue"

    @pytest.mark.parametrize("rank, gap", [("A", 30), ("B", 120), ("C", 180)])
    def test_each_rank_has_its_gap(self, rank, gap):
        touched = TODAY - timedelta(days=gap)
        assert status(rank, last=touched).due_on == TODAY
        assert status(rank, last=touched - timedelta(days=1)).band == "overdue"

    def test_due_within_7_days_then_fine(self):
        assert status("A", last=TODAY - timedelta(days=23)).band == "due_soon"     # due in 7 days
        assert status("A", last=TODAY - timedelta(days=22)).band == "fine"         # due in 8 days

    def test_never_touched_is_overdue_with_no_due_date(self):
        never = status("B")
        assert (never.band, never.due_on, never.last_touch) == ("overdue", None, None)

    def test_n_has_no_gap_so_it_is_never_due(self):
        assert status("N").band == "fine"
        assert status("N", last=date(2019, 1, 1)).due_on is None

    def test_a_planned_touch_takes_the_row_out_of_overdue(self):
        planned = status("A", last=TODAY - timedelta(days=90), planned=TODAY)
        assert (planned.band, planned.next_planned, planned.due_on) == ("planned", TODAY, TODAY - timedelta(days=60))

    def test_gaps_are_settings(self):
        assert status("C", last=TODAY - timedelta(days=20), gaps=Gaps(c=14)).band == "overdue"
        assert status("N", last=TODAY - timedelta(days=20), gaps=Gaps(n=365)).band == "fine"

    def test_days_overdue(self):
        assert status("A", last=TODAY - timedelta(days=40)).days_overdue(TODAY) == 10
        assert status("A", last=TODAY - timedelta(days=10)).days_overdue(TODAY) == 0
        assert status("A").days_overdue(TODAY) == 0


def open_activity(id, *owners, due, provider="CRM_TODO", **extra):
    deadline = due if due is None or due.startswith("9999") else stamp(due, "15:00:00")
    return records.activity(activity(id, *owners, provider=provider, COMPLETED="N", DEADLINE=deadline, **extra), MSK)


CRM = snapshot_from_data(snapshot(companies=[company(5), company(6)], contacts=[contact(1, company=5)])).crm
RANKS = MappingProxyType({("company", 5): "A", ("company", 6): "B"})


class TestTouchStatuses:
    def statuses(self, activities, record_touches=()):
        return touch_statuses(CRM, activities, record_touches, RANKS, RankSettings(), TODAY)

    def test_an_open_activity_due_today_or_later_plans_the_touch_the_earliest_first(self):
        found = self.statuses([open_activity(1, ("contact", 1), due="2026-12-10"),
                               open_activity(2, ("company", 5), due="2026-11-23")])
        assert (found[("company", 5)].band, found[("company", 5)].next_planned) == ("planned", TODAY)
        assert found[("company", 6)].band == "overdue"

    @pytest.mark.parametrize("due", ["2026-11-22", None, "9999-12-31T00:00:00+03:00"])
    def test_a_past_or_missing_deadline_plans_nothing(self, due):
        assert self.statuses([open_activity(1, ("company", 5), due=due)])[("company", 5)].band == "overdue"

    def test_a_completed_activity_with_a_future_deadline_plans_nothing(self):
        done = Activity(1, "todo", completed=True, owners=(("company", 5),), deadline=date(2026, 12, 1),
                        done_on=date(2026, 11, 1))
        assert self.statuses([done])[("company", 5)].band == "overdue"

    def test_last_touch_from_activities_and_records_together(self):
        call = records.activity(activity(1, ("contact", 1), TYPE_ID="2", COMPLETED="Y", RESPONSIBLE_ID="12",
                                         LAST_UPDATED=stamp("2026-10-25")), MSK)
        found = self.statuses([call], [(("company", 6), Touch(date(2026, 11, 20)))])
        assert (found[("company", 5)].last_touch, found[("company", 5)].due_on, found[("company", 5)].band) == \
            (Touch(date(2026, 10, 25), 12), date(2026, 11, 24), "due_soon")
        assert (found[("company", 6)].due_on, found[("company", 6)].band) == (date(2027, 3, 20), "fine")
