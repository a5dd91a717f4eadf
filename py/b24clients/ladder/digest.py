"""The daily digest per manager and the heads' notices: plain lists of what
to tell whom; the I/O layer renders them with the editable templates and
sends each as one notification under a fixed tag, which replaces the last."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from ..model import Ref
from .crm import Client
from .events import Event
from .statuses import Status
from .walk import Standing


@dataclass(frozen=True, slots=True)
class Soon:
    key: Ref
    drop_on: date
    drops_to: Status
    alarm: bool
    """Whether an alarm to-do rings for it (False: over the day's cap, or alarms off)."""


@dataclass(frozen=True, slots=True)
class Digest:
    manager: int
    soon: tuple[Soon, ...] = ()
    """In the warning window, earliest drop first."""
    dropped: tuple[Event, ...] = ()
    lost: tuple[Event, ...] = ()
    undone: tuple[Event, ...] = ()
    """Raises refused, with the reason, told to whoever made them."""


@dataclass(frozen=True, slots=True)
class Loss:
    key: Ref
    manager: int
    """Who lost it: the responsible when it was lost."""
    on: date
    assign_to: int | None
    """Who takes it over; None when it stays."""


@dataclass(frozen=True, slots=True)
class HeadNotice:
    head: int
    losses: tuple[Loss, ...]


@dataclass(frozen=True, slots=True)
class Seen:
    """One client as a pass saw it: where it stands and what happened since the last pass."""

    client: Client
    standing: Standing
    events: tuple[Event, ...] = ()


@dataclass(slots=True)
class _Lines:
    soon: list[Soon] = field(default_factory=list)
    dropped: list[Event] = field(default_factory=list)
    lost: list[Event] = field(default_factory=list)
    undone: list[Event] = field(default_factory=list)

    def digest(self, manager: int) -> Digest:
        soon = sorted(self.soon, key=lambda line: (line.drop_on, line.key))
        return Digest(manager, tuple(soon), tuple(self.dropped), tuple(self.lost), tuple(self.undone))


def digests(seen: Iterable[Seen], alarmed: AbstractSet[Ref]) -> tuple[Digest, ...]:
    """One digest per manager with anything to say, in manager order."""
    lines: defaultdict[int, _Lines] = defaultdict(_Lines)
    for item in sorted(seen, key=lambda item: item.standing.key):
        standing, manager = item.standing, item.client.responsible
        if standing.warning:
            lines[manager].soon.append(Soon(standing.key, standing.drop_on, standing.drops_to,
                                            standing.key in alarmed))
        for event in item.events:
            if event.kind == "drop":
                lines[manager].dropped.append(event)
            elif event.kind == "loss":
                lines[manager].lost.append(event)
            elif event.kind == "undone":
                lines[event.author or manager].undone.append(event)
    return tuple(lines[manager].digest(manager) for manager in sorted(lines))


def head_notices(losses: Iterable[Loss], heads: Mapping[int, int]) -> tuple[HeadNotice, ...]:
    """Each head hears of the losses of the managers under them, in head order."""
    by_head: defaultdict[int, list[Loss]] = defaultdict(list)
    for loss in sorted(losses, key=lambda loss: loss.key):
        head = heads.get(loss.manager)
        if head is not None and head != loss.manager:
            by_head[head].append(loss)
    return tuple(HeadNotice(head, tuple(items)) for head, items in sorted(by_head.items()))
