"""The ladder's settings (status-ladder.md "Settings"), as plain data.

Like the app's own settings (`b24clients.settings`), they travel as one JSON
value and reading them never raises: a missing field takes its default
silently, an unusable one takes its default *and* is named in `rejected`, so
the settings screen can say what it could not keep.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ..records import flag_of
from .history import TouchKind
from .statuses import COLD, HOT, IN_WORK, NEW, WARM, Status

OPTION = "ladder"
"""The app.option name that holds the JSON value, beside the app's "settings"."""
VERSION = 1
MAX_DAYS = 3650
"""The longest period the settings accept: ten years."""
MAX_NAME = 40
MAX_CAP = 1000

TouchOption = Literal["call", "email", "meeting", "openline", "any"]
TOUCH_OPTIONS: tuple[TouchOption, ...] = ("call", "email", "meeting", "openline", "any")
""""any" is "any completed activity": every TouchKind counts."""
WorkingEntity = Literal["client", "contact", "company"]
WORKING_ENTITIES: tuple[WorkingEntity, ...] = ("client", "contact", "company")
ReassignRule = Literal["nobody", "user", "head", "group"]
REASSIGN_RULES: tuple[ReassignRule, ...] = ("nobody", "user", "head", "group")
RENAMABLE: tuple[Status, ...] = (HOT, WARM, COLD)
MAX_TEMPLATE = 300
TEMPLATES: Mapping[str, frozenset[str]] = {
    "alarm": frozenset({"client", "to", "date"}),
    "soon": frozenset({"client", "to", "date"}),
    "dropped": frozenset({"client", "status", "to", "date"}),
    "lost": frozenset({"client", "date"}),
    "undone": frozenset({"client", "status", "to", "reason"}),
    "head": frozenset({"client", "manager", "date"}),
}
"""The editable messages (status-ladder.md "Daily digest": "a message template per
kind") and the placeholders each may use: the alarm to-do's title, one digest line
per kind, and one line of a head's notice.  The I/O layer holds the RU/EN defaults."""


@dataclass(frozen=True, slots=True)
class Reassign:
    """Who gets a client its manager lost: nobody, a named user (the pool),
    the manager's head, or the members of a group in turn."""

    rule: ReassignRule = "nobody"
    user: int | None = None
    group: tuple[int, ...] = ()
    deals: bool = True
    todos: bool = True
    """Take the client's open deals and open to-dos of the manager who lost it along
    (status-ladder.md "Lost": users complain when a reassignment does not)."""


@dataclass(frozen=True, slots=True)
class LadderSettings:
    enabled: bool = True
    """Off: no pass runs and nothing is written, but every setting, the fields, the ledger and
    the published statuses stay, so turning it on again goes on where it stopped."""
    new_days: int = 10
    hot_days: int = 30
    warm_days: int = 60
    cold_days: int = 90
    warn_days: int = 3
    touch_kinds: frozenset[TouchOption] = frozenset({"call"})
    pause_on_planned: bool = True
    raise_needs_call: bool = False
    """Off unless the admin turns it on: it refuses people's own decisions."""
    raise_call_days: int = 3
    hot_name: str = ""
    warm_name: str = ""
    cold_name: str = ""
    """Own names for Hot, Warm and Cold; "" shows the translated default.
    The four system statuses (none, New, In work, Lost) cannot be renamed."""
    entity: WorkingEntity = "client"
    started_on: date | None = None
    """The day the admin confirmed the starting point.  Clients created on or
    after it start as New by themselves; None: nobody starts New by itself."""
    alarms: bool = True
    alarm_cap: int = 15
    """At most this many alarm to-dos created per manager per day."""
    digest: bool = True
    reassign: Reassign = field(default_factory=Reassign)
    alarm_hour: int = 9
    """The portal's working hour: an alarm's deadline is the drop day at this hour (Bitrix24's
    default work day starts at 9:00, and no REST method of our reference reads it)."""
    feed: bool = False
    """Also post a summary of the day's losses to each head's news feed (log.blogpost.add)."""
    templates: tuple[tuple[str, str], ...] = ()
    """Own message templates by kind (TEMPLATES), sorted; a kind not listed uses the default."""

    def days_in(self, status: Status) -> int | None:
        """How long a status lasts without a touch; None for Lost, which never drops."""
        return {NEW: self.new_days, IN_WORK: self.hot_days, HOT: self.hot_days,
                WARM: self.warm_days, COLD: self.cold_days}.get(status)

    def own_name(self, status: Status) -> str:
        """The admin's name for a status, or "" for its translated default."""
        return {HOT: self.hot_name, WARM: self.warm_name, COLD: self.cold_name}.get(status, "")

    def counts(self, kind: TouchKind) -> bool:
        """Whether a completed activity of this kind is a touch."""
        return "any" in self.touch_kinds or kind in self.touch_kinds

    def template(self, kind: str) -> str:
        """The admin's template for a kind of message, or "" for the default."""
        return dict(self.templates).get(kind, "")


DEFAULTS = LadderSettings()


@dataclass(frozen=True, slots=True)
class Parsed:
    settings: LadderSettings
    rejected: tuple[str, ...]
    """The fields that held something unusable, in the order of `to_json`'s keys."""


def to_json(settings: LadderSettings) -> dict:
    """A JSON-ready dict (stable: sorted kinds and group)."""
    return {
        "version": VERSION,
        "enabled": settings.enabled,
        "new_days": settings.new_days, "hot_days": settings.hot_days,
        "warm_days": settings.warm_days, "cold_days": settings.cold_days,
        "warn_days": settings.warn_days,
        "touch_kinds": sorted(settings.touch_kinds),
        "pause_on_planned": settings.pause_on_planned,
        "raise_needs_call": settings.raise_needs_call,
        "raise_call_days": settings.raise_call_days,
        "names": {status: settings.own_name(status) for status in RENAMABLE if settings.own_name(status)},
        "entity": settings.entity,
        "started_on": settings.started_on.isoformat() if settings.started_on else None,
        "alarms": settings.alarms, "alarm_cap": settings.alarm_cap,
        "digest": settings.digest,
        "reassign": {"rule": settings.reassign.rule, "user": settings.reassign.user,
                     "group": sorted(settings.reassign.group), "deals": settings.reassign.deals,
                     "todos": settings.reassign.todos},
        "alarm_hour": settings.alarm_hour, "feed": settings.feed,
        "templates": dict(settings.templates),
    }


def from_json(value: object) -> Parsed:
    """The settings held in a JSON dict (or its JSON text).  Never raises."""
    data, rejected = _as_mapping(value)
    reader = _Reader(data, rejected)
    settings = LadderSettings(
        enabled=reader.flag("enabled"),
        new_days=reader.whole("new_days", 1, MAX_DAYS),
        hot_days=reader.whole("hot_days", 1, MAX_DAYS),
        warm_days=reader.whole("warm_days", 1, MAX_DAYS),
        cold_days=reader.whole("cold_days", 1, MAX_DAYS),
        warn_days=reader.whole("warn_days", 0, MAX_DAYS),
        touch_kinds=reader.touch_kinds(),
        pause_on_planned=reader.flag("pause_on_planned"),
        raise_needs_call=reader.flag("raise_needs_call"),
        raise_call_days=reader.whole("raise_call_days", 0, MAX_DAYS),
        **reader.names(),
        entity=reader.choice("entity", WORKING_ENTITIES),
        started_on=reader.day("started_on"),
        alarms=reader.flag("alarms"),
        alarm_cap=reader.whole("alarm_cap", 0, MAX_CAP),
        digest=reader.flag("digest"),
        reassign=reader.reassign(),
        alarm_hour=reader.whole("alarm_hour", 0, 23),
        feed=reader.flag("feed"),
        templates=reader.templates(),
    )
    return Parsed(settings, tuple(rejected))


def _as_mapping(value: object) -> tuple[Mapping, list[str]]:
    if value is None:
        return {}, []
    if isinstance(value, (str, bytes, bytearray)):
        try:
            value = json.loads(value)
        except ValueError:
            return {}, ["settings"]
    return (value, []) if isinstance(value, Mapping) else ({}, ["settings"])


@dataclass(slots=True)
class _Reader:
    """Reads one field at a time, noting each present-but-unusable one."""

    data: Mapping
    rejected: list[str]

    def _default(self, name: str):
        if name in self.data:
            self.rejected.append(name)
        return getattr(DEFAULTS, name)

    def whole(self, name: str, low: int, high: int) -> int:
        value = self.data.get(name)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        return self._default(name)

    def flag(self, name: str) -> bool:
        value = flag_of(self.data.get(name))
        return self._default(name) if value is None else value

    def choice(self, name: str, allowed: tuple[str, ...]):
        value = self.data.get(name)
        return value if value in allowed else self._default(name)

    def day(self, name: str) -> date | None:
        value = self.data.get(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            return self._default(name)

    def touch_kinds(self) -> frozenset[TouchOption]:
        value = self.data.get("touch_kinds")
        if isinstance(value, (list, tuple)) and value and all(kind in TOUCH_OPTIONS for kind in value):
            return frozenset(value)
        return self._default("touch_kinds")  # none at all would make every client decay untouchable

    def names(self) -> dict[str, str]:
        """Own names, trimmed; a blank one means the default.  A name too long,
        not text, or the same as another own name is dropped on its own."""
        value = self.data.get("names")
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.rejected.append("names")
            return {}
        names: dict[str, str] = {}
        for status in RENAMABLE:
            name = value.get(status)
            if name is None or (isinstance(name, str) and not name.strip()):
                continue
            taken = {own.casefold() for own in names.values()}
            if not isinstance(name, str) or len(name.strip()) > MAX_NAME or name.strip().casefold() in taken:
                self.rejected.append(f"names.{status}")
                continue
            names[status] = name.strip()
        return {f"{status}_name": name for status, name in names.items()}

    def reassign(self) -> Reassign:
        """A rule with what it needs (a user, a non-empty group), else nobody.
        The two "take along" flags default to on when absent or unreadable."""
        value = self.data.get("reassign")
        if value is None:
            return DEFAULTS.reassign
        rule = value.get("rule") if isinstance(value, Mapping) else None
        user = _user_id(value.get("user")) if isinstance(value, Mapping) else None
        group = _user_ids(value.get("group")) if isinstance(value, Mapping) else None
        along = {name: flag_of(value.get(name)) is not False for name in ("deals", "todos")
                 } if isinstance(value, Mapping) else {}
        if rule in ("nobody", "head"):
            return Reassign(rule, **along)
        if rule == "user" and user is not None:
            return Reassign(rule, user=user, **along)
        if rule == "group" and group:
            return Reassign(rule, group=group, **along)
        return self._default("reassign")

    def templates(self) -> tuple[tuple[str, str], ...]:
        """Own templates, trimmed; a blank one means the default.  One that is not
        text, too long, or uses a placeholder its kind does not have is dropped alone."""
        value = self.data.get("templates")
        if value is None:
            return ()
        if not isinstance(value, Mapping):
            self.rejected.append("templates")
            return ()
        kept = []
        for kind, allowed in TEMPLATES.items():
            text = value.get(kind)
            if text is None or (isinstance(text, str) and not text.strip()):
                continue
            if not isinstance(text, str) or len(text.strip()) > MAX_TEMPLATE or not _fits(text, allowed):
                self.rejected.append(f"templates.{kind}")
                continue
            kept.append((kind, text.strip()))
        return tuple(sorted(kept))


def _fits(text: str, allowed: frozenset[str]) -> bool:
    """Every placeholder of `text` is one of `allowed`, with no format spec or index."""
    try:
        return all(name is None or (name in allowed and not spec and not conversion)
                   for _, name, spec, conversion in string.Formatter().parse(text))
    except ValueError:
        return False




def _user_id(value: object) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _user_ids(value: object) -> tuple[int, ...] | None:
    """Distinct user IDs in ascending order, or None if any item is not one."""
    if not isinstance(value, (list, tuple)):
        return None
    ids = [_user_id(item) for item in value]
    return None if None in ids else tuple(sorted(set(ids)))
