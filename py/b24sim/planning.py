"""What key-client planning needs from a generated portal (issue 14; spec/planning.md
"The simulated portal"), added to the rows `generate.py` has already made:

- **Currencies** (`currencies`, what `crm.currency.list` / `.get` answer): the
  portal's base one (RUB on a Russian portal, USD on an English one) and five
  others, rates as `AMOUNT` per `AMOUNT_CNT` units (KZT and JPY per 100).
- **Money**: every deal (`OPPORTUNITY`, `CURRENCY_ID`), smart invoice
  (`opportunity`, `currencyId`) and legacy invoice (`PRICE`, `CURRENCY`) gets an
  amount from its client's size, drawn from a Pareto law, so a few clients
  bring most of the money.  Most purchases are in the base currency; clients
  of the other language mostly pay in a foreign one.  The invoices of a deal
  share its amount (instalments), in its currency.
- **A department tree** one level deeper: "Sales — North: corporate" (10)
  under the first sales team (3), headed by one of its managers, and
  "Corporate: new accounts" (11) under it, with no head.  The head of team 3
  reads their whole tree (`CRM_ACCESS` `subdepartments`); the head of 10 reads
  only department 10 (`department`), so CRM rights still narrow a head's tree.
- **Activities for planning and manager control**, appended after the base
  ones: calls on the key clients of most managers every few weeks, to-dos and
  meetings planned for the coming weeks (a few days over the default daily
  capacity of 8), to-dos of the last weeks closed on time, late, or still
  open, and a few to-dos with no deadline (year 9999, as Bitrix24 stores them).
- **Managers who neglect their key clients** (`generator.planning.neglectful`):
  their clients with the most revenue in the last 12 months are ones nobody
  has touched (no activity of any kind, on the client, its contacts, deals or
  invoices) for at least `NEGLECT_DAYS`, and nothing is planned for them.

Everything is drawn from a random stream of its own (``b24sim-planning:<seed>``)
after the base rows exist, so the base portal's other rows, their order and
their IDs stay exactly as they were; `CHANGED` names what this pass touches
(tests/sim/test_plan_generate.py holds the digest of the rest).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import timedelta

DAY = 86400
STREAM = "b24sim-planning:{seed}"
NEGLECT_DAYS = 100
"""A neglected key client has had no activity at all for at least this many days."""
WINDOW_DAYS = 365
"""Revenue that makes a client key: what it paid in the last 12 months (planning.md's default window)."""
PARETO_ALPHA = 1.16
"""The shape that gives the classic 80/20 split of a Pareto law."""
CAPACITY = 8
"""planning.md's default daily capacity: a few planned days go over it."""
PLAN_DAYS = 45
"""Planned activities reach this many days ahead (the rest of this month and all of the next)."""
PAST_DAYS = 45
"""To-dos of the last weeks, for the head's control table (created, completed, completed late, open overdue)."""
CADENCE_DAYS = 120
"""How far back the calls on key clients go."""
NO_DEADLINE = "9999-12-31T00:00:00"
"""A to-do without a deadline: Bitrix24 stores the largest date (CCrmDateTimeHelper::getMaxDatabaseDateObject)."""

CHANGED = {
    "deals": ("OPPORTUNITY", "CURRENCY_ID"),
    "invoices": ("opportunity", "currencyId"),
    "legacy_invoices": ("PRICE", "CURRENCY"),
    "companies": ("LAST_ACTIVITY_TIME", "LAST_ACTIVITY_BY"),
    "contacts": ("LAST_ACTIVITY_TIME", "LAST_ACTIVITY_BY"),
    "users": ("UF_DEPARTMENT", "WORK_POSITION", "CRM_ACCESS"),
}
"""The fields of base rows this pass may change; besides them it adds rows (activities,
departments 10 and 11), the `currencies` collection and `generator.planning`."""

# code, AMOUNT_CNT, AMOUNT (base units per AMOUNT_CNT units), weight among foreign payments,
# (ru name, en name), (ru format, en format)
CURRENCIES = {
    "ru": (
        ("RUB", 1, "1.0000", 0, ("Российский рубль", "Russian Ruble"), ("# ₽", "# ₽")),
        ("USD", 1, "90.5000", 45, ("Доллар США", "US Dollar"), ("$#", "$#")),
        ("EUR", 1, "98.2000", 35, ("Евро", "Euro"), ("# €", "€#")),
        ("KZT", 100, "18.9000", 10, ("Казахстанский тенге", "Kazakhstani Tenge"), ("# ₸", "# ₸")),
        ("BYN", 1, "27.8000", 6, ("Белорусский рубль", "Belarusian Ruble"), ("# Br", "# Br")),
        ("CNY", 1, "12.4500", 4, ("Китайский юань", "Chinese Yuan"), ("# ¥", "¥#")),
    ),
    "en": (
        ("USD", 1, "1.0000", 0, ("Доллар США", "US Dollar"), ("$#", "$#")),
        ("EUR", 1, "1.0850", 45, ("Евро", "Euro"), ("# €", "€#")),
        ("GBP", 1, "1.2700", 25, ("Фунт стерлингов", "British Pound"), ("# £", "£#")),
        ("CAD", 1, "0.7300", 15, ("Канадский доллар", "Canadian Dollar"), ("C$#", "C$#")),
        ("JPY", 100, "0.6700", 5, ("Японская иена", "Japanese Yen"), ("# ¥", "¥#")),
        ("RUB", 100, "1.1050", 10, ("Российский рубль", "Russian Ruble"), ("# ₽", "# ₽")),
    ),
}
SCALE = {"ru": 25_000.0, "en": 300.0}
"""The smallest client's typical purchase in the base currency (the Pareto law's minimum)."""

DEPARTMENTS = (
    ("10", "3", ("Продажи — Москва: корпоративные", "Sales — North: corporate")),
    ("11", "10", ("Корпоративные: новые клиенты", "Corporate: new accounts")),
)
TEAM_LEAD = ("Руководитель группы", "Team lead")
SALES_DEPARTMENTS = {3, 4, 5, 10, 11}

TODO_SUBJECTS = {
    "call": ("Позвонить клиенту", "Call the client"),
    "meeting": ("Встреча с клиентом", "Meeting with the client"),
    "quote": ("Отправить коммерческое предложение", "Send the quotation"),
    "nodeadline": ("Уточнить потребности клиента", "Find out what the client needs"),
}


class _Planner:
    def __init__(self, gen, snapshot: dict):
        self.g = gen
        self.snap = snapshot
        self.r = random.Random(STREAM.format(seed=gen.seed))
        self.lang = gen.lang
        self.ru = gen.lang == "ru"
        self.today = gen.ndays - 1
        self.now = self.today * DAY + 9 * 3600
        """09:00 today, when the simulated portal's clock starts: nothing added is done later."""
        self.currencies = CURRENCIES["ru" if self.ru else "en"]
        self.base = self.currencies[0][0]
        self.per_unit = {c[0]: float(c[2]) / c[1] for c in self.currencies}
        self.own_ids = {id(p) for p in getattr(gen, "own", [])}
        self.clients = [p for p in gen.comps + gen.b2c]
        self.added: list[dict] = []

    # ---- who a record belongs to (rules.md §1-2, as far as the plan objects tell) ----------
    def client_of_party(self, party):
        if party.co:
            return None if id(party) in self.own_ids else party
        return party.primary if party.primary is not None else party

    def client_of_deal(self, deal):
        if deal.co is not None:
            return self.client_of_party(deal.co)
        if deal.cts:
            return self.client_of_party(deal.cts[0])
        return None

    def client_of_invoice(self, inv):
        if inv.deal is not None:
            owner = self.client_of_deal(inv.deal)
            if owner is not None:
                return owner
        if inv.co is not None:
            return self.client_of_party(inv.co)
        return self.client_of_party(inv.cts[0]) if inv.cts else None

    def client_of_legacy(self, leg):
        if leg.deal is not None:
            owner = self.client_of_deal(leg.deal)
            if owner is not None:
                return owner
        if leg.co is not None:
            return self.client_of_party(leg.co)
        return self.client_of_party(leg.ct) if leg.ct is not None else None

    # ---- everything --------------------------------------------------------------------------
    def run(self) -> None:
        self.snap["currencies"] = self.currency_rows()
        self.departments()
        self.purchases()
        self.sizes()
        self.neglect()
        self.money()
        self.activities()
        self.snap["generator"]["planning"] = {
            "base_currency": self.base,
            "neglectful": [int(u) for u in self.neglectful],
            "activities_from": self.first_added,
        }

    # ---- currencies ----------------------------------------------------------------------------
    def currency_rows(self) -> list[dict]:
        """The base currency dated when the portal was set up, the rates a few days ago."""
        g, r = self.g, self.r
        updated = [g.ts(3 * DAY + 9 * 3600)]
        updated += [g.ts(max(0, self.today - r.randrange(1, 6)) * DAY + 9 * 3600 + r.randrange(3600))
                    for _ in self.currencies[1:]]
        return currency_rows("ru" if self.ru else "en", updated)

    # ---- the department tree --------------------------------------------------------------
    def departments(self) -> None:
        users = self.snap["users"]
        deps = self.snap["departments"]
        plain = [u for u in users if int(u["ID"]) > 10 and u["UF_DEPARTMENT"][0] in (3, 4, 5)]
        plain.sort(key=lambda u: (u["UF_DEPARTMENT"][0] != 3, int(u["ID"])))
        head = next((u for u in plain if u["ACTIVE"]), None)
        heads = {"10": head["ID"] if head else None, "11": None}
        if head is not None:
            head.update(UF_DEPARTMENT=[10], WORK_POSITION=TEAM_LEAD[0 if self.ru else 1], CRM_ACCESS="department")
        for user in [u for u in plain if u is not head][:2]:
            user["UF_DEPARTMENT"] = [11]
        for dep_id, parent, names in DEPARTMENTS:
            deps.append({"ID": dep_id, "NAME": names[0 if self.ru else 1], "SORT": 100 * int(dep_id),
                         "PARENT": parent, "UF_HEAD": heads[dep_id]})
        lead = next((d["UF_HEAD"] for d in deps if d["ID"] == "3"), None)
        for user in users:
            if user["ID"] == lead:
                user["CRM_ACCESS"] = "subdepartments"
        self.users = {u["ID"]: u for u in users}

    # ---- purchases and what each client paid lately -----------------------------------------
    def purchases(self) -> None:
        """Groups the plan's deals and invoices as rules.md §2 does (a deal with its invoices,
        or an invoice of no deal) and notes each group's client and what of it was paid
        in the window, as a share of the group's amount."""
        from .generate import _INV_STAGES

        g = self.g
        cut = self.now - WINDOW_DAYS * DAY
        self.invoices_of: dict[int, list] = {}
        for inv in g.invs:
            if inv.deal is not None:
                self.invoices_of.setdefault(id(inv.deal), []).append(inv)
        for leg in g.legs:
            if leg.deal is not None:
                self.invoices_of.setdefault(id(leg.deal), []).append(leg)
        success = {cat: s for cat, (_p, s, _f) in _INV_STAGES.items()}

        def paid_at(x) -> int | None:
            if hasattr(x, "status"):   # a legacy invoice
                if x.status != "P":
                    return None
                return x.tp if x.tp is not None else x.tu
            return x.tm if x.stage == success[x.cat] else None

        self.groups: list[tuple[object, object, float]] = []   # (client, deal or invoice, paid share in window)
        for deal in g.deals:
            invoices = self.invoices_of.get(id(deal), [])
            paid = [(paid_at(i), i) for i in invoices]
            paid = [(t, i) for t, i in paid if t is not None]
            if deal.sem == "S":
                last = max([deal.tc] + [t for t, _ in paid])
                share = 1.0 if last >= cut else 0.0
            elif paid:
                last = max(t for t, _ in paid)
                share = len(paid) / len(invoices) if last >= cut else 0.0
            else:
                share = 0.0
            self.groups.append((self.client_of_deal(deal), deal, share))
        for inv in g.invs:
            if inv.deal is None:
                t = paid_at(inv)
                self.groups.append((self.client_of_invoice(inv), inv, 1.0 if t is not None and t >= cut else 0.0))
        for leg in g.legs:
            if leg.deal is None:
                t = paid_at(leg)
                self.groups.append((self.client_of_legacy(leg), leg, 1.0 if t is not None and t >= cut else 0.0))

    # ---- sizes ------------------------------------------------------------------------------
    def sizes(self) -> None:
        """A Pareto-distributed size per client (private persons a third of a company's), a
        lognormal spread per purchase, and each client's currency."""
        r = self.r
        xm = SCALE["ru" if self.ru else "en"]
        self.size: dict[int, float] = {}
        self.currency_of: dict[int, str] = {}
        codes = [c[0] for c in self.currencies[1:]]
        weights = [c[3] for c in self.currencies[1:]]
        for party in self.clients:
            u = 1.0 - r.random()
            size = min(xm / u ** (1.0 / PARETO_ALPHA), 400 * xm)
            self.size[id(party)] = size if party.co else size / 3
            foreign = r.random() < (0.65 if party.lang != self.lang else 0.04)
            self.currency_of[id(party)] = r.choices(codes, weights)[0] if foreign else self.base
        self.spread = {id(x): math.exp(r.gauss(0.0, 0.45)) for _client, x, _share in self.groups}
        self.weight: dict[int, float] = {}
        self.client_by_key = {id(p): p for p in self.clients}
        for client, x, share in self.groups:
            if client is not None and share > 0:
                self.weight[id(client)] = self.weight.get(id(client), 0.0) + share * self.spread[id(x)]

    def revenue(self) -> dict[int, float]:
        return {key: self.size[key] * w for key, w in self.weight.items() if key in self.size}

    @staticmethod
    def key_set(revenue: dict[int, float], cut: float = 0.8) -> set[int]:
        """Clients placed before the cumulative share reaches `cut` (the A rank of planning.md)."""
        order = sorted(revenue, key=lambda k: (-revenue[k], k))
        total = sum(revenue.values()) or 1.0
        before = 0.0
        out = set()
        for key in order:
            if before >= cut * total:
                break
            out.add(key)
            before += revenue[key]
        return out

    # ---- neglect ----------------------------------------------------------------------------
    def last_activity(self) -> dict[int, int]:
        """Client → the moment of its latest activity of any kind (on it, its contacts, its deals
        or invoices), from the base portal's activities."""
        from .generate import _D, _I

        latest: dict[int, int] = {}
        for act in self.g.acts:
            for bound in act.bind:
                if isinstance(bound, _D):
                    client = self.client_of_deal(bound)
                elif isinstance(bound, _I):
                    client = self.client_of_invoice(bound)
                else:
                    client = self.client_of_party(bound)
                if client is not None and act.t > latest.get(id(client), -1):
                    latest[id(client)] = act.t
        return latest

    def neglect(self) -> None:
        r = self.r
        latest = self.last_activity()
        quiet_since = self.now - NEGLECT_DAYS * DAY
        long_ids = {id(c) for c in getattr(self.g, "long_clients", [])}
        recent = [p for p in self.clients if self.weight.get(id(p), 0) > 0]
        by_user: dict[str, list] = {}
        for p in recent:
            by_user.setdefault(p.user, []).append(p)
        eligible = sorted((uid for uid, mine in by_user.items()
                           if len(mine) >= 3 and self._seller(uid)), key=int)
        k = min(3, max(1, len(eligible) // 4)) if eligible else 0
        self.neglectful = sorted(r.sample(eligible, k), key=int) if k else []
        self.neglected: set[int] = set()
        for _round in range(3):
            revenue = self.revenue()
            key = self.key_set(revenue)
            donors = [p for p in recent if p.user not in self.neglectful and id(p) not in long_ids]
            for uid in self.neglectful:
                mine = by_user[uid]
                quiet = [p for p in mine if latest.get(id(p), -1) < quiet_since and id(p) not in long_ids]
                quiet.sort(key=lambda p: (-self.weight[id(p)], p.id))
                busy = [p for p in mine if p not in quiet]
                low = [p for p in donors if id(p) not in key]
                high = [p for p in donors if id(p) in key]
                for p in busy:               # a touched client of this manager is never a key one
                    if id(p) in key and low:
                        self._swap(p, low.pop(r.randrange(len(low))))
                want = min(len(quiet), max(2, math.ceil(0.2 * len(mine))))
                for p in quiet[:want]:       # the quiet ones with the most to lose get the big sizes
                    if id(p) not in key and high:
                        self._swap(p, high.pop(r.randrange(len(high))))
                self.neglected |= {id(p) for p in quiet[:want]}
        revenue = self.revenue()
        self.key = self.key_set(revenue)
        self.neglected |= {k for k in self.key if self.client_by_key[k].user in self.neglectful}

    def _manager(self, uid: str) -> bool:
        """An active employee with CRM access: someone who works their clients."""
        user = self.users.get(uid)
        return bool(user is not None and user.get("ACTIVE") is True and user.get("CRM_ACCESS") != "none")

    def _seller(self, uid: str) -> bool:
        """A manager of a sales team: the ones who may turn out neglectful."""
        return self._manager(uid) and bool(set(self.users[uid].get("UF_DEPARTMENT") or []) & SALES_DEPARTMENTS)

    def _swap(self, a, b) -> None:
        self.size[id(a)], self.size[id(b)] = self.size[id(b)], self.size[id(a)]

    # ---- money on the rows ----------------------------------------------------------------
    def money(self) -> None:
        r = self.r
        xm = SCALE["ru" if self.ru else "en"]
        deals = {row["ID"]: row for row in self.snap["deals"]}
        invoices = {row["id"]: row for row in self.snap["invoices"]}
        legacy = {row["ID"]: row for row in self.snap["legacy_invoices"]}
        codes = [c[0] for c in self.currencies[1:]]
        weights = [c[3] for c in self.currencies[1:]]

        def currency(client) -> str:
            if client is None:
                return self.base
            own = self.currency_of[id(client)]
            if own != self.base:
                return own if r.random() < 0.8 else self.base
            return r.choices(codes, weights)[0] if r.random() < 0.02 else self.base

        def amount(client, x) -> float:
            size = self.size[id(client)] if client is not None else xm
            return size * self.spread.get(id(x), 1.0)

        for client, x, _share in self.groups:
            code = currency(client)
            cents = self._cents(amount(client, x) / self.per_unit[code])
            if hasattr(x, "sem"):      # a deal and its invoices, which share its amount
                deals[str(x.id)].update(OPPORTUNITY=f"{cents / 100:.2f}", CURRENCY_ID=code)
                parts = self.invoices_of.get(id(x), [])
                for part, share in zip(parts, self._split(cents, len(parts))):
                    self._put(part, share, code, invoices, legacy)
            else:
                self._put(x, cents, code, invoices, legacy)

    def _cents(self, value: float) -> int:
        """A price as people write them: round to 10, 100 or 1,000 units; a few keep their kopecks."""
        if self.r.random() < 0.06:
            return max(1, round(value * 100))
        step = 10 if value < 10_000 else 100 if value < 1_000_000 else 1000
        return max(step, round(value / step) * step) * 100

    @staticmethod
    def _split(cents: int, n: int) -> list[int]:
        if n <= 0:
            return []
        each = cents // n
        return [each] * (n - 1) + [cents - each * (n - 1)]

    @staticmethod
    def _put(x, cents: int, code: str, invoices: dict, legacy: dict) -> None:
        if hasattr(x, "status"):
            legacy[str(x.id)].update(PRICE=f"{cents / 100:.2f}", CURRENCY=code)
        else:
            value = cents // 100 if cents % 100 == 0 else cents / 100
            invoices[x.id].update(opportunity=value, currencyId=code)

    # ---- activities ------------------------------------------------------------------------
    def activities(self) -> None:
        g = self.g
        frozen = set(self.neglected) | {id(c) for c in getattr(g, "long_clients", [])}
        self.frozen_parties = set(frozen)
        for p in self.clients:
            if id(p) in frozen:
                self.frozen_parties |= {id(m) for m in p.members}
        clients_of: dict[str, list] = {}
        for p in self.clients:
            if id(p) not in frozen and p.dirty != "empty":
                clients_of.setdefault(p.user, []).append(p)
        sellers = [uid for uid in sorted(clients_of, key=int) if self._manager(uid)]
        self.heads = self._heads()
        for uid in sellers:
            mine = clients_of[uid]
            rate = min(4.0, max(0.5, len(mine) / 150))
            self.cadence(uid)
            self.planned(uid, mine, rate)
            self.past_todos(uid, mine, rate)
        for i, uid in enumerate(sellers):
            if i % 2 == 0:
                self.no_deadline(uid, clients_of[uid])
        self.commit()

    def _heads(self) -> dict[str, str]:
        """User → the head of their first department (walking up past themselves)."""
        deps = {d["ID"]: d for d in self.snap["departments"]}
        out = {}
        for uid, user in self.users.items():
            dep = deps.get(str((user.get("UF_DEPARTMENT") or [None])[0]))
            while dep is not None:
                head = dep.get("UF_HEAD")
                if head and head != uid:
                    out[uid] = head
                    break
                dep = deps.get(dep.get("PARENT"))
        return out

    def cadence(self, uid: str) -> None:
        """Calls on this manager's key clients every three to five weeks: most were called
        lately, some are due within the week, some have slipped past the 30 days; a quarter
        have a call planned in the next two weeks."""
        r = self.r
        mine = sorted((self.client_by_key[k] for k in self.key if self.client_by_key[k].user == uid
                       and k not in self.neglected), key=lambda p: p.id)
        for p in mine:
            x = r.random()
            last = r.randint(1, 22) if x < 0.65 else r.randint(23, 30) if x < 0.8 else r.randint(33, 75)
            day = self.today - last
            while day > self.today - CADENCE_DAYS:
                who = uid if r.random() < 0.9 else self._colleague(uid)
                self.call(p, day, who)
                day -= r.randint(20, 40)
            if r.random() < 0.25:
                self.todo(p, uid, created=self.today - r.randint(0, 10), due=self.today + r.randint(1, 14),
                          kind="call")

    def planned(self, uid: str, mine: list, rate: float) -> None:
        """The coming weeks' open activities, a few a working day, and two days over capacity."""
        r = self.r
        days = [d for d in range(self.today, self.today + PLAN_DAYS + 1) if self._workday(d)]
        busy = set(r.sample(days, min(2, len(days))))
        for day in days:
            n = CAPACITY + r.randint(1, 4) if day in busy else self._poisson(rate)
            for _ in range(n):
                kind = "call" if r.random() < 0.7 else "meeting" if r.random() < 0.67 else "typed_call"
                self.todo(r.choice(mine), uid, created=max(self.today - 20, day - r.randint(1, 20)), due=day,
                          kind=kind)

    def past_todos(self, uid: str, mine: list, rate: float) -> None:
        """To-dos of the last weeks: closed on time, closed late, or still open (overdue).
        A neglectful manager closes fewer, and later."""
        r = self.r
        sloppy = uid in self.neglectful
        for day in range(self.today - PAST_DAYS, self.today):
            if not self._workday(day):
                continue
            for _ in range(self._poisson(rate)):
                due = min(self.today + 3, day + r.randint(0, 7))
                author = self.heads.get(uid, uid) if r.random() < 0.1 else uid
                done = r.random() < (0.5 if sloppy else 0.8)
                late = r.random() < (0.6 if sloppy else 0.25)
                self.todo(r.choice(mine), uid, created=day, due=due, kind="call" if r.random() < 0.7 else "quote",
                          author=author, done=done, late=late)

    def no_deadline(self, uid: str, mine: list) -> None:
        if mine:
            self.todo(self.r.choice(mine), uid, created=self.today - self.r.randint(0, 30), due=None,
                      kind="nodeadline")

    # ---- rows ----------------------------------------------------------------------------
    def _colleague(self, uid: str) -> str:
        others = [s for s in self.g.sellers if s != uid and self.users.get(s, {}).get("ACTIVE")]
        return self.r.choice(others) if others else uid

    def _workday(self, day: int) -> bool:
        return (self.g.start + timedelta(days=day)).weekday() < 5

    def iso(self, moment: int) -> str:
        """A plan moment as the portal writes it; days after the base portal's today too."""
        day, second = divmod(moment, DAY)
        text = self.g.days[day] if day < len(self.g.days) else (self.g.start + timedelta(days=day)).isoformat()
        return text + self.g.tod[second]

    def _poisson(self, rate: float) -> int:
        limit, k, p = math.exp(-rate), 0, 1.0
        while True:
            p *= self.r.random()
            if p <= limit:
                return k
            k += 1

    def _bind(self, client, moment: int) -> list:
        """The client itself, or one of its contacts (that existed by then), or both."""
        r = self.r
        members = [m for m in client.members if id(m) not in self.frozen_parties and m.t <= moment]
        if client.co and members:
            x = r.random()
            if x < 0.25:
                return [members[r.randrange(len(members))]]
            if x < 0.4:
                return [client, members[r.randrange(len(members))]]
        return [client]

    def _moment(self, day: int) -> int:
        return day * DAY + 9 * 3600 + self.r.randrange(9 * 2) * 1800

    def call(self, client, day: int, who: str) -> None:
        """A completed call (VOXIMPLANT_CALL), outgoing mostly."""
        r = self.r
        start = min(self._moment(day), self.now - 3600)
        if start <= client.t:
            return
        end = start + 30 + r.randrange(900)
        incoming = r.random() < 0.2
        self.added.append(self._row(client, "call_in" if incoming else "call_out", who, who, created=start,
                                    start=start, end=end, deadline=start, updated=end, done=True))

    def todo(self, client, uid: str, *, created: int, due: int | None, kind: str, author: str | None = None,
             done: bool = False, late: bool = False) -> None:
        r = self.r
        created_at = min(self._moment(created), self.now - 3600)
        if created_at <= client.t:
            return
        if due is None:
            deadline = None
        else:
            deadline = max(self._moment(due), created_at + 1800)
        closed = None
        if done and deadline is not None and deadline < self.now:
            closed = (deadline + 3600 * r.randint(2, 120)) if late else (deadline - r.randrange(0, 6 * 3600))
            closed = max(created_at, min(closed, self.now))
        if kind == "meeting":
            end = deadline + 3600 if deadline is not None else None
            self.added.append(self._row(client, "meeting", uid, author or uid, created=created_at, start=deadline,
                                        end=end, deadline=deadline, updated=closed or created_at,
                                        done=closed is not None))
        elif kind == "typed_call":
            self.added.append(self._row(client, "call_out", uid, author or uid, created=created_at, start=deadline,
                                        end=deadline, deadline=deadline, updated=closed or created_at,
                                        done=closed is not None))
        else:
            self.added.append(self._row(client, "todo", uid, author or uid, created=created_at, start=deadline,
                                        end=deadline, deadline=deadline, updated=closed or created_at,
                                        done=closed is not None, subject=TODO_SUBJECTS[kind][0 if self.ru else 1]))

    def _row(self, client, kind: str, responsible: str, author: str, *, created: int, start: int | None,
             end: int | None, deadline: int | None, updated: int, done: bool, subject: str | None = None) -> dict:
        from . import names as N
        from .generate import OFFSET

        prov, type_id, ptype, sru, sen = N.ACTIVITY_KINDS[kind]
        bind = self._bind(client, created)
        binds = [{"OWNER_TYPE_ID": "4" if b.co else "3", "OWNER_ID": str(b.id)} for b in bind]
        iso = self.iso
        far = NO_DEADLINE + OFFSET
        row = {
            "ID": None, "OWNER_ID": binds[0]["OWNER_ID"], "OWNER_TYPE_ID": binds[0]["OWNER_TYPE_ID"],
            "TYPE_ID": type_id, "PROVIDER_ID": prov, "PROVIDER_TYPE_ID": ptype, "ASSOCIATED_ENTITY_ID": "0",
            "SUBJECT": subject or (sru if self.ru else sen), "COMPLETED": "Y" if done else "N",
            "DIRECTION": "1" if kind == "call_in" else "2" if kind == "call_out" else "0",
            "CREATED": self.g.happened(created), "LAST_UPDATED": self.g.happened(updated),
            "START_TIME": iso(start) if start is not None else far,
            "END_TIME": iso(end) if end is not None else far,
            "DEADLINE": iso(deadline) if deadline is not None else far,
            "AUTHOR_ID": author, "RESPONSIBLE_ID": responsible, "BINDINGS": binds,
        }
        row["_t"] = created
        row["_bind"] = bind
        return row

    def commit(self) -> None:
        """Numbers the new activities after the base ones (in creation order) and moves each
        bound record's LAST_ACTIVITY_TIME / _BY on, as the base portal's own activities do."""
        rows = self.snap["activities"]
        first = max((int(a["ID"]) for a in rows), default=0) + 1
        self.first_added = first
        self.added.sort(key=lambda a: a["_t"])
        parties = {}
        for i, row in enumerate(self.added):
            row["ID"] = str(first + i)
            t = row.pop("_t")
            for party in row.pop("_bind"):
                if t > party.la_t:
                    party.la_t = t
                    party.la_by = row["AUTHOR_ID"]
                    parties[id(party)] = party
            rows.append(row)
        companies = {row["ID"]: row for row in self.snap["companies"]}
        contacts = {row["ID"]: row for row in self.snap["contacts"]}
        for party in parties.values():
            row = (companies if party.co else contacts)[str(party.id)]
            row["LAST_ACTIVITY_TIME"] = self.g.happened(party.la_t)
            row["LAST_ACTIVITY_BY"] = party.la_by


def currency_rows(lang: str, updated: Sequence[str | None] | None = None) -> list[dict]:
    """`crm.currency.get`-shaped rows (with LANG for ru and en) of a portal in `lang` ("ru" or
    "en"), the base currency first; `updated` gives each row's DATE_UPDATE."""
    rows = []
    for i, (code, cnt, amount, _w, names, formats) in enumerate(CURRENCIES[lang]):
        local = {lid: {"FORMAT_STRING": formats[j], "FULL_NAME": names[j], "DEC_POINT": "," if lid == "ru" else ".",
                       "THOUSANDS_SEP": "&nbsp;" if lid == "ru" else None, "DECIMALS": "0" if code == "JPY" else "2",
                       "THOUSANDS_VARIANT": "B" if lid == "ru" else "C", "HIDE_ZERO": "Y"}
                 for j, lid in enumerate(("ru", "en"))}
        rows.append({"CURRENCY": code, "AMOUNT_CNT": str(cnt), "AMOUNT": amount, "SORT": str(100 * (i + 1)),
                     "BASE": "Y" if i == 0 else "N", "DATE_UPDATE": updated[i] if updated else None, "LANG": local})
    return rows


def add(gen, snapshot: dict) -> None:
    """Adds currencies, money, the department tree's lower levels, planning activities and
    neglectful managers to a generated snapshot, in place (see the module's docstring)."""
    _Planner(gen, snapshot).run()


def base_rows(snapshot: dict) -> dict:
    """The snapshot as it was before this pass, as far as can be told: the fields of `CHANGED`
    left out, the added activities, departments and currencies dropped.  What is left must
    be byte for byte the base portal's (tests/sim/test_plan_generate.py)."""
    data = dict(snapshot)
    data.pop("currencies", None)
    generator = dict(data.get("generator") or {})
    first = (generator.pop("planning", None) or {}).get("activities_from")
    data["generator"] = generator
    for name, fields in CHANGED.items():
        data[name] = [{k: v for k, v in row.items() if k not in fields} for row in data.get(name) or []]
    if first:
        data["activities"] = [a for a in data.get("activities") or [] if int(a["ID"]) < first]
    data["departments"] = [d for d in data.get("departments") or [] if d["ID"] not in {x[0] for x in DEPARTMENTS}]
    return data


def neglectful(snapshot: dict) -> list[int]:
    """The managers who neglect their key clients in a generated snapshot ([] when none)."""
    return list(((snapshot.get("generator") or {}).get("planning") or {}).get("neglectful") or [])
