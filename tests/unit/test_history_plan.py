"""The read plan (history.md "Speed"): which methods, which filters, as data."""

from dataclasses import fields

import pytest
from b24clients.history import Fetched, around_step, client_set, items_step, late_step, set_step
from history_rows import company_contact, contact_company

SOURCES = {f.name for f in fields(Fetched)}
PRIMARY_CONTACT_ONLY = {"contact_id", "contactid"}
"""Filters that match a deal's primary contact only (next-features.md §A.5, ISSUES #73)."""
AROUND_SCOPE = client_set(("company", 42), [company_contact(7)])
AROUND_FOUND = [(2, 1), (2, 2), (31, 30), (5, 60)]


def filter_keys(requests) -> set[str]:
    return {key for request in requests for key in (request.params.get("filter") or {})}


def test_the_set_step_reads_the_clients_bindings_and_the_stage_directory():
    company = set_step(("company", 42))
    contact = set_step(("contact", 7))
    assert [(r.source, r.method, dict(r.params)) for r in company] == [
        ("bindings", "crm.company.contact.items.get", {"id": 42}),
        ("statuses", "crm.status.list", {"order": {"SORT": "ASC"}})]
    assert contact[0].method == "crm.contact.company.items.get"
    assert all(r.id_key is None for r in company + contact)


class TestItems:
    def test_deals_are_found_by_contact_ids_in_any_role_never_by_the_legacy_contact_id(self):
        scope = client_set(("company", 42), [company_contact(7), company_contact(8)])
        requests = items_step(scope)
        deals = [r for r in requests if r.source == "deals"]
        assert {r.method for r in deals} == {"crm.item.list"}
        assert [dict(r.params["filter"]) for r in deals] == [{"contactIds": [7, 8]}, {"@companyId": [42]}]
        items = [r for r in requests if r.method == "crm.item.list"]
        assert not {key.lstrip("@=!<>%").lower() for key in filter_keys(items)} & PRIMARY_CONTACT_ONLY

    def test_smart_invoices_use_the_same_filters_and_legacy_invoices_their_uf_fields(self):
        requests = items_step(client_set(("company", 42), [company_contact(7)]))
        invoices = [r.params for r in requests if r.source == "invoices"]
        assert [(p["entityTypeId"], p["filter"]) for p in invoices] == [(31, {"contactIds": [7]}),
                                                                         (31, {"@companyId": [42]})]
        legacy = [r.params["filter"] for r in requests if r.source == "legacy_invoices"]
        assert legacy == [{"@UF_CONTACT_ID": [7]}, {"@UF_COMPANY_ID": [42]}]
        assert not [r for r in items_step(client_set(("company", 42), []), legacy_invoices=False)
                    if r.source == "legacy_invoices"]

    def test_a_contacts_companies_are_read_only_on_the_toggle(self):
        bindings = [contact_company(41, primary=True), contact_company(42)]
        plain = items_step(client_set(("contact", 7), bindings))
        toggled = items_step(client_set(("contact", 7), bindings, include_companies=True))
        assert "@companyId" not in filter_keys(plain)
        assert {"contactIds": [7]} in [r.params["filter"] for r in plain]
        assert {"@companyId": [41, 42]} in [r.params["filter"] for r in toggled]

    def test_long_id_lists_are_cut_into_chunks_of_fifty(self):
        scope = client_set(("company", 42), [company_contact(c) for c in range(1, 121)])
        chunks = [r.params["filter"]["contactIds"] for r in items_step(scope) if r.source == "deals"
                  and "contactIds" in r.params["filter"]]
        assert [len(chunk) for chunk in chunks] == [50, 50, 20]
        assert sorted(c for chunk in chunks for c in chunk) == list(range(1, 121))


class TestAround:
    def requests(self, source: str):
        return [r for r in around_step(AROUND_SCOPE, AROUND_FOUND) if r.source == source]

    def test_invoices_of_the_deals_found(self):
        assert [r.params["filter"] for r in self.requests("invoices")] == [{"@parentId2": [1, 2]}]
        assert [r.params["filter"] for r in self.requests("legacy_invoices")] == [{"@UF_DEAL_ID": [1, 2]}]

    def test_activities_of_every_record_in_one_bindings_filter(self):
        (request,) = self.requests("activities")
        assert request.method == "crm.activity.list"
        assert request.params["filter"]["BINDINGS"] == [
            {"OWNER_TYPE_ID": t, "OWNER_ID": i} for t, i in [(2, 1), (2, 2), (3, 7), (4, 42), (5, 60), (31, 30)]]

    def test_bindings_are_cut_into_chunks_of_fifty_pairs_each_pair_once(self):
        scope = client_set(("company", 42), [company_contact(c) for c in range(1, 80)])
        found = [(2, d) for d in range(1, 40)]
        chunks = [r.params["filter"]["BINDINGS"] for r in around_step(scope, found) if r.source == "activities"]
        pairs = [(p["OWNER_TYPE_ID"], p["OWNER_ID"]) for chunk in chunks for p in chunk]
        assert [len(chunk) for chunk in chunks] == [50, 50, 19]
        assert len(pairs) == len(set(pairs)) == 79 + 1 + 39

    def test_documents_per_owner_type_and_comments_per_record(self):
        documents = [(r.params["filter"], r.id_key, r.rows_key) for r in self.requests("documents")]
        assert documents == [({"entityTypeId": 2, "@entityId": [1, 2]}, "id", "documents"),
                             ({"entityTypeId": 31, "@entityId": [30]}, "id", "documents"),
                             ({"entityTypeId": 3, "@entityId": [7]}, "id", "documents"),
                             ({"entityTypeId": 4, "@entityId": [42]}, "id", "documents")]
        comments = [r.params["filter"] for r in self.requests("comments")]
        assert comments == [{"ENTITY_TYPE": "contact", "ENTITY_ID": 7}, {"ENTITY_TYPE": "company", "ENTITY_ID": 42},
                            {"ENTITY_TYPE": "deal", "ENTITY_ID": 1}, {"ENTITY_TYPE": "deal", "ENTITY_ID": 2}]


@pytest.mark.parametrize("client", [("company", 42), ("contact", 7)])
def test_every_request_feeds_a_source_of_the_build_and_every_list_chains_on_an_id(client):
    scope = client_set(client, [company_contact(7), contact_company(41)], include_companies=True)
    requests = set_step(client) + items_step(scope) + around_step(scope, [(2, 1), (31, 30), (5, 60)])
    assert {r.source for r in requests} == SOURCES
    for request in requests[2:]:
        assert request.id_key in ("ID", "id")
        assert request.rows_key == ("items" if request.method == "crm.item.list" else
                                    "documents" if request.method.startswith("crm.documentgenerator") else None)


def test_the_late_step_reads_what_hangs_off_invoices_found_only_through_their_deal():
    requests = late_step([(31, 30), (5, 60), (2, 1)])
    assert [(r.source, r.params["filter"]) for r in requests] == [
        ("activities", {"BINDINGS": [{"OWNER_TYPE_ID": 5, "OWNER_ID": 60}, {"OWNER_TYPE_ID": 31, "OWNER_ID": 30}]}),
        ("documents", {"entityTypeId": 31, "@entityId": [30]})]
    assert late_step([]) == ()
