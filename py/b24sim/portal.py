"""The simulated Bitrix24 portal, in process: `Portal.call(method, params, auth=...)`.

One call goes through what a cloud portal does, in its order: authenticate,
the leaky bucket (503), the method's operating budget (429), the method
itself, then the envelope with its `time` block.  Every call costs simulated
server seconds (the cost model) plus a network round trip on the portal's
clock, so a client that waits for each answer pays for it.

Reference: bitrix24-rest.md §1 (envelope, errors), §4 (limits), §5 (auth).
"""

from __future__ import annotations

import bisect
import copy
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date as _Date, datetime, timedelta, timezone

from . import query
from .limits import PLANS, CostModel, LeakyBucket, OperatingMeter, Plan, VirtualClock
from .store import (
    COMMENT_OWNER_TABLE,
    ENTITY_TYPE_OF,
    TABLES,
    Access,
    Table,
    access_for,
)

PAGE = 50
TOKEN_LIFETIME_S = 3600
DEPENDENTS = {"contacts": ("activities", "requisites", "companies", "documents", "timeline_comments"),
              "companies": ("activities", "requisites", "contacts", "documents", "timeline_comments"),
              "deals": ("activities", "documents", "timeline_comments"), "invoices": ("activities", "documents"),
              "legacy_invoices": ("activities",)}
"""Tables whose list answers depend on another's rows: visibility follows owners, link arrays follow links."""
COMMENT_OWNER_TYPES = {name: ENTITY_TYPE_OF[table] for name, table in COMMENT_OWNER_TABLE.items()}
"""A timeline comment's ENTITY_TYPE as an entity type ID ("deal" → 2)."""
DEFAULT_START = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=3))).timestamp()


class RestError(Exception):
    """A documented REST error: HTTP status, `error` code and `error_description`."""

    def __init__(self, status: int, code: str, description: str, **extra: object):
        super().__init__(f"{code}: {description}")
        self.status, self.code, self.description, self.extra = status, code, description, extra

    def body(self) -> dict:
        return {"error": self.code, "error_description": self.description, **self.extra}


ACCESS_DENIED_LEGACY = (400, "", "Access denied.")
NOT_FOUND_LEGACY = (400, "", "Not found")


@dataclass
class Answer:
    """What a method returns before it is wrapped in the envelope."""

    result: object
    cost: float
    total: int | None = None
    next: int | None = None


@dataclass
class Reply:
    status: int
    body: dict
    seconds: float = 0.0
    """How long the request took on the portal's clock: round trip plus processing."""


@dataclass(frozen=True)
class Caller:
    user_id: int
    principal: str
    """The app or the webhook: operating time is counted per principal and method."""
    access: Access


@dataclass
class Faults:
    """Faults on demand, consumed in order (bitrix24-rest.md §5; spec/portal-sim.md)."""

    server_errors: int = 0
    """The next N requests answer HTTP 500 INTERNAL_SERVER_ERROR."""
    drops: int = 0
    """The next N requests lose their connection (no answer at all)."""
    slow_s: float = 0.0
    slow_calls: int = 0
    """The next N requests take `slow_s` extra seconds."""
    denied_users: set[int] = field(default_factory=set)
    """Users the app is not opened to: 403 user_access_error."""
    after_page: list[Callable[["Portal"], None]] = field(default_factory=list)
    """Run once each, right after the next list page is served (rows changing between pages)."""


class Portal:
    def __init__(self, snapshot: Mapping, *, plan: str | Plan = "standard", costs: CostModel = CostModel(),
                 clock=None, copy_data: bool = True):
        """`copy_data=False` hands the snapshot over (the benchmark: one copy of 85k clients, not two)."""
        from .methods import METHODS  # the method table imports Portal's helpers

        self.methods = METHODS
        self.data = copy.deepcopy(dict(snapshot)) if copy_data else dict(snapshot)
        offset = str((self.data.get("portal") or {}).get("utc_offset") or "+03:00")
        sign = -1 if offset.startswith("-") else 1
        hours, minutes = offset.lstrip("+-").split(":")
        self.tz = timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
        self.plan = PLANS[plan] if isinstance(plan, str) else plan
        self.costs = costs
        self.clock = clock or VirtualClock(DEFAULT_START)
        self.bucket = LeakyBucket(self.plan)
        self.operating = OperatingMeter(self.plan)
        self.faults = Faults()
        self.tables = {name: Table(self.data.get(name) or []) for name in TABLES}
        self.bindings: list[dict] = list(self.data.get("contact_companies") or [])
        self.statuses: list[dict] = list(self.data.get("statuses") or [])
        self.userfields: list[dict] = list(self.data.get("userfields") or [])
        self.app_options: dict = {}
        self.user_options: dict[int, dict] = {}
        self.placements: list[dict] = []
        self.notifications: list[dict] = []
        """Every notification sent, tagged ones replaced in place (effects.py); `inbox(user)` for what is left."""
        self.writes: list[dict] = []
        # The status ladder's effects (ladder_methods.py, entity_storage.py, effects.py):
        self.pings: list[dict] = []
        """To-do pings: scheduled, skipped (already past), cancelled, rung."""
        self.ping_queue: list[tuple] = []
        self.ping_offsets: dict[int, list[int]] = {}
        """A to-do's pingOffsets (minutes before its deadline), by activity ID."""
        self.timeline_entries: list[dict] = []
        """System timeline entries the portal writes itself (a rung ping's PING entry)."""
        self.log_messages: list[dict] = []
        """crm.timeline.logmessage.add entries, deleted ones removed."""
        self.feed_posts: list[dict] = []
        self.reassignments: list[dict] = []
        """Every change of a record's responsible (ASSIGNED_BY_ID, a to-do's RESPONSIBLE_ID)."""
        self.storages: dict[str, dict] = {}
        """The app's entity.* storages by ENTITY: name, rights, properties, items."""
        self.sequences: dict[str, int] = {}
        self.installed = False
        self.tokens: dict[str, tuple[int, float]] = {}
        self.refresh_tokens: dict[str, int] = {}
        self.webhooks: dict[str, int] = {}
        self.lock = threading.RLock()
        self._query_cache: dict[str, dict[tuple, list[dict]]] = {}
        self._range_cache: dict[str, dict[str, tuple[list, list[tuple[object, int]]]]] = {}
        self._item_cache: dict[str, dict[int, dict]] = {}
        """Per table, so that a change drops only its own table's entries."""
        self._links_cache: tuple[dict, dict] | None = None
        self._value_cache: dict[str, dict[str, dict[object, list[int]]]] = {}
        """Per table and field: value → IDs (ascending), the index an equality or IN filter uses."""
        self._owner_cache: dict[str, dict[tuple[int, int], list[int]]] = {}
        """Activities by each (OWNER_TYPE_ID, OWNER_ID) of their BINDINGS; comments by their owner."""
        self.counters = {"requests": 0, "sub_calls": 0, "http_503": 0, "http_429": 0}
        self.operating_totals: dict[str, float] = {}
        """Operating seconds per method since the portal started, for benchmarks."""

    # --- identities ---------------------------------------------------------

    @property
    def users(self) -> dict[int, dict]:
        return self.tables["users"].rows

    @property
    def timeline_comments(self) -> list[dict]:
        """Every timeline comment, in ID order: the snapshot's and those added through REST."""
        table = self.tables["timeline_comments"]
        return [table.rows[i] for i in table.ids]

    def issue_token(self, user_id: int) -> dict:
        """An app's OAuth pair for a user, as the install or the frame hands it over."""
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        self.tokens[access] = (user_id, self.clock.now() + TOKEN_LIFETIME_S)
        self.refresh_tokens[refresh] = user_id
        return {"access_token": access, "refresh_token": refresh, "expires_in": TOKEN_LIFETIME_S,
                "user_id": user_id, "member_id": self.member_id, "domain": self.domain}

    def refresh(self, refresh_token: str) -> dict:
        user_id = self.refresh_tokens.pop(refresh_token, None)
        if user_id is None:
            raise RestError(400, "invalid_grant", "Invalid refresh token")
        return self.issue_token(user_id)

    def expire_tokens(self) -> None:
        """Fault: every access token issued so far has expired (401 expired_token)."""
        self.tokens = {t: (u, self.clock.now() - 1) for t, (u, _) in self.tokens.items()}

    def add_webhook(self, user_id: int, code: str | None = None) -> str:
        code = code or secrets.token_hex(8)
        self.webhooks[code] = user_id
        return code

    @property
    def domain(self) -> str:
        return str((self.data.get("portal") or {}).get("domain") or "demo.bitrix24.ru")

    @property
    def member_id(self) -> str:
        return str((self.data.get("portal") or {}).get("member_id") or "demo")

    def access(self, user_id: int) -> Access:
        user = self.users.get(user_id)
        if user is None:
            raise RestError(401, "authorization_error", "Unable to authorize user")
        return access_for(user, self.users, self.tables["departments"].rows)

    def _caller(self, auth: str | None, webhook: tuple[int, str] | None) -> Caller:
        if webhook is not None:
            user_id, code = webhook
            if self.webhooks.get(code) != int(user_id):
                raise RestError(401, "NO_AUTH_FOUND", "Wrong authorization data")
            return Caller(int(user_id), f"webhook:{code}", self.access(int(user_id)))
        if not auth:
            raise RestError(401, "NO_AUTH_FOUND", "Wrong authorization data")
        if auth not in self.tokens:
            raise RestError(401, "invalid_token", "Unable to get application by token")
        user_id, expires = self.tokens[auth]
        if expires <= self.clock.now():
            raise RestError(401, "expired_token", "The access token provided has expired.")
        return Caller(user_id, "app", self.access(user_id))

    # --- one call -------------------------------------------------------------

    def call(self, method: str, params: Mapping | None = None, *, auth: str | None = None,
             webhook: tuple[int, str] | None = None, advance_clock: bool = True) -> Reply:
        """One HTTP request's worth of work.  Raises ConnectionResetError for a dropped connection.

        The clock then moves on by the request's duration, unless a caller that
        keeps several requests in flight on a virtual clock schedules that itself
        (`advance_clock=False`, reading `Reply.seconds`).
        """
        with self.lock:
            reply, seconds = self._call(method, dict(params or {}), auth, webhook)
        reply.seconds = seconds
        if advance_clock:
            self.clock.advance(seconds)
        return reply

    def _call(self, method: str, params: dict, auth, webhook) -> tuple[Reply, float]:
        self.counters["requests"] += 1
        if self.ping_queue:
            self.ring_pings()
        rtt = self.costs.network_rtt_s
        if self.faults.drops:
            self.faults.drops -= 1
            raise ConnectionResetError("the portal dropped the connection")
        if self.faults.server_errors:
            self.faults.server_errors -= 1
            return Reply(500, {"error": "INTERNAL_SERVER_ERROR", "error_description": "Internal server error"}), rtt
        extra = 0.0
        if self.faults.slow_calls:
            self.faults.slow_calls -= 1
            extra = self.faults.slow_s
        method = method.lower().removesuffix(".json")
        arrived = self.clock.now()
        try:
            caller = self._caller(auth, webhook)
            if caller.user_id in self.faults.denied_users:
                raise RestError(403, "user_access_error", "The user does not have access to the application.")
            if not self.bucket.admit(arrived):
                self.counters["http_503"] += 1
                raise RestError(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")
            if method == "batch":
                from .batch import run_batch

                result, processing = run_batch(self, caller, params)
                body = {"result": result, "time": self.time_block(arrived + rtt / 2, processing, None, caller)}
                return Reply(200, body), rtt + processing + extra
            answer = self.run(method, params, caller)
        except RestError as error:
            if error.status == 429:
                self.counters["http_429"] += 1
            return Reply(error.status, error.body()), rtt + extra
        body = {"result": answer.result}
        if answer.next is not None:
            body["next"] = answer.next
        if answer.total is not None:
            body["total"] = answer.total
        body["time"] = self.time_block(arrived + rtt / 2, answer.cost, method, caller)
        return Reply(200, body), rtt + answer.cost + extra

    def run(self, method: str, params: dict, caller: Caller) -> Answer:
        """A method under its operating budget; used directly by batch for each command."""
        handler = self.methods.get(method)
        if handler is None:
            raise RestError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
        key = (caller.principal, method)
        now = self.clock.now()
        if self.operating.blocked(key, now):
            raise RestError(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.")
        answer = handler(self, caller, params)
        self.operating.record(key, now, answer.cost)
        self.operating_totals[method] = self.operating_totals.get(method, 0.0) + answer.cost
        return answer

    def time_block(self, start: float, processing: float, method: str | None, caller: Caller) -> dict:
        """An answer's `time`; with a method, its operating figures (batch commands use it too)."""
        finish = start + processing
        block = {
            "start": round(start, 6), "finish": round(finish, 6), "duration": round(processing, 6),
            "processing": round(processing, 6),
            "date_start": self.iso(start), "date_finish": self.iso(finish),
        }
        if method is not None:
            key = (caller.principal, method)
            block["operating_reset_at"] = self.operating.reset_at(key, start)
            block["operating"] = round(self.operating.used(key, start), 6)
        return block

    def iso(self, moment: float) -> str:
        return datetime.fromtimestamp(moment, self.tz).replace(microsecond=0).isoformat()

    def moment(self, value: object) -> float | None:
        """An ISO datetime (without an offset: the portal's time zone) as a timestamp; None if unreadable."""
        if value in (None, ""):
            return None
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=self.tz)).timestamp()

    def date(self) -> _Date:
        """Today on the portal's calendar."""
        return datetime.fromtimestamp(self.clock.now(), self.tz).date()

    # --- time travel and what the portal does by itself (effects.py) -----------------

    def travel(self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0,
               to: object = None) -> dict:
        """Move the portal clock forward (between two opens of the app) by an amount, or
        `to` a moment (ISO text or a datetime; without an offset, the portal's time zone),
        and ring every to-do ping passed on the way.  Returns {from, to, now, date, rung}."""
        from . import effects

        with self.lock:
            amount = days * 86400 + hours * 3600 + minutes * 60 + seconds
            if to is not None:
                target = self.moment(to.isoformat() if isinstance(to, datetime) else to)
                if target is None:
                    raise ValueError(f"not a moment: {to!r}")
                amount += target - self.clock.now()
            return effects.travel(self, amount)

    def ring_pings(self) -> list[dict]:
        """Ring the to-do pings whose moment has passed (done on every request and by travel)."""
        from . import effects

        with self.lock:
            return effects.ring_due(self)

    def inbox(self, user_id: int) -> list[dict]:
        """The notifications a user still has (tagged ones replaced by their newer twin)."""
        from . import effects

        return effects.inbox(self, user_id)

    # --- lists ------------------------------------------------------------------

    def touch(self, table: str | None = None, rid: int | None = None, *, links: bool = True) -> None:
        """Data changed — in `table` (row `rid`), or anywhere — so drop only what it made stale:
        query results and range indexes of the tables that depend on it, the crm.item
        shape of that row, and the contact↔company links when they may have moved.
        (One update must not cost a rebuild of everything: write-back sends 100k.)"""
        stale = set(DEPENDENTS.get(table, ())) | {table} if table else set(self.tables)
        for name in stale:
            self._query_cache.pop(name, None)
            self._range_cache.pop(name, None)
            self._value_cache.pop(name, None)
            self._owner_cache.pop(name, None)
        if links:
            self._links_cache = None
            self._item_cache.pop("contacts", None)
            self._item_cache.pop("companies", None)
        if table is not None and rid is not None:
            self._item_cache.get(table, {}).pop(rid, None)
        elif table is not None:
            self._item_cache.pop(table, None)
        else:
            self._item_cache.clear()

    def delete_record(self, table: str, rid: int) -> None:
        """A record deleted in the CRM (by someone else: tests, faults, the generator's churn)."""
        self.tables[table].delete(rid)
        self.touch(table, rid)

    def put_record(self, table: str, row: dict) -> None:
        """A record created or changed in the CRM by someone else."""
        self.tables[table].add(row)
        self.touch(table, int(row.get("ID", row.get("id"))))

    def visible(self, caller: Caller, table: str) -> Callable[[Mapping], bool]:
        access = caller.access
        return lambda row: access.sees(table, row, self.resolve)

    def resolve(self, table: str | None, rid: int | None) -> dict | None:
        if table is None or rid is None:
            return None
        return self.tables[table].rows.get(rid)

    def list_page(self, table: str, params: Mapping, caller: Caller, *, shape: Callable[[dict], dict] | None,
                  id_key: str, allow_logic: bool, default_order: str | None = None,
                  rows: Callable[[], list[dict]] | None = None) -> tuple[list[dict], int | None, int | None, float]:
        """One page of a list method: (rows, total, next, cost).

        `start=-1` returns up to 50 rows without counting (`total` 0, no `next`);
        any other `start` counts every match, which costs per matching row.
        """
        filter_spec = _param(params, "filter")
        order = _param(params, "order") or {(default_order or id_key): "ASC"}
        try:
            predicate = query.compile_filter(filter_spec, allow_logic=allow_logic, tz=self.tz)
        except query.QueryError as error:
            raise RestError(400, "", str(error))
        start = _start(params)
        visible = self.visible(caller, table)
        source = rows or (lambda: [self.tables[table].rows[i] for i in self.tables[table].ids])
        shaped = shape or (lambda row: row)

        def matches(row: dict) -> bool:
            return visible(row) and predicate(shaped(row))

        if start < 0:
            window = self._id_window(table, filter_spec, order, id_key, shaped) if rows is None else None
            if window is None:
                page = query.sort_rows([shaped(r) for r in source() if matches(r)], order, default=id_key)[:PAGE]
            else:
                page = []
                for row in window:
                    if matches(row):
                        page.append(shaped(row))
                        if len(page) == PAGE:
                            break
            self._after_page()
            return page, 0, None, self.costs.list_page(None)
        key = (repr(filter_spec), repr(order), caller.user_id, allow_logic, id(rows))
        everything = self._query_cache.get(table, {}).get(key)
        if everything is None:
            window = self._id_window(table, filter_spec, order, id_key, shaped) if rows is None else None
            candidates = window if window is not None else source()
            everything = [shaped(r) for r in candidates if matches(r)]
            if window is None:
                everything = query.sort_rows(everything, order, default=id_key)
            self._query_cache.setdefault(table, {})[key] = everything
        total = len(everything)
        page = everything[start:start + PAGE]
        nxt = start + PAGE if start + PAGE < total else None
        self._after_page()
        return page, total, nxt, self.costs.list_page(total)

    def _id_window(self, table: str, filter_spec: object, order: object, id_key: str, shaped):
        """Rows in ascending ID order that can match, when the query asks for exactly
        that order: after a `>ID` bound, and within a range on one other field
        (a month's creation dates) when the filter has one.  The keyset read then
        touches only its window, as an indexed query does."""
        if not isinstance(order, Mapping) or list(order.items()) not in ([(id_key, "ASC")], [(id_key, "asc")]):
            return None
        bound = 0.0
        spec = filter_spec if isinstance(filter_spec, Mapping) else {}
        for key in (f">{id_key}", f">={id_key}"):
            value = spec.get(key)
            if isinstance(value, (int, str)) and str(value).strip().lstrip("-").isdigit():
                bound = max(bound, float(value) - (1 if key.startswith(">=") else 0))
        rows = self.tables[table].rows
        listed = spec.get(f"@{id_key}")
        if isinstance(listed, list):  # fetch by IDs: straight to those rows
            wanted = sorted({int(i) for i in listed if str(i).strip().isdigit()})
            return (rows[i] for i in wanted if i > bound and i in rows)
        equal = self._value_candidates(table, spec, id_key, shaped)
        if equal is not None:
            return (rows[i] for i in equal if i > bound)
        ranged = self._range_candidates(table, spec, id_key, shaped)
        if ranged is not None:
            return (rows[i] for i in ranged if i > bound)
        return (rows[i] for i in self.tables[table].after(bound))

    def _value_candidates(self, table: str, spec: Mapping, id_key: str, shaped) -> list[int] | None:
        """IDs (ascending) of rows holding one of the values an equality or IN condition wants
        (`companyId`, `@UF_DEAL_ID`, `contactIds` matching any element): a superset of the
        matches, which the filter itself then decides, as an indexed query does.  None when
        no condition can use an index (OR logic, negation, an empty or null value)."""
        if str(spec.get("logic", spec.get("LOGIC", "AND"))).upper() == "OR":
            return None
        best: list[int] | None = None
        for key, value in spec.items():
            op, name = query.split_key(str(key))
            if op not in ("=", "@") or name == id_key or name in query.MULTIFIELDS or isinstance(value, Mapping):
                continue
            wanted = value if isinstance(value, list) else [value]
            keys = [query.comparable(query.flag(v), self.tz) for v in wanted]
            if not keys or any(k is None or isinstance(v, (list, dict)) for k, v in zip(keys, wanted)):
                continue
            index = self._value_index(table, name, shaped)
            found = sorted({rid for k in keys for rid in index.get(k, ())})
            if best is None or len(found) < len(best):
                best = found
        return best

    def _value_index(self, table: str, name: str, shaped) -> dict[object, list[int]]:
        """value → IDs of one field over a table (each element of a list field), until the data changes."""
        index = self._value_cache.get(table, {}).get(name)
        if index is None:
            index = {}
            for rid in self.tables[table].ids:
                value = shaped(self.tables[table].rows[rid]).get(name)
                for one in query.list_values(value):
                    key = query.comparable(query.flag(one), self.tz)
                    if key is not None:
                        index.setdefault(key, []).append(rid)
            self._value_cache.setdefault(table, {})[name] = index
        return index

    def owned_rows(self, table: str, owners: Iterable[tuple[int, int]]) -> list[dict]:
        """Rows of `table` bound to any of `owners` ((entity type ID, record ID) pairs), in ID
        order, each once: activities by their BINDINGS, timeline comments by their owner."""
        index = self._owner_cache.get(table)
        if index is None:
            index = {}
            rows = self.tables[table].rows
            for rid in self.tables[table].ids:
                for pair in _owner_pairs(table, rows[rid]):
                    index.setdefault(pair, []).append(rid)
            self._owner_cache[table] = index
        ids = sorted({rid for owner in owners for rid in index.get(owner, ())})
        return [self.tables[table].rows[i] for i in ids]

    def _range_candidates(self, table: str, spec: Mapping, id_key: str, shaped) -> list[int] | None:
        """IDs (ascending) whose value of a range-filtered field lies in the range, from a sorted index."""
        ranges: dict[str, dict[str, object]] = {}
        for key, value in spec.items():
            op, name = query.split_key(str(key))
            if op in (">", ">=", "<", "<=") and name != id_key and not isinstance(value, (list, dict)):
                ranges.setdefault(name, {})[op] = value
        for name, bounds in ranges.items():
            found = self._range_index(table, name, shaped)
            if found is None:
                continue
            keys, index = found
            low, high = 0, len(index)
            for op, value in bounds.items():
                limit = query.comparable(value, self.tz)
                if limit is None or not keys or type(limit) is not type(keys[0]):
                    return None
                if op in (">", ">="):
                    low = max(low, (bisect.bisect_right if op == ">" else bisect.bisect_left)(keys, limit))
                else:
                    high = min(high, (bisect.bisect_left if op == "<" else bisect.bisect_right)(keys, limit))
            return sorted(rid for _, rid in index[low:high])
        return None

    def _range_index(self, table: str, name: str, shaped) -> tuple[list, list[tuple[object, int]]] | None:
        """(sorted values, (value, id) pairs) of one field over a table, until the data changes."""
        found = self._range_cache.get(table, {}).get(name)
        if found is None:
            values = []
            kinds = set()
            for rid in self.tables[table].ids:
                value = query.comparable(shaped(self.tables[table].rows[rid]).get(name), self.tz)
                if value is not None:
                    values.append((value, rid))
                    kinds.add(type(value))
            if len(kinds) > 1:
                return None
            values.sort(key=lambda pair: pair[0])
            found = ([v for v, _ in values], values)
            self._range_cache.setdefault(table, {})[name] = found
        return found

    def _after_page(self) -> None:
        hooks, self.faults.after_page = self.faults.after_page, []
        for hook in hooks:
            hook(self)

    # --- links between contacts and companies ----------------------------------

    def links(self) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
        """contact → companies (primary first) and company → contacts, from the bindings."""
        if self._links_cache:
            return self._links_cache
        contact_companies: dict[int, list[tuple]] = {}
        for b in self.bindings:
            contact_companies.setdefault(int(b["CONTACT_ID"]), []).append(
                (0 if b.get("IS_PRIMARY") == "Y" else 1, int(b.get("SORT") or 0), int(b["COMPANY_ID"])))
        by_contact = {c: [co for _, _, co in sorted(v)] for c, v in contact_companies.items()}
        for cid, row in self.tables["contacts"].rows.items():
            main = row.get("COMPANY_ID")
            if main not in (None, "", "0", 0) and cid not in by_contact:
                by_contact[cid] = [int(main)]
        by_company: dict[int, list[int]] = {}
        for contact, companies in sorted(by_contact.items()):
            for company in companies:
                by_company.setdefault(company, []).append(contact)
        self._links_cache = (by_contact, by_company)
        return by_contact, by_company

    def record_write(self, method: str, caller: Caller, params: Mapping) -> None:
        """Kept for tests to inspect; the params are the request's own, never changed afterwards."""
        self.writes.append({"method": method, "user_id": caller.user_id, "params": params, "at": self.clock.now()})

    def snapshot(self) -> dict:
        """The portal's data now, writes included, as a b24-snapshot/1 dict."""
        data = copy.deepcopy(self.data)
        for name, table in self.tables.items():
            data[name] = [table.rows[i] for i in table.ids]
        data["contact_companies"] = self.bindings
        data["userfields"] = self.userfields
        return data


def _owner_pairs(table: str, row: Mapping) -> set[tuple[int, int]]:
    if table == "timeline_comments":
        kind = COMMENT_OWNER_TYPES.get(str(row.get("ENTITY_TYPE") or "").lower())
        pairs = [(kind, row.get("ENTITY_ID"))]
    else:
        pairs = [(b.get("OWNER_TYPE_ID"), b.get("OWNER_ID")) for b in row.get("BINDINGS") or [] if isinstance(b, Mapping)]
    out = set()
    for kind, owner in pairs:
        try:
            out.add((int(kind), int(owner)))
        except (TypeError, ValueError):
            continue
    return out


def _param(params: Mapping, name: str) -> object:
    return params.get(name, params.get(name.upper()))


def _start(params: Mapping) -> int:
    value = params.get("start", params.get("START", 0))
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
