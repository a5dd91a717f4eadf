"""Messy CRM data is absence: one bad row is skipped and counted, never an error."""

from datetime import date, timedelta, timezone

from b24clients.dates import portal_datetime
from history_rows import activity, comment, deal, document, history, invoice, keys, row


def test_rows_that_are_no_record_are_skipped_and_counted_per_source():
    result = history(("contact", 7),
                     deals=[deal(1, contacts=(7,)), {**deal(2, contacts=(7,)), "id": "12a"}, None, "deal 3", []],
                     activities=[{k: v for k, v in activity(10, (3, 7)).items() if k != "ID"}, activity(11, (3, 7))],
                     documents=[{"title": "no keys at all"}], comments=[comment(40, "contact", 7, ID=-4)])
    assert keys(result) == {"deal:1", "activity:11"}
    assert result.skipped == {"deals": 4, "activities": 1, "documents": 1, "comments": 1}


def test_a_bad_date_amount_or_link_is_absence_and_the_row_stays():
    result = history(("contact", 7), deals=[deal(1, contacts=(7,), createdTime="yesterday", closedate="2026-13-45",
                                                 opportunity="a lot", currencyId=None, assignedById="boss",
                                                 createdBy=True, title=["not", "text"])])
    got = row(result, "deal:1")
    assert (got.created, got.deadline, got.amount, got.currency) == (None, None, None, "")
    assert (got.author_id, got.responsible_id, got.title) == (None, None, "")
    assert result.skipped == {}


def test_odd_shapes_of_links_and_flags_are_absence():
    odd = {**activity(10, (3, 7)), "BINDINGS": "3:7", "OWNER_TYPE_ID": "3", "OWNER_ID": "7.0"}
    result = history(("contact", 7), invoices=[invoice(30, contacts=(7,), stageId=42, contactIds="7")],
                     activities=[odd, {**activity(11, (3, 7)), "BINDINGS": [None, {"OWNER_TYPE_ID": "x"}]}],
                     documents=[document(20, (3, 7), entityTypeId=None)])
    assert keys(result) == {"activity:11"}


def test_infinite_and_nan_amounts_are_no_amount():
    result = history(("contact", 7), deals=[deal(1, contacts=(7,), opportunity="NaN"),
                                            deal(2, contacts=(7,), opportunity="-Infinity"),
                                            deal(3, contacts=(7,), opportunity=" 12.50 ")])
    assert [row(result, f"deal:{i}").amount for i in (1, 2, 3)] == [None, None, 12.5]


def test_a_timestamp_pushed_off_the_calendar_by_the_offset_is_no_date():
    """Year 1 at +05:00 is year 0 in Moscow: unreadable, not an OverflowError."""
    msk = timezone(timedelta(hours=3))
    assert portal_datetime("0001-01-01T01:00:00+05:00", msk) is None
    assert portal_datetime("9999-12-31T23:00:00-05:00", msk) is None
    result = history(("contact", 7), activities=[activity(10, (3, 7), CREATED="0001-01-01T01:00:00+05:00")])
    assert row(result, "activity:10").created is None


def test_a_bare_date_is_portal_local_midnight():
    result = history(("contact", 7), deals=[deal(1, contacts=(7,), closedate="2026-11-22")])
    got = row(result, "deal:1")
    assert (got.deadline, got.deadline_at.isoformat()) == (date(2026, 11, 22), "2026-11-22T00:00:00+03:00")
    assert got.overdue


def test_lists_and_mappings_where_text_is_expected_are_absence():
    odd = deal(1, contacts=(7,), stageSemanticId=[], stageId={"C1": "WON"}, currencyId=["RUB"], title={"ru": "x"})
    got = row(history(("contact", 7), deals=[odd]), "deal:1")
    assert (got.semantics, got.stage, got.currency, got.title) == ("process", "", "", "")
