"""Median time from navigation to the counts being shown, over fresh contexts.

    python tests/e2e/measure_first_paint.py [--runs 5] [--path "index.html?today=2026-11-23"]
    python build.py timing            # the same, building dist/ first if needed

Not a test (it only prints): each run boots Pyodide from scratch, which costs
seconds, so it stays out of the normal suite. One Chromium process, a new
incognito-like context per run: the cold start a user sees on first open
(Playwright's default contexts do not keep the 9.6 MB wasm in cache).
The number is `window.__pyReadyAt`, i.e. performance.now() (ms since
navigation start) right after the counts were painted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bundle_support import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    READY_OR_ERROR,
    READY_TIMEOUT_MS,
    RequestGuard,
    missing_bundle,
    serve_dist,
)


def one_run(browser, url: str) -> dict:
    """Open `url` in a new context; return the page's timing marks."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    guard = RequestGuard().install(context)
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(READY_OR_ERROR, timeout=READY_TIMEOUT_MS)
        marks = page.evaluate("""() => ({
            error: window.__pyError ?? null,
            ready: window.__pyReadyAt ?? null,
            started: window.__pyStartedAt ?? null,
            phases: window.__pyPhases ?? null,
        })""")
    finally:
        context.close()
    if marks["error"] is not None:
        raise SystemExit(f"the page failed: {marks['error']}")
    if guard.problem():
        raise SystemExit(guard.problem())
    return marks


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", default="index.html?today=2026-11-23")
    args = parser.parse_args(argv)

    problem = missing_bundle()
    if problem:
        print(problem, file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    runs = []
    with serve_dist() as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for i in range(args.runs):
                marks = one_run(browser, base + args.path)
                runs.append(marks)
                phases = ", ".join(f"{k} {v:.0f}" for k, v in (marks["phases"] or {}).items())
                print(f"run {i + 1}: counts shown at {marks['ready']:.0f} ms "
                      f"(our Python started at {marks['started']:.0f} ms; {phases})", flush=True)
        finally:
            browser.close()

    ready = statistics.median(r["ready"] for r in runs)
    started = statistics.median(r["started"] for r in runs)
    print(f"median navigation → counts shown: {ready:.0f} ms over {len(runs)} fresh contexts "
          f"(median Python start {started:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
