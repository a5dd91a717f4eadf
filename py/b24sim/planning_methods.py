"""What key-client planning reads that no other feature did (issue 14; spec/planning.md):
the portal's currencies.

- `crm.currency.list {order?}` → every currency, one row each, localised for the
  portal's language (`LID`): `CURRENCY, AMOUNT_CNT, AMOUNT, SORT, BASE, FULL_NAME,
  LID, FORMAT_STRING, DEC_POINT, THOUSANDS_SEP, DECIMALS, DATE_UPDATE`, all
  strings as the docs print them; `total` is always 0 and there is no `next`
  (DOCS crm-currency-list.md: "Currently always has a value of 0").
- `crm.currency.get {id}` → the same row plus `LANG` (every language's
  `FORMAT_STRING, FULL_NAME, DEC_POINT, THOUSANDS_SEP, DECIMALS, THOUSANDS_VARIANT,
  HIDE_ZERO`); an unknown code is 400 `""` "Not found" (DOCS crm-currency-get.md).
- `crm.currency.base.get` → the base currency's code; `crm.currency.fields` →
  the field descriptions of DOCS crm-currency-fields.md.

Value in the base currency = amount × AMOUNT / AMOUNT_CNT (reference C.2).
Who may: any user with CRM access.  The docs say "any user with access to CRM
settings", but the core's check (`CCrmCurrency::CheckReadPermission` →
`CCrmPerms::HavePerm('CONFIG', …, 'READ')`) is "always true" for reading, behind
the crm scope's own `IsAccessEnabled` ("Access denied." for a user with no CRM
at all).  `base.get` is "any user" in the docs and here.

A snapshot without a `currencies` collection gets the generator's default set
for its language (RUB and five others on a Russian portal, USD and five others
otherwise): every portal has at least its base currency.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from . import planning, query
from .methods import _require_crm, method
from .portal import Answer, RestError, _param

LIST_FIELDS = ("CURRENCY", "AMOUNT_CNT", "AMOUNT", "SORT", "BASE", "FULL_NAME", "LID", "FORMAT_STRING", "DEC_POINT",
               "THOUSANDS_SEP", "DECIMALS", "DATE_UPDATE")
LOCALISED = ("FORMAT_STRING", "FULL_NAME", "DEC_POINT", "THOUSANDS_SEP", "DECIMALS")
ORDER_FIELDS = {"CURRENCY", "AMOUNT_CNT", "AMOUNT", "SORT", "BASE", "DATE_UPDATE"}
FIELDS = {
    "CURRENCY": ("string", False, "Currency"), "AMOUNT_CNT": ("int", False, "Face value"),
    "AMOUNT": ("double", False, "Exchange rate"), "BASE": ("char", True, "Base currency"),
    "SORT": ("int", False, "Sorting"), "DATE_UPDATE": ("datetime", True, "Date modified"),
    "LID": ("string", True, "Website"), "FORMAT_STRING": ("string", True, "Currency output format string"),
    "FULL_NAME": ("string", True, "Name"), "DEC_POINT": ("string", True, "Decimal point for output"),
    "THOUSANDS_SEP": ("string", True, "Custom thousands separator for output"),
    "DECIMALS": ("int", True, "Number of decimal places"), "LANG": ("currency_localization", False, "Language binding"),
}
"""DOCS crm-currency-fields.md: type, read-only, title (LANG is the one multiple field)."""


def currencies(portal) -> list[dict]:
    """The portal's currency rows (the snapshot's, else the default set for its language)."""
    rows = portal.data.get("currencies")
    if rows is None:
        lang = str((portal.data.get("portal") or {}).get("lang") or "ru")
        rows = portal.data["currencies"] = planning.currency_rows("ru" if lang == "ru" else "en")
    return rows


def _localised(portal, row: Mapping) -> dict:
    """A row as the list gives it: the portal language's settings (`LID`), no LANG map.  A row
    pasted from a real list (with its own FULL_NAME and LID) is given back as it is."""
    lang = str((portal.data.get("portal") or {}).get("lang") or "ru")
    langs = row.get("LANG") if isinstance(row.get("LANG"), Mapping) else {}
    local = langs.get(lang) or next(iter(langs.values()), {})
    out = {}
    for name in LIST_FIELDS:
        if name in row:
            out[name] = row[name]
        elif name in LOCALISED:
            out[name] = local.get(name)
        elif name == "LID":
            out[name] = lang
        else:
            out[name] = None
    return out


@method("crm.currency.list")
def currency_list(portal, caller, params):
    """`{order?}` → every currency (no filter, select or paging: DOCS)."""
    _require_crm(caller)
    order = _param(params, "order")
    if order not in (None, "", []) and not isinstance(order, Mapping):
        raise RestError(400, "", "Parameter 'order' must be array.")
    wanted = {str(k).upper(): v for k, v in (order or {}).items() if str(k).upper() in ORDER_FIELDS}
    rows = [_localised(portal, row) for row in currencies(portal)]
    rows = query.sort_rows(rows, wanted or {"SORT": "ASC"}, default="SORT")
    return Answer(rows, portal.costs.list_page(None), total=0)


def _find(portal, params) -> dict:
    code = params.get("id", params.get("ID"))
    if not isinstance(code, str) or not code.strip():
        raise RestError(400, "", "ID is not defined or invalid.")
    row = next((r for r in currencies(portal) if str(r.get("CURRENCY")).upper() == code.strip().upper()), None)
    if row is None:
        raise RestError(400, "", "Not found")
    return row


@method("crm.currency.get")
def currency_get(portal, caller, params):
    """`{id}` ("USD", any case) → the list row plus LANG."""
    _require_crm(caller)
    row = _find(portal, params)
    out = _localised(portal, row)
    out["LANG"] = copy.deepcopy(row.get("LANG") or {})
    return Answer(out, portal.costs.get_s)


@method("crm.currency.base.get")
def currency_base_get(portal, caller, params):
    """→ the base currency's code (DOCS: any user)."""
    base = next((r for r in currencies(portal) if r.get("BASE") == "Y"), None)
    return Answer(str(base["CURRENCY"]) if base else "", portal.costs.other_s)


@method("crm.currency.fields")
def currency_fields(portal, caller, params):
    _require_crm(caller)
    return Answer({name: {"type": kind, "isRequired": False, "isReadOnly": read_only, "isImmutable": False,
                          "isMultiple": name == "LANG", "isDynamic": False, "title": title}
                   for name, (kind, read_only, title) in FIELDS.items()}, portal.costs.other_s)
