"""Counted pipelines (app.md "Settings"): a deal outside them is no purchase at all,
and the invoices linked to it go with it (docs/rules-decisions.md, "Counted pipelines")."""

from datetime import timedelta, timezone

import pytest

from b24clients import records
from b24clients.classify import classify_snapshot
from b24clients.snapshot import snapshot_from_data
from builders import TODAY, activity, company, deal, invoice, legacy_invoice, snapshot

MSK = timezone(timedelta(hours=3))


def client(data, pipelines, entity="company", id=5):
    rows = classify_snapshot(snapshot_from_data(data), TODAY, pipelines=pipelines)["clients"]
    got = next(r for r in rows if (r["entity"], r["id"]) == (entity, id))
    return got["lifecycle"], got["payments"], got["last_payment"]


def in_pipeline(category, **kwargs):
    return deal(CATEGORY_ID=str(category), **kwargs)


def test_by_default_every_pipeline_counts():
    data = snapshot(companies=[company(5)], deals=[in_pipeline(0, id=1, company=5, won="2026-09-01"),
                                                   in_pipeline(3, id=2, company=5, won="2026-10-01")])
    assert client(data, None) == ("active", 2, "2026-10-01")


def test_a_won_deal_outside_the_counted_pipelines_is_no_payment():
    data = snapshot(companies=[company(5)], deals=[in_pipeline(0, id=1, company=5, won="2026-01-10"),
                                                   in_pipeline(3, id=2, company=5, won="2026-10-01")])
    assert client(data, {0}) == ("sleeping", 1, "2026-01-10")
    assert client(data, {3}) == ("active", 1, "2026-10-01")


def test_a_deal_in_progress_or_lost_outside_the_counted_pipelines_is_no_request():
    """Only deals in pipeline 3, which does not count: the client falls through to §5's next segments."""
    data = snapshot(companies=[company(5)],
                    deals=[in_pipeline(3, id=1, company=5), in_pipeline(3, id=2, company=5, semantic="F")],
                    activities=[activity(1, ("company", 5))])
    assert client(data, None)[0] == "with_requests"
    assert client(data, {0})[0] == "with_dialogs"


def test_the_invoices_of_a_deal_outside_the_counted_pipelines_go_with_it():
    """A paid smart invoice and a paid legacy invoice of deal 1 (pipeline 3): with only
    pipeline 0 counted, nothing is left; a paid invoice of no deal still counts."""
    data = snapshot(companies=[company(5)], deals=[in_pipeline(3, id=1, company=5)],
                    invoices=[invoice(10, deal=1, company=5, paid="2026-09-01"),
                              invoice(11, company=5, paid="2026-08-01")],
                    legacy_invoices=[legacy_invoice(20, deal=1, company=5, status="P",
                                                     PAY_VOUCHER_DATE="2026-10-01")])
    assert client(data, None) == ("active", 2, "2026-10-01")
    assert client(data, {0}) == ("active", 1, "2026-08-01")


def test_invoices_of_a_deal_this_user_cannot_see_still_count():
    """Nothing tells which pipeline an unseen deal is in, so its invoices stay."""
    data = snapshot(companies=[company(5)], invoices=[invoice(10, deal=99, company=5, paid="2026-09-01")])
    assert client(data, {0}) == ("active", 1, "2026-09-01")


def test_a_deal_that_does_not_say_its_pipeline_is_in_the_general_one():
    unsaid = deal(1, company=5, won="2026-09-01")
    del unsaid["CATEGORY_ID"]
    data = snapshot(companies=[company(5)], deals=[unsaid])
    assert client(data, {0})[1] == 1
    assert client(data, {3})[1] == 0


def test_no_counted_pipeline_at_all_leaves_no_deal():
    data = snapshot(companies=[company(5)], deals=[in_pipeline(0, id=1, company=5, won="2026-09-01")])
    assert client(data, frozenset()) == ("without_contacts", 0, None)


@pytest.mark.parametrize("raw, category", [
    ({"CATEGORY_ID": "0"}, 0), ({"CATEGORY_ID": "3"}, 3), ({"categoryId": 0}, 0), ({"categoryId": 7}, 7),
    ({"CATEGORY_ID": None}, None), ({}, None), ({"CATEGORY_ID": "x"}, None), ({"CATEGORY_ID": " 0 "}, 0),
])
def test_the_pipeline_is_read_from_either_spelling(raw, category):
    got = records.deal({"ID": "1", "STAGE_SEMANTIC_ID": "P", **raw}, records.StageBook(), MSK)
    assert got.category_id == category
