"""Long work cut into steps, so that a browser page can breathe between them.

Pyodide runs our Python on the page's main thread: a loop over 85,000
clients that runs in one go freezes the page for as long as it takes.  So
every pass over all clients is written as a step generator: it yields None
after every STEP items and `return`s its result (`x = yield from phase()`),
and whoever drives it awaits a pause between two steps (`with_pauses`) or
runs it in one go (`finish`: the command line, the tests).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import TypeVar

T = TypeVar("T")
Steps = Generator[None, None, T]
"""A step generator: yields None between steps, returns its result."""

STEP = 2000
"""Items between two steps: a few milliseconds of CPython, about three times that in
Pyodide, far below the 200 ms a page may hold its main thread (spec/app.md)."""


def finish(steps: Steps[T]) -> T:
    """The result of a step generator run in one go."""
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value


async def with_pauses(steps: Steps[T], pause: Callable[[], Awaitable[None]]) -> T:
    """The result of a step generator, awaiting `pause()` between its steps."""
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value
        await pause()

