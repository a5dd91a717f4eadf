"""A client's whole history on screen (spec/history.md "The page"): the client's header,
counters that filter, the filters, and one table sorted by any column, with CSV.

What the rows are, how they filter, sort, count and export is the pure history
core's (`b24clients.history`); this module draws and wires events.  The same
view is the card tab's page (`history_app.py`) and the client page the list
opens in a side panel.  On a phone each row is a card and the filters fold
into one panel; long histories show 100 rows and "Show 100 more".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone

import js
from pyodide.ffi import create_once_callable, create_proxy

from .. import history
from ..history.filters import PRESETS, ROLES, STATES
from ..history.items import ACTIVITY_KINDS
from ..history.links import ENTITY_NAMES
from ..words import agree
from . import ladder_view
from .dom import element, local_date, local_moment, local_number, short_date

PAGE_ROWS = 100
KIND_CHIPS = ("deal", "invoice", *[k for k in ACTIVITY_KINDS if k != "activity"], "document", "comment")
"""The kinds a user can pick (several at once); "invoice" stands for both invoice kinds."""
COUNTER_GROUPS = (("deal", ("deal.open", "deal.won", "deal.lost")),
                  ("invoice", ("invoice.paid", "invoice.unpaid", "invoice.overdue")),
                  ("activity", ("activity.open", "activity.done", "activity.overdue")),
                  ("document", ()), ("comment", ()))


@dataclass(frozen=True)
class ClientHeader:
    """What the page says about the client above its history."""

    entity: str
    id: int
    name: str
    client_type: str | None = None
    lifecycle: str | None = None
    frequency: str | None = None
    last_payment: date | None = None
    payments: int | None = None
    responsible_id: int | None = None


class HistoryView:
    def __init__(self, text: dict[str, str], language: str, *, names: Callable[[int | None], str],
                 open_item: Callable[[str, object], None], crm_url: Callable[[str], str],
                 fit: Callable[[], None] | None = None,
                 restricted: bool = False, on_toggle: Callable[[bool], None] | None = None):
        self.text, self.language = text, language
        self.names, self.open_item, self.crm_url = names, open_item, crm_url
        self.fit, self.on_toggle = fit or (lambda: None), on_toggle
        self.restricted = restricted
        self.history: history.History | None = None
        self.spec = history.Filter(since=None)
        self.preset = "all"
        self.sort: tuple[str, bool] = ("date", True)
        self.limit = PAGE_ROWS
        self.shown: list = []
        self._proxies: list = []
        self._search_timer = None

    # --- building -----------------------------------------------------------------

    def mount(self, box) -> None:
        text = self.text
        self.head = element("header", "history__head")
        self.ladder = element("section", "history__ladder", hidden="", aria_label=text["ladder.history"])
        self.meta = element("p", "history__meta", text["history.loading"], role="status")
        self.counters = element("div", "history__counters")
        self.filters = element("details", "history__filters", open="")
        self.filters.append(element("summary", "history__filters-title", text["history.filters"]))
        self.filters.append(self._filter_controls())
        self.tools = element("div", "list-tools")
        self.found = element("span", "list-tools__count", aria_live="polite")
        self.search = element("input", "search", type="search", placeholder=text["history.search"],
                              aria_label=text["history.search"], autocomplete="off")
        self.export = element("button", "button button--quiet", text["history.export"], type="button")
        self.tools.append(self.search, self.found, self.export)
        self.table = element("div", "history__table", role="table", aria_label=text["history.title"])
        self.more = element("button", "button button--quiet history__more", type="button", hidden="")
        notice = element("p", "history__notice", text["history.restricted"], hidden="" if not self.restricted else None)
        box.replaceChildren(self.head, self.ladder, self.meta, notice, self.counters, self.filters, self.tools, self.table, self.more)
        if js.window.matchMedia("(max-width: 599px)").matches:
            self.filters.removeAttribute("open")
        self._on(self.counters, "click", self._counter_clicked)
        self._on(self.search, "input", self._typed)
        self._on(self.export, "click", lambda event: self._export())
        self._on(self.more, "click", lambda event: self._show_more())
        self._on(self.table, "click", self._table_clicked)

    def _on(self, node, kind: str, handler) -> None:
        proxy = create_proxy(handler)
        self._proxies.append(proxy)
        node.addEventListener(kind, proxy)

    def _filter_controls(self):
        text = self.text
        box = element("div", "history__controls")
        kinds = element("fieldset", "history__kinds")
        kinds.append(element("legend", None, text["history.kinds"]))
        for kind in KIND_CHIPS:
            label = element("label", "history__kind")
            box_ = element("input", None, type="checkbox", value=kind)
            self._on(box_, "change", lambda event: self._kinds_changed())
            label.append(box_, element("span", None, text[f"history.kind.{kind}"]))
            kinds.append(label)
        self.kind_boxes = kinds
        self.period = self._select("history.period", [(p, text[f"history.period.{p}"]) for p in PRESETS], "all")
        self.since = element("input", "history__date", type="date", aria_label=text["history.since"], hidden="")
        self.until = element("input", "history__date", type="date", aria_label=text["history.until"], hidden="")
        self.person = self._select("history.person", [("", text["history.person.anyone"])], "")
        self.role = self._select("history.role.any", [(r, text[f"history.role.{r}"]) for r in ROLES], "any",
                                 label_key="history.person")
        self.state = self._select("history.state", [(s, text[f"history.state.{s}"]) for s in STATES], "all")
        for node in (self.period, self.person, self.role, self.state):
            self._on(node, "change", lambda event: self._controls_changed())
        for node in (self.since, self.until):
            self._on(node, "change", lambda event: self._controls_changed())
        box.append(kinds, self._field("history.period", self.period, self.since, self.until),
                   self._field("history.person", self.person, self.role), self._field("history.state", self.state))
        self.toggle = None
        return box

    def _select(self, key: str, options: list[tuple[str, str]], value: str, *, label_key: str | None = None):
        node = element("select", "history__select", aria_label=self.text[label_key or key])
        for code, label in options:
            node.append(element("option", None, label, value=code))
        node.value = value
        return node

    def _field(self, key: str, *controls):
        field = element("div", "history__field", role="group", aria_label=self.text[key])
        inputs = element("span", "history__inputs")
        inputs.append(*controls)
        field.append(element("span", "history__label", self.text[key]), inputs)
        return field

    # --- data ---------------------------------------------------------------------

    def show_client(self, client: ClientHeader) -> None:
        """The header: the client's name, type and values, and its responsible."""
        text = self.text
        title = element("h2", "history__title")
        name = client.name or text[f"list.unnamed_{client.entity}"].format(id=client.id)
        title.append(element("span", None, name, title=name))
        link = element("a", "history__crm link", text["history.open_in_crm"],
                       href=self.crm_url(f"/crm/{client.entity}/details/{client.id}/"), target="_blank", rel="noopener")
        self._on(link, "click", lambda event: self.open_item(f"/crm/{client.entity}/details/{client.id}/", event))
        values = element("dl", "history__values")
        shown = [("column.type", text.get(f"type.{client.client_type}") if client.client_type else None),
                 ("column.lifecycle", text.get(f"count.lifecycle.{client.lifecycle}") if client.lifecycle else None),
                 ("column.frequency", text.get(f"count.frequency.{client.frequency}") if client.frequency else None),
                 ("column.last_payment", local_date(client.last_payment, self.language) if client.last_payment
                  else ("—" if client.lifecycle else None)),
                 ("column.payments", str(client.payments) if client.payments is not None else None),
                 ("history.responsible", self.names(client.responsible_id) or (
                     f"#{client.responsible_id}" if client.responsible_id else None))]
        for key, value in shown:
            if value:
                pair = element("div", "history__value")
                pair.append(element("dt", None, text[key]), element("dd", f"tag--{client.lifecycle}"
                                                                       if key == "column.lifecycle" else None, value))
                values.append(pair)
        self.head.replaceChildren(title, link, values)
        if client.entity == "contact" and self.on_toggle is not None and self.toggle is None:
            self.toggle = element("input", None, type="checkbox")
            label = element("label", "history__toggle")
            label.append(self.toggle, element("span", None, text["history.with_companies"]))
            self._on(self.toggle, "change", lambda event: self.on_toggle(bool(self.toggle.checked)))
            self.filters.querySelector(".history__controls").append(label)
        self.fit()

    def show_status(self, published) -> None:
        """The client's status ladder (status-ladder.md "Screens"): its status, since when,
        its next drop, and every change the last portal pass published, newest first."""
        text, language = self.text, self.language
        values = element("dl", "history__values")
        for key, value in (("column.status", ladder_view.status_name(published.status, text) or "—"),
                           ("column.status_since", local_date(published.since, language) if published.since
                            else "—"),
                           ("column.next_drop", local_date(published.drop_on, language) if published.drop_on
                            else "—")):
            pair = element("div", "history__value")
            pair.append(element("dt", None, text[key]), element("dd", None, value))
            values.append(pair)
        steps = ladder_view.status_history(published)
        parts = [element("h3", "history__ladder-title", text["ladder.history"]), values]
        if not steps:
            parts.append(element("p", "history__meta", text["ladder.history.none"]))
        else:
            table = element("table", "history__steps")
            head = element("tr")
            for key in ("history.column.date", "column.status", "ladder.history.cause"):
                head.append(element("th", None, text[key], scope="col"))
            thead, body = element("thead"), element("tbody")
            thead.append(head)
            for on, status, cause in steps:
                row = element("tr", None, data_step=cause)
                row.append(element("td", None, short_date(on, language)),
                           element("td", f"tag--ladder-{status}" if status else None,
                                   ladder_view.status_name(status, text) or "—"),
                           element("td", None, text[f"ladder.cause.{cause}"]))
                body.append(row)
            table.append(thead, body)
            parts.append(table)
        self.ladder.replaceChildren(*parts)
        self.ladder.hidden = False
        self.fit()

    def show(self, found: history.History, as_of: datetime, fresh: bool) -> None:
        """A history: at once from the cache (fresh=False, marked), then the fresh read."""
        self.history = found
        key = "history.as_of" if fresh else "history.cached"
        self.meta.textContent = self.text[key].format(when=local_moment(as_of, self.language))
        people = sorted({uid for item in found.items for uid in (item.author_id, item.responsible_id) if uid},
                        key=lambda uid: (self.names(uid) or f"#{uid}").casefold())
        chosen = self.person.value
        options = [element("option", None, self.text["history.person.anyone"], value="")]
        options += [element("option", None, self.names(uid) or f"#{uid}", value=str(uid)) for uid in people]
        self.person.replaceChildren(*options)
        self.person.value = chosen if chosen in {"", *map(str, people)} else ""
        self._draw_counters()
        self._draw_table()

    def failed(self, sentence: str) -> None:
        self.meta.textContent = sentence
        self.meta.classList.add("history__meta--failed")

    # --- filters -------------------------------------------------------------------

    def _kinds_changed(self) -> None:
        chosen = {box.value for box in self.kind_boxes.querySelectorAll("input:checked")}
        if "invoice" in chosen:
            chosen.add("legacy_invoice")
        self.spec = replace(self.spec, kinds=frozenset(chosen), counter=None)
        self._redraw()

    def _controls_changed(self) -> None:
        self.preset = str(self.period.value)
        custom = self.preset == "custom"
        self.since.hidden = self.until.hidden = not custom
        since, until = history.date_range(self.preset, _today(), _day(self.since.value), _day(self.until.value))
        person = str(self.person.value)
        self.spec = replace(self.spec, since=since, until=until, person_id=int(person) if person else None,
                            role=str(self.role.value), state=str(self.state.value))
        self._redraw()

    def _counter_clicked(self, event) -> None:
        target = event.target.closest("[data-counter]")
        if target:
            key = target.getAttribute("data-counter")
            self.spec = replace(self.spec, counter=None if self.spec.counter == key else key)
            self._redraw()

    def _typed(self, event) -> None:
        if self._search_timer is not None:
            js.clearTimeout(self._search_timer)
        self._search_timer = js.setTimeout(create_once_callable(self._search_now), 200)

    def _search_now(self) -> None:
        self._search_timer = None
        self.spec = replace(self.spec, text=str(self.search.value or ""))
        self._redraw()

    def _redraw(self) -> None:
        self.limit = PAGE_ROWS
        self._draw_counters()
        self._draw_table()

    # --- drawing --------------------------------------------------------------------

    def _draw_counters(self) -> None:
        if self.history is None:
            return
        numbers = history.counts(self.history.items)
        groups = []
        for head, parts in COUNTER_GROUPS:
            group = element("div", "history__counter-group")
            for key in (head, *parts):
                label = self.text[f"history.counter.{key}"]
                button = element("button", "history__counter" + (" history__counter--head" if key == head else ""),
                                 type="button", data_counter=key,
                                 aria_pressed="true" if self.spec.counter == key else "false")
                button.append(element("span", "history__counter-value", local_number(numbers[key], self.language),
                                      data_count=key), element("span", "history__counter-label", label))
                group.append(button)
            groups.append(group)
        self.counters.replaceChildren(*groups)

    def _draw_table(self) -> None:
        if self.history is None:
            return
        items = history.filter_items(self.history.items, self.spec)
        column, descending = self.sort
        items = history.sort_items(items, column, descending, self._people())
        self.shown = items
        self.found.textContent = agree(self.text["history.shown"], len(items)).format(
            count=local_number(len(items), self.language))
        rows = [self._head()]
        rows += [self._row(i, item) for i, item in enumerate(items[:self.limit])]
        if not self.history.items:
            rows.append(element("p", "history__empty", self.text["history.empty"]))
        elif not items:
            rows.append(element("p", "history__empty", self.text["history.none"]))
        self.table.replaceChildren(*rows)
        rest = len(items) - self.limit
        self.more.hidden = rest <= 0
        if rest > 0:
            self.more.textContent = agree(self.text["history.more"], min(PAGE_ROWS, rest)).format(
                count=local_number(min(PAGE_ROWS, rest), self.language))
        self.fit()

    def _head(self):
        row = element("div", "history__row history__row--head", role="row")
        column, descending = self.sort
        for key in history.COLUMNS:
            state = ("descending" if descending else "ascending") if key == column else "none"
            cell = element("span", f"history__cell history__cell--{key}", role="columnheader", aria_sort=state)
            label = self.text[f"history.column.{key}"]
            cell.append(element("button", "list__sort", label, type="button", data_sort=key, title=label))
            row.append(cell)
        row.append(element("span", "history__cell history__cell--open", role="columnheader"))
        return row

    def _row(self, index: int, item):
        text = self.text
        row = element("div", f"history__row history__row--{item.status or 'plain'}", role="row",
                      data_index=str(index))
        kind = text[f"history.kind.{item.kind}"]
        amount = "" if item.amount is None else f"{local_number(float(item.amount), self.language)} {item.currency}"
        stage = item.stage or (text[f"history.status.{item.status}"] if item.status else "")
        cells = {
            "date": self._day(item.date), "kind": kind, "title": item.title or "—", "amount": amount,
            "stage": stage, "author": self._person(item.author_id), "responsible": self._person(item.responsible_id),
            "created": self._day(item.created), "deadline": self._day(item.deadline),
            "closed": self._day(item.closed), "via": ", ".join(self._record(link) for link in item.via),
            "company": f'{text["history.entity.company"]} #{item.company_id}' if item.company_id else "",
        }
        for key in history.COLUMNS:
            cell = element("span", f"history__cell history__cell--{key}", cells[key], role="cell", title=cells[key])
            if key == "stage" and item.status:
                cell.classList.add(f"history__status--{item.status}")
            if key == "closed" and item.family == "activity" and item.done:
                cell.setAttribute("title", text["history.done_hint"])
            row.append(cell)
        opener = element("span", "history__cell history__cell--open", role="cell")
        if item.path:
            link = element("a", "history__open", text["history.open_in_crm"], href=self.crm_url(item.path),
                           target="_blank", rel="noopener", data_path=item.path,
                           aria_label=text["history.open_item"].format(kind=kind))
            opener.append(link)
        row.append(opener)
        return row

    def _day(self, day: date | None) -> str:
        return short_date(day, self.language) if day else ""

    def _person(self, uid: int | None) -> str:
        return "" if uid is None else self.names(uid) or f"#{uid}"

    def _record(self, link) -> str:
        return f'{self.text["history.entity." + ENTITY_NAMES[link[0]]]} #{link[1]}'

    def _people(self) -> dict[int, str]:
        return {uid: self.names(uid) for item in self.history.items
                for uid in (item.author_id, item.responsible_id) if uid and self.names(uid)}

    def _show_more(self) -> None:
        self.limit += PAGE_ROWS
        self._draw_table()

    def _table_clicked(self, event) -> None:
        sort = event.target.closest("[data-sort]")
        if sort:
            key = sort.getAttribute("data-sort")
            column, descending = self.sort
            self.sort = (key, not descending) if key == column else (key, key in ("date", "created", "closed"))
            self._draw_table()
            return
        opener = event.target.closest("[data-path]")
        if opener:
            self.open_item(opener.getAttribute("data-path"), event)

    def _export(self) -> None:
        content = history.to_csv(self.shown, self.text, self.language, self._people(),
                                 portal_url=self.crm_url("").rstrip("/"))
        blob = js.Blob.new([content], js.Object.fromEntries([["type", "text/csv;charset=utf-8"]]))
        url = js.URL.createObjectURL(blob)
        link = element("a", None, href=url, download=f"history-{_today().isoformat()}.csv")
        js.document.body.append(link)
        link.click()
        link.remove()
        js.setTimeout(create_once_callable(lambda: js.URL.revokeObjectURL(url)), 10_000)


def _today() -> date:
    return datetime.now(timezone.utc).astimezone().date()


def _day(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
