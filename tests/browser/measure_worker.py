"""The worker option of issue 11, measured (docs/app.md "Pauses, not a worker").

    python tests/browser/measure_worker.py [--clients 85000] [--seed 7]

A probe page (worker_probe/) loads the vendored Pyodide as the app does; then a
module worker loads a second one, unpacks our package and imports the engine;
then the worker hands the portal's classified rows (made here in CPython) to
the page as JSON, which the page's Python parses.  Printed: the worker's boot
and import times, Chromium's PSS before and after it booted and after the
hand-over, and the page's long tasks meanwhile.  Served from 127.0.0.1 only;
needs `python build.py build` first (dist/vendor, dist/py)."""

from __future__ import annotations

import argparse
import http.server
import json
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parents[1] / "py")]
from measure_app import CHROMIUM, CHROMIUM_ARGS, DIST, chromium_memory_mb  # noqa: E402


def classified_rows(clients: int, seed: int) -> str:
    from b24clients.classify import classify
    from b24clients.snapshot import snapshot_from_data
    from b24sim.generate import generate

    rows = classify(snapshot_from_data(generate(clients, seed)).crm, date.today())
    return json.dumps([row.to_json() for row in rows])


def serve(rows: Path) -> http.server.ThreadingHTTPServer:
    probe = HERE / "worker_probe"

    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript"}

        def translate_path(self, path: str) -> str:
            path = path.split("?")[0].lstrip("/")
            if path == "rows.json":
                return str(rows)
            return str(DIST / path if path.startswith(("vendor/", "py/")) else probe / path)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=85_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work, sync_playwright() as pw:
        rows = Path(work) / "rows.json"
        rows.write_text(classified_rows(args.clients, args.seed))
        server = serve(rows)
        profile = Path(work) / "profile"
        context = pw.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
        page.wait_for_function("() => window.__pageReady !== undefined", timeout=180_000)
        time.sleep(2)
        before = chromium_memory_mb(profile)
        mark = page.evaluate("() => performance.now()")
        ready_ms = page.evaluate("() => startWorker()")
        time.sleep(2)
        booted = chromium_memory_mb(profile)
        handed = page.evaluate("() => handOver()")
        time.sleep(2)
        after = chromium_memory_mb(profile)
        tasks = page.evaluate(f"() => window.__tasks.filter(t => t[0] >= {mark}).map(t => Math.round(t[1]))")
        page_ms = page.evaluate("() => window.__pageReady")
        context.close()
        server.shutdown()
    print(f"{args.clients:,} clients (seed {args.seed}): {handed['rows_count']:,} classified rows, "
          f"{handed['rows_mb']:.0f} MB of JSON")
    print(f"  the page's Pyodide ready in {page_ms:,.0f} ms; the worker's with the engine imported "
          f"{ready_ms:,.0f} ms after it was asked for (boot {handed['boot_ms']:,.0f} ms, "
          f"imports {handed['import_ms']:,.0f} ms)")
    print(f"  Chromium PSS: {before['pss_mb']:,.0f} MB before the worker, {booted['pss_mb']:,.0f} MB with it booted, "
          f"{after['pss_mb']:,.0f} MB after the hand-over")
    print(f"  the hand-over: the worker's json.loads / json.dumps {handed['parse_ms']:,.0f} / {handed['dump_ms']:,.0f} ms, "
          f"the page's json.loads {handed['page_parse_ms']:,.0f} ms, done {handed['total_ms']:,.0f} ms after it was asked")
    print(f"  the page's tasks over 50 ms meanwhile: {tasks or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
