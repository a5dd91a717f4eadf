"""The command line: `python -m b24clients classify SNAPSHOT.json [...]`.

Prints one JSON object on stdout.  A snapshot that cannot be read gives one
line on stderr naming the file and the problem, and exit status 2 — never a
traceback.
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
from .lifecycle import Thresholds
from .snapshot import SnapshotError, parse_snapshot

PROG = "b24clients"


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        thresholds = Thresholds(args.active_months, args.lost_months)
    except ValueError as error:
        parser.error(str(error))
    return args.run(args, thresholds)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Bitrix24 clients: classify a CRM's contacts and companies.")
    commands = parser.add_subparsers(dest="command", required=True)
    classify_cmd = commands.add_parser("classify", help="classify the clients of a b24-snapshot/1 file")
    classify_cmd.add_argument("snapshot", type=Path, help="a b24-snapshot/1 JSON file")
    classify_cmd.add_argument("--today", type=_iso_date, help="the portal date to classify on (default: today in the portal's offset)")
    classify_cmd.add_argument("--active-months", type=int, default=Thresholds().active_months, metavar="N")
    classify_cmd.add_argument("--lost-months", type=int, default=Thresholds().lost_months, metavar="N")
    classify_cmd.set_defaults(run=_run_classify)
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
    json.dump(classify_snapshot(snapshot, today, thresholds), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def _fail(message: str) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return 2
