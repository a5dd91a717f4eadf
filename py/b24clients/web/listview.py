"""The client list in the page: a window of rows over any number of clients.

Only the rows in view (plus a few either side) are in the DOM, positioned in
a spacer as tall as the whole list, so 85,000 clients scroll like 30. The
header is sticky inside the same scroller, so on a phone the list (and only
the list) scrolls sideways. What is shown, in which order, is decided by
`listing.py`; this module draws it and reports clicks.
"""

from __future__ import annotations

from collections.abc import Callable

from pyodide.ffi import create_proxy

from .dom import element, short_date

ROW_HEIGHT = 44
OVERSCAN = 8


def display_name(row, text: dict[str, str]) -> str:
    if row.name:
        return row.name
    key = "list.unnamed_company" if row.entity == "company" else "list.unnamed_contact"
    return text[key].format(id=row.id)


class ListView:
    def __init__(self, text: dict[str, str], language: str, columns: tuple[str, ...], *,
                 card_url: Callable[[object], str], names: Callable[[int | None], str],
                 on_sort: Callable[[str], None], on_open: Callable[[object, object], None],
                 on_person: Callable[[int, object], None]):
        self.text, self.language, self.columns = text, language, columns
        self.card_url, self.names = card_url, names
        self.on_sort, self.on_open, self.on_person = on_sort, on_open, on_person
        self.rows: list = []
        self.first = -1
        self.sort: tuple[str, bool] = ("name", False)
        self.node = element("div", "list", role="table", aria_label=text["list.label"], aria_rowcount="0")
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

    # --- drawing ------------------------------------------------------------------

    def _draw_head(self) -> None:
        cells = []
        column, descending = self.sort
        for key in self.columns:
            state = ("descending" if descending else "ascending") if key == column else "none"
            button = element("button", f"list__sort list__cell--{key}", self.text[f"column.{key}"],
                             type="button", data_sort=key)
            cell = element("span", f"list__cell list__cell--{key}", role="columnheader", aria_sort=state)
            cell.append(button)
            cells.append(cell)
        self.head.replaceChildren(*cells)

    def show(self, rows: list, sort: tuple[str, bool]) -> None:
        """Show these rows (already filtered and sorted) from the top."""
        self.rows, self.sort, self.first = rows, sort, -1
        self._draw_head()
        self.node.setAttribute("aria-rowcount", str(len(rows)))
        self.spacer.style.height = f"{len(rows) * ROW_HEIGHT}px"
        self.empty.hidden = bool(rows)
        self.viewport.scrollTop = 0
        self._draw_window()

    def _draw_window(self) -> None:
        height = self.viewport.clientHeight or 600
        top = max(0, int(self.viewport.scrollTop) - int(self.head.offsetHeight or 0))
        first = max(0, top // ROW_HEIGHT - OVERSCAN)
        if first == self.first:
            return
        self.first = first
        last = min(len(self.rows), first + height // ROW_HEIGHT + 2 * OVERSCAN + 1)
        self.window.style.transform = f"translateY({first * ROW_HEIGHT}px)"
        self.window.replaceChildren(*(self._row(i) for i in range(first, last)))

    def _row(self, index: int):
        row = self.rows[index]
        node = element("div", "list__row", role="row", aria_rowindex=str(index + 2), data_index=str(index))
        name = element("a", "list__name", display_name(row, self.text), href=self.card_url(row),
                       target="_blank", rel="noopener", data_open=str(index))
        cell = element("span", "list__cell list__cell--name", role="cell")
        cell.append(name)
        node.append(cell)
        for key in self.columns[1:]:
            node.append(self._cell(key, row, index))
        return node

    def _cell(self, key: str, row, index: int):
        cell = element("span", f"list__cell list__cell--{key}", role="cell")
        if key == "responsible":
            who = self.names(row.responsible_id) or (f"#{row.responsible_id}" if row.responsible_id else "")
            if who:
                cell.append(element("button", "list__person", who, type="button",
                                    data_person=str(row.responsible_id or 0)))
            return cell
        cell.textContent = self._value(key, row)
        if key in ("lifecycle", "frequency", "type"):
            cell.classList.add(f"tag--{self._raw(key, row)}")
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
        day = getattr(row, key)
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
