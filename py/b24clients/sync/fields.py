"""Our user fields on contacts and on companies: the eight of rules.md §6 and
the ninth, "Rank (Clients)" (planning.md "Ranks").

Created at install with Russian and English labels; enumeration values are
written by list item ID, so the item IDs are looked up by XML_ID.  The rank
is not a ClientRow attribute (the classification knows nothing of money):
the write-back takes it from the ranks the engine computed beside the rows.
"""

from __future__ import annotations

from dataclasses import dataclass

LIFECYCLE_LABELS = {
    "active": ("Активный", "Active"), "sleeping": ("Спящий", "Sleeping"), "lost": ("Потерянный", "Lost"),
    "with_requests": ("С обращениями", "With requests"), "with_dialogs": ("С диалогами", "With dialogs"),
    "with_contacts": ("С контактными данными", "With contact details"),
    "without_contacts": ("Без контактных данных", "Without contact details"),
}
TYPE_LABELS = {"b2b": ("B2B", "B2B"), "b2c": ("B2C", "B2C"),
               "company_contact": ("Контакт компании", "Contact of company")}
FREQUENCY_LABELS = {"regular": ("Постоянный клиент", "Regular client"),
                    "first_purchase": ("Первая покупка", "First purchase"),
                    "no_payments": ("Нет оплат", "No payments")}

RANK_LABELS = {"A": ("A", "A"), "B": ("B", "B"), "C": ("C", "C"), "N": ("N (нет выручки)", "N (no revenue)")}
RANK = "rank"
"""The key of the ninth field: not a ClientRow attribute (see above)."""


@dataclass(frozen=True)
class Field:
    key: str
    """The ClientRow attribute it holds (RANK: the client's rank)."""
    name: str
    type: str
    labels: tuple[str, str]
    """(Russian, English)."""
    items: dict | None = None
    """Enumeration: value → (Russian, English); its XML_ID is the value."""


FIELDS: tuple[Field, ...] = (
    Field("parent_company_id", "UF_CRM_B24C_PARENT", "crm", ("Родительская компания", "Parent company")),
    Field("lifecycle", "UF_CRM_B24C_LIFECYCLE", "enumeration", ("Жизненный цикл", "Lifecycle"), LIFECYCLE_LABELS),
    Field("client_type", "UF_CRM_B24C_TYPE", "enumeration", ("Тип клиента", "Client type"), TYPE_LABELS),
    Field("frequency", "UF_CRM_B24C_FREQUENCY", "enumeration", ("Частота продаж", "Sales frequency"),
          FREQUENCY_LABELS),
    Field("last_payment", "UF_CRM_B24C_LAST_PAYMENT", "date", ("Дата последней оплаты", "Last payment date")),
    Field("payments", "UF_CRM_B24C_PAYMENTS", "integer", ("Количество оплат", "Payment count")),
    Field("has_dialogs", "UF_CRM_B24C_DIALOGS", "boolean", ("Есть диалоги", "Has dialogs")),
    Field("has_contact_data", "UF_CRM_B24C_CONTACT_DATA", "boolean", ("Есть контактные данные", "Has contact data")),
    Field(RANK, "UF_CRM_B24C_RANK", "enumeration", ("Ранг (Клиенты)", "Rank (Clients)"), RANK_LABELS),
)
UF_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)


def item_name(name: str) -> str:
    """UF_CRM_B24C_LIFECYCLE → ufCrmB24cLifecycle: how crm.item.* spells a user field."""
    head, *parts = name.lower().split("_")
    return head + "".join(part.capitalize() for part in parts)
