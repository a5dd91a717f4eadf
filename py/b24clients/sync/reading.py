"""The reading run (spec/sync.md, "Who computes, who reads").

How every user but a computing admin — and every new device, phone
included — gets the dashboard: list the contacts and companies this user may
see, with the values a computing run wrote and the card fields the list
shows, and derive again what time changes.  No month-by-month history: a
few dozen requests of chained ID windows (2,500 rows each) over several ID
ranges at once, sized by one counting batch.  Nothing is ever written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from ..cards import Card, card
from ..classify import ClientRow
from ..lifecycle import Boundaries, Thresholds
from ..model import COMPANY, CONTACT, Entity, Ref
from ..ranks import Rank
from ..records import ref_ids
from ..rest.errors import RestError
from ..rest.gateway import MAX_BATCH, PAGE, Gateway, ListSpec
from .fields import UF_NAMES, item_name
from .written import ItemValues, Written, written

CARD_FIELDS = ["id", "assignedById", "createdTime", "updatedTime", "updatedBy", "lastActivityTime",
               "lastCommunicationTime", "hasPhone", "hasEmail", "hasImol"]
ENTITIES: dict[Entity, tuple[int, list[str]]] = {
    CONTACT: (3, ["name", "secondName", "lastName", "companyId"]),
    COMPANY: (4, ["title", "isMyCompany", "contactIds"]),
}
"""Per entity: its crm.item type and the fields it needs besides the card's and the eight."""
USERFIELD_LIST = {CONTACT: "crm.contact.userfield.list", COMPANY: "crm.company.userfield.list"}
RANGES_IN_FLIGHT = 8
TAIL_PAGES = 2
"""Pages chained for the rest of a range after its first batch (doubling if it is longer)."""


@dataclass
class Reading:
    """What one reading run saw: the written values and the cards of every record."""

    records: list[Written] = field(default_factory=list)
    cards: dict[Ref, Card] = field(default_factory=dict)
    linked: set[int] = field(default_factory=set)
    """Companies with at least one linked contact (any binding, visible to this user or not)."""
    read_at: datetime | None = None
    """The portal's clock when the read began."""

    def rows(self, today: date, thresholds: Thresholds) -> list[ClientRow]:
        """Client rows for `today`: a paid client's lifecycle from its last payment date."""
        boundaries = Boundaries.on(today, thresholds)
        return [record.row(boundaries) for record in self.records]

    def ranks(self) -> dict[Ref, Rank]:
        """Each client's rank as the computing run wrote it (records without one are left out)."""
        return {(r.entity, r.id): r.rank for r in self.records if r.rank is not None}

    @property
    def uncomputed(self) -> int:
        """Clients created since the last computation (their values come from the record alone)."""
        return sum(1 for r in self.records if not r.computed and r.client_type != "company_contact")

    def to_json(self) -> dict:
        return {"read_at": self.read_at.isoformat() if self.read_at else None,
                "records": [r.to_json() for r in self.records],
                "cards": [[e, i, c.name, c.responsible_id, _iso(c.created), _iso(c.modified), _iso(c.last_touch),
                           c.modified_by_app] for (e, i), c in self.cards.items()],
                "linked": sorted(self.linked)}

    @classmethod
    def from_json(cls, data: dict) -> Reading:
        cards = {(e, i): Card(name, responsible, _day(created), _day(modified), _day(touch), by_app)
                 for e, i, name, responsible, created, modified, touch, by_app in data["cards"]}
        return cls(records=[Written.from_json(r) for r in data["records"]], cards=cards,
                   linked=set(data["linked"]),
                   read_at=datetime.fromisoformat(data["read_at"]) if data.get("read_at") else None)


async def read_written(gateway: Gateway, *, on_progress: Callable[[int, int], None] | None = None,
                       pause: Callable[[], Awaitable[None]] | None = None,
                       ours: Callable[[dict], bool] | None = None) -> Reading:
    """Every contact and company this user sees, with its written values and card.

    `on_progress(read, total)` once the amount is known and after each batch; `pause`
    between folds of rows; `ours(row)`: was the row's last change the app's write-back
    (its modification date is then unknown, `cards.written_by`)?
    """
    body = await gateway.call_raw("user.current")
    moment = datetime.fromisoformat(body["time"]["date_start"])
    tz = moment.tzinfo
    items, totals, tops = await _survey(gateway)
    reading = Reading(read_at=moment)
    total = sum(totals.values())
    done = 0
    if on_progress is not None:
        on_progress(0, total)

    async def read(entity: Entity, spec: ListSpec) -> None:
        nonlocal done
        first = True
        while not spec.complete:
            rows = (await gateway.read_many({"r": spec}, until_complete=False))["r"]
            if first:  # what is left of a range is a page or two (its IDs are spread about evenly):
                spec.pages, first = TAIL_PAGES, False  # a whole batch of chained windows would cost 50
            for row in rows:
                record = written(entity, row, items[entity])
                if record is None:
                    continue
                reading.records.append(record)
                reading.cards[(entity, record.id)] = card(entity, row, tz, ours=ours)
                if entity == COMPANY and ref_ids(row.get("contactIds")):
                    reading.linked.add(record.id)
            done += len(rows)
            if on_progress is not None:
                on_progress(done, total)
            if pause is not None:
                await pause()

    specs = [(entity, spec) for entity in ENTITIES for spec in _ranges(entity, totals[entity], tops[entity])]
    turns = asyncio.Semaphore(RANGES_IN_FLIGHT)

    async def in_turn(entity: Entity, spec: ListSpec) -> None:
        async with turns:
            await read(entity, spec)

    await asyncio.gather(*(in_turn(entity, spec) for entity, spec in specs))
    reading.records.sort(key=lambda r: (r.entity != COMPANY, r.id))
    return reading


async def _survey(gateway: Gateway) -> tuple[dict[Entity, ItemValues], dict[Entity, int], dict[Entity, int]]:
    """One batch: the fields' list items, and per entity how many rows this user sees and the highest ID."""
    commands: dict[str, tuple[str, dict]] = {}
    for entity, (type_id, _) in ENTITIES.items():
        commands[f"uf.{entity}"] = (USERFIELD_LIST[entity], {"filter": {"LANG": "en"}})
        commands[f"count.{entity}"] = ("crm.item.list", {"entityTypeId": type_id, "select": ["id"]})
        commands[f"top.{entity}"] = ("crm.item.list", {"entityTypeId": type_id, "select": ["id"],
                                                       "order": {"id": "DESC"}, "start": -1})
    answer = await gateway.batch(commands)
    for key, error in answer.errors.items():
        raise RestError.of_command(error, commands[key][0])
    items: dict[Entity, ItemValues] = {}
    totals: dict[Entity, int] = {}
    tops: dict[Entity, int] = {}
    for entity in ENTITIES:
        items[entity] = {uf.get("FIELD_NAME"): {str(i.get("ID")): str(i.get("XML_ID")) for i in uf.get("LIST") or []}
                         for uf in answer.results.get(f"uf.{entity}") or [] if uf.get("FIELD_NAME") in UF_NAMES}
        totals[entity] = int(answer.totals.get(f"count.{entity}") or 0)
        top = (answer.results.get(f"top.{entity}") or {}).get("items") or []
        tops[entity] = int(top[0]["id"]) if top else 0
    return items, totals, tops


def _ranges(entity: Entity, total: int, top: int) -> list[ListSpec]:
    """ID ranges read at once, each about one batch of pages; IDs are assumed spread evenly."""
    type_id, own = ENTITIES[entity]
    params = {"entityTypeId": type_id, "select": [*CARD_FIELDS, *own, *map(item_name, UF_NAMES)]}
    pages = total // PAGE + 1
    parts = max(1, min(-(-pages // MAX_BATCH), top))
    step = -(-top // parts) if top else 1
    specs = []
    for i in range(parts):
        bounds = {}
        if i:
            bounds[">=id"] = i * step + 1
        if i + 1 < parts:
            bounds["<id"] = (i + 1) * step + 1
        specs.append(ListSpec("crm.item.list", {**params, "filter": bounds}, "id", True,
                              pages=min(MAX_BATCH, pages // parts + 2)))
    return specs


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


async def read_one(gateway: Gateway, client: Ref) -> tuple[Written | None, Card | None]:
    """One client's written values and card (the history page's header), in one batch:
    the record by `crm.item.get` and its entity's user fields (list item ID → value)."""
    entity, record_id = client
    type_id = ENTITIES[entity][0]
    answer = await gateway.batch({"item": ("crm.item.get", {"entityTypeId": type_id, "id": record_id}),
                                  "uf": (USERFIELD_LIST[entity], {"filter": {"LANG": "en"}})})
    row = (answer.results.get("item") or {}).get("item") if "item" not in answer.errors else None
    if not isinstance(row, dict):
        return None, None
    items = {uf.get("FIELD_NAME"): {str(i.get("ID")): str(i.get("XML_ID")) for i in uf.get("LIST") or []}
             for uf in answer.results.get("uf") or [] if uf.get("FIELD_NAME") in UF_NAMES}
    moment = datetime.fromisoformat(answer.time["date_start"]) if answer.time.get("date_start") else None
    tz = moment.tzinfo if moment else timezone.utc
    return written(entity, row, items), card(entity, row, tz)
