"""Links between CRM records, in Bitrix24's own numbering, and where each one opens.

A history row is bound to records of several types (a call to a contact and
its deal), so a link is the pair the REST API itself uses everywhere
(`OWNER_TYPE_ID`/`OWNER_ID`, `entityTypeId`/`entityId`): (2, 12) is deal 12.
"""

from __future__ import annotations

from collections.abc import Iterable

DEAL = 2
CONTACT = 3
COMPANY = 4
LEGACY_INVOICE = 5
SMART_INVOICE = 31

Link = tuple[int, int]
"""(entity type ID, record ID): (2, 12) is deal 12, (31, 7) smart invoice 7."""

ENTITY_NAMES = {DEAL: "deal", CONTACT: "contact", COMPANY: "company", LEGACY_INVOICE: "legacy_invoice",
                SMART_INVOICE: "invoice"}
"""The record types a history row can be bound to; any other type is not part of a client's set."""

LINK_ORDER = {DEAL: 0, SMART_INVOICE: 1, LEGACY_INVOICE: 2, CONTACT: 3, COMPANY: 4}
"""How a row's links are listed: the most specific record first (a deal tells more than its contact)."""

_PATHS = {
    DEAL: "/crm/deal/details/{id}/",
    CONTACT: "/crm/contact/details/{id}/",
    COMPANY: "/crm/company/details/{id}/",
    SMART_INVOICE: "/crm/type/31/details/{id}/",
    LEGACY_INVOICE: "/crm/invoice/show/{id}/",
}


def crm_path(link: Link) -> str:
    """The portal path of a record's card (for `BX24.openPath`), "" for a type without one."""
    template = _PATHS.get(link[0])
    return template.format(id=link[1]) if template else ""


def ordered(links: Iterable[Link]) -> tuple[Link, ...]:
    """Links in LINK_ORDER, then by ID: the same order however they were found."""
    return tuple(sorted(links, key=lambda link: (LINK_ORDER.get(link[0], len(LINK_ORDER)), link[1])))
