"""Suite-wide: test ordering, hypothesis without deadlines, and the browser every Playwright test launches."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from e2e.bundle_support import CHROMIUM, CHROMIUM_ARGS, cannot_run
from outcome import CALL_REPORT

settings.register_profile("b24clients", deadline=None)
settings.load_profile("b24clients")
"""No time limit per example: speed is measured by the benchmarks, and a loaded machine
(a CI runner, a build beside the tests) made a first example exceed the default 200 ms."""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium instead of Playwright's own download (never `playwright
    install`); keeps the keys pytest-playwright derives from its options
    (--headed, --slowmo)."""
    if not Path(CHROMIUM).exists():
        cannot_run(f"{CHROMIUM} is missing: `apt-get install chromium` "
                   "(or run `python build.py test`, which installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep the call phase's report on the item (`outcome.failed` reads it at teardown)."""
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    return report
