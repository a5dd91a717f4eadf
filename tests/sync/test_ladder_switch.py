"""The ladder's settings that only the passes read, each shown to matter against the
simulated portal: the switch (off: no pass runs and nothing is written; on again: it
goes on where it stopped), the message templates and the feed.  (The alarms' working
hour: test_ladder_portal_pass.py::TestAlarms.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from ladderio import (ADMIN, BORIS, DINA, START, People, digests, gateway, portal, run, save_settings,
                      settings_of, setup, start, travel_to)

from b24clients.ladder import LadderSettings, Reassign
from b24clients.sync.ladder.alarms import close_all
from b24clients.sync.ladder.manager_pass import daily_pass
from b24clients.sync.ladder.reading import read_alarms

ACME = ("company", 10)


def day(n: int) -> date:
    return START + timedelta(days=n)


def opened(p, n: int, user: int = ADMIN):
    travel_to(p, day(n))
    return run(daily_pass(gateway(p, user)))


def started(p, settings: LadderSettings = LadderSettings(), status: str = "warm") -> People:
    """Installed, started today with Acme (Boris's) at `status`, and today's pass run."""
    setup(p, settings)
    start(p, {ACME: status})
    p.travel(hours=1)
    assert run(daily_pass(gateway(p))).ran
    return People(p)


def open_alarms(p) -> int:
    return len(run(read_alarms(gateway(p), p.tz)).by_client)


class TestTheSwitch:
    def test_off_no_pass_runs_nothing_is_written_and_on_again_it_goes_on_where_it_stopped(self):
        p = portal()
        people = started(p)
        assert opened(p, 57).alarms["created"] == 1  # Warm for 60 days: the window opens on day 57
        save_settings(p, replace(settings_of(p), enabled=False))
        assert run(close_all(gateway(p))) == 1 and open_alarms(p) == 0
        writes, told = len(p.writes), len(p.notifications)
        travel_to(p, day(61))  # the drop day (60) passes with no alarm left to ring
        for user in (ADMIN, BORIS):
            report = run(daily_pass(gateway(p, user)))
            assert (report.ran, report.reason) == (False, "off")
        assert (len(p.writes), len(p.notifications)) == (writes, told)
        assert people.field(ACME) == ("warm", START.isoformat())

        save_settings(p, replace(settings_of(p), enabled=True))
        report = opened(p, 62)
        assert report.ran and report.events.get("drop") == 1
        assert people.field(ACME) == ("cold", day(60).isoformat()), "the drop keeps its true date"

    def test_turning_off_leaves_alarms_it_may_not_delete(self):
        p = portal()
        started(p)
        opened(p, 57)
        assert run(close_all(gateway(p, BORIS))) == 1  # his own client's alarm: he may
        assert run(close_all(gateway(p, BORIS))) == 0


class TestWhatThePassesSay:
    def test_the_alarm_and_the_digest_use_the_admins_own_templates(self):
        p = portal()
        own = (("alarm", "Ring {client} by {date}"), ("dropped", "{client} fell to {to}"),
               ("soon", "{client} soon {to}"))
        started(p, LadderSettings(templates=own))
        opened(p, 57)
        todo = next(r for r in p.tables["activities"].rows.values() if r["PROVIDER_ID"] == "CRM_TODO")
        assert todo["SUBJECT"] == "Ring Company 10 by 22 January"
        assert "• Company 10 soon Cold" in digests(p, BORIS)[-1]["message"]
        opened(p, 61)
        assert "• Company 10 fell to Cold" in digests(p, BORIS)[-1]["message"]

    def test_without_the_feed_option_a_head_is_told_but_nothing_is_posted(self):
        p = portal()
        started(p, LadderSettings(reassign=Reassign("head")), status="cold")
        opened(p, 91)  # Cold for 90 days: lost on day 90
        assert [n["to"] for n in p.notifications if (n["tag"] or "").startswith("ladder.head.")] == [DINA]
        assert p.feed_posts == []
