"""The history scenarios of the benchmark (spec/history.md "Speed"; issue 12): one read of
the history of a company with 1, 20 and 200 contacts, at the standard plan's limits on the
virtual clock, on a portal generated with long histories.

Per client: requests, batch commands, simulated seconds and operating seconds of the read
(`read_history`, the gateway the page uses), the items it shows, and the wall time of the
pure core building them (`build_history` of the rows read) — the part that runs in the
browser after the last answer, and again when a cached history is shown.
"""

from __future__ import annotations

import asyncio
import time

from b24clients.history import build_history
from b24clients.rest.gateway import Gateway
from b24clients.sync.history import read_history

from .generate import generate
from .histories import long_clients
from .limits import Plan
from .portal import Portal
from .transport import InProcessTransport, VirtualTime


def history_scenarios(clients: int, seed: int, plan: Plan, meter) -> dict[str, dict]:
    """`meter(portal)` starts a scenario's figures (bench.Meter); one scenario per long history."""
    portal = Portal(generate(clients, seed, long_histories=True), plan=plan, copy_data=False)
    scenarios = {}
    for contacts, company in sorted(long_clients(portal.data).items()):
        portal.clock.sleep(plan.operating_window_s)   # opened on its own: earlier budgets have drained
        started = meter(portal)
        clock = VirtualTime(portal.clock)
        read = asyncio.run(read_history(Gateway(InProcessTransport(portal, clock), clock), ("company", company)))
        figures = started.figures(plan)
        began = time.perf_counter()
        build_history(("company", company), read.fetched, read.read_at.tzinfo, read.read_at)
        figures.update(company=company, contacts=contacts, items=len(read.history.items),
                       core_wall_s=round(time.perf_counter() - began, 2))
        scenarios[f"history.contacts_{contacts}"] = figures
    return scenarios
