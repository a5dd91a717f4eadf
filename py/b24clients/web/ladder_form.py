"""The status ladder's settings form and starting point, as plain data
(status-ladder.md "Settings" and "Starting point"; issue 13 items 4 and 5).

What the form's values mean is decided here and by `ladder.from_json` (which
never raises and names every field it could not keep), so the form only reads
inputs and shows the answer; what the live preview and the starting point's
counts say is decided here too.  Pure: tested under CPython.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..ladder import STATUSES, LadderSettings, StartProposal, from_json, to_json
from ..ladder.settings import REASSIGN_RULES, RENAMABLE, TEMPLATES, TOUCH_OPTIONS, WORKING_ENTITIES
from ..sync.ladder.preview import Preview
from ..sync.ladder.start import StartReport
from ..words import agree

DAY_FIELDS: tuple[str, ...] = ("new_days", "hot_days", "warm_days", "cold_days", "warn_days")
"""Days per status, then the warning days: number inputs named as the settings' JSON keys."""
NUMBER_FIELDS: tuple[str, ...] = (*DAY_FIELDS, "raise_call_days", "alarm_cap", "alarm_hour")
SWITCHES: tuple[str, ...] = ("enabled", "pause_on_planned", "raise_needs_call", "alarms", "digest", "feed")
""""enabled" is the ladder's own switch, drawn apart at the top of the form."""
NAME_FIELDS: tuple[str, ...] = tuple(f"names.{status}" for status in RENAMABLE)
TEMPLATE_FIELDS: tuple[str, ...] = tuple(f"templates.{kind}" for kind in TEMPLATES)
PLACEHOLDERS: tuple[str, ...] = ("client", "manager", "status", "to", "date", "reason")
"""The order a template's placeholders are listed in under its field."""
ENTITIES = WORKING_ENTITIES
TOUCHES = TOUCH_OPTIONS
RULES = REASSIGN_RULES
ALONG: tuple[str, ...] = ("deals", "todos")
"""What goes to the new responsible with a lost client (switches named "reassign.deals", "reassign.todos")."""


@dataclass(frozen=True)
class FormValues:
    """What the form holds, as the inputs give it (numbers as typed)."""

    numbers: Mapping[str, str]
    switches: Mapping[str, bool]
    names: Mapping[str, str]
    """Own names of Hot, Warm and Cold by status ("" for the default)."""
    entity: str
    touches: tuple[str, ...]
    rule: str = "nobody"
    """Who gets a lost client (RULES)."""
    user: str = ""
    """The user ID for the rule "user", as the select gives it."""
    group: tuple[int, ...] = ()
    along: Mapping[str, bool] = field(default_factory=lambda: dict.fromkeys(ALONG, True))
    templates: Mapping[str, str] = field(default_factory=dict)
    """Own message templates by kind ("" for the default)."""


def form_values(settings: LadderSettings) -> FormValues:
    """The form filled from the settings."""
    data = to_json(settings)
    reassign = settings.reassign
    return FormValues({name: str(data[name]) for name in NUMBER_FIELDS},
                      {name: bool(data[name]) for name in SWITCHES},
                      {status: settings.own_name(status) for status in RENAMABLE},
                      settings.entity, tuple(sorted(settings.touch_kinds)), reassign.rule,
                      str(reassign.user or ""), tuple(reassign.group),
                      {"deals": reassign.deals, "todos": reassign.todos},
                      {kind: settings.template(kind) for kind in TEMPLATES})


def read_form(values: FormValues, current: LadderSettings) -> tuple[LadderSettings, tuple[str, ...]]:
    """The settings the form says, over `current` (what the form does not show, the start
    date, stays), and the form fields it could not keep (named as the inputs: "warm_days",
    "names.hot", "templates.lost", "touch_kinds", "reassign": a person's rule without the
    person, a group's without a member)."""
    data = to_json(current)
    data.update({name: value.strip() for name, value in values.numbers.items()})
    data.update(values.switches)
    data["names"] = {status: name for status, name in values.names.items() if name.strip()}
    data["entity"] = values.entity
    data["touch_kinds"] = list(values.touches)
    data["reassign"] = {"rule": values.rule, "user": values.user.strip() or None, "group": list(values.group),
                        **{name: bool(values.along.get(name, True)) for name in ALONG}}
    data["templates"] = {kind: text for kind, text in values.templates.items() if text.strip()}
    parsed = from_json(data)
    return parsed.settings, tuple(name for name in parsed.rejected if name in _FORM_FIELDS)


_FORM_FIELDS = frozenset({*NUMBER_FIELDS, *NAME_FIELDS, *TEMPLATE_FIELDS, "entity", "touch_kinds", "reassign"})


def error_key(name: str) -> str:
    """The strings key of what is wrong with a form field, as `read_form` names it."""
    if name == "alarm_hour":
        return "ladder.error.hour"
    if name in NUMBER_FIELDS:
        return "ladder.error.number"
    if name.startswith("names."):
        return "ladder.error.name"
    if name.startswith("templates."):
        return "ladder.error.template"
    return f"ladder.error.{name}"


def placeholders(kind: str, text: Mapping[str, str]) -> str:
    """What a message template may use, under its field: "Can use: {client}, {to}, {date}"."""
    names = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS if name in TEMPLATES[kind])
    return text["ladder.templates.uses"].format(fields=names)


def preview_lines(preview: Preview, text: Mapping[str, str]) -> list[str]:
    """"With these settings today's pass would lower 37 clients, 12 of them to Lost;
    5 would be in their warning window." — as sentences, in the user's language.  With
    nobody tracked yet (no starting point, no pass) there is nothing to say."""
    if not preview.tracked:
        return [text["ladder.preview.none"]]
    lines = [agree(text["ladder.preview.drop"], preview.drop).format(count=preview.drop, tracked=preview.tracked)]
    if preview.lost:
        lines.append(agree(text["ladder.preview.lost"], preview.lost).format(count=preview.lost))
    lines.append(agree(text["ladder.preview.warn"], preview.warn).format(count=preview.warn))
    return lines


def proposal_rows(proposal: StartProposal, text: Mapping[str, str]) -> list[tuple[str, str, int]]:
    """The starting point's table: (status, its name, clients), every status, then the total."""
    rows = [(status, text[f"count.ladder.{status}"], proposal.counts.get(status, 0)) for status in STATUSES]
    rows.append(("total", text["ladder.start.total"], sum(count for _, _, count in rows)))
    return rows


def start_report_line(report: StartReport, text: Mapping[str, str]) -> str:
    """What confirming (or skipping) did, in a sentence."""
    if not report.started:
        return text[f"ladder.start.refused.{report.not_started}"]
    if not report.recorded:
        return text["ladder.start.skipped"]
    line = agree(text["ladder.start.done"], report.recorded).format(count=report.recorded, written=report.written)
    if report.skipped_no_rights:
        line += " " + agree(text["ladder.start.no_rights"], report.skipped_no_rights).format(
            count=report.skipped_no_rights)
    return line
