"""planning.md "Ranks": ABC by cumulative share and by client share, ties, N, the
rolling window, attribution as for the classification, and the Pareto data."""

from datetime import date
from decimal import Decimal

import pytest
from b24clients.model import CurrencyRate
from b24clients.ranks import (
    Cutoffs,
    RankSettings,
    Rates,
    assign_ranks,
    client_ranks,
    pareto,
)
from b24clients.snapshot import snapshot_from_data
from builders import company, contact, deal, invoice, snapshot

TODAY = date(2026, 11, 23)
CUMULATIVE = Cutoffs(Decimal(80), Decimal(95))
CLIENTS = Cutoffs(Decimal(20), Decimal(50))
RUB = Rates.of([CurrencyRate("RUB", Decimal(1), True), CurrencyRate("USD", Decimal(90))])


def cumulative(**values) -> dict:
    return assign_ranks({k: Decimal(v) for k, v in values.items()}, values, "cumulative", CUMULATIVE)


def by_clients(**values) -> dict:
    return assign_ranks({k: Decimal(v) for k, v in values.items()}, values, "clients", CLIENTS)


class TestCumulativeShare:
    def test_a_until_80_b_until_95_c_the_rest(self):
        assert cumulative(p=50, q=30, r=15, s=5) == {"p": "A", "q": "A", "r": "B", "s": "C"}

    def test_the_client_that_crosses_a_cut_off_still_belongs_to_the_higher_rank(self):
        # before q: 50 %, before r: 79 % (< 80: A), before s: 95 % (B ends exactly there)
        assert cumulative(p=50, q=29, r=16, s=5) == {"p": "A", "q": "A", "r": "A", "s": "C"}

    def test_a_sole_client_is_a(self):
        assert cumulative(p=1) == {"p": "A"}

    def test_ties_at_a_boundary_go_to_the_higher_rank(self):
        # one by one the second and third 10 would start at 80 % and 90 %: B
        assert cumulative(p=70, q=10, r=10, s=10) == {"p": "A", "q": "A", "r": "A", "s": "A"}
        assert cumulative(p=80, q=10, r=5, s=5) == {"p": "A", "q": "B", "r": "B", "s": "B"}

    def test_clients_with_nothing_get_n_never_c(self):
        ranks = assign_ranks({"p": Decimal(10), "q": Decimal(0)}, ["p", "q", "r"], "cumulative", CUMULATIVE)
        assert ranks == {"p": "A", "q": "N", "r": "N"}

    def test_nobody_with_anything_is_all_n(self):
        assert assign_ranks({}, ["p", "q"], "cumulative", CUMULATIVE) == {"p": "N", "q": "N"}

    def test_cut_offs_are_editable(self):
        values = {"p": Decimal(60), "q": Decimal(30), "r": Decimal(10)}
        assert assign_ranks(values, [], "cumulative", Cutoffs(Decimal("66.6"), Decimal(90))) == \
            {"p": "A", "q": "A", "r": "C"}
        assert assign_ranks(values, [], "cumulative", Cutoffs(Decimal(50), Decimal(95))) == \
            {"p": "A", "q": "B", "r": "B"}


class TestClientShare:
    def test_top_20_percent_a_next_30_percent_b_the_rest_c(self):
        ranks = by_clients(**{f"k{v:02d}": v for v in range(1, 11)})
        assert [ranks[f"k{v:02d}"] for v in range(10, 0, -1)] == list("AABBBCCCCC")

    def test_a_fraction_of_a_client_rounds_up_to_a_whole_one(self):
        assert by_clients(p=3, q=2, r=1) == {"p": "A", "q": "B", "r": "C"}
        assert by_clients(p=2, q=1) == {"p": "A", "q": "C"}   # 20 % of 2 → 1 A; 50 % of 2 → nobody for B

    def test_ties_at_a_boundary_go_to_the_higher_rank(self):
        ranks = by_clients(a=5, b=5, c=5, **{f"z{i}": 1 for i in range(7)})
        assert [ranks[k] for k in "abc"] == ["A"] * 3
        assert {ranks[f"z{i}"] for i in range(7)} == {"B"}

    def test_only_clients_with_something_are_counted(self):
        ranks = assign_ranks({"p": Decimal(9), "q": Decimal(1)}, ["p", "q", *"rstuvwxyz"], "clients", CLIENTS)
        assert (ranks["p"], ranks["q"], ranks["r"]) == ("A", "C", "N")


class TestCutoffs:
    @pytest.mark.parametrize("a, b", [(0, 50), (60, 50), (20, 101), (-1, 10)])
    def test_nonsense_cut_offs_are_refused(self, a, b):
        with pytest.raises(ValueError):
            Cutoffs(Decimal(a), Decimal(b))


class TestPareto:
    def test_points_cumulative_line_and_cut_offs(self):
        values = {("company", i): Decimal(v) for i, v in ((1, 50), (2, 30), (3, 15), (4, 5))}
        ranks = assign_ranks(values, [("company", 9)], "cumulative", CUMULATIVE)
        chart = pareto(values, ranks)
        assert [p.client for p in chart.points] == [("company", i) for i in (1, 2, 3, 4)]
        assert [p.cumulative for p in chart.points] == [Decimal("0.5"), Decimal("0.8"), Decimal("0.95"), Decimal(1)]
        assert (chart.a_end, chart.b_end) == (2, 3)

    def test_ties_keep_the_same_cut_offs_as_the_ranks(self):
        values = {("company", i): Decimal(v) for i, v in ((1, 70), (2, 10), (3, 10), (4, 10))}
        chart = pareto(values, assign_ranks(values, [], "cumulative", CUMULATIVE))
        assert (chart.a_end, chart.b_end) == (4, 4)

    def test_nobody_with_anything_is_an_empty_chart(self):
        chart = pareto({}, {("company", 1): "N"})
        assert (chart.points, chart.a_end, chart.b_end) == ((), 0, 0)


def crm(**collections):
    return snapshot_from_data(snapshot(**collections)).crm


def won(id, *, on, amount="1000", currency="RUB", **links):
    return deal(id, won=on, OPPORTUNITY=amount, CURRENCY_ID=currency, **links)


class TestClientRanks:
    def test_revenue_in_the_base_currency_decides(self):
        data = crm(companies=[company(1), company(2), company(3)],
                   deals=[won(1, company=1, on="2026-10-01", amount="100", currency="USD"),   # 9,000 RUB
                          won(2, company=2, on="2026-10-01", amount="8000"),
                          won(3, company=3, on="2026-10-01", amount="500")])
        report = client_ranks(data, TODAY, RankSettings(), RUB)
        assert report.measured.values == {("company", 1): Decimal(9000), ("company", 2): Decimal(8000),
                                          ("company", 3): Decimal(500)}
        assert report.ranks == {("company", 1): "A", ("company", 2): "A", ("company", 3): "C"}

    def test_the_window_keeps_payments_younger_than_twelve_months(self):
        data = crm(companies=[company(1), company(2), company(3)],
                   deals=[won(1, company=1, on="2025-11-23"),      # exactly twelve months old: out
                          won(2, company=2, on="2025-11-24"),      # one day younger: in
                          won(3, company=3, on="2026-12-01")])     # closed in advance: in
        report = client_ranks(data, TODAY, RankSettings(), RUB)
        assert set(report.measured.values) == {("company", 2), ("company", 3)}
        assert report.ranks[("company", 1)] == "N"

    def test_a_shorter_window(self):
        data = crm(companies=[company(1)], deals=[won(1, company=1, on="2026-05-23")])
        assert client_ranks(data, TODAY, RankSettings(window_months=6), RUB).ranks == {("company", 1): "N"}
        assert client_ranks(data, TODAY, RankSettings(window_months=7), RUB).ranks == {("company", 1): "A"}

    def test_attribution_is_the_classifications(self):
        data = crm(companies=[company(1), company(2, mine=True)], contacts=[contact(7, company=1), contact(8)],
                   deals=[won(1, contact=7, on="2026-10-01", amount="300"),                  # member → its company
                          won(2, company=2, contact=8, on="2026-10-01", amount="200"),       # own company → contact
                          won(3, on="2026-10-01", amount="999")])                            # nobody's
        report = client_ranks(data, TODAY, RankSettings(), RUB)
        assert report.measured.values == {("company", 1): Decimal(300), ("contact", 8): Decimal(200)}
        assert set(report.ranks) == {("company", 1), ("contact", 8)}

    def test_one_deal_with_its_invoices_is_one_payment_of_the_deals_amount(self):
        data = crm(companies=[company(1)], deals=[won(1, company=1, on="2026-10-01", amount="1000")],
                   invoices=[invoice(i, deal=1, paid="2026-10-0" + str(i), opportunity=500, currencyId="RUB")
                             for i in (1, 2)])
        report = client_ranks(data, TODAY, RankSettings(), RUB)
        assert report.measured.values == {("company", 1): Decimal(1000)}
        payments = client_ranks(data, TODAY, RankSettings(basis="payments"), RUB)
        assert payments.measured.values == {("company", 1): Decimal(1)}

    def test_an_unknown_currency_is_reported_and_left_out_not_counted_as_zero(self):
        data = crm(companies=[company(1), company(2)],
                   deals=[won(1, company=1, on="2026-10-01", amount="100", currency="XTS"),
                          won(2, company=1, on="2026-10-02", amount="100", currency="XTS"),
                          won(3, company=2, on="2026-10-01", amount="", currency="RUB")])
        report = client_ranks(data, TODAY, RankSettings(), RUB)
        assert report.measured.left_out.unknown_currencies == {"XTS": 2}
        assert report.measured.left_out.without_amount == 1
        assert report.ranks == {("company", 1): "N", ("company", 2): "N"}

    def test_payments_and_requests_as_the_basis(self):
        data = crm(companies=[company(1), company(2)],
                   deals=[won(1, company=1, on="2026-10-01", DATE_CREATE="2026-09-01T10:00:00+03:00"),
                          won(2, company=1, on="2026-10-02", DATE_CREATE="2025-01-01T10:00:00+03:00"),
                          deal(3, company=2, DATE_CREATE="2026-08-01T10:00:00+03:00"),
                          deal(4, company=2, semantic="F", DATE_CREATE="2026-08-02T10:00:00+03:00")])
        payments = client_ranks(data, TODAY, RankSettings(basis="payments"), Rates())
        assert payments.measured.values == {("company", 1): Decimal(2)}
        requests = client_ranks(data, TODAY, RankSettings(basis="requests"), Rates())
        assert requests.measured.values == {("company", 1): Decimal(1), ("company", 2): Decimal(2)}
        assert requests.ranks == {("company", 2): "A", ("company", 1): "A"}   # 1 request starts at 67 %

    def test_the_counted_pipelines_apply(self):
        data = crm(companies=[company(1)], deals=[won(1, company=1, on="2026-10-01", CATEGORY_ID="3")])
        assert client_ranks(data, TODAY, RankSettings(), RUB, pipelines={0}).ranks == {("company", 1): "N"}
        assert client_ranks(data, TODAY, RankSettings(), RUB, pipelines={3}).ranks == {("company", 1): "A"}

    def test_the_client_share_method_from_the_settings(self):
        data = crm(companies=[company(i) for i in range(1, 6)],
                   deals=[won(i, company=i, on="2026-10-01", amount=str(100 * i)) for i in range(1, 6)])
        report = client_ranks(data, TODAY, RankSettings(method="clients"), RUB)
        assert [report.ranks[("company", i)] for i in range(5, 0, -1)] == list("ABBCC")

    def test_counters_with_their_share_of_revenue(self):
        data = crm(companies=[company(i) for i in range(1, 6)],
                   deals=[won(1, company=1, on="2026-10-01", amount="80"), won(2, company=2, on="2026-10-01",
                                                                             amount="15"),
                          won(3, company=3, on="2026-10-01", amount="5")])
        shares = client_ranks(data, TODAY, RankSettings(), RUB).shares()
        assert {rank: (s.clients, s.value, s.share) for rank, s in shares.items()} == {
            "A": (1, Decimal(80), Decimal("0.8")), "B": (1, Decimal(15), Decimal("0.15")),
            "C": (1, Decimal(5), Decimal("0.05")), "N": (2, Decimal(0), Decimal(0))}
