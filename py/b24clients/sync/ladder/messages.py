"""What the passes say, in Russian or English: the alarm to-do's title, the
daily digest, a head's notice, the feed post, and the timeline log entries.

Each line comes from a template (status-ladder.md "A message template per
kind is editable (RU/EN defaults)"): the admin's own from the settings
(`LadderSettings.templates`, placeholders checked there), else the default
in `b24clients.strings` (`ladder.template.<kind>`), where every other word
of these messages lives too (`ladder.notice.*`), one dict per language beside
the UI's.  Status names follow the admin's own names of Hot, Warm and Cold.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ...ladder import Digest, Event, HeadNotice, LadderSettings, Status
from ...model import Ref
from ...strings import DEFAULT_LANGUAGE, STRINGS
from .ledger import ALARM_TAG

DIGEST_LINES = 30
"""Lines per section of a digest; the rest are counted ("…and 12 more")."""
ICON = "info"
"""The log entries' icon (crm.timeline.icon.list has it on every portal)."""


class Texts:
    """Messages in one language with one set of settings."""

    def __init__(self, settings: LadderSettings, lang: str) -> None:
        self.settings = settings
        self.text = STRINGS.get(lang, STRINGS[DEFAULT_LANGUAGE])
        self.months = self.text["ladder.notice.months"].split(",")

    def word(self, name: str, **values: object) -> str:
        return self.text[f"ladder.notice.{name}"].format(**values)

    def status(self, status: Status | None) -> str:
        if status is None:
            return self.word("untracked")
        own = self.settings.own_name(status)
        return own or self.text[f"count.ladder.{status}"]

    def day(self, day: date) -> str:
        return f"{day.day} {self.months[day.month - 1]}"

    def line(self, kind: str, **values: object) -> str:
        return (self.settings.template(kind) or self.text[f"ladder.template.{kind}"]).format(**values)

    # --- the alarm to-do ----------------------------------------------------------------

    def alarm_title(self, client: str, drops_to: Status, drop_on: date) -> str:
        return self.line("alarm", client=client, to=self.status(drops_to), date=self.day(drop_on))

    def alarm_description(self, drops_to: Status) -> str:
        """Ends with the tag the passes find their alarms by, naming the status it announces."""
        return f"{self.word('alarm_text')}\n{ALARM_TAG}:{drops_to}]"

    # --- digests, heads, feed -------------------------------------------------------------

    def digest(self, digest: Digest, names: Mapping[Ref, str]) -> str:
        """One merged message: what drops soon, what dropped, what was lost, what was undone."""
        sections: list[tuple[str, list[str]]] = [
            ("soon", [self.line("soon", client=names.get(s.key, _ref(s.key)), to=self.status(s.drops_to),
                                date=self.day(s.drop_on)) + ("" if s.alarm else self.word("no_alarm"))
                      for s in digest.soon]),
            ("dropped", self.event_lines(digest.dropped, names)),
            ("lost", self.event_lines(digest.lost, names)),
            ("undone", self.event_lines(digest.undone, names)),
        ]
        return self._sections(self.word("digest"), sections)

    def event_lines(self, events: tuple[Event, ...] | list[Event], names: Mapping[Ref, str]) -> list[str]:
        lines = []
        for e in events:
            client = names.get(e.key, _ref(e.key))
            if e.kind == "loss":
                lines.append(self.line("lost", client=client, date=self.day(e.on)))
            elif e.kind == "undone":
                reason = self.word(e.reason or "no_call", days=self.settings.raise_call_days)
                lines.append(self.line("undone", client=client, status=self.status(e.status_from),
                                       to=self.status(e.status_to), reason=reason))
            else:
                lines.append(self.line("dropped", client=client, status=self.status(e.status_from),
                                       to=self.status(e.status_to), date=self.day(e.on)))
        return lines

    def head_notice(self, notice: HeadNotice, names: Mapping[Ref, str], people: Mapping[int, str]) -> str:
        lines = [self.line("head", manager=people.get(loss.manager, f"#{loss.manager}"),
                           client=names.get(loss.key, _ref(loss.key)), date=self.day(loss.on))
                 for loss in notice.losses]
        return self._sections(self.word("head"), [("", lines)])

    def feed_title(self) -> str:
        return self.word("feed")

    def _sections(self, title: str, sections: list[tuple[str, list[str]]]) -> str:
        out = [title]
        for name, lines in sections:
            if not lines:
                continue
            if name:
                out.append(f"\n{self.word(name)}:")
            out += [f"• {line}" for line in lines[:DIGEST_LINES]]
            if len(lines) > DIGEST_LINES:
                out.append(self.word("more", n=len(lines) - DIGEST_LINES))
        return "\n".join(out)

    # --- timeline log entries ---------------------------------------------------------------

    def log_entry(self, event: Event, assigned_to: int | None = None) -> tuple[str, str]:
        """(title, text) of the log entry one status change writes to the client's timeline."""
        if event.kind == "undone":
            reason = self.word(event.reason or "no_call", days=self.settings.raise_call_days)
            return self.word("log_undone"), self.word("undone_text", to=self.status(event.status_to), reason=reason)
        title = self.word("log", status=self.status(event.status_from), to=self.status(event.status_to))
        days = self.settings.days_in(event.status_from) if event.status_from else None
        if event.kind in ("drop", "loss"):
            text = self.word(event.kind, days=days)
        elif event.kind == "set":
            text = self.word("set", user=event.author)
        else:
            text = self.word(event.kind)
        if assigned_to is not None:
            text += " " + self.word("reassigned", user=assigned_to)
        return title, text


def _ref(ref: Ref) -> str:
    return f"{'Company' if ref[0] == 'company' else 'Contact'} #{ref[1]}"
