"""rules.md §2 portal calendar dates and §3 calendar-month arithmetic."""

from datetime import date, datetime, timedelta, timezone

import pytest

from b24clients.dates import months_before, parse_offset, portal_date, today_in

MSK = timezone(timedelta(hours=3))


class TestPortalDate:
    def test_midnight_in_the_portal_offset_is_that_day_not_the_day_before_in_utc(self):
        assert portal_date("2026-05-24T00:00:00+03:00", MSK) == date(2026, 5, 24)

    def test_a_utc_timestamp_is_moved_into_the_portal_offset(self):
        assert portal_date("2026-05-23T21:30:00+00:00", MSK) == date(2026, 5, 24)
        assert portal_date("2026-05-23T21:30:00Z", MSK) == date(2026, 5, 24)

    def test_a_timestamp_from_a_western_offset_lands_on_the_portal_day(self):
        assert portal_date("2026-05-23T23:30:00-05:00", MSK) == date(2026, 5, 24)

    def test_a_bare_date_or_naive_time_is_taken_as_portal_local(self):
        assert portal_date("2026-05-24", MSK) == date(2026, 5, 24)
        assert portal_date("2026-05-24T23:59:59", MSK) == date(2026, 5, 24)

    @pytest.mark.parametrize("value", [None, "", "   ", "not a date", "2026-13-45", 20260524, []])
    def test_absent_or_unreadable_values_are_no_date(self, value):
        assert portal_date(value, MSK) is None

    def test_a_moment_past_the_calendars_end_in_the_portal_offset_is_no_date(self):
        assert portal_date("9999-12-31T23:00:00+00:00", MSK) is None


class TestMonthsBefore:
    def test_plain_calendar_months(self):
        assert months_before(date(2026, 11, 23), 6) == date(2026, 5, 23)
        assert months_before(date(2026, 11, 23), 18) == date(2025, 5, 23)

    def test_clamped_at_month_end(self):
        assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
        assert months_before(date(2028, 8, 31), 6) == date(2028, 2, 29)
        assert months_before(date(2026, 12, 31), 1) == date(2026, 11, 30)

    def test_across_the_year_boundary(self):
        assert months_before(date(2026, 3, 15), 18) == date(2024, 9, 15)
        assert months_before(date(2026, 1, 31), 1) == date(2025, 12, 31)


class TestOffsets:
    def test_parse_offset(self):
        assert parse_offset("+03:00") == MSK
        assert parse_offset("-05:30") == timezone(-timedelta(hours=5, minutes=30))
        assert parse_offset("Z") == timezone.utc

    @pytest.mark.parametrize("text", ["", "3", "+3", "Moscow", "+25:00"])
    def test_bad_offsets_are_refused(self, text):
        with pytest.raises(ValueError):
            parse_offset(text)

    def test_today_is_the_portal_date_of_the_callers_clock(self):
        late_utc = datetime(2026, 11, 22, 22, 0, tzinfo=timezone.utc)
        assert today_in(MSK, late_utc) == date(2026, 11, 23)
        assert today_in(timezone.utc, late_utc) == date(2026, 11, 22)
