"""The read plan: every list the classification needs, and how to ask for it.

Only the fields needed are selected: the rules' and the client list's
(name, responsible, created, modified and last activity dates), the amounts and
currencies of deals and invoices the ranks weigh clients by (planning.md "Ranks"),
and the activities' kind, completion, deadline and responsible the Planning mode's
bands are made of (planning.md "Speed").  Every kind names the field its month
filter and its "modified since" filter use.

**Which method reads what** spreads the reads over the portal's per-method
operating budgets (480 s each in any 10 minutes, sync.md).  Smart invoices
can only come through `crm.item.list` (with `parentId2`); contacts, companies
and deals use the legacy lists.  The legacy contact list hides the companies
a contact is linked to besides its main one (`companyIds`), so those come
beside it from `crm.item.list`, for the contacts that have a main company at
all (`CONTACT_COMPANIES`): at 250k, reading every contact through crm.item.list put 606 s
on that one method, and the numbers waited out a whole window (docs/sync.md,
"250k").  The legacy deal list hides `contactIds` too, but a deal's payment
belongs to its main contact, CONTACT_ID, which it gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..records import ref_id
from ..rest.gateway import ListSpec
from .fields import UF_NAMES


ACTIVITY_SELECT = ["ID", "OWNER_TYPE_ID", "OWNER_ID", "BINDINGS", "TYPE_ID", "PROVIDER_ID", "COMPLETED", "STATUS",
                   "DEADLINE", "RESPONSIBLE_ID", "AUTHOR_ID", "CREATED", "LAST_UPDATED"]
"""An activity's owners (the rules' dialogs) and what its touch and band need
(`records.activity`): kind, completion, deadline, who, and when it was last changed."""


@dataclass(frozen=True)
class Kind:
    name: str
    method: str
    params: dict = field(hash=False)
    id_key: str
    items: bool
    created: str
    modified: str | None
    """None when the list has no modification time (requisites): deletions and
    changes are then found by counting."""
    modified_by: str | None = None
    """Who changed it last: lets a run tell its own write-back from anyone else's edit."""
    links: Links | None = None
    """What this kind's method leaves out, read beside it (`Links`)."""
    where: dict = field(default_factory=dict, hash=False)
    """A filter every read of this kind adds to its own."""

    def spec(self, filter_: dict, pages: int, rows: int | None = None) -> ListSpec:
        """`rows`: how many the filter holds, when counted (`ListSpec.rows`)."""
        params = {**self.params, "filter": {**self.where, **filter_}}
        return ListSpec(self.method, params, self.id_key, self.items, pages=pages, rows=rows)

    def light_spec(self, filter_: dict, pages: int = 2) -> ListSpec:
        """Only ID, modification time and author: enough to decide what to fetch in full."""
        params = {**self.params, "filter": {**self.where, **filter_},
                  "select": [self.id_key, self.modified, self.modified_by]}
        return ListSpec(self.method, params, self.id_key, self.items, pages=pages)

    def count_params(self, filter_: dict | None = None) -> dict:
        """One counting page: `total` is every row this user may see (of `filter_`)."""
        params = {**{k: v for k, v in self.params.items() if k != "select"}, "select": [self.id_key]}
        if filter_ or self.where:
            params["filter"] = {**self.where, **(filter_ or {})}
        return params

    def specs(self, name: str, filter_: dict, sizes: Callable[[bool], tuple[int, int | None]]) -> dict[str, ListSpec]:
        """This kind's rows of `filter_` under `name`, and its `links` under `name + LINKED`;
        `sizes(linked)`: each chain's first pages and its counted rows (None: not counted)."""
        specs = {name: self.spec(filter_, *sizes(False))}
        if self.links:
            specs[name + LINKED] = self.links.spec(filter_, *sizes(True))
        return specs

    def joined(self, name: str, rows: Mapping[str, list[dict]]) -> list[dict]:
        """The rows read under `name` (`specs`), with their `links` copied on."""
        own = rows.get(name, [])
        return self.links.join(self, own, rows.get(name + LINKED, [])) if self.links else own


@dataclass(frozen=True)
class Links:
    """Fields a kind's own method does not give, read from a second list (`of`) in the
    same request as the rows they belong to, and copied onto them by ID (`join`).
    `names`: how `of` spells the fields a kind's filters use."""

    of: Kind
    fields: tuple[str, ...]
    names: dict = field(hash=False)

    def spec(self, filter_: dict, pages: int, rows: int | None = None) -> ListSpec:
        return self.of.spec(self.translate(filter_), pages, rows)

    def count_params(self, filter_: dict) -> dict:
        return self.of.count_params(self.translate(filter_))

    def translate(self, filter_: dict) -> dict:
        """A kind's filter in `of`'s names, each key's operator kept."""
        out = {}
        for key, value in filter_.items():
            name = key.lstrip("=!<>@%")
            out[key[:len(key) - len(name)] + self.names.get(name, name)] = value
        return out

    def join(self, kind: Kind, rows: list[dict], linked: list[dict]) -> list[dict]:
        """`rows` with the fields of their `linked` row (same ID); a row without one has none
        (for contacts: no company besides the main one, or none at all)."""
        found = {}
        for row in linked:
            rid = ref_id(row.get(self.of.id_key)) if isinstance(row, dict) else None
            if rid is not None:
                found[rid] = row
        joined = []
        for row in rows:
            other = found.get(ref_id(row.get(kind.id_key))) if isinstance(row, dict) else None
            joined.append({**row, **{name: other.get(name) for name in self.fields}} if other else row)
        return joined


LINKED = "+links"
"""The name a kind's `Links` are read under: `<name>+links`."""


CONTACT_COMPANIES = Links(Kind("contact_companies", "crm.item.list", {"entityTypeId": 3, "select": ["id", "companyIds"]},
                                "id", True, "createdTime", "updatedTime", where={">companyId": 0}),
                           ("companyIds",), {"ID": "id", "DATE_CREATE": "createdTime", "DATE_MODIFY": "updatedTime",
                                             "ASSIGNED_BY_ID": "assignedById"})
"""Every company a contact is linked to, for the contacts with a main company (COMPANY_ID,
"Main company of the contact"): one without is taken to have none (docs/sync.md, "What is
read": an assumption to check on a real portal)."""

KINDS: tuple[Kind, ...] = (
    Kind("contacts", "crm.contact.list",
         {"select": ["ID", "NAME", "SECOND_NAME", "LAST_NAME", "COMPANY_ID", "ASSIGNED_BY_ID", "PHONE", "EMAIL", "WEB",
                     "IM", "HAS_PHONE", "HAS_EMAIL", "HAS_IMOL", "DATE_CREATE", "DATE_MODIFY", "MODIFY_BY_ID",
                     "LAST_ACTIVITY_TIME", "LAST_COMMUNICATION_TIME", *UF_NAMES]},
         "ID", False, "DATE_CREATE", "DATE_MODIFY", "MODIFY_BY_ID", links=CONTACT_COMPANIES),
    Kind("companies", "crm.company.list",
         {"select": ["ID", "TITLE", "ASSIGNED_BY_ID", "IS_MY_COMPANY", "PHONE", "EMAIL", "WEB", "IM", "HAS_PHONE",
                     "HAS_EMAIL", "HAS_IMOL", "DATE_CREATE", "DATE_MODIFY", "LAST_ACTIVITY_TIME", *UF_NAMES]},
         "ID", False, "DATE_CREATE", "DATE_MODIFY", "MODIFY_BY_ID"),
    Kind("deals", "crm.deal.list",
         {"select": ["ID", "COMPANY_ID", "CONTACT_ID", "STAGE_ID", "STAGE_SEMANTIC_ID", "CATEGORY_ID", "CLOSEDATE",
                     "MOVED_TIME", "DATE_MODIFY", "DATE_CREATE", "OPPORTUNITY", "CURRENCY_ID"]},
         "ID", False, "DATE_CREATE", "DATE_MODIFY"),
    Kind("invoices", "crm.item.list",
         {"entityTypeId": 31, "select": ["id", "companyId", "contactId", "contactIds", "parentId2", "stageId",
                                         "categoryId", "movedTime", "updatedTime", "createdTime",
                                         "opportunity", "currencyId"]},
         "id", True, "createdTime", "updatedTime"),
    Kind("legacy_invoices", "crm.invoice.list",
         {"select": ["ID", "STATUS_ID", "PAY_VOUCHER_DATE", "DATE_PAYED", "DATE_UPDATE", "DATE_INSERT",
                     "UF_DEAL_ID", "UF_COMPANY_ID", "UF_CONTACT_ID", "PRICE", "CURRENCY"]},
         "ID", False, "DATE_INSERT", "DATE_UPDATE"),
    Kind("activities", "crm.activity.list", {"select": ACTIVITY_SELECT}, "ID", False, "CREATED", "LAST_UPDATED"),
    Kind("requisites", "crm.requisite.list", {"select": ["ID", "ENTITY_TYPE_ID", "ENTITY_ID"]},
         "ID", False, "DATE_CREATE", None),
)
