"""The ranks in steps (steps.py): a page computes them with pauses, and gets what the
one-go computation gives."""

from datetime import date

from b24clients.payments import purchases, purchases_steps
from b24clients.ranks import RankSettings, client_ranks, client_ranks_steps
from b24clients.snapshot import snapshot_from_data
from b24clients.steps import STEP
from syncfix import generated

TODAY = date(2026, 11, 23)


def drive(steps):
    pauses = 0
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value, pauses
        pauses += 1


def test_ranks_in_steps_equal_the_ranks_in_one_go_and_pause_every_step_of_purchases():
    snapshot = snapshot_from_data(generated(2500, 4))
    crm = snapshot.crm
    settings = RankSettings(method="clients")
    report, pauses = drive(client_ranks_steps(crm, TODAY, settings, snapshot.rates, {0, 1}))
    whole = client_ranks(crm, TODAY, settings, snapshot.rates, {0, 1})
    assert (report.ranks, report.measured, report.pareto) == (whole.ranks, whole.measured, whole.pareto)
    every, purchase_pauses = drive(purchases_steps(crm))
    assert every == purchases(crm) and purchase_pauses >= len(every) // STEP
    assert pauses > purchase_pauses + len(crm.contacts) // STEP
