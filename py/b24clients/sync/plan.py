"""The read plan: every list the classification needs, and how to ask for it.

Only the fields needed are selected: the rules' and the client list's
(name, responsible, created, modified and last activity dates), the amounts and
currencies of deals and invoices the ranks weigh clients by (planning.md "Ranks"),
and the activities' kind, completion, deadline and responsible the Planning mode's
bands are made of (planning.md "Speed").  Contacts come through `crm.item.list`
because it returns `companyIds`, which the legacy list hides; smart invoices
too, for `parentId2`.  Companies and deals use the legacy lists, which spreads
the reads over three operating budgets: at 250k, crm.item.list alone would
need nearly three 10-minute windows before the numbers can appear.  (The
legacy deal list hides `contactIds`, but a deal's payment belongs to its main
contact, CONTACT_ID, which it gives.)  Every kind names the field its month
filter and its "modified since" filter use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def spec(self, filter_: dict, pages: int) -> ListSpec:
        params = {**self.params, "filter": filter_}
        return ListSpec(self.method, params, self.id_key, self.items, pages=pages)

    def light_spec(self, filter_: dict, pages: int = 2) -> ListSpec:
        """Only ID, modification time and author: enough to decide what to fetch in full."""
        params = {**self.params, "filter": filter_, "select": [self.id_key, self.modified, self.modified_by]}
        return ListSpec(self.method, params, self.id_key, self.items, pages=pages)

    def count_params(self) -> dict:
        """One counting page: `total` is every row this user may see."""
        return {**{k: v for k, v in self.params.items() if k != "select"}, "select": [self.id_key]}


KINDS: tuple[Kind, ...] = (
    Kind("contacts", "crm.item.list", {"entityTypeId": 3, "select": ["*"], "useOriginalUfNames": "Y"},
         "id", True, "createdTime", "updatedTime", "updatedBy"),
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
