"""The starting point against the simulated portal (issue 13 item 4): facts from
what the app knows, open deals read once, the confirmed proposal written as
target states and recorded as the ladder's first history."""

from __future__ import annotations

from datetime import date, timedelta

from ladderio import ADMIN, BORIS, START, VERA, People, gateway, member, portal, run, settings_of, setup

from b24clients.cards import Card
from b24clients.classify import ClientRow
from b24clients.ladder import LadderSettings, StatusChange, propose_start
from b24clients.sync.ladder.ledger import Ledger
from b24clients.sync.ladder.portal_pass import portal_pass
from b24clients.sync.ladder.start import confirm_start, read_open_deals, start_facts
from b24clients.sync.ladder.store import LedgerStore


def row(entity: str, rid: int, lifecycle="active", last_payment=None, parent=None) -> ClientRow:
    kind = "b2b" if entity == "company" else ("company_contact" if parent else "b2c")
    return ClientRow(entity, rid, kind, parent, lifecycle, "regular", last_payment, 1, False, True)


ROWS = [row("company", 10, last_payment=START - timedelta(days=5)), row("company", 11, "sleeping"),
        row("company", 12, "lost"), row("company", 13, "without_contacts"),
        row("contact", 20, "active"), row("contact", 21, "active"), row("contact", 30, "active", parent=10)]
CARDS = {("company", 13): Card("Company 13", BORIS, START - timedelta(days=3), None, None)}


class TestFacts:
    def test_the_subjects_follow_the_working_entity(self):
        keys = lambda entity: [f.key for f in start_facts(ROWS, CARDS, {}, LadderSettings(entity=entity), START)]
        assert keys("client") == [("company", 10), ("company", 11), ("company", 12), ("company", 13),
                                  ("contact", 20), ("contact", 21)]
        assert keys("company") == [("company", 10), ("company", 11), ("company", 12), ("company", 13)]
        assert ("contact", 30) in keys("contact")

    def test_the_proposal_counts_what_the_app_knows(self):
        facts = start_facts(ROWS, CARDS, {("company", 11): START - timedelta(days=9)}, LadderSettings(), START)
        proposal = propose_start(facts, LadderSettings(), START)
        statuses = {r.key: (r.status, r.since) for r in proposal.rows}
        assert statuses[("company", 10)] == ("hot", START - timedelta(days=5))
        assert statuses[("company", 11)] == ("in_work", START - timedelta(days=9))
        assert statuses[("company", 12)] == ("lost", START)
        assert statuses[("company", 13)] == ("new", START - timedelta(days=3))
        assert proposal.counts == {"new": 1, "in_work": 1, "hot": 1, "warm": 2, "cold": 0, "lost": 1}


def test_open_deals_count_for_their_client_from_the_oldest_opened():
    p = portal()
    setup(p)
    member(p, 30, 10, BORIS)
    people = People(p)
    people.open_deal(BORIS, contact=30)  # a member's deal is its company's
    p.travel(days=1)
    people.open_deal(BORIS, company=10)
    closed = people.open_deal(VERA, company=11)
    people.close_deal(closed, won=True)
    people.open_deal(VERA, contact=21, category=7)
    rows = [*ROWS[:-1], row("contact", 30, parent=10)]
    opened = run(read_open_deals(gateway(p), rows, LadderSettings()))
    assert opened == {("company", 10): START, ("contact", 21): START + timedelta(days=1)}
    assert run(read_open_deals(gateway(p), rows, LadderSettings(), frozenset({0}))) == {("company", 10): START}


def proposal(p):
    facts = start_facts(ROWS, CARDS, {}, LadderSettings(), p.date())
    return propose_start(facts, LadderSettings(), p.date())


def test_confirming_writes_the_fields_records_the_history_and_starts_today():
    p = portal()
    setup(p)
    people = People(p)
    report = run(confirm_start(gateway(p), proposal(p)))
    assert (report.started, report.written, report.recorded, report.started_on) == (True, 6, 6, "2026-11-23")
    assert people.field(("company", 10)) == ("hot", "2026-11-18")
    assert people.field(("contact", 21)) == ("warm", "2026-11-23")
    assert settings_of(p).started_on == START
    meta, chunks = run(LedgerStore(gateway(p)).load())
    ledger = Ledger(p.tz)
    for chunk in chunks:
        ledger.replay(chunk)
    change = ledger.changes[("company", 10)][0]
    assert isinstance(change, StatusChange) and (change.status, change.since, change.author) == (
        "hot", date(2026, 11, 18), ADMIN)
    first = run(portal_pass(gateway(p)))
    assert first.ran and first.changes == 0 and first.written == 0  # the pass goes on from it


def test_confirming_again_writes_nothing_new():
    p = portal()
    setup(p)
    run(confirm_start(gateway(p), proposal(p)))
    again = run(confirm_start(gateway(p), proposal(p)))
    assert (again.written, again.unchanged) == (0, 6)


def test_skipping_only_starts_the_ladder():
    p = portal()
    setup(p)
    report = run(confirm_start(gateway(p), None))
    assert (report.started, report.written, report.recorded) == (True, 0, 0)
    assert settings_of(p).started_on == START
    assert People(p).field(("company", 10)) == (None, None)


def test_only_an_installed_ladder_and_an_admin_can_start_it():
    p = portal()
    p.app_options["ladder"] = {}
    assert run(confirm_start(gateway(p), None)).not_started == "not_installed"
    setup(p)
    assert run(confirm_start(gateway(p, BORIS), proposal(p))).not_started == "not_admin"
    assert p.tables["companies"].rows[10].get("UF_CRM_B24C_STATUS") is None
