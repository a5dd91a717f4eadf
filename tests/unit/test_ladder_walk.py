"""The status ladder walked through clients' lives (spec/status-ladder.md "Statuses")."""

from dataclasses import replace

from b24clients.ladder import events_between, standing, walk
from ladderkit import call, day, deal, history, ladder, planned, set_to, story, touch

END = day(200)


class TestAClientsYear:
    """New → In work → Hot → Warm → Cold, a refused raise, a granted one, a lost deal."""

    HISTORY = history(
        0,
        touches=[call(3), call(40), call(150, hour=10)],
        deals=[deal(1, 5, "won", 20), deal(2, 160, "lost", 170)],
        planned=[planned(120, 135)],
        changes=[set_to(140, "hot"), set_to(150, "hot", hour=12)],
    )

    def test_every_event_of_200_days(self):
        events = walk(self.HISTORY, ladder(raise_needs_call=True), END).events
        assert story(events) == [
            (0, "new", None, "new"),
            (5, "deal_open", "new", "in_work"),
            (20, "deal_won", "in_work", "hot"),         # Hot since the close date
            (67, "warning", "hot", "warm", 70),         # 30 days after the call on day 40, warned 3 days ahead
            (70, "drop", "hot", "warm"),
            (133, "warning", "warm", "cold", 136),      # due on 130, but a to-do is planned until 135
            (136, "drop", "warm", "cold"),
            (140, "undone", "cold", "hot", "no_call"),  # last call on day 40
            (150, "set", "cold", "hot"),                # called at 10:00, raised at 12:00
            (160, "deal_open", "hot", "in_work"),
            (170, "deal_lost", "in_work", "warm"),
        ]

    def test_where_it_stands_at_the_end(self):
        end = standing(self.HISTORY, ladder(raise_needs_call=True), END)
        assert (end.status, end.since, end.drop_on, end.drops_to, end.warning) == ("warm", day(170), day(230),
                                                                                   "cold", False)

    def test_without_the_guard_the_first_raise_stands(self):
        events = walk(self.HISTORY, ladder(), END).events
        assert (140, "set", "cold", "hot") in story(events)
        assert not [e for e in events if e.kind == "undone"]

    def test_without_the_pause_it_drops_when_due(self):
        events = story(walk(self.HISTORY, ladder(pause_on_planned=False), END).events)
        assert (127, "warning", "warm", "cold", 130) in events and (130, "drop", "warm", "cold") in events


class TestNewAndLost:
    def test_a_new_client_nobody_touches_is_lost_after_new_days(self):
        events = walk(history(0), ladder(), END).events
        assert story(events) == [(0, "new", None, "new"), (7, "warning", "new", "lost", 10), (10, "loss", "new", "lost")]

    def test_a_touch_keeps_a_new_client_new_but_never_raises_it(self):
        at_20 = standing(history(0, touches=[call(8)]), ladder(), day(17))
        assert (at_20.status, at_20.drop_on) == ("new", day(18))

    def test_lost_is_terminal_whatever_the_touches(self):
        h = history(0, touches=[call(30), call(60), call(90)])
        assert standing(h, ladder(), END).status == "lost"
        assert standing(h, ladder(), END).drop_on is None

    def test_a_new_deal_brings_a_lost_client_back(self):
        h = history(0, deals=[deal(1, 50, "lost", 60)])
        assert story(walk(h, ladder(), END).events)[-4:] == [
            (50, "deal_open", "lost", "in_work"), (60, "deal_lost", "in_work", "warm"),
            (117, "warning", "warm", "cold", 120), (120, "drop", "warm", "cold"),
        ]

    def test_a_manual_raise_brings_a_lost_client_back(self):
        h = history(0, changes=[set_to(30, "warm")])
        assert standing(h, ladder(), day(30)).status == "warm"

    def test_clients_created_before_the_start_are_not_tracked(self):
        h = history(-5, deals=[deal(1, 10, "won", 20)], touches=[call(30)])
        assert walk(h, ladder(), END).events == ()
        assert standing(h, ladder(), END).status is None

    def test_without_a_start_date_nobody_starts_new(self):
        assert walk(history(0), ladder(started_on=None), END).events == ()


class TestDeals:
    def test_a_deal_won_while_another_is_open_makes_the_client_hot_from_the_win(self):
        h = history(0, deals=[deal(1, 10, "won", 20), deal(2, 12, "lost", 40)])
        events = story(walk(h, ladder(), day(60)).events)
        assert events[2:] == [(10, "deal_open", "new", "in_work"), (40, "deal_won", "in_work", "hot"),
                              (47, "warning", "hot", "warm", 50), (50, "drop", "hot", "warm")]
        assert standing(h, ladder(), day(40)).since == day(20)

    def test_a_deal_opened_and_won_the_same_day_makes_a_cold_client_hot(self):
        h = history(0, changes=[set_to(0, "cold")], deals=[deal(1, 30, "won", 30)])
        assert (standing(h, ladder(), day(30)).status, standing(h, ladder(), day(30)).since) == ("hot", day(30))

    def test_a_backdated_close_closes_the_deal_on_its_opening_day(self):
        h = history(0, changes=[set_to(0, "cold")], deals=[deal(1, 30, "lost", 25)])
        assert story(walk(h, ladder(), day(31)).events)[-1] == (30, "deal_lost", "cold", "warm")

    def test_a_change_away_from_in_work_while_a_deal_is_open_is_undone(self):
        h = history(0, deals=[deal(1, 5)], changes=[set_to(9, "cold")])
        assert story(walk(h, ladder(), day(9)).events)[-1] == (9, "undone", "in_work", "cold", "open_deal")
        assert standing(h, ladder(), END).status == "in_work"

    def test_tracking_started_with_a_deal_open_is_in_work_the_same_day(self):
        h = history(-30, deals=[deal(1, -20)], changes=[set_to(3, "warm")])
        assert story(walk(h, ladder(), day(3)).events) == [(3, "set", None, "warm"), (3, "deal_open", "warm", "in_work")]

    def test_in_work_set_by_hand_without_a_deal_drops_to_warm(self):
        h = history(0, touches=[call(1)], changes=[set_to(1, "in_work")])
        events = story(walk(h, ladder(), day(40)).events)
        assert events[-1] == (31, "drop", "in_work", "warm")

    def test_an_open_deal_never_lets_in_work_drop(self):
        assert standing(history(0, deals=[deal(1, 2)]), ladder(), day(400)).status == "in_work"

    def test_the_deal_rules_come_before_a_persons_change_of_the_same_day(self):
        h = history(0, deals=[deal(1, 5, "won", 20)], changes=[set_to(20, "warm")])
        assert story(walk(h, ladder(), day(20)).events)[-2:] == [(20, "deal_won", "in_work", "hot"),
                                                                  (20, "set", "hot", "warm")]


class TestTouches:
    def test_by_default_only_calls_are_touches(self):
        h = history(0, changes=[set_to(0, "hot")], touches=[touch("email", 20)])
        assert standing(h, ladder(), day(30)).status == "warm"
        assert standing(h, ladder(touch_kinds=frozenset({"call", "email"})), day(30)).status == "hot"

    def test_any_completed_activity_counts_when_chosen(self):
        h = history(0, changes=[set_to(0, "hot")], touches=[touch("other", 20)])
        assert standing(h, ladder(touch_kinds=frozenset({"any"})), day(30)).status == "hot"

    def test_a_touch_before_the_status_was_set_does_not_stretch_it(self):
        h = history(0, touches=[call(5)], changes=[set_to(10, "hot")])
        assert standing(h, ladder(), day(10)).drop_on == day(40)

    def test_changes_the_pass_wrote_itself_are_not_history(self):
        plain = history(0, changes=[set_to(0, "hot")])
        noisy = replace(plain, changes=(*plain.changes, set_to(5, "cold", auto=True), set_to(50, "lost", auto=True)))
        assert walk(noisy, ladder(), END) == walk(plain, ladder(), END)


class TestSettingsReDeriveEverything:
    HISTORY = history(0, changes=[set_to(0, "warm")], touches=[call(10)])

    def test_a_shorter_warm_period_drops_earlier_with_no_re_index(self):
        assert standing(self.HISTORY, ladder(), day(45)).status == "warm"
        shorter = standing(self.HISTORY, ladder(warm_days=30), day(45))
        assert (shorter.status, shorter.since) == ("cold", day(40))

    def test_a_longer_new_period_keeps_a_client_new(self):
        assert standing(history(0), ladder(new_days=20), day(15)).status == "new"


class TestCatchUp:
    HISTORY = TestAClientsYear.HISTORY

    def test_events_between_two_dates_exclude_the_first_and_include_the_last(self):
        events = story(events_between(self.HISTORY, ladder(), day(70), day(136)))
        assert events == [(133, "warning", "warm", "cold", 136), (136, "drop", "warm", "cold")]

    def test_a_catch_up_after_missed_days_dates_each_drop_on_its_true_day(self):
        late = walk(self.HISTORY, ladder(), day(139), walk(self.HISTORY, ladder(), day(60)).state)
        assert (late.standing.status, late.standing.since) == ("cold", day(136))
        assert next(e for e in late.events if e.kind == "drop").on == day(70)

    def test_daily_passes_and_one_catch_up_end_the_same(self):
        state, daily = walk(self.HISTORY, ladder(), day(0)).state, []
        for n in range(1, 201):
            step = walk(self.HISTORY, ladder(), day(n), state)
            state, daily = step.state, daily + list(step.events)
        once = walk(self.HISTORY, ladder(), END, walk(self.HISTORY, ladder(), day(0)).state)
        assert (state, tuple(daily)) == (once.state, once.events)
