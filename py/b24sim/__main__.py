"""Command line of the simulated portal.

    python -m b24sim generate --clients N --seed S [--today YYYY-MM-DD] [--long-histories] -o FILE
    python -m b24sim serve (--snapshot FILE | --clients N [--seed S] [--long-histories]) [--host H] [--port P]
                           [--https] [--limits standard|enterprise|off] [--time-scale K] [--app DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date

from .generate import DEFAULT_TODAY, generate
from .http import add_serve_arguments, serve_command


def _enc(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def dump(snapshot: dict) -> bytes:
    """Compact UTF-8 JSON, the bytes `generate` writes (one-shot encoder: fast)."""
    return _enc(snapshot)


def write(snapshot: dict, path: str) -> int:
    """Write exactly `dump(snapshot)` to `path`, one top-level key at a time,
    so that only one collection's text is in memory at once. Returns the size."""
    size = 0
    with open(path, "wb") as f:
        sep = b"{"
        for key, value in snapshot.items():
            chunk = sep + _enc(key) + b":" + _enc(value)
            f.write(chunk)
            size += len(chunk)
            sep = b","
        f.write(b"}" if size else b"{}")
        size += 1 if size else 2
    return size


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return n


def _cmd_generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    size = write(generate(args.clients, args.seed, args.today, markup_last=args.markup_last,
                          long_histories=args.long_histories), args.output)
    if not args.quiet:
        print(f"b24sim: wrote {args.output}: {args.clients} clients, seed {args.seed}, "
              f"today {args.today.isoformat()}, {size / 1e6:.1f} MB "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m b24sim",
                                     description="The simulated Bitrix24 portal.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    gen = sub.add_parser("generate", help="write a synthetic portal snapshot (b24-snapshot/1)",
                         description="Write a seeded, deterministic synthetic portal snapshot.")
    gen.add_argument("--clients", type=_count, required=True,
                     help="number of clients (companies + contacts with no company)")
    gen.add_argument("--seed", type=int, required=True, help="random seed; same seed, same bytes")
    gen.add_argument("--today", type=_date, default=DEFAULT_TODAY,
                     help=f"the portal's today, nothing is dated later (default {DEFAULT_TODAY})")
    gen.add_argument("--long-histories", action="store_true",
                     help="add three companies of 1, 20 and 200 contacts with thousands of history items")
    gen.add_argument("-o", "--output", required=True, metavar="FILE", help="the snapshot file to write")
    gen.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    gen.add_argument("--markup-last", action="store_true",
                     help="names with markup put it after the name (the demo: they sort among the others)")
    gen.set_defaults(func=_cmd_generate)
    serve = sub.add_parser("serve", help="serve a portal over HTTP(S): REST, the portal shell, BX24.js",
                           description="Serve a simulated portal on 127.0.0.1 until Ctrl-C. The first line "
                                       "of output is the base URL and the webhook URL.")
    add_serve_arguments(serve)
    serve.set_defaults(func=serve_command)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
