"""The edge: REST records in both spellings become the same rule records."""

from datetime import date, timedelta, timezone
from decimal import Decimal

import pytest

from b24clients import records
from b24clients.model import Activity, Company, Contact, CurrencyRate, Touch

MSK = timezone(timedelta(hours=3))


@pytest.mark.parametrize("value, expected", [
    ("5", 5), (5, 5), (" 7 ", 7), ("0", None), (0, None), ("", None), (None, None), ("abc", None),
    (-3, None), (True, None), (4.0, None),
])
def test_ref_id_reads_every_spelling_of_a_link_and_of_none(value, expected):
    assert records.ref_id(value) == expected


def test_legacy_and_crm_item_contacts_normalise_alike():
    legacy = {"ID": "1", "COMPANY_ID": "6", "PHONE": [{"VALUE": "+7 900", "TYPE_ID": "PHONE"}]}
    item = {"id": 1, "companyId": 6, "companyIds": [6], "fm": [{"typeId": "PHONE", "value": "+7 900"}]}
    assert records.contact(legacy) == records.contact(item) == Contact(1, (6,), True)


def test_binding_rows_put_the_primary_company_first_however_they_arrive():
    rows = [{"CONTACT_ID": "1", "COMPANY_ID": "7", "IS_PRIMARY": "N", "SORT": "5"},
            {"CONTACT_ID": "1", "COMPANY_ID": "6", "IS_PRIMARY": "Y", "SORT": "20"},
            {"CONTACT_ID": "1", "COMPANY_ID": "5", "IS_PRIMARY": "N", "SORT": "10"},
            {"CONTACT_ID": "2", "COMPANY_ID": "0", "IS_PRIMARY": "Y"}]
    assert records.company_bindings(rows) == {1: [6, 7, 5]}
    assert records.company_bindings(reversed(rows)) == {1: [6, 7, 5]}


def test_binding_rows_outrank_the_legacy_main_company():
    contact = records.contact({"ID": "1", "COMPANY_ID": "5"}, bound_company_ids=[6, 5])
    assert contact.company_ids == (6, 5)


def test_has_phone_flags_count_when_multifields_were_not_selected():
    assert records.company({"ID": "5", "HAS_EMAIL": "Y"}) == Company(5, False, True)
    assert records.company({"ID": "5", "HAS_EMAIL": "N", "HAS_PHONE": "N"}) == Company(5, False, False)


def test_my_company_flag_in_both_spellings():
    assert records.company({"ID": "9", "IS_MY_COMPANY": "Y"}).is_mine
    assert records.company({"id": 9, "isMyCompany": True}).is_mine
    assert not records.company({"ID": "9", "IS_MY_COMPANY": "N"}).is_mine


def test_a_crm_item_deal_is_read_like_a_legacy_one():
    legacy = {"ID": "3", "STAGE_SEMANTIC_ID": "S", "COMPANY_ID": "5", "CONTACT_ID": "1",
              "CLOSEDATE": "2026-09-01T00:00:00+03:00"}
    item = {"id": 3, "stageSemanticId": "S", "companyId": 5, "contactId": 1, "closedate": "2026-09-01T00:00:00+03:00"}
    stages = records.StageBook()
    assert records.deal(legacy, stages, MSK) == records.deal(item, stages, MSK)
    assert records.deal(item, stages, MSK).succeeded_on == date(2026, 9, 1)


def test_stage_directory_reads_semantics_and_extra_semantics():
    book = records.StageBook([
        {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "WON", "SEMANTICS": "S"},
        {"ENTITY_ID": "DEAL_STAGE_1", "STATUS_ID": "C1:LOSE", "SEMANTICS": None, "EXTRA": {"SEMANTICS": "failure"}},
        {"ENTITY_ID": "DEAL_STAGE_1", "STATUS_ID": "C1:WIN", "EXTRA": {"SEMANTICS": "success"}},
        {"ENTITY_ID": "SMART_INVOICE_STAGE_0", "STATUS_ID": "DT31_0:P", "SEMANTICS": "S"},
        {"ENTITY_ID": "SOURCE", "STATUS_ID": "CALL", "SEMANTICS": "S"},
    ])
    assert book.succeeded("deal", "WON") is True
    assert book.succeeded("deal", "C1:WIN") is True
    assert book.succeeded("deal", "C1:LOSE") is False
    assert book.succeeded("invoice", "DT31_0:P") is True
    assert book.succeeded("deal", "CALL") is None
    assert book.succeeded("deal", "C9:NEW") is None


def test_a_smart_invoice_stage_unknown_to_the_directory_falls_back_to_the_system_paid_code():
    book = records.StageBook()
    paid = records.smart_invoice({"id": 1, "stageId": "DT31_4:P", "movedTime": "2026-01-02T10:00:00+03:00"}, book, MSK)
    sent = records.smart_invoice({"id": 2, "stageId": "DT31_4:S", "movedTime": "2026-01-02T10:00:00+03:00"}, book, MSK)
    assert paid.succeeded_on == date(2026, 1, 2) and sent.succeeded_on is None


def test_smart_and_legacy_invoices_with_the_same_id_stay_apart():
    book = records.StageBook()
    smart = records.smart_invoice({"id": 1, "stageId": "DT31_0:N"}, book, MSK)
    legacy = records.legacy_invoice({"ID": "1", "STATUS_ID": "N"}, book, MSK)
    assert smart.key != legacy.key


def test_activity_owners_come_from_bindings_and_owner_without_repeats():
    raw = {"ID": "1", "OWNER_TYPE_ID": "3", "OWNER_ID": "1",
           "BINDINGS": [{"OWNER_TYPE_ID": "3", "OWNER_ID": "1"}, {"OWNER_TYPE_ID": "4", "OWNER_ID": "5"},
                        {"OWNER_TYPE_ID": "2", "OWNER_ID": "9"}, "junk"]}
    assert records.activity_owners(raw) == [("contact", 1), ("company", 5)]


def test_a_record_without_an_id_is_malformed():
    with pytest.raises(ValueError):
        records.record_id({"NAME": "no id"})


class TestAmounts:
    @pytest.mark.parametrize("value, expected", [
        ("19999.99", Decimal("19999.99")), (19999.99, Decimal("19999.99")), (5, Decimal(5)),
        (" 7.50 ", Decimal("7.50")), ("0.00", Decimal(0)), (0.1, Decimal("0.1")),
        ("", None), ("   ", None), (None, None), ("abc", None), ("1 000", None), ("NaN", None),
        (float("inf"), None), (float("nan"), None), (True, None), (-5, None), ("-0.01", None), ([], None),
    ])
    def test_money_is_read_exactly_and_anything_unreadable_is_absence(self, value, expected):
        assert records.money(value) == expected

    def test_a_float_from_crm_item_keeps_its_decimal_digits(self):
        assert sum(records.money(v) for v in (0.1, 0.2)) == Decimal("0.3")

    @pytest.mark.parametrize("value, expected", [("usd ", "USD"), ("RUB", "RUB"), ("", None), (None, None), (5, None)])
    def test_currency_codes(self, value, expected):
        assert records.currency_code(value) == expected

    def test_a_deal_amount_reads_alike_in_both_spellings(self):
        legacy = {"ID": "3", "STAGE_SEMANTIC_ID": "S", "CLOSEDATE": "2026-09-01T00:00:00+03:00",
                  "OPPORTUNITY": "1500.50", "CURRENCY_ID": "USD", "DATE_CREATE": "2026-08-01T10:00:00+03:00"}
        item = {"id": 3, "stageSemanticId": "S", "closedate": "2026-09-01T00:00:00+03:00",
                "opportunity": 1500.5, "currencyId": "USD", "createdTime": "2026-08-01T10:00:00+03:00"}
        stages = records.StageBook()
        deal = records.deal(legacy, stages, MSK)
        assert deal == records.deal(item, stages, MSK)
        assert (deal.amount, deal.currency, deal.created_on) == (Decimal("1500.50"), "USD", date(2026, 8, 1))

    def test_a_deal_without_amount_or_currency_says_so(self):
        deal = records.deal({"ID": "3", "STAGE_SEMANTIC_ID": "S", "OPPORTUNITY": None}, records.StageBook(), MSK)
        assert (deal.amount, deal.currency, deal.created_on) == (None, None, None)

    def test_smart_invoice_amount_from_opportunity_and_currency_id(self):
        raw = {"id": 1, "stageId": "DT31_0:P", "opportunity": 250, "currencyId": "EUR",
               "createdTime": "2026-01-01T10:00:00+03:00"}
        invoice = records.smart_invoice(raw, records.StageBook(), MSK)
        assert (invoice.amount, invoice.currency, invoice.created_on) == (Decimal(250), "EUR", date(2026, 1, 1))

    def test_legacy_invoice_amount_from_price_and_currency(self):
        raw = {"ID": "1", "STATUS_ID": "P", "PRICE": "990.00", "CURRENCY": "RUB",
               "DATE_INSERT": "2019-01-01T10:00:00+03:00"}
        invoice = records.legacy_invoice(raw, records.StageBook(), MSK)
        assert (invoice.amount, invoice.currency, invoice.created_on) == (Decimal("990.00"), "RUB", date(2019, 1, 1))


class TestCurrencyRates:
    def test_a_rate_is_amount_per_nominal(self):
        row = {"CURRENCY": "KZT", "AMOUNT_CNT": "100", "AMOUNT": "17.5", "BASE": "N", "LID": "ru"}
        assert records.currency_rate(row) == CurrencyRate("KZT", Decimal("0.175"), False)

    def test_the_base_currency_is_marked(self):
        assert records.currency_rate({"CURRENCY": "RUB", "AMOUNT_CNT": 1, "AMOUNT": 1, "BASE": "Y"}).is_base

    @pytest.mark.parametrize("row", [{"CURRENCY": "USD", "AMOUNT_CNT": "0", "AMOUNT": "90"},
                                     {"CURRENCY": "USD", "AMOUNT": "90"}, {"CURRENCY": "USD", "AMOUNT_CNT": "1"},
                                     {"CURRENCY": "USD", "AMOUNT_CNT": "1", "AMOUNT": "ninety"}])
    def test_an_unreadable_rate_is_no_rate(self, row):
        assert records.currency_rate(row) == CurrencyRate("USD", None, False)

    def test_a_row_without_a_currency_is_skipped(self):
        assert records.currency_rate({"AMOUNT_CNT": "1", "AMOUNT": "1"}) is None


class TestActivities:
    @pytest.mark.parametrize("fields, kind", [
        ({"TYPE_ID": "2", "PROVIDER_ID": "VOXIMPLANT_CALL"}, "call"),
        ({"TYPE_ID": "2", "PROVIDER_ID": ""}, "call"),
        ({"TYPE_ID": "6", "PROVIDER_ID": "CRM_CALL_TRACKER"}, "call"),
        ({"TYPE_ID": "4", "PROVIDER_ID": "CRM_EMAIL"}, "email"),
        ({"TYPE_ID": "1", "PROVIDER_ID": "CRM_MEETING"}, "meeting"),
        ({"TYPE_ID": "6", "PROVIDER_ID": "IMOPENLINES_SESSION"}, "openline"),
        ({"TYPE_ID": "6", "PROVIDER_ID": "CRM_TODO"}, "todo"),
        ({"TYPE_ID": "3", "PROVIDER_ID": "TASKS_TASK"}, "other"),
        ({}, "other"),
    ])
    def test_the_kind_comes_from_the_provider_then_the_type(self, fields, kind):
        assert records.activity({"ID": "1", **fields}, MSK).kind == kind

    def test_a_completed_call_on_a_contact_its_deal_and_invoices(self):
        raw = {"ID": "7", "TYPE_ID": "2", "PROVIDER_ID": "VOXIMPLANT_CALL", "COMPLETED": "Y", "RESPONSIBLE_ID": "12",
               "AUTHOR_ID": "1", "OWNER_TYPE_ID": "3", "OWNER_ID": "1", "CREATED": "2026-03-01T10:00:00+03:00",
               "LAST_UPDATED": "2026-03-02T10:00:00+03:00", "DEADLINE": "2026-03-01T10:00:00+03:00",
               "BINDINGS": [{"OWNER_TYPE_ID": "3", "OWNER_ID": "1"}, {"OWNER_TYPE_ID": "2", "OWNER_ID": "9"},
                            {"OWNER_TYPE_ID": "31", "OWNER_ID": "4"}, {"OWNER_TYPE_ID": "5", "OWNER_ID": "4"},
                            {"OWNER_TYPE_ID": "1", "OWNER_ID": "8"}]}
        assert records.activity(raw, MSK) == Activity(
            id=7, kind="call", completed=True, owners=(("contact", 1),), deal_ids=(9,),
            invoice_keys=("invoice:000000000004", "legacy_invoice:000000000004"), responsible_id=12,
            done_on=date(2026, 3, 2), deadline=date(2026, 3, 1))

    def test_an_open_activity_has_no_done_date_and_status_2_is_completed_too(self):
        open_ = records.activity({"ID": "1", "COMPLETED": "N", "LAST_UPDATED": "2026-03-02T10:00:00+03:00"}, MSK)
        done = records.activity({"ID": "2", "STATUS": "2", "CREATED": "2026-03-01T10:00:00+03:00"}, MSK)
        assert (open_.completed, open_.done_on) == (False, None)
        assert (done.completed, done.done_on) == (True, date(2026, 3, 1))

    def test_the_author_stands_in_for_a_missing_responsible(self):
        assert records.activity({"ID": "1", "RESPONSIBLE_ID": "0", "AUTHOR_ID": "5"}, MSK).responsible_id == 5

    @pytest.mark.parametrize("value", ["9999-12-31T00:00:00+03:00", "9999-12-31T23:59:59+00:00", "", None])
    def test_bitrix24s_maximum_date_means_no_deadline(self, value):
        assert records.activity({"ID": "1", "DEADLINE": value}, MSK).deadline is None


class TestRecordTouch:
    def test_the_later_of_last_communication_and_last_activity(self):
        raw = {"LAST_COMMUNICATION_TIME": "2026-03-05T10:00:00+03:00",
               "LAST_ACTIVITY_TIME": "2026-03-01T10:00:00+03:00", "LAST_ACTIVITY_BY": "12"}
        assert records.record_touch(raw, MSK) == Touch(date(2026, 3, 5), None)
        later_activity = {**raw, "LAST_ACTIVITY_TIME": "2026-03-07T10:00:00+03:00"}
        assert records.record_touch(later_activity, MSK) == Touch(date(2026, 3, 7), 12)

    def test_on_the_same_day_the_one_that_names_who_wins(self):
        raw = {"lastCommunicationTime": "2026-03-05T09:00:00+03:00",
               "lastActivityTime": "2026-03-05T08:00:00+03:00", "lastActivityBy": 12}
        assert records.record_touch(raw, MSK) == Touch(date(2026, 3, 5), 12)

    def test_a_record_with_neither_has_no_touch(self):
        assert records.record_touch({"ID": "1", "LAST_COMMUNICATION_TIME": ""}, MSK) is None
