"""The portal pass and the manager's pass as plans (spec/status-ladder.md
"Warnings and notifications", "When the pass runs")."""

from datetime import date

import pytest
from b24clients.ladder import (
    Alarm,
    AlarmOrder,
    Client,
    Reassign,
    Written,
    assignees,
    manager_plan,
    portal_plan,
)
from ladderkit import call, day, deal, history, ladder, planned, set_to, story


def hot_from(n: int, number: int = 1, **extra):
    """A client set Hot on day n (created long before the start, so never New)."""
    return history(-50, key=("company", number), changes=[set_to(n, "hot"), *extra.pop("changes", ())], **extra)


def cold_from(n: int, number: int = 1, **extra):
    return history(-50, key=("company", number), changes=[set_to(n, "cold")], **extra)


class TestWrites:
    def test_a_catch_up_writes_the_true_drop_day_and_reports_what_happened_meanwhile(self):
        plan = portal_plan([Client(hot_from(0), 5, Written("hot", day(0)))], ladder(), day(25), day(40))
        assert [(w.status, w.since, w.assign_to) for w in plan.writes] == [("warm", day(30), None)]
        assert story(plan.events) == [(27, "warning", "hot", "warm", 30), (30, "drop", "hot", "warm")]
        assert [(d.manager, [e.on for e in d.dropped]) for d in plan.digests] == [(5, [day(30)])]

    def test_a_client_the_crm_already_shows_right_is_not_written(self):
        plan = portal_plan([Client(hot_from(0), 5, Written("warm", day(30)))], ladder(), day(39), day(40))
        assert plan.writes == ()

    def test_a_since_that_differs_is_written_even_when_the_status_is_right(self):
        plan = portal_plan([Client(hot_from(0), 5, Written("warm", day(31)))], ladder(), day(39), day(40))
        assert [(w.status, w.since) for w in plan.writes] == [("warm", day(30))]

    def test_the_pass_never_clears_a_field(self):
        untracked = history(-50, key=("company", 1))
        assert portal_plan([Client(untracked, 5, Written("warm", day(3)))], ladder(), day(9), day(10)).writes == ()

    def test_one_digest_per_manager_whatever_the_missed_days(self):
        clients = [Client(hot_from(0, 1), 5), Client(cold_from(0, 2), 5), Client(hot_from(50, 3), 6)]
        plan = portal_plan(clients, ladder(), day(0), day(100))
        assert [d.manager for d in plan.digests] == [5, 6]
        five = plan.digests[0]
        assert [e.key for e in five.dropped] == [("company", 1), ("company", 1)]  # hot → warm → cold
        assert [e.key for e in five.lost] == [("company", 2)]

    def test_no_digest_when_digests_are_off(self):
        assert portal_plan([Client(hot_from(0), 5)], ladder(digest=False), day(0), day(100)).digests == ()


class TestAlarms:
    def test_entering_the_window_asks_for_an_alarm_on_the_drop_day(self):
        plan = portal_plan([Client(hot_from(0), 5)], ladder(), day(26), day(27))
        assert plan.alarms == (AlarmOrder("create", ("company", 1), 5, None, day(30), "warm", (4320, 0)),)
        assert plan.digests[0].soon[0].alarm is True

    def test_an_alarm_that_says_the_right_thing_is_left_alone(self):
        alarm = Alarm(77, day(30), "warm", day(27))
        assert portal_plan([Client(hot_from(0), 5, alarm=alarm)], ladder(), day(27), day(28)).alarms == ()

    def test_a_touch_closes_the_alarm(self):
        client = Client(hot_from(0, touches=[call(28)]), 5, alarm=Alarm(77, day(30), "warm", day(27)))
        assert portal_plan([client], ladder(), day(27), day(28)).alarms == (AlarmOrder("close", ("company", 1), 5, 77),)

    def test_a_planned_touch_moves_the_alarm_to_the_new_drop_day(self):
        client = Client(hot_from(0, planned=[planned(28, 33)]), 5, alarm=Alarm(77, day(30), "warm", day(27)))
        plan = portal_plan([client], ladder(), day(30), day(31))
        assert plan.alarms == (AlarmOrder("move", ("company", 1), 5, 77, day(34), "warm", (4320, 0)),)

    def test_a_drop_rewrites_the_alarm_for_the_next_step(self):
        client = Client(hot_from(0), 5, alarm=Alarm(77, day(30), "warm", day(27)))
        assert portal_plan([client], ladder(warn_days=70), day(29), day(30)).alarms == (
            AlarmOrder("move", ("company", 1), 5, 77, day(90), "cold", (100800, 0)),)

    def test_the_daily_cap_creates_the_earliest_drops_and_leaves_the_rest_to_the_digest(self):
        clients = [Client(hot_from(n, number=n), 5) for n in (2, 0, 1)]  # drops on 32, 30, 31
        plan = portal_plan(clients, ladder(alarm_cap=2, warn_days=5), day(28), day(29))
        assert [(o.action, o.key) for o in plan.alarms] == [("create", ("company", 0)), ("create", ("company", 1))]
        assert [(s.key, s.alarm) for s in plan.digests[0].soon] == [
            (("company", 0), True), (("company", 1), True), (("company", 2), False)]

    def test_alarms_created_earlier_today_count_against_the_cap_and_tomorrow_has_a_new_one(self):
        made = [Client(hot_from(n, number=n), 5, alarm=Alarm(n, day(30 + n), "warm", day(29))) for n in (0, 1)]
        waiting = Client(hot_from(2, number=2), 5)
        capped = ladder(alarm_cap=2, warn_days=5)
        assert portal_plan([*made, waiting], capped, day(28), day(29)).alarms == ()
        tomorrow = portal_plan([*made, waiting], capped, day(29), day(30)).alarms
        assert [(o.action, o.key) for o in tomorrow] == [("close", ("company", 0)), ("create", ("company", 2))]

    def test_the_cap_is_per_manager(self):
        clients = [Client(hot_from(0, number=n), n) for n in (1, 2, 3)]
        assert len(portal_plan(clients, ladder(alarm_cap=1), day(26), day(27)).alarms) == 3

    def test_with_alarms_off_every_alarm_is_closed_and_none_created(self):
        clients = [Client(hot_from(0, 1), 5, alarm=Alarm(77, day(30), "warm", day(27))), Client(hot_from(0, 2), 5)]
        plan = portal_plan(clients, ladder(alarms=False), day(27), day(28))
        assert [(o.action, o.key) for o in plan.alarms] == [("close", ("company", 1))]
        assert [s.alarm for s in plan.digests[0].soon] == [False, False]

    def test_with_no_warning_days_the_alarm_pings_only_at_the_drop(self):
        plan = manager_plan([Client(hot_from(0), 5, Written("hot", day(0)))], ladder(warn_days=0), 5, day(30))
        assert plan.alarms[0].pings == (0,)


class TestLosses:
    LOST_ON_90 = cold_from(0)
    COLD = Written("cold", day(0))

    def lose(self, rule: Reassign, heads=None, written=COLD, history_=None):
        client = Client(history_ or self.LOST_ON_90, 5, written)
        return portal_plan([client], ladder(reassign=rule), day(89), day(95), heads or {})

    @pytest.mark.parametrize("rule, heads, expected", [
        (Reassign("nobody"), {}, None),
        (Reassign("user", user=99), {}, 99),
        (Reassign("user", user=5), {}, None),        # the pool is the manager themself
        (Reassign("head"), {5: 50}, 50),
        (Reassign("head"), {5: 5}, None),            # no head above them
        (Reassign("head"), {}, None),
        (Reassign("group", group=(5,)), {}, None),   # nobody else in the group
    ])
    def test_a_client_lost_by_decay_moves_by_the_rule(self, rule, heads, expected):
        plan = self.lose(rule, heads)
        assert [(w.status, w.since, w.assign_to) for w in plan.writes] == [("lost", day(90), expected)]

    def test_the_manager_and_their_head_are_told(self):
        plan = self.lose(Reassign("user", user=99), {5: 50})
        assert story(plan.digests[0].lost) == [(90, "loss", "cold", "lost")]
        assert [(h.head, [(x.key, x.manager, x.on, x.assign_to) for x in h.losses]) for h in plan.heads] == [
            (50, [(("company", 1), 5, day(90), 99)])]

    def test_a_client_already_written_lost_is_not_moved_again(self):
        assert self.lose(Reassign("user", user=99), written=Written("lost", day(91))).writes[0].assign_to is None

    def test_a_raise_refused_after_the_loss_writes_lost_back_but_moves_nobody_again(self):
        refused = history(-50, changes=[set_to(0, "cold"), set_to(93, "hot")])  # no call: undone
        plan = portal_plan([Client(refused, 99, Written("hot", day(93)))],
                           ladder(reassign=Reassign("user", user=77), raise_needs_call=True), day(92), day(95))
        assert [(w.status, w.since, w.assign_to) for w in plan.writes] == [("lost", day(90), None)]
        assert [e.kind for e in plan.events] == ["undone"]

    def test_a_person_setting_lost_is_a_decision_not_a_loss(self):
        decided = history(-50, changes=[set_to(0, "cold"), set_to(90, "lost")])  # before the decay that day
        plan = self.lose(Reassign("user", user=99), {5: 50}, history_=decided)
        assert [(w.status, w.assign_to) for w in plan.writes] == [("lost", None)]
        assert plan.heads == () and plan.digests == ()

    def test_a_group_takes_lost_clients_in_turn_skipping_who_lost_them(self):
        lost = [(("company", n), 12) for n in (4, 1, 3, 2)]
        monday = date(2026, 3, 2)  # ordinal % 3 == 0: the first turn is member 11
        assert monday.toordinal() % 3 == 0
        assert assignees(lost, Reassign("group", group=(11, 12, 13)), {}, monday) == {
            ("company", 1): 11, ("company", 2): 13, ("company", 3): 11, ("company", 4): 13}

    def test_the_first_turn_moves_on_each_day(self):
        lost = [(("company", 1), 99)]
        rule = Reassign("group", group=(11, 12, 13))
        firsts = [assignees(lost, rule, {}, date(2026, 3, d))[("company", 1)] for d in (2, 3, 4, 5)]
        assert firsts == [11, 12, 13, 11]


class TestUndone:
    def test_a_refused_raise_is_told_to_whoever_made_it(self):
        raised = history(-50, key=("company", 1), changes=[set_to(0, "cold"), set_to(10, "hot", author=8)])
        plan = portal_plan([Client(raised, 5, Written("hot", day(10)))], ladder(raise_needs_call=True),
                           day(9), day(10))
        assert [(d.manager, story(d.undone)) for d in plan.digests] == [(8, [(10, "undone", "cold", "hot", "no_call")])]
        assert [(w.status, w.since) for w in plan.writes] == [("cold", day(0))]


class TestManagersPass:
    def test_it_projects_the_written_status_with_the_touches_it_can_see(self):
        client = Client(history(-50, touches=[call(70)]), 5, Written("warm", day(40)))
        plan = manager_plan([client], ladder(), 5, day(128))
        assert plan.alarms == (AlarmOrder("create", ("company", 1), 5, None, day(130), "cold", (4320, 0)),)
        assert [(s.drop_on, s.drops_to) for s in plan.digest.soon] == [(day(130), "cold")]

    def test_a_drop_already_due_shows_as_due_today_and_is_never_applied(self):
        plan = manager_plan([Client(history(-50), 5, Written("hot", day(0)))], ladder(), 5, day(50))
        assert [(o.action, o.deadline) for o in plan.alarms] == [("create", day(50))]
        assert not hasattr(plan, "writes")

    def test_a_visible_touch_moves_the_alarm(self):
        client = Client(history(-50, touches=[call(29)]), 5, Written("hot", day(0)), Alarm(3, day(30), "warm", day(27)))
        assert [o.action for o in manager_plan([client], ladder(), 5, day(29)).alarms] == ["close"]

    def test_other_managers_clients_are_left_alone(self):
        client = Client(history(-50), 6, Written("hot", day(0)))
        assert manager_plan([client], ladder(), 5, day(29)) == manager_plan([], ladder(), 5, day(29))

    @pytest.mark.parametrize("written, deals", [
        (Written("in_work", day(0)), [deal(1, 0)]), (Written("lost", day(0)), []), (Written(), []),
    ])
    def test_nothing_to_warn_about(self, written, deals):
        plan = manager_plan([Client(history(-50, deals=deals), 5, written)], ladder(), 5, day(200))
        assert (plan.alarms, plan.digest) == ((), None)
