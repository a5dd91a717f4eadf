"""rules.md §6 — the eight values per record, members inheriting their company's."""

from builders import activity, classify, company, contact, deal, multifield, requisite, row, snapshot


def test_a_member_inherits_lifecycle_frequency_last_payment_and_count_from_its_parent():
    data = snapshot(companies=[company(5)], contacts=[contact(1, company=5)],
                    deals=[deal(1, company=5, won="2025-01-10"), deal(2, company=5, won="2026-01-10")])
    parent, member = row(data, "company", 5), row(data, "contact", 1)
    inherited = ("lifecycle", "frequency", "last_payment", "payments")
    assert [member[k] for k in inherited] == [parent[k] for k in inherited] == ["sleeping", "regular", "2026-01-10", 2]


def test_a_members_own_flags_stay_its_own():
    data = snapshot(companies=[company(5, PHONE=multifield("PHONE", "+7 495"))], contacts=[contact(1, company=5)],
                    activities=[activity(1, ("company", 5))])
    member = row(data, "contact", 1)
    assert (member["has_dialogs"], member["has_contact_data"]) == (False, False)
    assert row(data, "company", 5)["lifecycle"] == "with_dialogs"


def test_a_company_has_dialogs_through_its_member_contacts_a_contact_only_its_own():
    data = snapshot(companies=[company(5)], contacts=[contact(1, company=5), contact(2, company=5)],
                    activities=[activity(1, ("contact", 1))])
    assert row(data, "company", 5)["has_dialogs"] is True
    assert row(data, "contact", 1)["has_dialogs"] is True
    assert row(data, "contact", 2)["has_dialogs"] is False


def test_a_company_has_contact_data_through_a_linked_contact_or_requisites():
    data = snapshot(companies=[company(5), company(6), company(7)], contacts=[contact(1, company=5)],
                    requisites=[requisite(1, "company", 6), requisite(2, "contact", 1)])
    assert [row(data, "company", i)["has_contact_data"] for i in (5, 6, 7)] == [True, True, False]
    assert row(data, "contact", 1)["has_contact_data"] is True


def test_no_payment_gives_no_date_and_a_zero_count():
    member = row(snapshot(contacts=[contact(1)]), "contact", 1)
    assert (member["last_payment"], member["payments"], member["frequency"]) == (None, 0, "no_payments")


def test_counts_count_clients_only_and_every_value_is_listed():
    data = snapshot(companies=[company(5), company(9, mine=True)],
                    contacts=[contact(1, company=5), contact(2), contact(3)],
                    deals=[deal(1, company=5, won="2026-09-01")])
    counts = classify(data)["counts"]
    assert counts["clients"] == 3 and (counts["b2b"], counts["b2c"]) == (1, 2)
    assert counts["lifecycle"] == {"active": 1, "sleeping": 0, "lost": 0, "with_requests": 0,
                                   "with_dialogs": 0, "with_contacts": 0, "without_contacts": 2}
    assert counts["frequency"] == {"regular": 0, "first_purchase": 1, "no_payments": 2}


def test_rows_come_companies_first_then_contacts_in_id_order():
    data = snapshot(companies=[company(7), company(5)], contacts=[contact(3), contact(1, company=7)])
    assert [(r["entity"], r["id"]) for r in classify(data)["clients"]] == [
        ("company", 5), ("company", 7), ("contact", 1), ("contact", 3)]
