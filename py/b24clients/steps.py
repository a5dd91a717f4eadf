"""Long work cut into steps, so that a browser page can breathe between them.

Pyodide runs our Python on the page's main thread: a loop over 85,000
clients that runs in one go freezes the page for as long as it takes.  So
every pass over all clients is written as a step generator: it yields None
after every STEP items and `return`s its result (`x = yield from phase()`),
and whoever drives it awaits a pause between two steps (`with_pauses`) or
runs it in one go (`finish`: the command line, the tests).

The other thing that holds a thread for long is CPython's cyclic garbage
collector: its full pass visits every live container, and the aggregates of
85,000 clients are millions of them — a second and more in one go, inside
whichever step happened to trigger it.  What the engine and the
classification keep is plain acyclic data, freed by reference counting
whether the collector watches it or not; so once built it is moved out of the
collector's sight (`settle`), and the collector is held off while steps run.
"""

from __future__ import annotations

import gc
from collections.abc import Awaitable, Callable, Generator
from typing import TypeVar

T = TypeVar("T")
Steps = Generator[None, None, T]
"""A step generator: yields None between steps, returns its result."""

STEP = 2000
"""Items between two steps: a few milliseconds of CPython, about three times that in
Pyodide, far below the 200 ms a page may hold its main thread (spec/app.md)."""

CLIENT_STEP = 400
"""Items between two steps where each costs tens of microseconds of CPython: a client's
purchase history or row (2,000 of those made steps of 100 ms at 85k and 265 ms at 250k in
the benchmark, near a second in Pyodide), a REST row read into the aggregates (dates,
multi-fields, money: 2,000 took 50–90 ms of CPython at 30k, 200–400 ms tasks in Chromium)."""


def finish(steps: Steps[T]) -> T:
    """The result of a step generator run in one go."""
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value


async def with_pauses(steps: Steps[T], pause: Callable[[], Awaitable[None]]) -> T:
    """The result of a step generator, awaiting `pause()` between its steps, with the
    cyclic collector held off meanwhile and what the steps built settled at the end."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        while True:
            try:
                next(steps)
            except StopIteration as end:
                return end.value
            await pause()
    finally:
        settle()
        if collecting:
            gc.enable()


def settle() -> None:
    """Everything alive now leaves the cyclic collector's sight (`gc.freeze`): its full
    passes then visit only what was made since.  Reference counting still frees it."""
    gc.freeze()

