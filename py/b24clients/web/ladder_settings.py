"""The status ladder's part of the admin's settings sheet (status-ladder.md "Settings"
and "Starting point"): turn it on, its settings (its own on/off switch first, the
message templates last) with a live preview of what today's pass would do, and —
until it has started — the proposed starting statuses with their counts, to
confirm or skip.

What the values mean, what the preview and the counts say: `ladder_form.py`
(pure).  Every request is the caller's (`LadderActions`, carried out by
`live.py`); a failure is a sentence with the detail behind a toggle.
"""

from __future__ import annotations

import asyncio
import itertools
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date

import js
from pyodide.ffi import create_once_callable, create_proxy

from ..ladder import LadderSettings, StartProposal
from ..ladder.settings import MAX_CAP, MAX_DAYS, MAX_NAME, MAX_TEMPLATE, TEMPLATES
from ..sync.ladder.preview import Basis, preview
from ..sync.ladder.start import StartReport
from . import ladder_form
from .dom import element, local_date, local_number

PREVIEW_DELAY_MS = 250
_sections = itertools.count(1)


@dataclass
class LadderActions:
    enable: Callable[[], Awaitable[LadderSettings]]
    """Install the ladder with the default settings; the settings saved."""
    save: Callable[[LadderSettings], Awaitable[None]]
    basis: Callable[[], Awaitable[Basis | None]]
    """The preview's ledger (None: no portal pass yet, or not an admin)."""
    propose: Callable[[], Awaitable[StartProposal | None]]
    """The starting point (None: nothing counted yet)."""
    confirm: Callable[[StartProposal | None], Awaitable[StartReport]]
    """Write the proposal and start (None: skip it and start)."""
    users: Callable[[], Awaitable[dict[int, str]]]
    """The portal's active employees by ID, for who gets a lost client."""


class LadderSection:
    def __init__(self, text: dict[str, str], language: str, actions: LadderActions):
        self.text, self.language, self.actions = text, language, actions
        self.prefix = f"b24c-ladder{next(_sections)}"
        self.node = element("section", "set ladder-set", aria_labelledby=f"{self.prefix}-title")
        self.settings: LadderSettings | None = None
        self.basis: Basis | None = None
        self.basis_loaded = False
        self.inputs: dict = {}
        self.errors: dict = {}
        self.touches: dict = {}
        self.members: dict = {}
        """The group's checkboxes by user ID."""
        self._proxies: list = []
        self._timer = None

    def listen(self, node, event: str, handler) -> None:
        proxy = create_proxy(handler)
        self._proxies.append(proxy)
        node.addEventListener(event, proxy)

    def render(self, settings: LadderSettings | None) -> None:
        """Fill the section for these settings (None: the ladder is off)."""
        text = self.text
        self.settings = settings
        title = element("h3", "set__legend ladder-set__title", text["ladder.settings"], id=f"{self.prefix}-title")
        parts = [title, element("p", "set__hint", text["ladder.settings_hint"])]
        if settings is None:
            enable = element("button", "button", text["ladder.enable"], type="button", data_ladder="enable")
            self.listen(enable, "click", lambda event: _spawn(self._enable(enable)))
            actions = element("div", "set__actions")
            actions.append(enable)
            self.node.replaceChildren(*parts, actions, self._status_line())
            return
        self.start_box = self._start(settings)
        form = self._form(settings)
        parts += [self.start_box, form] if settings.started_on is None else [form, self.start_box]
        self.node.replaceChildren(*parts)
        _spawn(self._load_basis())

    def _status_line(self):
        self.status = element("p", "set__status", role="status", aria_live="polite")
        return self.status

    async def _enable(self, button) -> None:
        button.disabled = True
        self.status.textContent = self.text["ladder.enabling"]
        try:
            settings = await self.actions.enable()
        except Exception as exc:
            button.disabled = False
            self.status.textContent = ""
            self._failed(exc)
            return
        self.render(settings)

    # --- the settings -------------------------------------------------------------------

    def _form(self, settings: LadderSettings):
        text, prefix = self.text, self.prefix
        values = ladder_form.form_values(settings)
        form = element("form", "ladder-set__form", novalidate="", data_ladder="settings")
        switch = element("div", "set__group ladder-set__switch", data_ladder="switch")
        switch.append(self._switch("enabled", values.switches["enabled"]),
                      element("p", "set__hint", text["ladder.enabled_hint"]))

        entity = element("div", "set__field")
        label = element("label", "set__label", text["ladder.entity"])
        label.htmlFor = f"{prefix}-entity"
        select = element("select", "set__input set__input--wide", id=f"{prefix}-entity", name="entity")
        for value in ladder_form.ENTITIES:
            select.append(element("option", None, text[f"ladder.entity.{value}"], value=value))
        select.value = values.entity
        self.inputs["entity"] = select
        entity.append(label, select, self._error("entity"))

        days = element("fieldset", "set__group")
        days.append(element("legend", "set__legend", text["ladder.days"]),
                    element("p", "set__hint", text["ladder.days_hint"]))
        for name in ladder_form.DAY_FIELDS:
            days.append(self._number(name, values.numbers[name], 0 if name == "warn_days" else 1, MAX_DAYS))

        touches = element("fieldset", "set__group")
        touches.append(element("legend", "set__legend", text["ladder.touches"]))
        checks = element("div", "set__checks")
        for kind in ladder_form.TOUCHES:
            box = element("input", None, type="checkbox", name="touch", value=kind)
            box.checked = kind in values.touches
            row = element("label", "set__check")
            row.append(box, element("span", "set__check-name", text[f"ladder.touch.{kind}"]))
            checks.append(row)
            self.touches[kind] = box
        touches.append(checks, self._error("touch_kinds"))
        self.inputs["touch_kinds"] = next(iter(self.touches.values()))

        switches = element("div", "set__group")
        for name in ladder_form.SWITCHES[1:]:
            switches.append(self._switch(name, values.switches[name]))
            if name == "raise_needs_call":
                switches.append(self._number("raise_call_days", values.numbers["raise_call_days"], 0, MAX_DAYS))
            if name == "alarms":
                switches.append(self._number("alarm_cap", values.numbers["alarm_cap"], 0, MAX_CAP, unit=None),
                                self._number("alarm_hour", values.numbers["alarm_hour"], 0, 23,
                                             unit="ladder.hour_unit"))

        reassign = self._reassign(values)

        names = element("fieldset", "set__group")
        names.append(element("legend", "set__legend", text["ladder.names"]),
                     element("p", "set__hint", text["ladder.names_hint"]))
        for status, own in values.names.items():
            names.append(self._name(status, own))

        messages = element("fieldset", "set__group", data_ladder="templates")
        messages.append(element("legend", "set__legend", text["ladder.templates"]),
                        element("p", "set__hint", text["ladder.templates_hint"]))
        for kind, own in values.templates.items():
            messages.append(self._template(kind, own))

        self.preview_box = element("div", "ladder-set__preview", role="status", aria_live="polite",
                                   data_ladder="preview")
        preview_group = element("div", "set__group")
        preview_group.append(element("p", "set__label", text["ladder.preview.title"]), self.preview_box)

        save = element("button", "button", text["ladder.save"], type="submit")
        actions = element("div", "set__actions")
        actions.append(save)
        self.save_button = save
        form.append(switch, entity, days, touches, switches, reassign, names, messages, preview_group, actions,
                    self._status_line())
        self.listen(form, "input", lambda event: self._changed())
        self.listen(form, "change", lambda event: self._changed())
        self.listen(form, "submit", self._submit)
        return form

    def _reassign(self, values: ladder_form.FormValues):
        """Who gets a lost client: nobody, one person, the manager's head, or a group in turn;
        the person and the group are picked from the portal's employees (read once)."""
        text, prefix = self.text, self.prefix
        group = element("fieldset", "set__group", data_ladder="reassign")
        group.append(element("legend", "set__legend", text["ladder.reassign"]))
        rule = element("select", "set__input set__input--wide", id=f"{prefix}-reassign", name="reassign",
                       aria_label=text["ladder.reassign"], aria_describedby=f"{prefix}-reassign-error")
        for value in ladder_form.RULES:
            rule.append(element("option", None, text[f"ladder.reassign.{value}"], value=value))
        rule.value = values.rule
        self.inputs["reassign"] = rule
        user_box = element("div", "set__field")
        label = element("label", "set__label", text["ladder.reassign_user"])
        label.htmlFor = f"{prefix}-reassign-user"
        user = element("select", "set__input set__input--wide", id=f"{prefix}-reassign-user", name="reassign_user")
        self.inputs["reassign_user"] = user
        user_box.append(label, user)
        members = element("fieldset", "set__group")
        members.append(element("legend", "set__label", text["ladder.reassign_group"]))
        self.member_box = element("div", "set__checks")
        members.append(self.member_box)
        user.append(element("option", None, text["ladder.users_loading"], value=values.user))
        self.member_box.append(element("p", "set__hint", text["ladder.users_loading"]))

        def shown(*_) -> None:
            user_box.hidden = rule.value != "user"
            members.hidden = rule.value != "group"

        shown()
        self.listen(rule, "change", shown)
        group.append(rule, user_box, members, self._error("reassign"))
        for name in ladder_form.ALONG:
            group.append(self._switch(f"reassign.{name}", values.along[name]))
        _spawn(self._fill_people(values, user))
        return group

    async def _fill_people(self, values: ladder_form.FormValues, user) -> None:
        try:
            people = await self.actions.users()
        except Exception as exc:  # the rule still shows; a person or group cannot be picked
            js.console.warn(f"the employees could not be read: {exc}")
            people = {}
        chosen = {int(values.user)} if values.user.isdigit() else set()
        everyone = {**{uid: f"#{uid}" for uid in (*chosen, *values.group)}, **people}
        order = sorted(everyone, key=lambda uid: everyone[uid].casefold())
        options = [element("option", None, "—", value="")]
        options += [element("option", None, everyone[uid], value=str(uid)) for uid in order]
        user.replaceChildren(*options)
        user.value = values.user
        checks = []
        for uid in order:
            box = element("input", None, type="checkbox", name="reassign_member", value=str(uid))
            box.checked = uid in values.group
            row = element("label", "set__check")
            row.append(box, element("span", "set__check-name", everyone[uid]))
            checks.append(row)
            self.members[uid] = box
        self.member_box.replaceChildren(*checks)

    def _number(self, name: str, value: str, low: int, high: int, *, unit: str | None = "ladder.unit"):
        box = element("div", "set__field")
        input_id = f"{self.prefix}-{name}"
        label = element("label", "set__label", self.text[f"ladder.{name}"])
        label.htmlFor = input_id
        row = element("div", "set__input-row")
        field = element("input", "set__input", id=input_id, name=name, type="number", inputmode="numeric",
                        min=str(low), max=str(high), step="1", value=value,
                        aria_describedby=f"{input_id}-error")
        row.append(field)
        if unit:
            row.append(element("span", "set__unit", self.text[unit], aria_hidden="true"))
        box.append(label, row, self._error(name))
        self.inputs[name] = field
        return box

    def _switch(self, name: str, on: bool):
        label = element("label", "set__switch")
        switch = element("input", None, type="checkbox", role="switch", name=name)
        switch.checked = on
        state = element("span", "set__switch-state", aria_hidden="true")
        label.append(switch, element("span", "set__switch-label", self.text[f"ladder.{name}"]), state)

        def show_state(*_) -> None:
            state.textContent = self.text["settings.on" if switch.checked else "settings.off"]

        show_state()
        self.listen(switch, "change", show_state)
        self.inputs[name] = switch
        return label

    def _name(self, status: str, own: str):
        name, input_id = f"names.{status}", f"{self.prefix}-name-{status}"
        field = element("input", "set__input set__input--text", id=input_id, name=name, type="text",
                        maxlength=str(MAX_NAME),
                        placeholder=self.text[f"count.ladder.{status}"], value=own, autocomplete="off",
                        aria_describedby=f"{input_id}-error")
        return self._labelled(name, field, self.text[f"count.ladder.{status}"])

    def _template(self, kind: str, own: str):
        """A message's own text; empty, the default in this language shows (and is used)."""
        name, input_id = f"templates.{kind}", f"{self.prefix}-template-{kind}"
        field = element("textarea", "set__input set__input--message", id=input_id, name=name, rows="2",
                        maxlength=str(MAX_TEMPLATE), placeholder=self.text[f"ladder.template.{kind}"],
                        autocomplete="off", aria_describedby=f"{input_id}-uses {input_id}-error")
        field.value = own
        uses = element("p", "set__hint", ladder_form.placeholders(kind, self.text), id=f"{input_id}-uses")
        return self._labelled(name, field, self.text[f"ladder.templates.{kind}"], uses)

    def _labelled(self, name: str, field, label_text: str, *after):
        """A text field under its label, its error right under it (then `after`)."""
        box = element("div", "set__field")
        label = element("label", "set__label", label_text)
        label.htmlFor = field.id
        box.append(label, field, self._error(name, field.id), *after)
        self.inputs[name] = field
        return box

    def _error(self, name: str, input_id: str | None = None):
        node = element("p", "set__error", id=f"{input_id or f'{self.prefix}-{name}'}-error", hidden="")
        self.errors[name] = node
        return node

    def _values(self) -> ladder_form.FormValues:
        def number(name: str) -> str:
            node = self.inputs[name]
            return "?" if node.validity.badInput else str(node.value)  # "?": typed, but not a number

        return ladder_form.FormValues(
            {name: number(name) for name in ladder_form.NUMBER_FIELDS},
            {name: bool(self.inputs[name].checked) for name in ladder_form.SWITCHES},
            {name.split(".", 1)[1]: str(self.inputs[name].value) for name in ladder_form.NAME_FIELDS},
            str(self.inputs["entity"].value), tuple(k for k, box in self.touches.items() if box.checked),
            str(self.inputs["reassign"].value), str(self.inputs["reassign_user"].value or ""),
            tuple(uid for uid, box in self.members.items() if box.checked),
            {name: bool(self.inputs[f"reassign.{name}"].checked) for name in ladder_form.ALONG},
            {kind: str(self.inputs[f"templates.{kind}"].value) for kind in TEMPLATES})

    def _read(self) -> tuple[LadderSettings, tuple[str, ...]]:
        settings, rejected = ladder_form.read_form(self._values(), self.settings)
        for name, node in self.errors.items():
            wrong = name in rejected
            node.hidden = not wrong
            node.textContent = self.text[ladder_form.error_key(name)] if wrong else ""
            target = self.inputs.get(name)
            if target is not None and name != "touch_kinds":
                if wrong:
                    target.setAttribute("aria-invalid", "true")
                else:
                    target.removeAttribute("aria-invalid")
        return settings, rejected

    # --- the live preview -----------------------------------------------------------------

    async def _load_basis(self) -> None:
        self.preview_box.replaceChildren(element("p", "set__hint", self.text["ladder.preview.loading"]))
        try:
            self.basis = await self.actions.basis()
        except Exception as exc:
            js.console.warn(f"the ladder's preview could not load: {exc}")
            self.basis = None
        self.basis_loaded = True
        self._preview()

    def _changed(self) -> None:
        if self._timer is not None:
            js.clearTimeout(self._timer)
        self._timer = js.setTimeout(create_once_callable(self._preview), PREVIEW_DELAY_MS)

    def _preview(self) -> None:
        self._timer = None
        if not self.basis_loaded:
            return
        settings, rejected = self._read()
        text = self.text
        if rejected:
            lines = [text["ladder.preview.invalid"]]
        elif not settings.enabled:
            lines = [text["ladder.preview.off"]]
        elif self.basis is None:
            lines = [text["ladder.preview.none"]]
        else:
            seen = preview(self.basis, settings)
            lines = ladder_form.preview_lines(seen, text)
            self.preview_box.setAttribute("data-drop", str(seen.drop))
        self.preview_box.replaceChildren(*(element("p", "ladder-set__line", line) for line in lines))

    def _submit(self, event) -> None:
        event.preventDefault()
        settings, rejected = self._read()
        if rejected:
            first = self.inputs.get(rejected[0])
            if first is not None:
                first.focus()
            return
        _spawn(self._save(settings))

    async def _save(self, settings: LadderSettings) -> None:
        self.save_button.disabled = True
        self.status.textContent = self.text["settings.saving"]
        try:
            await self.actions.save(settings)
        except Exception as exc:
            self.status.textContent = ""
            self._failed(exc)
        else:
            self.settings = settings
            self.status.textContent = self.text["ladder.saved" if settings.enabled else "ladder.saved_off"]
        finally:
            self.save_button.disabled = False

    # --- the starting point -------------------------------------------------------------------

    def _start(self, settings: LadderSettings):
        text = self.text
        box = element("div", "set__group ladder-start", data_ladder="start")
        box.append(element("h3", "set__legend", text["ladder.start"]))
        if settings.started_on is not None:
            box.append(element("p", "set__hint", text["ladder.start.started"].format(
                date=local_date(settings.started_on, self.language))))
            return box
        box.append(element("p", "set__hint", text["ladder.start_hint"]))
        self.start_body = element("div", "ladder-start__body")
        propose = element("button", "button", text["ladder.start.propose"], type="button", data_ladder="propose")
        self.listen(propose, "click", lambda event: _spawn(self._propose(propose)))
        actions = element("div", "set__actions")
        actions.append(propose)
        self.start_status = element("p", "set__status", role="status", aria_live="polite")
        self.start_body.append(actions, self.start_status)
        box.append(self.start_body)
        return box

    async def _propose(self, button) -> None:
        text = self.text
        button.disabled = True
        self.start_status.textContent = text["ladder.start.preparing"]
        try:
            proposal = await self.actions.propose()
        except Exception as exc:
            button.disabled = False
            self.start_status.textContent = ""
            self._failed(exc)
            return
        if proposal is None:
            button.disabled = False
            self.start_status.textContent = text["ladder.start.no_data"]
            return
        table = element("table", "ladder-start__table")
        head = element("tr")
        head.append(element("th", None, text["ladder.start.status"], scope="col"),
                    element("th", "num", text["ladder.start.clients"], scope="col"))
        thead, body = element("thead"), element("tbody")
        thead.append(head)
        for key, name, count in ladder_form.proposal_rows(proposal, text):
            row = element("tr", "ladder-start__total" if key == "total" else None)
            row.append(element("th", None, name, scope="row"),
                       element("td", "num", local_number(count, self.language), data_start=key))
            body.append(row)
        table.append(thead, body)
        confirm = element("button", "button", text["ladder.start.confirm"], type="button", data_ladder="confirm")
        skip = element("button", "button button--quiet", text["ladder.start.skip"], type="button",
                       data_ladder="skip")
        actions = element("div", "set__actions")
        actions.append(confirm, skip)
        self.start_status = element("p", "set__status", role="status", aria_live="polite")
        self.listen(confirm, "click", lambda event: _spawn(self._confirm(proposal, (confirm, skip))))
        self.listen(skip, "click", lambda event: _spawn(self._confirm(None, (confirm, skip))))
        self.start_body.replaceChildren(table, actions, self.start_status)

    async def _confirm(self, proposal: StartProposal | None, buttons) -> None:
        for button in buttons:
            button.disabled = True
        self.start_status.textContent = self.text["ladder.start.writing"]
        try:
            report = await self.actions.confirm(proposal)
        except Exception as exc:
            for button in buttons:
                button.disabled = False
            self.start_status.textContent = ""
            self._failed(exc)
            return
        line = ladder_form.start_report_line(report, self.text)
        if not report.started:
            self.start_status.textContent = line
            for button in buttons:
                button.disabled = False
            return
        self.settings = replace(self.settings, started_on=date.fromisoformat(report.started_on))
        started = self._start(self.settings)
        started.append(element("p", "set__status", line, role="status", data_ladder="started"))
        self.start_box.replaceWith(started)
        self.start_box = started
        _spawn(self._load_basis())  # the ledger now holds the starting point

    # --- failures ---------------------------------------------------------------------------

    def _failed(self, exc: BaseException) -> None:
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        js.console.warn(f"the ladder's settings: {message}")
        box = element("div", "set__failure", role="alert")
        box.append(element("p", None, self.text["ladder.failed"]))
        more = element("details")
        more.append(element("summary", None, self.text["error.details"]))
        more.append(element("pre", None, f"{message}\n\n{traceback.format_exc()}"))
        box.append(more)
        self.node.append(box)


_tasks: set = set()


def _spawn(coroutine) -> None:
    task = asyncio.ensure_future(coroutine)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
