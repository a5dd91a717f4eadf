"""The whole sync engine in the page: BX24.js transport + IndexedDB store, on a
generated portal served over HTTP on a sped-up real clock.  It classifies
exactly as the `classify` command does on the same snapshot, writes the same
values as the engine in CPython, and a page killed mid-run resumes from the
next month on its next open."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl

import pytest

from b24clients.sync.fields import UF_NAMES
from b24clients.sync.months import next_month
from b24sim.limits import RealClock
from b24sim.portal import Portal
from syncfix import TODAY, expected, generated, sync

pytestmark = pytest.mark.e2e

CLIENTS, SEED = 300, 1
SCALE = 20.0
"""Portal seconds per real second, for the portal and for the page's gateway alike."""
RUN_S = 180
CREATED = ("createdTime", "DATE_CREATE", "DATE_INSERT", "CREATED")
"""The kinds' creation fields (sync/plan.py): a month is read with `>=` on them."""


@pytest.fixture(scope="module")
def data():
    return generated(CLIENTS, SEED)


@pytest.fixture(scope="module")
def want(data):
    return json.loads(json.dumps(expected(data), default=str))


def start(opened, portal, *, write_back=False):
    """The engine in the page, its gateway's clock running as the portal's."""
    opened.call("engine_start", scale=portal.clock.scale, origin=portal.clock._origin_real,
                today=TODAY.isoformat(), write_back=write_back)


def finish(opened) -> dict:
    opened.frame.wait_for_function("() => window.__engine.done", timeout=RUN_S * 1000, polling=200)
    error = opened.frame.evaluate("() => window.__engine.error")
    assert error is None, error
    return opened.call("engine_result")


def fields_of(portal: Portal) -> dict:
    return {(table, rid): tuple(row.get(name) for name in UF_NAMES)
            for table in ("contacts", "companies") for rid, row in portal.tables[table].rows.items()}


def months_read(requests) -> list[str]:
    """The months whose records a list of served requests asked for (`>=` on a creation field)."""
    months = []
    for request in requests:
        commands = (request["params"].get("cmd") or {}).values() if request["method"] == "batch" else []
        for command in commands:
            for key, value in parse_qsl(command.partition("?")[2]):
                if any(key == f"filter[>={name}]" for name in CREATED):
                    months.append(value[:7])
    return months


def test_the_engine_in_the_page_classifies_and_writes_like_cpython(serve, browsing, data, want):
    portal = Portal(data, clock=RealClock(SCALE))
    face = serve(portal)
    opened = browsing.open(face.shell_url(user=1, app="/app/harness.html"))
    began = time.monotonic()
    start(opened, portal, write_back=True)
    result = finish(opened)
    wall = time.monotonic() - began
    assert result["counts"] == want["counts"]
    assert result["clients"] == want["clients"]
    assert result["first_run"] is True and result["http_503"] == 0 and result["http_429"] == 0

    reference = Portal(data)
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        pool.submit(sync, reference).result()  # the same engine in CPython, in process, with write-back
    assert fields_of(portal) == fields_of(reference)
    assert any(values != (None,) * len(UF_NAMES) for values in fields_of(portal).values())

    ns = opened.call("context")["ns"]
    saved = opened.call("store", op="load", ns=ns)
    assert saved["meta"]["phase"] == "done" and saved["chunks"]
    print(f"\nin-page engine, {CLIENTS} clients at {SCALE:g}x: {wall:.1f} s wall "
          f"(engine {result['seconds']:.1f} s), {result['requests']} requests, {len(saved['chunks'])} chunks")


def test_a_page_closed_mid_run_resumes_from_the_next_month(serve, browsing, data, want):
    portal = Portal(data, clock=RealClock(SCALE / 4))  # slower, so the run is surely cut in its months
    face = serve(portal)
    context = browsing.context()
    first = browsing.open(face.shell_url(user=1, app="/app/harness.html"), context=context)
    start(first, portal)
    first.frame.wait_for_function("() => window.__engine.months.length >= 12 || window.__engine.done",
                                  timeout=RUN_S * 1000, polling=20)
    reported = first.frame.evaluate("() => Array.from(window.__engine.months)")
    first.page.goto("about:blank")  # the tab goes away mid-run
    assert not first.page.evaluate("() => window.__engine")  # (the page is gone)

    second = browsing.open(face.shell_url(user=1, app="/app/harness.html"), context=context)
    ns = second.call("context")["ns"]
    saved = second.call("store", op="load", ns=ns)
    done_through = saved["meta"]["done_through"]
    assert saved["meta"]["phase"] == "months" and done_through >= reported[-1]
    assert done_through < TODAY.isoformat()[:7]
    mark = len(face.requests)

    start(second, portal)
    result = finish(second)
    assert result["counts"] == want["counts"] and result["clients"] == want["clients"]
    resumed = second.frame.evaluate("() => Array.from(window.__engine.months)")
    assert resumed[0] == next_month(done_through) and resumed[-1] == TODAY.isoformat()[:7]
    read_again = months_read(list(face.requests)[mark:])
    assert read_again and min(read_again) == next_month(done_through)  # nothing before it was fetched again
