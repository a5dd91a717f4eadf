"""The starting point (spec/status-ladder.md "Starting point"): proposed first statuses, with counts."""

from datetime import date, datetime

import pytest
from b24clients.ladder import StartFacts, StartRow, propose_start, standing
from b24clients.ladder.history import ClientHistory
from ladderkit import ladder

TODAY = date(2026, 9, 1)


def fact(lifecycle="with_dialogs", *, created=date(2020, 1, 1), paid=None, open_deal=None, number=1):
    return StartFacts(("company", number), created, lifecycle, paid, open_deal)


class TestRules:
    @pytest.mark.parametrize("facts, status, since", [
        (fact("active", paid=date(2026, 8, 30), open_deal=date(2026, 6, 1)), "in_work", date(2026, 6, 1)),
        (fact("active", paid=date(2026, 8, 3)), "hot", date(2026, 8, 3)),          # 29 days ago
        (fact("active", paid=date(2026, 8, 2)), "warm", TODAY),                    # 30 days ago: out of the Hot window
        (fact("sleeping", paid=date(2025, 9, 1)), "cold", TODAY),
        (fact("lost", paid=date(2024, 1, 1)), "lost", TODAY),
        (fact("with_requests", created=date(2026, 8, 23)), "new", date(2026, 8, 23)),  # 9 days old
        (fact("with_contacts", created=date(2026, 8, 22)), "cold", TODAY),         # 10 days old
        (fact("without_contacts"), "cold", TODAY),
    ])
    def test_the_first_rule_that_fits(self, facts, status, since):
        row = propose_start([facts], ladder(), TODAY).rows[0]
        assert (row.status, row.since) == (status, since)

    def test_the_hot_window_follows_the_settings(self):
        row = propose_start([fact("active", paid=date(2026, 8, 2))], ladder(hot_days=31), TODAY).rows[0]
        assert row.status == "hot"

    def test_a_payment_dated_after_today_counts_from_today(self):
        assert propose_start([fact("active", paid=date(2026, 9, 5))], ladder(), TODAY).rows[0].since == TODAY


class TestProposal:
    def test_counts_list_every_status_in_order_zeros_included(self):
        facts = [fact("active", paid=date(2026, 8, 30), number=1), fact("sleeping", number=2),
                 fact("without_contacts", number=3)]
        proposal = propose_start(facts, ladder(), TODAY)
        assert list(proposal.counts.items()) == [("new", 0), ("in_work", 0), ("hot", 1), ("warm", 0),
                                                 ("cold", 2), ("lost", 0)]

    def test_rows_come_in_client_order(self):
        facts = [fact(number=3), fact(number=1), fact(number=2)]
        assert [r.key for r in propose_start(facts, ladder(), TODAY).rows] == [("company", n) for n in (1, 2, 3)]


class TestConfirming:
    def test_a_confirmed_row_is_a_change_that_counts_from_its_since(self):
        confirmed = StartRow(("company", 1), "hot", date(2026, 8, 20)).change(datetime(2026, 9, 1, 15), author=1)
        h = ClientHistory(("company", 1), date(2020, 1, 1), changes=(confirmed,))
        settings = ladder(started_on=TODAY, raise_needs_call=True)
        now = standing(h, settings, TODAY)
        assert (now.status, now.since, now.drop_on) == ("hot", date(2026, 8, 20), date(2026, 9, 19))
