"""planning.md "Planning view": Slipping soon, and the responsible's month load."""

from datetime import date

import pytest
from b24clients.classify import classify
from b24clients.lifecycle import Thresholds
from b24clients.model import Activity
from b24clients.ranks import month_load, slipping_soon, slips_soon
from b24clients.snapshot import snapshot_from_data
from builders import company, contact, deal, snapshot

TODAY = date(2026, 11, 23)


class TestSlippingSoon:
    @pytest.mark.parametrize("last, slips", [
        (date(2026, 6, 22), True),      # Sleeping on 22 Dec, in 29 days
        (date(2026, 6, 23), True),      # Sleeping on 23 Dec, the 30th day
        (date(2026, 6, 24), False),     # still Active on the 30th day
        (date(2026, 5, 24), True),      # Sleeping tomorrow
        (date(2026, 5, 23), False),     # Sleeping already: not Active
    ])
    def test_active_clients_whose_last_payment_turns_six_months_old_within_30_days(self, last, slips):
        assert slips_soon(last, TODAY, Thresholds()) is slips

    def test_active_months_is_the_setting(self):
        assert slips_soon(date(2025, 12, 1), TODAY, Thresholds(12, 24)) is True
        assert slips_soon(date(2025, 12, 1), TODAY, Thresholds()) is False

    def test_the_group_lists_clients_not_their_member_contacts_soonest_first(self):
        data = snapshot_from_data(snapshot(
            companies=[company(5), company(6)], contacts=[contact(1, company=5), contact(2)],
            deals=[deal(1, company=5, won="2026-06-20"), deal(2, contact=2, won="2026-06-01"),
                   deal(3, company=6, won="2026-10-01")])).crm
        rows = classify(data, TODAY)
        assert [(r.entity, r.id) for r in slipping_soon(rows, TODAY, Thresholds())] == [("contact", 2), ("company", 5)]


def todo(id, due, responsible=12, completed=False):
    return Activity(id, "todo", completed=completed, responsible_id=responsible, deadline=due)


class TestMonthLoad:
    def test_open_activities_per_day_with_the_days_over_capacity(self):
        found = [todo(i, date(2028, 2, 29)) for i in range(9)] + [todo(20 + i, date(2028, 2, 3)) for i in range(8)]
        days = month_load(found, 12, 2028, 2, capacity=8)
        assert len(days) == 29
        assert (days[28].open, days[28].room, days[28].over) == (9, -1, True)
        assert (days[2].open, days[2].room, days[2].over) == (8, 0, False)
        assert (days[0].open, days[0].room) == (0, 8)

    def test_other_responsibles_completed_undated_and_other_months_load_nothing(self):
        found = [todo(1, date(2026, 9, 1), responsible=13), todo(2, date(2026, 9, 1), completed=True),
                 todo(3, None), todo(4, date(2026, 10, 1)), todo(5, date(2025, 9, 1))]
        assert all(day.open == 0 for day in month_load(found, 12, 2026, 9, capacity=8))
