"""Who did it and when, per kind (next-features.md §A.6), read from either REST spelling."""

from datetime import date
from decimal import Decimal

import pytest
from b24clients.history import Fetched, build_history
from history_rows import (
    MSK,
    NOW,
    activity,
    at,
    comment,
    deal,
    document,
    history,
    invoice,
    legacy_invoice,
    row,
)

STAGES = [
    {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "NEW", "NAME": "New", "SEMANTICS": None},
    {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "WON", "NAME": "Deal won", "SEMANTICS": "S"},
    {"ENTITY_ID": "DEAL_STAGE_3", "STATUS_ID": "C3:GONE", "NAME": "Went  elsewhere", "EXTRA": {"SEMANTICS": "failure"}},
    {"ENTITY_ID": "SMART_INVOICE_STAGE_1", "STATUS_ID": "DT31_1:N", "NAME": "New invoice", "SEMANTICS": None},
    {"ENTITY_ID": "SMART_INVOICE_STAGE_1", "STATUS_ID": "DT31_1:UC_CASH", "NAME": "Paid in cash", "SEMANTICS": "S"},
    {"ENTITY_ID": "INVOICE_STATUS", "STATUS_ID": "P", "NAME": "Paid", "SEMANTICS": "S"},
    {"ENTITY_ID": "STATUS", "STATUS_ID": "NEW", "NAME": "Lead: new"},
]


def only(**sources):
    """The single row of a contact 7 history holding these rows."""
    result = history(("contact", 7), statuses=STAGES, **sources)
    assert len(result.items) == 1, result.items
    return result.items[0]


class TestDeals:
    def test_a_legacy_deal_and_its_crm_item_twin_give_the_same_row(self):
        legacy = {"ID": "12", "TITLE": "Servers", "CONTACT_ID": "7", "COMPANY_ID": "0", "STAGE_ID": "WON",
                  "STAGE_SEMANTIC_ID": "S", "OPPORTUNITY": "1500.50", "CURRENCY_ID": "RUB", "CREATED_BY_ID": "3",
                  "ASSIGNED_BY_ID": "4", "DATE_CREATE": at("2026-01-10"), "CLOSEDATE": at("2026-02-01", "00:00:00")}
        item = {"id": 12, "title": "Servers", "contactIds": [7], "companyId": 0, "stageId": "WON",
                "stageSemanticId": "S", "opportunity": 1500.5, "currencyId": "RUB", "createdBy": 3,
                "assignedById": 4, "createdTime": at("2026-01-10"), "closedate": at("2026-02-01", "00:00:00")}
        assert only(deals=[legacy]) == only(deals=[item])
        got = only(deals=[item])
        assert (got.title, got.amount, got.currency, got.stage, got.semantics) == (
            "Servers", Decimal("1500.5"), "RUB", "Deal won", "success")
        assert (got.author_id, got.responsible_id) == (3, 4)
        assert (got.created, got.deadline, got.closed) == (date(2026, 1, 10), date(2026, 2, 1), date(2026, 2, 1))

    def test_an_open_deal_has_no_closed_date_and_is_overdue_from_the_day_after_its_end_date(self):
        due_today = only(deals=[deal(1, contacts=(7,), closedate=at("2026-11-23", "00:00:00"))])
        due_yesterday = only(deals=[deal(1, contacts=(7,), closedate=at("2026-11-22", "00:00:00"))])
        assert (due_today.done, due_today.closed, due_today.overdue) == (False, None, False)
        assert (due_yesterday.overdue, due_yesterday.status) == (True, "overdue")

    def test_a_closed_deal_is_dated_like_a_payment_end_date_first(self):
        """Consistent with the header's last payment date (rules.md §2): CLOSEDATE, else when it moved."""
        won = only(deals=[deal(1, contacts=(7,), semantic="S", closedate=at("2026-03-03"), movedTime=at("2026-03-05"))])
        lost = only(deals=[deal(1, contacts=(7,), semantic="F", movedTime=at("2026-03-05"))])
        assert (won.closed, lost.closed) == (date(2026, 3, 3), date(2026, 3, 5))
        assert (won.status, lost.status) == ("success", "failure")

    def test_without_its_own_semantics_the_stage_directory_decides_in_any_pipeline(self):
        got = only(deals=[deal(1, contacts=(7,), stageSemanticId=None, stageId="C3:GONE", categoryId=3)])
        assert (got.stage, got.semantics, got.done) == ("Went elsewhere", "failure", True)

    def test_a_stage_nobody_knows_is_in_progress_with_no_name(self):
        got = only(deals=[deal(1, contacts=(7,), stageSemanticId=None, stageId="C9:ODD")])
        assert (got.stage, got.semantics, got.done) == ("", "process", False)


class TestInvoices:
    def test_an_invoice_paid_in_instalments_is_one_row_per_instalment_each_via_its_deal(self):
        instalments = [invoice(30, deal=1, stage="DT31_1:P", movedTime=at("2026-03-01"), closedate=at("2026-03-05")),
                       invoice(31, deal=1, stage="DT31_1:UC_CASH", movedTime=at("2026-04-01")),
                       invoice(32, deal=1, stage="DT31_1:N", closedate=at("2026-11-01", "00:00:00"))]
        result = history(("contact", 7), statuses=STAGES, deals=[deal(1, contacts=(7,), semantic="S")],
                         invoices=instalments)
        paid, cash, open_ = (row(result, f"invoice:{i}") for i in (30, 31, 32))
        assert {item.via for item in (paid, cash, open_)} == {((2, 1),)}
        assert (paid.semantics, paid.closed, paid.deadline) == ("success", date(2026, 3, 1), date(2026, 3, 5))
        assert (cash.stage, cash.semantics, cash.closed) == ("Paid in cash", "success", date(2026, 4, 1))
        assert (open_.stage, open_.semantics, open_.closed, open_.overdue) == ("New invoice", "process", None, True)

    def test_a_smart_invoice_stage_the_directory_does_not_list_falls_back_to_the_system_codes(self):
        paid = only(invoices=[invoice(30, contacts=(7,), stage="DT31_4:P")])
        declined = only(invoices=[invoice(30, contacts=(7,), stage="DT31_4:D")])
        sent = only(invoices=[invoice(30, contacts=(7,), stage="DT31_4:S")])
        assert (paid.semantics, declined.semantics, sent.semantics) == ("success", "failure", "process")

    def test_a_legacy_invoice_reads_its_upper_case_fields(self):
        got = only(legacy_invoices=[legacy_invoice(60, contact=7, status="P", RESPONSIBLE_ID="9",
                                                   DATE_PAY_BEFORE=at("2025-03-10"), PAY_VOUCHER_DATE=at("2025-03-08"),
                                                   DATE_PAYED=at("2025-03-09"))])
        assert (got.kind, got.title, got.amount, got.stage, got.semantics) == (
            "legacy_invoice", "Old invoice 60", Decimal("250.00"), "Paid", "success")
        assert (got.author_id, got.responsible_id) == (1, 9)
        assert (got.created, got.deadline, got.closed) == (date(2025, 3, 1), date(2025, 3, 10), date(2025, 3, 8))

    def test_a_legacy_invoice_marked_payed_is_paid_whatever_its_status(self):
        assert only(legacy_invoices=[legacy_invoice(60, contact=7, status="S", PAYED="Y")]).semantics == "success"


class TestActivities:
    def test_author_and_responsible_are_kept_apart(self):
        """Who created the call vs. who must make it."""
        got = only(activities=[activity(10, (3, 7), AUTHOR_ID="5", RESPONSIBLE_ID="9")])
        assert (got.author_id, got.responsible_id) == (5, 9)

    def test_an_open_activity_past_its_deadline_is_open_and_overdue(self):
        got = only(activities=[activity(10, (3, 7), done=False, DEADLINE=at("2026-11-20"))])
        assert (got.done, got.overdue, got.status, got.closed) == (False, True, "overdue", None)

    def test_an_activity_is_overdue_from_its_deadline_time_not_from_the_next_day(self):
        """At noon a call planned for 10:00 today is late; one for 15:00 is not."""
        morning = only(activities=[activity(10, (3, 7), done=False, DEADLINE=at("2026-11-23", "10:00:00"))])
        afternoon = only(activities=[activity(10, (3, 7), done=False, DEADLINE=at("2026-11-23", "15:00:00"))])
        assert (morning.overdue, afternoon.overdue, afternoon.status) == (True, False, "open")

    def test_a_done_activity_is_dated_by_its_last_update(self):
        got = only(activities=[activity(10, (3, 7), CREATED=at("2026-10-01"), LAST_UPDATED=at("2026-10-03"),
                                        DEADLINE=at("2026-10-02"))])
        assert (got.created, got.deadline, got.closed, got.date) == (
            date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3), date(2026, 10, 3))
        assert (got.done, got.overdue, got.status) == (True, False, "done")

    def test_status_completed_counts_as_done_even_when_the_flag_is_missing(self):
        got = only(activities=[{**activity(10, (3, 7)), "COMPLETED": None, "STATUS": "3"}])
        assert got.done

    def test_no_deadline_is_stored_as_year_9999_and_read_as_none(self):
        got = only(activities=[activity(10, (3, 7), done=False, DEADLINE="9999-12-31T23:59:59+03:00",
                                        END_TIME="9999-12-31T23:59:59+03:00")])
        assert (got.deadline, got.overdue) == (None, False)

    def test_the_kind_comes_from_the_provider_else_the_type(self):
        cases = {("VOXIMPLANT_CALL", "2"): "call", ("CRM_EMAIL", "4"): "email", ("CRM_MEETING", "1"): "meeting",
                 ("CRM_TODO", "6"): "todo", ("CRM_TASKS_TASK", "6"): "task", ("IMOPENLINES_SESSION", "6"): "openline",
                 ("REST_APP", "6"): "activity", (None, "2"): "call", (None, "3"): "task", ("", "0"): "activity"}
        for (provider, type_id), kind in cases.items():
            assert only(activities=[activity(10, (3, 7), provider=provider, type_id=type_id)]).kind == kind


class TestDocumentsAndComments:
    def test_a_document_has_an_author_and_no_responsible(self):
        got = only(documents=[document(20, (3, 7), createdBy="5")])
        assert (got.kind, got.title, got.author_id, got.responsible_id) == ("document", "Contract 20", 5, None)
        assert (got.created, got.done, got.status) == (date(2026, 5, 5), True, None)

    def test_a_comment_is_its_text_whitespace_collapsed(self):
        got = only(comments=[comment(40, "CONTACT", 7, COMMENT="Called  back,\n agreed", AUTHOR_ID="6")])
        assert (got.kind, got.title, got.author_id, got.created) == ("comment", "Called back, agreed", 6,
                                                                     date(2026, 6, 6))


def test_dates_are_portal_calendar_dates_and_moments_keep_their_time():
    got = only(activities=[activity(10, (3, 7), CREATED="2026-05-23T21:30:00+00:00")])
    assert got.created == date(2026, 5, 24)
    assert (got.created_at.hour, got.created_at.utcoffset()) == (0, MSK.utcoffset(None))


def test_the_clock_must_be_aware():
    with pytest.raises(ValueError, match="aware"):
        build_history(("contact", 7), Fetched(), MSK, NOW.replace(tzinfo=None))
