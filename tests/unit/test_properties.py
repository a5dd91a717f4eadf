"""Invariants of the rules over random small CRMs (hypothesis)."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from builders import activity, binding, classify, company, contact, deal, invoice, requisite, rows, snapshot

PAID_LIFECYCLES = {"active", "sleeping", "lost"}
RANK = {"active": 0, "sleeping": 1, "lost": 2}
days = st.dates(min_value=date(2018, 1, 1), max_value=date(2026, 11, 23)).map(date.isoformat)


@st.composite
def crms(draw) -> dict:
    company_ids = list(range(1, draw(st.integers(0, 5)) + 1))
    contact_ids = list(range(1, draw(st.integers(0, 8)) + 1))
    mine = set(draw(st.lists(st.sampled_from(company_ids), max_size=1))) if company_ids else set()
    ref = st.sampled_from([0, *company_ids, 99])
    cref = st.sampled_from([0, *contact_ids, 99])
    contacts, bindings = [], []
    for cid in contact_ids:
        linked = draw(st.lists(st.sampled_from(company_ids), unique=True, max_size=3)) if company_ids else []
        contacts.append(contact(cid, company=linked[0] if linked else None))
        bindings += [binding(cid, co, primary=(i == 0)) for i, co in enumerate(linked)]
    deals = [deal(i, company=draw(ref), contact=draw(cref), won=draw(st.none() | days),
                  semantic=None) for i in range(1, draw(st.integers(0, 8)) + 1)]
    deals = [{**d, "STAGE_SEMANTIC_ID": "F"} if d["STAGE_SEMANTIC_ID"] == "P" and draw(st.booleans()) else d
             for d in deals]
    invoices = [invoice(i, deal=draw(st.sampled_from([0, *range(1, len(deals) + 1)])), company=draw(ref),
                        contact=draw(cref), paid=draw(st.none() | days)) for i in range(1, draw(st.integers(0, 6)) + 1)]
    owners = [("contact", c) for c in contact_ids] + [("company", c) for c in company_ids]
    activities = [activity(i, draw(st.sampled_from(owners))) for i in range(1, draw(st.integers(0, 4)) + 1)] if owners else []
    requisites = [requisite(i, *draw(st.sampled_from(owners))) for i in range(1, draw(st.integers(0, 2)) + 1)] if owners else []
    return snapshot(companies=[company(c, mine=c in mine) for c in company_ids], contacts=contacts,
                    contact_companies=bindings, deals=deals, invoices=invoices, activities=activities,
                    requisites=requisites)


@given(crms())
def test_every_client_gets_exactly_one_consistent_lifecycle_and_frequency(data):
    for r in classify(data)["clients"]:
        paid = r["payments"] > 0
        assert (r["lifecycle"] in PAID_LIFECYCLES) == paid == (r["last_payment"] is not None)
        assert r["frequency"] == ("regular" if r["payments"] > 1 else "first_purchase" if paid else "no_payments")


@given(crms())
def test_counts_add_up(data):
    counts = classify(data)["counts"]
    assert counts["clients"] == counts["b2b"] + counts["b2c"]
    assert sum(counts["lifecycle"].values()) == counts["clients"] == sum(counts["frequency"].values())


@given(crms())
def test_members_carry_their_parents_values(data):
    result = rows(data)
    for r in result.values():
        if r["client_type"] == "company_contact":
            parent = result[("company", r["parent_company_id"])]
            assert [r[k] for k in ("lifecycle", "frequency", "last_payment", "payments")] == \
                   [parent[k] for k in ("lifecycle", "frequency", "last_payment", "payments")]


@given(crms(), days, st.data())
def test_adding_a_paid_deal_never_lowers_any_payment_count(data, day, draw):
    before = rows(data)
    extra = deal(1000, company=draw.draw(st.sampled_from([0, *[int(c["ID"]) for c in data["companies"]]])),
                 contact=draw.draw(st.sampled_from([0, *[int(c["ID"]) for c in data["contacts"]]])), won=day)
    after = rows({**data, "deals": [*data["deals"], extra]})
    assert all(after[key]["payments"] >= r["payments"] for key, r in before.items())
    clients = [key for key, r in before.items() if r["client_type"] != "company_contact"]
    assert sum(after[k]["payments"] for k in clients) - sum(before[k]["payments"] for k in clients) in (0, 1)


@given(crms())
def test_payments_never_exceed_the_purchases(data):
    groups = len(data["deals"]) + len({i["parentId2"] for i in data["invoices"] if i["parentId2"]} -
                                      {int(d["ID"]) for d in data["deals"]}) \
        + sum(1 for i in data["invoices"] if not i["parentId2"])
    clients = [r for r in classify(data)["clients"] if r["client_type"] != "company_contact"]
    assert sum(r["payments"] for r in clients) <= groups


@settings(max_examples=50)
@given(crms(), st.integers(1, 40))
def test_time_only_moves_paying_clients_from_active_towards_lost(data, months):
    today = date(2026, 11, 23)
    before = rows(data, today=today)
    after = rows(data, today=today + timedelta(days=31 * months))
    for key, r in before.items():
        if r["lifecycle"] in PAID_LIFECYCLES:
            assert RANK[after[key]["lifecycle"]] >= RANK[r["lifecycle"]]
        else:
            assert after[key]["lifecycle"] == r["lifecycle"]


@given(crms(), st.randoms(use_true_random=False))
def test_the_order_records_arrive_in_does_not_matter(data, rnd):
    shuffled = {k: rnd.sample(v, len(v)) if isinstance(v, list) else v for k, v in data.items()}
    assert classify(shuffled) == classify(data)
