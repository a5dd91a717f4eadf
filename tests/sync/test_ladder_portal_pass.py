"""The portal pass against the simulated portal (issue 13 item 3): who runs it,
what it reads, and everything it applies — once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from ladderio import (ADMIN, BORIS, DINA, ELENA, OLEG, START, VERA, People, digests, gateway, portal, run,
                      save_settings, settings_of, setup, start, travel_to)

from b24clients.ladder import LadderSettings, Reassign
from b24clients.sync.ladder import portal_pass as ladder_pass
from b24clients.sync.ladder import reading
from b24clients.sync.ladder.claims import take_lock
from b24clients.sync.ladder.portal_pass import portal_pass
from b24clients.sync.ladder.status import load_publication
from b24clients.sync.ladder.storage import LEDGER

ACME, BETA, GAMMA, DELTA = ("company", 10), ("company", 11), ("company", 12), ("company", 13)


def day(n: int) -> date:
    return START + timedelta(days=n)


def ladder(p, settings: LadderSettings = LadderSettings(), statuses=None):
    """Installed and started today at 9:00 with every company Warm (or `statuses`); it is 10:00 now."""
    setup(p, settings)
    start(p, statuses if statuses is not None else {ACME: "warm", BETA: "warm", GAMMA: "warm", DELTA: "warm"})
    p.travel(hours=1)
    return People(p)


def open_on(p, n: int, user: int = ADMIN, **kwargs):
    travel_to(p, day(n))
    return run(portal_pass(gateway(p, user), **kwargs))


class TestWhoRuns:
    def test_only_an_admin_runs_it_and_only_once_a_day(self):
        p = portal()
        ladder(p)
        assert run(portal_pass(gateway(p, BORIS))).reason == "not_admin"
        assert run(portal_pass(gateway(p))).ran
        again = run(portal_pass(gateway(p, OLEG)))
        assert (again.ran, again.reason) == (False, "done_today")

    def test_nothing_runs_before_the_starting_point_is_confirmed_or_skipped(self):
        p = portal()
        setup(p)
        assert run(portal_pass(gateway(p))).reason == "not_started"
        start(p, {})
        assert run(portal_pass(gateway(p))).ran

    def test_without_the_status_fields_it_says_so_and_gives_the_day_back(self):
        p = portal()
        ladder(p)
        p.userfields.clear()
        assert run(portal_pass(gateway(p))).reason == "not_installed"
        assert not [i for i in p.storages["b24clsync"]["items"].values() if i["NAME"].startswith("pass:")]

    def test_an_admin_who_finds_the_day_locked_by_another_stops(self):
        p = portal()
        ladder(p)
        run(take_lock(gateway(p, OLEG), p.date(), datetime.fromtimestamp(p.clock.now(), p.tz)))
        report = run(portal_pass(gateway(p)))
        assert (report.reason, report.holder) == ("locked", OLEG)


class TestReads:
    def test_the_first_pass_reads_everything_and_later_ones_only_what_changed(self):
        p = portal()
        people = ladder(p)
        first = run(portal_pass(gateway(p)))
        assert first.full_read and first.read["company"] == 4
        people.call(BORIS, ACME)
        second = open_on(p, 1)
        assert not second.full_read
        assert second.read == {"contact": 0, "company": 0, "deals": 0, "acts": 1, "todos": 0}

    def test_contacts_and_companies_come_through_their_own_lists_beside_deals_through_crm_item_list(self):
        """Each method has its own operating budget: at 250k one method for all three took
        684 s of its 480 s (reading.LISTS).  A contact's other companies come from
        crm.item.list, only for contacts with a main company."""
        p = portal()
        ladder(p)
        gw = gateway(p)
        sent = []
        send = gw.transport.send

        async def spy(method, params):
            sent.extend(params.get("cmd", {}).values())
            return await send(method, params)

        gw.transport.send = spy
        assert run(portal_pass(gw)).full_read
        items = [c for c in sent if c.startswith("crm.item.list")]
        assert any(c.startswith("crm.contact.list") for c in sent) and any(c.startswith("crm.company.list") for c in sent)
        assert not [c for c in items if "entityTypeId=4&" in c]
        assert all("%3EcompanyId%5D=0" in c for c in items if "entityTypeId=3&" in c)
        assert any("entityTypeId=2&" in c for c in items)

    def test_a_first_read_cuts_each_list_by_how_many_rows_it_holds(self):
        """A range asks a whole batch of pages, empty or not: the companies of 26,000 contacts
        with a main company, among IDs up to 100,000, come in 11 ranges, not 40 (so do
        to-dos, a few among all activities' IDs).  The survey counts every list."""
        assert len(reading._ranges("contact", 100_000)) == 40
        cuts = reading._ranges("contact", 100_000, 26_000)
        assert len(cuts) == 11 and cuts[0] == {"<ID": 9092} and cuts[-1] == {">=ID": 90911}
        p = portal()
        ladder(p)
        counted = run(reading.survey(gateway(p))).totals
        assert set(counted) == {*reading.LISTS, "contact+links"} and counted["company"] == 4

    def test_ranges_past_their_share_read_their_rest_together_not_a_batch_each(self):
        """A range holding more rows than its share (its IDs not spread evenly) asks two
        pages more, then four, and the ranges' rests share batches: 300 contacts and 120
        companies counted as 10 each come in three first batches and two shared ones."""
        p = portal(companies=120, contacts=300)
        before = p.counters["requests"]
        rows = run(reading.read_changed(gateway(p), None, {"contact": 320, "company": 130}, ("contact", "company"),
                                        {"contact": 10, "contact+links": 0, "company": 10}))
        assert sorted(int(r["ID"]) for r in rows["contact"]) == list(range(20, 320))
        assert sorted(int(r["ID"]) for r in rows["company"]) == list(range(10, 130))
        assert p.counters["requests"] - before == 3 + 2

    def test_a_second_admin_on_another_device_goes_on_from_the_shared_mark(self):
        p = portal()
        ladder(p)
        run(portal_pass(gateway(p)))
        report = open_on(p, 1, OLEG)
        assert report.ran and not report.full_read

    def test_the_ledger_grows_a_chunk_a_pass_and_is_written_whole_again_only_now_and_then(self, monkeypatch):
        p = portal()
        ladder(p)
        monkeypatch.setattr(ladder_pass, "COMPACT_AFTER", 2)
        run(portal_pass(gateway(p)))
        whole = len(p.storages[LEDGER]["items"])
        counts = [len(p.storages[LEDGER]["items"]) for n in (1, 2, 3) if open_on(p, n).ran]
        assert counts == [whole + 1, whole + 2, whole]  # compacted once two passes had added theirs

    def test_a_lost_ledger_chunk_means_one_full_read_again(self):
        p = portal()
        ladder(p)
        run(portal_pass(gateway(p)))
        p.storages[LEDGER]["items"].clear()
        assert open_on(p, 1).full_read


class TestDrops:
    def test_missed_days_are_applied_once_with_their_true_dates_and_one_digest(self):
        p = portal()
        people = ladder(p)
        run(portal_pass(gateway(p)))
        people.call(VERA, BETA)
        travel_to(p, day(30))
        people.call(VERA, BETA)  # Beta is kept warm; the others drop on day 60
        report = open_on(p, 65)
        assert report.events["drop"] == 3 and report.written == 3 and report.logged == 3
        assert people.field(ACME) == ("cold", day(60).isoformat())
        assert people.field(BETA) == ("warm", START.isoformat())
        assert [len(digests(p, m)) for m in (BORIS, VERA)] == [1, 1]
        assert "Warm → Cold on 22 January" in digests(p, BORIS)[0]["message"]
        titles = [m["title"] for m in p.log_messages]
        assert titles == ["Status: Warm → Cold"] * 3
        quiet = open_on(p, 66)
        assert (quiet.written, quiet.logged, quiet.events) == (0, 0, {})

    def test_a_call_on_a_deal_of_the_client_keeps_it(self):
        p = portal()
        people = ladder(p)
        run(portal_pass(gateway(p)))
        travel_to(p, day(40))
        deal = people.open_deal(DINA, company=10)
        travel_to(p, day(41))
        people.close_deal(deal, won=False)  # In work for a day, then Warm again since day 41
        people.call(DINA, ("deal", deal))
        report = open_on(p, 65)
        assert people.field(ACME) == ("warm", day(41).isoformat())
        assert report.events["deal_open"] == 1 and report.events["deal_lost"] == 1

    def test_a_won_deal_makes_the_client_hot_from_its_close(self):
        p = portal()
        people = ladder(p)
        open_on(p, 1)  # the start's own changes are behind it
        travel_to(p, day(3))
        deal = people.open_deal(BORIS, company=10)
        assert open_on(p, 4).events == {"deal_open": 1}
        assert people.field(ACME) == ("in_work", day(3).isoformat())
        travel_to(p, day(6))
        people.close_deal(deal, won=True)
        open_on(p, 7)
        assert people.field(ACME) == ("hot", day(6).isoformat())

    def test_what_happens_later_on_the_day_of_a_pass_is_news_for_the_next_one(self):
        p = portal()
        people = ladder(p)
        run(portal_pass(gateway(p)))
        open_on(p, 3)
        travel_to(p, day(3), hour=15)
        people.open_deal(BORIS, company=10)
        report = open_on(p, 4)
        assert report.events == {"deal_open": 1} and report.logged == 1
        assert people.field(ACME) == ("in_work", day(3).isoformat())
        assert open_on(p, 5).events == {}  # and told once

    def test_deals_in_pipelines_that_do_not_count_open_no_in_work(self):
        p = portal()
        people = ladder(p)
        p.app_options["settings"] = '{"version":1,"pipelines":[0]}'
        run(portal_pass(gateway(p)))
        travel_to(p, day(3))
        people.open_deal(BORIS, company=10, category=7)
        open_on(p, 4)
        assert people.field(ACME) == ("warm", START.isoformat())


class TestPeoplesChanges:
    def test_a_status_set_in_the_card_is_recorded_and_the_ladder_goes_on_from_it(self):
        p = portal()
        people = ladder(p)
        open_on(p, 1)  # the start's own changes are behind it
        travel_to(p, day(10), hour=15)
        people.set_status(BORIS, ACME, "hot")
        report = open_on(p, 11)
        assert report.changes == 1 and report.events == {"set": 1}
        assert people.field(ACME) == ("hot", day(10).isoformat())  # since: the day of the change
        assert open_on(p, 12).changes == 0  # recorded once; the pass's own write is not a change
        open_on(p, 41)
        assert people.field(ACME) == ("warm", day(40).isoformat())

    def test_a_raise_without_a_call_is_undone_and_its_author_told_why(self):
        p = portal()
        people = ladder(p, LadderSettings(raise_needs_call=True))
        open_on(p, 1)  # the start's own changes are behind it
        travel_to(p, day(10), hour=15)
        people.set_status(BORIS, ACME, "hot")
        people.call(VERA, BETA)
        travel_to(p, day(10), hour=16)
        people.set_status(VERA, BETA, "hot")  # with a call an hour before: it stands
        report = open_on(p, 11)
        assert report.events == {"undone": 1, "set": 1}
        assert people.field(ACME) == ("warm", START.isoformat())
        assert people.field(BETA) == ("hot", day(10).isoformat())
        assert "the change to Hot was undone (no call in the 3 days before it)" in digests(p, BORIS)[0]["message"]
        assert [m["title"] for m in p.log_messages if m["entityId"] == 10] == ["Status change undone"]

    def test_clearing_the_field_stops_tracking(self):
        p = portal()
        people = ladder(p)
        run(portal_pass(gateway(p)))
        travel_to(p, day(5))
        people.set_status(BORIS, ACME, None)
        open_on(p, 6)
        report = open_on(p, 70)
        assert people.field(ACME)[0] is None and report.events["drop"] == 3  # the pass never writes it again

    def test_a_pass_that_died_after_writing_is_not_mistaken_for_a_person(self, monkeypatch):
        p = portal()
        people = ladder(p)
        run(portal_pass(gateway(p)))

        async def dies(self):
            raise RuntimeError("the tab was closed")

        monkeypatch.setattr(ladder_pass._Run, "save", dies)
        travel_to(p, day(61))
        with pytest.raises(RuntimeError):
            run(portal_pass(gateway(p)))
        assert people.field(ACME) == ("cold", day(60).isoformat()) and len(p.log_messages) == 4
        monkeypatch.undo()
        travel_to(p, day(63))  # two days later: the ladder said Cold since day 60 on the day it was written
        report = run(portal_pass(gateway(p)))
        assert report.changes == 0 and report.written == 0 and report.logged == 0
        assert people.field(ACME) == ("cold", day(60).isoformat())


class TestLosses:
    def settings(self, **reassign) -> LadderSettings:
        return LadderSettings(cold_days=20, warn_days=0, reassign=Reassign(**reassign))

    def test_a_lost_client_goes_to_the_pool_with_its_open_deals_and_to_dos_and_the_head_is_told(self):
        p = portal()
        people = ladder(p, self.settings(rule="user", user=ELENA), {ACME: "cold"})
        p.app_options["settings"] = '{"version":1,"pipelines":[0]}'
        open_on(p, 1)  # the start's own changes are behind it
        travel_to(p, day(2))
        deal = people.open_deal(BORIS, company=10, category=7)  # another pipeline: no In work, but open
        todo = people.todo(BORIS, ACME, day(10))  # overdue by the drop day: it pauses nothing then
        report = open_on(p, 25)
        assert report.events == {"loss": 1} and report.reassigned == 1
        assert report.carried == {"deals": 1, "todos": 1, "skipped": 0}
        assert people.field(ACME) == ("lost", day(20).isoformat())
        row = p.tables["companies"].rows[10]
        assert row["ASSIGNED_BY_ID"] == str(ELENA)
        assert p.tables["deals"].rows[deal]["ASSIGNED_BY_ID"] == str(ELENA)
        assert p.tables["activities"].rows[todo]["RESPONSIBLE_ID"] == str(ELENA)
        told = [n for n in p.notifications if n["kind"] == "crm" and n["to"] == ELENA]
        assert len(told) == 1  # REGISTER_SONET_EVENT: the new responsible hears of it
        head = [n for n in p.notifications if n["tag"] == "ladder.head.2026-12-18"]
        assert [n["to"] for n in head] == [DINA]  # Key accounts has no head: Sales' ("5", a string)
        assert "Boris Own lost Company 10 on 13 December" in head[0]["message"]
        assert "Company 10 was lost on 13 December" in digests(p, BORIS)[0]["message"]
        assert p.log_messages[-1]["text"] == f"No touch for 20 days: the client is lost. Reassigned to user #{ELENA}."
        assert open_on(p, 26).reassigned == 0

    def test_the_head_rule_walks_up_when_the_head_lost_it_and_the_feed_gets_a_post(self):
        p = portal()
        ladder(p, replace(self.settings(rule="head"), feed=True), {ACME: "cold", BETA: "cold"})
        p.tables["companies"].rows[11]["ASSIGNED_BY_ID"] = str(DINA)
        p.touch("companies", 11)
        run(portal_pass(gateway(p)))
        open_on(p, 25)
        assert p.tables["companies"].rows[10]["ASSIGNED_BY_ID"] == str(DINA)   # Boris → his head, Dina
        assert p.tables["companies"].rows[11]["ASSIGNED_BY_ID"] == str(ADMIN)  # Dina heads Sales: HQ's head
        assert sorted(post["dest"][0] for post in p.feed_posts) == [f"U{ADMIN}", f"U{DINA}"]

    def test_a_group_takes_lost_clients_in_turn_never_back_to_who_lost_them(self):
        p = portal()
        ladder(p, self.settings(rule="group", group=(BORIS, VERA, ELENA)),
               {ACME: "cold", BETA: "cold", GAMMA: "cold", DELTA: "cold"})
        run(portal_pass(gateway(p)))
        report = open_on(p, 25)
        assert report.reassigned == 4
        for rid, was in ((10, BORIS), (11, VERA), (12, BORIS), (13, VERA)):
            assert p.tables["companies"].rows[rid]["ASSIGNED_BY_ID"] != str(was)

    def test_nobody_keeps_the_client_where_it_was(self):
        p = portal()
        ladder(p, self.settings(rule="nobody"), {ACME: "cold"})
        run(portal_pass(gateway(p)))
        assert open_on(p, 25).reassigned == 0
        assert p.tables["companies"].rows[10]["ASSIGNED_BY_ID"] == str(BORIS)


class TestAlarms:
    def test_an_alarm_rings_on_the_first_warning_day_and_on_the_drop_day_at_the_working_hour(self):
        p = portal()
        ladder(p, LadderSettings(alarm_hour=10), {ACME: "warm"})
        run(portal_pass(gateway(p)))
        assert open_on(p, 56).alarms["created"] == 0
        report = open_on(p, 57)  # 3 days before the drop on day 60
        assert report.alarms["created"] == 1
        todo = next(r for r in p.tables["activities"].rows.values() if r["PROVIDER_ID"] == "CRM_TODO")
        assert todo["DEADLINE"] == "2027-01-22T10:00:00+03:00" and todo["RESPONSIBLE_ID"] == str(BORIS)
        assert todo["SUBJECT"] == "Call Company 10: it becomes Cold on 22 January"
        assert todo["AUTHOR_ID"] == str(ADMIN)
        travel_to(p, day(61))
        rung = [ping for ping in p.pings if ping["status"] == "rung"]
        assert [(ping["offset"], p.iso(ping["rung_at"])) for ping in rung] == [
            (4320, "2027-01-19T10:00:00+03:00"), (0, "2027-01-22T10:00:00+03:00")]
        assert {n["to"] for n in p.notifications if n["kind"] == "ping"} == {BORIS}

    def test_the_daily_cap_leaves_the_rest_to_the_digest_and_tomorrow_brings_them(self):
        p = portal()
        ladder(p, LadderSettings(alarm_cap=1, warn_days=5), {ACME: "warm", GAMMA: "warm"})
        run(portal_pass(gateway(p)))
        assert open_on(p, 56).alarms["created"] == 1
        assert "(no reminder: over today's limit)" in digests(p, BORIS)[-1]["message"]
        assert open_on(p, 57).alarms["created"] == 1

    def test_a_call_closes_the_alarm_and_a_new_responsible_gets_it(self):
        p = portal()
        people = ladder(p, LadderSettings(), {ACME: "warm", BETA: "warm"})
        run(portal_pass(gateway(p)))
        open_on(p, 58)
        travel_to(p, day(58), hour=12)
        people.call(BORIS, ACME)
        p.tables["companies"].rows[11]["ASSIGNED_BY_ID"] = str(ELENA)
        p.tables["companies"].rows[11]["DATE_MODIFY"] = p.iso(p.clock.now())
        p.touch("companies", 11)
        report = open_on(p, 59)
        assert report.alarms["closed"] == 1
        todos = [r for r in p.tables["activities"].rows.values() if r["PROVIDER_ID"] == "CRM_TODO"]
        assert [(r["OWNER_ID"], r["RESPONSIBLE_ID"]) for r in todos] == [("11", str(ELENA))]


class TestRights:
    def test_an_admin_without_edit_rights_on_a_client_skips_it_and_counts_it(self):
        p = portal()
        people = ladder(p, LadderSettings(), {ACME: "warm"})
        p.tables["users"].rows[OLEG]["CRM_EDIT"] = "own"
        run(portal_pass(gateway(p)))
        report = open_on(p, 65, OLEG)
        assert report.ran and report.written == 0 and report.skipped_no_rights >= 1
        assert people.field(ACME) == ("warm", START.isoformat())
        assert p.log_messages == []


def test_a_deleted_client_leaves_the_ledger_and_the_statuses():
    p = portal()
    ladder(p)
    run(portal_pass(gateway(p)))
    p.delete_record("companies", 13)
    report = open_on(p, 1)
    assert report.ran
    rows = run(load_publication(gateway(p, VERA))).rows
    assert DELTA not in rows and BETA in rows


def test_settings_change_the_next_pass_without_any_reindexing():
    p = portal()
    people = ladder(p, LadderSettings(), {ACME: "warm"})
    run(portal_pass(gateway(p)))
    open_on(p, 30)
    save_settings(p, replace(settings_of(p), warm_days=20))
    open_on(p, 31)
    assert people.field(ACME) == ("cold", day(20).isoformat())
