"""Figures for the app in a portal (prints; not a test):

- navigation → cached dashboard painted (`__cachedViewAt`) and → live
  dashboard (`__pyReadyAt`), cold (HTTP cache cleared) and warm, medians;
- the first run on a generated portal at the simulated portal's limits
  (time scale 1 = real time by default): analytics ready and run done;
- the longest main-thread task during that run (PerformanceObserver
  "longtask" in the app's frame);
- with --reader instead: a portal whose fields an admin's run already wrote
  (computed in process first), opened on new devices by an own-records
  manager, a non-admin who reads all, and the admin: navigation → the
  dashboard of the reading run (spec/sync.md "Who computes, who reads");
- with --history instead: the company card tab of the long-history
  companies (1, 20 and 200 contacts) opened by an admin, first on an empty
  profile (read from the portal) and then again (the saved history first):
  navigation → history painted, at the portal's limits;
- with --planning instead: an own-records manager with about --manager
  clients opens the app (their own computing run); the mode's source read and
  banded behind the dashboard (after the run's end, its requests); then the
  Planning mode: click → every open group drawn,
  the requests and the longest main-thread task in between, Python's and the
  JS heap's memory after the run and after the click; then Plan a call on the
  first row: the load calendar's requests for the month, from the portal's log.

    python tests/browser/measure_app.py [--clients 10000] [--scale 1] [--runs 5] [--write-back]
                                        [--reader|--history|--planning [--manager 2000]]
    python build.py timing            # runs this after the bundle's own timing
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "py"), str(ROOT / "tests" / "e2e")]

from bundle_support import CHROMIUM, CHROMIUM_ARGS, DIST, RequestGuard, missing_bundle  # noqa: E402

from b24clients.settings import Settings, to_option  # noqa: E402
from b24sim.generate import generate  # noqa: E402
from b24sim.http import serve_in_thread  # noqa: E402
from b24sim.limits import RealClock  # noqa: E402
from b24sim.portal import Portal  # noqa: E402

LONG_TASKS = """
window.__longTasks = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
  }).observe({type: "longtask", buffered: true});
} catch (e) {}
window.__longFrames = [];
try {
  new PerformanceObserver((list) => {
    for (const f of list.getEntries()) window.__longFrames.push([f.startTime, f.duration,
      f.styleAndLayoutStart ? f.startTime + f.duration - f.styleAndLayoutStart : 0,
      (f.scripts || []).reduce((sum, s) => sum + s.duration, 0)]);
  }).observe({type: "long-animation-frame", buffered: true});
} catch (e) {}
"""


def frame_of(page):
    return page.frame(name=page.evaluate("() => window.__shell.config.frame_name"))


def wait(frame, condition: str, timeout_s: float) -> None:
    frame.wait_for_function(condition, timeout=timeout_s * 1000, polling=250)


STATE = """() => ({error: window.__runError || window.__pyError || null, tasks: window.__longTasks || [],
    started: window.__pyStartedAt, ready: window.__pyReadyAt, progress: window.__progressAt ?? null,
    classified: window.__classifiedAt ?? null, done: window.__runDone ?? null,
    classifiedPhases: window.__classifiedPhases ?? {},
    cached: window.__cachedViewAt ?? null, phases: window.__pyPhases ?? {}, wasm: window.__wasmBytes ?? null,
    heap: performance.memory ? performance.memory.usedJSHeapSize : null})"""


def tasks_between(state: dict, start: float | None, end: float | None) -> dict:
    """The main thread's long tasks (PerformanceObserver "longtask") started in [start, end]."""
    during = [d for at, d in state["tasks"] if (start is None or at >= start) and (end is None or at <= end)]
    return {"longest_task_ms": max(during, default=0.0), "tasks_over_50": len(during),
            "tasks_over_200": sum(1 for d in during if d > 200)}


def chromium_memory_mb(profile: Path) -> dict:
    """Memory of the browser under test and every process it started (renderers, GPU,
    zygotes): RSS summed (counts shared pages once per process, so an upper bound) and
    PSS summed (shared pages split between their sharers: the honest total).

    The browser is the process whose command line names this run's profile; the rest
    are its descendants, so the Chromium of another job on this machine is not counted.
    (Chromium rewrites a child's command line into one space-separated string, which
    is why the name is not looked for there.)"""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                commands[int(entry.name)] = (entry / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
    ours = {pid for pid, command in commands.items() if f"--user-data-dir={profile}".encode() in command}
    grown = True
    while grown:
        children = {pid for pid, parent in parents.items() if parent in ours} - ours
        grown = bool(children)
        ours |= children
    totals = {"rss_mb": 0.0, "pss_mb": 0.0, "processes": 0}
    for pid in ours:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
        except OSError:
            continue
        totals["processes"] += 1
        for line in rollup:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                totals[f"{key.lower()}_mb"] += int(rest.split()[0]) / 1024
    return totals


def storage_mb(frame) -> float | None:
    usage = frame.evaluate("() => navigator.storage && navigator.storage.estimate().then(e => e.usage)")
    return usage / 2**20 if usage is not None else None


def first_run(context, face, admin: int, timeout_s: float, profile: Path) -> dict:
    """The first run on an empty profile: phases from navigation, long tasks, memory."""
    page = context.new_page()
    page.goto(face.shell_url(user=admin))
    frame = frame_of(page)
    wait(frame, "() => window.__pyReadyAt !== undefined || window.__pyError !== undefined", 180)
    wait(frame, "() => window.__runDone !== undefined || window.__runError !== undefined "
                "|| window.__pyError !== undefined", timeout_s)
    state = frame.evaluate(STATE)
    figures = {"error": state["error"], "python_ready_ms": state["started"], "page_ready_ms": state["ready"],
               "first_progress_after_ready_ms": (state["progress"] - state["ready"]) if state["progress"] else None,
               "analytics_ms": state["classified"], "done_ms": state["done"],
               "js_heap_mb": state["heap"] / 2**20 if state["heap"] else None,
               "wasm_mb": state["wasm"] / 2**20 if state["wasm"] else None,
               "chromium": chromium_memory_mb(profile), "indexeddb_mb": storage_mb(frame)}
    figures.update(tasks_between(state, state["ready"], state["done"]))
    figures["after_classified"] = state["classifiedPhases"]
    figures["long_tasks"] = [(at - (state["classified"] or 0), d) for at, d in state["tasks"]
                             if d > 200 and at >= state["ready"]]
    figures["analytics_tasks"] = tasks_between(state, state["ready"], state["classified"])
    figures["page"] = page
    return figures


def refresh_unchanged(page, face) -> dict:
    """Refresh with nothing changed in the CRM, once the page is quiet after its run: time to
    done, the longest task, and the requests (seconds from the click to each one's arrival
    at the portal, and its answer).
    From the click event itself: Playwright's click first waits for the button to be
    visible, stable and hit (tens of milliseconds) before it presses it."""
    frame = frame_of(page)
    try:  # the page quiet first: the Planning mode's source is read behind a run's dashboard
        frame.wait_for_function("() => window.__planningBandedAt !== undefined", timeout=60_000)
    except Exception:
        print("  (the Planning source was not read within a minute of the run; Refresh timed anyway)")
    before = frame.evaluate("() => window.__runDone")
    served = len(face.requests)
    frame.evaluate("() => document.addEventListener('click', () => { window.__clickedAt = performance.now(); },"
                   " {capture: true, once: true})")
    began = frame.evaluate("() => performance.now()")
    asked = time.time()
    frame.locator("[data-action=refresh]").click()
    wait(frame, f"() => (window.__runDone || 0) > {before} || window.__runError !== undefined", 600)
    state = frame.evaluate(STATE)
    pressed = frame.evaluate("() => window.__clickedAt")
    clicked = asked + (pressed - began) / 1000  # the page's clock and ours run at one pace
    figures = {"error": state["error"], "refresh_ms": state["done"] - pressed, "call_ms": state["done"] - began,
               "requests": [(r["at"] - clicked, r.get("answered", r["at"]) - r["at"], r["method"])
                            for r in list(face.requests)[served:]]}
    figures.update(tasks_between(state, pressed, state["done"]))
    return figures


def open_times(context, face, admin: int, runs: int, *, cold: bool) -> list[dict]:
    """Reloads: the cached view from navigation, the live dashboard from navigation and
    after Python is ready, the longest task until live."""
    times = []
    for _ in range(runs):
        page = context.new_page()
        if cold:
            session = context.new_cdp_session(page)
            session.send("Network.clearBrowserCache")
        page.goto(face.shell_url(user=admin))
        frame = frame_of(page)
        wait(frame, "() => window.__pyReadyAt !== undefined || window.__pyError !== undefined", 180)
        state = frame.evaluate(STATE)
        times.append({"cached": state["cached"], "live": state["ready"], "after_python": state["ready"] - state["started"],
                      "phases": state["phases"], **tasks_between(state, state["started"], state["ready"])})
        page.close()
    return times


def prefilled(data: dict) -> dict:
    """The portal after an admin's computing run wrote the fields (in process, on virtual time)."""
    import asyncio

    from b24clients.rest.gateway import Gateway
    from b24clients.sync.engine import SyncEngine
    from b24clients.sync.provenance import OPTION, Provenance
    from b24clients.sync.store import MemoryStore
    from b24sim.transport import InProcessTransport, VirtualTime

    portal = Portal(data, copy_data=False)
    clock = VirtualTime(portal.clock)
    engine = SyncEngine(Gateway(InProcessTransport(portal, clock), clock), MemoryStore())
    result = asyncio.run(engine.run())
    snapshot = portal.snapshot()
    at = datetime.fromtimestamp(portal.clock.now(), timezone(timedelta(hours=3)))
    snapshot["_computed"] = Provenance(at=at, by_id=1, by_name="Admin", clients=result.counts["clients"]).to_option()
    snapshot["_option"] = OPTION
    return snapshot


def reader_opens(context, face, user: int) -> dict:
    """A new device: an empty profile's page, to the reading run's dashboard."""
    page = context.new_page()
    page.goto(face.shell_url(user=user))
    frame = frame_of(page)
    wait(frame, "() => window.__runDone !== undefined || window.__runError !== undefined "
                "|| window.__pyError !== undefined", 600)
    state = frame.evaluate("""() => ({error: window.__runError || window.__pyError || null,
        ready: window.__pyReadyAt, done: window.__runDone,
        clients: (document.querySelector('[data-total=clients]') || {}).textContent,
        tasks: (window.__longTasks || []).filter(t => t[0] >= window.__pyReadyAt).map(t => t[1])})""")
    page.close()
    return state


def readers(args) -> int:
    from playwright.sync_api import sync_playwright

    data = prefilled(generate(args.clients, args.seed))
    users = {"own": max((u for u in data["users"] if u.get("CRM_ACCESS") == "own" and not u.get("ADMIN")),
                        key=lambda u: sum(1 for c in data["contacts"] if c.get("ASSIGNED_BY_ID") == u["ID"])),
             "all, not admin": next(u for u in data["users"] if u.get("CRM_ACCESS") == "all" and not u.get("ADMIN")),
             "admin, new device": next(u for u in data["users"] if u.get("ADMIN") and u.get("CRM_ACCESS") == "all")}
    portal = Portal(data, clock=RealClock(args.scale), copy_data=False)
    portal.app_options["settings"] = to_option(Settings(write_back=True))
    portal.app_options[data["_option"]] = data["_computed"]
    print(f"reading run on a new device, {len(portal.tables['contacts'].rows):,} contacts / "
          f"{len(portal.tables['companies'].rows):,} companies (seed {args.seed}), time scale {args.scale:g}:")
    with serve_in_thread(portal, app_dir=DIST) as face, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for label, user in users.items():
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            guard = RequestGuard().install(context)
            context.add_init_script(LONG_TASKS)
            served = len(face.requests)
            state = reader_opens(context, face, int(user["ID"]))
            context.close()
            print(f"  {label:18} Python ready {state['ready'] / 1000:.1f} s, dashboard {state['done'] / 1000:.1f} s "
                  f"from navigation; {len(face.requests) - served} requests, {state['clients']} clients, "
                  f"longest task after Python was ready {max(state['tasks'], default=0):.0f} ms, error {state['error']}")
            if guard.problem():
                print(guard.problem(), file=sys.stderr)
                return 1
    return 0


def histories(args) -> int:
    from playwright.sync_api import sync_playwright

    from b24sim.histories import long_clients

    data = generate(args.clients, args.seed, long_histories=True)
    admin = next(int(u["ID"]) for u in data["users"] if u.get("ADMIN") and u.get("CRM_ACCESS") == "all")
    portal = Portal(data, clock=RealClock(args.scale), copy_data=False)
    print(f"company card tab, {len(portal.tables['contacts'].rows):,} contacts (seed {args.seed}), "
          f"time scale {args.scale:g}, from navigation:")
    with serve_in_thread(portal, app_dir=DIST) as face, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for contacts, company in sorted(long_clients(data).items()):
            context = browser.new_context(viewport={"width": 1366, "height": 768})
            guard = RequestGuard().install(context)
            context.add_init_script(LONG_TASKS)
            shown = []
            for _ in range(2):
                served = len(face.requests)
                page = context.new_page()
                page.goto(face.shell_url(user=admin, placement="CRM_COMPANY_DETAIL_TAB", options={"ID": str(company)},
                                         app="/app/index.html"))
                frame = frame_of(page)
                wait(frame, "() => window.__historyAt !== undefined || window.__historyError !== undefined "
                            "|| window.__pyError !== undefined", 600)
                shown.append(frame.evaluate("""() => ({error: window.__historyError || window.__pyError || null,
                    started: window.__pyStartedAt, cached: window.__historyCachedAt ?? null, fresh: window.__historyAt,
                    items: (document.querySelector('.history .list-tools__count') || {}).textContent,
                    tasks: (window.__longTasks || []).filter(t => t[0] >= window.__pyStartedAt).map(t => t[1])})"""))
                shown[-1]["requests"] = len(face.requests) - served
                page.close()
            context.close()
            cold, again = shown
            print(f"  {contacts:>3} contacts, {cold['items']}: first open {ms(cold['fresh'])} "
                  f"({ms(cold['fresh'] - cold['started'])} after Python is ready, {cold['requests']} requests); "
                  f"again: saved history {ms(again['cached'])} ({ms(again['cached'] - again['started'])} after "
                  f"Python), refreshed {ms(again['fresh'])}; longest task after Python was ready "
                  f"{max(cold['tasks'] + again['tasks'], default=0):.0f} ms; errors {cold['error']}, {again['error']}")
            if guard.problem():
                print(guard.problem(), file=sys.stderr)
                return 1
    return 0


PLANNING_CLICK = """() => new Promise(resolve => {
  const started = performance.now();
  const seen = new MutationObserver(() => {
    if (!document.querySelector('#panel .plan-groups[data-filled]')) return;
    seen.disconnect();
    const drawn = performance.now();
    requestAnimationFrame(() => setTimeout(() => resolve({started, drawn, painted: performance.now(),
      wasm: window.__planningWasmBytes ?? null, heap: performance.memory ? performance.memory.usedJSHeapSize : null,
      tasks: (window.__longTasks || []).filter(t => t[0] >= started).map(t => [t[0] - started, t[1]]),
      frames: (window.__longFrames || []).filter(f => f[0] >= started).map(f => [f[0] - started, ...f.slice(1)])})));
  });
  seen.observe(document.body, {childList: true, subtree: true, attributeFilter: ['data-filled']});
  document.querySelector('[data-mode=planning]').click();
})"""


def since(opened: dict, mark: str) -> float | None:
    return None if opened[mark] is None else opened[mark] - opened["started"]


def own_manager(data: dict, wanted: int) -> tuple[int, int]:
    """The own-records manager whose clients (contacts and companies they are responsible for)
    are nearest to `wanted`: (user ID, clients)."""
    owned: dict[str, int] = {}
    for table in ("contacts", "companies"):
        for row in data[table]:
            owned[row.get("ASSIGNED_BY_ID")] = owned.get(row.get("ASSIGNED_BY_ID"), 0) + 1
    users = [u for u in data["users"] if u.get("CRM_ACCESS") == "own" and not u.get("ADMIN") and u.get("ACTIVE")]
    best = min(users, key=lambda u: abs(owned.get(u["ID"], 0) - wanted))
    return int(best["ID"]), owned.get(best["ID"], 0)


def admin_of(data: dict) -> tuple[int, int]:
    """An admin who reads all: (user ID, every contact and company)."""
    admin = next(u for u in data["users"] if u.get("ADMIN") and u.get("CRM_ACCESS") == "all" and u.get("ACTIVE"))
    return int(admin["ID"]), len(data["contacts"]) + len(data["companies"])


def planning(args) -> int:
    from playwright.sync_api import sync_playwright

    data = generate(args.clients, args.seed)
    manager, clients = own_manager(data, args.manager) if args.manager else admin_of(data)
    portal = Portal(data, clock=RealClock(args.scale), copy_data=False)
    portal.app_options["settings"] = to_option(Settings(write_back=False))
    who = (f"manager #{manager} (own records) responsible for {clients:,} contacts and companies" if args.manager
           else f"admin #{manager}, all {clients:,} contacts and companies")
    print(f"Planning mode, {len(portal.tables['contacts'].rows):,} contacts / "
          f"{len(portal.tables['companies'].rows):,} companies (seed {args.seed}), time scale {args.scale:g}; {who}:")
    with serve_in_thread(portal, app_dir=DIST) as face, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        guard = RequestGuard().install(context)
        context.add_init_script(LONG_TASKS)
        page = context.new_page()
        page.goto(face.shell_url(user=manager))
        frame = frame_of(page)
        wait(frame, "() => window.__runDone !== undefined || window.__runError !== undefined "
                    "|| window.__pyError !== undefined", args.timeout)
        state = frame.evaluate(STATE)
        shown = frame.evaluate("() => (document.querySelector('[data-total=clients]') || {}).textContent")
        print(f"  their own run: dashboard done {ms(state['done'])} from navigation, {shown} clients, "
              f"error {state['error']}; then Python's WebAssembly memory {mb(megabytes(state['wasm']))}, "
              f"JS heap {mb(megabytes(state['heap']))}")
        wait(frame, "() => window.__planningBandedAt !== undefined || window.__pyError !== undefined", args.timeout)
        behind = frame.evaluate("() => [window.__runDone, window.__planningAt ?? null, window.__planningBandedAt]")
        done, read, banded = behind
        methods = [r["method"] for r in face.requests]
        source = methods[len(methods) - 1 - methods[::-1].index("user.current"):]  # the run asks it first
        print(f"  behind the dashboard: the Planning mode's source read {ms(read - done if read else None)} "
              f"after the run ended ({len(source)} requests: {', '.join(source)}), banded at "
              f"{ms(banded - done)}; longest main-thread task meanwhile "
              f"{tasks_between(frame.evaluate(STATE), done, banded)['longest_task_ms']:.0f} ms")
        served = len(face.requests)
        opened = frame.evaluate(PLANNING_CLICK)
        tasks = tasks_between(frame.evaluate(STATE), opened["started"], opened["painted"])
        rows = frame.evaluate("() => document.querySelectorAll('#panel tr.plan-row').length")
        asked = ", ".join(r["method"] for r in list(face.requests)[served:])
        print(f"  click → groups drawn {ms(opened['drawn'] - opened['started'])} (painted "
              f"{ms(opened['painted'] - opened['started'])}), {len(face.requests) - served} requests "
              f"({asked or 'none'}); {rows} rows drawn; "
              f"longest main-thread task {tasks['longest_task_ms']:.0f} ms, {tasks['tasks_over_200']} over 200 ms "
              f"({tasks['tasks_over_50']} over 50 ms); then Python's WebAssembly memory "
              f"{mb(megabytes(opened['wasm']))}, JS heap {mb(megabytes(opened['heap']))}")
        print(f"  after the click: groups drawn at {ms(since(opened, 'drawn'))}; tasks over 50 ms "
              f"(start, duration): {', '.join(f'{at:,.0f} ms +{d:.0f}' for at, d in opened['tasks']) or 'none'}; "
              f"long animation frames (start, duration: scripts, style and layout): "
              f"{', '.join(f'{at:,.0f} ms +{d:.0f}: {js:.0f}, {lay:.0f}' for at, d, lay, js in opened['frames']) or 'none'}")
        served = len(face.requests)
        frame.locator("#panel details[open] tr.plan-row [data-plan=call]").first.click()
        frame.locator("dialog.sheet[open] .plan-cal__day").first.wait_for(timeout=60_000)
        month = list(face.requests)[served:]
        print(f"  Plan a call, this month's load calendar: {len(month)} HTTP requests to the portal:")
        for request in month:
            commands = list((request["params"].get("cmd") or {}).values()) if request["method"] == "batch" else []
            print(f"    {request['method']}" + (f" of {len(commands)} chained pages, the first "
                                               f"{unquote(str(commands[0]))}" if commands else ""))
        context.close()
        if guard.problem():
            print(guard.problem(), file=sys.stderr)
            return 1
    return 0


def ms(value) -> str:
    return "n/a" if value is None else f"{value:,.0f} ms"


def megabytes(size: int | None) -> float | None:
    return size / 2**20 if size else None


def mb(value) -> str:
    return "n/a" if value is None else f"{value:,.0f} MB"


def median(values) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):,.0f} ms" if values else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="portal seconds per real second (1: real time)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write-back", action="store_true", help="also write the eight fields (slower)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for the first run")
    parser.add_argument("--reader", action="store_true", help="measure the reading run on new devices instead")
    parser.add_argument("--history", action="store_true", help="measure the company card tab instead")
    parser.add_argument("--planning", action="store_true", help="measure a manager's Planning mode instead")
    parser.add_argument("--manager", type=int, default=2000, help="--planning: the manager's clients, about (0: an admin, everyone's)")
    args = parser.parse_args()
    problem = missing_bundle()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if args.reader:
        return readers(args)
    if args.history:
        return histories(args)
    if args.planning:
        return planning(args)
    from playwright.sync_api import sync_playwright

    data = generate(args.clients, args.seed)
    admin = next(int(u["ID"]) for u in data["users"] if u.get("ADMIN") and u.get("CRM_ACCESS") == "all")
    portal = Portal(data, clock=RealClock(args.scale), copy_data=False)
    portal.app_options["settings"] = to_option(Settings(write_back=args.write_back))
    profile = Path(tempfile.mkdtemp(prefix="b24c-measure-"))
    try:
        with serve_in_thread(portal, app_dir=DIST) as face, sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport={"width": 1366, "height": 768})
            guard = RequestGuard().install(context)
            context.add_init_script(LONG_TASKS)
            run = first_run(context, face, admin, args.timeout, profile)
            page = run.pop("page")
            print(f"first run, {len(portal.tables['contacts'].rows):,} contacts / "
                  f"{len(portal.tables['companies'].rows):,} companies (seed {args.seed}), "
                  f"time scale {args.scale:g}, write-back {'on' if args.write_back else 'off'}, "
                  f"{len(face.requests)} requests, error {run['error']}:")
            print(f"  from navigation: Python ready {ms(run['python_ready_ms'])}, page ready {ms(run['page_ready_ms'])}, "
                  f"first progress {ms(run['first_progress_after_ready_ms'])} after that, "
                  f"analytics {ms(run['analytics_ms'])}, done {ms(run['done_ms'])}")
            tasks = run["analytics_tasks"]
            print(f"  until the numbers appear: longest main-thread task {tasks['longest_task_ms']:.0f} ms, "
                  f"{tasks['tasks_over_200']} tasks over 200 ms ({tasks['tasks_over_50']} over 50 ms)")
            print(f"  the whole run: longest task {run['longest_task_ms']:.0f} ms, "
                  f"{run['tasks_over_200']} over 200 ms ({run['tasks_over_50']} over 50 ms)")
            print(f"  memory after it: JS heap {mb(run['js_heap_mb'])}, Python's WebAssembly memory "
                  f"{mb(run['wasm_mb'])}, Chromium's {run['chromium']['processes']} processes "
                  f"PSS {mb(run['chromium']['pss_mb'])} (RSS summed {mb(run['chromium']['rss_mb'])}), "
                  f"IndexedDB {mb(run['indexeddb_mb'])}")
            print("  tasks over 200 ms (start, ms after the numbers were classified: length): " + ", ".join(
                f"{at:+,.0f}: {d:,.0f}" for at, d in run["long_tasks"]))
            print("  after the classification: " + ", ".join(f"{k} {v:,.0f} ms" for k, v in run["after_classified"].items()))
            refreshed = refresh_unchanged(page, face)
            print(f"Refresh with nothing changed: done in {ms(refreshed['refresh_ms'])} from the click "
                  f"({ms(refreshed['call_ms'])} from Playwright's click call), longest task "
                  f"{refreshed['longest_task_ms']:.0f} ms, {refreshed['tasks_over_200']} over 200 ms, "
                  f"error {refreshed['error']}")
            print(f"  its {len(refreshed['requests'])} requests (s after the click + s to answer): " + ", ".join(
                f"{at:.2f}+{took:.2f} {method}" for at, took, method in refreshed["requests"]))
            page.close()
            for cold in (True, False):
                times = open_times(context, face, admin, args.runs, cold=cold)
                label = "cold (HTTP cache cleared)" if cold else "warm"
                print(f"reload, {label}, median of {args.runs}: cached dashboard {median(t['cached'] for t in times)}, "
                      f"live dashboard {median(t['live'] for t in times)} from navigation, "
                      f"{median(t['after_python'] for t in times)} after Python is ready; longest task "
                      f"{max(t['longest_task_ms'] for t in times):.0f} ms, "
                      f"{max(t['tasks_over_200'] for t in times)} over 200 ms")
                parts = sorted({name for t in times for name in t["phases"]})
                print("  after Python is ready, medians: " + ", ".join(
                    f"{name} {median(t['phases'].get(name) for t in times)}" for name in parts))
            context.close()
            if guard.problem():
                print(guard.problem(), file=sys.stderr)
                return 1
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
