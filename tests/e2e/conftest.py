"""Fixtures for driving the built bundle (dist/) in Debian's Chromium.

pytest-playwright provides `browser`; we point it at /usr/bin/chromium
(never `playwright install`), serve dist/ on loopback, and give every test
pages whose requests are guarded: anything not to 127.0.0.1, data: or blob:
is aborted, and the test fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundle_support import (  # noqa: E402
    OpenedPage,
    cannot_run,
    missing_bundle,
    open_guarded,
    serve_dist,
)


@pytest.fixture(scope="session")
def site_url():
    """dist/ served on 127.0.0.1 at a free port, for the whole session."""
    problem = missing_bundle()
    if problem:
        cannot_run(problem)
    with serve_dist() as url:
        yield url


@pytest.fixture
def open_page(browser, site_url):
    """Opens `path` of the bundle in a new context: desktop by default, or a
    phone (is_mobile, touch) with `phone=True`. Every context gets the request
    guard; at teardown the test fails if any request tried to leave loopback."""
    opened: list[tuple[object, OpenedPage]] = []

    def _open(path: str, **options) -> OpenedPage:
        context, result = open_guarded(browser, site_url + path, **options)
        opened.append((context, result))
        return result

    yield _open

    problems = [p.guard.problem() for _, p in opened if p.guard.problem()]
    for context, _ in opened:
        context.close()
    assert not problems, "; ".join(problems)
