"""The list's passes in steps (for a browser page): the same results as in one go,
with a pause every STEP rows, and the stepped sort still the stable sort of the spec."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from b24clients.classify import classify
from b24clients.snapshot import snapshot_from_data
from b24clients.steps import finish
from b24clients.web import listing
from b24sim.generate import generate

TODAY = date(2026, 11, 23)
STEP = 100


@pytest.fixture(autouse=True)
def small_steps(monkeypatch):
    monkeypatch.setattr(listing, "STEP", STEP)


@pytest.fixture(scope="module")
def portal():
    parsed = snapshot_from_data(generate(5000, 21))
    rows = classify(parsed.crm, TODAY)
    return parsed, rows, listing.build_rows(rows, parsed.cards, listing.linked_companies(parsed.crm))


def stepped(steps):
    """The result and the number of steps it took."""
    count = 0
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value, count
        count += 1


def test_building_in_steps_gives_the_rows_of_one_go_pausing_every_step_rows(portal):
    parsed, rows, whole = portal
    built, steps = stepped(listing.build_rows_steps(rows, parsed.cards, listing.linked_companies(parsed.crm)))
    assert built == whole and steps >= 2 * len(rows) // STEP


def test_counters_managers_and_months_in_steps_equal_one_go(portal):
    parsed, _, whole = portal
    counts, steps = stepped(listing.counts_steps(whole))
    assert counts == listing.counts(whole) and counts["clients"] == len(whole) and steps >= len(whole) // STEP
    managers, steps = stepped(listing.managers_steps(whole, TODAY))
    assert managers == listing.managers(whole, TODAY) and sum(m.total for m in managers) == len(whole)
    months, steps = stepped(listing.created_per_month_steps(parsed.cards, set(), TODAY))
    assert months == listing.created_per_month(parsed.cards, set(), TODAY)
    assert steps >= len(parsed.cards) // STEP


def reference_sort(rows, column, descending, names):
    """The one-shot sort as it was before steps: ID order, empties apart, one stable list.sort."""
    key, is_empty = listing._sort_key(column, names)
    ordered = sorted(rows, key=lambda row: row.order)
    filled = [row for row in ordered if not is_empty(row)]
    filled.sort(key=key, reverse=descending)
    return filled + [row for row in ordered if is_empty(row)]


@pytest.mark.parametrize("column", listing.COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_the_stepped_sort_is_the_stable_sort_in_both_directions(portal, column, descending):
    _, _, whole = portal
    shuffled = random.Random(column).sample(whole, len(whole))
    names = {uid: f"user {uid % 7}" for uid in range(0, 400, 3)}
    got, steps = stepped(listing.sort_rows_steps(shuffled, column, descending, names))
    want = reference_sort(shuffled, column, descending, names)
    assert [(r.entity, r.id) for r in got] == [(r.entity, r.id) for r in want]
    assert got == finish(listing.sort_rows_steps(whole, column, descending, names))
    assert steps >= len(whole) // STEP


def test_dates_sort_with_the_empty_ones_last_in_both_directions(portal):
    _, _, whole = portal
    for descending in (False, True):
        got = listing.sort_rows(whole, "last_payment", descending)
        filled = [r.last_payment for r in got if r.last_payment is not None]
        assert filled == sorted(filled, reverse=descending)
        assert all(r.last_payment is None for r in got[len(filled):])
        assert max(filled) - min(filled) > timedelta(days=365)
