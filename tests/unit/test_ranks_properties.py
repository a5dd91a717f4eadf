"""Invariants of the ranks (hypothesis)."""

from datetime import date
from decimal import Decimal

from b24clients.ranks import (
    Cutoffs,
    RankSettings,
    Rates,
    assign_ranks,
    client_ranks,
    pareto,
)
from b24clients.snapshot import snapshot_from_data
from builders import company, deal, snapshot
from hypothesis import given
from hypothesis import strategies as st

ORDER = {"A": 0, "B": 1, "C": 2, "N": 3}
CUMULATIVE = Cutoffs(Decimal(80), Decimal(95))
amounts = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
values = st.dictionaries(st.integers(0, 40), st.one_of(st.integers(0, 20).map(Decimal), amounts), max_size=30)
methods = st.sampled_from(["cumulative", "clients"])


@st.composite
def cutoffs(draw) -> Cutoffs:
    a = draw(st.integers(1, 100))
    return Cutoffs(Decimal(a), Decimal(draw(st.integers(a, 100))))


@given(values, methods, cutoffs())
def test_a_larger_value_never_has_a_lower_rank_and_equal_values_share_one(data, method, cuts):
    ranks = assign_ranks(data, [], method, cuts)
    for x, vx in data.items():
        for y, vy in data.items():
            if vx > vy:
                assert ORDER[ranks[x]] <= ORDER[ranks[y]]
            if vx == vy:
                assert ranks[x] == ranks[y]


@given(values, methods, cutoffs())
def test_n_is_exactly_nothing(data, method, cuts):
    ranks = assign_ranks(data, [-1], method, cuts)
    assert ranks[-1] == "N"
    assert all((ranks[k] == "N") == (v == 0) for k, v in data.items())


@given(values)
def test_a_brings_at_least_as_much_as_b_by_cumulative_share(data):
    ranks = assign_ranks(data, [], "cumulative", CUMULATIVE)
    total = {rank: sum((v for k, v in data.items() if ranks[k] == rank), Decimal(0)) for rank in "ABC"}
    assert total["A"] >= total["B"]
    assert total["A"] * 100 >= 80 * sum(data.values()) or not any(ranks[k] in "BC" for k in data)


@given(values, methods, cutoffs(), st.integers(0, 40), st.integers(1, 5000).map(Decimal))
def test_adding_revenue_to_a_client_never_lowers_its_rank(data, method, cuts, client, extra):
    before = assign_ranks(data, [client], method, cuts)[client]
    after = assign_ranks({**data, client: data.get(client, Decimal(0)) + extra}, [client], method, cuts)[client]
    assert ORDER[after] <= ORDER[before]


@given(values, methods)
def test_the_pareto_line_climbs_to_one_and_its_cut_offs_match_the_ranks(data, method):
    ranks = assign_ranks(data, [], method, Cutoffs(Decimal(20), Decimal(50)))
    chart = pareto(data, ranks)
    shares = [p.cumulative for p in chart.points]
    assert shares == sorted(shares) and (not shares or shares[-1] == 1)
    assert [p.rank for p in chart.points] == ["A"] * chart.a_end + ["B"] * (chart.b_end - chart.a_end) + \
        ["C"] * (len(shares) - chart.b_end)


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 5000)), max_size=12), st.integers(1, 6),
       st.integers(1, 5000), methods)
def test_a_new_won_deal_never_lowers_its_clients_rank(deals, client, amount, method):
    rows = [deal(i, company=c, won="2026-10-01", OPPORTUNITY=str(a), CURRENCY_ID="RUB")
            for i, (c, a) in enumerate(deals, 1)]
    companies = [company(c) for c in range(1, 7)]
    settings = RankSettings(method=method)
    rates = Rates("RUB")

    def rank(deal_rows):
        crm = snapshot_from_data(snapshot(companies=companies, deals=deal_rows)).crm
        return client_ranks(crm, date(2026, 11, 23), settings, rates).ranks[("company", client)]

    extra = deal(999, company=client, won="2026-11-01", OPPORTUNITY=str(amount), CURRENCY_ID="RUB")
    assert ORDER[rank([*rows, extra])] <= ORDER[rank(rows)]
