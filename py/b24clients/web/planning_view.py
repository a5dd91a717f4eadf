"""The Planning mode on screen, and the "Plan a call / meeting" form (planning.md
"Planning view").  What is shown is decided in `planning.py`; this only draws it
and wires the events.

The panel: whose clients (a head's or an admin's picker), the bands' totals
and "Slipping soon", then one folding group per rank and band — the groups a
manager must act on open, each listing its most overdue clients first with a
Call and a Meeting button.  Rows are drawn when a group is opened, 50 at a time,
so a manager with thousands of clients waits for nothing; of the groups open
at first, the first is filled at once and each other in a task of its own, so
that no task holds the page for long (`.plan-groups[data-filled]` once all are).  The form: date,
time, title, and the responsible's month of open activities, days over the
daily capacity marked; saving creates the to-do and the row moves to
"planned" at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from pyodide.ffi import create_proxy

from ..lifecycle import Thresholds
from ..model import Activity, Crm, Ref
from ..ranks import BANDS, DayLoad, RankSettings, TouchStatus, month_load
from ..ranks.scope import Scope
from ..steps import with_pauses
from ..sync.planning import PING_MINUTES, PlanningRead
from ..words import agree
from . import planning
from .dom import element, local_date, local_month, local_number, next_task, short_date
from .listview import display_name

PAGE_ROWS = 50
COLUMNS = ("client", "last_touch", "due", "overdue", "next", "responsible", "lifecycle")


@dataclass
class PlanningSource:
    """What the LiveApp read for the mode, once per page (or after a refresh)."""

    crm: Crm
    read: PlanningRead
    scope: Scope
    settings: RankSettings
    thresholds: Thresholds
    plan: Callable[[planning.PlanRow, str], Awaitable[Activity | None]]
    """Open the form for a row ("call" or "meeting"); the to-do made, or None if cancelled."""
    scope_key: str = ""
    statuses: dict[Ref, TouchStatus] = field(default_factory=dict)
    rows_of: object = None
    """The Data whose rows `statuses` were computed for."""

    def ready_for(self, data) -> bool:
        """The bands are this Data's (a new Data — a refresh, new settings — bands again)."""
        return self.rows_of is data

    async def band(self, data, pause: Callable[[], Awaitable[None]]) -> None:
        """Every listed client's band for this Data, computed with pauses (steps.py): for a
        large portfolio it takes longer than a page may hold its main thread."""
        self.statuses = await with_pauses(
            planning.statuses_steps(data.rows, self.crm, self.read.activities, self.settings, data.today), pause)
        self.rows_of = data

    def statuses_of(self, data) -> dict[Ref, TouchStatus]:
        """The bands of this Data, once `band` has computed them."""
        assert self.ready_for(data), "band() first"
        return self.statuses


class PlanningPanel:
    def __init__(self, text: dict[str, str], language: str, names: Callable[[int | None], str],
                 open_client: Callable[[object, object], None], redraw: Callable[[], None]):
        self.text, self.language, self.names = text, language, names
        self.open_client, self.redraw = open_client, redraw
        self.shown: dict[str, int] = {}
        """How many rows each open group shows."""
        self.opened: set[str] = set()
        self.closed: set[str] = set()
        """Groups the user opened or folded against their default."""

    # --- the panel ------------------------------------------------------------------

    def nodes(self, source: PlanningSource, data) -> list:
        statuses = source.statuses_of(data)
        if not source.scope_key:
            source.scope_key = source.scope.default()
        users = source.scope.users(source.scope_key)
        rows = planning.in_scope(data.rows, users)
        found = planning.groups(rows, statuses, data.today, source.thresholds)
        counts = planning.counts(found)
        shown = []
        choices = source.scope.choices({row.responsible_id for row in data.rows if row.responsible_id})
        if len(choices) > 1:
            shown.append(self._picker(source, choices))
        shown.append(self._totals(counts, len(rows)))
        groups = element("div", "plan-groups")
        later: list = []
        filled = False
        for group in found:
            box, body = self._group(source, group, data.today)
            groups.append(box)
            if box.open and not filled:
                self._fill(body, source, group, data.today)
                filled = True
            elif box.open:
                later.append((body, group))
        shown.append(groups)
        _spawn(self._fill_later(groups, source, data.today, later))
        return shown

    async def _fill_later(self, groups, source: PlanningSource, today: date, later: list) -> None:
        for body, group in later:
            await next_task()
            if not body.hasChildNodes():  # not already filled by its own "toggle" event
                self._fill(body, source, group, today)
        groups.setAttribute("data-filled", "")

    def _picker(self, source: PlanningSource, choices: list[str]):
        label = element("label", "plan-scope")
        label.append(element("span", "plan-scope__label", self.text["plan.scope"]))
        picker = element("select", "plan-scope__select", data_plan_scope="")
        for key in choices:
            if key.startswith("user."):
                name = self.names(int(key[5:])) or f"#{key[5:]}"
            else:
                name = self.text[f"plan.scope.{key}"]
            option = element("option", None, name, value=key)
            picker.append(option)
        picker.value = source.scope_key

        def picked(event) -> None:
            source.scope_key = str(picker.value)
            self.shown.clear()
            self.redraw()

        picker.addEventListener("change", create_proxy(picked))
        label.append(picker)
        return label

    def _totals(self, counts: dict[str, int], total: int):
        box = element("ul", "counters plan-totals")
        for key, label in ((f"band.{band}", self.text[f"plan.band.{band}"]) for band in BANDS):
            box.append(self._total(key, label, counts.get(key, 0), total))
        box.append(self._total(planning.SLIPPING, self.text["plan.slipping"], counts.get(planning.SLIPPING, 0), total))
        return box

    def _total(self, key: str, label: str, value: int, total: int):
        item = element("li", f"counter counter--static plan-total plan-total--{key.replace('.', '-')}")
        item.append(element("span", "counter__label", label))
        item.append(element("span", "counter__value", local_number(value, self.language), data_count=f"plan.{key}"))
        bar = element("span", "counter__bar", aria_hidden="true")
        fill = element("span", "counter__fill")
        fill.style.setProperty("--share", f"{100 * value / total if total else 0:.2f}%")
        bar.append(fill)
        item.append(bar)
        return item

    def _title(self, group: planning.Group) -> str:
        if group.band is None:
            return self.text["plan.slipping"]
        return self.text["plan.group"].format(rank=self.text["plan.rank"].format(rank=group.rank),
                                              band=self.text[f"plan.band.{group.band}"])

    def _group(self, source: PlanningSource, group: planning.Group, today: date):
        """One folding group and its body, empty: the caller fills an open one."""
        is_open = (group.key in self.opened or not group.folded) and group.key not in self.closed
        box = element("details", f"plan-group plan-group--{(group.band or 'slipping').replace('_', '-')}",
                      data_group=group.key)
        if is_open:
            box.setAttribute("open", "")
        summary = element("summary", "plan-group__head")
        if group.rank is not None:
            summary.append(element("span", f"rank-badge rank-badge--{group.rank}", group.rank))
        summary.append(element("span", "plan-group__title", self._title(group)))
        late = " plan-group__count--late" if group.band == "overdue" and group.rows else ""
        summary.append(element("span", f"plan-group__count{late}", local_number(len(group.rows), self.language),
                               data_count=f"plan.{group.key}"))
        box.append(summary)
        if group.band is None:
            box.append(element("p", "plan-group__hint", self.text["plan.slipping_hint"].format(
                months=source.thresholds.active_months)))
        body = element("div", "plan-group__body")
        box.append(body)

        def toggled(event) -> None:
            if box.open:
                self.opened.add(group.key)
                self.closed.discard(group.key)
                if not body.hasChildNodes():
                    self._fill(body, source, group, today)
            else:
                self.closed.add(group.key)
                self.opened.discard(group.key)

        box.addEventListener("toggle", create_proxy(toggled))
        return box, body

    def _fill(self, body, source: PlanningSource, group: planning.Group, today: date) -> None:
        if not group.rows:
            body.replaceChildren(element("p", "plan-group__empty", self.text["plan.empty"]))
            return
        count = self.shown.get(group.key, PAGE_ROWS)
        table = element("table", "plan-table")
        head = element("tr")
        for key in COLUMNS:
            head.append(element("th", f"plan-table__{key}" + (" num" if key == "overdue" else ""),
                                self.text[f"plan.column.{key}"], scope="col"))
        head.append(element("th", "plan-table__actions", "", scope="col"))
        thead = element("thead")
        thead.append(head)
        tbody = element("tbody")
        for plan in group.rows[:count]:
            tbody.append(self._row(source, plan, today))
        table.append(thead, tbody)
        nodes = [table]
        rest = len(group.rows) - count
        if rest > 0:
            more = element("button", "button button--quiet plan-group__more", agree(
                self.text["plan.more"], min(rest, PAGE_ROWS)).format(count=min(rest, PAGE_ROWS)), type="button")

            def show_more(event) -> None:
                self.shown[group.key] = count + PAGE_ROWS
                self._fill(body, source, group, today)

            more.addEventListener("click", create_proxy(show_more))
            nodes.append(more)
        body.replaceChildren(*nodes)

    def _row(self, source: PlanningSource, plan: planning.PlanRow, today: date):
        text, language = self.text, self.language
        row, status = plan.row, plan.status
        tr = element("tr", "plan-row", data_ref=f"{row.entity}.{row.id}", data_band=status.band)
        name = display_name(row, text)
        who = element("td", "plan-row__client", data_label=text["plan.column.client"])
        who.append(element("span", f"rank-badge rank-badge--{status.rank}", status.rank, data_rank=status.rank))
        link = element("a", "link", name, href="#", data_client="")
        link.addEventListener("click", create_proxy(lambda event: self.open_client(row, event)))
        who.append(link)
        tr.append(who)
        touch = status.last_touch
        if touch is None:
            touched = text["plan.never"]
        else:
            touched = short_date(touch.on, language)
            if touch.by and self.names(touch.by):
                touched += f" · {self.names(touch.by)}"
        overdue = status.days_overdue(today)
        cells = (("last_touch", touched),
                 ("due", short_date(status.due_on, language) if status.due_on else text["plan.none"]),
                 ("overdue", local_number(overdue, language) if overdue else text["plan.none"]),
                 ("next", short_date(status.next_planned, language) if status.next_planned else text["plan.none"]),
                 ("responsible", self.names(row.responsible_id) or text["plan.none"]),
                 ("lifecycle", text[f"count.lifecycle.{row.lifecycle}"]))
        for key, value in cells:
            late = " num plan-row__late" if key == "overdue" and overdue else " num" if key == "overdue" else ""
            tr.append(element("td", f"plan-row__{key}{late}", value, data_label=text[f"plan.column.{key}"]))
        actions = element("td", "plan-table__actions")
        for kind in ("call", "meeting"):
            button = element("button", "button button--quiet plan-row__plan", text[f"plan.{kind}"], type="button",
                             data_plan=kind, title=text[f"plan.{kind}_hint"].format(name=name))
            button.addEventListener("click", create_proxy(lambda event, k=kind: _spawn(self._plan(source, plan, k))))
            actions.append(button)
        tr.append(actions)
        return tr

    async def _plan(self, source: PlanningSource, plan: planning.PlanRow, kind: str) -> None:
        made = await source.plan(plan, kind)
        if made is None or made.deadline is None:
            return
        source.read.activities.append(made)
        moved = planning.planned(source.statuses, plan.ref, made.deadline, source.rows_of.today, source.settings)
        if moved is not None:  # where the row went is shown open
            self.opened.add(f"{moved.rank}.{moved.band}")
            self.closed.discard(f"{moved.rank}.{moved.band}")
        self.redraw()


# --- the form -------------------------------------------------------------------------


class PlanForm:
    """Date, time and title, with the responsible's month of open activities beside them."""

    def __init__(self, body, text: dict[str, str], language: str, *, kind: str, client_name: str,
                 responsible_name: str, today: date, capacity: int,
                 load: Callable[[int, int], Awaitable[list[Activity]]], responsible_id: int,
                 save: Callable[[datetime, str], Awaitable[None]], tz: timezone):
        self.text, self.language, self.today, self.capacity = text, language, today, capacity
        self.load, self.responsible_id, self.save, self.tz = load, responsible_id, save, tz
        self.month = (today.year, today.month)
        self.months: dict[tuple[int, int], list[DayLoad]] = {}
        form = element("form", "plan-form", novalidate="")
        fields = element("div", "plan-form__fields")
        self.date = element("input", "input", type="date", name="date", required="", min=today.isoformat(),
                            value=today.isoformat())
        self.time = element("input", "input", type="time", name="time", required="", value="10:00", step="300")
        self.subject = element("input", "input", type="text", name="subject", required="", maxlength="250",
                               value=text[f"plan.title.{kind}"].format(name=client_name))
        for label, control in ((text["plan.form.date"], self.date), (text["plan.form.time"], self.time),
                               (text["plan.form.subject"], self.subject)):
            wrap = element("label", "field")
            wrap.append(element("span", "field__label", label), control)
            fields.append(wrap)
        fields.append(element("p", "plan-form__note", text["plan.form.responsible"].format(name=responsible_name)))
        fields.append(element("p", "plan-form__note", text["plan.form.ping"].format(minutes=PING_MINUTES[0])))
        self.error = element("p", "plan-form__error", role="alert", hidden="")
        fields.append(self.error)
        self.calendar = element("section", "plan-cal", aria_label=text["plan.load"].format(
            name=responsible_name, capacity=capacity))
        actions = element("div", "plan-form__actions")
        self.submit = element("button", "button", text["plan.form.save"], type="submit", data_plan_save="")
        actions.append(self.submit)
        form.append(fields, self.calendar, actions)
        body.append(form)
        self.caption = text["plan.load"].format(name=responsible_name, capacity=capacity)
        form.addEventListener("submit", create_proxy(self._submitted))
        self.date.addEventListener("change", create_proxy(self._date_changed))
        self.calendar.addEventListener("click", create_proxy(self._calendar_clicked))

    async def start(self) -> None:
        await self._show_month(*self.month)

    async def _show_month(self, year: int, month: int) -> None:
        self.month = (year, month)
        if (year, month) not in self.months:
            self.calendar.replaceChildren(element("p", "plan-cal__loading", self.text["plan.load.loading"]))
            activities = await self.load(year, month)
            self.months[(year, month)] = month_load(activities, self.responsible_id, year, month, self.capacity)
        if self.month == (year, month):
            self._draw_month(self.months[(year, month)])

    def _draw_month(self, loads: list[DayLoad]) -> None:
        text, language = self.text, self.language
        year, month = self.month
        head = element("div", "plan-cal__head")
        first_month = (year, month) <= (self.today.year, self.today.month)
        back = element("button", "button button--quiet", "‹", type="button", data_month="-1",
                       aria_label=text["plan.load.prev"], disabled="" if first_month else None)
        ahead = element("button", "button button--quiet", "›", type="button", data_month="1",
                        aria_label=text["plan.load.next"])
        name = local_month(f"{year}-{month:02d}", language)
        head.append(back, element("span", "plan-cal__month", name[:1].upper() + name[1:]), ahead)
        grid = element("div", "plan-cal__grid", role="grid")
        for name in text["plan.weekdays"].split():
            grid.append(element("span", "plan-cal__weekday", name, aria_hidden="true"))
        chosen = self.date.value
        for week in planning.weeks(loads):
            for day in week:
                if day is None:
                    grid.append(element("span", "plan-cal__blank"))
                    continue
                cls = "plan-cal__day" + (" plan-cal__day--over" if day.over else "") + (
                    " plan-cal__day--full" if day.room == 0 else "")
                label = agree(text["plan.load.day"], day.open).format(date=local_date(day.day, language),
                                                                      count=day.open)
                if day.over:
                    label += f" ({text['plan.load.over']})"
                cell = element("button", cls, type="button", data_day=day.day.isoformat(), data_open=str(day.open),
                               aria_label=label, title=label, aria_pressed="true" if chosen == day.day.isoformat()
                               else "false", disabled="" if day.day < self.today else None)
                cell.append(element("span", "plan-cal__date", str(day.day.day)),
                            element("span", "plan-cal__open", str(day.open) if day.open else ""))
                grid.append(cell)
        self.calendar.replaceChildren(element("p", "plan-cal__caption", self.caption), head, grid)

    def _calendar_clicked(self, event) -> None:
        step = event.target.closest("[data-month]")
        if step and not step.disabled:
            year, month = self.month
            month += int(step.getAttribute("data-month"))
            year, month = (year + (month - 1) // 12, (month - 1) % 12 + 1)
            _spawn(self._show_month(year, month))
            return
        day = event.target.closest("[data-day]")
        if day and not day.disabled:
            self.date.value = day.getAttribute("data-day")
            self._draw_month(self.months[self.month])

    def _date_changed(self, event) -> None:
        try:
            day = date.fromisoformat(str(self.date.value))
        except ValueError:
            return
        if (day.year, day.month) != self.month:
            _spawn(self._show_month(day.year, day.month))
        else:
            self._draw_month(self.months[self.month])

    def _submitted(self, event) -> None:
        event.preventDefault()
        _spawn(self._save())

    async def _save(self) -> None:
        try:
            day = date.fromisoformat(str(self.date.value))
            at = time.fromisoformat(str(self.time.value))
        except ValueError:
            return self._fail(self.text["plan.form.past"])
        if day < self.today:
            return self._fail(self.text["plan.form.past"])
        subject = str(self.subject.value).strip() or str(self.subject.defaultValue)
        self.submit.disabled = True
        try:
            await self.save(datetime.combine(day, at, self.tz), subject)
        except Exception as exc:  # a refusal (rights, a closed client) is said in the form
            self.submit.disabled = False
            self._fail(self.text["plan.form.failed"].format(reason=str(exc).splitlines()[0]))

    def _fail(self, sentence: str) -> None:
        self.error.textContent = sentence
        self.error.hidden = False


_tasks: set = set()


def _spawn(coroutine) -> None:
    task = asyncio.ensure_future(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)

