"""Classification in steps (for a browser page): the same rows as in one go, and
every pass over the records cut every STEP items — the purchases included."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from b24clients import classify as classification
from b24clients import clients, payments
from b24clients.snapshot import snapshot_from_data
from b24clients.steps import finish
from b24sim.generate import generate

TODAY = date(2026, 11, 23)
SMALL = 10


@pytest.fixture
def small_steps(monkeypatch):
    for module in (classification, clients, payments):
        monkeypatch.setattr(module, "STEP", SMALL)


def test_steps_give_the_same_rows_as_one_go_and_pause_inside_every_long_pass(small_steps):
    crm = snapshot_from_data(generate(400, 4)).crm
    pauses = []

    async def pause() -> None:
        pauses.append(1)

    stepped = asyncio.run(classification.classify_with_pauses(crm, TODAY, pause=pause))
    whole = classification.classify(crm, TODAY)
    assert stepped == whole
    loops = [len(crm.deals), len(crm.invoices), len(crm.deals),  # deals, invoices, then at least the deals' groups
             len(crm.contacts), len(crm.with_activities), 2 * len(crm.contacts), len(crm.companies), len(whole)]
    assert len(crm.invoices) > 10 * SMALL, "the portal must have purchases enough to need cutting"
    assert len(pauses) >= sum(n // SMALL for n in loops)


def test_the_old_protocol_ends_with_the_rows():
    """`classify_steps` yields None between steps and the rows last (the page's first callers)."""
    crm = snapshot_from_data(generate(300, 5)).crm
    *between, rows = classification.classify_steps(crm, TODAY, pipelines={0})
    assert set(between) == {None} and rows == finish(classification.classification_steps(crm, TODAY,
                                                                                       pipelines={0}))
