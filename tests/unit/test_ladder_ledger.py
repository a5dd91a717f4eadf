"""The portal pass's ledger: REST rows folded into facts, saved as chunks and
replayed, and grouped into each subject's history by the working entity
(docs/ladder.md "Contacts, companies and clients")."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings, strategies as st

from b24clients.ladder import Deal, LadderSettings, Planned, StatusChange, Touch, Written
from b24clients.sync.ladder.ledger import ALARM_TAG, Ledger, tracked

TZ = timezone(timedelta(hours=3))
ITEMS = {"1001": "warm", "1002": "cold"}


def moment(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, 1, hour, tzinfo=TZ) + timedelta(days=day)


def iso(day: int, hour: int = 10) -> str:
    return moment(day, hour).isoformat()


def contact(rid: int, companies=(), status=None, responsible=2) -> dict:
    return {"id": rid, "createdTime": iso(0), "updatedTime": iso(1), "assignedById": responsible,
            "companyIds": list(companies), "UF_CRM_B24C_STATUS": status, "UF_CRM_B24C_STATUS_SINCE": None}


def company(rid: int, mine: str = "N", status=None, since=None, responsible=3) -> dict:
    return {"id": rid, "createdTime": iso(0), "updatedTime": iso(1), "assignedById": responsible,
            "isMyCompany": mine, "ufCrmB24cStatus": status, "ufCrmB24cStatusSince": since}


def activity(rid: int, provider: str, bindings, *, done: int | None = 3, created: int = 2, deadline=None,
             description: str = "") -> dict:
    types = {"contact": "3", "company": "4", "deal": "2"}
    type_id = {"VOXIMPLANT_CALL": "2", "CRM_EMAIL": "4"}.get(provider, "6")
    return {"ID": str(rid), "PROVIDER_ID": provider, "TYPE_ID": type_id,
            "COMPLETED": "Y" if done is not None else "N", "CREATED": iso(created),
            "LAST_UPDATED": iso(done if done is not None else created),
            "DEADLINE": deadline or iso(created), "DESCRIPTION": description,
            "OWNER_TYPE_ID": types[bindings[0][0]], "OWNER_ID": str(bindings[0][1]),
            "BINDINGS": [{"OWNER_TYPE_ID": types[e], "OWNER_ID": str(i)} for e, i in bindings]}


def deal(rid: int, company_id=0, contacts=(), semantic="P", category=0, created: int = 1, closed: int | None = None):
    return {"id": rid, "companyId": company_id, "contactIds": list(contacts), "stageSemanticId": semantic,
            "categoryId": category, "createdTime": iso(created), "closedate": iso(closed) if closed else iso(40),
            "updatedTime": iso(created)}


def ledger() -> Ledger:
    """Company 10 (client), 11 (the seller's own); contact 20 a member of 10, 21 of the
    seller's company only (so a B2C client), 22 alone (B2C)."""
    led = Ledger(TZ)
    led.fold_parties("company", [company(10, status="1001", since="2026-11-02"), company(11, mine="Y")], ITEMS)
    led.fold_parties("contact", [contact(20, [10]), contact(21, [11]), contact(22)], ITEMS)
    return led


class TestFolding:
    def test_parties_keep_created_responsible_links_and_the_status_fields_by_xml_id(self):
        led = ledger()
        assert led.companies[10].held == Written("warm", date(2026, 11, 2))
        assert led.companies[11].mine and led.contacts[20].companies == (10,)
        assert (led.contacts[22].created, led.contacts[22].responsible) == (date(2026, 11, 1), 2)

    def test_an_unknown_list_item_is_no_status(self):
        led = Ledger(TZ)
        led.fold_parties("company", [company(10, status="9999", since="2026-11-02")], ITEMS)
        assert led.companies[10].held == Written()

    def test_a_completed_activity_is_a_touch_at_its_completion_and_an_open_one_is_none(self):
        led = ledger()
        led.fold_activities([activity(1, "VOXIMPLANT_CALL", [("company", 10)], done=3),
                             activity(2, "VOXIMPLANT_CALL", [("company", 10)], done=None)])
        assert led.acts[1].touch() == Touch("call", moment(3))
        assert led.acts[2].touch() is None

    def test_a_to_do_pauses_until_its_deadline_or_until_it_was_done(self):
        led = ledger()
        led.fold_activities([activity(1, "CRM_TODO", [("company", 10)], done=None, deadline=iso(9)),
                             activity(2, "CRM_TODO", [("company", 10)], done=5, deadline=iso(9)),
                             activity(3, "CRM_EMAIL", [("company", 10)], done=None, deadline=iso(9))])
        assert led.acts[1].planned() == Planned(moment(2).date(), moment(9).date())
        assert led.acts[2].planned() == Planned(moment(2).date(), moment(5).date())
        assert led.acts[3].planned() is None  # an e-mail is never a planned touch

    def test_the_ladders_own_alarms_are_neither_touches_nor_planned_touches(self):
        led = ledger()
        led.fold_activities([activity(1, "CRM_TODO", [("company", 10)], done=None, deadline=iso(9))])
        led.fold_activities([activity(1, "CRM_TODO", [("company", 10)], done=None, deadline=iso(9),
                                      description=f"Call them\n{ALARM_TAG}:cold]")])
        assert 1 not in led.acts

    def test_deals_keep_outcome_and_close_date(self):
        led = ledger()
        led.fold_deals([deal(1, 10, semantic="S", closed=20), deal(2, 0, [22]), deal(3, 10, semantic="F", closed=30)])
        assert (led.deals[1].outcome, led.deals[1].closed) == ("won", moment(20).date())
        assert (led.deals[2].outcome, led.deals[2].closed, led.deals[2].contacts) == ("open", None, (22,))
        assert led.deals[3].outcome == "lost"


class TestSubjects:
    def setup_method(self):
        self.led = ledger()
        self.led.fold_deals([deal(1, 0, [20], semantic="S", closed=20), deal(2, 0, [22]),
                             deal(3, 10, [22], category=7)])
        self.led.fold_activities([activity(1, "VOXIMPLANT_CALL", [("contact", 20)]),
                                  activity(2, "VOXIMPLANT_CALL", [("deal", 2)], done=4),
                                  activity(3, "VOXIMPLANT_CALL", [("company", 11)], done=5)])

    def test_clients_are_client_companies_and_contacts_without_one_and_members_count_for_their_company(self):
        subjects = self.led.subjects("client")
        assert sorted(subjects) == [("company", 10), ("contact", 21), ("contact", 22)]
        company = subjects[("company", 10)].history
        assert [d.id for d in company.deals] == [1, 3] and [t.at for t in company.touches] == [moment(3)]
        b2c = subjects[("contact", 22)].history
        assert [d.id for d in b2c.deals] == [2] and [t.at for t in b2c.touches] == [moment(4)]
        assert subjects[("contact", 21)].history.touches == ()  # a call on the seller's own company is nobody's

    def test_contacts_each_have_their_own_and_the_deals_they_are_on(self):
        subjects = self.led.subjects("contact")
        assert sorted(subjects) == [("contact", 20), ("contact", 21), ("contact", 22)]
        assert [d.id for d in subjects[("contact", 22)].history.deals] == [2, 3]
        assert [d.id for d in subjects[("contact", 20)].history.deals] == [1]

    def test_companies_take_their_members_facts_and_contacts_alone_are_not_tracked(self):
        subjects = self.led.subjects("company")
        assert sorted(subjects) == [("company", 10)]
        assert [t.at for t in subjects[("company", 10)].history.touches] == [moment(3)]

    def test_deals_outside_the_counted_pipelines_do_not_count(self):
        subjects = self.led.subjects("client", pipelines=frozenset({0}))
        assert [d.id for d in subjects[("company", 10)].history.deals] == [1]

    def test_a_won_deal_becomes_a_core_deal_with_its_close_date(self):
        assert self.led.subjects("client")[("company", 10)].history.deals[0] == Deal(1, moment(1).date(), "won",
                                                                                    moment(20).date())

    def test_only_tracked_new_or_alarmed_subjects_are_looked_at(self):
        self.led.record_changes([(("contact", 22), StatusChange(moment(6), "warm", 2))])
        s = LadderSettings(started_on=date(2026, 11, 1))
        assert [c.history.key for c in tracked(self.led.subjects("client"), s, {})] == [
            ("company", 10), ("contact", 21), ("contact", 22)]  # all created on the start day: New
        later = LadderSettings(started_on=date(2026, 11, 5))
        assert [c.history.key for c in tracked(self.led.subjects("client"), later, {})] == [("contact", 22)]


class TestChunks:
    def test_replaying_the_folded_chunks_gives_the_same_ledger(self):
        led, chunks = Ledger(TZ), []
        chunks.append(led.fold_parties("company", [company(10, status="1002", since="2026-11-03")], ITEMS))
        chunks.append(led.fold_parties("contact", [contact(20, [10])], ITEMS))
        chunks.append(led.fold_deals([deal(1, 10, semantic="S", closed=9)]))
        chunks.append(led.fold_activities([activity(1, "VOXIMPLANT_CALL", [("deal", 1), ("company", 10)])]))
        raised = StatusChange(moment(4), "hot", 2, since=date(2026, 11, 2))
        chunks.append(led.record_changes([(("company", 10), raised)]))
        chunks.append(led.hold(("company", 10), Written("hot", date(2026, 11, 2)), 5))
        chunks.append(led.forget("contact", [20]))
        again = Ledger(TZ)
        for chunk in json.loads(json.dumps(chunks)):
            again.replay(chunk)
        assert _state(again) == _state(led)
        whole = Ledger(TZ)
        for chunk in json.loads(json.dumps(led.chunks(2))):
            whole.replay(chunk)
        assert _state(whole) == _state(led)

    def test_a_change_recorded_twice_is_kept_once(self):
        led = ledger()
        change = StatusChange(moment(4), "hot", 2)
        assert led.record_changes([(("company", 10), change)])["changes"]
        assert led.record_changes([(("company", 10), change)]) == {"changes": []}
        assert led.changes[("company", 10)] == (change,)


def _state(led: Ledger) -> tuple:
    return led.contacts, led.companies, led.deals, led.acts, led.changes


days = st.integers(min_value=0, max_value=400)


@st.composite
def facts(draw):
    led = Ledger(TZ)
    n = draw(st.integers(1, 6))
    led.fold_parties("company", [company(10 + i, status=draw(st.sampled_from([None, "1001", "1002"])),
                                         since=(date(2026, 11, 1) + timedelta(days=draw(days))).isoformat())
                                 for i in range(n)], ITEMS)
    led.fold_parties("contact", [contact(30 + i, draw(st.lists(st.integers(10, 10 + n), max_size=2)))
                                 for i in range(draw(st.integers(0, 4)))], ITEMS)
    led.fold_activities([activity(100 + i, draw(st.sampled_from(["VOXIMPLANT_CALL", "CRM_TODO", "CRM_EMAIL"])),
                                  [("company", 10 + draw(st.integers(0, n - 1)))],
                                  done=draw(st.one_of(st.none(), st.integers(0, 50))), created=0)
                         for i in range(draw(st.integers(0, 8)))])
    led.record_changes([(("company", 10), StatusChange(moment(draw(days)), draw(st.sampled_from(["hot", "cold", None])),
                                                       draw(st.one_of(st.none(), st.integers(1, 9)))))
                        for _ in range(draw(st.integers(0, 3)))])
    return led


@settings(max_examples=60, deadline=None)
@given(facts(), st.integers(1, 5))
def test_any_ledger_survives_its_chunks_whatever_their_size(led, size):
    again = Ledger(TZ)
    for chunk in json.loads(json.dumps(led.chunks(size))):
        again.replay(chunk)
    assert _state(again) == _state(led)
    assert again.subjects("client") == led.subjects("client")
