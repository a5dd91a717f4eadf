"""A manager's pass (status-ladder.md "When the pass runs"): once a day per user,
with their own rights; it never drops a status, keeps their own alarms right
from the touches they can see, and sends their digest — and a colleague's
call they cannot see never lets their view drop a client."""

from __future__ import annotations

from datetime import date, timedelta

from ladderio import (ADMIN, BORIS, DINA, START, VERA, People, digests, gateway, member, portal, run, setup,
                      start, travel_to)

from b24clients.ladder import LadderSettings
from b24clients.sync.ladder.manager_pass import daily_pass, manager_pass
from b24clients.sync.ladder.portal_pass import portal_pass
from b24clients.sync.ladder.status import load_publication

ACME, BETA, GAMMA = ("company", 10), ("company", 11), ("company", 12)


def day(n: int) -> date:
    return START + timedelta(days=n)


def started(p, settings: LadderSettings = LadderSettings()) -> People:
    setup(p, settings)
    start(p, {ACME: "warm", BETA: "warm", GAMMA: "warm"})
    p.travel(hours=1)
    assert run(portal_pass(gateway(p))).ran
    return People(p)


def open_on(p, n: int, user: int, hour: int = 9):
    travel_to(p, day(n), hour)
    return run(daily_pass(gateway(p, user)))


def alarms(p, ref=None) -> list[dict]:
    return [r for r in p.tables["activities"].rows.values() if r["PROVIDER_ID"] == "CRM_TODO"
            and "[b24clients:ladder" in r.get("DESCRIPTION", "")
            and (ref is None or (r["OWNER_TYPE_ID"], r["OWNER_ID"]) == ("4", str(ref[1])))]


def test_a_manager_runs_their_pass_once_a_day():
    p = portal()
    started(p)
    first = open_on(p, 1, BORIS)
    assert (first.kind, first.ran) == ("manager", True)
    assert run(manager_pass(gateway(p, BORIS))).reason == "done_today"
    assert run(manager_pass(gateway(p, VERA))).ran  # the mark is per user
    assert open_on(p, 2, BORIS).ran
    assert p.user_options[BORIS]["ladder_pass"].startswith('{"day":"2026-11-25"')


def test_it_never_drops_it_warns_that_the_drop_is_due_and_sets_the_alarm():
    p = portal()
    people = started(p)
    report = open_on(p, 62, BORIS)  # no admin since day 0: Acme and Gamma are due since day 60
    assert report.ran and people.field(ACME) == ("warm", START.isoformat())
    assert report.alarms["created"] == 2
    assert [a["DEADLINE"][:10] for a in alarms(p)] == [day(62).isoformat()] * 2  # due today
    assert "Company 10 becomes Cold on 24 January" in digests(p, BORIS)[0]["message"]
    assert alarms(p, BETA) == []  # Vera's client: not Boris's business
    assert open_on(p, 63, ADMIN).events["drop"] == 3
    assert people.field(ACME) == ("cold", day(60).isoformat())  # applied later, with its true date


def test_a_call_the_manager_can_see_closes_their_alarm():
    p = portal()
    people = started(p)
    open_on(p, 57, ADMIN)
    assert len(alarms(p, ACME)) == 1
    travel_to(p, day(58), 11)
    people.call(BORIS, ACME)
    report = open_on(p, 58, BORIS, hour=12)
    assert report.alarms["closed"] == 1 and alarms(p, ACME) == []
    assert len(alarms(p, GAMMA)) == 1


def test_a_manager_who_may_not_edit_their_client_skips_it_and_counts_it():
    p = portal()
    started(p)
    p.tables["users"].rows[VERA]["CRM_EDIT"] = "none"
    report = open_on(p, 58, VERA)
    assert report.ran and report.skipped_no_rights == 1 and alarms(p, BETA) == []


def test_one_digest_a_day_whoever_sends_it_and_the_portal_passes_news_comes_next_day():
    p = portal()
    started(p)
    open_on(p, 58, BORIS)  # Boris first: his digest of the day says what drops soon
    assert len(digests(p, BORIS)) == 1
    travel_to(p, day(61))
    run(daily_pass(gateway(p, BORIS)))  # before the admin: due today
    assert open_on(p, 61, ADMIN, hour=10).events["drop"] == 3
    assert len(digests(p, BORIS)) == 2 and len(digests(p, VERA)) == 1  # Boris's day 61 was claimed by him
    open_on(p, 62, BORIS)
    news = digests(p, BORIS)[-1]["message"]
    assert "Company 10: Warm → Cold on 22 January" in news and "Company 12: Warm → Cold" in news
    assert sum(n["tag"] == "ladder.digest" for n in p.inbox(BORIS)) == 1  # each replaced the one before
    travel_to(p, day(63))
    assert run(portal_pass(gateway(p))).notices["news_delivered"] == 0


def test_a_colleagues_call_the_manager_cannot_see_keeps_the_client_from_dropping():
    p = portal()
    member(p, 30, 10, DINA)  # Acme's contact belongs to Dina; Boris may see only his own records
    people = started(p)
    travel_to(p, day(50))
    people.call(DINA, ("contact", 30))  # bound to the contact only: invisible to Boris
    boris = open_on(p, 62, BORIS)
    assert boris.read["acts"] == 0 and boris.alarms["created"] == 2  # he cannot see it ...
    assert people.field(ACME) == ("warm", START.isoformat())  # ... and his view never drops anyone
    admin = open_on(p, 63, ADMIN)
    assert admin.read["acts"] == 1
    assert people.field(ACME) == ("warm", START.isoformat())  # the admin sees the call: Acme stays Warm
    assert people.field(GAMMA) == ("cold", day(60).isoformat())
    published = run(load_publication(gateway(p, BORIS), BORIS)).rows[ACME]
    assert published.drop_on == day(110)
    assert admin.alarms["closed"] == 2 and alarms(p, ACME) == []  # Boris's alarms of day 62 went with it
    assert open_on(p, 64, BORIS).alarms == {"created": 0, "moved": 0, "closed": 0, "duplicates": 0, "skipped": 0}


def test_with_a_fresh_publication_the_hidden_call_raises_no_false_alarm():
    p = portal()
    member(p, 30, 10, DINA)
    people = started(p)
    travel_to(p, day(50))
    people.call(DINA, ("contact", 30))
    open_on(p, 51, ADMIN)
    report = open_on(p, 58, BORIS)
    assert report.alarms["created"] == 1 and alarms(p, ACME) == [] and len(alarms(p, GAMMA)) == 1
