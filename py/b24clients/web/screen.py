"""The dashboard screen: header, refresh progress, the modes with their counters
and charts, and the client list below (spec/app.md "Screens").

Built once (`mount`), then updated in place: new data (`show`), progress
(`progress`), a different mode, filter, search or sort. Clicking a counter
filters the list. What the numbers are comes from `listing.py` and
`view.py`; this module only draws and wires events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import js
from pyodide.ffi import create_once_callable, create_proxy

from . import charts, listing, view
from .dom import element, local_date, local_moment, local_month, local_number, svg
from .listview import ListView
from .origin import Origin, header_lines
from .people import People

SEARCH_DELAY_MS = 200


@dataclass
class Data:
    """Everything the screen shows, computed from one classification."""

    rows: list
    """listing.ListRow for every client."""
    counts: dict[str, int]
    months: list[tuple]
    managers: list
    today: date
    origin: Origin


@dataclass
class Actions:
    refresh: Callable[[], Awaitable[None]] | None = None
    clear: Callable[[], Awaitable[None]] | None = None
    settings: Callable[[], Awaitable[None]] | None = None
    help: Callable[[], Awaitable[None]] | None = None
    open_card: Callable[[object, object], None] | None = None
    card_url: Callable[[object], str] = field(default=lambda row: "#")


class Screen:
    def __init__(self, text: dict[str, str], language: str, people: People, actions: Actions, *,
                 language_links=None):
        self.text, self.language, self.people, self.actions = text, language, people, actions
        self.language_links = language_links
        self.data: Data | None = None
        self.mode = "types"
        self.filter = "clients"
        self.query = ""
        self.sort: tuple[str, bool] = ("name", False)
        self._search_timer = None
        self._proxies: list = []
        self._person_for: int | None = None

    # --- building -----------------------------------------------------------------

    def mount(self, app) -> None:
        """Replace #app's skeleton (or cached view) with the live screen, in one DOM change."""
        text = self.text
        self.total = element("span", "header__total-number", "0", data_total="clients")
        self.meta = element("p", "header__meta", text["meta.never"])
        self.buttons = element("div", "header__actions")
        header = element("header", "header")
        left = element("div", "header__text")
        left.append(element("h1", "header__title", text["title"]), self.meta)
        total = element("div", "header__total")
        total.append(self.total, element("span", "header__total-label", text["total.label"]))
        header.append(left, total, self.buttons)
        if self.language_links is not None:
            header.append(self.language_links)
        self._add_buttons()

        self.notice = element("p", "notice", hidden="")
        self.alert_box = element("div", "alerts", hidden="")
        self.status = element("div", "progress", hidden="", role="status", aria_live="polite",
                              aria_label=text["progress.label"])
        self.bar = element("progress", "progress__bar", max="1")
        self.status_text = element("span", "progress__text")
        self.status.append(self.bar, self.status_text)
        self.write_status = element("div", "progress progress--write", hidden="", role="status")

        self.tabs = element("nav", "tabs", role="tablist", aria_label=text["modes.label"])
        for mode in view.MODES:
            tab = element("button", "tabs__tab", text[f"mode.{mode}"], type="button", role="tab",
                          data_mode=mode, id=f"tab-{mode}", aria_controls="panel")
            self.tabs.append(tab)
        # Phones get the same choice as one native select: six tabs would take three rows.
        self.picker = element("select", "mode-picker", aria_label=text["modes.label"])
        for mode in view.MODES:
            self.picker.append(element("option", None, text[f"mode.{mode}"], value=mode))
        self.panel = element("section", "panel", id="panel", role="tabpanel")

        self.filter_chip = element("button", "chip", type="button", hidden="", title=text["list.clear_filter"])
        self.search = element("input", "search", type="search", placeholder=text["list.search"],
                              aria_label=text["list.search"], autocomplete="off")
        self.found = element("span", "list-tools__count", aria_live="polite")
        self.export = element("button", "button button--quiet", text["list.export"], type="button")
        tools = element("div", "list-tools")
        tools.append(self.search, self.filter_chip, self.found, self.export)
        self.list = ListView(text, self.language, listing.COLUMNS, card_url=self.actions.card_url,
                             names=self.people.name, on_sort=self._sorted, on_open=self._open,
                             on_person=self._person)
        self.person_card = element("div", "person-card", hidden="", role="tooltip", id="person-card")
        list_box = element("section", "clients", aria_label=text["list.label"])
        list_box.append(tools, self.list.node)

        app.replaceChildren(header, self.notice, self.alert_box, self.status, self.write_status, self.tabs,
                            self.picker, self.panel,
                            list_box, self.person_card)
        app.removeAttribute("inert")
        app.removeAttribute("data-cached")
        app.setAttribute("aria-busy", "false")
        app.classList.add("app--live")
        self._listen(self.tabs, "click", self._tab_clicked)
        self._listen(self.tabs, "keydown", self._tab_key)
        self._listen(self.picker, "change", lambda event: self._choose(str(self.picker.value)))
        self._listen(self.panel, "click", self._panel_clicked)
        self._listen(self.filter_chip, "click", lambda event: self._filter("clients"))
        self._listen(self.search, "input", self._typed)
        self._listen(self.export, "click", lambda event: self._export())
        self._listen(js.document, "keydown", self._key)
        self._listen(js.document, "click", self._clicked_anywhere)
        self._select_tab()
        self.panel.replaceChildren(element("p", "panel__empty", text["empty.first_run"]))

    def _add_buttons(self) -> None:
        for key, action, cls in (("action.refresh", self.actions.refresh, "button"),
                                 ("action.clear", self.actions.clear, "button button--quiet"),
                                 ("action.settings", self.actions.settings, "button button--quiet"),
                                 ("action.help", self.actions.help, "button button--quiet")):
            if action is None:
                continue
            button = element("button", cls, self.text[key], type="button", data_action=key.split(".")[1])
            self._listen(button, "click", _runner(action))
            self.buttons.append(button)

    def _listen(self, node, kind: str, handler) -> None:
        proxy = create_proxy(handler)
        self._proxies.append(proxy)
        node.addEventListener(kind, proxy)

    # --- data ---------------------------------------------------------------------

    def show(self, data: Data) -> None:
        self.data = data
        self.total.textContent = local_number(data.counts.get("clients", 0), self.language)
        self._header()
        self._draw_panel()
        self._draw_list()

    def set_origin(self, origin: Origin) -> None:
        """New provenance (the admin's run has just written the fields): only the header changes."""
        if self.data is not None:
            self.data.origin = origin
            self._header()

    def _header(self) -> None:
        """Whose computation the numbers come from, and the notices about them (`origin.py`)."""
        data = self.data
        meta, notices = header_lines(data.origin, data.counts.get("clients", 0), data.today,
                                     datetime.now(timezone.utc))
        self.meta.textContent = self._line(meta)
        notice = " ".join(self._line(line) for line in notices)
        self.notice.textContent = notice
        self.notice.hidden = not notice

    def _line(self, line) -> str:
        key, values = line
        shown = {}
        for name, value in values.items():
            if isinstance(value, datetime):
                shown[name] = local_moment(value, self.language)
            elif isinstance(value, date):
                shown[name] = local_date(value, self.language)
            elif isinstance(value, int):
                shown[name] = local_number(value, self.language)
            else:
                shown[name] = value
        return self.text[key].format(**shown)

    def alert(self, sentence: str, detail: str) -> None:
        """A failed refresh: a sentence with the detail behind a toggle, above the numbers."""
        box = element("div", "error", role="alert")
        box.append(element("p", "error__sentence", sentence))
        more = element("details", "error__more")
        more.append(element("summary", None, self.text["error.details"]))
        more.append(element("pre", "error__detail", detail))
        box.append(more)
        self.alert_box.replaceChildren(box)
        self.alert_box.hidden = False

    def busy(self, running: bool) -> None:
        if running:
            self.alert_box.hidden = True
        for button in self.buttons.querySelectorAll("[data-action=refresh], [data-action=clear]"):
            button.disabled = running

    # --- progress -----------------------------------------------------------------

    def progress(self, progress) -> None:
        """One engine Progress: the bar, the month being read, records so far, time left."""
        text = self.text
        if progress is None or progress.phase == "done":
            self.status.hidden = True
            return
        if progress.phase == "write_back":
            self.write_status.hidden = False
            self.write_status.textContent = text["progress.write_back"].format(
                done=progress.months_done, total=progress.months_total)
            return
        self.status.hidden = False
        parts = []
        if progress.phase == "months" and progress.month:
            parts.append(text["progress.months"].format(month=local_month(progress.month, self.language)))
            self.bar.value = progress.months_done / max(progress.months_total, 1)
        elif progress.phase == "reading":
            parts.append(text["progress.reading"])
            self.bar.value = progress.months_done / max(progress.months_total, 1)
        else:
            parts.append(text.get(f"progress.{progress.phase}", text["progress.starting"]))
            if progress.phase in ("catch_up", "reconcile", "classified"):
                self.bar.value = 1
            else:
                self.bar.removeAttribute("value")
        if progress.records:
            parts.append(text["progress.records"].format(records=local_number(progress.records, self.language)))
        if progress.eta_s:
            parts.append(text["progress.eta"].format(time=self._duration(progress.eta_s)))
        self.status_text.textContent = " · ".join(parts)

    def written(self, count: int) -> None:
        self.write_status.hidden = False
        self.write_status.textContent = self.text["progress.write_done"].format(
            count=local_number(count, self.language))

    def _duration(self, seconds: float) -> str:
        if seconds >= 90:
            return self.text["progress.minutes"].format(minutes=round(seconds / 60))
        return self.text["progress.seconds"].format(seconds=max(1, round(seconds)))

    # --- modes --------------------------------------------------------------------

    def _tab_clicked(self, event) -> None:
        tab = event.target.closest("[data-mode]")
        if tab:
            self._choose(tab.getAttribute("data-mode"))

    def _tab_key(self, event) -> None:
        """Arrow keys, Home and End move between the tabs (only the chosen one is in the Tab order)."""
        modes = list(view.MODES)
        moves = {"ArrowRight": 1, "ArrowDown": 1, "ArrowLeft": -1, "ArrowUp": -1}
        if event.key in moves:
            target = modes[(modes.index(self.mode) + moves[event.key]) % len(modes)]
        elif event.key in ("Home", "End"):
            target = modes[0 if event.key == "Home" else -1]
        else:
            return
        event.preventDefault()
        self._choose(target)
        js.document.getElementById(f"tab-{target}").focus()

    def _choose(self, mode: str) -> None:
        self.mode = mode
        self._select_tab()
        self._draw_panel()

    def _select_tab(self) -> None:
        for tab in self.tabs.children:
            chosen = tab.getAttribute("data-mode") == self.mode
            tab.setAttribute("aria-selected", "true" if chosen else "false")
            tab.tabIndex = 0 if chosen else -1
        self.panel.setAttribute("aria-labelledby", f"tab-{self.mode}")
        self.picker.value = self.mode

    def _draw_panel(self) -> None:
        if self.data is None:
            return
        if self.mode == "directories":
            self.panel.replaceChildren(*self._directories())
        elif self.mode == "managers":
            self.panel.replaceChildren(self._managers())
        else:
            counters = view.mode_counters(self.mode, self.data.counts, self.text)
            self.panel.replaceChildren(self._counters(counters), self._share_bar(counters))
        self._mark_filter()

    def _counters(self, counters):
        box = element("ul", "counters")
        for counter in counters:
            item = element("li", "counter")
            colour = f"counter--{counter.key.replace('.', '-').replace('_', '-')}"
            button = element("button", f"counter__button {colour}", type="button",
                             data_filter=counter.key, title=self.text["share.title"].format(share=f"{counter.share}%"))
            button.append(element("span", "counter__label", counter.label))
            button.append(element("span", "counter__value", local_number(counter.value, self.language),
                                  data_count=counter.key))
            button.append(element("span", "counter__share", f"{counter.share}%"))
            bar = element("span", "counter__bar", aria_hidden="true")
            fill = element("span", "counter__fill")
            fill.style.setProperty("--share", f"{100 * counter.fraction:.2f}%")
            bar.append(fill)
            button.append(bar)
            item.append(button)
            box.append(item)
        return box

    def _share_bar(self, counters):
        """One bar split by the mode's own segments (not the "all clients" total)."""
        parts = [c for c in counters if c.key not in ("clients", "b2b.with_contacts", "b2b.without_contacts")]
        whole = sum(c.value for c in parts) or 1
        figure = element("figure", "shares")
        bar = element("div", "shares__bar", role="img", aria_label=self.text["chart.shares"] + ": " + ", ".join(
            f"{c.label} {c.share}%" for c in parts))
        legend = element("figcaption", "shares__legend")
        for counter in parts:
            colour = f"counter--{counter.key.replace('.', '-').replace('_', '-')}"
            segment = element("span", f"shares__part {colour}")
            segment.style.flexGrow = str(counter.value / whole)
            bar.append(segment)
            key = element("span", "shares__key")
            key.append(element("span", f"shares__swatch {colour}", aria_hidden="true"),
                       element("span", None, f"{counter.label} {counter.share}%"))
            legend.append(key)
        figure.append(bar, legend)
        return figure

    def _directories(self):
        data, text = self.data, self.text
        series = data.months
        contacts = series[-1][3] if series else 0
        companies = series[-1][4] if series else 0
        this_month = series[-1] if series else ("", 0, 0, 0, 0)
        box = element("ul", "counters counters--plain")
        for label, total, fresh, key in ((text["dir.contacts"], contacts, this_month[1], "dir.contacts"),
                                         (text["dir.companies"], companies, this_month[2], "dir.companies")):
            item = element("li", "counter counter--static")
            item.append(element("span", "counter__label", label))
            item.append(element("span", "counter__value", local_number(total, self.language), data_count=key))
            item.append(element("span", "counter__share", f"+{local_number(fresh, self.language)} "
                                                          f"{text['dir.this_month']}"))
            box.append(item)
        labels = {k: text[f"chart.{k}"] for k in charts.COLOURS}
        shapes = charts.months_chart(series, text["chart.months"], labels)
        figure = element("figure", "chart")
        drawing = svg("svg", {"viewBox": f"0 0 {charts.WIDTH} {charts.HEIGHT}", "role": "img",
                              "aria-label": text["chart.months"], "class": "chart__svg"})
        for shape in shapes:
            drawing.append(_shape(shape))
        legend = element("figcaption", "chart__legend")
        for key, colour in charts.COLOURS.items():
            item = element("span", f"chart__key chart__key--{key}")
            swatch = element("span", "chart__swatch", aria_hidden="true")
            swatch.style.background = colour
            item.append(swatch, element("span", None, labels[key]))
            legend.append(item)
        figure.append(drawing, legend)
        return [box, figure]

    def _managers(self):
        text = self.text
        table = element("table", "managers")
        head = element("tr")
        for key in ("managers.manager", "managers.total", "column.lifecycle", "managers.untouched"):
            head.append(element("th", "managers__bars" if key == "column.lifecycle" else None, text[key], scope="col",
                                title=text["managers.untouched_hint"] if key == "managers.untouched" else None))
        thead = element("thead")
        thead.append(head)
        body = element("tbody")
        for manager in self.data.managers:
            uid = manager.responsible_id or 0
            row = element("tr")
            name = self.people.name(uid) or (f"#{uid}" if uid else text["managers.nobody"])
            who = element("th", None, scope="row")
            who.append(element("button", "link", name, type="button", data_filter=f"manager.{uid}"))
            row.append(who)
            row.append(element("td", "num", local_number(manager.total, self.language), data_count=f"manager.{uid}"))
            bars = element("td", "managers__bars")
            bars.append(self._lifecycle_bar(manager, uid))
            row.append(bars)
            untouched = element("td", "num")
            untouched.append(element("button", "link", local_number(manager.untouched, self.language), type="button",
                                     data_filter=f"manager.{uid}.untouched", data_count=f"manager.{uid}.untouched"))
            row.append(untouched)
            body.append(row)
        table.append(thead, body)
        wrap = element("div", "managers-wrap")
        wrap.append(table)
        return wrap

    def _lifecycle_bar(self, manager, uid: int):
        bar = element("div", "shares__bar shares__bar--small")
        total = manager.total or 1
        for i, key in enumerate(view.LIFECYCLE_WITH_PAYMENTS + view.LIFECYCLE_WITHOUT_PAYMENTS):
            value = manager.lifecycle.get(key, 0)
            if not value:
                continue
            label = f'{self.text[f"count.lifecycle.{key}"]}: {value}'
            part = element("button", f"shares__part shares__part--l-{key}", type="button", title=label,
                           aria_label=label, data_filter=f"manager.{uid}.lifecycle.{key}")
            part.style.flexGrow = str(value / total)
            bar.append(part)
        return bar

    def _panel_clicked(self, event) -> None:
        target = event.target.closest("[data-filter]")
        if target:
            self._filter(target.getAttribute("data-filter"))

    # --- the list -----------------------------------------------------------------

    def _filter(self, key: str) -> None:
        self.filter = key
        self._mark_filter()
        self._draw_list()

    def _mark_filter(self) -> None:
        for node in self.panel.querySelectorAll("[data-filter]"):
            node.setAttribute("aria-pressed", "true" if node.getAttribute("data-filter") == self.filter else "false")
        if self.filter == "clients":
            self.filter_chip.hidden = True
        else:
            self.filter_chip.hidden = False
            self.filter_chip.textContent = self.text["list.filter"].format(name=self._filter_label(self.filter)) + " ×"

    def _filter_label(self, key: str) -> str:
        if not key.startswith("manager."):
            return self.text[f"count.{key}"]
        parts = key.split(".")
        uid = int(parts[1])
        who = self.people.name(uid) or (f"#{uid}" if uid else self.text["managers.nobody"])
        if len(parts) == 2:
            return who
        if parts[2] == "untouched":
            return f'{who} · {self.text["managers.untouched"]}'
        return f'{who} · {self.text["count." + ".".join(parts[2:])]}'

    def _shown_rows(self) -> list:
        wanted = listing.matches(self.filter, self.data.today)
        rows = [row for row in self.data.rows if wanted(row)]
        if self.query:
            rows = listing.search(rows, self.query)
        column, descending = self.sort
        return listing.sort_rows(rows, column, descending, self.people.names())

    def _draw_list(self) -> None:
        if self.data is None:
            return
        rows = self._shown_rows()
        self.found.textContent = self.text["list.count"].format(count=local_number(len(rows), self.language))
        self.list.show(rows, self.sort)

    def _typed(self, event) -> None:
        if self._search_timer is not None:
            js.clearTimeout(self._search_timer)
        self._search_timer = js.setTimeout(create_once_callable(self._search_now), SEARCH_DELAY_MS)

    def _search_now(self) -> None:
        self._search_timer = None
        self.query = str(self.search.value or "").strip()
        self._draw_list()

    def _sorted(self, column: str) -> None:
        current, descending = self.sort
        self.sort = (column, not descending) if column == current else (column, False)
        self._draw_list()

    def _open(self, row, event) -> None:
        if self.actions.open_card is not None:
            self.actions.open_card(row, event)

    def _export(self) -> None:
        rows = self.list.rows
        content = listing.to_csv(rows, self.text, self.people.names(), self.language)
        blob = js.Blob.new([content], js.Object.fromEntries([["type", "text/csv;charset=utf-8"]]))
        url = js.URL.createObjectURL(blob)
        link = element("a", None, href=url, download=f"clients-{self.data.today.isoformat()}.csv")
        js.document.body.append(link)
        link.click()
        link.remove()
        js.setTimeout(create_once_callable(lambda: js.URL.revokeObjectURL(url)), 10_000)

    # --- the employee card ----------------------------------------------------------

    def _person(self, user_id: int, anchor) -> None:
        if not user_id or self._person_for == user_id and not self.person_card.hidden:
            return
        self._person_for = user_id
        card = self.person_card
        card.replaceChildren(element("p", "person-card__name", self.text["person.loading"]))
        self._place(card, anchor)
        card.hidden = False
        anchor.setAttribute("aria-describedby", "person-card")
        _spawn(self._fill_person(user_id))

    async def _fill_person(self, user_id: int) -> None:
        person = await self.people.card(user_id)
        if self._person_for != user_id:
            return
        card, text = self.person_card, self.text
        photo = element("span", "person-card__photo", aria_hidden="true")
        if person and person.photo:
            photo.append(element("img", None, src=person.photo, alt="", width="56", height="56"))
        else:
            photo.textContent = _initials(person.name if person else "")
        body = element("div", "person-card__body")
        body.append(element("p", "person-card__name",
                            (person.name if person else "") or text["person.unknown"].format(id=user_id)))
        if person:
            for value, cls in ((", ".join(person.departments), "dept"), (person.position, "position")):
                if value:
                    body.append(element("p", f"person-card__{cls}", value))
            if person.phone:
                body.append(element("a", "person-card__phone", person.phone, href="tel:" + person.phone,
                                    aria_label=f'{text["person.phone"]} {person.phone}'))
        card.replaceChildren(photo, body)

    def _place(self, card, anchor) -> None:
        box = anchor.getBoundingClientRect()
        width = min(280, js.window.innerWidth - 16)
        left = max(8, min(box.left, js.window.innerWidth - width - 8))
        below = box.bottom + 6
        top = below if below + 140 < js.window.innerHeight else max(8, box.top - 146)
        card.style.left = f"{left + js.window.scrollX}px"
        card.style.top = f"{top + js.window.scrollY}px"
        card.style.width = f"{width}px"

    def _key(self, event) -> None:
        if event.key == "Escape":
            self._hide_person()

    def _clicked_anywhere(self, event) -> None:
        """A click or tap outside the employee card (and not on a name that opens one) closes it."""
        if not event.target.closest("#person-card, [data-person]"):
            self._hide_person()

    def _hide_person(self) -> None:
        self.person_card.hidden = True
        self._person_for = None


def _shape(shape: charts.Shape):
    node = svg(shape.tag, shape.attrs, shape.text)
    for child in shape.children:
        node.append(_shape(child))
    return node


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper() or "?"


_tasks: set = set()


def _spawn(coroutine) -> None:
    """Run a coroutine from an event handler, keeping a reference until it ends."""
    task = asyncio.ensure_future(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


def _runner(action):
    def run(event) -> None:
        _spawn(action())
    return run

