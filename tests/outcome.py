"""A test's outcome, kept on its item (tests/conftest.py's makereport hook) for the
fixtures that share one booted page between tests: at a test's teardown they read it
and, after a failure, boot the page afresh for the next test, so that no test inherits
a state a failed one left behind."""

from __future__ import annotations

import pytest

CALL_REPORT = pytest.StashKey[pytest.TestReport]()
"""The report of an item's call phase."""


def failed(item) -> bool:
    """Whether `item`'s call failed or never ran (a fixture of its setup failed); for teardowns."""
    report = item.stash.get(CALL_REPORT, None)
    return report is None or report.failed
