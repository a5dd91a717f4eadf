"""Seeded, deterministic synthetic Bitrix24 portal -> ``b24-snapshot/1`` dict.

``generate(clients, seed, today)`` is a pure function of its arguments: one
``random.Random(seed)`` drives everything, no wall clock, no global random,
no iteration over hash-ordered sets, so the same arguments give the same
JSON bytes.

How it works, in three passes:

1. *Parties*: own companies, client companies, B2C contacts and member
   contacts are drawn with creation times (growth over the years, one early
   bulk import), then sorted by time and numbered, so IDs rise with
   ``DATE_CREATE`` as on a real portal (with small gaps for deleted rows).
2. *Plans*: every client gets a profile (payer / with requests / with
   dialogs / with contacts / without contacts) and its deals, smart and
   legacy invoices and activities are planned as light objects holding
   integer times (seconds since the history start, portal local time).
3. *Rows*: each collection is sorted by creation time, numbered, and turned
   into REST-spelled dicts (legacy UPPER_CASE strings, ``crm.item`` camelCase
   ints). Timestamps are formatted from two precomputed tables (day strings,
   time-of-day strings), which keeps 85k clients well under a minute.

``histories.py`` adds what a client's history page needs: timeline comments
on every portal (from a random stream of their own), and with
``long_histories=True`` three companies with long histories, planned in
passes 1 and 2 like every other client.  ``planning.py`` then adds, from a
stream of its own, what key-client planning needs: currencies, Pareto-skewed
amounts in several currencies, two more levels of departments, planned and
recent activities, and managers who neglect their key clients.
"""

from __future__ import annotations

import calendar
import gc
import random
from datetime import date, timedelta

from . import histories, planning
from . import names as N

FORMAT = "b24-snapshot/1"
OFFSET = "+03:00"
DAY = 86400
QUIET_UNTIL_S = 8 * 3600
"""Today's creations and changes all fall before 08:00 (`happened`); the portal's clock
starts at 09:00 (portal.DEFAULT_START)."""
DEFAULT_TODAY = date(2026, 11, 23)

_TOD: list[str] | None = None


def _tod_table() -> list[str]:
    global _TOD
    if _TOD is None:
        _TOD = [f"T{h:02d}:{m:02d}:{s:02d}{OFFSET}"
                for h in range(24) for m in range(60) for s in range(60)]
    return _TOD


def sub_months(d: date, months: int) -> date:
    """Calendar month arithmetic, clamped at month end (31 Aug - 6 = 28/29 Feb)."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


# --------------------------------------------------------------------------
# pipelines and stages

# deal pipelines: category id -> (ru name, en name, sort, stages)
# stage: (code, ru, en, semantics, system)
DEAL_PIPELINES = {
    0: ("Общая", "General", 100, (
        ("NEW", "Новая", "New", None, "Y"),
        ("PREPARATION", "Подготовка документов", "Preparing documents", None, "Y"),
        ("PREPAYMENT_INVOICE", "Счёт на предоплату", "Prepayment invoice", None, "Y"),
        ("EXECUTING", "В работе", "In progress", None, "Y"),
        ("FINAL_INVOICE", "Финальный счёт", "Final invoice", None, "Y"),
        ("WON", "Сделка успешна", "Deal won", "S", "Y"),
        ("LOSE", "Сделка провалена", "Deal lost", "F", "Y"),
        ("APOLOGY", "Анализ причины провала", "Analyse failure", "F", "Y"),
    )),
    1: ("Оптовые продажи", "Wholesale", 200, (
        ("C1:NEW", "Новая заявка", "New request", None, "Y"),
        ("C1:PREPARATION", "Согласование", "Negotiation", None, "Y"),
        ("C1:UC_INVOICE", "Выставлен счёт", "Invoice sent", None, "N"),
        ("C1:UC_PAID", "Оплачено", "Paid", "S", "N"),
        ("C1:LOSE", "Отказ", "Refused", "F", "Y"),
        ("C1:UC_NORESP", "Не выходит на связь", "No response", "F", "N"),
    )),
    3: ("Услуги", "Services", 300, (
        ("C3:NEW", "Новая", "New", None, "Y"),
        ("C3:EXECUTING", "Выполняется", "In progress", None, "Y"),
        ("C3:UC_ACCEPT", "Приёмка работ", "Acceptance", None, "N"),
        ("C3:WON", "Работы сданы", "Delivered", "S", "Y"),
        ("C3:LOSE", "Отменено", "Cancelled", "F", "Y"),
        ("C3:APOLOGY", "Анализ отказа", "Analyse refusal", "F", "Y"),
    )),
    5: ("Тендеры", "Tenders", 400, (
        ("C5:NEW", "Новый тендер", "New tender", None, "Y"),
        ("C5:UC_DOCS", "Сбор документов", "Collecting documents", None, "N"),
        ("C5:UC_BID", "Заявка подана", "Bid submitted", None, "N"),
        ("C5:UC_WONBID", "Победа в тендере", "Tender won", "S", "N"),
        ("C5:LOSE", "Проигрыш", "Tender lost", "F", "Y"),
        ("C5:UC_CANCEL", "Тендер отменён", "Tender cancelled", "F", "N"),
    )),
}
DEAL_CAT_WEIGHTS = ((0, 50), (1, 25), (3, 20), (5, 5))

# smart-invoice pipelines (entityTypeId 31)
INVOICE_PIPELINES = {
    0: ("Счета", "Invoices", 100, (
        ("DT31_0:N", "Новый", "New", None, "Y"),
        ("DT31_0:S", "Отправлен клиенту", "Sent to client", None, "Y"),
        ("DT31_0:UC_PREPAID", "Частично оплачен", "Partially paid", None, "N"),
        ("DT31_0:P", "Оплачен", "Paid", "S", "Y"),
        ("DT31_0:D", "Не оплачен", "Unpaid", "F", "Y"),
    )),
    2: ("Экспорт", "Export", 200, (
        ("DT31_2:N", "Новый", "New", None, "Y"),
        ("DT31_2:UC_SENT", "Отправлен", "Sent", None, "N"),
        ("DT31_2:UC_BANK", "Оплачен (банк)", "Paid (bank)", "S", "N"),
        ("DT31_2:D", "Отменён", "Cancelled", "F", "Y"),
        ("DT31_2:UC_OVERDUE", "Просрочен", "Overdue", "F", "N"),
    )),
}

_COLORS = {None: "#39A8EF", "S": "#7BD500", "F": "#FF5752"}
_EXTRA_SEM = {None: "process", "S": "success", "F": "failure"}


def _stage_sets(pipes):
    out = {}
    for cat, (_ru, _en, _sort, stages) in pipes.items():
        p = [s[0] for s in stages if s[3] is None]
        s_ = [s[0] for s in stages if s[3] == "S"]
        f = [s[0] for s in stages if s[3] == "F"]
        assert len(s_) == 1
        out[cat] = (p, s_[0], f)
    return out


_DEAL_STAGES = _stage_sets(DEAL_PIPELINES)
_INV_STAGES = _stage_sets(INVOICE_PIPELINES)


# --------------------------------------------------------------------------
# light planning objects (integer times: seconds since history start)

class _P:
    """A party: company or contact."""
    __slots__ = ("co", "t", "prof", "lang", "user", "members", "bound",
                 "primary", "others", "dirty", "id", "la_t", "la_by", "own",
                 "nm", "comm", "req", "imol", "title")

    def __init__(self, co, t, prof, lang, user):
        self.co = co
        self.t = t
        self.prof = prof
        self.lang = lang
        self.user = user
        self.members = []   # companies: contacts whose primary company this is
        self.bound = []     # companies: contacts bound as a secondary company
        self.primary = None  # contacts: primary company
        self.others = []    # contacts: secondary companies
        self.dirty = None
        self.id = 0
        self.la_t = -1
        self.la_by = None
        self.own = False
        self.nm = None
        self.comm = True    # may carry phones / emails / ...
        self.req = 0        # number of requisites
        self.imol = False
        self.title = None


class _D:
    __slots__ = ("t", "tc", "tm", "cd", "cat", "stage", "sem", "co", "cts",
                 "amt", "user", "by", "id", "la_t", "la_by", "titled", "coz")


class _I:
    __slots__ = ("t", "tm", "tu", "cat", "stage", "prev", "co", "cts", "deal",
                 "amt", "user", "due", "id")


class _L:
    __slots__ = ("t", "tu", "status", "tp", "voucher", "co", "ct", "deal",
                 "amt", "user", "id", "bill")


class _A:
    __slots__ = ("t", "k", "bind", "user", "author", "end", "done", "dl", "id",
                 "conn")


# --------------------------------------------------------------------------

class _Gen:
    def __init__(self, clients: int, seed: int, today: date, long_histories: bool = False):
        if clients < 0:
            raise ValueError("clients must be >= 0")
        self.n = clients
        self.seed = seed
        self.today = today
        self.long_histories = long_histories
        self.long_clients: list[_P] = []       # histories.py: the long-history companies
        self.extra_docs: list[tuple] = []      # histories.py: (t, entity type, record, template, user)
        self.invoice_bindings: list[tuple[dict, dict, _I]] = []   # activity row, binding, invoice
        r = self.r = random.Random(seed)
        self.rnd = r.random
        self.rr = r.randrange
        self.lang = "ru" if r.random() < 0.6 else "en"
        years = 6.0 + 2.0 * r.random()
        self.start = today - timedelta(days=int(years * 365.25))
        self.ndays = (today - self.start).days + 1
        self.NOW = self.ndays * DAY - 1          # today 23:59:59
        s = self.start
        self.days = [(s + timedelta(days=i)).isoformat() for i in range(self.ndays + 1)]
        self.tod = _tod_table()
        self.midn = [d + "T00:00:00" + OFFSET for d in self.days]
        # smart invoices replace legacy ones some 50 months before today
        # (or 40 % into the history, whichever is later)
        self.cutover = max(30, (sub_months(today, 50) - s).days,
                           int(self.ndays * 0.4)) * DAY
        self.b6 = (sub_months(today, 6) - s).days
        self.b18 = (sub_months(today, 18) - s).days
        self.mf_id = 0
        self.dirty_n = {}
        self.markup = N.DIRTY_HTML
        """The patterns of names with markup (`generate(markup_last=True)` puts it after the name)."""
        self.leg_paid = 0
        self.shared_phones = []
        self.deals: list[_D] = []
        self.invs: list[_I] = []
        self.legs: list[_L] = []
        self.acts: list[_A] = []

    # ---- time helpers ----------------------------------------------------
    def ts(self, s: int) -> str:
        d, x = divmod(s, DAY)
        return self.days[d] + self.tod[x]

    def happened(self, s: int) -> str:
        """When a record was created or changed.  The portal opens at 09:00 today, so today's
        hours are squeezed into 00:00–08:00 (in order, on the same date, which is what the
        rules read): a fresh portal holds no change still to come, and none in the seconds
        before it opened that a run's overlap would read again (many draws are clamped to
        the day's last second)."""
        midnight = self.NOW + 1 - DAY
        return self.ts(s if s < midnight else midnight + (s - midnight) * QUIET_UNTIL_S // DAY)

    def tod_s(self) -> int:
        """Seconds into a day: business hours mostly, a few near midnight."""
        x = self.rnd()
        if x < 0.012:
            return self.rr(0, 90)
        if x < 0.024:
            return DAY - 1 - self.rr(0, 90)
        if x < 0.08:
            return self.rr(18 * 3600, 23 * 3600)
        return 8 * 3600 + int(self.rnd() * 10.5 * 3600)

    def at_day(self, day: int) -> int:
        s = day * DAY + self.tod_s()
        return s if s <= self.NOW else self.NOW

    def between(self, a: int, b: int) -> int:
        """A business-looking moment in [a, b] (clamped)."""
        if b <= a:
            return a if a <= self.NOW else self.NOW
        s = self.at_day((a + int(self.rnd() * (b - a))) // DAY)
        if s < a:
            s = a
        elif s > b:
            s = b
        return s

    def later(self, a: int, mean_days: float, cap: int | None = None) -> int:
        cap = self.NOW if cap is None else cap
        s = a + int(self.r.expovariate(1.0 / (mean_days * DAY)))
        return s if s <= cap else cap

    # ---- users and departments -------------------------------------------
    def people_name(self, lang, fem=None):
        r = self.rnd
        fem = r() < 0.5 if fem is None else fem
        if lang == "ru":
            pool = N.RU_FEMALE if fem else N.RU_MALE
            first = pool[self.rr(len(pool))]
            last = N.RU_LAST[self.rr(len(N.RU_LAST))]
            if fem:
                last = N.ru_female_last(last)
            pat = N.RU_PATRONYMIC[self.rr(len(N.RU_PATRONYMIC))][1 if fem else 0]
            return first, last, pat, fem
        pool = N.EN_FEMALE if fem else N.EN_MALE
        first = pool[self.rr(len(pool))]
        return first, N.EN_LAST[self.rr(len(N.EN_LAST))], None, fem

    def make_org(self):
        ru = self.lang == "ru"

        def L(a, b):
            return a if ru else b

        self.own_names = []
        for i in range(2 if self.rnd() < 0.7 else 3):
            self.own_names.append(self.company_title(self.lang, own=True))
        t0 = self.own_names[0]
        self.own_slug = t0.split(" ", 1)[1] if ru else t0.rsplit(" ", 1)[0]
        deps = [
            ("1", self.own_names[0], None),
            ("2", L("Отдел продаж", "Sales"), "1"),
            ("3", L("Продажи — Москва", "Sales — North"), "2"),
            ("4", L("Продажи — регионы", "Sales — South"), "2"),
            ("5", L("Ключевые клиенты", "Key accounts"), "2"),
            ("6", L("Служба поддержки", "Customer support"), "1"),
            ("7", L("Маркетинг", "Marketing"), "1"),
            ("8", L("Бухгалтерия", "Accounting"), "1"),
            ("9", L("ИТ-отдел", "IT"), "1"),
        ]
        nusers = max(12, min(80, 8 + self.n // 1500))
        # fixed roles first: (dept, position ru, position en, access, admin)
        roles = [
            ("1", "Генеральный директор", "Chief executive officer", "all", True),
            ("2", "Коммерческий директор", "Head of sales", "all", False),
            ("8", "Главный бухгалтер", "Chief accountant", "all", False),
            ("7", "Маркетолог", "Marketing manager", "none", False),
            ("9", "Системный администратор", "System administrator", "none", True),
            ("6", "Руководитель поддержки", "Head of support", "department", False),
            ("6", "Специалист поддержки", "Support agent", "own", False),
            ("3", "Руководитель группы", "Team lead", "department", False),
            ("4", "Руководитель группы", "Team lead", "department", False),
            ("5", "Руководитель группы", "Team lead", "department", False),
        ]
        while len(roles) < nusers:
            dep = ("3", "4", "5", "3", "4")[self.rr(5)]
            acc = "own" if self.rnd() < 0.6 else "department"
            roles.append((dep, "Менеджер по продажам", "Sales manager", acc, False))
        users = []
        heads = {"1": "1", "2": "2", "8": "3", "7": "4", "9": "5", "6": "6"}
        self.sellers = []
        self.seller_w = []
        for i, (dep, pru, pen, acc, adm) in enumerate(roles):
            uid = str(i + 1)
            first, last, _pat, _fem = self.people_name(self.lang)
            if dep in ("3", "4", "5") and dep not in heads:
                heads[dep] = uid
            active = i < 10 or (i > 10 and self.rnd() > 0.12)   # #11 has left the firm
            phone = self.phone(self.lang)
            users.append({
                "ID": uid, "NAME": first, "LAST_NAME": last, "ACTIVE": active,
                "EMAIL": f"{N.latin(first)}.{N.latin(last)}@{N.latin(self.own_slug)[:16]}.example",
                "UF_DEPARTMENT": [int(dep)], "WORK_POSITION": pru if ru else pen,
                "PERSONAL_PHOTO": None,  # a URL would point off the machine; the app shows initials
                "WORK_PHONE": phone if self.rnd() < 0.7 else None,
                "PERSONAL_MOBILE": self.phone(self.lang) if self.rnd() < 0.5 else None,
                "ADMIN": adm, "CRM_ACCESS": acc,
            })
            if acc != "none" and dep in ("2", "3", "4", "5", "6"):
                self.sellers.append(uid)
                w = 1.0 if active else 0.35
                if dep in ("2", "6"):
                    w *= 0.25
                self.seller_w.append(w)
        self.departments = [
            {"ID": i, "NAME": nm, "SORT": 100 * int(i), "PARENT": par, "UF_HEAD": heads.get(i)}
            for i, nm, par in deps]
        self.users = users
        acc_w = []
        a = 0.0
        for w in self.seller_w:
            a += w
            acc_w.append(a)
        self.seller_cum = acc_w

    def seller(self) -> str:
        return self.r.choices(self.sellers, cum_weights=self.seller_cum)[0]

    # ---- names and multifields -------------------------------------------
    def company_title(self, lang, own=False):
        r = self.rnd
        if lang == "ru":
            x = r()
            if x < 0.55:
                root = N.RU_CO_ROOTS[self.rr(len(N.RU_CO_ROOTS))]
            else:
                root = N.RU_CO_PRE[self.rr(len(N.RU_CO_PRE))] + N.RU_CO_SUF[self.rr(len(N.RU_CO_SUF))]
            if not own and x > 0.92:
                f, last, p, _ = self.people_name("ru", fem=r() < 0.3)
                return f"ИП {last} {f[0]}. {p[0]}."
            form = N.RU_CO_FORMS[self.rr(len(N.RU_CO_FORMS))]
            if own:
                form = "ООО"
            if not form:
                return root
            q = r()
            if q < 0.5:
                return f"{form} «{root}»"
            if q < 0.85:
                return f'{form} "{root}"'
            return f"{form} {root}"
        root = N.EN_CO_ROOTS[self.rr(len(N.EN_CO_ROOTS))]
        if r() < 0.6:
            root += " " + N.EN_CO_SUF[self.rr(len(N.EN_CO_SUF))]
        form = "LLC" if own else N.EN_CO_FORMS[self.rr(len(N.EN_CO_FORMS))]
        return f"{root} {form}" if form else root

    def phone(self, lang) -> str:
        rr = self.rr
        if lang == "ru":
            st = rr(10)
            a, b, c, d = rr(100), rr(1000), rr(100), rr(100)
            if st < 5:
                return f"+7 9{a:02d} {b:03d}-{c:02d}-{d:02d}"
            if st < 7:
                return f"8 (9{a:02d}) {b:03d}-{c:02d}-{d:02d}"
            if st < 9:
                return f"+79{a:02d}{b:03d}{c:02d}{d:02d}"
            return f"+7 (495) {b:03d}-{c:02d}-{d:02d}"
        st = rr(10)
        area = 201 + rr(780)
        if st < 6:
            return f"+1 ({area}) 555-{rr(10000):04d}"
        if st < 8:
            return f"+1-{area}-{rr(200, 1000):03d}-{rr(10000):04d}"
        return f"+44 20 {rr(10000):04d} {rr(10000):04d}"

    def mf(self, type_id, value, vtype):
        self.mf_id += 1
        return {"ID": str(self.mf_id), "VALUE": value, "VALUE_TYPE": vtype, "TYPE_ID": type_id}

    def fill_comm(self, P, rec, slug, domain_hint):
        """PHONE / EMAIL / WEB / IM lists of a party."""
        r = self.rnd
        phones, emails, webs, ims = [], [], [], []
        lang = P.lang
        if P.comm:
            co = P.co
            if r() < (0.85 if co else 0.8):
                if self.shared_phones and r() < 0.012:
                    v = self.shared_phones[self.rr(len(self.shared_phones))]
                elif (not co) and P.primary is not None and P.primary.nm and r() < 0.2:
                    v = P.primary.nm          # the office phone, again
                else:
                    v = self.phone(lang)
                    if r() < 0.01:
                        self.shared_phones.append(v)
                phones.append(self.mf("PHONE", v, "WORK" if co else ("MOBILE" if r() < 0.7 else "WORK")))
                if co:
                    P.nm = v
                if r() < 0.1:
                    phones.append(self.mf("PHONE", self.phone(lang), "MOBILE" if r() < 0.5 else "OTHER"))
                if r() < 0.01:       # same number typed twice
                    phones.append(self.mf("PHONE", v, "HOME"))
            if r() < (0.75 if co else 0.55):
                if co:
                    local = ("info", "sales", "office", "hello", "zakaz")[self.rr(5)]
                    dom = f"{slug[:20]}.{'ru' if lang == 'ru' else 'com'}"
                else:
                    local = slug[:24] + (str(self.rr(100)) if r() < 0.4 else "")
                    dom = domain_hint
                emails.append(self.mf("EMAIL", f"{local}@{dom}", "WORK" if co or r() < 0.5 else "HOME"))
                if r() < 0.08:
                    emails.append(self.mf("EMAIL", f"{slug[:10]}{self.rr(1000)}@gmail.com", "HOME"))
            if co and r() < 0.45:
                webs.append(self.mf("WEB", f"https://{slug[:20]}.{'ru' if lang == 'ru' else 'com'}", "WORK"))
            if r() < 0.1:
                ims.append(self.mf("IM", "@" + slug[:20], "TELEGRAM"))
        if P.imol:
            conn = N.OPENLINE_CONNECTORS[self.rr(len(N.OPENLINE_CONNECTORS))]
            ims.append(self.mf("IM", f"imol|{conn}|{1 + self.rr(3)}|{self.rr(10**9)}|{self.rr(10**5)}", "IMOL"))
        if P.prof == "cnt" and P.comm and not (phones or emails or webs or ims):
            phones.append(self.mf("PHONE", self.phone(lang), "WORK"))
        if (P.dirty == "ws" and P.comm) or P.dirty == "ws_only":
            # a whitespace-only value; on "ws_only" cards it is the only one
            # (it is no contact data: such a card stays "without contacts")
            phones.append(self.mf("PHONE", N.WHITESPACE[self.rr(len(N.WHITESPACE))], "WORK"))
            if P.dirty == "ws_only" and r() < 0.5:
                emails.append(self.mf("EMAIL", N.WHITESPACE[self.rr(len(N.WHITESPACE))], "WORK"))
        rec["PHONE"] = phones
        rec["EMAIL"] = emails
        rec["WEB"] = webs
        rec["IM"] = ims

    def dirty_name(self, kind, name):
        i = self.dirty_n[kind] = self.dirty_n.get(kind, -1) + 1
        if kind == "html":        # cycle, so that every pattern shows up early
            return self.markup[i % len(self.markup)].format(name)
        if kind == "emoji":
            e = N.EMOJI[i % len(N.EMOJI)]
            return f"{e} {name}" if self.rnd() < 0.5 else f"{name} {e}"
        if kind == "spaces":
            return "  " + name + " "
        if kind == "long":
            return (name + " ") * 25
        return name

    # ---- parties -----------------------------------------------------------
    def creation_times(self, k: int) -> list[int]:
        """k creation moments, growing density over the years, one bulk import."""
        first = 3 * DAY
        span = self.NOW - first
        g = 1.0 / (1.5 + 0.6 * self.rnd())
        imp_day = (first + int(span * (0.12 + 0.1 * self.rnd()))) // DAY
        imp_at = imp_day * DAY + 10 * 3600
        out = []
        rnd = self.rnd
        for i in range(k):
            x = rnd()
            if x < 0.04:
                s = imp_at + self.rr(2400)       # 40-minute CSV import
            else:
                s = first + int(span * (rnd() ** g))
                s = (s // DAY) * DAY + self.tod_s()
                if s > self.NOW:
                    s = self.NOW
            out.append(s)
        if out:
            out[0] = first + self.tod_s()            # the portal's first client
        return out

    def quota(self, k, weights):
        """Exactly-proportioned, shuffled labels (every label at least once when k allows)."""
        tot = sum(w for _, w in weights)
        labels = []
        for name, w in weights:
            c = int(k * w / tot)
            if c == 0 and k >= 3 * len(weights):
                c = 1
            labels.extend([name] * c)
        i = 0
        while len(labels) < k:
            labels.append(weights[i % len(weights)][0])
            i += 1
        del labels[k:]
        self.r.shuffle(labels)
        return labels

    def make_parties(self):
        n = self.n
        r = self.rnd
        ncomp = int(round(n * (0.33 + 0.04 * r())))
        if n >= 2:
            ncomp = max(1, min(n - 1, ncomp))
        nb2c = n - ncomp
        other = "en" if self.lang == "ru" else "ru"
        # own companies at the very start
        own = []
        for i, title in enumerate(self.own_names):
            P = _P(True, DAY // 2 + 3600 * (i + 1), "own", self.lang, "1")
            P.own = True
            P.title = title
            P.req = 1
            own.append(P)
        prof_co = self.quota(ncomp, (("pay", 46), ("req", 18), ("dlg", 13), ("cnt", 15), ("none", 8)))
        prof_ct = self.quota(nb2c, (("pay", 40), ("req", 17), ("dlg", 16), ("cnt", 16), ("none", 11)))
        times = self.creation_times(n)
        comps = []
        for i in range(ncomp):
            P = _P(True, times[i], prof_co[i], other if r() < 0.12 else self.lang, self.seller())
            comps.append(P)
        b2c = []
        for i in range(nb2c):
            P = _P(False, times[ncomp + i], prof_ct[i], other if r() < 0.12 else self.lang, self.seller())
            b2c.append(P)
        # member contacts: 0..5 per company ("none" companies have none)
        members = []
        cum = (40, 70, 85, 93, 98, 100)
        for C in comps:
            if C.prof == "none":
                continue
            x = self.rr(100)
            k = 0
            while x >= cum[k]:
                k += 1
            for _ in range(k):
                if r() < 0.8:
                    t = self.later(C.t, 120)
                else:
                    t = C.t - int(r() * 30 * DAY)
                    if t < DAY:
                        t = DAY
                M = _P(False, t, "mem", C.lang, C.user if r() < 0.8 else self.seller())
                M.primary = C
                C.members.append(M)
                members.append(M)
        # contacts in several companies (the visiting sysadmin)
        hosts = [C for C in comps if C.prof in ("pay", "req")]
        if hosts and members:
            nmulti = max(3, int(len(members) * 0.05)) if len(hosts) > 1 else 0
            for _ in range(nmulti):
                M = members[self.rr(len(members))]
                for _k in range(1 if r() < 0.75 else 2):
                    H = hosts[self.rr(len(hosts))]
                    if H is M.primary or H in M.others:
                        continue
                    M.others.append(H)
                    H.bound.append(M)
        # profile "cnt" companies: some have nothing but their linked contacts
        for C in comps:
            if C.prof == "cnt" and C.members and r() < 0.3:
                C.comm = False
        self.comps = comps
        self.members = members
        if self.long_histories:
            histories.add_parties(self)
        # ids: own companies first, then by creation time
        allco = own + sorted(comps, key=lambda p: p.t)
        self.assign(allco)
        allct = sorted(b2c + members, key=lambda p: p.t)
        self.assign(allct)
        self.own = own
        self.b2c = b2c
        self.allco = allco
        self.allct = allct

    def assign(self, items, start=1):
        i = start - 1
        rr = self.rr
        rnd = self.rnd
        for it in items:
            i += 1
            if rnd() < 0.03:
                i += 1 + rr(12)    # rows deleted long ago
            it.id = i

    # ---- dirty data --------------------------------------------------------
    def mark_dirty(self):
        r = self.rnd
        pool_c = [P for P in self.comps + self.b2c + self.members]
        kinds = ("html", "emoji", "spaces", "long", "ws")
        k = max(len(kinds) * 3, int(len(pool_c) * 0.025)) if pool_c else 0
        for i in range(k):
            P = pool_c[self.rr(len(pool_c))]
            if P.dirty is None:
                P.dirty = kinds[i % len(kinds)]
        # empty cards: profile "none" parties with no name, no multifields
        nones = [P for P in self.comps + self.b2c if P.prof == "none"]
        for i, P in enumerate(nones):
            P.comm = False
            if i % 2 == 0 or r() < 0.2:
                P.dirty = "empty"
            elif i % 10 == 1:
                P.dirty = "ws_only"
        # "with contacts" via requisites only, no multifields
        for P in self.comps + self.b2c:
            if P.prof == "cnt" and r() < 0.15:
                P.comm = False
                P.req = 1
        # some of the with-dialogs contacts came from open lines
        for P in self.b2c:
            if P.prof in ("dlg", "pay", "req") and r() < 0.1:
                P.imol = True

    # ---- payments, requests ------------------------------------------------
    def cat(self):
        x = self.rr(100)
        for c, w in DEAL_CAT_WEIGHTS:
            if x < w:
                return c
            x -= w
        return 0

    def deal(self, P, t, co, cts, outcome, tc=None):
        """outcome: 'S' won at tc, 'F' lost at tc, 'P' in progress."""
        D = _D()
        D.t = t
        D.cat = c = self.cat()
        p, s, f = _DEAL_STAGES[c]
        D.co = co
        D.cts = cts
        D.user = P.user if (P is not None and self.rnd() < 0.85) else self.seller()
        D.by = D.user if self.rnd() < 0.7 else self.seller()
        D.amt = self.amount()
        D.la_t = -1
        D.la_by = None
        D.titled = self.rnd() < 0.5
        D.coz = "0" if self.rnd() < 0.8 else None
        if outcome == "P":
            D.stage = p[self.rr(len(p))]
            D.sem = "P"
            D.tc = None
            D.tm = self.between(t, self.NOW) if self.rnd() < 0.6 else t
            D.cd = min(self.ndays - 1, (t // DAY) + 7 + self.rr(60))
        else:
            if tc is None:
                tc = self.later(t, 25)
            D.tc = tc
            D.stage = s if outcome == "S" else f[self.rr(len(f))]
            D.sem = outcome
            D.tm = tc
            D.cd = tc // DAY
        self.deals.append(D)
        return D

    def amount(self):
        x = self.rnd()
        if x < 0.5:
            return 100 * (5 + self.rr(200))
        if x < 0.9:
            return 1000 * (20 + self.rr(500))
        return 1000 * (500 + self.rr(9500)) + (50 if self.rnd() < 0.1 else 0) / 100

    def inv(self, P, t, co, cts, deal, paid_at=None, stage=None):
        inv = _I()
        inv.t = t
        inv.cat = c = 0 if self.rnd() < 0.85 else 2
        p, s, f = _INV_STAGES[c]
        inv.co = co
        inv.cts = cts
        inv.deal = deal
        inv.user = deal.user if deal is not None else (P.user if P is not None else self.seller())
        inv.amt = deal.amt if deal is not None else self.amount()
        inv.due = min(self.ndays - 1, t // DAY + 5 + self.rr(25))
        if paid_at is not None:
            inv.stage = s
            inv.prev = p[self.rr(len(p))]
            inv.tm = paid_at
        else:
            if stage == "F":
                inv.stage = f[self.rr(len(f))]
            else:
                inv.stage = p[self.rr(len(p))]
            inv.prev = p[0] if inv.stage != p[0] else None
            inv.tm = t if inv.prev is None else self.between(t, min(self.NOW, t + 20 * DAY))
        inv.tu = inv.tm if self.rnd() < 0.7 else self.between(inv.tm, self.NOW)
        self.invs.append(inv)
        return inv

    def leg(self, P, t, co, ct, deal, paid_at=None, pay_style=None):
        L = _L()
        L.t = t
        L.co = co
        L.ct = ct
        L.deal = deal
        L.user = deal.user if deal is not None else (P.user if P is not None else self.seller())
        L.amt = deal.amt if deal is not None else self.amount()
        L.bill = t // DAY
        if paid_at is not None:
            L.status = "P"
            x = self.rnd() if pay_style is None else pay_style
            if self.leg_paid < 3:   # the first ones show each way of dating a payment
                x = (0.0, 0.8, 0.99)[self.leg_paid]
            self.leg_paid += 1
            if x < 0.7:      # voucher date = day paid, marked paid up to 3 days later
                L.voucher = paid_at // DAY
                L.tp = min(self.NOW, paid_at + self.rr(4) * DAY)
                L.tu = self.between(L.tp, min(self.NOW, L.tp + 400 * DAY)) if self.rnd() < 0.3 else L.tp
            elif x < 0.95:   # only DATE_PAYED
                L.voucher = None
                L.tp = paid_at
                L.tu = self.between(paid_at, min(self.NOW, paid_at + 400 * DAY)) if self.rnd() < 0.3 else paid_at
            else:            # neither: the payment date is DATE_UPDATE
                L.voucher = None
                L.tp = None
                L.tu = paid_at
        else:
            L.status = ("N", "S", "S", "D")[self.rr(4)]
            L.voucher = None
            L.tp = None
            L.tu = self.between(t, min(self.NOW, t + 30 * DAY))
        self.legs.append(L)
        return L

    def who(self, P, t):
        """(company, contacts) set on a deal or invoice of client P at time t."""
        if not P.co:
            return None, [P]
        x = self.rnd()
        mem = [M for M in P.members if M.t <= t]
        if x < 0.45 or not (mem or P.bound):
            return P, []
        if x < 0.85 and mem:
            if len(mem) > 1 and self.rnd() < 0.25:
                return P, self.r.sample(mem, 2)
            return P, [mem[self.rr(len(mem))]]
        if x < 0.93 and mem:
            return None, [mem[self.rr(len(mem))]]    # member contact only
        bnd = [M for M in P.bound if M.t <= t]
        if x < 0.97 and bnd:
            return P, [bnd[self.rr(len(bnd))]]       # contact whose primary is elsewhere
        if self.b2c_payers:
            Q = self.b2c_payers[self.rr(len(self.b2c_payers))]
            if Q.t <= t:
                return P, [Q]                        # a private person on a company deal
        return P, []

    def purchase(self, P, p, kind=None):
        """One payment of client P dated p (the latest success in the group)."""
        r = self.rnd
        legacy_era = p < self.cutover
        if kind is None:
            x = r()
            if legacy_era:
                kind = ("won" if x < 0.38 else "won_leg" if x < 0.62 else "leg_only" if x < 0.86
                        else "leg_install" if x < 0.94 else "prog_leg")
            else:
                kind = ("won" if x < 0.56 else "won_inv" if x < 0.72 else "install" if x < 0.78
                        else "inv_only" if x < 0.92 else "lost_inv" if x < 0.95 else "prog_inv")
        lo = P.t + 600
        start = p - int((3 + 60 * r()) * DAY)
        if kind in ("install", "leg_install"):
            start = p - int((45 + 200 * r()) * DAY)
        if not legacy_era and start < self.cutover:
            start = self.between(self.cutover, p)
        if start < lo:
            start = lo if lo < p else p
        co, cts = self.who(P, start)
        if kind == "won":
            self.deal(P, start, co, cts, "S", p)
        elif kind == "inv_only":
            self.inv(P, start, co, cts, None, paid_at=p)
        elif kind == "leg_only":
            self.leg(P, start, co, cts[0] if cts else None, None, paid_at=p)
        elif kind == "won_inv":
            if r() < 0.5:      # deal closed on p, invoice paid a few days before
                D = self.deal(P, start, co, cts, "S", p)
                self.inv(P, start + (p - start) // 3, co, cts, D, paid_at=start + (p - start) * 2 // 3)
            else:              # deal won first, invoice paid on p
                D = self.deal(P, start, co, cts, "S", start + (p - start) // 2)
                self.inv(P, start + (p - start) // 3, co, cts, D, paid_at=p)
        elif kind == "won_leg":
            D = self.deal(P, start, co, cts, "S", p)
            self.leg(P, start + (p - start) // 3, co, cts[0] if cts else None, D,
                     paid_at=start + (p - start) // 2)
        elif kind in ("install", "leg_install"):
            won = r() < 0.6
            D = self.deal(P, start, co, cts, "S" if won else "P", p)
            if not won:
                D.tm = self.between(start, p)
            k = 2 + self.rr(3)
            for j in range(k):
                paid = p if j == k - 1 else start + (p - start) * (j + 1) // k
                issued = start + (paid - start) // 2
                if kind == "install":
                    self.inv(P, issued, co, cts, D, paid_at=paid)
                else:
                    self.leg(P, issued, co, cts[0] if cts else None, D, paid_at=paid)
        elif kind == "lost_inv":
            D = self.deal(P, start, co, cts, "F", start + (p - start) // 2)
            self.inv(P, start + (p - start) // 4, co, cts, D, paid_at=p)
        elif kind == "prog_inv":
            D = self.deal(P, start, co, cts, "P")
            self.inv(P, start + (p - start) // 4, co, cts, D, paid_at=p)
        elif kind == "prog_leg":
            D = self.deal(P, start, co, cts, "P")
            self.leg(P, start + (p - start) // 4, co, cts[0] if cts else None, D, paid_at=p)
        else:
            raise AssertionError(kind)

    def request(self, P, t):
        """A deal or invoice that is in progress or lost (never paid)."""
        r = self.rnd
        co, cts = self.who(P, t)
        x = r()
        if x < 0.4:
            D = self.deal(P, t, co, cts, "P")
        elif x < 0.7:
            D = self.deal(P, t, co, cts, "F")
        elif x < 0.85:
            D = None
            if t >= self.cutover:
                self.inv(P, t, co, cts, None, stage="F" if r() < 0.3 else "P")
            else:
                self.leg(P, t, co, cts[0] if cts else None, None)
        else:
            D = self.deal(P, t, co, cts, "P" if r() < 0.6 else "F")
            if t >= self.cutover:
                self.inv(P, self.between(t, min(self.NOW, t + 10 * DAY)), co, cts, D,
                         stage="F" if D.sem == "F" else "P")
            else:
                self.leg(P, self.between(t, min(self.cutover - 1, t + 10 * DAY)), co,
                         cts[0] if cts else None, D)
        return D

    def plan_payer(self, P, forced=None):
        r = self.rnd
        now = self.NOW
        c = min(P.t + 3600, now)
        regular = r() < 0.52
        k = 1
        if regular:
            k = 2
            while k < 12 and r() < 0.3:
                k += 1
        if forced is not None:
            L, kind = forced
        else:
            kind = None
            # last payment: active / sleeping / lost, as the creation time allows
            a6 = self.b6 * DAY + DAY     # first moment that is "active"
            a18 = self.b18 * DAY + DAY
            x = r()
            if x < 0.38 or c >= a18 and x < 0.6 or c >= a6:
                lo, hi = max(c, a6), now
            elif x < 0.65 or c >= a18:
                lo, hi = max(c, a18), a6 - 1
            else:
                lo, hi = c, a18 - 1
            L = self.between(lo, hi)
        if L < c:
            L = c
        earlier = sorted(c + int(r() * (L - c)) for _ in range(k - 1))
        for e in earlier:
            self.purchase(P, e)
        self.purchase(P, L, kind)
        # things that never turned into money
        if r() < 0.15:
            for _ in range(1 + (r() < 0.3)):
                self.request(P, self.between(c, now))

    # ---- activities --------------------------------------------------------
    _KIND_W = (("call_in", 18), ("call_out", 20), ("email_in", 10), ("email_out", 14),
               ("meeting", 7), ("openline", 12), ("todo", 12), ("task", 7))

    def kind(self):
        x = self.rr(100)
        for k, w in self._KIND_W:
            if x < w:
                return k
            x -= w
        return "todo"

    def act(self, t, bind, user, kind=None):
        A = _A()
        A.t = t
        A.k = k = kind or self.kind()
        A.bind = bind
        A.user = user
        A.author = user if self.rnd() < 0.85 else self.seller()
        r = self.rnd
        if k in ("call_in", "call_out"):
            end = t + 20 + self.rr(1200)
        elif k == "meeting":
            end = t + 3600 * (1 + self.rr(2))
        elif k == "openline":
            end = t + 60 + self.rr(3600)
        elif k in ("todo", "task"):
            end = t + DAY * (1 + self.rr(10))
        else:
            end = t
        if end > self.NOW:
            end = self.NOW
        A.end = end
        A.dl = t if k in ("call_in", "call_out", "meeting", "email_in", "email_out", "openline") else end
        if k in ("todo", "task"):
            A.done = end < self.NOW - 3 * DAY and r() < 0.9
        else:
            A.done = r() < 0.97 or end < self.NOW - 30 * DAY
        A.conn = N.OPENLINE_CONNECTORS[self.rr(len(N.OPENLINE_CONNECTORS))] if k == "openline" else None
        self.acts.append(A)
        return A

    def client_acts(self, P, k, only_members=False, kind=None):
        """k activities bound to client P and/or its member contacts."""
        r = self.rnd
        for _ in range(k):
            if P.co:
                x = r()
                if (x < 0.25 or only_members) and P.members:
                    M = P.members[self.rr(len(P.members))]
                    bind = [M]
                    lo = M.t
                elif x < 0.4 and P.members:
                    M = P.members[self.rr(len(P.members))]
                    bind = [P, M]
                    lo = max(P.t, M.t)
                else:
                    bind = [P]
                    lo = P.t
            else:
                bind = [P]
                lo = P.t
            t = self.between(lo + 60, self.NOW)
            self.act(t, bind, P.user, kind)

    def deal_acts(self):
        r = self.rnd
        for D in self.deals:
            if r() >= 0.12:
                continue
            end = D.tc if D.tc is not None else self.NOW
            for _ in range(1 + (r() < 0.35)):
                t = self.between(D.t + 60, end)
                bind = [D]
                if r() < 0.8:
                    if D.co is not None:
                        bind.append(D.co)
                    bind.extend(D.cts)
                self.act(t, bind, D.user)

    # ---- the plan ----------------------------------------------------------
    def plan(self):
        r = self.rnd
        clients = self.comps + self.b2c
        self.b2c_payers = [P for P in self.b2c if P.prof == "pay"]
        # boundary cases: last payment exactly on / one day after today-6m and today-18m
        b6, b18 = self.b6, self.b18
        variants = [
            (b6, 0, "won"), (b6, 0, "inv_only"), (b6, DAY - 1, "inv_only"),
            (b6 + 1, 0, "inv_only"), (b6 + 1, 10 * 3600, "won"), (b6 + 1, 1800, "inv_only"),
            (b18, 0, "won"), (b18, DAY - 1, "inv_only"), (b18 + 1, 0, "inv_only"),
            (b18 + 1, 14 * 3600, "won"), (b18 + 1, 3600, "inv_only"),
            (self.ndays - 1, 23 * 3600 + 59 * 60 + 59, "inv_only"),   # paid today, late evening
        ]
        payers = [P for P in clients if P.prof == "pay" and P.t < (b18 - 40) * DAY]
        self.r.shuffle(payers)
        reps = max(1, self.n // 2500)
        forced = {}
        i = 0
        for v in variants:
            for _ in range(reps):
                if i < len(payers):
                    forced[id(payers[i])] = v
                    i += 1
        for P in clients:
            pr = P.prof
            if pr == "pay":
                v = forced.get(id(P))
                if v is not None:
                    day, sec, kind = v
                    if kind == "inv_only" and day * DAY < self.cutover:
                        kind = "leg_only"
                    self.plan_payer(P, (day * DAY + sec, kind))
                else:
                    self.plan_payer(P)
                x = r()
                self.client_acts(P, 0 if x < 0.6 else 1 if x < 0.92 else 2)
            elif pr == "req":
                for _ in range(1 + (r() < 0.3) + (r() < 0.08)):
                    self.request(P, self.between(P.t + 600, self.NOW))
                if r() < 0.4:
                    self.client_acts(P, 1)
            elif pr == "dlg":
                x = r()
                if x < 0.2:          # only open-line chats (the incumbent's blind spot)
                    self.client_acts(P, 1 + self.rr(2), kind="openline")
                elif x < 0.3 and P.co and P.members:
                    self.client_acts(P, 1 + self.rr(2), only_members=True)
                else:
                    self.client_acts(P, 1 + self.rr(4))
        # deals with neither company nor contact
        norph = max(3, len(self.deals) // 60) if self.n else 0
        for _ in range(norph):
            t = self.between(DAY, self.NOW)
            x = r()
            if x < 0.3:
                self.deal(None, t, None, [], "S", self.later(t, 20))
            elif x < 0.6:
                self.deal(None, t, None, [], "F")
            else:
                self.deal(None, t, None, [], "P")
        # a few invoices pointing at nobody
        for _ in range(max(2, len(self.invs) // 300) if self.n else 0):
            t = self.between(self.cutover, self.NOW)
            self.inv(None, t, None, [], None, paid_at=self.later(t, 10) if r() < 0.5 else None)
        if self.long_histories:
            histories.plan(self)
        self.deal_acts()

    # ---- rows --------------------------------------------------------------
    def sort_ids(self, items):
        items.sort(key=lambda o: o.t)
        self.assign(items)

    def touch(self, A, s, by):
        for B in A.bind:
            if not isinstance(B, _I) and s > B.la_t:
                B.la_t = s
                B.la_by = by

    def rows_activities(self):
        acts = self.acts
        self.sort_ids(acts)
        ts = self.ts
        ru = self.lang == "ru"
        out = []
        for A in acts:
            prov, type_id, ptype, sru, sen = N.ACTIVITY_KINDS[A.k]
            binds = []
            for B in A.bind:
                if isinstance(B, _D):
                    binds.append({"OWNER_TYPE_ID": "2", "OWNER_ID": str(B.id)})
                elif isinstance(B, _I):     # numbered later: filled in by run()
                    binds.append({"OWNER_TYPE_ID": "31", "OWNER_ID": None})
                elif B.co:
                    binds.append({"OWNER_TYPE_ID": "4", "OWNER_ID": str(B.id)})
                else:
                    binds.append({"OWNER_TYPE_ID": "3", "OWNER_ID": str(B.id)})
            b0 = binds[0]
            k = A.k
            if k == "openline":
                ptype = A.conn                 # the open-line connector
                direction = "1"
                assoc = str(100000 + A.id)
            elif k in ("call_in", "email_in"):
                direction = "1"
                assoc = str(A.id * 7) if k == "email_in" else "0"
            elif k in ("call_out", "email_out"):
                direction = "2"
                assoc = "0"
            else:
                direction = "0"
                assoc = str(50000 + A.id) if k == "task" else "0"
            created = ts(A.t)
            end = ts(A.end)
            upd = A.end if A.done else A.t
            self.touch(A, A.t, A.author)
            row = {
                "ID": str(A.id), "OWNER_ID": b0["OWNER_ID"], "OWNER_TYPE_ID": b0["OWNER_TYPE_ID"],
                "TYPE_ID": type_id, "PROVIDER_ID": prov, "PROVIDER_TYPE_ID": ptype,
                "ASSOCIATED_ENTITY_ID": assoc,        # session / task / mail message id, else "0"
                "SUBJECT": sru if ru else sen, "COMPLETED": "Y" if A.done else "N",
                "DIRECTION": direction,
                "CREATED": self.happened(A.t), "LAST_UPDATED": self.happened(upd),
                "START_TIME": created, "END_TIME": end, "DEADLINE": ts(A.dl),
                "AUTHOR_ID": A.author, "RESPONSIBLE_ID": A.user,
                "BINDINGS": binds,
            }
            self.invoice_bindings += [(row, b, B) for b, B in zip(binds, A.bind) if isinstance(B, _I)]
            out.append(row)
        return out

    def rows_parties(self):
        r = self.rnd
        now = self.NOW
        companies = []
        for P in self.allco:
            if P.own:
                title = P.title
                dirty = None
            else:
                dirty = P.dirty
                title = self.company_title(P.lang)
                if dirty == "empty":
                    title = "" if r() < 0.5 else None
                elif dirty == "ws":
                    title = N.WHITESPACE[self.rr(len(N.WHITESPACE))] if r() < 0.5 else title
                elif dirty:
                    title = self.dirty_name(dirty, title)
            slug = N.latin(title or "company")
            mod = P.t if r() < 0.25 else self.between(P.t, now)
            rec = {
                "ID": str(P.id), "TITLE": title, "COMPANY_TYPE": "CUSTOMER" if not P.own else "OTHER",
                "IS_MY_COMPANY": "Y" if P.own else "N",
                "ASSIGNED_BY_ID": P.user, "CREATED_BY_ID": P.user if r() < 0.7 else self.seller(),
                "DATE_CREATE": self.happened(P.t), "DATE_MODIFY": self.happened(mod),
            }
            if r() < 0.5:
                rec["INDUSTRY"] = N.INDUSTRIES[self.rr(len(N.INDUSTRIES))]
            self.fill_comm(P, rec, slug, None)
            rec["LAST_ACTIVITY_TIME"] = self.happened(P.la_t) if P.la_t >= 0 else None
            rec["LAST_ACTIVITY_BY"] = P.la_by
            companies.append(rec)
        contacts = []
        bindings = []
        domains_ru = ("mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru", "list.ru", "rambler.ru")
        domains_en = ("gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.co.uk")
        for P in self.allct:
            dirty = P.dirty
            first, last, pat, fem = self.people_name(P.lang)
            if P.lang != "ru" or r() < 0.5:
                pat = None
            if dirty == "empty":
                first = last = pat = None if r() < 0.5 else ""
                if r() < 0.3:
                    first = ""
            elif dirty == "ws":
                first = N.WHITESPACE[self.rr(len(N.WHITESPACE))]
                last = None if r() < 0.5 else N.WHITESPACE[self.rr(len(N.WHITESPACE))]
            elif dirty in ("html", "emoji", "spaces", "long"):
                if r() < 0.5:
                    first = self.dirty_name(dirty, first)
                else:
                    last = self.dirty_name(dirty, last)
            elif r() < 0.04:
                last = None          # only a first name, very common
            slug = N.latin((first or "") + "." + (last or "")).strip(".") if (first or last) else "client"
            dom = (domains_ru if P.lang == "ru" else domains_en)[self.rr(6)]
            mod = P.t if r() < 0.3 else self.between(P.t, now)
            rec = {"ID": str(P.id), "NAME": first}
            if pat:
                rec["SECOND_NAME"] = pat
            rec["LAST_NAME"] = last
            if P.primary is not None:
                rec["COMPANY_ID"] = str(P.primary.id)
                if r() < 0.3:
                    rec["POST"] = (("Директор", "Бухгалтер", "Менеджер по закупкам", "Инженер",
                                    "Системный администратор") if P.lang == "ru" else
                                   ("Director", "Accountant", "Purchasing manager", "Engineer",
                                    "Sysadmin"))[self.rr(5)]
                bindings.append({"CONTACT_ID": str(P.id), "COMPANY_ID": str(P.primary.id),
                                 "IS_PRIMARY": "Y", "SORT": "10"})
                for j, H in enumerate(P.others):
                    bindings.append({"CONTACT_ID": str(P.id), "COMPANY_ID": str(H.id),
                                     "IS_PRIMARY": "N", "SORT": str(20 + 10 * j)})
            else:
                x = r()
                if x < 0.5:
                    rec["COMPANY_ID"] = None
                elif x < 0.8:
                    rec["COMPANY_ID"] = "0"
                # else: the key is missing altogether
            rec["ASSIGNED_BY_ID"] = P.user
            rec["CREATED_BY_ID"] = P.user if r() < 0.7 else self.seller()
            rec["DATE_CREATE"] = self.happened(P.t)
            rec["DATE_MODIFY"] = self.happened(mod)
            self.fill_comm(P, rec, slug, dom)
            rec["LAST_ACTIVITY_TIME"] = self.happened(P.la_t) if P.la_t >= 0 else None
            rec["LAST_ACTIVITY_BY"] = P.la_by
            contacts.append(rec)
        return companies, contacts, bindings

    def rows_deals(self):
        deals = self.deals       # already sorted and numbered in run()
        ts = self.ts
        midn = self.midn
        ru = self.lang == "ru"
        titles = N.RU_DEAL_TITLES if ru else N.EN_DEAL_TITLES
        cur = "RUB" if ru else "USD"
        out = []
        for D in deals:
            if D.titled:
                title = ("Сделка #" if ru else "Deal #") + str(D.id)
            else:
                title = titles[self.rr(len(titles))]
            cts = [str(c.id) for c in D.cts]
            closed = D.sem != "P"
            mod = D.tm
            if D.la_t > mod and self.rnd() < 0.3:
                mod = D.la_t
            amt = D.amt
            out.append({
                "ID": str(D.id), "TITLE": title, "CATEGORY_ID": str(D.cat),
                "STAGE_ID": D.stage, "STAGE_SEMANTIC_ID": D.sem, "CLOSED": "Y" if closed else "N",
                "COMPANY_ID": str(D.co.id) if D.co is not None else D.coz,
                "CONTACT_ID": cts[0] if cts else None, "CONTACT_IDS": cts,
                "OPPORTUNITY": f"{amt:.2f}", "CURRENCY_ID": cur,
                "ASSIGNED_BY_ID": D.user, "CREATED_BY_ID": D.by,
                "DATE_CREATE": self.happened(D.t), "DATE_MODIFY": self.happened(mod), "MOVED_TIME": ts(D.tm),
                "CLOSEDATE": midn[D.cd],
            })
        return out

    def rows_invoices(self):
        invs = self.invs
        self.sort_ids(invs)
        ts = self.ts
        midn = self.midn
        ru = self.lang == "ru"
        cur = "RUB" if ru else "USD"
        out = []
        for inv in invs:
            cts = [c.id for c in inv.cts]
            amt = inv.amt
            if isinstance(amt, float) and amt.is_integer():
                amt = int(amt)
            u = int(inv.user)
            out.append({
                "id": inv.id, "title": ("Счёт #" if ru else "Invoice #") + str(inv.id),
                "categoryId": inv.cat, "stageId": inv.stage,
                "companyId": inv.co.id if inv.co is not None else 0,
                "contactId": cts[0] if cts else 0, "contactIds": cts,
                "parentId2": inv.deal.id if inv.deal is not None else 0,
                "opportunity": amt, "currencyId": cur,
                "assignedById": u, "createdBy": u,
                "createdTime": self.happened(inv.t), "updatedTime": self.happened(inv.tu), "movedTime": ts(inv.tm),
                "closedate": midn[inv.due],
            })
        return out

    def rows_legacy(self):
        legs = self.legs
        self.sort_ids(legs)
        ts = self.ts
        midn = self.midn
        ru = self.lang == "ru"
        my = [P.id for P in self.own]
        out = []
        for L in legs:
            paid = L.status == "P"
            out.append({
                "ID": str(L.id), "ACCOUNT_NUMBER": f"{'СЧ' if ru else 'INV'}-{L.id}",
                "ORDER_TOPIC": ("Счёт №" if ru else "Invoice #") + str(L.id),
                "STATUS_ID": L.status, "PAYED": "Y" if paid else "N",
                "DATE_PAYED": ts(L.tp) if L.tp is not None else None,
                "PAY_VOUCHER_DATE": midn[L.voucher] if L.voucher is not None else None,
                "PAY_VOUCHER_NUM": str(1000 + L.id) if L.voucher is not None else None,
                "DATE_BILL": midn[L.bill], "DATE_INSERT": self.happened(L.t),
                "DATE_PAY_BEFORE": midn[min(self.ndays - 1, L.bill + 10)],
                "DATE_STATUS": ts(L.tu), "DATE_UPDATE": self.happened(L.tu),
                "PRICE": f"{L.amt:.2f}", "CURRENCY": "RUB" if ru else "USD",
                "RESPONSIBLE_ID": L.user,
                "UF_COMPANY_ID": str(L.co.id) if L.co is not None else "0",
                "UF_CONTACT_ID": str(L.ct.id) if L.ct is not None else "0",
                "UF_MYCOMPANY_ID": str(my[0]),
                "UF_DEAL_ID": str(L.deal.id) if L.deal is not None else "0",
                "PERSON_TYPE_ID": "1" if L.co is None else "2",
            })
        return out

    def rows_requisites(self):
        ts = self.ts
        r = self.rnd
        out = []
        items = []
        for P in self.allco:
            if P.req or (P.prof in ("pay", "req", "cnt", "dlg") and r() < 0.4):
                items.append(P)
        for P in self.b2c:
            if P.req or (P.prof in ("pay", "req", "cnt") and r() < 0.05):
                items.append(P)
        rows = []
        for P in items:
            n = 2 if r() < 0.05 else 1
            for _ in range(n):
                rows.append((self.between(P.t, self.NOW), P))
        rows.sort(key=lambda x: x[0])
        i = 0
        ru = self.lang == "ru"
        for t, P in rows:
            i += 1
            if P.co:
                preset = "1"
                name = ("Организация" if ru else "Organization")
                inn = "".join(str(self.rr(10)) for _ in range(10))
            else:
                preset = "2" if r() < 0.6 else "3"
                name = ("ИП" if ru else "Sole proprietor") if preset == "2" else ("Физ. лицо" if ru else "Person")
                inn = "".join(str(self.rr(10)) for _ in range(12))
            out.append({
                "ID": str(i), "ENTITY_TYPE_ID": "4" if P.co else "3", "ENTITY_ID": str(P.id),
                "PRESET_ID": preset, "NAME": name, "RQ_INN": inn,
                "DATE_CREATE": ts(t), "CREATED_BY_ID": P.user,
            })
        return out

    def rows_documents(self):
        r = self.rnd
        ru = self.lang == "ru"
        rows = []
        for D in self.deals:
            if r() < 0.08:
                t = self.between(D.t + 600, D.tc if D.tc is not None else self.NOW)
                rows.append((t, 2, D.id, 1, int(D.user)))
        for inv in self.invs:
            if r() < 0.12:
                rows.append((self.between(inv.t, min(self.NOW, inv.t + 2 * DAY)), 31, inv.id, 2, int(inv.user)))
        for P in self.comps:
            if P.prof == "pay" and r() < 0.05:
                rows.append((self.between(P.t, self.NOW), 4, P.id, 3, int(P.user)))
        rows += [(t, et, record.id, tpl, by) for t, et, record, tpl, by in self.extra_docs]
        rows.sort(key=lambda x: x[0])
        titles = {1: ("Договор", "Contract"), 2: ("Счёт", "Invoice"), 3: ("Карточка клиента", "Client card")}
        out = []
        ts = self.ts
        for i, (t, et, eid, tpl, by) in enumerate(rows, 1):
            out.append({
                "id": i, "title": titles[tpl][0 if ru else 1] + f" {i}", "number": str(i),
                "templateId": tpl, "entityTypeId": et, "entityId": eid,
                "createTime": ts(t), "createdBy": by,
            })
        return out

    def rows_statuses(self):
        ru = self.lang == "ru"
        out = []
        cats = []
        n = 0
        for cat, (cru, cen, csort, stages) in DEAL_PIPELINES.items():
            ent = "DEAL_STAGE" if cat == 0 else f"DEAL_STAGE_{cat}"
            cats.append({"id": cat, "name": cru if ru else cen, "sort": csort,
                         "entityTypeId": 2, "isDefault": "Y" if cat == 0 else "N"})
            for j, (code, sru, sen, sem, system) in enumerate(stages):
                n += 1
                name = sru if ru else sen
                out.append({
                    "ID": str(n), "ENTITY_ID": ent, "STATUS_ID": code, "NAME": name,
                    "NAME_INIT": name if system == "Y" else None, "SORT": str(10 * (j + 1)),
                    "SYSTEM": system, "CATEGORY_ID": None if cat == 0 else str(cat),
                    "COLOR": _COLORS[sem], "SEMANTICS": sem,
                    "EXTRA": {"SEMANTICS": _EXTRA_SEM[sem], "COLOR": _COLORS[sem]},
                })
        for cat, (cru, cen, csort, stages) in INVOICE_PIPELINES.items():
            ent = f"SMART_INVOICE_STAGE_{cat}"
            cats.append({"id": cat, "name": cru if ru else cen, "sort": csort,
                         "entityTypeId": 31, "isDefault": "Y" if cat == 0 else "N"})
            for j, (code, sru, sen, sem, system) in enumerate(stages):
                n += 1
                name = sru if ru else sen
                out.append({
                    "ID": str(n), "ENTITY_ID": ent, "STATUS_ID": code, "NAME": name,
                    "NAME_INIT": name if system == "Y" else None, "SORT": str(10 * (j + 1)),
                    "SYSTEM": system, "CATEGORY_ID": str(cat),
                    "COLOR": _COLORS[sem], "SEMANTICS": sem,
                })
        return out, cats

    # ---- everything ----------------------------------------------------------
    def run(self) -> dict:
        self.make_org()
        self.make_parties()
        self.mark_dirty()
        self.plan()
        # deal ids first: activities and invoices refer to them
        deals_pre = self.deals
        self.sort_ids(deals_pre)
        activities = self.rows_activities()     # also sets LAST_ACTIVITY_*
        deals = self.rows_deals()
        invoices = self.rows_invoices()
        for row, binding, invoice in self.invoice_bindings:
            binding["OWNER_ID"] = str(invoice.id)
            row["OWNER_ID"] = row["BINDINGS"][0]["OWNER_ID"]
        legacy = self.rows_legacy()
        companies, contacts, bindings = self.rows_parties()
        requisites = self.rows_requisites()
        documents = self.rows_documents()
        statuses, categories = self.rows_statuses()
        r = self.rr
        dom = N.latin(self.own_slug)[:16] or "demo"
        snapshot = {
            "format": FORMAT,
            "portal": {
                "domain": f"{dom}.bitrix24.{'ru' if self.lang == 'ru' else 'com'}",
                "member_id": "".join("0123456789abcdef"[r(16)] for _ in range(32)),
                "lang": self.lang, "utc_offset": OFFSET,
            },
            "generator": {"name": "b24sim", "clients": self.n, "seed": self.seed,
                          "today": self.today.isoformat(),
                          **({"long_histories": [{"company": P.id, "contacts": len(P.members) + len(P.bound)}
                                                 for P in self.long_clients]} if self.long_histories else {})},
            "users": self.users,
            "departments": self.departments,
            "contacts": contacts,
            "companies": companies,
            "contact_companies": bindings,
            "deals": deals,
            "invoices": invoices,
            "legacy_invoices": legacy,
            "statuses": statuses,
            "categories": categories,
            "activities": activities,
            "requisites": requisites,
            "documents": documents,
            "timeline_comments": histories.comments(self),
            "userfields": [],
        }
        planning.add(self, snapshot)     # currencies, money, deeper departments, planning activities
        return snapshot


def generate(clients: int, seed: int, today: date = DEFAULT_TODAY, *, markup_last: bool = False,
             long_histories: bool = False) -> dict:
    """A synthetic portal with ``clients`` client records, as a snapshot dict.

    ``clients`` counts companies (~35 %) plus contacts linked to no company;
    member contacts of companies (0-5 each) and own companies come on top.
    ``markup_last`` (the demo): names with markup still come, but with the
    markup after the name, so they sort among the others instead of first.
    ``long_histories`` adds three companies with 1, 20 and 200 contacts and
    thousands of history items (histories.py) and changes every other row.
    """
    # Millions of small acyclic rows: the cyclic GC only costs time here
    # (about a third of the run); it is switched back on before returning.
    was = gc.isenabled()
    gc.disable()
    try:
        gen = _Gen(int(clients), seed, today, long_histories)
        gen.markup = N.DIRTY_HTML_LAST if markup_last else N.DIRTY_HTML
        return gen.run()
    finally:
        if was:
            gc.enable()
