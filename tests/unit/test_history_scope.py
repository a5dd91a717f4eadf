"""What belongs to a client's history (history.md): the set of a company or a contact,
and which deals, invoices, activities, documents and comments it reaches."""

from b24clients.history import client_set
from history_rows import (
    activity,
    comment,
    company_contact,
    contact_company,
    deal,
    document,
    history,
    invoice,
    keys,
    legacy_invoice,
    row,
)


def test_a_contact_who_is_the_second_contact_on_a_deal_sees_that_deal():
    """The legacy CONTACT_ID names only the primary contact; contactIds names every role."""
    result = history(("contact", 7), deals=[deal(12, contacts=(5, 7), CONTACT_ID=5)])
    assert keys(result) == {"deal:12"}


def test_a_company_sees_the_deals_of_every_contact_primary_binding_or_not():
    result = history(("company", 42), bindings=[company_contact(7, primary=True), company_contact(8)],
                     deals=[deal(1, company=42), deal(2, contacts=(7,)), deal(3, contacts=(9, 8)), deal(4, contacts=(9,))])
    assert keys(result) == {"deal:1", "deal:2", "deal:3"}


def test_a_company_with_no_contacts_has_its_own_items_only():
    result = history(("company", 42), bindings=[],
                     deals=[deal(1, company=42), deal(2, contacts=(7,))],
                     activities=[activity(10, (4, 42)), activity(11, (3, 7))],
                     comments=[comment(20, "company", 42)])
    assert keys(result) == {"deal:1", "activity:10", "comment:20"}
    assert result.scope.contacts == ()


def test_a_deal_naming_another_company_stays_out_of_a_company_history():
    """Contact 7 works for 42 and for 43; its deal with 43 is 43's payment (rules.md §2),
    so company 42's page leaves it out, and what hangs off it too."""
    result = history(("company", 42), bindings=[company_contact(7)],
                     deals=[deal(1, company=43, contacts=(7,)), deal(2, contacts=(7,))],
                     activities=[activity(10, (2, 1)), activity(11, (2, 2))])
    assert keys(result) == {"deal:2", "activity:11"}


SYSADMIN = {
    "bindings": [contact_company(42, sort=5), contact_company(41, primary=True), contact_company(43, sort=20)],
    "deals": [deal(1, company=41, contacts=(7,)), deal(2, company=42, contacts=(7,)),
              deal(3, company=43, contacts=(7,)), deal(4, company=42), deal(5, contacts=(7,))],
    "activities": [activity(10, (4, 43)), activity(11, (3, 7), (4, 42))],
}
"""The visiting sysadmin: contact 7 works for companies 41 (primary), 42 and 43."""


class TestContactInThreeCompanies:
    def test_the_set_lists_its_companies_primary_first(self):
        assert client_set(("contact", 7), SYSADMIN["bindings"]).companies == (41, 42, 43)

    def test_every_row_names_the_company_it_belongs_to(self):
        result = history(("contact", 7), **SYSADMIN)
        assert {item.key: item.company_id for item in result.items} == {
            "deal:1": 41, "deal:2": 42, "deal:3": 43, "deal:5": None, "activity:11": 42}

    def test_the_toggle_adds_the_companies_own_items(self):
        result = history(("contact", 7), include_companies=True, **SYSADMIN)
        assert keys(result) == {"deal:1", "deal:2", "deal:3", "deal:4", "deal:5", "activity:10", "activity:11"}
        assert row(result, "deal:4").via == ((4, 42),)


def test_invoices_come_through_their_deal_whatever_client_they_name():
    """An invoice of a deal of the set is part of that purchase (rules.md §2)."""
    result = history(("contact", 7), deals=[deal(1, contacts=(7,))],
                     invoices=[invoice(30, deal=1), invoice(31, deal=1, company=50), invoice(32, deal=2)],
                     legacy_invoices=[legacy_invoice(60, deal=1), legacy_invoice(61, contact=7), legacy_invoice(62)])
    assert keys(result) == {"deal:1", "invoice:30", "invoice:31", "legacy_invoice:60", "legacy_invoice:61"}
    assert row(result, "invoice:30").via == ((2, 1),)


def test_activities_documents_and_comments_hang_off_any_record_of_the_set():
    result = history(("company", 42), bindings=[company_contact(7)],
                     deals=[deal(1, company=42)], invoices=[invoice(30, company=42)],
                     activities=[activity(10, (31, 30)), activity(11, (2, 99))],
                     documents=[document(20, (2, 1)), document(21, (31, 30)), document(22, (2, 99))],
                     comments=[comment(40, "deal", 1), comment(41, "contact", 7), comment(42, "lead", 7)])
    assert keys(result) == {"deal:1", "invoice:30", "activity:10", "document:20", "document:21", "comment:40",
                            "comment:41"}


def test_via_names_the_records_of_the_set_and_never_the_client_or_the_item_itself():
    result = history(("contact", 7), deals=[deal(1, contacts=(7, 8))],
                     activities=[activity(10, (3, 7)), activity(11, (3, 7), (2, 1), (3, 8))])
    assert row(result, "deal:1").via == ()
    assert row(result, "activity:10").via == ()
    assert row(result, "activity:11").via == ((2, 1),)


def test_each_row_opens_its_own_card_or_the_card_whose_timeline_holds_it():
    result = history(("company", 42), bindings=[company_contact(7)],
                     deals=[deal(1, company=42)], invoices=[invoice(30, company=42)],
                     legacy_invoices=[legacy_invoice(60, company=42)],
                     activities=[activity(10, (4, 42)), activity(11, (3, 7), (2, 1))],
                     comments=[comment(40, "contact", 7)])
    assert {item.key: item.path for item in result.items} == {
        "deal:1": "/crm/deal/details/1/", "invoice:30": "/crm/type/31/details/30/",
        "legacy_invoice:60": "/crm/invoice/show/60/", "activity:10": "/crm/company/details/42/",
        "activity:11": "/crm/deal/details/1/", "comment:40": "/crm/contact/details/7/"}
