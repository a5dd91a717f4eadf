"""The built-in knowledge base (spec/app.md "Help"): each segment — what it
is, faithful to spec/rules.md and spec/planning.md, and what a sales team
does with it — and how the numbers are counted.

One <details> per segment, so the page stays short on a phone. The periods
are the portal's configured thresholds, not the defaults; our nine fields
are named by their CRM labels (sync/fields.py) in the reader's language.
What is said is decided by the pure `help_sections`; `render_help` only
draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ladder import LadderSettings
from ..settings import DEFAULTS, Settings, months_text
from ..sync.fields import FIELDS
from ..strings import STRINGS
from .view import cutoff_text

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mode.types", ("b2b", "b2c")),
    ("mode.with_payments", ("active", "sleeping", "lost")),
    ("mode.frequency", ("regular", "first_purchase", "no_payments")),
    ("mode.without_payments", ("with_requests", "with_dialogs", "with_contacts", "without_contacts")),
    ("mode.ranks", ("ranks",)),
    ("mode.managers", ("untouched",)),
)
"""The dashboard's modes and the segments each shows, in the spec's order."""

COUNTING = ("payments", "one_deal", "attribution", "dates", "ranks", "settings", "refresh", "fields")
LADDER_GROUP = ("mode.status", ("ladder_steps", "ladder_dropping", "ladder_dropped"))
"""The Status mode's segments, there while the status ladder is on, with its own days."""



@dataclass(frozen=True)
class Segment:
    key: str
    title: str
    what: str
    todo: str


@dataclass(frozen=True)
class Group:
    title: str
    segments: tuple[Segment, ...]


def field_labels(language: str) -> str:
    """Our fields' CRM labels, in the reader's language (Russian or English)."""
    return ", ".join(f.labels[0] if language == "ru" else f.labels[1] for f in FIELDS)


def help_sections(text: dict[str, str], settings: Settings = DEFAULTS,
                  ladder: LadderSettings | None = None) -> tuple[tuple[Group, ...], list[str]]:
    """The segments grouped by dashboard mode (the Status mode's while the `ladder` is on),
    and the "how it is counted" sentences."""
    language = next((code for code, words in STRINGS.items()
                     if words.get("help.counting") == text.get("help.counting")), "en")
    periods = {"active": months_text(settings.thresholds.active_months, text),
               "lost": months_text(settings.thresholds.lost_months, text),
               **_ranks_words(text, settings, language)}
    if ladder is not None:
        periods.update({name: str(getattr(ladder, name)) for name in
                        ("new_days", "hot_days", "warm_days", "cold_days", "warn_days")})
    groups = tuple(
        Group(text.get(title, ""), tuple(
            Segment(key, text[f"help.{key}.title"], text[f"help.{key}.what"].format(**periods),
                    text[f"help.{key}.todo"].format(**periods))
            for key in keys))
        for title, keys in (GROUPS if ladder is None else (*GROUPS, LADDER_GROUP)))
    counting = [text[f"help.count.{key}"].format(fields=field_labels(language), **periods) for key in COUNTING]
    if not settings.write_back:
        counting.append(text["help.count.fields_off"])
    return groups, counting


def _ranks_words(text: dict[str, str], settings: Settings, language: str) -> dict[str, str]:
    """What the Ranks segment says, for the portal's rank settings."""
    ranks = settings.ranks
    cutoffs = ranks.method_cutoffs
    a, b = (cutoff_text(c, language) for c in (cutoffs.a, cutoffs.b))
    return {"window": months_text(ranks.window_months, text), "basis": text[f"help.ranks.basis.{ranks.basis}"],
            "cut": text[f"help.ranks.cut.{ranks.method}"].format(a=a, b=b)}


def render_help(container, text: dict[str, str], settings: Settings = DEFAULTS,
                ladder: LadderSettings | None = None) -> None:
    """Fill `container` with the knowledge base, for the portal's current settings."""
    from .dom import element

    groups, counting = help_sections(text, settings, ladder)
    root = element("div", "help")
    root.append(element("p", "help__intro", text["help.intro"]))
    for group in groups:
        box = element("section", "help__group")
        if group.title:
            box.append(element("h3", "help__heading", group.title))
        for segment in group.segments:
            item = element("details", "help__item", data_segment=segment.key)
            summary = element("summary", "help__summary")
            summary.append(element("span", f"help__swatch help__swatch--{segment.key}", aria_hidden="true"),
                           element("span", None, segment.title))
            body = element("dl", "help__body")
            body.append(element("dt", None, text["help.what"]), element("dd", None, segment.what),
                        element("dt", None, text["help.todo"]), element("dd", None, segment.todo))
            item.append(summary, body)
            box.append(item)
        root.append(box)
    counted = element("details", "help__item help__item--counting", data_segment="counting")
    summary = element("summary", "help__summary")
    summary.append(element("span", None, text["help.counting"]))
    items = element("ul", "help__list")
    for sentence in counting:
        items.append(element("li", None, sentence))
    counted.append(summary, items)
    root.append(counted)
    container.replaceChildren(root)
