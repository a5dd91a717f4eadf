"""rules.md §3 lifecycle, §4 sales frequency, §5 clients without payments."""

from datetime import date

import pytest

from b24clients.lifecycle import Thresholds, frequency, paid_lifecycle, unpaid_lifecycle
from builders import (
    activity, binding, company, contact, deal, invoice, requisite, multifield, row, snapshot,
)

TODAY = date(2026, 11, 23)


class TestLifecycleThresholds:
    @pytest.mark.parametrize("last, expected", [
        (date(2026, 11, 23), "active"),
        (date(2026, 5, 24), "active"),      # one day younger than six months
        (date(2026, 5, 23), "sleeping"),    # exactly six months old: sleeping from this day
        (date(2025, 5, 24), "sleeping"),    # one day younger than eighteen months
        (date(2025, 5, 23), "lost"),        # exactly eighteen months old
        (date(2019, 1, 1), "lost"),
    ])
    def test_worked_examples_at_the_six_and_eighteen_month_boundaries(self, last, expected):
        assert paid_lifecycle(last, TODAY, Thresholds()) == expected

    def test_month_end_clamping_31_august_minus_six_months_is_28_february(self):
        today = date(2026, 8, 31)
        assert paid_lifecycle(date(2026, 3, 1), today, Thresholds()) == "active"
        assert paid_lifecycle(date(2026, 2, 28), today, Thresholds()) == "sleeping"

    def test_in_a_leap_year_the_boundary_is_29_february(self):
        today = date(2028, 8, 31)
        assert paid_lifecycle(date(2028, 2, 29), today, Thresholds()) == "sleeping"
        assert paid_lifecycle(date(2028, 3, 1), today, Thresholds()) == "active"

    def test_time_alone_moves_a_client_from_active_to_sleeping_to_lost(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2026-05-23")])
        assert row(data, "company", 5, today=date(2026, 11, 22))["lifecycle"] == "active"
        assert row(data, "company", 5, today=date(2026, 11, 23))["lifecycle"] == "sleeping"
        assert row(data, "company", 5, today=date(2027, 11, 23))["lifecycle"] == "lost"

    def test_thresholds_are_configurable(self):
        last = date(2026, 2, 23)   # nine months before TODAY
        assert paid_lifecycle(last, TODAY, Thresholds(6, 18)) == "sleeping"
        assert paid_lifecycle(last, TODAY, Thresholds(12, 24)) == "active"
        assert paid_lifecycle(last, TODAY, Thresholds(3, 9)) == "lost"

    def test_configured_thresholds_reach_the_classification(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2026-02-23")])
        assert row(data, "company", 5, active_months=12, lost_months=24)["lifecycle"] == "active"

    @pytest.mark.parametrize("active, lost", [(0, 18), (6, 6), (18, 6), (-1, 3)])
    def test_nonsense_thresholds_are_refused(self, active, lost):
        with pytest.raises(ValueError):
            Thresholds(active, lost)


class TestFrequency:
    @pytest.mark.parametrize("payments, expected", [(0, "no_payments"), (1, "first_purchase"),
                                                    (2, "regular"), (40, "regular")])
    def test_worked_examples(self, payments, expected):
        assert frequency(payments) == expected

    def test_two_won_deals_make_a_regular_client(self):
        data = snapshot(companies=[company(5)],
                        deals=[deal(1, company=5, won="2025-01-01"), deal(2, company=5, won="2026-01-01")])
        assert row(data, "company", 5)["frequency"] == "regular"


class TestWithoutPayments:
    def test_the_order_is_requests_then_dialogs_then_contacts_then_none(self):
        assert unpaid_lifecycle(True, True, True) == "with_requests"
        assert unpaid_lifecycle(False, True, True) == "with_dialogs"
        assert unpaid_lifecycle(False, False, True) == "with_contacts"
        assert unpaid_lifecycle(False, False, False) == "without_contacts"

    def test_a_deal_in_progress_or_lost_is_a_request(self):
        data = snapshot(contacts=[contact(1), contact(2)],
                        deals=[deal(1, contact=1), deal(2, contact=2, semantic="F")],
                        activities=[activity(1, ("contact", 1))])
        assert row(data, "contact", 1)["lifecycle"] == "with_requests"
        assert row(data, "contact", 2)["lifecycle"] == "with_requests"

    def test_an_unpaid_invoice_is_a_request(self):
        data = snapshot(companies=[company(5)], invoices=[invoice(1, company=5)])
        assert row(data, "company", 5)["lifecycle"] == "with_requests"

    def test_a_lead_is_never_a_request(self):
        data = snapshot(contacts=[contact(1)], leads=[{"ID": "1", "CONTACT_ID": "1"}])
        assert row(data, "contact", 1)["lifecycle"] == "without_contacts"

    @pytest.mark.parametrize("provider", ["VOXIMPLANT_CALL", "CRM_EMAIL", "CRM_MEETING", "IMOPENLINES_SESSION",
                                          "CRM_TODO", "CRM_TASKS_TASK"])
    def test_any_activity_is_a_dialog_open_line_chats_included(self, provider):
        data = snapshot(contacts=[contact(1, PHONE=multifield("PHONE", "+7 900"))],
                        activities=[activity(1, ("contact", 1), provider=provider)])
        assert row(data, "contact", 1)["lifecycle"] == "with_dialogs"

    def test_a_member_contacts_activity_is_a_dialog_of_the_company(self):
        data = snapshot(companies=[company(5)], contacts=[contact(1, company=5)],
                        activities=[activity(1, ("contact", 1))])
        assert row(data, "company", 5)["lifecycle"] == "with_dialogs"

    def test_an_activity_bound_only_to_a_deal_is_not_a_dialog_of_anyone(self):
        data = snapshot(contacts=[contact(1)], activities=[activity(1, ("deal", 3))])
        assert row(data, "contact", 1)["lifecycle"] == "without_contacts"

    @pytest.mark.parametrize("kind", ["PHONE", "EMAIL", "WEB", "IM"])
    def test_a_phone_email_website_or_messenger_is_contact_data(self, kind):
        data = snapshot(contacts=[contact(1, **{kind: multifield(kind, "x@example.com")})])
        assert row(data, "contact", 1)["lifecycle"] == "with_contacts"

    def test_blank_multifield_values_are_not_contact_data(self):
        data = snapshot(contacts=[contact(1, PHONE=multifield("PHONE", "   "))])
        assert row(data, "contact", 1)["lifecycle"] == "without_contacts"

    def test_requisites_are_contact_data(self):
        data = snapshot(companies=[company(5)], requisites=[requisite(1, "company", 5)])
        assert row(data, "company", 5)["lifecycle"] == "with_contacts"

    def test_an_otherwise_empty_company_with_a_linked_contact_has_contacts(self):
        data = snapshot(companies=[company(5), company(6)], contacts=[contact(1, company=6)],
                        contact_companies=[binding(1, 6, primary=True), binding(1, 5)])
        assert row(data, "company", 5)["lifecycle"] == "with_contacts"
        assert row(data, "company", 6)["lifecycle"] == "with_contacts"

    def test_an_empty_card_is_without_contacts(self):
        data = snapshot(companies=[company(5)], contacts=[contact(1)])
        assert row(data, "company", 5)["lifecycle"] == "without_contacts"
        assert row(data, "contact", 1)["lifecycle"] == "without_contacts"

    def test_a_paying_client_is_never_in_a_no_payment_segment(self):
        data = snapshot(companies=[company(5)], deals=[deal(1, company=5, won="2026-09-01"), deal(2, company=5)])
        assert row(data, "company", 5)["lifecycle"] == "active"
