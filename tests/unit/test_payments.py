"""rules.md §2 — payments: successful deals and invoices, one deal = one payment, attribution;
and what each purchase brought (planning.md "Ranks")."""

from datetime import date
from decimal import Decimal

from b24clients.model import Money
from b24clients.payments import purchases
from b24clients.snapshot import snapshot_from_data
from builders import (
    binding, company, contact, deal, invoice, legacy_invoice, row, snapshot, stamp, status,
)


def paid(data, entity="company", id=5):
    r = row(data, entity, id)
    return r["payments"], r["last_payment"]


class TestSuccessfulDeals:
    def test_a_won_deal_is_a_payment_dated_by_its_close_date(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2026-09-01")])
        assert paid(data) == (1, "2026-09-01")

    def test_deals_in_progress_or_lost_are_not_payments(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5), deal(2, company=5, semantic="F")])
        assert paid(data) == (0, None)

    def test_a_custom_won_stage_in_another_pipeline_counts(self):
        custom = deal(1, company=5, won="2026-09-01", CATEGORY_ID="3", STAGE_ID="C3:UC_PAID")
        data = snapshot(companies=[company(5)], deals=[custom])
        assert paid(data) == (1, "2026-09-01")

    def test_the_stage_directory_decides_when_the_deal_carries_no_semantics(self):
        won = {**deal(1, company=5, won="2026-09-01"), "STAGE_ID": "C3:UC_DONE"}
        lost = {**deal(2, company=5, won="2026-10-01"), "STAGE_ID": "C3:UC_GONE"}
        del won["STAGE_SEMANTIC_ID"], lost["STAGE_SEMANTIC_ID"]
        data = snapshot(companies=[company(5)], deals=[won, lost],
                        statuses=[status("DEAL_STAGE_3", "C3:UC_DONE", "S"), status("DEAL_STAGE_3", "C3:UC_GONE", "F")])
        assert paid(data) == (1, "2026-09-01")

    def test_the_amount_never_matters(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2026-09-01", OPPORTUNITY="0.00")])
        assert paid(data) == (1, "2026-09-01")


class TestSuccessfulInvoices:
    def test_a_smart_invoice_in_the_paid_stage_is_a_payment_dated_when_it_moved_there(self):
        data = snapshot(companies=[company(5)], invoices=[invoice(1, company=5, paid="2026-08-15")])
        assert paid(data) == (1, "2026-08-15")

    def test_a_custom_paid_stage_counts_and_a_paid_looking_stage_without_semantics_s_does_not(self):
        invoices = [invoice(1, company=5, paid="2026-08-15", stage="DT31_2:UC_CASH", category=2),
                    invoice(2, company=5, paid="2026-10-15", stage="DT31_2:UC_PROMISED", category=2)]
        statuses = [status("SMART_INVOICE_STAGE_2", "DT31_2:UC_CASH", "S"),
                    status("SMART_INVOICE_STAGE_2", "DT31_2:UC_PROMISED", None)]
        data = snapshot(companies=[company(5)], invoices=invoices, statuses=statuses)
        assert paid(data) == (1, "2026-08-15")

    def test_an_unpaid_invoice_is_not_a_payment(self):
        data = snapshot(companies=[company(5)], invoices=[invoice(1, company=5)])
        assert paid(data) == (0, None)

    def test_a_legacy_invoice_with_status_p_is_dated_by_pay_voucher_date_then_date_payed_then_update(self):
        invoices = [
            legacy_invoice(1, company=5, status="P", PAY_VOUCHER_DATE=stamp("2019-03-01", "00:00:00"),
                           DATE_PAYED=stamp("2019-03-05"), DATE_UPDATE=stamp("2019-03-09")),
            legacy_invoice(2, company=6, status="P", DATE_PAYED=stamp("2019-04-05"), DATE_UPDATE=stamp("2019-04-09")),
            legacy_invoice(3, company=7, status="P", DATE_UPDATE=stamp("2019-05-09")),
            legacy_invoice(4, company=8, status="N", DATE_UPDATE=stamp("2019-06-09")),
        ]
        data = snapshot(companies=[company(i) for i in (5, 6, 7, 8)], legacy_invoices=invoices)
        assert [paid(data, id=i) for i in (5, 6, 7, 8)] == [
            (1, "2019-03-01"), (1, "2019-04-05"), (1, "2019-05-09"), (0, None)]


class TestOneDealOnePayment:
    def test_a_won_deal_with_a_paid_invoice_is_one_payment_dated_by_the_later_success(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2026-09-01")],
                        invoices=[invoice(1, deal=1, company=5, paid="2026-09-10")])
        assert paid(data) == (1, "2026-09-10")

    def test_a_won_deal_paid_in_three_instalments_is_one_payment(self):
        instalments = [invoice(i, deal=1, company=5, paid=day)
                       for i, day in ((1, "2026-06-01"), (2, "2026-07-01"), (3, "2026-08-01"))]
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2026-05-20")], invoices=instalments)
        assert paid(data) == (1, "2026-08-01")

    def test_a_deal_still_in_progress_is_a_payment_once_one_of_its_invoices_is_paid(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5)],
                        invoices=[invoice(1, deal=1, paid="2026-07-07"), invoice(2, deal=1)])
        assert paid(data) == (1, "2026-07-07")

    def test_a_legacy_invoice_joins_its_deal_through_uf_deal_id(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2019-02-01")],
                        legacy_invoices=[legacy_invoice(1, deal=1, company=5, status="P",
                                                        PAY_VOUCHER_DATE=stamp("2019-03-01"))])
        assert paid(data) == (1, "2019-03-01")

    def test_an_invoice_linked_to_no_deal_is_a_payment_of_its_own(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2026-09-01")],
                        invoices=[invoice(1, company=5, paid="2026-10-01")])
        assert paid(data) == (2, "2026-10-01")

    def test_instalments_of_a_deal_this_user_cannot_see_are_still_one_payment(self):
        data = snapshot(companies=[company(5)],
                        invoices=[invoice(1, deal=77, company=5, paid="2026-06-01"),
                                  invoice(2, deal=77, company=5, paid="2026-07-01")])
        assert paid(data) == (1, "2026-07-01")


class TestAttribution:
    def test_a_deal_with_company_and_contact_is_one_payment_of_the_company(self):
        data = snapshot(companies=[company(5)], contacts=[contact(1)],
                        deals=[deal(1, company=5, contact=1, won="2026-09-01")])
        assert paid(data) == (1, "2026-09-01")
        assert paid(data, "contact", 1) == (0, None)

    def test_a_deal_with_only_a_member_contact_belongs_to_the_parent_company(self):
        data = snapshot(companies=[company(5)], contacts=[contact(1, company=5)],
                        deals=[deal(1, contact=1, won="2026-09-01")])
        assert paid(data) == (1, "2026-09-01")

    def test_a_deal_with_only_a_b2c_contact_belongs_to_the_contact(self):
        data = snapshot(contacts=[contact(1)], deals=[deal(1, contact=1, won="2026-09-01")])
        assert paid(data, "contact", 1) == (1, "2026-09-01")

    def test_the_contact_in_several_companies_pays_for_its_primary_company(self):
        data = snapshot(companies=[company(5), company(6)], contacts=[contact(1, company=6)],
                        contact_companies=[binding(1, 5), binding(1, 6, primary=True)],
                        deals=[deal(1, contact=1, won="2026-09-01")])
        assert paid(data, id=6) == (1, "2026-09-01")
        assert paid(data, id=5) == (0, None)

    def test_the_company_on_the_deal_wins_over_the_contacts_own_parent(self):
        data = snapshot(companies=[company(5), company(6)], contacts=[contact(1, company=6)],
                        deals=[deal(1, company=5, contact=1, won="2026-09-01")])
        assert paid(data, id=5) == (1, "2026-09-01")
        assert paid(data, id=6) == (0, None)

    def test_an_own_company_on_a_deal_counts_as_no_company(self):
        data = snapshot(companies=[company(9, mine=True)], contacts=[contact(1)],
                        deals=[deal(1, company=9, contact=1, won="2026-09-01")])
        assert paid(data, "contact", 1) == (1, "2026-09-01")

    def test_the_contact_comes_from_contact_ids_when_contact_id_is_empty(self):
        record = {**deal(1, won="2026-09-01"), "CONTACT_ID": None, "CONTACT_IDS": ["2", "1"]}
        data = snapshot(contacts=[contact(1), contact(2)], deals=[record])
        assert paid(data, "contact", 2) == (1, "2026-09-01")

    def test_an_invoice_adds_its_company_to_a_deal_that_has_none(self):
        data = snapshot(companies=[company(5)], contacts=[contact(1)],
                        deals=[deal(1, contact=1, won="2026-09-01")],
                        invoices=[invoice(1, deal=1, company=5, paid="2026-09-02")])
        assert paid(data) == (1, "2026-09-02")
        assert paid(data, "contact", 1) == (0, None)

    def test_a_deal_with_neither_company_nor_contact_belongs_to_nobody(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, won="2026-09-01")])
        assert paid(data) == (0, None)


class TestPortalDates:
    def test_a_deal_closed_at_midnight_portal_time_is_dated_that_day(self):
        record = deal(1, company=5, won="2026-05-24")
        assert record["CLOSEDATE"] == "2026-05-24T00:00:00+03:00"
        assert paid(snapshot(companies=[company(5)], deals=[record])) == (1, "2026-05-24")

    def test_a_utc_timestamp_is_read_in_the_portal_offset(self):
        data = snapshot(offset="+03:00", companies=[company(5)],
                        invoices=[{**invoice(1, company=5, paid="2026-05-23"), "movedTime": "2026-05-23T22:30:00+00:00"}])
        assert paid(data) == (1, "2026-05-24")

    def test_a_portal_west_of_utc_keeps_its_own_calendar(self):
        data = snapshot(offset="-05:00", companies=[company(5)],
                        invoices=[{**invoice(1, company=5, paid="2026-05-24"), "movedTime": "2026-05-24T02:00:00+00:00"}])
        assert paid(data) == (1, "2026-05-23")

    def test_a_won_deal_without_close_date_falls_back_to_when_it_moved(self):
        record = {**deal(1, company=5, won="2026-09-01"), "CLOSEDATE": "", "MOVED_TIME": stamp("2026-09-03")}
        assert paid(snapshot(companies=[company(5)], deals=[record])) == (1, "2026-09-03")



def purchase(data):
    """The one purchase of a snapshot."""
    (only,) = purchases(snapshot_from_data(data).crm)
    return only


def rub(value: str) -> Money:
    return Money(Decimal(value), "RUB")


class TestPurchaseAmounts:
    def test_a_won_deal_brings_its_opportunity_not_plus_its_invoices(self):
        data = snapshot(deals=[deal(1, company=5, won="2026-09-01", OPPORTUNITY="1000.00", CURRENCY_ID="RUB")],
                        invoices=[invoice(i, deal=1, paid="2026-09-0" + str(i), opportunity=500, currencyId="RUB")
                                  for i in (1, 2)])
        assert purchase(data).amount == (rub("1000.00"),)

    def test_a_deal_not_won_brings_what_its_paid_invoices_add_up_to(self):
        invoices = [invoice(1, deal=1, paid="2026-07-07", opportunity=300.5, currencyId="RUB"),
                    invoice(2, deal=1, paid="2026-08-07", opportunity="200.25", currencyId="RUB"),
                    invoice(3, deal=1, opportunity=999, currencyId="RUB")]
        for semantic in ("P", "F"):
            data = snapshot(deals=[deal(1, company=5, semantic=semantic, OPPORTUNITY="5000")], invoices=invoices)
            assert purchase(data).amount == (rub("500.75"),)

    def test_instalments_of_a_deal_this_user_cannot_see_add_up(self):
        data = snapshot(invoices=[invoice(1, deal=77, paid="2026-06-01", opportunity=100, currencyId="RUB"),
                                  invoice(2, deal=77, paid="2026-07-01", opportunity=150, currencyId="RUB")])
        assert purchase(data).amount == (rub("250"),)

    def test_an_invoice_of_no_deal_is_its_own_amount(self):
        data = snapshot(legacy_invoices=[legacy_invoice(1, company=5, status="P", PRICE="990.00", CURRENCY="RUB",
                                                        DATE_PAYED=stamp("2019-04-05"))])
        assert purchase(data).amount == (rub("990.00"),)

    def test_paid_invoices_in_two_currencies_stay_apart_until_converted(self):
        data = snapshot(invoices=[invoice(1, deal=77, paid="2026-06-01", opportunity=100, currencyId="USD"),
                                  invoice(2, deal=77, paid="2026-07-01", opportunity=900, currencyId="RUB"),
                                  invoice(3, deal=77, paid="2026-07-02", opportunity=50, currencyId="USD")])
        assert purchase(data).amount == (rub("900"), Money(Decimal(150), "USD"))

    def test_a_won_deal_without_a_readable_amount_falls_back_to_its_paid_invoices(self):
        data = snapshot(deals=[deal(1, company=5, won="2026-09-01", OPPORTUNITY="", CURRENCY_ID="RUB")],
                        invoices=[invoice(1, deal=1, paid="2026-09-02", opportunity=700, currencyId="RUB")])
        assert purchase(data).amount == (rub("700"),)

    def test_a_won_deal_of_zero_brings_zero(self):
        data = snapshot(deals=[deal(1, company=5, won="2026-09-01", OPPORTUNITY="0.00", CURRENCY_ID="RUB")])
        assert purchase(data).amount == (rub("0.00"),)

    def test_a_purchase_that_is_not_a_payment_brought_nothing(self):
        data = snapshot(deals=[deal(1, company=5, OPPORTUNITY="1000")],
                        invoices=[invoice(1, deal=1, opportunity=1000, currencyId="RUB")])
        assert purchase(data).amount == ()

    def test_a_purchase_knows_its_records_and_when_it_was_opened(self):
        data = snapshot(deals=[deal(1, company=5, DATE_CREATE=stamp("2026-02-01"))],
                        invoices=[invoice(2, deal=1, createdTime=stamp("2026-01-15")),
                                  invoice(3, deal=1, createdTime=stamp("2026-03-01"))])
        found = purchase(data)
        assert (found.deal_id, found.invoice_keys) == (1, ("invoice:000000000002", "invoice:000000000003"))
        assert found.opened_on == date(2026, 1, 15)
