"""Invariants of the history over random small reads (hypothesis)."""

from datetime import date

from b24clients.history import COLUMNS, Filter, counts, filter_items, sort_items
from b24clients.history.sorting import _sort_key
from history_rows import (
    activity,
    at,
    comment,
    company_contact,
    deal,
    document,
    history,
    invoice,
    legacy_invoice,
)
from hypothesis import given
from hypothesis import strategies as st

CONTACTS = (7, 8, 9)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)).map(lambda d: at(d.isoformat()))
maybe_day = st.none() | days
record_ids = st.integers(1, 6)
owners = st.sampled_from([(3, 7), (3, 8), (3, 9), (4, 42), (4, 43), (2, 1), (2, 2), (2, 3), (31, 1), (5, 1)])


@st.composite
def reads(draw) -> dict:
    """Overlapping answers, as the lists give them: every record possibly twice."""
    def twice(rows):
        return rows + draw(st.lists(st.sampled_from(rows), max_size=3)) if rows else rows

    deals = [deal(i, company=draw(st.sampled_from([0, 42, 43])),
                  contacts=tuple(draw(st.lists(st.sampled_from(CONTACTS + (99,)), unique=True, max_size=2))),
                  semantic=draw(st.sampled_from("PSF")), closedate=draw(maybe_day), createdTime=draw(maybe_day),
                  assignedById=draw(st.integers(0, 3)))
             for i in draw(st.sets(record_ids, max_size=4))]
    invoices = [invoice(i, deal=draw(st.integers(0, 4)), company=draw(st.sampled_from([0, 42])),
                        stage=draw(st.sampled_from(["DT31_1:N", "DT31_1:P", "DT31_1:D"])), closedate=draw(maybe_day))
                for i in draw(st.sets(record_ids, max_size=3))]
    legacy = [legacy_invoice(i, deal=draw(st.integers(0, 4)), contact=draw(st.sampled_from(CONTACTS)))
              for i in draw(st.sets(record_ids, max_size=2))]
    activities = [activity(i, *draw(st.lists(owners, min_size=1, max_size=3)), done=draw(st.booleans()),
                           DEADLINE=draw(maybe_day), CREATED=draw(maybe_day), RESPONSIBLE_ID=str(draw(st.integers(0, 3))))
                  for i in draw(st.sets(record_ids, max_size=5))]
    documents = [document(i, draw(owners)) for i in draw(st.sets(record_ids, max_size=2))]
    comments = [comment(i, draw(st.sampled_from(["deal", "contact", "company"])), draw(st.integers(1, 9)))
                for i in draw(st.sets(record_ids, max_size=2))]
    return {"deals": twice(deals), "invoices": twice(invoices), "legacy_invoices": twice(legacy),
            "activities": twice(activities), "documents": twice(documents), "comments": twice(comments)}


clients = st.sampled_from([("company", 42), ("contact", 7)])
company_bindings = [company_contact(7), company_contact(8)]

scalars = (st.none() | st.booleans() | st.integers(-5, 10**12) | st.floats() | st.text(max_size=8)
           | st.sampled_from(["7", "0", " 12 ", "Y", "N", "S", "2026-02-30", "0001-01-01T01:00:00+05:00",
                              "9999-12-31T23:59:59+14:00", "NaN", "DT31_1:P"]))
garbage = scalars | st.lists(scalars, max_size=2) | st.dictionaries(st.sampled_from(["OWNER_TYPE_ID", "OWNER_ID"]),
                                                                    scalars)
SOUND = {
    "bindings": company_contact(7), "statuses": {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "NEW", "NAME": "New",
                                                 "SEMANTICS": None, "EXTRA": {"SEMANTICS": "process"}},
    "deals": deal(1, contacts=(7,), closedate=at("2026-01-01")), "invoices": invoice(30, deal=1, contacts=(7,)),
    "legacy_invoices": legacy_invoice(60, deal=1, contact=7), "activities": activity(10, (3, 7), (2, 1)),
    "documents": document(20, (2, 1)), "comments": comment(40, "contact", 7),
}
"""One sound row per source, reaching every reader of a contact 7 or company 42 history."""


def poisoned(sound: dict) -> st.SearchStrategy:
    """The sound row with a few fields holding anything, or not a row at all."""
    bad = st.dictionaries(st.sampled_from(sorted(sound)), garbage, min_size=1, max_size=4)
    return st.lists(bad.map(lambda fields: {**sound, **fields}) | garbage, max_size=3)


@given(clients, st.fixed_dictionaries({source: poisoned(sound) for source, sound in SOUND.items()}))
def test_no_row_however_hostile_stops_the_history(client, sources):
    result = history(client, **sources)
    assert len({item.key for item in result.items}) == len(result.items)
    for column in COLUMNS:
        sort_items(result.items, column, descending=True)
    counts(result.items)


@given(clients, reads(), st.randoms())
def test_one_row_per_record_whatever_order_the_answers_came_in(client, sources, rnd):
    first = history(client, bindings=company_bindings, **sources)
    shuffled = {source: rnd.sample(rows, len(rows)) for source, rows in sources.items()}
    second = history(client, bindings=company_bindings, **shuffled)
    assert len({item.key for item in first.items}) == len(first.items)
    assert first.items == second.items


@given(clients, reads(), st.sampled_from(COLUMNS), st.booleans())
def test_sorting_is_a_stable_permutation_with_the_empty_values_last(client, sources, column, descending):
    items = history(client, bindings=company_bindings, **sources).items
    got = sort_items(items, column, descending)
    key, is_empty = _sort_key(column, {}, {})
    assert sorted(got, key=lambda item: item.key) == sorted(items, key=lambda item: item.key)
    empties = [is_empty(item) for item in got]
    assert empties == sorted(empties)
    values = [key(item) for item in got if not is_empty(item)]
    assert values == sorted(values, reverse=descending)
    assert sort_items(got, column, descending) == got


@given(clients, reads())
def test_counters_add_up_and_open_and_done_split_the_rows(client, sources):
    items = history(client, bindings=company_bindings, **sources).items
    n = counts(items)
    assert n["deal"] == n["deal.open"] + n["deal.won"] + n["deal.lost"]
    assert n["activity"] == n["activity.open"] + n["activity.done"]
    assert n["activity.overdue"] <= n["activity.open"] and n["invoice.overdue"] <= n["invoice.unpaid"]
    assert n["invoice.paid"] + n["invoice.unpaid"] <= n["invoice"]
    assert sum(n[family] for family in ("deal", "invoice", "activity", "document", "comment")) == len(items)
    open_, done = filter_items(items, Filter(state="open")), filter_items(items, Filter(state="done"))
    assert len(open_) + len(done) == len(items)
    assert not {item.key for item in open_} & {item.key for item in done}
