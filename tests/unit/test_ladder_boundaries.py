"""The ladder's edges: the drop day itself, the first day of the warning window,
the raise guard's N days, and the last day of a planned touch."""

import pytest
from b24clients.ladder import standing, walk
from ladderkit import call, day, history, ladder, planned, set_to, story, touch

HOT_ON_0 = history(0, changes=[set_to(0, "hot")], touches=[call(10)])
"""Hot from day 0, called on day 10: due to drop on day 40 (30 days later)."""


class TestTheDropDay:
    @pytest.mark.parametrize("n, status", [(39, "hot"), (40, "warm"), (41, "warm")])
    def test_it_drops_exactly_n_days_after_the_last_touch(self, n, status):
        assert standing(HOT_ON_0, ladder(), day(n)).status == status

    def test_since_after_a_drop_is_the_drop_day(self):
        assert standing(HOT_ON_0, ladder(), day(55)).since == day(40)

    def test_a_touch_on_the_drop_day_comes_first_and_saves_it(self):
        saved = history(0, changes=[set_to(0, "hot")], touches=[call(10), call(40, hour=23)])
        at_40 = standing(saved, ladder(), day(40))
        assert (at_40.status, at_40.drop_on) == ("hot", day(70))

    def test_a_person_setting_the_same_status_does_not_restart_the_timer(self):
        again = history(0, changes=[set_to(0, "hot"), set_to(20, "hot")], touches=[call(10)])
        assert standing(again, ladder(), day(40)).status == "warm"

    def test_the_next_drop_is_never_today(self):
        assert standing(HOT_ON_0, ladder(), day(40)).drop_on == day(100)


class TestTheWarningWindow:
    @pytest.mark.parametrize("n, warning", [(36, False), (37, True), (39, True), (40, False)])
    def test_it_opens_warn_days_before_the_drop(self, n, warning):
        assert standing(HOT_ON_0, ladder(), day(n)).warning is warning

    def test_the_warning_is_an_event_on_the_first_day_of_the_window_only(self):
        events = story(walk(HOT_ON_0, ladder(), day(45)).events)
        assert [e for e in events if e[1] == "warning"] == [(37, "warning", "hot", "warm", 40)]

    def test_a_touch_in_the_window_closes_it_and_a_later_window_warns_again(self):
        h = history(0, changes=[set_to(0, "hot")], touches=[call(10), call(38)])
        warnings = [e for e in story(walk(h, ladder(), day(70)).events) if e[1] == "warning"]
        assert warnings == [(37, "warning", "hot", "warm", 40), (65, "warning", "hot", "warm", 68)]

    def test_another_status_due_the_same_day_is_warned_again(self):
        h = history(-50, changes=[set_to(0, "hot"), set_to(28, "new")])
        warnings = [e for e in story(walk(h, ladder(new_days=2), day(30)).events) if e[1] == "warning"]
        assert warnings == [(27, "warning", "hot", "warm", 30), (28, "warning", "new", "lost", 30)]

    def test_zero_warn_days_never_warns(self):
        assert not [e for e in walk(HOT_ON_0, ladder(warn_days=0), day(200)).events if e.kind == "warning"]

    def test_a_window_longer_than_the_status_opens_with_the_status(self):
        events = story(walk(history(0), ladder(warn_days=15), day(10)).events)
        assert events == [(0, "new", None, "new"), (0, "warning", "new", "lost", 10), (10, "loss", "new", "lost")]


class TestRaiseGuard:
    GUARD = ladder(raise_needs_call=True)

    @pytest.mark.parametrize("called_on, hour, kept", [
        (7, 10, True),     # 3 days before: inside "the last 3 days"
        (6, 23, False),    # 4 days before
        (10, 11, True),    # the same day, before the raise at noon
        (10, 13, False),   # the same day, after the raise
    ])
    def test_a_raise_needs_a_call_in_the_last_n_days(self, called_on, hour, kept):
        h = history(0, changes=[set_to(0, "cold"), set_to(10, "hot")], touches=[call(called_on, hour)])
        assert (standing(h, self.GUARD, day(10)).status == "hot") is kept

    def test_an_undone_raise_names_its_author_and_reason(self):
        h = history(0, changes=[set_to(0, "cold"), set_to(10, "hot", author=42)])
        undone = walk(h, self.GUARD, day(10)).events[-1]
        assert (undone.kind, undone.author, undone.reason, undone.status_to) == ("undone", 42, "no_call", "hot")

    def test_an_e_mail_is_not_a_call_even_when_e_mails_are_touches(self):
        h = history(0, changes=[set_to(0, "cold"), set_to(10, "hot")], touches=[touch("email", 9)])
        guard = ladder(raise_needs_call=True, touch_kinds=frozenset({"email"}))
        assert standing(h, guard, day(10)).status == "cold"

    def test_lowering_and_starting_need_no_call(self):
        h = history(-30, changes=[set_to(0, "hot"), set_to(5, "cold")])
        assert standing(h, self.GUARD, day(5)).status == "cold"

    def test_zero_days_means_a_call_the_same_day(self):
        h = history(0, changes=[set_to(0, "cold"), set_to(10, "warm")], touches=[call(10, 9)])
        assert standing(h, ladder(raise_needs_call=True, raise_call_days=0), day(10)).status == "warm"

    def test_new_to_warm_is_not_a_raise(self):
        h = history(0, changes=[set_to(2, "warm")])
        assert standing(h, self.GUARD, day(2)).status == "warm"


class TestPlannedTouchPause:
    def test_it_drops_the_day_after_the_deadline(self):
        h = history(0, changes=[set_to(0, "hot")], planned=[planned(20, 45)])
        assert [standing(h, ladder(), day(n)).status for n in (30, 45, 46)] == ["hot", "hot", "warm"]

    def test_a_to_do_planned_after_the_drop_does_not_undo_it(self):
        h = history(0, changes=[set_to(0, "hot")], planned=[planned(31, 45)])
        assert standing(h, ladder(), day(31)).since == day(30)

    def test_a_to_do_planned_in_the_window_moves_the_warning(self):
        h = history(0, changes=[set_to(0, "hot")], planned=[planned(28, 33)])
        warnings = [e for e in story(walk(h, ladder(), day(40)).events) if e[1] == "warning"]
        assert warnings == [(27, "warning", "hot", "warm", 30), (31, "warning", "hot", "warm", 34)]

    def test_an_overdue_to_do_pauses_nothing(self):
        h = history(0, changes=[set_to(0, "hot")], planned=[planned(10, 5)])
        assert standing(h, ladder(), day(30)).status == "warm"
