"""The passes' notifications: the daily digest per manager, the heads' notices,
and the feed post (status-ladder.md "Daily digest", "Lost", "Feed").

A digest is one `im.notify.system.add` under a fixed tag, so the next one
replaces it in the manager's inbox.  At most one is sent per manager a day,
whoever sends it: the sender first wins the day's claim (`ladder_claims`).
A portal pass that loses a manager's claim (their own pass already sent the
day's digest) leaves what it had to tell — drops, losses, undone raises — as
news for the next digest, so nothing is told twice and nothing is lost.
Heads' notices and feed posts are claimed per head and day the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from ...ladder import Digest, Event, HeadNotice
from ...model import Ref
from ...rest.gateway import Gateway
from . import claims
from .messages import Texts
from .storage import SYNC, delete_many
from .writes import send_all

TAG = "ladder.digest"
HEAD_TAG = "ladder.head"

Names = Callable[[Iterable[Ref]], Awaitable[Mapping[Ref, str]]]


@dataclass
class NoticeStats:
    digests: int = 0
    news_left: int = 0
    """Managers for whom this pass left news instead of a digest."""
    news_delivered: int = 0
    heads: int = 0
    feed: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def encode(events: Iterable[Event]) -> list[list]:
    return [[e.kind, e.key[0], e.key[1], e.on.toordinal(), e.status_from, e.status_to, e.reason, e.author]
            for e in events]


def decode(rows: Iterable[list]) -> list[Event]:
    out = []
    for row in rows:
        try:
            kind, entity, rid, on, status_from, status_to, reason, author = row
            out.append(Event((entity, int(rid)), kind, date.fromordinal(on), status_from, status_to,
                             author=author, reason=reason))
        except (TypeError, ValueError):
            continue
    return out


def with_news(digest: Digest, news: Iterable[Event]) -> Digest:
    """The digest with the lines an earlier pass left for this manager, oldest first."""
    news = list(news)
    return replace(digest,
                   dropped=(*[e for e in news if e.kind == "drop"], *digest.dropped),
                   lost=(*[e for e in news if e.kind == "loss"], *digest.lost),
                   undone=(*[e for e in news if e.kind == "undone"], *digest.undone))


async def send_digests(gateway: Gateway, day: date, digests: Iterable[Digest], texts: Texts, names: Names,
                       *, leave_news: bool, also: Iterable[int] | None = ()) -> NoticeStats:
    """Claim the day's digest of each manager and send the ones won, news included.

    `also`: managers with no digest of their own today whose news, if any, should go
    out now (a manager's pass names itself; None: everyone's news, the portal pass).
    `leave_news`: what a lost claim had to say stays as news (the portal pass); a
    manager's pass has nothing the other digest lacks."""
    stats = NoticeStats()
    planned = {d.manager: d for d in digests}
    news = await claims.read_news(gateway, None if also is None else set(planned) | set(also))
    for manager in news:
        planned.setdefault(manager, Digest(manager))
    won = await claims.claim(gateway, [claims.digest_claim(day, m) for m in planned], f"digest:{day.isoformat()}:")
    sending = {m: with_news(d, decode(news.get(m, ([], []))[0]))
               for m, d in planned.items() if claims.digest_claim(day, m) in won}
    sending = {m: d for m, d in sending.items() if d.soon or d.dropped or d.lost or d.undone}
    lines = {m: [*d.dropped, *d.lost, *d.undone] for m, d in sending.items()}
    named = await names({*(s.key for d in sending.values() for s in d.soon),
                         *(e.key for events in lines.values() for e in events)})
    outcome = await send_all(gateway, {m: ("im.notify.system.add", {"USER_ID": m, "MESSAGE": texts.digest(d, named),
                                                                    "TAG": TAG})
                                       for m, d in sending.items()})
    stats.digests = len(outcome.done)
    delivered = [item for m in outcome.done for item in news.get(m, ([], []))[1]]
    stats.news_delivered = sum(1 for m in outcome.done if news.get(m, ([], []))[1])
    await delete_many(gateway, SYNC, delivered)
    if leave_news:
        left = {m: encode([*d.dropped, *d.lost, *d.undone]) for m, d in planned.items()
                if claims.digest_claim(day, m) not in won}
        left = {m: rows for m, rows in left.items() if rows}
        await claims.leave_news(gateway, left)
        stats.news_left = len(left)
    return stats


async def send_heads(gateway: Gateway, day: date, notices: Iterable[HeadNotice], texts: Texts, names: Names,
                     people: Mapping[int, str], *, feed: bool) -> NoticeStats:
    """Each head's notice of the losses under them (and, with the feed option, a post to
    their feed), once per head and day."""
    stats = NoticeStats()
    notices = {n.head: n for n in notices}
    won = await claims.claim(gateway, [claims.head_claim(day, h) for h in notices], f"head:{day.isoformat()}:")
    sending = {h: n for h, n in notices.items() if claims.head_claim(day, h) in won}
    named = await names({loss.key for n in sending.values() for loss in n.losses})
    commands = {("head", h): ("im.notify.system.add", {"USER_ID": h, "MESSAGE": texts.head_notice(n, named, people),
                                                       "TAG": f"{HEAD_TAG}.{day.isoformat()}"})
                for h, n in sending.items()}
    if feed:
        commands.update({("feed", h): ("log.blogpost.add", {"POST_TITLE": texts.feed_title(),
                                                            "POST_MESSAGE": texts.head_notice(n, named, people),
                                                            "DEST": [f"U{h}"]})
                         for h, n in sending.items()})
    outcome = await send_all(gateway, commands)
    stats.heads = sum(1 for kind, _ in outcome.done if kind == "head")
    stats.feed = sum(1 for kind, _ in outcome.done if kind == "feed")
    return stats
