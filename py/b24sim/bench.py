"""The benchmark (spec/sync.md "Benchmark"): the sync engine against the simulated
85k portal on its virtual clock, scenario by scenario, with the model's lower
bound and a peer's full read for comparison.

    python build.py bench [--clients 85000] [--seed 7] [--json FILE] [--history-only]

Printed: a table, and (with --json) one JSON object with, per scenario,
simulated_s, requests, sub_calls, operating_s per method, http_503, http_429,
wall_s, cpu_s, peak_rss_mb (the scenario's own peak, where Linux lets it be
reset), lower_bound_s and bound_ratio (simulated_s / lower_bound_s); and
`steps`: the longest step of each pass a browser page drives with pauses.
The history scenarios (history_bench.py) read one client's history on a
portal of the same size generated with long histories, and add items and
core_wall_s.

`second_run` is Refresh in a page left open (the first run's engine runs
again); `second_run.reload` is the same after a reload (a new engine reads
the store back).  The admin's engines share one bucket level, as the pages of
one browser do (`web.portal.StoredLevel`); the readers are other browsers.

The status ladder (issue 13) follows the sync engine's scenarios on the same
portal: its starting point confirmed, the first portal pass (the whole history
read once into the shared ledger), then a day later, with 1 % of the records
changed and 1 % of the clients called, the daily portal pass and a manager's.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import resource
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

from b24clients.classify import classification_steps
from b24clients.incremental import Classification
from b24clients.ladder import LadderSettings, propose_start, to_json
from b24clients.rest.gateway import Gateway
from b24clients.rest.pacing import MemoryLevel
from b24clients.steps import Steps, with_pauses
from b24clients.sync.engine import SyncEngine
from b24clients.sync.ladder.install import install_ladder
from b24clients.sync.ladder.manager_pass import manager_pass
from b24clients.sync.ladder.portal_pass import portal_pass
from b24clients.sync.ladder.start import confirm_start, read_open_deals, start_facts
from b24clients.web import listing
from b24clients.sync.reading import read_written
from b24clients.sync.store import MemoryStore

from .generate import generate
from .history_bench import history_scenarios
from .limits import CostModel, Plan, VirtualClock
from .portal import DEFAULT_START, Portal
from .transport import InProcessTransport, VirtualTime

TODAY = date(2026, 11, 23)
TARGETS = {"first_run.analytics": 300.0, "second_run": 15.0, "incremental": 60.0, "reader_first_open": 45.0}
READER_REQUESTS = 60
"""spec/sync.md "Who computes, who reads": a reader's dashboard in a few dozen requests."""


class Meter:
    """What one scenario cost on the portal: requests, sub-calls, operating seconds per method."""

    def __init__(self, portal: Portal):
        self.portal = portal
        _reset_peak()
        self.counters = dict(portal.counters)
        self.operating = dict(portal.operating_totals)
        self.clock = portal.clock.now()
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def figures(self, plan: Plan) -> dict:
        counters = {k: self.portal.counters[k] - self.counters.get(k, 0) for k in self.portal.counters}
        operating = {m: round(s - self.operating.get(m, 0.0), 2) for m, s in self.portal.operating_totals.items()
                     if s - self.operating.get(m, 0.0) > 0}
        simulated = round(self.portal.clock.now() - self.clock, 1)
        bound = lower_bound(counters["requests"], operating, plan)
        return {
            "simulated_s": simulated,
            "requests": counters["requests"],
            "sub_calls": counters["sub_calls"],
            "operating_s": operating,
            "http_503": counters["http_503"],
            "http_429": counters["http_429"],
            "wall_s": round(time.perf_counter() - self.wall, 1),
            "cpu_s": round(time.process_time() - self.cpu, 2),
            "peak_rss_mb": _peak_mb(),
            "lower_bound_s": bound,
            "bound_ratio": round(simulated / bound, 3) if bound else None,
        }


def _reset_peak() -> None:
    """Start a scenario's own peak (Linux: the process's high-water mark is reset)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _peak_mb() -> float:
    """The process's peak resident memory since `_reset_peak` (elsewhere: since it started)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def lower_bound(requests: int, operating: dict[str, float], plan: Plan) -> float:
    """The model's floor for a scenario, whatever the client does.

    Requests: the bucket lets X through at once, then Y a second: (R − X) / Y.
    Operating: any window of W seconds holds at most B of a method's seconds,
    so O seconds need at least (O − B) / B × W.  The larger of the two.
    """
    by_requests = max(0.0, (requests - plan.bucket_size) / plan.drain_per_s)
    by_operating = max((max(0.0, s - plan.operating_limit_s) / plan.operating_limit_s * plan.operating_window_s
                        for s in operating.values()), default=0.0)
    return round(max(by_requests, by_operating), 1)


def scenario_figures(meter: Meter, plan: Plan, result) -> dict:
    """A run's figures: until the write-back is done, and until the analytics were ready."""
    figures = meter.figures(plan)
    figures["analytics_ready_s"] = round(result.analytics_ready_at - meter.clock, 1)
    figures["written"] = result.write.get("written", 0)
    return figures


def run_engine(portal: Portal, store: MemoryStore, level: MemoryLevel, today: date,
               engine: SyncEngine | None = None) -> tuple[SyncEngine, object]:
    """A run of a new engine on `store` (a new page of the browser whose bucket level is
    `level`), or another run of `engine` (Refresh in an open page)."""
    if engine is None:
        clock = VirtualTime(portal.clock)
        engine = SyncEngine(Gateway(InProcessTransport(portal, clock), clock, shared=level), store, today=today)
    engine.today = today
    result = asyncio.run(engine.run())
    return engine, result


def timed(steps: Steps) -> tuple[float, object]:
    """A step generator driven as a page drives it (`steps.with_pauses`): its longest step
    in CPU milliseconds, and its result."""
    stretches: list[float] = []
    began = time.process_time()

    async def pause() -> None:
        nonlocal began
        stretches.append(time.process_time() - began)
        began = time.process_time()

    result = asyncio.run(with_pauses(steps, pause))
    stretches.append(time.process_time() - began)
    return round(max(stretches) * 1000, 1), result


def step_figures(engine: SyncEngine, today: date) -> dict:
    """The longest step of every pass a browser page drives with pauses, on the engine's
    aggregates after the first run (issue 11: none may hold the page's main thread long)."""
    cards, crm = engine.aggregates.cards, engine.aggregates.crm()
    figures: dict[str, float] = {}
    figures["classify"], rows = timed(classification_steps(crm, today))
    figures["classification_build"], _ = timed(Classification().build(crm, today))
    figures["build_rows"], list_rows = timed(listing.build_rows_steps(rows, cards, listing.linked_companies(crm)))
    passes: dict[str, Callable[[], Steps]] = {
        "counts": lambda: listing.counts_steps(list_rows),
        "managers": lambda: listing.managers_steps(list_rows, today),
        "created_per_month": lambda: listing.created_per_month_steps(cards, set(), today),
        **{f"sort.{column}": (lambda column=column: listing.sort_rows_steps(list_rows, column, True))
           for column in listing.COLUMNS},
    }
    for name, steps in passes.items():
        figures[name], _ = timed(steps())
    return figures


def run_reader(portal: Portal, user_id: int) -> dict:
    """A user who is not the computing admin opens the app on a new device: the reading run."""
    clock = VirtualTime(portal.clock)
    gateway = Gateway(InProcessTransport(portal, clock, user_id=user_id), clock)
    reading = asyncio.run(read_written(gateway))
    return {"user_id": user_id, "records": len(reading.records),
            "clients": sum(1 for r in reading.records if r.client_type != "company_contact")}


def reader_users(portal: Portal) -> dict[str, int]:
    """An own-records manager with the most contacts, and a non-admin who reads all."""
    users = portal.users.values()
    assigned: dict[str, int] = {}
    for row in portal.tables["contacts"].rows.values():
        assigned[str(row.get("ASSIGNED_BY_ID"))] = assigned.get(str(row.get("ASSIGNED_BY_ID")), 0) + 1
    own = max((u for u in users if u.get("CRM_ACCESS") == "own" and not u.get("ADMIN")),
              key=lambda u: assigned.get(str(u["ID"]), 0))
    reads_all = next(u for u in users if u.get("CRM_ACCESS") == "all" and not u.get("ADMIN"))
    return {"own": int(own["ID"]), "all": int(reads_all["ID"])}


def change_one_percent(portal: Portal, rnd: random.Random) -> dict:
    """1 % of contacts, companies and deals edited by a colleague, 0.1 % of contacts deleted."""
    now = portal.iso(portal.clock.now())
    changed = deleted = 0
    for table in ("contacts", "companies", "deals"):
        ids = portal.tables[table].ids
        for rid in rnd.sample(ids, max(1, len(ids) // 100)):
            row = dict(portal.tables[table].rows[rid])
            row.update(DATE_MODIFY=now, MODIFY_BY_ID="2")
            if table == "deals":
                row.update(STAGE_ID="WON", STAGE_SEMANTIC_ID="S", CLOSED="Y", CLOSEDATE=now)
            else:
                row["PHONE"] = [{"ID": "1", "VALUE": "+7 900 000-00-00", "VALUE_TYPE": "WORK", "TYPE_ID": "PHONE"}]
            portal.put_record(table, row)
            changed += 1
    contacts = portal.tables["contacts"].ids
    for rid in rnd.sample(contacts, max(1, len(contacts) // 1000)):
        portal.delete_record("contacts", rid)
        deleted += 1
    return {"changed": changed, "deleted": deleted}


def call_one_percent(portal: Portal, rnd: random.Random) -> int:
    """1 % of the companies and contacts get a completed call from their responsible, now."""
    now = portal.iso(portal.clock.now())
    next_id = max(portal.tables["activities"].ids, default=0)
    called = 0
    for table, type_id in (("companies", "4"), ("contacts", "3")):
        ids = portal.tables[table].ids
        for rid in rnd.sample(ids, max(1, len(ids) // 100)):
            next_id += 1
            called += 1
            owner = portal.tables[table].rows[rid].get("ASSIGNED_BY_ID")
            portal.put_record("activities", {
                "ID": str(next_id), "OWNER_TYPE_ID": type_id, "OWNER_ID": str(rid), "TYPE_ID": "2",
                "PROVIDER_ID": "VOXIMPLANT_CALL", "SUBJECT": "Call", "COMPLETED": "Y", "CREATED": now,
                "LAST_UPDATED": now, "START_TIME": now, "END_TIME": now, "DEADLINE": now, "AUTHOR_ID": owner,
                "RESPONSIBLE_ID": owner, "BINDINGS": [{"OWNER_TYPE_ID": type_id, "OWNER_ID": str(rid)}]})
    return called


def ladder_figures(meter: Meter, plan: Plan, report) -> dict:
    figures = meter.figures(plan)
    figures.update(ran=report.ran, full_read=report.full_read, read=report.read, events=report.events,
                   written=report.written, logged=report.logged, alarms=report.alarms, published=report.published,
                   stored_kb={code: stored_kb(meter.portal, code) for code in sorted(meter.portal.storages)})
    return figures


def stored_kb(portal: Portal, code: str) -> int:
    """What an entity storage holds in its items' texts (the ledger, the published statuses), in KB."""
    return round(sum(len(item.get("DETAIL_TEXT") or "") for item in portal.storages[code]["items"].values()) / 1024)


def run_ladder(portal: Portal, rows: list, cards: dict, plan: Plan, seed: int) -> dict[str, dict]:
    """The status ladder's scenarios (see the module's docstring), as the admin (user 1) and an own-records manager."""
    def gateway(user_id: int = 1) -> Gateway:
        clock = VirtualTime(portal.clock)
        return Gateway(InProcessTransport(portal, clock, user_id=user_id), clock)

    scenarios: dict[str, dict] = {}
    settings = LadderSettings()
    manager = reader_users(portal)["own"]
    portal.clock.sleep(plan.operating_window_s)
    meter = Meter(portal)
    asyncio.run(gateway().call("app.option.set", {"options": {"ladder": json.dumps(to_json(settings))}}))
    asyncio.run(install_ladder(gateway(), settings))
    today = portal.date()
    opened = asyncio.run(read_open_deals(gateway(), rows, settings))
    proposal = propose_start(start_facts(rows, cards, opened, settings, today), settings, today)
    started = asyncio.run(confirm_start(gateway(), proposal))
    scenarios["ladder_start"] = {**meter.figures(plan), "counts": dict(proposal.counts), "written": started.written}

    portal.clock.sleep(plan.operating_window_s)
    meter = Meter(portal)
    scenarios["ladder_first_pass"] = ladder_figures(meter, plan, asyncio.run(portal_pass(gateway())))

    portal.travel(days=1)
    rnd = random.Random(seed)
    changes = change_one_percent(portal, rnd)
    changes["called"] = call_one_percent(portal, rnd)
    meter = Meter(portal)
    daily = ladder_figures(meter, plan, asyncio.run(portal_pass(gateway())))
    scenarios["ladder_daily_pass"] = {**daily, **changes}
    meter = Meter(portal)
    scenarios["ladder_manager_pass"] = {**ladder_figures(meter, plan, asyncio.run(manager_pass(gateway(manager)))),
                                        "user_id": manager}
    return scenarios


def peer_read(data: dict, plan: Plan) -> dict:
    """fast-bitrix24's `get_all` over HTTP reading the same lists (virtual clock: figures, not waits)."""
    from fast_bitrix24 import Bitrix

    from .http import serve_in_thread

    portal = Portal(data, plan="off", clock=VirtualClock(DEFAULT_START), copy_data=False)
    meter = Meter(portal)
    rows = 0
    with serve_in_thread(portal) as face:
        client = Bitrix(face.webhook_url, verbose=False)
        for method, params in (("crm.contact.list", {"select": ["ID", "COMPANY_ID", "PHONE", "EMAIL", "WEB", "IM"]}),
                               ("crm.company.list", {"select": ["ID", "IS_MY_COMPANY"]}),
                               ("crm.deal.list", {"select": ["ID", "COMPANY_ID", "CONTACT_ID", "STAGE_SEMANTIC_ID"]}),
                               ("crm.activity.list", {"select": ["ID", "OWNER_TYPE_ID", "OWNER_ID"]}),
                               ("crm.requisite.list", {"select": ["ID", "ENTITY_TYPE_ID", "ENTITY_ID"]})):
            rows += len(client.get_all(method, params))
    figures = meter.figures(plan)
    figures["rows"] = rows
    figures["simulated_s"] = figures["lower_bound_s"]  # sequential costs mean nothing for a parallel client
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=85000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--no-peer", action="store_true", help="skip the fast-bitrix24 comparison")
    parser.add_argument("--history-only", action="store_true", help="only the history scenarios")
    args = parser.parse_args(argv)
    plan = Plan()
    started = time.perf_counter()
    report: dict = {"clients": args.clients, "seed": args.seed, "costs": CostModel().__dict__,
                    "plan": plan.__dict__, "scenarios": {}}
    if not args.history_only:
        sync_scenarios(args, plan, report)
    report["scenarios"].update(history_scenarios(args.clients, args.seed, plan, Meter))
    report["wall_s"] = round(time.perf_counter() - started, 1)
    report["peak_rss_mb"] = max(s["peak_rss_mb"] for s in report["scenarios"].values())
    print(table(report))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2)
    return 0


def sync_scenarios(args: argparse.Namespace, plan: Plan, report: dict) -> None:
    """The sync engine's first run, readers, second run and a run seven months on."""
    data = generate(args.clients, args.seed)
    gc.freeze()
    if not args.no_peer:  # first, while the data are as generated; it only reads
        report["scenarios"]["peer_fast_bitrix24_get_all"] = peer_read(data, plan)
    portal, store, level = Portal(data, plan=plan, copy_data=False), MemoryStore(), MemoryLevel()
    del data

    meter = Meter(portal)
    engine, first = run_engine(portal, store, level, TODAY)
    report["scenarios"]["first_run"] = scenario_figures(meter, plan, first)
    report["steps_ms"] = step_figures(engine, TODAY)

    for access, user_id in reader_users(portal).items():
        portal.clock.sleep(plan.operating_window_s)  # opened later: the first run's budgets have drained
        meter = Meter(portal)
        seen = run_reader(portal, user_id)
        report["scenarios"][f"reader_first_open.{access}"] = {**meter.figures(plan), **seen}

    portal.clock.sleep(plan.bucket_size / plan.drain_per_s)  # the admin's Refresh comes later than their opening:
    meter = Meter(portal)                                    # the readers' bursts, from other browsers, have drained
    _, second = run_engine(portal, store, level, TODAY, engine)
    report["scenarios"]["second_run"] = scenario_figures(meter, plan, second)
    del engine
    meter = Meter(portal)
    _, reloaded = run_engine(portal, store, level, TODAY)
    report["scenarios"]["second_run.reload"] = scenario_figures(meter, plan, reloaded)

    later = TODAY + timedelta(days=7 * 30 + 3)
    portal.clock.sleep((later - TODAY).days * 86400)
    changes = change_one_percent(portal, random.Random(args.seed))
    meter = Meter(portal)
    engine, incremental = run_engine(portal, store, level, later)
    report["scenarios"]["incremental"] = {**scenario_figures(meter, plan, incremental), **changes}
    report["scenarios"].update(run_ladder(portal, incremental.rows, engine.aggregates.cards, plan, args.seed))
    gc.unfreeze()


def table(report: dict) -> str:
    lines = [f"benchmark: {report['clients']} clients (seed {report['seed']}), standard plan, virtual clock",
             f"{'scenario':30} {'simulated_s':>11} {'bound_s':>8} {'×bound':>6} {'requests':>8} {'sub_calls':>9} "
             f"{'503':>4} {'429':>4} {'wall_s':>7} {'cpu_s':>7} {'rss_mb':>7}"]
    for name, s in report["scenarios"].items():
        ratio = f"{s['bound_ratio']:.2f}" if s.get("bound_ratio") else "-"
        lines.append(f"{name:30} {s['simulated_s']:>11} {s['lower_bound_s']:>8} {ratio:>6} {s['requests']:>8} "
                     f"{s['sub_calls']:>9} {s['http_503']:>4} {s['http_429']:>4} {s['wall_s']:>7} "
                     f"{s.get('cpu_s', '-'):>7} {s['peak_rss_mb']:>7}")
        if "analytics_ready_s" in s:
            lines.append(f"{'  analytics ready':30} {s['analytics_ready_s']:>11}   written {s['written']}")
        if "items" in s:
            lines.append(f"  company {s['company']}: {s['contacts']} contacts, {s['items']} items, "
                         f"pure core {s['core_wall_s']} s")
        if "events" in s:
            read = ", ".join(f"{k} {v}" for k, v in s["read"].items())
            lines.append(f"  ladder: read {read}; events {s['events']}; written {s['written']}, logged {s['logged']}, "
                         f"alarms {s['alarms'].get('created', 0)} created; stored KB {s['stored_kb']}")
        top = sorted(s["operating_s"].items(), key=lambda kv: -kv[1])[:4]
        lines.append("  operating_s: " + ", ".join(f"{m} {v}" for m, v in top))
    if "steps_ms" in report:
        steps = report["steps_ms"]
        worst = max(steps, key=steps.get)
        lines.append(f"longest step: {steps[worst]} ms ({worst}); " +
                     ", ".join(f"{name} {ms}" for name, ms in steps.items() if not name.startswith("sort.")) +
                     f", sort ≤ {max(ms for name, ms in steps.items() if name.startswith('sort.'))}")
    lines.append(f"total wall {report['wall_s']} s, peak memory {report['peak_rss_mb']} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
