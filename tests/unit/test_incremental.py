"""The classification kept up to date (incremental.py) always equals a full `classify`
of the same CRM: after any sequence of random changes, and as time passes."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from b24clients.classify import classify
from b24clients.incremental import Classification, CrmChange
from b24clients.lifecycle import Thresholds
from b24clients.model import COMPANY, CONTACT, Company, Contact, Crm, Deal, Invoice
from b24clients.steps import finish

TODAY = date(2026, 11, 23)
COMPANY_IDS = st.integers(1, 6)
CONTACT_IDS = st.integers(1, 8)
DEAL_IDS = st.integers(1, 8)
days = st.none() | st.dates(date(2024, 1, 1), date(2027, 6, 1))
refs = st.tuples(st.sampled_from([CONTACT, COMPANY]), st.integers(1, 8))

contacts = st.builds(lambda i, links, data: Contact(i, tuple(dict.fromkeys(links)), data),
                     CONTACT_IDS, st.lists(st.integers(1, 7), max_size=3), st.booleans())
companies = st.builds(Company, COMPANY_IDS, st.sampled_from([False, False, False, True]), st.booleans())
deals = st.builds(lambda i, company, contact, won, category: Deal(i, company, contact, won, category),
                  DEAL_IDS, st.none() | st.integers(1, 7), st.none() | st.integers(1, 9), days,
                  st.sampled_from([None, 0, 1]))
invoices = st.builds(lambda i, legacy, deal, company, contact, paid:
                     Invoice(f"{'legacy_invoice' if legacy else 'invoice'}:{i:012d}", deal, company, contact, paid),
                     st.integers(1, 6), st.booleans(), st.none() | DEAL_IDS, st.none() | st.integers(1, 7),
                     st.none() | st.integers(1, 9), days)


@st.composite
def crms(draw) -> Crm:
    return Crm(contacts={c.id: c for c in draw(st.lists(contacts, max_size=8))},
               companies={c.id: c for c in draw(st.lists(companies, max_size=6))},
               deals=list({d.id: d for d in draw(st.lists(deals, max_size=8))}.values()),
               invoices=list({i.key: i for i in draw(st.lists(invoices, max_size=8))}.values()),
               with_activities=set(draw(st.lists(refs, max_size=5))),
               with_requisites=set(draw(st.lists(refs, max_size=3))))


def gone_or(records):
    return st.none() | records


changes = st.builds(
    CrmChange,
    contacts=st.dictionaries(CONTACT_IDS, gone_or(contacts), max_size=3).map(
        lambda found: {i: c if c is None else Contact(i, c.company_ids, c.has_contact_data) for i, c in found.items()}),
    companies=st.dictionaries(COMPANY_IDS, gone_or(companies), max_size=2).map(
        lambda found: {i: c if c is None else Company(i, c.is_mine, c.has_contact_data) for i, c in found.items()}),
    deals=st.dictionaries(DEAL_IDS, gone_or(deals), max_size=3).map(
        lambda found: {i: d if d is None else Deal(i, d.company_id, d.contact_id, d.succeeded_on, d.category_id)
                       for i, d in found.items()}),
    invoices=st.lists(st.tuples(invoices, st.booleans()), max_size=3).map(
        lambda found: {i.key: (i if keep else None) for i, keep in found}),
    with_activities=st.dictionaries(refs, st.booleans(), max_size=3),
    with_requisites=st.dictionaries(refs, st.booleans(), max_size=2),
)


def applied(change: CrmChange, crm: Crm) -> Crm:
    """The CRM after a change, built afresh: what a full classification sees."""
    def merge(table: dict, news: dict) -> dict:
        table = dict(table)
        for key, value in news.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
        return table

    def flags(refs: set, news: dict) -> set:
        return {ref for ref in refs | set(news) if news.get(ref, ref in refs)}

    return Crm(merge(crm.contacts, change.contacts), merge(crm.companies, change.companies),
               list(merge({d.id: d for d in crm.deals}, change.deals).values()),
               list(merge({i.key: i for i in crm.invoices}, change.invoices).values()),
               flags(crm.with_activities, change.with_activities), flags(crm.with_requisites, change.with_requisites))


def keyed(rows) -> dict:
    return {(row.entity, row.id): row for row in rows}


@settings(max_examples=400, deadline=None)
@given(crms(), st.lists(st.tuples(changes, st.integers(-40, 400)), max_size=5),
       st.sampled_from([None, frozenset({0}), frozenset({1})]),
       st.sampled_from([Thresholds(), Thresholds(1, 2), Thresholds(12, 36)]))
def test_after_any_changes_the_rows_equal_a_full_classification(crm, steps, pipelines, thresholds):
    classification, today = Classification(thresholds, pipelines), TODAY
    rows = finish(classification.build(crm, today))
    assert rows == classify(crm, today, thresholds, pipelines) and classification.changed is None
    for change, days in steps:
        crm, today, before = applied(change, crm), today + timedelta(days=days), keyed(rows)
        rows = finish(classification.update(change, today))
        assert rows == classify(crm, today, thresholds, pipelines)
        after = keyed(rows)
        assert {ref for ref in before.keys() | after.keys() if before.get(ref) != after.get(ref)} \
            <= classification.changed


def test_nothing_changed_and_the_same_day_computes_no_row_again():
    crm = Crm(contacts={i: Contact(i, (1,) if i % 2 else ()) for i in range(1, 200)}, companies={1: Company(1)},
              deals=[Deal(i, contact_id=i, succeeded_on=date(2026, 5, i % 28 + 1)) for i in range(1, 150)])
    classification = Classification()
    rows = finish(classification.build(crm, TODAY))
    again = finish(classification.update(CrmChange(), TODAY))
    assert again == rows and classification.changed == set()


def test_time_alone_moves_exactly_the_clients_whose_last_payment_crossed_a_boundary():
    """Six months after 2026-05-20 − 1 day: only the client who paid on 2026-05-23 turns Sleeping."""
    crm = Crm(contacts={1: Contact(1), 2: Contact(2), 3: Contact(3)},
              deals=[Deal(1, contact_id=1, succeeded_on=date(2026, 5, 23)),
                     Deal(2, contact_id=2, succeeded_on=date(2026, 5, 30)),
                     Deal(3, contact_id=3, succeeded_on=date(2025, 5, 23))])
    classification = Classification()
    finish(classification.build(crm, date(2026, 11, 22)))
    rows = keyed(finish(classification.update(CrmChange(), date(2026, 11, 23))))
    assert classification.changed == {(CONTACT, 1), (CONTACT, 3)}
    assert rows[(CONTACT, 1)].lifecycle == "sleeping" and rows[(CONTACT, 2)].lifecycle == "active"
    assert rows[(CONTACT, 3)].lifecycle == "lost"
