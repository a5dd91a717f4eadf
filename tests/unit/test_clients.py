"""rules.md §1 — who is a client, the client type, and the parent company."""

from builders import binding, classify, company, contact, row, rows, snapshot


class TestClientTypes:
    def test_a_company_is_a_b2b_client_with_or_without_contacts(self):
        data = snapshot(companies=[company(5), company(6)], contacts=[contact(1, company=5)])
        assert row(data, "company", 5)["client_type"] == "b2b"
        assert row(data, "company", 6)["client_type"] == "b2b"

    def test_a_contact_with_no_company_is_a_b2c_client(self):
        assert row(snapshot(contacts=[contact(1)]), "contact", 1)["client_type"] == "b2c"

    def test_no_company_comes_as_zero_null_empty_or_missing(self):
        contacts = [contact(1, company="0"), contact(2, COMPANY_ID=None), contact(3, company=""), contact(4)]
        result = rows(snapshot(contacts=contacts))
        assert {result[("contact", i)]["client_type"] for i in range(1, 5)} == {"b2c"}

    def test_a_contact_of_a_company_is_a_member_not_a_client(self):
        data = snapshot(companies=[company(5)], contacts=[contact(1, company=5)])
        member = row(data, "contact", 1)
        assert member["client_type"] == "company_contact"
        assert member["parent_company_id"] == 5
        assert classify(data)["counts"]["clients"] == 1

    def test_own_companies_are_left_out_entirely(self):
        data = snapshot(companies=[company(5), company(9, mine=True)])
        assert ("company", 9) not in rows(data)
        counts = classify(data)["counts"]
        assert (counts["clients"], counts["b2b"]) == (1, 1)


class TestParentCompany:
    def test_the_primary_binding_is_the_parent_of_a_contact_in_several_companies(self):
        data = snapshot(
            companies=[company(5), company(6), company(7)],
            contacts=[contact(1, company=6)],
            contact_companies=[binding(1, 5, sort=10), binding(1, 6, primary=True, sort=20), binding(1, 7, sort=5)],
        )
        assert row(data, "contact", 1)["parent_company_id"] == 6

    def test_crm_item_company_ids_make_a_contact_a_member(self):
        data = snapshot(companies=[company(5), company(6)],
                        contacts=[{"id": 1, "companyId": 6, "companyIds": [5, 6]}])
        assert row(data, "contact", 1)["parent_company_id"] == 6

    def test_a_link_to_an_own_company_makes_nobody_a_member(self):
        data = snapshot(companies=[company(9, mine=True)], contacts=[contact(1, company=9)])
        assert row(data, "contact", 1)["client_type"] == "b2c"

    def test_past_an_own_primary_company_the_next_client_company_is_the_parent(self):
        data = snapshot(companies=[company(5), company(9, mine=True)], contacts=[contact(1, company=9)],
                        contact_companies=[binding(1, 9, primary=True), binding(1, 5)])
        assert row(data, "contact", 1)["parent_company_id"] == 5

    def test_a_link_to_a_company_missing_from_the_crm_makes_nobody_a_member(self):
        data = snapshot(contacts=[contact(1, company=404)])
        assert row(data, "contact", 1)["client_type"] == "b2c"
        assert row(data, "contact", 1)["parent_company_id"] is None

    def test_companies_have_no_parent(self):
        assert row(snapshot(companies=[company(5)]), "company", 5)["parent_company_id"] is None
