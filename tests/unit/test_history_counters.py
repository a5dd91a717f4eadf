"""The page's counters: deals open / won / lost, invoices paid / unpaid / overdue,
activities open / done / overdue, documents, comments — each also a filter."""

import pytest
from b24clients.history import (
    COUNTER_KEYS,
    Filter,
    counter_filter,
    counts,
    filter_items,
)
from history_rows import (
    activity,
    at,
    comment,
    deal,
    document,
    history,
    invoice,
    legacy_invoice,
)

CLIENT = history(
    ("contact", 7),
    deals=[deal(1, contacts=(7,)), deal(2, contacts=(7,), semantic="S"), deal(3, contacts=(7,), semantic="S"),
           deal(4, contacts=(7,), semantic="F")],
    invoices=[invoice(30, deal=2, stage="DT31_1:P"), invoice(31, deal=2, stage="DT31_1:P"),
              invoice(32, deal=2, closedate=at("2026-11-01")), invoice(33, deal=2, stage="DT31_1:D")],
    legacy_invoices=[legacy_invoice(60, contact=7, DATE_PAY_BEFORE=at("2026-12-01"))],
    activities=[activity(10, (3, 7), done=False, DEADLINE=at("2026-11-20")), activity(11, (3, 7), done=False),
                activity(12, (2, 1))],
    documents=[document(20, (2, 2))],
    comments=[comment(40, "contact", 7), comment(41, "deal", 3)],
)
"""A contact paid for deal 2 in instalments: two paid, one overdue, one cancelled."""


def test_every_counter_of_a_worked_example():
    assert counts(CLIENT.items) == {
        "deal": 4, "deal.open": 1, "deal.won": 2, "deal.lost": 1,
        "invoice": 5, "invoice.paid": 2, "invoice.unpaid": 2, "invoice.overdue": 1,
        "activity": 3, "activity.open": 2, "activity.done": 1, "activity.overdue": 1,
        "document": 1, "comment": 2,
    }


def test_a_cancelled_invoice_is_neither_paid_nor_unpaid():
    cancelled = [item.key for item in CLIENT.items if counter_filter("invoice")(item)
                 and not counter_filter("invoice.paid")(item) and not counter_filter("invoice.unpaid")(item)]
    assert cancelled == ["invoice:33"]


@pytest.mark.parametrize("key, expected", [
    ("deal.won", {"deal:2", "deal:3"}),
    ("invoice.overdue", {"invoice:32"}),
    ("activity.open", {"activity:10", "activity:11"}),
    ("comment", {"comment:40", "comment:41"}),
])
def test_a_counter_is_a_filter_of_exactly_what_it_counts(key, expected):
    assert {item.key for item in filter_items(CLIENT.items, Filter(counter=key))} == expected


def test_every_counter_key_filters_as_many_rows_as_it_counts():
    numbers = counts(CLIENT.items)
    for key in COUNTER_KEYS:
        assert len(filter_items(CLIENT.items, Filter(counter=key))) == numbers[key], key


def test_an_empty_history_counts_zero_everywhere():
    assert set(counts(()).values()) == {0}


def test_an_unknown_counter_is_refused():
    with pytest.raises(ValueError, match="deal.pending"):
        counter_filter("deal.pending")
