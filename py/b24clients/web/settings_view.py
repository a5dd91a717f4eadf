"""The admin's settings form (spec/app.md "Settings"): lifecycle thresholds,
the deal pipelines that count, whether to write the fields back, how clients
are ranked (planning.md "Ranks": basis, window, method, cut-offs), and how
often they must be touched (touch gaps per rank, the kinds that count, the
load calendar's daily capacity).  While the status ladder is on, the kinds
are its setting and only named here (`settings.in_force`).

`render_settings` fills a container (the lead's settings sheet) with an
accessible form; what the form's values mean, and which errors they have,
is decided by the pure `settings.validate_form`.  Saving is the caller's
(`on_save(settings)`, async: app.option.set and a new classification); a
failed save is shown as a sentence with the detail behind a toggle, and the
form stays open.  Pipeline names are CRM text: they go in as textContent.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import js
from pyodide.ffi import create_proxy

from ..ranks import BASES, METHODS, RANKS, TOUCH_KINDS
from ..settings import (GAP_FIELDS, FieldError, RankForm, Settings, TouchForm, limits, months_text,
                        validate_form)
from .dom import element


_forms = itertools.count(1)


@dataclass
class _Form:
    text: dict[str, str]
    settings: Settings
    known: list[int]
    on_save: Callable
    on_cancel: Callable
    node: object = None
    inputs: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    checks: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    """(touch kind, its checkbox); empty while the status ladder holds the kinds."""
    kinds_box: object = None
    proxies: list = field(default_factory=list)
    saving: bool = False
    summary: object = None
    failure: object = None
    status: object = None
    buttons: tuple = ()

    def listen(self, node, event: str, handler) -> None:
        proxy = create_proxy(handler)
        self.proxies.append(proxy)  # kept alive as long as the form
        node.addEventListener(event, proxy)


def render_settings(container, settings: Settings, pipelines: list[tuple[int, str]], text: dict[str, str],
                    on_save: Callable, on_cancel: Callable, *, ladder_on: bool = False) -> Callable[[], None]:
    """Fill `container` with the settings form.

    `pipelines` are the deal pipelines (`crm.category.list {entityTypeId: 2}`)
    as (id, name).  `on_save(settings)` is awaited with the new Settings once
    the form is valid; `on_cancel()` may be sync or async.  `ladder_on`: the
    status ladder holds the touch kinds (they are edited in its form).  Returns
    what to call when the ladder is turned on while the form is open.
    """
    prefix = f"b24c-set{next(_forms)}"
    form = _Form(text, settings, [pid for pid, _ in pipelines], on_save, on_cancel)
    node = element("form", "set", novalidate="", aria_label=text.get("action.settings") or None)
    form.node = node

    summary = element("p", "set__summary", text["settings.invalid"], tabindex="-1")
    summary.hidden = True
    form.summary = summary

    thresholds = element("fieldset", "set__group")
    thresholds.append(element("legend", "set__legend", text["settings.lifecycle"]))
    thresholds.append(element("p", "set__hint", text["settings.lifecycle_hint"]))
    thresholds.append(_number_field(form, prefix, "active_months", text["settings.active"],
                                    text["settings.active_hint"], settings.thresholds.active_months))
    thresholds.append(_number_field(form, prefix, "lost_months", text["settings.lost"],
                                    text["settings.lost_hint"], settings.thresholds.lost_months))

    node.append(summary, thresholds, _pipelines_group(form, prefix, pipelines), _ranks_group(form, prefix),
                _touches_group(form, prefix, ladder_on), _write_back_group(form, prefix))

    failure = element("div", "set__failure", role="alert")
    failure.hidden = True
    form.failure = failure
    actions = element("div", "set__actions")
    save = element("button", "button", text["settings.save"], type="submit")
    cancel = element("button", "button button--quiet", text["settings.cancel"], type="button")
    actions.append(save, cancel)
    form.buttons = (save, cancel)
    status = element("p", "set__status", role="status", aria_live="polite")
    form.status = status
    node.append(failure, actions, status)

    form.listen(node, "submit", lambda event: _submit(form, event))
    form.listen(cancel, "click", lambda event: _cancel(form))
    container.replaceChildren(node)
    return lambda: _ladder_kinds(form)


def _number_field(form: _Form, prefix: str, name: str, label: str, hint: str, value: int | None, *,
                  unit: str | None = None, hint_id: str | None = None, required: bool = True):
    """A labelled whole-number input with its error and hint.  `unit` "" shows none; `hint_id`:
    a hint shown elsewhere (the group's) instead of `hint`; `value` None is an empty field."""
    box = element("div", "set__field")
    input_id, error_id = f"{prefix}-{name}", f"{prefix}-{name}-error"
    label_node = element("label", "set__label", label)
    label_node.htmlFor = input_id
    box.append(label_node)
    row = element("div", "set__input-row")
    low, high = limits(name)
    own_hint = hint_id is None
    hint_id = f"{prefix}-{name}-hint" if own_hint else hint_id
    field_input = element("input", "set__input", id=input_id, name=name, type="number", inputmode="numeric",
                          min=str(low), max=str(high), step="1", value="" if value is None else str(value),
                          required="" if required else None, aria_describedby=f"{hint_id} {error_id}")
    row.append(field_input)
    if unit != "":
        row.append(element("span", "set__unit", unit or form.text["settings.unit"], aria_hidden="true"))
    box.append(row, _error(form, name, error_id, field_input))
    if own_hint:
        box.append(element("p", "set__hint", hint, id=hint_id))
    return box


def _error(form: _Form, name: str, error_id: str, focus):
    """A field's sentence, hidden until it has one; `focus`: where the user fixes it."""
    error = element("p", "set__error", id=error_id)
    error.hidden = True
    form.errors[name] = error
    form.inputs[name] = focus
    return error


def _pipelines_group(form: _Form, prefix: str, pipelines: list[tuple[int, str]]):
    text = form.text
    group = element("fieldset", "set__group", aria_describedby=f"{prefix}-pipelines-hint {prefix}-pipelines-error")
    group.append(element("legend", "set__legend", text["settings.pipelines"]))
    if not pipelines:
        group.append(element("p", "set__hint", text["settings.no_pipelines"], id=f"{prefix}-pipelines-hint"))
        return group
    group.append(element("p", "set__hint", text["settings.pipelines_hint"], id=f"{prefix}-pipelines-hint"))
    checks = element("div", "set__checks")
    everything = None
    if len(pipelines) > 1:
        label = element("label", "set__check set__check--all")
        everything = element("input", None, type="checkbox", name="all_pipelines")
        label.append(everything, element("span", "set__check-name", text["settings.all_pipelines"]))
        checks.append(label)
    chosen = form.settings.pipelines
    for pid, name in pipelines:
        label = element("label", "set__check")
        box = element("input", None, type="checkbox", name="pipeline", value=str(pid))
        box.checked = chosen is None or pid in chosen
        shown = str(name).strip() or text["settings.pipeline_unnamed"].format(id=pid)
        label.append(box, element("span", "set__check-name", shown))
        checks.append(label)
        form.checks.append((pid, box))
        if everything is not None:
            form.listen(box, "change", lambda event: _sync_all(form, everything))
    if everything is not None:
        form.listen(everything, "change", lambda event: _tick_all(form, everything))
        _sync_all(form, everything)
    group.append(checks, _error(form, "pipelines", f"{prefix}-pipelines-error", form.checks[0][1]))
    return group


def _sync_all(form: _Form, everything) -> None:
    ticked = sum(1 for _, box in form.checks if box.checked)
    everything.checked = ticked == len(form.checks)
    everything.indeterminate = 0 < ticked < len(form.checks)


def _tick_all(form: _Form, everything) -> None:
    for _, box in form.checks:
        box.checked = bool(everything.checked)
    everything.indeterminate = False


def _ranks_group(form: _Form, prefix: str):
    text, ranks = form.text, form.settings.ranks
    group = element("fieldset", "set__group")
    group.append(element("legend", "set__legend", text["settings.ranks"]))
    group.append(element("p", "set__hint", text["settings.ranks_hint"]))
    group.append(_choice_field(form, prefix, "rank_basis", BASES, ranks.basis))
    group.append(_number_field(form, prefix, "rank_window", text["settings.rank_window"],
                               text["settings.rank_window_hint"], ranks.window_months))
    group.append(_choice_field(form, prefix, "rank_method", METHODS, ranks.method))

    box = element("div", "set__field")
    hint_id, error_id = f"{prefix}-rank-cutoffs-hint", f"{prefix}-rank-cutoffs-error"
    row = element("div", "set__input-row set__input-row--pair")
    for key in ("a", "b"):
        input_id = f"{prefix}-rank-{key}"
        label = element("label", "set__label", text[f"settings.rank_{key}"])
        label.htmlFor = input_id
        cutoff = element("input", "set__input", id=input_id, name=f"rank_{key}", type="text", inputmode="decimal",
                         required="", aria_describedby=f"{hint_id} {error_id}")
        pair = element("div", "set__pair")
        pair.append(label, cutoff)
        row.append(pair)
        form.inputs[f"rank_{key}"] = cutoff
    box.append(row, _error(form, "rank_cutoffs", error_id, form.inputs["rank_a"]),
               element("p", "set__hint", text["settings.rank_cutoffs_hint"], id=hint_id))
    group.append(box)

    def fill_cutoffs(*_) -> None:
        """Each method keeps its own pair: choosing one shows its pair."""
        chosen = str(form.inputs["rank_method"].value)
        cutoffs = ranks.cutoffs.get(chosen) or ranks.method_cutoffs
        form.inputs["rank_a"].value = _percent_text(cutoffs.a)
        form.inputs["rank_b"].value = _percent_text(cutoffs.b)

    fill_cutoffs()
    form.listen(form.inputs["rank_method"], "change", fill_cutoffs)
    return group


def _choice_field(form: _Form, prefix: str, name: str, choices: tuple[str, ...], value: str):
    text = form.text
    box = element("div", "set__field")
    input_id = f"{prefix}-{name}"
    label = element("label", "set__label", text[f"settings.{name}"])
    label.htmlFor = input_id
    select = element("select", "set__input set__select", id=input_id, name=name)
    for choice in choices:
        option = element("option", None, text[f"settings.{name}.{choice}"], value=choice)
        option.selected = choice == value
        select.append(option)
    box.append(label, select)
    form.inputs[name] = select
    return box


def _touches_group(form: _Form, prefix: str, ladder_on: bool):
    """Gaps per rank (empty: no limit), the kinds that count (or the ladder's, named), the capacity."""
    text, ranks = form.text, form.settings.ranks
    group = element("fieldset", "set__group")
    hint_id = f"{prefix}-gaps-hint"
    group.append(element("legend", "set__legend", text["settings.touches"]),
                 element("p", "set__hint", text["settings.touches_hint"], id=hint_id))
    gaps = element("div", "set__gaps")
    for rank, name in zip(RANKS, GAP_FIELDS):
        gaps.append(_number_field(form, prefix, name, text["settings.gap"].format(rank=rank), "",
                                  ranks.gaps.of(rank), unit="", hint_id=hint_id, required=False))
    group.append(gaps)
    group.append(_kinds_field(form, prefix, ladder_on))
    group.append(_number_field(form, prefix, "capacity", text["settings.capacity"], text["settings.capacity_hint"],
                               ranks.capacity, unit=text["settings.unit_a_day"]))
    return group


def _kinds_field(form: _Form, prefix: str, ladder_on: bool):
    text = form.text
    box = element("fieldset", "set__group set__kinds", aria_describedby=f"{prefix}-touch-kinds-error")
    box.append(element("legend", "set__label", text["ladder.touches"]))
    form.kinds_box = box
    if ladder_on:
        box.append(element("p", "set__hint", text["settings.touch_kinds_ladder"], data_kinds="ladder"))
        return box
    checks = element("div", "set__checks")
    for kind in TOUCH_KINDS:
        label = element("label", "set__check")
        tick = element("input", None, type="checkbox", name="touch_kind", value=kind)
        tick.checked = kind in form.settings.ranks.touch_kinds
        label.append(tick, element("span", "set__check-name", text[f"ladder.touch.{kind}"]))
        checks.append(label)
        form.kinds.append((kind, tick))
    box.append(checks, _error(form, "touch_kinds", f"{prefix}-touch-kinds-error", form.kinds[0][1]))
    return box


def _ladder_kinds(form: _Form) -> None:
    """The ladder was turned on: its form holds the kinds from now on, this one names it."""
    form.kinds.clear()
    form.errors.pop("touch_kinds", None)
    form.inputs.pop("touch_kinds", None)
    legend = form.kinds_box.firstElementChild
    form.kinds_box.replaceChildren(legend, element("p", "set__hint", form.text["settings.touch_kinds_ladder"],
                                                   data_kinds="ladder"))


def _percent_text(value) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _write_back_group(form: _Form, prefix: str):
    text = form.text
    group = element("div", "set__group")
    label = element("label", "set__switch")
    switch = element("input", None, type="checkbox", role="switch", name="write_back",
                     aria_describedby=f"{prefix}-write-hint")
    switch.checked = bool(form.settings.write_back)
    state = element("span", "set__switch-state", aria_hidden="true")
    label.append(switch, element("span", "set__switch-label", text["settings.write_back"]), state)
    group.append(label, element("p", "set__hint", text["settings.write_back_hint"], id=f"{prefix}-write-hint"))

    def show_state(*_) -> None:
        state.textContent = text["settings.on" if switch.checked else "settings.off"]

    show_state()
    form.listen(switch, "change", show_state)
    form.inputs["write_back"] = switch
    return group


def _values(form: _Form) -> Settings | list[FieldError]:
    def number(name: str) -> str:
        node = form.inputs[name]
        return "?" if node.validity.badInput else str(node.value)  # "?": typed, but not a number

    ranks = RankForm(str(form.inputs["rank_basis"].value), number("rank_window"), str(form.inputs["rank_method"].value),
                     str(form.inputs["rank_a"].value), str(form.inputs["rank_b"].value))
    touches = TouchForm({rank: number(name) for rank, name in zip(RANKS, GAP_FIELDS)},
                        tuple(kind for kind, box in form.kinds if box.checked) if form.kinds else None,
                        number("capacity"))
    return validate_form(number("active_months"), number("lost_months"),
                         [pid for pid, box in form.checks if box.checked], form.known,
                         bool(form.inputs["write_back"].checked), current=form.settings, ranks=ranks,
                         touches=touches)


_GROUPS = frozenset({"pipelines", "touch_kinds"})
"""Fields that are a group of checkboxes: the group says what is wrong, no box is "invalid"."""


def _show_errors(form: _Form, errors: list[FieldError], values: dict[str, str]) -> None:
    text = form.text
    by_field = {}
    for error in errors:
        by_field.setdefault(error.field, error)
    for name, node in form.errors.items():
        error = by_field.get(name)
        target = form.inputs.get(name)
        if error is None:
            node.hidden = True
            node.textContent = ""
            if target is not None and name not in _GROUPS:
                target.removeAttribute("aria-invalid")
            continue
        low, high = limits(name)
        node.textContent = text[error.key].format(min=low, max=high, active=values.get("active", ""))
        node.hidden = False
        if name not in _GROUPS:
            target.setAttribute("aria-invalid", "true")
    form.summary.hidden = not errors
    if errors:
        first = form.inputs.get(errors[0].field)
        (first or form.summary).focus()


def _submit(form: _Form, event) -> None:
    event.preventDefault()
    if form.saving:
        return
    form.failure.hidden = True
    result = _values(form)
    active = str(form.inputs["active_months"].value).strip()
    shown_active = months_text(int(active), form.text) if active.isdigit() else active
    if isinstance(result, list):
        _show_errors(form, result, {"active": shown_active})
        form.status.textContent = ""
        return
    _show_errors(form, [], {})
    asyncio.ensure_future(_save(form, result))


async def _save(form: _Form, settings: Settings) -> None:
    text = form.text
    form.saving = True
    for button in form.buttons:
        button.disabled = True
    form.node.setAttribute("aria-busy", "true")
    form.status.textContent = text["settings.saving"]
    try:
        await form.on_save(settings)
    except Exception as exc:
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        form.failure.replaceChildren(element("p", None, text["settings.save_failed"]))
        more = element("details")
        more.append(element("summary", None, text["error.details"]))
        more.append(element("pre", None, f"{message}\n\n{traceback.format_exc()}"))
        form.failure.append(more)
        form.failure.hidden = False
        form.status.textContent = ""
        js.console.warn(f"settings were not saved: {message}")
    else:
        form.settings = settings
        form.status.textContent = text["settings.saved"]
    finally:
        form.saving = False
        for button in form.buttons:
            button.disabled = False
        form.node.setAttribute("aria-busy", "false")


def _cancel(form: _Form) -> None:
    result = form.on_cancel()
    if inspect.isawaitable(result):
        asyncio.ensure_future(result)
