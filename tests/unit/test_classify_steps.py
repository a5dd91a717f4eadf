"""Classification in steps (for a browser page): the same rows as in one go,
with a pause between its phases and every STEP_ROWS rows."""

from __future__ import annotations

import asyncio
from datetime import date

from b24clients import classify as classification
from b24clients.snapshot import snapshot_from_data
from b24sim.generate import generate

TODAY = date(2026, 11, 23)


def test_steps_give_the_same_rows_and_pause_between_phases_and_slices(monkeypatch):
    monkeypatch.setattr(classification, "STEP_ROWS", 100)
    crm = snapshot_from_data(generate(300, 4)).crm
    pauses = []

    async def pause() -> None:
        pauses.append(1)

    stepped = asyncio.run(classification.classify_with_pauses(crm, TODAY, pause=pause))
    whole = classification.classify(crm, TODAY)
    assert stepped == whole
    assert len(pauses) == 3 + len(whole) // 100
