"""Invariants of the status ladder over random histories and settings (hypothesis)."""

from dataclasses import replace
from datetime import timedelta

from b24clients.ladder import (
    STATUSES,
    Alarm,
    Client,
    LadderSettings,
    Reassign,
    Written,
    portal_plan,
    standing,
    walk,
)
from b24clients.ladder.agenda import Agenda
from b24clients.ladder.day import State, live
from b24clients.ladder.statuses import DROPS_TO, RANK
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from ladderkit import DAY0, call, day, deal, history, planned, set_to, touch

END = 200
statuses = st.sampled_from((*STATUSES, None))


@st.composite
def ladders(draw) -> LadderSettings:
    return LadderSettings(
        new_days=draw(st.integers(1, 15)), hot_days=draw(st.integers(1, 30)), warm_days=draw(st.integers(1, 40)),
        cold_days=draw(st.integers(1, 40)), warn_days=draw(st.integers(0, 8)),
        touch_kinds=draw(st.frozensets(st.sampled_from(("call", "email", "meeting", "openline", "any")), min_size=1)),
        pause_on_planned=draw(st.booleans()), raise_needs_call=draw(st.booleans()),
        raise_call_days=draw(st.integers(0, 5)), started_on=draw(st.sampled_from((DAY0, day(20), None))),
        alarm_cap=draw(st.integers(0, 3)),
    )


@st.composite
def deals(draw, number: int):
    opened = draw(st.integers(-20, 180))
    outcome = draw(st.sampled_from(("open", "won", "lost")))
    return deal(number, opened, outcome, None if outcome == "open" else opened + draw(st.integers(-2, 40)))


@st.composite
def histories(draw, key=("company", 1), with_deals=True, with_changes=True):
    days = st.integers(-20, END)
    return history(
        draw(st.integers(-20, 60)), key=key,
        deals=[draw(deals(n)) for n in range(draw(st.integers(0, 3 if with_deals else 0)))],
        touches=draw(st.lists(st.builds(touch, st.sampled_from(("call", "email", "other")), days,
                                        st.integers(8, 18)), max_size=8)),
        planned=[planned(c, c + draw(st.integers(-3, 30))) for c in draw(st.lists(days, max_size=3))],
        changes=draw(st.lists(st.builds(set_to, days, statuses, st.integers(8, 18), st.sampled_from((7, 8)),
                                        auto=st.booleans()), max_size=6 if with_changes else 0)),
    )


def every_day(h, s):
    """The reference: the day's rules applied on every single day, skipping none."""
    agenda = Agenda.of(h, s)
    state, events = State(day=agenda.days[0] - timedelta(days=1)), []
    while state.day < day(END):
        state, fired = live(state, agenda, s, state.day + timedelta(days=1))
        events += fired
    return state, tuple(events)


@settings(max_examples=150, deadline=None)
@given(histories(), ladders())
def test_the_walk_skips_only_days_on_which_nothing_can_happen(h, s):
    once = walk(h, s, day(END))
    assert (once.state, once.events) == every_day(h, s)


@settings(max_examples=150, deadline=None)
@given(histories(), ladders(), st.lists(st.integers(-25, END), max_size=12))
def test_missed_days_caught_up_in_one_pass_end_as_daily_passes_do(h, s, pass_days):
    state, events = None, []
    for n in sorted({*pass_days, END}):
        step = walk(h, s, day(n), state)
        state, events = step.state, events + list(step.events)
    once = walk(h, s, day(END))
    assert (state, tuple(events)) == (once.state, once.events)


@settings(max_examples=150, deadline=None)
@given(histories(), ladders())
def test_a_status_drops_one_step_at_a_time_and_once_per_drop_day(h, s):
    drops = [e for e in walk(h, s, day(END)).events if e.kind in ("drop", "loss")]
    assert all(e.status_to == DROPS_TO[e.status_from] for e in drops)
    assert len({e.on for e in drops}) == len(drops)


@settings(max_examples=150, deadline=None)
@given(histories(), ladders())
def test_only_people_and_deals_raise_a_status(h, s):
    for e in walk(h, s, day(END)).events:
        if e.changes_status and e.status_from and e.status_to and RANK[e.status_to] > RANK[e.status_from]:
            assert e.kind in ("set", "deal_open", "deal_won", "deal_lost")


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(STATUSES), st.lists(st.integers(0, END), max_size=8), st.lists(st.integers(0, END), max_size=2),
       ladders())
def test_a_touch_never_raises_it_only_keeps_a_status_longer(start, touch_days, plan_days, s):
    untouched = history(-30, changes=[set_to(0, start)], planned=[planned(n, n + 10) for n in plan_days])
    touched = replace(untouched, touches=tuple(call(n) for n in touch_days))
    s = replace(s, touch_kinds=frozenset({"call"}))
    moves = [e for e in walk(touched, s, day(END)).events if e.changes_status]
    assert moves[0].kind == "set" and all(RANK[e.status_to] < RANK[e.status_from] for e in moves[1:])
    assert all(RANK[standing(touched, s, day(n)).status] >= RANK[standing(untouched, s, day(n)).status]
               for n in range(0, END + 1, 5))


@st.composite
def clients(draw):
    out = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        h = draw(histories(key=("company", number)))
        written = Written(draw(statuses), day(draw(st.integers(-20, END)))) if draw(st.booleans()) else Written()
        alarm = None
        if draw(st.booleans()):
            alarm = Alarm(number, day(draw(st.integers(0, END + 10))), draw(st.sampled_from(STATUSES)),
                          day(draw(st.integers(-20, END))))
        out.append(Client(h, draw(st.integers(1, 3)), written, alarm))
    return out


def carried_out(clients_, plan, today):
    """The clients as the CRM holds them once every write and alarm order ran."""
    writes = {w.key: w for w in plan.writes}
    orders = {o.key: o for o in plan.alarms}
    done = []
    for client in clients_:
        key = client.history.key
        if key in writes:
            w = writes[key]
            client = replace(client, written=Written(w.status, w.since), responsible=w.assign_to or client.responsible)
        if key in orders:
            o = orders[key]
            alarm = None if o.action == "close" else Alarm(
                o.alarm_id or 1000 + key[1], o.deadline, o.drops_to, client.alarm.created if client.alarm else today)
            client = replace(client, alarm=alarm)
        done.append(client)
    return done


@settings(max_examples=150, deadline=None)
@given(clients(), ladders(), st.integers(0, END), st.integers(0, 30), st.sampled_from(("nobody", "user", "head", "group")),
       st.integers(0, 40))
def test_planning_again_after_the_plan_ran_asks_for_nothing(clients_, s, today_n, missed, rule, warn_days):
    s = replace(s, warn_days=warn_days, reassign=Reassign(rule, user=2 if rule == "user" else None,
                                                          group=(1, 2, 3) if rule == "group" else ()))
    today, after = day(today_n), day(today_n - missed)
    heads = {1: 3, 2: 3, 3: 9}
    first = portal_plan(clients_, s, after, today, heads)
    again = portal_plan(carried_out(clients_, first, today), s, after, today, heads)
    assert (again.writes, again.alarms) == ((), ())


@settings(max_examples=100, deadline=None)
@given(histories(), ladders(), st.integers(0, END))
def test_the_pass_writes_what_the_walk_says(h, s, today_n):
    plan = portal_plan([Client(h, 1)], s, day(today_n - 1), day(today_n))
    now = standing(h, s, day(today_n))
    assert [(w.status, w.since) for w in plan.writes] == ([(now.status, now.since)] if now.status else [])


def test_strategies_reach_every_kind_of_event():
    """Guards the strategies: a sample of random walks shows every event kind."""
    for kind in ("new", "set", "undone", "deal_open", "deal_won", "deal_lost", "drop", "loss", "warning"):
        find(st.tuples(histories(), ladders()),
             lambda pair, kind=kind: any(e.kind == kind for e in walk(pair[0], pair[1], day(END)).events),
             settings=settings(max_examples=2000, database=None, phases=[Phase.generate]))

