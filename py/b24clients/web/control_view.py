"""The head's control table on screen (planning.md "Manager control"), at the top of the
Managers mode: a period, then per employee of the user's scope (their tree for a head,
everyone for an admin, themself otherwise) the numbers of `control.py`, each opening
the list behind it in a side panel — who created, who was responsible, created and
closed dates.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date

from pyodide.ffi import create_proxy

from ..ranks.attribution import Attribution
from . import control
from .dom import element, local_moment, local_number, short_date
from .listview import display_name
from .sheet import Sheet

Events = Callable[[date, date], Awaitable[list[control.Event]]]


class ControlPanel:
    def __init__(self, text: dict[str, str], language: str, names: Callable[[int | None], str],
                 redraw: Callable[[], None]):
        self.text, self.language, self.names, self.redraw = text, language, names, redraw
        self.period = "30d"
        self.custom: tuple[date, date] | None = None
        self.events: dict[tuple[date, date], list[control.Event]] = {}
        self._reading: set[tuple[date, date]] = set()
        self._attribution: tuple[object, Attribution] | None = None
        self.failed: str | None = None

    def nodes(self, source, data, read_events: Events) -> list:
        """`source`: the Planning mode's (statuses, scope, CRM); None while it is read."""
        text = self.text
        box = element("section", "control", aria_label=text["control.title"])
        head = element("div", "control__head")
        head.append(element("h2", "control__title", text["control.title"]), self._period_picker(data.today))
        box.append(head)
        if source is None:
            box.append(element("p", "panel__empty", text["plan.loading"]))
            return [box]
        period = control.period_range(self.period, data.today, self.custom)
        if self.failed is not None and period not in self._reading:
            box.append(element("p", "panel__empty", text["plan.failed"].format(reason=self.failed)))
            self.failed = None
            return [box]
        if period not in self.events:
            if period not in self._reading:
                self._reading.add(period)
                _spawn(self._read(period, read_events))
            box.append(element("p", "panel__empty", text["control.loading"], data_control_loading=""))
            return [box]
        users = source.scope.users(source.scope.default())
        touched = control.last_touches_by(source.read.activities, source.settings.touch_kinds)
        table = control.control(data.rows, source.statuses_of(data), self.events[period], period, data.today, users,
                                source.read.tz, touched)
        box.append(self._table(table, source, data))
        return [box]

    async def _read(self, period: tuple[date, date], read_events: Events) -> None:
        try:
            self.events[period] = await read_events(*period)
            self.failed = None
        except Exception as exc:  # said in the panel; choosing the period again tries again
            self.failed = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        finally:
            self._reading.discard(period)
        self.redraw()

    def _period_picker(self, today: date):
        text = self.text
        wrap = element("div", "control__period")
        picker = element("select", "plan-scope__select", aria_label=text["control.period"], data_control_period="")
        for key in control.PERIODS:
            picker.append(element("option", None, text[f"control.period.{key}"], value=key))
        picker.value = self.period
        wrap.append(picker)
        first, last = control.period_range(self.period, today, self.custom)
        inputs = []
        if self.period == "custom":
            for label, value in ((text["control.from"], first), (text["control.to"], last)):
                node = element("input", "input control__date", type="date", value=value.isoformat(),
                               max=today.isoformat(), aria_label=label)
                inputs.append(node)
                wrap.append(node)

        def changed(event) -> None:
            self.period = str(picker.value)
            if self.period == "custom" and inputs:
                try:
                    self.custom = (date.fromisoformat(str(inputs[0].value)), date.fromisoformat(str(inputs[1].value)))
                except ValueError:
                    return
            elif self.period == "custom":
                self.custom = control.period_range("30d", today)
            self.redraw()

        proxy = create_proxy(changed)
        picker.addEventListener("change", proxy)
        for node in inputs:
            node.addEventListener("change", proxy)
        return wrap

    def _table(self, table: list[control.Employee], source, data):
        text, language = self.text, self.language
        wrap = element("div", "managers-wrap")
        grid = element("table", "managers control__table")
        head = element("tr")
        head.append(element("th", None, text["managers.manager"], scope="col"))
        for key in (*control.NUMBERS, "last_touch"):
            head.append(element("th", "num", text[f"control.{key}"], scope="col"))
        thead = element("thead")
        thead.append(head)
        body = element("tbody")
        for employee in table:
            uid = employee.user_id or 0
            row = element("tr", data_employee=str(uid))
            row.append(element("th", "managers__who", self.names(employee.user_id) or text["managers.nobody"],
                               scope="row"))
            for key in control.NUMBERS:
                items = getattr(employee, key)
                cell = element("td", "num", data_label=text[f"control.{key}"])
                if items:
                    button = element("button", "link control__number" + (" control__number--bad" if key in (
                        "a_overdue", "late", "open_overdue") else ""), local_number(len(items), language),
                        type="button", data_control=f"{uid}.{key}")
                    button.addEventListener("click", create_proxy(
                        lambda event, e=employee, k=key: self._open(e, k, source, data)))
                    cell.append(button)
                else:
                    cell.append(element("span", "control__zero", "0", data_control=f"{uid}.{key}"))
                row.append(cell)
            row.append(element("td", "num", short_date(employee.last_touch, language) if employee.last_touch
                               else text["plan.never"], data_last_touch=employee.last_touch.isoformat()
                               if employee.last_touch else "", data_label=text["control.last_touch"]))
            body.append(row)
        grid.append(thead, body)
        wrap.append(grid)
        return wrap

    def _open(self, employee: control.Employee, key: str, source, data) -> None:
        """The list behind a number, in a side panel."""
        text = self.text
        who = self.names(employee.user_id) or text["managers.nobody"]
        sheet = Sheet(text, f'{who} · {text[f"control.{key}"]}', wide=True)
        items = getattr(employee, key)
        if key in ("clients", "a_overdue"):
            sheet.body.append(self._clients(items, source, data))
        else:
            sheet.body.append(self._events(items, source, data))
        sheet.open()

    def _clients(self, rows, source, data):
        text, language = self.text, self.language
        grid = element("table", "plan-table control__list", data_control_list="clients")
        head = element("tr")
        for key in ("client", "last_touch", "due", "next", "lifecycle"):
            head.append(element("th", None, text[f"plan.column.{key}"], scope="col"))
        thead = element("thead")
        thead.append(head)
        body = element("tbody")
        for row in rows:
            status = source.statuses.get((row.entity, row.id))
            touch = status.last_touch if status else None
            line = element("tr", data_ref=f"{row.entity}.{row.id}")
            name = element("td", "plan-row__client", data_label=text["plan.column.client"])
            name.append(element("span", f"rank-badge rank-badge--{row.rank}", row.rank), element(
                "span", None, display_name(row, text)))
            line.append(name)
            for key, value in (
                    ("last_touch", short_date(touch.on, language) + (f" · {self.names(touch.by)}" if touch.by else "")
                     if touch else text["plan.never"]),
                    ("due", short_date(status.due_on, language) if status and status.due_on else text["plan.none"]),
                    ("next", short_date(status.next_planned, language) if status and status.next_planned
                     else text["plan.none"]),
                    ("lifecycle", text[f"count.lifecycle.{row.lifecycle}"])):
                line.append(element("td", None, value, data_label=text[f"plan.column.{key}"]))
            body.append(line)
        grid.append(thead, body)
        return grid

    def _events(self, items: list[control.Event], source, data):
        text, language = self.text, self.language
        if self._attribution is None or self._attribution[0] is not source.crm:
            self._attribution = (source.crm, Attribution(source.crm))
        attribution = self._attribution[1]
        names = {(row.entity, row.id): display_name(row, text) for row in data.rows}
        grid = element("table", "plan-table control__list", data_control_list="activities")
        head = element("tr")
        columns = ("client", "subject", "author", "responsible", "created", "deadline", "closed")
        for key in columns:
            head.append(element("th", None, text[f"control.column.{key}"], scope="col"))
        thead = element("thead")
        thead.append(head)
        body = element("tbody")

        def moment(value) -> str:
            return local_moment(value, language) if value is not None else text["plan.none"]

        for item in items:
            client = control.client_of(item, attribution)
            values = (names.get(client, text["plan.none"]) if client else text["plan.none"],
                      item.subject or text["plan.none"], self.names(item.author_id) or text["plan.none"],
                      self.names(item.responsible_id) or text["plan.none"], moment(item.created),
                      moment(item.deadline), moment(item.closed))
            line = element("tr", "control__event" + (" control__event--late" if item.late else ""),
                           data_activity=str(item.id))
            for key, value in zip(columns, values, strict=True):
                line.append(element("td", None, value, data_label=text[f"control.column.{key}"]))
            body.append(line)
        grid.append(thead, body)
        return grid


_tasks: set = set()


def _spawn(coroutine) -> None:
    task = asyncio.ensure_future(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
