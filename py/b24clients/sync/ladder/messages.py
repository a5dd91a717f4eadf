"""What the passes say, in Russian or English: the alarm to-do's title, the
daily digest, a head's notice, the feed post, and the timeline log entries.

Each line comes from a template (status-ladder.md "A message template per
kind is editable (RU/EN defaults)"): the admin's own from the settings
(`LadderSettings.templates`, placeholders checked there), else the default
here.  Status names follow the admin's own names of Hot, Warm and Cold.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ...ladder import Digest, Event, HeadNotice, LadderSettings, Status
from ...model import Ref
from .fields import STATUS_LABELS
from .ledger import ALARM_TAG

DEFAULTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "alarm": "Call {client}: it becomes {to} on {date}",
        "soon": "{client} becomes {to} on {date}",
        "dropped": "{client}: {status} → {to} on {date}",
        "lost": "{client} was lost on {date}",
        "undone": "{client}: the change to {to} was undone ({reason})",
        "head": "{manager} lost {client} on {date}",
    },
    "ru": {
        "alarm": "Позвоните {client}: {date} станет «{to}»",
        "soon": "{client} станет «{to}» {date}",
        "dropped": "{client}: «{status}» → «{to}» {date}",
        "lost": "{client} потерян {date}",
        "undone": "{client}: смена на «{to}» отменена ({reason})",
        "head": "{manager} потерял(а) {client} {date}",
    },
}
WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "digest": "Your clients today", "soon": "Drop soon", "dropped": "Dropped", "lost": "Lost",
        "undone": "Changes undone", "no_alarm": " (no reminder: over today's limit)",
        "more": "…and {n} more", "head": "Clients lost by your team", "feed": "Lost clients",
        "no_call": "no call in the {days} days before it", "open_deal": "a deal is open",
        "alarm_text": "The client drops a step unless someone calls before then.",
        "log": "Status: {status} → {to}", "log_undone": "Status change undone",
        "undone_text": "The change to {to} was undone: {reason}.",
        "drop": "No touch for {days} days.", "loss": "No touch for {days} days: the client is lost.",
        "reassigned": "Reassigned to user #{user}.", "set": "Set by user #{user}.", "new": "A new client.",
        "deal_open": "A deal is open.", "deal_won": "A deal was won.", "deal_lost": "The deal was lost.",
        "untracked": "not tracked",
    },
    "ru": {
        "digest": "Ваши клиенты сегодня", "soon": "Скоро понизятся", "dropped": "Понизились", "lost": "Потеряны",
        "undone": "Отменённые изменения", "no_alarm": " (без напоминания: сверх дневного лимита)",
        "more": "…и ещё {n}", "head": "Клиенты, потерянные вашей командой", "feed": "Потерянные клиенты",
        "no_call": "не было звонка за {days} дн. до неё", "open_deal": "открыта сделка",
        "alarm_text": "Клиент понизится на ступень, если до этого срока с ним не свяжутся.",
        "log": "Статус: «{status}» → «{to}»", "log_undone": "Смена статуса отменена",
        "undone_text": "Смена на «{to}» отменена: {reason}.",
        "drop": "Нет касаний {days} дн.", "loss": "Нет касаний {days} дн.: клиент потерян.",
        "reassigned": "Передан пользователю #{user}.", "set": "Установлен пользователем #{user}.",
        "new": "Новый клиент.", "deal_open": "Открыта сделка.", "deal_won": "Сделка выиграна.",
        "deal_lost": "Сделка проиграна.", "untracked": "не отслеживается",
    },
}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"),
}
DIGEST_LINES = 30
"""Lines per section of a digest; the rest are counted ("…and 12 more")."""
ICON = "info"
"""The log entries' icon (crm.timeline.icon.list has it on every portal)."""


class Texts:
    """Messages in one language with one set of settings."""

    def __init__(self, settings: LadderSettings, lang: str) -> None:
        self.settings = settings
        self.lang = lang if lang in DEFAULTS else "en"

    def word(self, name: str, **values: object) -> str:
        return WORDS[self.lang][name].format(**values)

    def status(self, status: Status | None) -> str:
        if status is None:
            return self.word("untracked")
        own = self.settings.own_name(status)
        return own or STATUS_LABELS[status][0 if self.lang == "ru" else 1]

    def day(self, day: date) -> str:
        return f"{day.day} {MONTHS[self.lang][day.month - 1]}"

    def line(self, kind: str, **values: object) -> str:
        return (self.settings.template(kind) or DEFAULTS[self.lang][kind]).format(**values)

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
