"""The edge: REST records in both spellings become the same rule records."""

from datetime import date, timedelta, timezone

import pytest

from b24clients import records
from b24clients.model import Company, Contact

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
