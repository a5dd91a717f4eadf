"""The dashboard screen: header, one progress strip, the modes with their counters
and charts, and the client list below (spec/app.md "Screens").

Built once (`mount`), then updated in place: new data (`show`), progress
(`progress`), a different mode, filter, search or sort.  Each mode shows its
own population in the list (`view.MODE_BASE`) and a counter narrows it.
What the numbers are comes from `listing.py`, `view.py` and `origin.py`;
this module only draws and wires events.  After every change of height the
portal is asked for a frame that fits (`Actions.fit`): the portal's page
scrolls, the list keeps its own box with a sticky header.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import js
from pyodide.ffi import create_once_callable, create_proxy

from ..words import agree, counted
from . import charts, ladder_view, listing, view
from .dom import (Breaks, FitLater, element, icon, local_date, local_moment, local_month, local_number, next_task,
                  short_month, signal, svg, wasm_bytes)
from .control_view import ControlPanel
from .listview import ListView
from .origin import Origin, header_lines
from .view import Data
from .people import People
from .planning_view import PlanningPanel

SEARCH_DELAY_MS = 200
DONE_NOTE_MS = 8000
"""How long "values written to the CRM" stays in the strip before it clears itself."""
PHONE_QUERY = "(max-width: 599px)"
MANAGER_COLUMNS = ("manager", "total", "lifecycle", "untouched")
LADDER_MANAGER_COLUMNS = ("manager", "tracked", "statuses", "dropping", "dropped")


@dataclass
class Actions:
    refresh: Callable[[], Awaitable[None]] | None = None
    clear: Callable[[], Awaitable[None]] | None = None
    settings: Callable[[], Awaitable[None]] | None = None
    help: Callable[[], Awaitable[None]] | None = None
    open_card: Callable[[object, object], None] | None = None
    card_url: Callable[[object], str] = field(default=lambda row: "#")
    fit: Callable[[int], None] | None = None
    """Ask the portal for a frame this tall (None: the page is not in a frame)."""
    open_client: Callable[[object], Awaitable[None]] | None = None
    """Open a client's page (its whole history) over the list."""
    planning: Callable[[], Awaitable[object]] | None = None
    """Read what the Planning mode needs (`planning_view.PlanningSource`); None: not here (the demo)."""
    control: Callable[[object, object], Awaitable[list]] | None = None
    """The control table's activities of a period (first, last day): `control.Event`s."""


def percent(value: int, language: str) -> str:
    """"90%" in English, "90 %" in Russian (with a space that never breaks)."""
    return f"{value}\u00a0%" if language == "ru" else f"{value}%"


class Screen:
    def __init__(self, text: dict[str, str], language: str, people: People, actions: Actions, *,
                 language_links=None):
        self.text, self.language, self.people, self.actions = text, language, people, actions
        self.base_text = text
        """The language's words; `text` adds the admin's own names of statuses while the ladder is on."""
        self.ladder: tuple | None = None
        """(publication, ladder settings, the portal's today) while the ladder is on (`set_ladder`)."""
        self.language_links = language_links
        self.data: Data | None = None
        self.mode = "types"
        self.filter = "clients"
        self.query = ""
        self.sort: tuple[str, bool] = view.FIRST_ORDER
        self.managers_sort: tuple[str, bool] = ("total", True)
        self._search_timer = None
        self._done_timer = None
        self._fit = FitLater(actions.fit) if actions.fit is not None else None
        self._proxies: list = []
        self._person_for: int | None = None
        self.planning = None
        """The Planning mode's source once read (`planning_view.PlanningSource`)."""
        self._planning_task = None
        self._planning_panel = None
        self._control_panel = None
        self._width: int | None = None
        """The window's width the panel was last drawn for (`_resized`)."""
        self.mounted = False

    # --- building -----------------------------------------------------------------

    def mount(self, app) -> None:
        """Replace #app's skeleton (or cached view) with the live screen, in one DOM change."""
        self.mounted = True
        text = self.text
        self.total = element("span", "header__total-number", "—", data_total="clients")
        self.total_label = element("span", "header__total-label", agree(text["total.label"], 0))
        self.meta = element("p", "header__meta", text["meta.never"])
        self.buttons = element("div", "header__actions")
        header = element("header", "header")
        left = element("div", "header__text")
        left.append(element("h1", "header__title", text["title"]), self.meta)
        total = element("div", "header__total")
        total.append(self.total, self.total_label)
        header.append(left, self.buttons, total)
        if self.language_links is not None:
            header.append(self.language_links)
        self._add_buttons()

        self.notice = element("p", "notice", hidden="")
        self.problems = element("p", "data-problems", hidden="")
        self.alert_box = element("div", "alerts", hidden="")
        self.status = element("div", "progress", hidden="", role="status", aria_live="polite",
                              aria_label=text["progress.label"])
        self.bar = element("progress", "progress__bar", max="1")
        self.status_text = element("span", "progress__text")
        self.status.append(self.bar, self.status_text)

        self.tabs = element("nav", "tabs", role="tablist", aria_label=text["modes.label"])
        # Phones get the same choice as one native select: six tabs would take three rows.
        self.picker = element("select", "mode-picker", aria_label=text["modes.label"])
        self._fill_modes()
        self.panel = element("section", "panel", id="panel", role="tabpanel")

        self.filter_chip = element("button", "chip", type="button", hidden="")
        self.search = element("input", "search", type="search", placeholder=text["list.search"],
                              aria_label=text["list.search"], autocomplete="off")
        self.list_sort = element("select", "list-sort", aria_label=text["list.sort_and_show"])
        self.found = element("span", "list-tools__count", aria_live="polite")
        self.export = element("button", "button button--quiet", type="button")
        self.export.append(icon("download"), element("span", None, text["list.export"]))
        tools = element("div", "list-tools")
        tools.append(self.search, self.list_sort, self.filter_chip, self.found, self.export)
        self.list = ListView(text, self.language, self._columns(), card_url=self.actions.card_url,
                             names=self.people.name, on_sort=self._sorted, on_open=self._open,
                             on_person=self._person, phone_query=PHONE_QUERY, on_client=self._open_client)
        self.person_card = element("div", "person-card", hidden="", role="tooltip", id="person-card")
        list_box = element("section", "clients", aria_label=text["list.label"])
        list_box.append(tools, self.list.node)
        self.list_box = list_box

        app.replaceChildren(header, self.notice, self.problems, self.alert_box, self.status, self.tabs, self.picker,
                            self.panel, list_box, self.person_card)
        app.removeAttribute("inert")
        app.removeAttribute("data-cached")
        app.setAttribute("aria-busy", "false")
        app.classList.add("app--live")
        self._listen(self.tabs, "click", self._tab_clicked)
        self._listen(self.tabs, "keydown", self._tab_key)
        self._listen(self.picker, "change", lambda event: self._choose(str(self.picker.value)))
        self._listen(self.panel, "click", self._panel_clicked)
        self._listen(self.filter_chip, "click", self._chip_clicked)
        self._listen(self.search, "input", self._typed)
        self._listen(self.list_sort, "change", self._sort_picked)
        self._listen(self.export, "click", lambda event: self._export())
        self._listen(js.document, "keydown", self._key)
        self._listen(js.document, "click", self._clicked_anywhere)
        self._listen(js.window, "resize", lambda event: self._resized())
        if self._fit is not None:
            self._fit.watch(app)
        self._select_tab()
        self.panel.replaceChildren(element("p", "panel__empty", text["empty.first_run"]))
        self.fit()

    def _modes(self) -> tuple[str, ...]:
        return view.shown_modes(self.ladder is not None)

    def _fill_modes(self) -> None:
        tabs, options = [], []
        for mode in self._modes():
            tabs.append(element("button", "tabs__tab", self.text[f"mode.{mode}"], type="button", role="tab",
                                data_mode=mode, id=f"tab-{mode}", aria_controls="panel"))
            options.append(element("option", None, self.text[f"mode.{mode}"], value=mode))
        self.tabs.replaceChildren(*tabs)
        self.picker.replaceChildren(*options)

    def _columns(self) -> tuple[str, ...]:
        return listing.COLUMNS + (ladder_view.COLUMNS if self.ladder is not None else ())

    def _add_buttons(self) -> None:
        for key, action, cls, name in (("action.refresh", self.actions.refresh, "button", "refresh"),
                                       ("action.clear", self.actions.clear, "button button--quiet", "clear"),
                                       ("action.settings", self.actions.settings, "button button--quiet", "settings"),
                                       ("action.help", self.actions.help, "button button--quiet", "help")):
            if action is None:
                continue
            button = element("button", cls, type="button", data_action=key.split(".")[1])
            button.append(icon(name), element("span", None, self.text[key]))
            self._listen(button, "click", _runner(action))
            self.buttons.append(button)

    def _listen(self, node, kind: str, handler) -> None:
        proxy = create_proxy(handler)
        self._proxies.append(proxy)
        node.addEventListener(kind, proxy)

    # --- the frame's height -------------------------------------------------------------

    def fit(self) -> None:
        """Once the current change is drawn, ask the portal for a frame as tall as the page."""
        if self._fit is not None:
            self._fit()

    def _resized(self) -> None:
        width = int(js.window.innerWidth)
        if self.data is not None and self.mode in ("directories", "ranks", ladder_view.MODE) and width != self._width:
            self._draw_panel()  # a chart is drawn for its width (labels stay 11 px)
        self._width = width  # a new height alone (the frame fitting its page) draws nothing again
        self.list.layout()
        self.fit()

    # --- data ---------------------------------------------------------------------

    def show(self, data: Data) -> None:
        first = self.data is None
        self.data = data
        self._attach_ladder()
        clients = data.counts.get("clients", 0)
        self.total.textContent = local_number(clients, self.language)
        self.total_label.textContent = agree(self.text["total.label"], clients)
        if first:
            self.filter = view.MODE_BASE[self.mode]
        self._header()
        self._draw_panel()
        self._draw_list()
        self.fit()

    def set_ladder(self, publication, settings, today) -> None:
        """The ladder is on: the statuses the last portal pass published (`load_publication`),
        its settings, and the portal's today (what drops within a week, what dropped this
        week).  Adds the Status mode and the status columns."""
        self.ladder = (publication, settings, today)
        self.text = {**self.base_text, **ladder_view.labels(settings, self.base_text)}
        self._ladder_changed()

    def drop_ladder(self) -> None:
        """The ladder was turned off: no Status mode (the page shows the first mode if it was
        on it), no status columns, the translated names again."""
        if self.ladder is None:
            return
        self.ladder = None
        self.text = dict(self.base_text)
        if self.data is not None:
            self.data.ladder = None
        if self.mode == ladder_view.MODE:
            self.mode = self._modes()[0]
            self.filter = view.MODE_BASE[self.mode]
        self._ladder_changed()

    def _ladder_changed(self) -> None:
        if not self.mounted:  # `mount` builds with it
            return
        self.list.text = self.text
        self.list.set_columns(self._columns())
        self._fill_modes()
        self._select_tab()
        if self.data is not None:
            self._attach_ladder()
            self._draw_panel()
            self._draw_list()
        self.fit()

    def published(self, client):
        """A client's published ladder row while the ladder is on (None: off, or untracked)."""
        return self.ladder[0].rows.get(client) if self.ladder is not None else None

    def _attach_ladder(self) -> None:
        if self.ladder is not None:
            publication, settings, today = self.ladder
            self.data.ladder = ladder_view.ladder_data(publication, self.data.rows, today, settings)

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
        self._problems_line()

    def _problems_line(self) -> None:
        """An admin is told how many CRM rows the run skipped as unreadable, and can open
        the list (kind, ID, why): one bad record never stops a run, nor hides silently."""
        problems = self.data.problems if self.data.origin.admin else []
        self.problems.hidden = not problems
        if not problems:
            self.problems.replaceChildren()
            return
        sentence = agree(self.text["problems.line"], len(problems)).format(
            count=local_number(len(problems), self.language))
        show = element("button", "link", self.text["problems.show"], type="button",
                       data_action="problems")
        show.addEventListener("click", create_proxy(lambda *_: self._show_problems()))
        self.problems.replaceChildren(element("span", None, sentence + " "), show)

    def _show_problems(self) -> None:
        from .sheet import Sheet

        text = self.text
        sheet = Sheet(text, text["problems.title"])
        sheet.body.append(element("p", "problems__lead", text["problems.lead"]))
        table = element("table", "problems")
        head = element("tr")
        for key in ("problems.kind", "problems.id", "problems.reason"):
            head.append(element("th", None, text[key], scope="col"))
        table.append(element("thead"), element("tbody"))
        table.firstChild.append(head)
        for kind, rid, reason in self.data.problems:
            row = element("tr")
            row.append(element("td", None, text.get(f"problems.kind.{kind}", kind)), element("td", None, rid),
                       element("td", "problems__reason", reason))
            table.lastChild.append(row)
        sheet.body.append(table)
        sheet.open()

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
        number = counted(values)
        template = self.text[key]
        return (agree(template, number) if number is not None else template).format(**shown)

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
        self.fit()

    def busy(self, running: bool) -> None:
        if running:
            self.alert_box.hidden = True
        for button in self.buttons.querySelectorAll("[data-action=refresh], [data-action=clear]"):
            button.disabled = running

    # --- progress -----------------------------------------------------------------

    def progress(self, progress, *, elsewhere: bool = False) -> None:
        """One strip for the whole run: the bar (empty-ended while the amount is unknown,
        never full while work remains), the phase, records so far and time left;
        `elsewhere`: another tab of this user runs it."""
        text = self.text
        if progress is None or progress.phase == "done":
            if self._done_timer is None:  # a "values written" note clears itself, later
                self.status.hidden = True
                self.fit()
            return
        self._cancel_done_note()
        was_hidden = self.status.hidden
        self.status.hidden = False
        if getattr(js.window, "__progressAt", None) is None:
            signal(__progressAt=js.performance.now())
        self.status.classList.remove("progress--done")
        parts = []
        known = progress.months_total > 0 and progress.phase in ("months", "reading", "write_back", "counting")
        if progress.phase == "months" and progress.month:
            parts.append(text["progress.months"].format(month=local_month(progress.month, self.language)))
        elif progress.phase == "write_back":
            parts.append(text["progress.write_back"].format(done=local_number(progress.months_done, self.language),
                                                            total=local_number(progress.months_total, self.language)))
        else:
            parts.append(text.get(f"progress.{progress.phase}", text["progress.starting"]))
        if known:
            self.bar.value = min(progress.months_done / progress.months_total, 0.99)
        else:
            self.bar.removeAttribute("value")
        if progress.records and progress.phase != "write_back":
            parts.append(agree(text["progress.records"], progress.records).format(
                records=local_number(progress.records, self.language)))
        if progress.eta_s:
            parts.append(text["progress.eta"].format(time=self._duration(progress.eta_s)))
        if elsewhere:
            parts.insert(0, text["progress.elsewhere"])
        self.status_text.textContent = " · ".join(parts)
        if was_hidden:
            self.fit()

    def written(self, count: int) -> None:
        """The write-back is done: said in the strip, which then clears itself."""
        self.status.hidden = False
        self.status.classList.add("progress--done")
        self.status_text.textContent = agree(self.text["progress.write_done"], count).format(
            count=local_number(count, self.language))
        self._cancel_done_note()
        self._done_timer = js.setTimeout(create_once_callable(self._clear_done_note), DONE_NOTE_MS)

    def _clear_done_note(self) -> None:
        self._done_timer = None
        self.status.hidden = True
        self.status.classList.remove("progress--done")
        self.fit()

    def _cancel_done_note(self) -> None:
        if self._done_timer is not None:
            js.clearTimeout(self._done_timer)
            self._done_timer = None

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
        modes = list(self._modes())
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
        """A mode shows its own population in the list (`view.MODE_BASE`)."""
        self.mode = mode
        self.filter = view.MODE_BASE[mode]
        self._select_tab()
        self._draw_panel()
        self._draw_list()
        self.fit()

    def _select_tab(self) -> None:
        self.list_box.hidden = self.mode == "planning"  # the planning groups are its list
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
            self.panel.replaceChildren(*self._managers())
        elif self.mode == "ranks":
            self.panel.replaceChildren(*self._ranks())
        elif self.mode == ladder_view.MODE:
            self.panel.replaceChildren(*self._statuses())
        elif self.mode == "planning":
            self.panel.replaceChildren(*self._planning())
        else:
            counters = view.mode_counters(self.mode, self.data.counts, self.text)
            self.panel.replaceChildren(self._counters(counters), self._share_bar())
        self._mark_filter()

    def _counts(self) -> dict[str, int]:
        """The numbers the current mode's counters read: the ladder's in the Status mode."""
        if self.mode == ladder_view.MODE:
            return self.data.ladder.counts if self.data.ladder is not None else {}
        return self.data.counts

    def _base_words(self) -> str:
        """The mode's population in words: "of 1,262 clients with payments"."""
        base = view.MODE_BASE[self.mode]
        count = self._counts().get(base, 0)
        return agree(self.text[f"base.{base}"], count).format(count=local_number(count, self.language))

    def _counters(self, counters, base: str | None = None):
        """`base`: what the shares are of, in words (the mode's population by default)."""
        box = element("ul", "counters")
        base = base or self._base_words()
        for counter in counters:
            item = element("li", "counter")
            colour = f"counter--{counter.key.replace('.', '-').replace('_', '-')}"
            share = percent(counter.share, self.language)
            button = element("button", f"counter__button {colour}", type="button",
                             data_filter=counter.key, title=f"{share} {base}")
            button.append(element("span", "counter__label", counter.label))
            button.append(element("span", "counter__value", local_number(counter.value, self.language),
                                  data_count=counter.key))
            button.append(element("span", "counter__share", share))
            bar = element("span", "counter__bar", aria_hidden="true")
            fill = element("span", "counter__fill")
            fill.style.setProperty("--share", f"{100 * counter.fraction:.2f}%")
            bar.append(fill)
            button.append(bar)
            item.append(button)
            box.append(item)
        return box

    def _share_bar(self):
        """The mode's bar: every segment as long as the share its label states, a neutral
        rest where the counters do not fill the base, and the base said in words."""
        parts = view.bar_parts(self.mode, self._counts(), self.text)
        base = self._base_words()
        labels = {part.key: (self.text["share.rest"] if part.key == "rest" else self.text[f"count.{part.key}"])
                  for part in parts}
        figure = element("figure", "shares")
        bar = element("div", "shares__bar", role="img", aria_label=f'{self.text["chart.shares"]} {base}: ' + ", ".join(
            f"{labels[p.key]} {percent(p.share, self.language)}" for p in parts))
        legend = element("figcaption", "shares__legend")
        for part in parts:
            colour = f"counter--{part.key.replace('.', '-').replace('_', '-')}"
            segment = element("span", f"shares__part shares__part--{part.key.replace('.', '-')} {colour}",
                              data_part=part.key, data_share=f"{part.fraction:.6f}",
                              title=f"{labels[part.key]}: {local_number(part.value, self.language)}")
            segment.style.width = f"{100 * part.fraction:.4f}%"
            bar.append(segment)
            key = element("span", "shares__key")
            key.append(element("span", f"shares__swatch {colour}", aria_hidden="true"),
                       element("span", None, f"{labels[part.key]} {percent(part.share, self.language)}"))
            legend.append(key)
        figure.append(bar, legend, element("p", "shares__base", f'{self.text["chart.shares"]} {base}'))
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
        width = self._chart_width()
        shapes = charts.months_chart(series, text["chart.months"], labels, width=width)
        return [box, _figure(shapes, width, text["chart.months"], "chart",
                             [(labels[key], colour, f"chart__key--{key}") for key, colour in charts.COLOURS.items()])]

    # --- the Ranks mode -----------------------------------------------------------------

    def _ranks(self):
        """Counters A / B / C / N with their share of the basis, the Pareto chart with the
        cut-offs marked, and what the ranks are cut from, in words."""
        data, text, language = self.data, self.text, self.language
        figures = data.ranks
        counters = view.rank_counters(data.counts, figures, text)
        if figures is None:  # a reading run: the ranks as written, the money is not seen here
            return [self._counters(counters), element("p", "ranks__note", text["ranks.written"])]
        shown = [self._counters(counters, text[f"ranks.share.{figures.basis}"])]
        width = self._chart_width()
        labels = {"value": text[f"ranks.value.{figures.basis}"], "cumulative": text["chart.pareto.cumulative"],
                  "cut": text["chart.pareto.cut"], "clients": text["chart.pareto.clients"],
                  "percent": percent("{value}", language)}
        shapes = charts.pareto_chart(figures, text["chart.pareto"], labels, width=width)
        if shapes:
            keys = [(text[f"count.rank.{r}"], colour, None) for r, colour in charts.RANK_COLOURS.items()]
            keys.append((text["chart.pareto.cumulative"], charts.LINE_COLOUR, None))
            shown.append(_figure(shapes, width, text["chart.pareto"], "chart chart--pareto", keys))
        else:
            shown.append(element("p", "ranks__note", text["ranks.empty"]))
        a, b = (view.cutoff_text(c, language) for c in figures.cutoffs)
        words = [text[f"ranks.basis.{figures.basis}"].format(
                     months=figures.window_months, currency=figures.currency or "—",
                     total=local_number(round(figures.total), language)),
                 text[f"ranks.method.{figures.method}"].format(a=a, b=b)]
        if figures.left_out:
            words.append(agree(text["ranks.left_out"], figures.left_out).format(
                count=local_number(figures.left_out, language)))
        shown.append(element("p", "ranks__note", " ".join(words)))
        return shown
    # --- the Status mode ---------------------------------------------------------------

    def _statuses(self):
        """Counters per status (each filters the list), drops soon and this week, the bar,
        whose statuses these are, the 12-month chart and the table per manager."""
        ladder, text = self.data.ladder, self.text
        if ladder is None:
            return [element("p", "panel__empty", text["ladder.none_yet"])]
        counters = view.mode_counters(ladder_view.MODE, ladder.counts, text)
        note = (text["ladder.published"].format(date=local_date(ladder.published_on, self.language))
                if ladder.published_on else text["ladder.none_yet"])
        parts = [element("p", "ladder__note", text["ladder.not_started"] if not ladder.started else note),
                 self._counters(counters), self._share_bar(), self._status_chart(ladder)]
        if ladder.figures.managers:
            parts += self._ladder_managers(ladder)
        return parts

    def _status_chart(self, ladder):
        text = self.text
        names = {status: text[f"count.ladder.{status}"] for status in charts.STATUS_COLOURS}
        series = [(text["ladder.chart.today"] if n == len(ladder.figures.months) - 1
                   else short_month(end, self.language), counts)
                  for n, (end, counts) in enumerate(ladder.figures.months)]
        width = self._chart_width()
        return _figure(charts.status_chart(series, text["ladder.chart"], names, width=width), width,
                       text["ladder.chart"], "chart chart--ladder",
                       [(names[status], colour, None) for status, colour in charts.STATUS_COLOURS.items()])

    def _chart_width(self) -> int:
        """A chart is drawn for the panel's own width, so that 11 px labels stay 11 px on a phone."""
        return max(charts.MIN_WIDTH, min(charts.WIDTH, int(self.panel.clientWidth or charts.WIDTH) - 32))

    def _ladder_managers(self, ladder):
        """Who lets clients go: per responsible, clients by status, drops soon, dropped this week."""
        text, language = self.text, self.language
        table = element("table", "managers managers--ladder")
        head = element("tr")
        for key in LADDER_MANAGER_COLUMNS:
            label = text["managers.manager"] if key == "manager" else text[f"ladder.managers.{key}"]
            cls = "num" if key in ("tracked", "dropping", "dropped") else ("managers__bars" if key == "statuses"
                                                                             else None)
            hint = text.get(f"ladder.managers.{key}_hint")
            head.append(element("th", cls, label, scope="col", title=hint))
        thead = element("thead")
        thead.append(head)
        body = element("tbody")
        for line in ladder.figures.managers:
            uid = line.manager or 0
            tracked = sum(line.counts.values())
            row = element("tr")
            who = element("th", "managers__who", scope="row")
            who.append(element("button", "link", self._manager_name(uid), type="button",
                               data_filter=ladder_view.manager_filter(uid)),
                       self._status_bar(line.counts, uid, compact=True))
            row.append(who)
            row.append(element("td", "num", local_number(tracked, language),
                               data_count=ladder_view.manager_filter(uid)))
            bars = element("td", "managers__bars")
            bars.append(self._status_bar(line.counts, uid))
            row.append(bars)
            for what, value in (("dropping", line.dropping), ("dropped", line.dropped)):
                cell = element("td", "num")
                cell.append(element("button", "link", local_number(value, language), type="button",
                                    data_filter=ladder_view.manager_filter(uid, what),
                                    data_count=ladder_view.manager_filter(uid, what)))
                row.append(cell)
            body.append(row)
        table.append(thead, body)
        wrap = element("div", "managers-wrap")
        wrap.append(table)
        return [wrap]  # the chart's legend above names the colours

    def _status_bar(self, counts, uid: int, *, compact: bool = False):
        """A manager's clients by status as one bar (segments filter the list; on phones a thin
        bar under the name that only shows)."""
        bar = element("div", "shares__bar shares__bar--small" + (" managers__compact" if compact else ""),
                      **({"aria_hidden": "true"} if compact else {}))
        total = sum(counts.values()) or 1
        for status in charts.STATUS_COLOURS:
            value = counts.get(status, 0)
            if not value:
                continue
            colour = f"counter--ladder-{status.replace('_', '-')}"
            label = f'{self.text[f"count.ladder.{status}"]}: {value}'
            if compact:
                part = element("span", f"shares__part {colour}")
            else:
                part = element("button", f"shares__part {colour}", type="button", title=label, aria_label=label,
                               data_filter=ladder_view.manager_filter(uid, status))
            part.style.width = f"{100 * value / total:.3f}%"
            bar.append(part)
        return bar

    # --- the Planning mode ---------------------------------------------------------------

    def _planning(self):
        """The groups once the activities behind them are there (taken from a computing page's
        aggregates, or read by a reading page, the first time the mode is opened and again
        after a refresh) and the bands of these rows computed (with pauses)."""
        text = self.text
        if self.actions.planning is None:
            return [element("p", "ranks__note", text["plan.unavailable"])]
        if not self._planning_ready():
            return [element("p", "panel__empty", text["plan.loading"], data_plan_loading="")]
        if self._planning_panel is None:
            self._planning_panel = PlanningPanel(text, self.language, self._manager_name_or_none,
                                                 self._open_client, self._planning_redraw)
        return self._planning_panel.nodes(self.planning, self.data)

    def _manager_name_or_none(self, uid: int | None) -> str:
        return self.people.name(uid) if uid else ""

    def prepare_planning(self) -> None:
        """Read and band the Planning mode's source behind a dashboard a run has just drawn,
        so the mode opens without waiting for the portal (planning.md "Speed": it renders
        within 300 ms after the dashboard).  A few light requests, paid whether or not the
        mode is opened; a failure is said only if the mode is open, and retried there."""
        if self.actions.planning is not None and self.data is not None:
            self._planning_ready()

    def _planning_ready(self) -> bool:
        """Whether the source is read and banded for the rows shown; if not, that is started."""
        if self.planning is not None and self.planning.ready_for(self.data):
            return True
        if self._planning_task is None:
            self._planning_task = asyncio.ensure_future(self._read_planning())
        return False

    async def _read_planning(self) -> None:
        """One reading of the source.  A refresh cancels it (`forget_planning`), and by then a
        newer reading may have begun: this one's end leaves that one's task alone."""
        try:
            source = self.planning
            if source is None:
                source = await self.actions.planning()
                signal(__planningAt=js.performance.now())
            await source.band(self.data, Breaks())
            self.planning = source
            signal(__planningBandedAt=js.performance.now(), __planningWasmBytes=wasm_bytes())
            await next_task()  # the groups are drawn in a task of their own
        except Exception as exc:  # said in the panel; the next visit to the mode tries again
            if self.mode in ("planning", "managers"):
                self.panel.replaceChildren(element("p", "panel__empty", self.text["plan.failed"].format(
                    reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)))
            return
        finally:
            if self._planning_task is asyncio.current_task():
                self._planning_task = None
        self._planning_redraw()

    def _planning_redraw(self) -> None:
        if self.mode in ("planning", "managers"):
            self._draw_panel()
            self.fit()

    def forget_planning(self) -> None:
        """A refresh: the activities are taken or read again the next time the mode is drawn
        (a reading under way asks the portal nothing more: its source would be the last run's)."""
        if self._planning_task is not None:
            self._planning_task.cancel()
        self.planning = None
        self._planning_task = None
        self._control_panel = None

    def _control(self) -> list:
        """The head's control table above the lifecycle table (the Planning mode's source first)."""
        if self.actions.control is None or self.actions.planning is None:
            return []
        source = self.planning if self._planning_ready() else None
        if self._control_panel is None:
            self._control_panel = ControlPanel(self.text, self.language, self._manager_name_or_none,
                                               self._planning_redraw)
        return self._control_panel.nodes(source, self.data, self.actions.control)

    # --- the managers table ---------------------------------------------------------

    def _managers(self):
        text, language = self.text, self.language
        everyone = max(1, self.data.counts.get("clients", 0))
        column, descending = self.managers_sort
        names = {m.responsible_id: self._manager_name(m.responsible_id or 0) for m in self.data.managers}
        managers = listing.sort_managers(self.data.managers, column, descending, names)
        table = element("table", "managers")
        head = element("tr")
        for key in MANAGER_COLUMNS:
            label = text[f"managers.{key}"]
            state = ("descending" if descending else "ascending") if key == column else "none"
            cls = "num" if key in ("total", "untouched") else ("managers__bars" if key == "lifecycle" else None)
            cell = element("th", cls, scope="col", aria_sort=state)
            cell.append(element("button", "sort", label, type="button", data_manager_sort=key,
                                title=text["managers.untouched_hint"] if key == "untouched" else None))
            head.append(cell)
        thead = element("thead")
        thead.append(head)
        body = element("tbody")
        for manager in managers:
            uid = manager.responsible_id or 0
            row = element("tr")
            who = element("th", "managers__who", scope="row")
            who.append(element("button", "link", names[manager.responsible_id], type="button",
                               data_filter=f"manager.{uid}"))
            compact = self._lifecycle_bar(manager, uid, compact=True)
            who.append(compact)
            row.append(who)
            total = element("td", "num", data_count=f"manager.{uid}")
            total.append(*_with_share(manager.total, everyone, language))
            row.append(total)
            bars = element("td", "managers__bars")
            bars.append(self._lifecycle_bar(manager, uid))
            row.append(bars)
            untouched = element("td", "num")
            link = element("button", "link", type="button", data_filter=f"manager.{uid}.untouched",
                           data_count=f"manager.{uid}.untouched")
            link.append(*_with_share(manager.untouched, manager.total, language))
            untouched.append(link)
            row.append(untouched)
            body.append(row)
        table.append(thead, body)
        wrap = element("div", "managers-wrap")
        wrap.append(table)
        return [*self._control(), self._lifecycle_legend(), wrap]

    def _manager_name(self, uid: int) -> str:
        return self.people.name(uid) or (f"#{uid}" if uid else self.text["managers.nobody"])

    def _lifecycle_legend(self):
        legend = element("ul", "legend", aria_label=self.text["managers.legend"])
        for key in view.LIFECYCLE_WITH_PAYMENTS + view.LIFECYCLE_WITHOUT_PAYMENTS:
            item = element("li", "shares__key")
            item.append(element("span", f"shares__swatch shares__swatch--l-{key}", aria_hidden="true"),
                        element("span", None, self.text[f"count.lifecycle.{key}"]))
            legend.append(item)
        return legend

    def _lifecycle_bar(self, manager, uid: int, *, compact: bool = False):
        """Clients by lifecycle as one bar: segments filter the list; on phones a thin
        bar under the name that only shows (its segments are too small to tap)."""
        bar = element("div", "shares__bar shares__bar--small" + (" managers__compact" if compact else ""),
                      **({"aria_hidden": "true"} if compact else {}))
        total = manager.total or 1
        for key in view.LIFECYCLE_WITH_PAYMENTS + view.LIFECYCLE_WITHOUT_PAYMENTS:
            value = manager.lifecycle.get(key, 0)
            if not value:
                continue
            label = f'{self.text[f"count.lifecycle.{key}"]}: {value}'
            if compact:
                part = element("span", f"shares__part shares__part--l-{key}")
            else:
                part = element("button", f"shares__part shares__part--l-{key}", type="button", title=label,
                               aria_label=label, data_filter=f"manager.{uid}.lifecycle.{key}")
            part.style.width = f"{100 * value / total:.3f}%"
            bar.append(part)
        return bar

    def _panel_clicked(self, event) -> None:
        sorter = event.target.closest("[data-manager-sort]")
        if sorter:
            key = sorter.getAttribute("data-manager-sort")
            column, descending = self.managers_sort
            self.managers_sort = (key, not descending) if key == column else (key, key != "manager")
            self._draw_panel()
            return
        target = event.target.closest("[data-filter]")
        if target:
            self._filter(target.getAttribute("data-filter"))

    # --- the list -----------------------------------------------------------------

    def _filter(self, key: str) -> None:
        self.filter = key
        if key.endswith(".untouched"):  # the forgotten: longest untouched first (never touched first of all)
            self.sort = ("last_touch", False)
        self._mark_filter()
        self._draw_list()

    def _chip_clicked(self, event) -> None:
        """The chip's × goes back from a counter to the mode's whole population."""
        base = view.MODE_BASE[self.mode]
        if self.filter != base:
            self._filter(base)

    def _mark_filter(self) -> None:
        for node in self.panel.querySelectorAll("[data-filter]"):
            node.setAttribute("aria-pressed", "true" if node.getAttribute("data-filter") == self.filter else "false")
        base = view.MODE_BASE[self.mode]
        chip = self.filter_chip
        if self.filter == "clients":
            chip.hidden = True
            return
        chip.hidden = False
        label = self.text["list.filter"].format(name=self._filter_label(self.filter))
        if self.filter == base:  # the mode's own population: said, not removable
            chip.textContent = label
            chip.classList.add("chip--fixed")
            chip.removeAttribute("title")
            chip.setAttribute("aria-disabled", "true")
        else:
            chip.replaceChildren(element("span", None, label), icon("close"))
            chip.classList.remove("chip--fixed")
            chip.setAttribute("title", self.text["list.clear_filter"].format(name=self._filter_label(base)))
            chip.removeAttribute("aria-disabled")

    def _filter_label(self, key: str) -> str:
        if key.startswith("ladder.manager."):
            parts = key.split(".")
            who = self._manager_name(int(parts[2]))
            if len(parts) == 3:
                return f'{who} · {self.text["count.ladder.tracked"]}'
            return f'{who} · {self.text["count.ladder." + parts[3]]}'
        if not key.startswith("manager."):
            return self.text[f"count.{key}"]
        parts = key.split(".")
        who = self._manager_name(int(parts[1]))
        if len(parts) == 2:
            return who
        if parts[2] == "untouched":
            return f'{who} · {self.text["managers.untouched"]}'
        return f'{who} · {self.text["count." + ".".join(parts[2:])]}'

    def _shown_rows(self) -> list:
        if ladder_view.is_ladder_key(self.filter):
            if self.data.ladder is None:
                return []
            wanted = ladder_view.matches(self.filter, self.data.ladder)
        else:
            wanted = listing.matches(self.filter, self.data.today)
        rows = [row for row in self._ordered() if wanted(row)]
        return listing.search(rows, self.query) if self.query else rows

    def _ordered(self) -> list:
        """All rows in the list's order: sorted once per order (a filter keeps it), except by
        the responsible, whose names may arrive later."""
        column, descending = self.sort
        if column == "responsible":
            return listing.sort_rows(self.data.rows, column, descending, self.people.names())
        if self.sort not in self.data.ordered:
            self.data.ordered[self.sort] = listing.sort_rows(self.data.rows, column, descending)
        return self.data.ordered[self.sort]

    def _draw_list(self) -> None:
        if self.data is None:
            return
        rows = self._shown_rows()
        self.found.textContent = agree(self.text["list.count"], len(rows)).format(
            count=local_number(len(rows), self.language))
        self._fill_list_sort()
        self.list.show(rows, self.sort)

    def _fill_list_sort(self) -> None:
        """Phones: sorting and what is shown in one control (the table's headers are hidden)."""
        text = self.text
        picker = self.list_sort
        sort_group = element("optgroup", None, label=text["list.sort_by"])
        for column in self._columns():
            for descending in (False, True):
                arrow = "▼" if descending else "▲"
                sort_group.append(element("option", None, f'{text[f"column.{column}"]} {arrow}',
                                          value=f"sort:{column}:{int(descending)}"))
        show_group = element("optgroup", None, label=text["list.show"])
        keys = [view.MODE_BASE[self.mode], *view.MODE_COUNTERS.get(self.mode, ())]
        if self.filter not in keys:
            keys.append(self.filter)
        for key in dict.fromkeys(keys):
            show_group.append(element("option", None, self._filter_label(key), value=f"show:{key}"))
        picker.replaceChildren(sort_group, show_group)
        column, descending = self.sort
        picker.value = f"sort:{column}:{int(descending)}"

    def _sort_picked(self, event) -> None:
        kind, _, rest = str(self.list_sort.value).partition(":")
        if kind == "sort":
            column, _, descending = rest.partition(":")
            self.sort = (column, descending == "1")
            self._draw_list()
        elif kind == "show":
            self._filter(rest)

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

    def _open_client(self, row, event) -> None:
        """A name opens the client's own page (its history); without one (the demo) the card."""
        if self.actions.open_client is None:
            self._open(row, event)
            return
        event.preventDefault()
        _spawn(self.actions.open_client(row))

    def _export(self) -> None:
        rows = self.list.rows
        content = listing.to_csv(rows, self.text, self.people.names(), self.language, ladder=self.ladder is not None)
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


def _with_share(value: int, whole: int, language: str) -> tuple:
    """"626 (90 %)": the share goes on a line of its own on phones."""
    return (element("span", None, local_number(value, language) + " "),
            element("span", "pct", f"({percent(view.share(value, whole), language)})"))


def _figure(shapes: list, width: int, label: str, css: str, keys: list[tuple[str, str, str | None]]):
    """A chart's <figure>: the drawing at `width`, and its legend (`keys`: name, colour,
    an extra class of the key or None)."""
    figure = element("figure", css)
    drawing = svg("svg", {"viewBox": f"0 0 {width} {charts.HEIGHT}", "role": "img", "aria-label": label,
                          "class": "chart__svg"})
    drawing.style.maxWidth = f"{width}px"
    for shape in shapes:
        drawing.append(_shape(shape))
    legend = element("figcaption", "chart__legend")
    for name, colour, extra in keys:
        item = element("span", "chart__key" + (f" {extra}" if extra else ""))
        swatch = element("span", "chart__swatch", aria_hidden="true")
        swatch.style.background = colour
        item.append(swatch, element("span", None, name))
        legend.append(item)
    figure.append(drawing, legend)
    return figure


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
