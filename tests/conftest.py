"""Suite-wide test ordering."""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)  # after pytest's own fixture-based reordering
def pytest_collection_modifyitems(session, config, items):
    """Run every browser test (any test using pytest-playwright's fixtures,
    here or in other folders) after all the others.

    pytest-playwright starts Playwright's sync API once per session and keeps
    it until the end; while it lives, the main thread counts as having a
    running asyncio loop, so any later test that calls asyncio.run() fails
    with "asyncio.run() cannot be called from a running event loop"
    (tests/sim/test_fidelity_peers.py and tests/sync do). The sort is stable.
    """
    items.sort(key=lambda item: "playwright" in getattr(item, "fixturenames", ()))
