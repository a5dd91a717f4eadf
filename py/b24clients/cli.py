"""The command line.

    python -m b24clients classify SNAPSHOT.json [--today D] [--active-months 6] [--lost-months 18]
    python -m b24clients sync --portal WEBHOOK_URL [--state DIR] [--no-write] [--today D]

`classify` prints one JSON object on stdout; a snapshot that cannot be read,
or options it cannot use (a date whose thresholds fall off the calendar),
give one line on stderr naming the problem, and exit status 2 — never a
traceback, whatever the file or the options hold.  `sync` reads a portal through its webhook, keeps its
progress in --state (Ctrl-C or a kill at any moment loses nothing: the next
run resumes), shows a progress line on a terminal, and prints the counts.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from datetime import date, datetime, timezone
from pathlib import Path

from .classify import classify_snapshot
from .dates import today_in
from .lifecycle import Boundaries, Thresholds
from .snapshot import SnapshotError, parse_snapshot

PROG = "b24clients"


class _Parser(argparse.ArgumentParser):
    """argparse, except that a bad command line is one line on stderr and status 2,
    like every other failure of this command (no usage block)."""

    def error(self, message: str):
        self.exit(2, f"{PROG}: {message} (see {self.prog} --help)\n")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        thresholds = Thresholds(args.active_months, args.lost_months)
    except ValueError as error:
        parser.error(str(error))
    return args.run(args, thresholds)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Bitrix24 clients: classify a CRM's contacts and companies.")
    commands = parser.add_subparsers(dest="command", required=True)
    classify_cmd = commands.add_parser("classify", help="classify the clients of a b24-snapshot/1 file")
    classify_cmd.add_argument("snapshot", type=Path, help="a b24-snapshot/1 JSON file")
    classify_cmd.add_argument("--today", type=_iso_date, help="the portal date to classify on (default: today in the portal's offset)")
    classify_cmd.add_argument("--active-months", type=int, default=Thresholds().active_months, metavar="N")
    classify_cmd.add_argument("--lost-months", type=int, default=Thresholds().lost_months, metavar="N")
    classify_cmd.set_defaults(run=_run_classify)
    sync_cmd = commands.add_parser("sync", help="read a portal, classify its clients, write the fields back")
    sync_cmd.add_argument("--portal", required=True, metavar="WEBHOOK_URL",
                          help="an inbound webhook, https://portal.bitrix24.ru/rest/1/code/")
    sync_cmd.add_argument("--state", type=Path, help="where progress is kept (default .b24clients/<portal>-<user>)")
    sync_cmd.add_argument("--no-write", action="store_true", help="classify only; leave the CRM's fields alone")
    sync_cmd.add_argument("--today", type=_iso_date, help="the portal date to classify on (default: the portal's today)")
    sync_cmd.add_argument("--cafile", help="a CA certificate to verify the portal with (a test portal's own)")
    sync_cmd.add_argument("--active-months", type=int, default=Thresholds().active_months, metavar="N")
    sync_cmd.add_argument("--lost-months", type=int, default=Thresholds().lost_months, metavar="N")
    sync_cmd.set_defaults(run=_run_sync)
    return parser


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-11-23: {text!r}")


def _run_classify(args: argparse.Namespace, thresholds: Thresholds) -> int:
    try:
        text = args.snapshot.read_text(encoding="utf-8")
        snapshot = parse_snapshot(text, source=str(args.snapshot))
    except SnapshotError as error:
        return _fail(str(error))
    except UnicodeDecodeError:
        return _fail(f"{args.snapshot}: not UTF-8 text")
    except OSError as error:
        return _fail(f"{args.snapshot}: cannot read the file ({error.strerror or error.__class__.__name__})")
    gc.freeze()  # the snapshot lives until exit: keep the collector off its millions of objects
    today = args.today or today_in(snapshot.utc_offset, datetime.now(timezone.utc))
    try:
        Boundaries.on(today, thresholds)
    except (ValueError, OverflowError):
        return _fail(f"--today {today.isoformat()} with {thresholds.lost_months} months before it is off the calendar")
    json.dump(classify_snapshot(snapshot, today, thresholds), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2


def _run_sync(args: argparse.Namespace, thresholds: Thresholds) -> int:
    import asyncio

    from .rest.clock import SystemClock
    from .rest.errors import GatewayGaveUp, RestError
    from .rest.gateway import Gateway
    from .rest.http_transport import HttpTransport
    from .sync.engine import SyncEngine
    from .sync.store import FileStore

    try:
        transport = HttpTransport(args.portal, cafile=args.cafile)
    except ValueError as error:
        return _fail(str(error))
    state = args.state or Path(".b24clients") / _state_name(args.portal)
    engine = SyncEngine(Gateway(transport, SystemClock()), FileStore(state), thresholds=thresholds,
                        today=args.today, write_back=not args.no_write, on_progress=ProgressLine(sys.stderr))
    try:
        result = asyncio.run(engine.run())
    except KeyboardInterrupt:
        print(f"\nstopped; progress is kept in {state} and the next run resumes", file=sys.stderr)
        return 130
    except RestError as error:
        return _fail(f"the portal refused: {error}")
    except GatewayGaveUp as error:
        return _fail(f"the portal did not answer ({error}); run again to resume")
    ProgressLine(sys.stderr).finish()
    summary = {"first_run": result.first_run, "counts": result.counts, "write": result.write,
               "problems": [problem.to_json() for problem in result.problems]}
    json.dump(summary, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _state_name(url: str) -> str:
    """portal host and webhook user: one state per portal and per user, never shared."""
    from urllib.parse import urlparse

    parsed = urlparse(url)
    parts = [p for p in parsed.path.split("/") if p]
    user = parts[1] if len(parts) > 1 else "app"
    return f"{parsed.hostname}-{parsed.port or ''}-user{user}".replace("--", "-")


class ProgressLine:
    """One line redrawn in place on a terminal: phase, month, records, time left."""

    def __init__(self, stream):
        self.stream = stream
        self.live = stream.isatty()

    def __call__(self, progress) -> None:
        if not self.live:
            return
        if progress.months_total:
            done = progress.months_done / progress.months_total
            bar = "#" * int(done * 20) + "-" * (20 - int(done * 20))
            where = f"[{bar}] {progress.month or ''} {done:4.0%}"
        else:
            where = progress.phase
        left = f"  about {_duration(progress.eta_s)} left" if progress.eta_s else ""
        self.stream.write(f"\r{where}  {progress.records:,} records{left}".ljust(78))
        self.stream.flush()

    def finish(self) -> None:
        if self.live:
            self.stream.write("\n")


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}" if minutes else f"{secs} s"
