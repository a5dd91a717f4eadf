"""The client list in the page: a window of rows over any number of clients.

Only the rows in view (plus a few either side) are in the DOM, positioned in
a spacer as tall as the whole list, so 85,000 clients scroll like 30.  The
header is sticky inside the same scroller.  Below 600 px wide each client is
a card (name, type, lifecycle, rank, last payment, last touch, responsible)
instead of a 1,096 px table row.  What is shown, in which order, is decided
by `listing.py`; this module draws it and reports clicks.
"""

from __future__ import annotations

from collections.abc import Callable

import js
from pyodide.ffi import create_proxy

from . import ladder_view
from .dom import element, icon, short_date

ROW_HEIGHT = 44
CARD_HEIGHT = 148
LADDER_CARD_HEIGHT = 168
"""A card with the status line (the ladder is on)."""
OVERSCAN = 8
TOOLTIP_COLUMNS = ("lifecycle", "frequency", "responsible", "status")
"""Cells whose full value goes into a tooltip (they may be cut with an ellipsis)."""


def _with_ladder(columns: tuple[str, ...]) -> bool:
    """The status columns widen the row (style.css `.list--ladder`)."""
    return any(key in ladder_view.COLUMNS for key in columns)


def display_name(row, text: dict[str, str]) -> str:
    if row.name:
        return row.name
    key = "list.unnamed_company" if row.entity == "company" else "list.unnamed_contact"
    return text[key].format(id=row.id)


class ListView:
    def __init__(self, text: dict[str, str], language: str, columns: tuple[str, ...], *,
                 card_url: Callable[[object], str], names: Callable[[int | None], str],
                 on_sort: Callable[[str], None], on_open: Callable[[object, object], None],
                 on_person: Callable[[int, object], None], phone_query: str = "(max-width: 599px)",
                 on_client: Callable[[object, object], None] | None = None):
        self.text, self.language, self.columns = text, language, columns
        self.card_url, self.names = card_url, names
        self.on_sort, self.on_open, self.on_person = on_sort, on_open, on_person
        self.on_client = on_client or on_open
        self.rows: list = []
        self.first = -1
        self.sort: tuple[str, bool] = ("name", False)
        self.phone = js.window.matchMedia(phone_query)
        self.cards = bool(self.phone.matches)
        self.node = element("div", "list" + (" list--cards" if self.cards else "") + (
            " list--ladder" if _with_ladder(columns) else ""), role="table", aria_label=text["list.label"],
            aria_rowcount="0")
        self.viewport = element("div", "list__viewport", tabindex="0")
        self.head = element("div", "list__row list__row--head", role="row")
        self.spacer = element("div", "list__spacer")
        self.window = element("div", "list__window", role="rowgroup")
        self.empty = element("p", "list__empty", text["list.empty"], hidden="")
        self.spacer.append(self.window)
        self.viewport.append(self.head, self.spacer)
        self.node.append(self.viewport, self.empty)
        self._proxies = [create_proxy(self._scrolled), create_proxy(self._clicked), create_proxy(self._pointed)]
        self.viewport.addEventListener("scroll", self._proxies[0])
        self.node.addEventListener("click", self._proxies[1])
        # The employee card opens on hover (mouse) and on keyboard focus; a tap is a click.
        self.node.addEventListener("mouseover", self._proxies[2])
        self.node.addEventListener("focusin", self._proxies[2])
        self._draw_head()

    @property
    def row_height(self) -> int:
        if not self.cards:
            return ROW_HEIGHT
        return LADDER_CARD_HEIGHT if "status" in self.columns else CARD_HEIGHT

    # --- drawing ------------------------------------------------------------------

    def _draw_head(self) -> None:
        cells = []
        column, descending = self.sort
        for key in self.columns:
            state = ("descending" if descending else "ascending") if key == column else "none"
            label = self.text[f"column.{key}"]
            button = element("button", "list__sort", label, type="button", data_sort=key, title=label)
            cell = element("span", f"list__cell list__cell--{key}", role="columnheader", aria_sort=state)
            cell.append(button)
            cells.append(cell)
        self.head.replaceChildren(*cells)

    def show(self, rows: list, sort: tuple[str, bool]) -> None:
        """Show these rows (already filtered and sorted) from the top."""
        self.rows, self.sort, self.first = rows, sort, -1
        self._draw_head()
        self.node.setAttribute("aria-rowcount", str(len(rows)))
        self.spacer.style.height = f"{len(rows) * self.row_height}px"
        self.empty.hidden = bool(rows)
        self.viewport.scrollTop = 0
        self._draw_window()

    def set_columns(self, columns: tuple[str, ...]) -> None:
        """Other columns (the status ladder's, once it is on): a wider row, drawn again."""
        self.columns = columns
        self.node.classList.toggle("list--ladder", _with_ladder(columns))
        self.show(self.rows, self.sort)

    def layout(self) -> None:
        """The window was resized: switch between table rows and cards if the width asks."""
        cards = bool(self.phone.matches)
        if cards == self.cards:
            return
        self.cards = cards
        self.node.classList.toggle("list--cards", cards)
        self.show(self.rows, self.sort)

    def _draw_window(self) -> None:
        height = self.viewport.clientHeight or 600
        head = 0 if self.cards else int(self.head.offsetHeight or 0)
        top = max(0, int(self.viewport.scrollTop) - head)
        step = self.row_height
        first = max(0, top // step - OVERSCAN)
        if first == self.first:
            return
        self.first = first
        last = min(len(self.rows), first + height // step + 2 * OVERSCAN + 1)
        self.window.style.transform = f"translateY({first * step}px)"
        draw = self._card if self.cards else self._row
        self.window.replaceChildren(*(draw(i) for i in range(first, last)))

    def _name(self, row, index: int):
        """The name opens the client's page (its whole history); the icon beside it, the CRM card."""
        shown = display_name(row, self.text)
        name = element("a", "list__name", shown, href=self.card_url(row), target="_blank", rel="noopener",
                       data_client=str(index), title=shown)
        crm = element("a", "list__crm", href=self.card_url(row), target="_blank", rel="noopener",
                      data_open=str(index), title=self.text["history.open_in_crm"],
                      aria_label=f'{self.text["history.open_in_crm"]}: {shown}')
        crm.append(icon("link"))
        box = element("span", "list__names")
        box.append(name, crm)
        return box

    def _row(self, index: int):
        row = self.rows[index]
        node = element("div", "list__row", role="row", aria_rowindex=str(index + 2), data_index=str(index))
        cell = element("span", "list__cell list__cell--name", role="cell")
        cell.append(self._name(row, index))
        node.append(cell)
        for key in self.columns[1:]:
            node.append(self._cell(key, row))
        return node

    def _card(self, index: int):
        """A phone's row: name; type, lifecycle and rank; last payment and last touch; the
        status and its next drop while the ladder is on; responsible."""
        row, text = self.rows[index], self.text
        node = element("div", "client-card", role="row", aria_rowindex=str(index + 2), data_index=str(index))
        name = element("div", "client-card__name", role="cell")
        name.append(self._name(row, index))
        kind = element("div", "client-card__line", role="cell")
        kind.append(element("span", None, self._value("type", row) + " · "),
                    element("span", f"client-card__chip tag--{row.lifecycle}", self._value("lifecycle", row)),
                    element("span", f"client-card__rank rank--{row.rank}", row.rank,
                            title=f'{text["column.rank"]} {row.rank}', data_rank=row.rank))

        dates = element("div", "client-card__line", role="cell")
        dates.textContent = (f'{text["card.paid"]} {self._value("last_payment", row)} · '
                             f'{text["card.touched"]} {self._value("last_touch", row)}')
        who = element("div", "client-card__line", role="cell")
        person = self._person(row)
        if person is not None:
            who.append(person)
        node.append(name, kind, dates)
        if "status" in self.columns:
            node.append(self._status_line(row))
        node.append(who)
        return node

    def _status_line(self, row):
        """A phone's status line: the status, and when it drops unless someone calls."""
        line = element("div", "client-card__line", role="cell")
        status = ladder_view.row_value(row, "status")
        if status is None:
            line.textContent = f'{self.text["column.status"]}: —'
            return line
        line.append(element("span", f"client-card__chip tag--ladder-{status}", self._value("status", row)))
        drop = ladder_view.row_value(row, "next_drop")
        if drop:
            line.append(element("span", None, f' · {self.text["card.status_drops"]} {short_date(drop, self.language)}'))
        return line

    def _person(self, row):
        who = self.names(row.responsible_id) or (f"#{row.responsible_id}" if row.responsible_id else "")
        if not who:
            return None
        return element("button", "list__person", who, type="button", data_person=str(row.responsible_id or 0),
                       title=who)

    def _cell(self, key: str, row):
        cell = element("span", f"list__cell list__cell--{key}", role="cell")
        if key == "responsible":
            person = self._person(row)
            if person is not None:
                cell.append(person)
            return cell
        if key == "modified" and row.modified_by_app:
            cell.append(element("span", "list__app", self.text["list.by_app"], title=self.text["list.by_app_hint"]))
            return cell
        value = self._value(key, row)
        cell.textContent = value
        if key in TOOLTIP_COLUMNS:
            cell.setAttribute("title", value)
        if key in ("lifecycle", "frequency", "type"):
            cell.classList.add(f"tag--{self._raw(key, row)}")
        if key == "rank":
            cell.classList.add(f"rank--{row.rank}")
            cell.setAttribute("data-rank", row.rank)
        if key == "status" and ladder_view.row_value(row, key):
            cell.classList.add(f"tag--ladder-{ladder_view.row_value(row, key)}")
        return cell

    def _raw(self, key: str, row) -> str:
        return {"type": row.client_type, "lifecycle": row.lifecycle, "frequency": row.frequency}[key]

    def _value(self, key: str, row) -> str:
        if key == "type":
            return self.text[f"type.{row.client_type}"]
        if key in ("lifecycle", "frequency"):
            return self.text[f"count.{key}.{self._raw(key, row)}"]
        if key == "payments":
            return str(row.payments)
        if key == "rank":
            return row.rank
        if key == "status":
            return ladder_view.status_name(ladder_view.row_value(row, key), self.text) or "—"
        day = ladder_view.row_value(row, key) if key in ladder_view.COLUMNS else getattr(row, key)
        return short_date(day, self.language) if day else "—"

    # --- events -------------------------------------------------------------------

    def _scrolled(self, event) -> None:
        self._draw_window()

    def _pointed(self, event) -> None:
        person = event.target.closest("[data-person]")
        if person:
            self.on_person(int(person.getAttribute("data-person")), person)

    def _clicked(self, event) -> None:
        target = event.target
        sort = target.closest("[data-sort]")
        if sort:
            self.on_sort(sort.getAttribute("data-sort"))
            return
        person = target.closest("[data-person]")
        if person:
            self.on_person(int(person.getAttribute("data-person")), person)
            return
        opener = target.closest("[data-open]")
        if opener:
            self.on_open(self.rows[int(opener.getAttribute("data-open"))], event)
            return
        client = target.closest("[data-client]")
        if client:
            self.on_client(self.rows[int(client.getAttribute("data-client"))], event)
