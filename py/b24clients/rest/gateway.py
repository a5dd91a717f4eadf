"""Calls, batches and whole lists, paced and retried (spec/sync.md "Gateway").

Big lists are read as chained ID windows: up to 50 `start=-1` commands in
one batch, each filtering `>ID` on the previous command's last row, so one
HTTP request brings up to 2,500 rows and the portal never counts.  A list is
either complete or the read raises: a failed or refused command restarts the
chain from the last full page, and nothing after a short page is used.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field

from ..records import ref_id
from .clock import Clock
from .errors import GatewayGaveUp, RestError
from .pacing import Limits, Pacer, SharedLevel, cost_class
from .query import build
from .transport import Transport, TransportLost

PAGE = 50
MAX_BATCH = 50
PASSING = frozenset({"OPERATION_TIME_LIMIT", "QUERY_LIMIT_EXCEEDED", "INTERNAL_SERVER_ERROR"})
"""A batch command's errors that pass with time: the command is asked again later."""


@dataclass
class Answer:
    result: object
    total: int | None = None
    next: int | None = None


@dataclass
class BatchAnswer:
    results: dict[str, object] = field(default_factory=dict)
    errors: dict[str, dict] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    time: dict = field(default_factory=dict)
    """The batch's own `time` block: when the portal ran it."""


@dataclass
class Stats:
    requests: int = 0
    sub_calls: int = 0
    http_503: int = 0
    http_429: int = 0
    retries: int = 0


def _command(method: str, params: Mapping) -> str:
    return f"{method}?{build(params)}" if params else method


class Gateway:
    def __init__(self, transport: Transport, clock: Clock, *, limits: Limits = Limits(),
                 max_in_flight: int = 8, attempts: int = 12, shared: SharedLevel | None = None):
        self.transport, self.clock = transport, clock
        self.pacer = Pacer(limits, shared)
        self.stats = Stats()
        self.attempts = attempts
        self.max_in_flight = max_in_flight
        self._slots: asyncio.Semaphore | None = None
        self._slots_loop = None

    def _slots_here(self) -> asyncio.Semaphore:
        """The in-flight limit of the running event loop: a semaphore belongs to one loop,
        and a gateway may outlive it (an engine run again under a new `asyncio.run`, as
        the benchmark and the tests do; a page has one loop)."""
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots_loop is not loop:
            self._slots, self._slots_loop = asyncio.Semaphore(self.max_in_flight), loop
        return self._slots

    async def call(self, method: str, params: Mapping | None = None) -> Answer:
        body = await self.call_raw(method, params)
        return Answer(body.get("result"), body.get("total"), body.get("next"))

    async def call_raw(self, method: str, params: Mapping | None = None) -> dict:
        """The whole answer, `time` block included (the portal's clock and offset are in it)."""
        params = dict(params or {})
        return await self._send(method, params, {(method, cost_class(method, params)): 1})

    async def batch(self, commands: Mapping[str, tuple[str, Mapping]], *, halt: bool = False) -> BatchAnswer:
        if len(commands) > MAX_BATCH:
            raise ValueError(f"a batch holds at most {MAX_BATCH} commands")
        runs = {key: (method, cost_class(method, params)) for key, (method, params) in commands.items()}
        calls: dict[tuple[str, str], int] = {}
        for run in runs.values():
            calls[run] = calls.get(run, 0) + 1
        cmd = {key: _command(method, params) for key, (method, params) in commands.items()}
        body = await self._send("batch", {"halt": 1 if halt else 0, "cmd": cmd}, calls, runs=runs)
        self.stats.sub_calls += len(commands)
        result = body.get("result") or {}
        return BatchAnswer(results=_keyed(result.get("result")), errors=_keyed(result.get("result_error")),
                           totals=_keyed(result.get("result_total")), time=body.get("time") or {})

    async def _send(self, method: str, params: dict, calls: dict[tuple[str, str], int],
                    runs: dict[str, tuple[str, str]] | None = None) -> dict:
        """One request with pacing and retries; `calls` counts the (method, cost class)
        pairs it runs, `runs` names a batch's commands' pairs.  What it will cost is
        estimated again after each wait: the answers that came meanwhile teach the pacer."""
        refreshed = False
        for attempt in range(self.attempts):
            async with self._slots_here():
                while (wait := self.pacer.wait_for(self.clock.now(), self.pacer.demands(calls))) > 0:
                    await self.clock.sleep(wait)
                demands = self.pacer.demands(calls)
                self.pacer.send(self.clock.now(), demands)
                self.stats.requests += 1
                try:
                    response = await self.transport.send(method, params)
                except TransportLost:
                    response = None
                finally:
                    self.pacer.settle(demands)
            now = self.clock.now()
            if response is not None and response.status == 200:
                self._observe(now, method, response.body, calls, runs)
                return response.body
            self.stats.retries += 1
            body = response.body if response is not None else {}
            code = str(body.get("error") or "")
            if response is None or response.status >= 500 and code != "QUERY_LIMIT_EXCEEDED":
                await self.clock.sleep(min(30.0, 1.0 * 2 ** attempt))
            elif code == "QUERY_LIMIT_EXCEEDED":
                self.stats.http_503 += 1
                self.pacer.refused(now)
                await self.clock.sleep(min(30.0, 0.5 * 1.5 ** attempt))
            elif code == "OPERATION_TIME_LIMIT":
                self.stats.http_429 += 1
                self.pacer.blocked(now, method)
            elif code == "expired_token" and not refreshed:
                refreshed = True
                await self.transport.refresh()
            else:
                raise RestError(response.status, code, str(body.get("error_description") or ""), method)
        raise GatewayGaveUp(f"{method}: no usable answer after {self.attempts} attempts")

    def _observe(self, now: float, method: str, body: dict, calls: dict[tuple[str, str], int],
                 runs: dict[str, tuple[str, str]] | None) -> None:
        if runs is None:  # one call: its one (method, cost class) pair
            (_, kind), = calls
            self.pacer.observe(now, method, body.get("time"), kind)
            return
        times = _keyed((body.get("result") or {}).get("result_time"))
        for key, block in times.items():
            command, kind = runs.get(key, (key, key))
            self.pacer.observe(now, command, block, kind)
        for key, error in _keyed((body.get("result") or {}).get("result_error")).items():
            if isinstance(error, dict) and error.get("error") == "OPERATION_TIME_LIMIT":
                self.stats.http_429 += 1
                self.pacer.blocked(now, runs.get(key, (key, key))[0])

    async def read_all(self, method: str, params: Mapping | None = None, *, id_key: str = "ID",
                       items: bool = False) -> AsyncIterator[list[dict]]:
        """Every row of one list, in ID order, one batch of 50 chained windows at a time."""
        spec = ListSpec(method, dict(params or {}), id_key, items, pages=MAX_BATCH)
        while not spec.complete:
            rows = (await self.read_many({"list": spec}, until_complete=False))["list"]
            if rows:
                yield rows

    async def read_many(self, specs: Mapping[str, ListSpec], *, until_complete: bool = True) -> dict[str, list[dict]]:
        """Several lists at once: their chains share batches of up to 50 commands.

        Each spec chains `pages` commands at first (a guess from what the caller
        knows), then 50 at a time for whatever is not complete yet.
        """
        rows: dict[str, list[dict]] = {name: [] for name in specs}
        while True:
            pending = [(name, spec) for name, spec in specs.items() if not spec.complete]
            if not pending:
                return rows
            commands: dict[str, tuple[str, dict]] = {}
            plan: list[tuple[str, ListSpec, int]] = []
            room = MAX_BATCH
            for name, spec in pending:
                chain = min(spec.pages, room)
                if chain <= 0:
                    break
                for i in range(chain):
                    commands[f"{name}.{i}"] = spec.command(i, f"{name}.{i - 1}")
                plan.append((name, spec, chain))
                room -= chain
            answer = await self.batch(commands)
            for name, spec, chain in plan:
                got, complete = _chain_rows(answer, [f"{name}.{i}" for i in range(chain)], spec)
                rows[name].extend(got)
                spec.advance(got, complete)
            if not until_complete:
                return rows


@dataclass
class ListSpec:
    """One list being read as chained ID windows, and how far it has got."""

    method: str
    params: dict
    id_key: str = "ID"
    items: bool = False
    pages: int = MAX_BATCH
    last: object = 0
    complete: bool = False
    rows_key: str | None = None
    """Where the rows sit in an answer when it is an object other than crm.item's
    `items` ("documents" for crm.documentgenerator.document.list)."""
    denied_is_empty: bool = False
    """An "Access denied" answer means there is nothing this user may see (a record's
    timeline comments): the list is complete, not failed."""
    rows: int | None = None
    """How many rows the list holds, when counted: a chain then asks for the pages left,
    not for a whole batch (a month of 8,460 contacts read 30 empty pages at its end, and
    each costs the portal as much as a full one)."""
    read: int = 0
    """Rows read so far."""

    @property
    def key(self) -> str | None:
        """The answer's key that holds the rows; None when the answer is the list."""
        return "items" if self.items else self.rows_key

    def command(self, i: int, previous: str) -> tuple[str, dict]:
        params = dict(self.params)
        path = f"[{self.key}]" if self.key else ""
        bound = self.last if i == 0 else f"$result[{previous}]{path}[{PAGE - 1}][{self.id_key}]"
        params["filter"] = {**(params.get("filter") or {}), f">{self.id_key}": bound}
        params["order"] = {self.id_key: "ASC"}
        params["start"] = -1
        return self.method, params

    def advance(self, rows: list[dict], complete: bool) -> None:
        """Move past what was read; a list longer than guessed gets twice the pages next
        time (empty commands still cost the portal), up to a whole batch, or as many as
        its counted rows still need, or two once past its count.  The next
        window starts after the last row whose ID is readable: a row with an impossible
        ID is read again, and skipped again, rather than derail the chain."""
        last = next((rid for rid in (ref_id(row.get(self.id_key)) if isinstance(row, Mapping) else None
                                     for row in reversed(rows)) if rid is not None), None)
        if last is not None:
            self.last = last
        elif rows and not complete:
            raise RestError(200, "BAD_ANSWER", f"{len(rows)} rows and not one readable ID", self.method)
        self.complete = complete
        self.read += len(rows)
        if self.rows is not None and self.read < self.rows:
            self.pages = min(MAX_BATCH, (self.rows - self.read) // PAGE + 1)
        elif self.rows is not None:  # past its count (rows came since, or it was a share): a few more, doubling
            self.rows, self.pages = None, 2
        else:
            self.pages = min(MAX_BATCH, max(2, self.pages * 2))


def _chain_rows(answer: BatchAnswer, keys: list[str], spec: ListSpec) -> tuple[list[dict], bool]:
    """The rows of a chain up to its first short page (complete) or first failure (to be resumed)."""
    rows: list[dict] = []
    for key in keys:
        if key in answer.errors:
            error = answer.errors[key]
            if spec.denied_is_empty and is_denied(error):
                return rows, True
            if error.get("error") not in PASSING:
                raise RestError.of_command(error, spec.method)
            return rows, False
        page = answer.results.get(key)
        page = (page or {}).get(spec.key, []) if spec.key else page
        if not isinstance(page, list):
            raise RestError(200, "BAD_ANSWER", f"command {key} returned {type(page).__name__}", spec.method)
        rows.extend(page)
        if len(page) < PAGE:
            return rows, True
    return rows, False


def is_denied(error: Mapping) -> bool:
    """An answer refusing for rights: `ACCESS_DENIED` ("Access denied!", crm.item.*, *.items.get)
    or the legacy lists' empty code with "Access denied." (bitrix24-rest.md §10)."""
    code = str(error.get("error") or "")
    text = str(error.get("error_description") or "")
    return code == "ACCESS_DENIED" or (not code and text.lower().startswith("access denied"))


def _keyed(value: object) -> dict:
    """A PHP array from JSON: [] or a list means numeric keys."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    return {}
