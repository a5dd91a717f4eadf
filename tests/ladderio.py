"""A small simulated portal for the ladder's passes, and the people who work in it.

Users: 1 Anna (admin, sees and edits all), 2 Boris and 3 Vera (managers who
see and edit only their own records), 5 Dina (reads all, edits all: a
colleague), 6 Elena (reads all, edits only her own), 7 Oleg (admin too).
Departments: HQ (1, head 1) > Sales (2, head "5": a string, as some portals
answer) > Key accounts (3, no head): Boris and Vera are in Key accounts, so
their head is Dina (walking up); Dina heads Sales, so hers is Anna.

Companies 10… and B2C contacts 20… are created on 2025-01-10 and belong to
Boris or Vera in turn.  The portal's clock starts on Monday 2026-11-23 at
09:00 (+03:00); `people` make calls, to-dos, deals and status changes at the
portal's current moment, as the CRM would record them.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone

from b24clients.ladder import LadderSettings, StartProposal, StartRow, from_json, to_json
from b24clients.rest.gateway import Gateway
from b24clients.sync.ladder.fields import SINCE, STATUS
from b24clients.sync.ladder.install import install_ladder
from b24clients.sync.ladder.start import confirm_start
from b24sim.portal import Portal
from b24sim.transport import InProcessTransport, VirtualTime

ADMIN, BORIS, VERA, DINA, ELENA, OLEG = 1, 2, 3, 5, 6, 7
TZ = timezone(timedelta(hours=3))
START = date(2026, 11, 23)
CREATED = "2025-01-10T10:00:00+03:00"

USERS = [
    {"ID": "1", "NAME": "Anna", "LAST_NAME": "Admin", "UF_DEPARTMENT": [1], "ADMIN": True, "CRM_ACCESS": "all"},
    {"ID": "2", "NAME": "Boris", "LAST_NAME": "Own", "UF_DEPARTMENT": [3], "CRM_ACCESS": "own"},
    {"ID": "3", "NAME": "Vera", "LAST_NAME": "Own", "UF_DEPARTMENT": [3], "CRM_ACCESS": "own"},
    {"ID": "5", "NAME": "Dina", "LAST_NAME": "Colleague", "UF_DEPARTMENT": [2], "CRM_ACCESS": "all"},
    {"ID": "6", "NAME": "Elena", "LAST_NAME": "Reader", "UF_DEPARTMENT": [3], "CRM_ACCESS": "all",
     "CRM_EDIT": "own"},
    {"ID": "7", "NAME": "Oleg", "LAST_NAME": "Admin", "UF_DEPARTMENT": [1], "ADMIN": True, "CRM_ACCESS": "all"},
]
DEPARTMENTS = [{"ID": "1", "NAME": "HQ", "SORT": 100, "UF_HEAD": 1},
               {"ID": "2", "NAME": "Sales", "SORT": 200, "PARENT": "1", "UF_HEAD": "5"},
               {"ID": "3", "NAME": "Key accounts", "SORT": 300, "PARENT": "2"}]


def portal(companies: int = 4, contacts: int = 2, managers=(BORIS, VERA)) -> Portal:
    data = {
        "format": "b24-snapshot/1",
        "portal": {"domain": "ladder.bitrix24.ru", "member_id": "ladder", "lang": "en", "utc_offset": "+03:00"},
        "users": [{"ACTIVE": True, "ADMIN": False, **u} for u in USERS],
        "departments": DEPARTMENTS,
        "companies": [{"ID": str(10 + i), "TITLE": f"Company {10 + i}",
                       "ASSIGNED_BY_ID": str(managers[i % len(managers)]),
                       "IS_MY_COMPANY": "N", "DATE_CREATE": CREATED, "DATE_MODIFY": CREATED, "MODIFY_BY_ID": "1"}
                      for i in range(companies)],
        "contacts": [{"ID": str(20 + i), "NAME": f"Person{20 + i}", "LAST_NAME": "B2C", "COMPANY_ID": None,
                      "ASSIGNED_BY_ID": str(managers[i % len(managers)]), "DATE_CREATE": CREATED,
                      "DATE_MODIFY": CREATED, "MODIFY_BY_ID": "1"} for i in range(contacts)],
        "statuses": [{"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "WON", "NAME": "Won", "SORT": "60", "SEMANTICS": "S"},
                     {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "LOSE", "NAME": "Lost", "SORT": "70", "SEMANTICS": "F"},
                     {"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "NEW", "NAME": "New", "SORT": "10"}],
    }
    return Portal(data, plan="off")


def gateway(p: Portal, user: int = ADMIN) -> Gateway:
    clock = VirtualTime(p.clock)
    return Gateway(InProcessTransport(p, clock, user_id=user), clock)


def run(coro):
    return asyncio.run(coro)


def setup(p: Portal, settings: LadderSettings = LadderSettings()) -> None:
    """Installed, with the ladder's settings saved (not started yet)."""
    p.app_options["ladder"] = to_json(settings)
    report = run(install_ladder(gateway(p), settings))
    assert report.installed, report


def now(p: Portal) -> str:
    return p.iso(p.clock.now())


def today(p: Portal) -> date:
    return p.date()


def status_field(p: Portal, entity: str) -> dict:
    return next(u for u in p.userfields if u["FIELD_NAME"] == STATUS and u["ENTITY_ID"] == f"CRM_{entity.upper()}")


class People:
    """What people do in the CRM, recorded as Bitrix24 records it."""

    def __init__(self, p: Portal) -> None:
        self.p = p
        self.next_activity = 1000
        self.next_deal = 500

    def item(self, entity: str, status: str) -> str:
        uf = status_field(self.p, entity)
        return next(i["ID"] for i in uf["LIST"] if i["XML_ID"] == status)

    def call(self, user: int, *owners: tuple[str, int], completed: bool = True) -> int:
        """A completed call bound to the owners ("company", 10), ("deal", 501)…"""
        return self._activity(user, owners, "VOXIMPLANT_CALL", "2", completed=completed)

    def email(self, user: int, *owners: tuple[str, int]) -> int:
        return self._activity(user, owners, "CRM_EMAIL", "4")

    def todo(self, user: int, owner: tuple[str, int], deadline: date) -> int:
        return self._activity(user, (owner,), "CRM_TODO", "6", completed=False,
                              deadline=f"{deadline.isoformat()}T18:00:00+03:00")

    def complete(self, activity: int) -> None:
        row = dict(self.p.tables["activities"].rows[activity])
        row.update(COMPLETED="Y", LAST_UPDATED=now(self.p))
        self.p.put_record("activities", row)

    def _activity(self, user: int, owners, provider: str, type_id: str, *, completed: bool = True,
                  deadline: str | None = None) -> int:
        self.next_activity += 1
        aid = self.next_activity
        types = {"contact": "3", "company": "4", "deal": "2"}
        bindings = [{"OWNER_TYPE_ID": types[e], "OWNER_ID": str(i)} for e, i in owners]
        moment = now(self.p)
        self.p.put_record("activities", {
            "ID": str(aid), "OWNER_TYPE_ID": bindings[0]["OWNER_TYPE_ID"], "OWNER_ID": bindings[0]["OWNER_ID"],
            "TYPE_ID": type_id, "PROVIDER_ID": provider, "SUBJECT": provider, "COMPLETED": "Y" if completed else "N",
            "CREATED": moment, "LAST_UPDATED": moment, "START_TIME": moment, "END_TIME": deadline or moment,
            "DEADLINE": deadline or moment, "AUTHOR_ID": str(user), "RESPONSIBLE_ID": str(user), "BINDINGS": bindings,
            "DESCRIPTION": ""})
        return aid

    def open_deal(self, user: int, company: int | None = None, contact: int | None = None,
                  category: int = 0) -> int:
        self.next_deal += 1
        did = self.next_deal
        moment = now(self.p)
        self.p.put_record("deals", {
            "ID": str(did), "TITLE": f"Deal {did}", "CATEGORY_ID": str(category), "STAGE_ID": "NEW",
            "STAGE_SEMANTIC_ID": "P", "CLOSED": "N", "COMPANY_ID": str(company or 0),
            "CONTACT_ID": str(contact) if contact else None, "CONTACT_IDS": [str(contact)] if contact else [],
            "ASSIGNED_BY_ID": str(user), "DATE_CREATE": moment, "DATE_MODIFY": moment, "MOVED_TIME": moment,
            "CLOSEDATE": (today(self.p) + timedelta(days=30)).isoformat() + "T00:00:00+03:00", "OPPORTUNITY": "100"})
        return did

    def close_deal(self, deal: int, won: bool) -> None:
        row = dict(self.p.tables["deals"].rows[deal])
        moment = now(self.p)
        row.update(STAGE_ID="WON" if won else "LOSE", STAGE_SEMANTIC_ID="S" if won else "F", CLOSED="Y",
                   CLOSEDATE=moment, MOVED_TIME=moment, DATE_MODIFY=moment)
        self.p.put_record("deals", row)

    def set_status(self, user: int, ref: tuple[str, int], status: str | None) -> None:
        """A person picks a status in the record's card (and leaves "since" as it was)."""
        entity, rid = ref
        value = self.item(entity, status) if status else ""
        reply = self.p.call(f"crm.{entity}.update", {"id": rid, "fields": {STATUS: value}},
                            auth=self.p.issue_token(user)["access_token"])
        assert reply.status == 200, reply.body

    def field(self, ref: tuple[str, int]) -> tuple[str | None, str | None]:
        """The two fields as the CRM holds them: (status XML_ID, since)."""
        entity, rid = ref
        row = self.p.tables["companies" if entity == "company" else "contacts"].rows[rid]
        uf = status_field(self.p, entity)
        status = next((i["XML_ID"] for i in uf["LIST"] if i["ID"] == row.get(STATUS)), None)
        since = row.get(SINCE)
        return status, (str(since)[:10] if since else None)


def travel_to(p: Portal, day: date, hour: int = 9) -> None:
    """The portal's clock at `day`, `hour` o'clock (or where it is, if calls have taken it past that)."""
    target = datetime(day.year, day.month, day.day, hour, tzinfo=TZ)
    if target.timestamp() > p.clock.now():
        p.travel(to=target)


def start(p: Portal, statuses: dict, *, since: date | None = None) -> None:
    """The admin confirms a starting point: each (entity, id) → status, since `since` (today)."""
    day = since or today(p)
    rows = tuple(StartRow(ref, status, day) for ref, status in sorted(statuses.items()))
    report = run(confirm_start(gateway(p), StartProposal(rows, {})))
    assert report.started, report


def settings_of(p: Portal) -> LadderSettings:
    return from_json(p.app_options["ladder"]).settings


def save_settings(p: Portal, settings: LadderSettings) -> None:
    p.app_options["ladder"] = to_json(settings)


def digests(p: Portal, user: int | None = None) -> list[dict]:
    """The digests sent (to `user`)."""
    return [n for n in p.notifications if n["tag"] == "ladder.digest" and (user is None or n["to"] == user)]


def member(p: Portal, contact: int, company: int, user: int) -> None:
    """A contact of `company`, responsible `user` (in "client" mode its history is the company's)."""
    p.put_record("contacts", {"ID": str(contact), "NAME": f"Person{contact}", "LAST_NAME": "Member",
                              "COMPANY_ID": str(company), "ASSIGNED_BY_ID": str(user), "DATE_CREATE": CREATED,
                              "DATE_MODIFY": CREATED, "MODIFY_BY_ID": "1"})
    p.bindings.append({"CONTACT_ID": str(contact), "COMPANY_ID": str(company), "IS_PRIMARY": "Y", "SORT": "10"})
    p.touch("contacts", contact)
