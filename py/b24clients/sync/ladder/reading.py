"""What the passes read from the CRM, and how (spec/sync.md "Gateway": chained
ID windows, several lists sharing batches).

- `survey`: the status fields' list items, and how many contacts, companies
  and deals the portal has (a count that does not add up means deletions).
- `read_changed`: contacts, companies, deals and activities changed since a
  moment — or all of them, for a ledger's first read, over several ID ranges at once.
- `read_alarms`: the ladder's open alarm to-dos, by client.
- `read_people`: users and departments, for heads (`UF_HEAD`, an int or a
  string, walking up when the head is the manager) and names.
- `read_names`: clients' names for digests and alarm titles.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ... import records
from ...dates import portal_date
from ...ladder import Alarm, STATUSES
from ...model import COMPANY, CONTACT, Entity, Ref
from ...rest.errors import RestError
from ...rest.gateway import MAX_BATCH, PAGE, Gateway, ListSpec
from ..plan import CONTACT_COMPANIES, LINKED, Kind
from .fields import NAMES, STATUS, TYPE_IDS, Items
from .ledger import ALARM_TAG

PARTY_FIELDS = ["ID", "DATE_CREATE", "DATE_MODIFY", "MODIFY_BY_ID", "ASSIGNED_BY_ID", *NAMES]
DEAL_SELECT = ["id", "companyId", "contactId", "contactIds", "stageSemanticId", "categoryId", "closedate",
               "movedTime", "updatedTime", "createdTime"]
ACT_SELECT = ["ID", "TYPE_ID", "PROVIDER_ID", "COMPLETED", "CREATED", "LAST_UPDATED", "DEADLINE", "OWNER_TYPE_ID",
              "OWNER_ID", "BINDINGS", "RESPONSIBLE_ID"]
TODO_PROVIDER = "CRM_TODO"
LISTS: Mapping[str, Kind] = {
    CONTACT: Kind(CONTACT, "crm.contact.list", {"select": [*PARTY_FIELDS, "COMPANY_ID"]}, "ID", False,
                  "DATE_CREATE", "DATE_MODIFY", "MODIFY_BY_ID", links=CONTACT_COMPANIES),
    COMPANY: Kind(COMPANY, "crm.company.list", {"select": [*PARTY_FIELDS, "IS_MY_COMPANY"]}, "ID", False,
                  "DATE_CREATE", "DATE_MODIFY", "MODIFY_BY_ID"),
    "deals": Kind("deals", "crm.item.list", {"entityTypeId": 2, "select": DEAL_SELECT}, "id", True,
                  "createdTime", "updatedTime"),
    "acts": Kind("acts", "crm.activity.list", {"select": ACT_SELECT}, "ID", False, "CREATED", "LAST_UPDATED",
                 where={"!PROVIDER_ID": TODO_PROVIDER}),
    "todos": Kind("todos", "crm.activity.list", {"select": [*ACT_SELECT, "DESCRIPTION"]}, "ID", False, "CREATED",
                  "LAST_UPDATED", where={"PROVIDER_ID": TODO_PROVIDER}),
}
"""What each list is read with.  Contacts and companies come through their legacy lists
and deals through crm.item.list (for `contactIds`), as the sync engine reads them
(`sync/plan.py`): one method for all three took 684 s of its 480 s budget at 250k,
and a first pass waited out windows.  A contact's companies come beside it from
crm.item.list (`plan.CONTACT_COMPANIES`).  To-dos come apart, with their descriptions
(the alarm tag is there), which other activities — e-mails among them — need not bring."""
RANGES_IN_FLIGHT = 8


@dataclass
class Survey:
    items: dict[Entity, Items]
    """Per entity: the status field's list item ID → status."""
    item_of: dict[Entity, dict[str, str]]
    """Per entity: status → list item ID (what a write sends)."""
    totals: dict[str, int]
    """How many rows each list (and the contacts' links) holds."""
    tops: dict[str, int]
    """The highest ID of each list (where a first read splits its ranges)."""


def _status_fields() -> dict[str, tuple[str, dict]]:
    return {f"uf.{entity}": (f"crm.{entity}.userfield.list", {"filter": {"FIELD_NAME": STATUS}})
            for entity in (CONTACT, COMPANY)}


def _items(results: Mapping) -> dict[Entity, Items]:
    return {entity: {str(i.get("ID")): str(i.get("XML_ID")) for uf in results.get(f"uf.{entity}") or []
                     for i in uf.get("LIST") or [] if i.get("XML_ID") in STATUSES}
            for entity in (CONTACT, COMPANY)}


async def status_items(gateway: Gateway) -> dict[Entity, Items]:
    """Only the status fields' list items (what a manager's pass needs of the survey)."""
    answer = await gateway.batch(_status_fields())
    for key, error in answer.errors.items():
        raise RestError.of_command(error, key)
    return _items(answer.results)


async def survey(gateway: Gateway) -> Survey:
    """One batch: the status fields' items, the counts, and the highest IDs."""
    commands: dict[str, tuple[str, dict]] = _status_fields()
    for name, kind in LISTS.items():  # how many rows each list and its links hold: a first read cuts by it
        commands[f"count.{name}"] = (kind.method, kind.count_params())
        if kind.links:
            commands[f"count.{name}{LINKED}"] = (kind.links.of.method, kind.links.count_params({}))
        commands[f"top.{name}"] = (kind.method, {**kind.count_params(), "order": {kind.id_key: "DESC"}, "start": -1})
    answer = await gateway.batch(commands)
    for key, error in answer.errors.items():
        raise RestError.of_command(error, commands[key][0])
    items = _items(answer.results)
    tops = {}
    for name, kind in LISTS.items():
        rows = answer.results.get(f"top.{name}") or []
        rows = rows.get("items", []) if isinstance(rows, Mapping) else rows
        tops[name] = int(rows[0][kind.id_key]) if rows else 0
    return Survey(items, {e: {status: item for item, status in m.items()} for e, m in items.items()},
                  {name[len("count."):]: int(total or 0) for name, total in answer.totals.items()
                   if name.startswith("count.")}, tops)


async def read_changed(gateway: Gateway, since: datetime | None, tops: Mapping[str, int],
                       names: Iterable[str] = tuple(LISTS), totals: Mapping[str, int] | None = None
                       ) -> dict[str, list[dict]]:
    """Every row of each list changed since `since` (None: every row), by list name.

    A first read splits each list into ID ranges of about a batch of pages and
    reads several at once; an incremental one is small and shares batches.  The
    ranges are cut by each list's count (`totals`), not only by its highest ID: a
    range asks a whole batch of pages, empty or not, and to-dos are one activity
    in seven of the IDs, a contact's companies one row for three contacts (at 250k,
    cut by ID, crm.activity.list carried 768 s of its 480 in a first pass).  A range
    holding more than its share, its IDs not spread evenly, then asks two pages more,
    then four (`ListSpec.advance`), not a second whole batch."""
    names = tuple(names)
    if since is not None:
        stamp = since.isoformat()
        specs = {}
        for name in names:
            specs |= LISTS[name].specs(name, {f">={LISTS[name].modified}": stamp}, lambda _: (2, None))
        rows = await gateway.read_many(specs)
        return {name: LISTS[name].joined(name, rows) for name in names}
    ranges, totals = {}, totals or {}
    for name in names:
        kind, top = LISTS[name], tops.get(name, 0)
        for listed, spec in ((name, kind.spec), *(((name + LINKED, kind.links.spec),) if kind.links else ())):
            cuts = _ranges(name, top, totals.get(listed, top))
            share = -(-totals.get(listed, top) // len(cuts))  # rows a range holds if they are spread evenly
            for i, bounds in enumerate(cuts):
                ranges[f"{listed}.{i}"] = spec(bounds, min(MAX_BATCH, share // PAGE + 1), share)
    rows = await _in_ranges(gateway, ranges)

    def part(prefix: str) -> list[dict]:
        return [row for key, found in rows.items() if key.rpartition(".")[0] == prefix for row in found]

    return {name: LISTS[name].joined(name, {name: part(name), name + LINKED: part(name + LINKED)})
            for name in names}


async def read_ids(gateway: Gateway, name: str, top: int) -> set[int]:
    """Every ID of one list (contacts, companies or deals), over ID ranges at once: to find what was deleted."""
    kind = LISTS[name]
    ranges = {f"{name}.{i}": ListSpec(kind.method, kind.count_params(bounds), kind.id_key, kind.items)
              for i, bounds in enumerate(_ranges(name, top))}
    rows = await _in_ranges(gateway, ranges)
    return {int(row[kind.id_key]) for part in rows.values() for row in part}


async def _in_ranges(gateway: Gateway, ranges: Mapping[str, ListSpec]) -> dict[str, list[dict]]:
    """Each range's first batch, several at once (RANGES_IN_FLIGHT: one chain would wait
    for each batch in turn), then what is left of them all sharing batches: a range past
    its share asks a few pages more, and a request of its own for them costs the bucket
    half a second (at 85k, 39 requests more in a first pass)."""
    rows: dict[str, list[dict]] = {name: [] for name in ranges}
    turns = asyncio.Semaphore(RANGES_IN_FLIGHT)

    async def first(name: str, spec: ListSpec) -> None:
        async with turns:
            rows[name].extend((await gateway.read_many({name: spec}, until_complete=False))[name])

    await asyncio.gather(*(first(name, spec) for name, spec in ranges.items()))
    for name, found in (await gateway.read_many({n: s for n, s in ranges.items() if not s.complete})).items():
        rows[name].extend(found)
    return rows


async def read_by_ids(gateway: Gateway, name: str, ids: Iterable[int]) -> list[dict]:
    """Rows of one list by ID, 50 to a command."""
    ids, kind = sorted(set(ids)), LISTS[name]
    specs = {}
    for i in range(0, len(ids), PAGE):
        specs |= kind.specs(f"{name}.{i}", {f"@{kind.id_key}": ids[i:i + PAGE]}, lambda _: (1, None))
    found = await gateway.read_many(specs) if specs else {}
    return [row for i in range(0, len(ids), PAGE) for row in kind.joined(f"{name}.{i}", found)]


def _ranges(name: str, top: int, rows: int | None = None) -> list[dict]:
    """ID filters up to `top` of about one batch of pages each, for `rows` spread evenly
    over them (None: every ID up to `top` taken)."""
    key = LISTS[name].id_key
    parts = max(1, -(-(top if rows is None else rows) // (PAGE * MAX_BATCH)))
    step = -(-top // parts) if top else 1
    filters = []
    for i in range(parts):
        bounds: dict = {}
        if i:
            bounds[f">={key}"] = i * step + 1
        if i + 1 < parts:
            bounds[f"<{key}"] = (i + 1) * step + 1
        filters.append(bounds)
    return filters


# --- the ladder's own alarms ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class OpenAlarm:
    alarm: Alarm
    key: Ref
    responsible: int


@dataclass
class Alarms:
    by_client: dict[Ref, OpenAlarm] = field(default_factory=dict)
    """The lowest-ID alarm of each client: the one that stays."""
    extra: list[OpenAlarm] = field(default_factory=list)
    """Any other (two passes created one at the same moment): to delete."""


async def read_alarms(gateway: Gateway, tz: timezone, flt: Mapping | None = None) -> Alarms:
    """The open to-dos the ladder made (found by the tag at the end of their description)."""
    spec = ListSpec("crm.activity.list", {
        "select": ["ID", "OWNER_TYPE_ID", "OWNER_ID", "DEADLINE", "CREATED", "RESPONSIBLE_ID", "DESCRIPTION"],
        "filter": {"PROVIDER_ID": TODO_PROVIDER, "COMPLETED": "N", **(flt or {})}}, "ID", False)
    found = Alarms()
    for raw in (await gateway.read_many({"alarms": spec}))["alarms"]:
        alarm = parse_alarm(raw, tz)
        if alarm is None:
            continue
        if alarm.key in found.by_client:
            found.extra.append(alarm)
        else:
            found.by_client[alarm.key] = alarm
    return found


def parse_alarm(raw: Mapping, tz: timezone) -> OpenAlarm | None:
    text = str(raw.get("DESCRIPTION") or "")
    at = text.rfind(ALARM_TAG)
    if at < 0:
        return None
    status = text[at + len(ALARM_TAG):].lstrip(":").split("]", 1)[0]
    owner = {CONTACT: TYPE_IDS[CONTACT], COMPANY: TYPE_IDS[COMPANY]}
    entity = next((e for e, t in owner.items() if str(raw.get("OWNER_TYPE_ID")) == str(t)), None)
    deadline = portal_date(raw.get("DEADLINE"), tz)
    created = portal_date(raw.get("CREATED"), tz)
    if entity is None or status not in STATUSES or deadline is None or created is None:
        return None
    return OpenAlarm(Alarm(int(raw["ID"]), deadline, status, created), (entity, int(raw["OWNER_ID"])),
                     records.ref_id(raw.get("RESPONSIBLE_ID")) or 0)


# --- people -----------------------------------------------------------------------------------

@dataclass
class People:
    names: dict[int, str]
    heads: dict[int, int]
    """User → the head of their department, walked up past departments they head themselves."""


async def read_people(gateway: Gateway) -> People:
    """Every user and department (department.get's `UF_HEAD` is an int when set, may be a
    string, and is absent when empty; a head who is the user, or none, means the parent's)."""
    users = await _pages(gateway, "user.get", {"FILTER": {"ACTIVE": True}})
    departments = await _pages(gateway, "department.get", {})
    parent = {str(d["ID"]): str(d.get("PARENT") or "") for d in departments}
    head = {str(d["ID"]): records.ref_id(d.get("UF_HEAD")) for d in departments}
    names, heads = {}, {}
    for user in users:
        uid = int(user["ID"])
        names[uid] = " ".join(str(user.get(k) or "") for k in ("NAME", "LAST_NAME")).strip() or f"#{uid}"
        dept = str((user.get("UF_DEPARTMENT") or [""])[0])
        seen: set[str] = set()
        while dept and dept not in seen:
            seen.add(dept)
            if head.get(dept) not in (None, uid):
                heads[uid] = head[dept]
                break
            dept = parent.get(dept, "")
    return People(names, heads)


async def _pages(gateway: Gateway, method: str, params: dict) -> list[dict]:
    first = await gateway.call(method, params)
    rows = list(first.result or [])
    starts = list(range(PAGE, first.total or 0, PAGE))
    if starts:
        answer = await gateway.batch({f"p{s}": (method, {**params, "start": s}) for s in starts[:MAX_BATCH]})
        for s in starts[:MAX_BATCH]:
            rows.extend(answer.results.get(f"p{s}") or [])
    return rows


async def read_names(gateway: Gateway, refs: Iterable[Ref]) -> dict[Ref, str]:
    """What Bitrix24 shows as each client's name (a company's title, a contact's full name)."""
    by_entity: dict[Entity, list[int]] = defaultdict(list)
    for entity, rid in set(refs):
        by_entity[entity].append(rid)
    specs = {}
    for entity, ids in by_entity.items():
        ids.sort()
        select = ["id", "title"] if entity == COMPANY else ["id", "name", "secondName", "lastName"]
        for i in range(0, len(ids), PAGE):
            specs[f"{entity}.{i}"] = ListSpec("crm.item.list", {
                "entityTypeId": TYPE_IDS[entity], "select": select, "filter": {"@id": ids[i:i + PAGE]}},
                "id", True, pages=1)
    found = await gateway.read_many(specs) if specs else {}
    names: dict[Ref, str] = {}
    for key, rows in found.items():
        entity = COMPANY if key.startswith(COMPANY) else CONTACT
        for row in rows:
            keys = ("title",) if entity == COMPANY else ("name", "secondName", "lastName")
            words = [row.get(k) for k in keys]
            names[(entity, int(row["id"]))] = " ".join(str(w).strip() for w in words if w) or f"#{row['id']}"
    return names


async def portal_clock(gateway: Gateway) -> datetime:
    """The portal's clock and offset now, from an answer's `time.date_start`."""
    return datetime.fromisoformat((await gateway.call_raw("user.current"))["time"]["date_start"])
