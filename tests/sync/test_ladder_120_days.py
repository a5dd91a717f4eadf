"""120 days of a portal with time travel (issue 13, "Tests"): people call, plan
to-dos, open and close deals and change statuses; the app is opened on some
days only, by admins and managers, sometimes two at once.  At the end every
status, alarm, digest, reassignment and timeline entry is checked against what
the pure core says of the true history — the one the test itself made."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings, strategies as st
from ladderio import (ADMIN, BORIS, DINA, ELENA, OLEG, START, TZ, VERA, People, digests, gateway, portal,
                      run, setup, start, travel_to)

from b24clients.ladder import (ClientHistory, Deal, LadderSettings, Planned, Reassign, StatusChange, Touch,
                               events_between, standing)
from b24clients.ladder.drops import in_window as in_window_on
from b24clients.sync.ladder.manager_pass import daily_pass
from b24clients.sync.ladder.messages import Texts

DAYS = 120
MANAGERS = (BORIS, VERA, ELENA, DINA)
SETTINGS = LadderSettings(new_days=7, hot_days=15, warm_days=20, cold_days=25, warn_days=3, raise_needs_call=True,
                          alarm_cap=2, alarm_hour=10, reassign=Reassign("group", group=(ELENA, DINA)))
LOGGED = ("new", "deal_open", "deal_won", "deal_lost", "drop", "loss", "undone")


@dataclass
class Truth:
    """One client's history as it really happened."""

    created: date
    deals: dict[int, list] = field(default_factory=dict)
    touches: list[Touch] = field(default_factory=list)
    todos: dict[int, list] = field(default_factory=dict)
    changes: list[StatusChange] = field(default_factory=list)

    def history(self, key) -> ClientHistory:
        deals = tuple(Deal(i, opened, outcome, closed) for i, (opened, outcome, closed) in sorted(self.deals.items()))
        planned = tuple(Planned(made, min(due, done) if done else due) for made, due, done in self.todos.values())
        return ClientHistory(key, self.created, deals, tuple(sorted(self.touches, key=lambda t: t.at)),
                             tuple(sorted(planned, key=lambda p: (p.created, p.deadline))), tuple(self.changes))


class World:
    def __init__(self, seed: int = 13, days: int = DAYS) -> None:
        self.rnd = random.Random(seed)
        self.days = days
        self.p = portal(companies=10, contacts=4, managers=MANAGERS)
        self.people = People(self.p)
        self.truth = {("company", 10 + i): Truth(date(2025, 1, 10)) for i in range(10)}
        self.truth.update({("contact", 20 + i): Truth(date(2025, 1, 10)) for i in range(4)})
        self.pending: set = set()
        """Clients whose status a person changed since the last portal pass."""
        self.reports = []

    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.p.clock.now(), TZ).replace(microsecond=0)

    def responsible(self, key) -> int:
        table = "companies" if key[0] == "company" else "contacts"
        return int(self.p.tables[table].rows[key[1]]["ASSIGNED_BY_ID"])

    def begin(self) -> None:
        setup(self.p, SETTINGS)
        statuses = {}
        for n, key in enumerate(sorted(self.truth)):
            statuses[key] = ("hot", "warm", "cold", "new", "warm")[n % 5]
        at = self.moment()
        start(self.p, statuses)
        for key, status in statuses.items():
            self.truth[key].changes.append(StatusChange(at, status, ADMIN, since=START))

    def live(self, day: date) -> None:
        """What people do between 10:00 and 17:00."""
        rnd = self.rnd
        if (day - START).days in (20, 50, 80):
            self.new_company(day)
        for hour in range(10, 18):
            travel_to(self.p, day, hour)
            for key in sorted(self.truth):
                self.act(key, day, rnd)

    def act(self, key, day: date, rnd: random.Random) -> None:
        truth, owner = self.truth[key], self.responsible(key)
        roll = rnd.random()
        if roll < 0.008:
            caller = owner if rnd.random() < 0.7 else DINA
            self.people.call(caller, key)
            truth.touches.append(Touch("call", self.moment()))
        elif roll < 0.010 and not any(d[1] == "open" for d in truth.deals.values()):
            deal = self.people.open_deal(owner, **{key[0]: key[1]})
            truth.deals[deal] = [day, "open", None]
        elif roll < 0.020:
            for deal, facts in truth.deals.items():
                if facts[1] == "open" and facts[0] < day:
                    won = rnd.random() < 0.5
                    self.people.close_deal(deal, won)
                    facts[1:] = ["won" if won else "lost", day]
                    break
        elif roll < 0.023:
            deadline = day + timedelta(days=rnd.randint(3, 12))
            truth.todos[self.people.todo(owner, key, deadline)] = [day, deadline, None]
        elif roll < 0.030:
            for todo, facts in truth.todos.items():
                if facts[2] is None and facts[0] < day:
                    self.people.complete(todo)
                    facts[2] = day
                    truth.touches.append(Touch("todo", self.moment()))
                    break
        elif roll < 0.032 and key not in self.pending:
            if rnd.random() < 0.5:
                self.people.call(owner, key)
                truth.touches.append(Touch("call", self.moment()))
                self.p.travel(minutes=30)
            shown = self.people.field(key)[0]  # a person can only change what the card shows
            status = rnd.choice([s for s in ("hot", "warm", "cold") if s != shown])
            self.people.set_status(owner, key, status)
            row = self.p.tables["companies" if key[0] == "company" else "contacts"].rows[key[1]]
            truth.changes.append(StatusChange(datetime.fromisoformat(row["DATE_MODIFY"]), status, owner))
            self.pending.add(key)

    def new_company(self, day: date) -> None:
        rid = 30 + len([k for k in self.truth if k[1] >= 30])
        travel_to(self.p, day, 10)
        moment = self.p.iso(self.p.clock.now())
        self.p.put_record("companies", {"ID": str(rid), "TITLE": f"Company {rid}", "ASSIGNED_BY_ID": str(BORIS),
                                        "IS_MY_COMPANY": "N", "DATE_CREATE": moment, "DATE_MODIFY": moment,
                                        "MODIFY_BY_ID": "1"})
        self.truth[("company", rid)] = Truth(day)

    def open_app(self, day: date, users: tuple[int, ...], hour: int) -> None:
        travel_to(self.p, day, hour)

        async def together():
            return await asyncio.gather(*(daily_pass(gateway(self.p, user)) for user in users))

        for report in run(together()):
            self.reports.append(report)
            if report.kind == "portal" and report.ran:
                self.pending.clear()

    def walk(self) -> None:
        rnd = self.rnd
        for n in range(self.days + 1):
            day = START + timedelta(days=n)
            admin = rnd.choice((ADMIN, OLEG))
            if n == 0:
                self.open_app(day, (ADMIN,), 9)
            elif n < self.days:
                morning = tuple(m for m in MANAGERS if rnd.random() < 0.35)
                if rnd.random() < 0.4:
                    morning = (admin, *morning[:1])  # the admin, and now and then a manager at the same moment
                if morning:
                    self.open_app(day, morning, 9)
            self.live(day)
            evening = tuple(m for m in MANAGERS if n < self.days and rnd.random() < 0.15)
            if evening:
                self.open_app(day, evening, 18)
            assert max(self.open_alarms().values(), default=1) == 1, day  # never two alarms for one client
        self.open_app(START + timedelta(days=self.days + 1), (ADMIN,), 9)  # the next morning: the last day is whole

    def open_alarms(self) -> Counter:
        return Counter((r["OWNER_TYPE_ID"], r["OWNER_ID"]) for r in self.p.tables["activities"].rows.values()
                       if r["PROVIDER_ID"] == "CRM_TODO" and r["COMPLETED"] == "N"
                       and "[b24clients:ladder" in r.get("DESCRIPTION", ""))


def lived(world: World) -> tuple[dict, dict]:
    """The core's word on the true history: each client's standing at the end, and its events."""
    world.begin()
    world.walk()
    end = START + timedelta(days=world.days)
    started = replace(SETTINGS, started_on=START)  # as the confirmed starting point left them
    expected = {key: standing(truth.history(key), started, end) for key, truth in world.truth.items()}
    events = {key: events_between(truth.history(key), started, START - timedelta(days=1), end)
              for key, truth in world.truth.items()}
    return expected, events


def check_statuses_and_timeline(world: World, expected: dict, events: dict) -> None:
    """Every field says what the core says; one log entry per change of the ladder's (and per
    undone change), never twice."""
    for key, want in expected.items():
        assert world.people.field(key) == (want.status, want.since.isoformat() if want.since else None), key
    texts = Texts(SETTINGS, "en")
    logged = Counter((m["entityTypeId"], m["entityId"], m["title"]) for m in world.p.log_messages)
    wanted = Counter(({"company": 4, "contact": 3}[e.key[0]], e.key[1], texts.log_entry(e)[0])
                     for evs in events.values() for e in evs if e.kind in LOGGED)
    assert logged == wanted


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10**6))
def test_any_walk_of_opens_and_missed_days_ends_where_the_core_says(seed):
    world = World(seed, days=45)
    check_statuses_and_timeline(world, *lived(world))


def test_120_days_end_where_the_core_says_and_apply_everything_once():
    world = World()
    expected, events = lived(world)
    p = world.p
    check_statuses_and_timeline(world, expected, events)

    # reassignments: every loss moved its client once, to a member of the group who had not lost it
    losses = [e for evs in events.values() for e in evs if e.kind == "loss"]
    moved = [r for r in p.reassignments if r["table"] in ("companies", "contacts") and r["by"] in (ADMIN, OLEG)]
    assert len(moved) == len(losses) > 0
    assert all(r["to"] in (ELENA, DINA) and r["to"] != r["from"] for r in moved)

    # alarms: the open ones are exactly the clients in their window (within the daily cap), due on the drop day
    alarms = {(r["OWNER_TYPE_ID"], r["OWNER_ID"]): r for r in p.tables["activities"].rows.values()
              if r["PROVIDER_ID"] == "CRM_TODO" and r["COMPLETED"] == "N" and "[b24clients:ladder" in r["DESCRIPTION"]}
    morning = START + timedelta(days=DAYS + 1)
    in_window = {key: want for key, want in expected.items()
                 if want.drop_on and in_window_on(want.drop_on, morning, SETTINGS.warn_days)}
    for (type_id, rid), alarm in alarms.items():
        key = ("company" if type_id == "4" else "contact", int(rid))
        assert key in in_window, key
        assert alarm["DEADLINE"] == f"{in_window[key].drop_on.isoformat()}T10:00:00+03:00"
        assert alarm["DESCRIPTION"].endswith(f":{in_window[key].drops_to}]")
        assert alarm["RESPONSIBLE_ID"] == str(world.responsible(key))
    assert len(alarms) >= min(len(in_window), 1)
    assert {ping["offset"] for ping in p.pings} <= {SETTINGS.warn_days * 1440, 0}

    # digests: at most one per manager per day, and only one left in each inbox
    sent = Counter((n["to"], n["date"][:10]) for n in digests(p))
    assert max(sent.values()) == 1
    assert all(sum(n["tag"] == "ladder.digest" for n in p.inbox(m)) <= 1 for m in MANAGERS)

    portal_runs = [r for r in world.reports if r.kind == "portal" and r.ran]
    manager_runs = [r for r in world.reports if r.kind == "manager" and r.ran]
    applied = Counter()
    for r in portal_runs:
        applied.update(r.events)
    print(f"\n120 days: day 0 to day {DAYS} lived, the app opened on the morning after; {len(portal_runs)} "
          f"portal passes and {len(manager_runs)} managers' passes ran ({len(world.reports) - len(portal_runs) - len(manager_runs)} found the day done "
          f"or locked); events applied {dict(sorted(applied.items()))}; fields written "
          f"{sum(r.written for r in portal_runs)}; log entries {len(p.log_messages)}; reassigned {len(moved)}; "
          f"alarms created {sum(r.alarms.get('created', 0) for r in world.reports if r.ran)}, pings rung "
          f"{sum(1 for ping in p.pings if ping['status'] == 'rung')}; notifications sent {len(p.notifications)} "
          f"({len(digests(p))} digests, {sum(1 for n in p.notifications if n['kind'] == 'ping')} pings, "
          f"{sum(1 for n in p.notifications if (n['tag'] or '').startswith('ladder.head'))} heads' notices, "
          f"{sum(1 for n in p.notifications if n['kind'] == 'crm')} new-responsible notices)")
    assert len(portal_runs) > 20 and len(manager_runs) > 40
    assert applied["drop"] > 10 and applied["undone"] > 0 and applied["new"] == 3
