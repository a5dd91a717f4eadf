"""An item bound to several of the client's records is one row (history.md)."""

from history_rows import (
    activity,
    company_contact,
    deal,
    history,
    invoice,
    legacy_invoice,
    row,
)


def test_a_call_on_the_contact_and_its_deal_is_one_row():
    """`BINDINGS` with both pairs returns the call twice (REF §2.3); the table shows it once,
    reached through the deal."""
    call = activity(10, (3, 7), (2, 1), provider="VOXIMPLANT_CALL", type_id="2")
    result = history(("contact", 7), deals=[deal(1, contacts=(7,))], activities=[call, call])
    assert [item.key for item in result.items] == ["activity:10", "deal:1"]
    assert row(result, "activity:10").kind == "call"
    assert row(result, "activity:10").via == ((2, 1),)
    assert result.duplicates == 1


def test_a_deal_found_by_its_company_and_by_its_contact_is_one_row():
    both = deal(1, company=42, contacts=(7,))
    result = history(("company", 42), bindings=[company_contact(7)], deals=[both, dict(both)])
    assert [item.key for item in result.items] == ["deal:1"]
    assert result.duplicates == 1


def test_the_first_copy_of_a_record_is_the_one_kept():
    """Copies of one record are the same record; if two answers differ, the first read wins."""
    result = history(("contact", 7), deals=[deal(1, contacts=(7,), title="First"),
                                            deal(1, contacts=(7,), title="Second")])
    assert row(result, "deal:1").title == "First"


def test_smart_and_legacy_invoices_and_activities_have_separate_id_spaces():
    """Smart invoice 5, legacy invoice 5, deal 5 and activity 5 are four different rows."""
    result = history(("contact", 7), deals=[deal(5, contacts=(7,))], invoices=[invoice(5, contacts=(7,))],
                     legacy_invoices=[legacy_invoice(5, contact=7)], activities=[activity(5, (3, 7))])
    assert sorted(item.key for item in result.items) == ["activity:5", "deal:5", "invoice:5", "legacy_invoice:5"]
    assert result.duplicates == 0
