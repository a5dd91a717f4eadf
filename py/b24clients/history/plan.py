"""The read plan of one client's history (history.md "Speed"), as data a gateway executes.

Three steps; each needs IDs the one before found, and each is a handful of
lists that share batches:

1. **the set**: the client's bindings (`crm.company.contact.items.get` or
   `crm.contact.company.items.get`) and the stage directory;
2. **the items**: deals and smart invoices through `crm.item.list` with
   `contactIds` (a contact in any role — never the legacy `CONTACT_ID` deal
   filter, which only finds the primary contact) and `@companyId`; legacy
   invoices by `UF_CONTACT_ID` / `UF_COMPANY_ID`;
3. **around them**: the invoices of the deals found (`parentId2`,
   `UF_DEAL_ID`), activities by several `BINDINGS` pairs per list, documents
   per owner type by `@entityId`, comments per record (`crm.timeline.comment.list`
   requires both ENTITY_TYPE and ENTITY_ID);
4. **late invoices**, only when step 3 found invoices that name no client of
   the set, just one of its deals: their activities and documents.

Every list is read as chained ID windows, as `rest.gateway.ListSpec` reads
them (order by the ID, `>ID` on the previous window's last row, `start=-1`);
a Request says where its rows sit in the answer.  Long ID lists are cut into
CHUNK-sized filters: no limit is documented for `BINDINGS`, `contactIds` or
`@` filters (next-features.md §A.5 suggests about 50).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..model import COMPANY as COMPANY_ENTITY
from ..model import Ref
from .links import COMPANY, CONTACT, DEAL, LEGACY_INVOICE, SMART_INVOICE, Link
from .scope import ClientSet

CHUNK = 50

DEAL_SELECT = ["id", "title", "stageId", "stageSemanticId", "categoryId", "opportunity", "currencyId", "companyId",
               "contactId", "contactIds", "assignedById", "createdBy", "createdTime", "closedate", "movedTime",
               "updatedTime"]
INVOICE_SELECT = ["id", "title", "accountNumber", "stageId", "categoryId", "opportunity", "currencyId", "companyId",
                  "contactId", "contactIds", "parentId2", "assignedById", "createdBy", "createdTime", "closedate",
                  "movedTime", "updatedTime"]
LEGACY_INVOICE_SELECT = ["ID", "ACCOUNT_NUMBER", "ORDER_TOPIC", "STATUS_ID", "PAYED", "PRICE", "CURRENCY",
                         "RESPONSIBLE_ID", "CREATED_BY", "DATE_INSERT", "DATE_BILL", "DATE_PAY_BEFORE",
                         "PAY_VOUCHER_DATE", "DATE_PAYED", "DATE_STATUS", "DATE_MARKED", "DATE_UPDATE", "UF_DEAL_ID",
                         "UF_COMPANY_ID", "UF_CONTACT_ID"]
ACTIVITY_SELECT = ["ID", "OWNER_TYPE_ID", "OWNER_ID", "BINDINGS", "TYPE_ID", "PROVIDER_ID", "SUBJECT", "COMPLETED",
                   "STATUS", "AUTHOR_ID", "RESPONSIBLE_ID", "CREATED", "LAST_UPDATED", "START_TIME", "END_TIME",
                   "DEADLINE"]
DOCUMENT_SELECT = ["id", "title", "number", "entityTypeId", "entityId", "createTime", "createdBy"]
COMMENT_SELECT = ["ID", "CREATED", "ENTITY_ID", "ENTITY_TYPE", "AUTHOR_ID", "COMMENT"]
COMMENT_TYPES = {DEAL: "deal", CONTACT: "contact", COMPANY: "company"}
"""The documented `ENTITY_TYPE` values among the set's records; invoices have none (docs/history.md)."""


@dataclass(frozen=True, slots=True)
class Request:
    source: str
    """The `build.Fetched` field its rows go to."""
    method: str
    params: Mapping[str, object] = field(hash=False)
    id_key: str | None = "ID"
    """The ID the windows chain on; None for a single call that is not a list."""
    rows_key: str | None = None
    """Where the rows are in a result: "items" (crm.item.list), "documents"; None when the result is the list."""


def set_step(client: Ref) -> tuple[Request, ...]:
    """The client's bindings and the stage directory (one call each, as the sync engine reads it)."""
    entity, record_id = client
    method = "crm.company.contact.items.get" if entity == COMPANY_ENTITY else "crm.contact.company.items.get"
    return (Request("bindings", method, {"id": record_id}, id_key=None),
            Request("statuses", "crm.status.list", {"order": {"SORT": "ASC"}}, id_key=None))


def items_step(scope: ClientSet, legacy_invoices: bool = True) -> tuple[Request, ...]:
    """Deals and invoices of the set's contacts (any role) and owning companies."""
    filters: list[dict] = [{"contactIds": chunk} for chunk in _chunks(scope.contacts)]
    filters += [{"@companyId": chunk} for chunk in _chunks(scope.owning_companies)]
    requests = [_item_list("deals", DEAL, DEAL_SELECT, f) for f in filters]
    requests += [_item_list("invoices", SMART_INVOICE, INVOICE_SELECT, f) for f in filters]
    if legacy_invoices:
        requests += [_legacy_list({"@UF_CONTACT_ID": chunk}) for chunk in _chunks(scope.contacts)]
        requests += [_legacy_list({"@UF_COMPANY_ID": chunk}) for chunk in _chunks(scope.owning_companies)]
    return tuple(requests)


def around_step(scope: ClientSet, records: Iterable[Link], legacy_invoices: bool = True) -> tuple[Request, ...]:
    """What hangs off the set and the deals and invoices found in step 2 (`records`:
    the `Item.link` of a history built from steps 1–2)."""
    found = set(records)
    deals = _ids(found, DEAL)
    requests = [_item_list("invoices", SMART_INVOICE, INVOICE_SELECT, {"@parentId2": chunk})
                for chunk in _chunks(deals)]
    if legacy_invoices:
        requests += [_legacy_list({"@UF_DEAL_ID": chunk}) for chunk in _chunks(deals)]
    owners = scope.owners | {link for link in found if link[0] in (DEAL, SMART_INVOICE, LEGACY_INVOICE)}
    requests += _activities(owners)
    for kind, ids in ((DEAL, deals), (SMART_INVOICE, _ids(found, SMART_INVOICE)), (CONTACT, scope.contacts),
                      (COMPANY, scope.owning_companies)):
        requests += _documents(kind, ids)
    commented = [(CONTACT, c) for c in sorted(scope.contacts)]
    commented += [(COMPANY, c) for c in sorted(scope.owning_companies)] + [(DEAL, d) for d in deals]
    requests += [Request("comments", "crm.timeline.comment.list",
                         {"filter": {"ENTITY_TYPE": COMMENT_TYPES[kind], "ENTITY_ID": record},
                          "select": COMMENT_SELECT})
                 for kind, record in commented]
    return tuple(requests)


def late_step(invoices: Iterable[Link]) -> tuple[Request, ...]:
    """Activities and documents of invoices that step 3 found and step 2 had not (`invoices`:
    their links): an invoice naming no client of the set, only its deal, is part of the
    history and so is what hangs off it.  Usually there are none, and no request."""
    wanted = {link for link in invoices if link[0] in (SMART_INVOICE, LEGACY_INVOICE)}
    return (*_activities(wanted), *_documents(SMART_INVOICE, _ids(wanted, SMART_INVOICE)))


def _activities(owners: Iterable[Link]) -> list[Request]:
    return [Request("activities", "crm.activity.list",
                    {"filter": {"BINDINGS": [{"OWNER_TYPE_ID": kind, "OWNER_ID": record} for kind, record in chunk]},
                     "select": ACTIVITY_SELECT})
            for chunk in _chunks(owners)]


def _documents(kind: int, ids: Iterable[int]) -> list[Request]:
    return [Request("documents", "crm.documentgenerator.document.list",
                    {"filter": {"entityTypeId": kind, "@entityId": chunk}, "select": DOCUMENT_SELECT},
                    id_key="id", rows_key="documents")
            for chunk in _chunks(ids)]


def _item_list(source: str, entity_type: int, select: list[str], filter_: dict) -> Request:
    return Request(source, "crm.item.list", {"entityTypeId": entity_type, "filter": filter_, "select": select},
                   id_key="id", rows_key="items")


def _legacy_list(filter_: dict) -> Request:
    return Request("legacy_invoices", "crm.invoice.list", {"filter": filter_, "select": LEGACY_INVOICE_SELECT})


def _ids(links: set[Link], kind: int) -> list[int]:
    return sorted(record for entity_type, record in links if entity_type == kind)


def _chunks(values: Iterable) -> list[list]:
    ordered: Sequence = sorted(values)
    return [list(ordered[i:i + CHUNK]) for i in range(0, len(ordered), CHUNK)]
