"""The list query language of Bitrix24 REST: filter prefixes, `logic: OR`, order, select.

Reference: bitrix24-rest.md §2.3 (filter prefixes), §2.4 (select).  Values
compare the way the portal's SQL does: IDs and numbers as numbers,
timestamps as moments, text case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone

Row = Mapping[str, object]
Predicate = Callable[[Row], bool]

# Longest prefixes first, so "!=%" is not read as "!" + "=%".
PREFIXES = ("!=%", "!%=", "!@", "!=", ">=", "<=", "=%", "%=", "!%", "@", ">", "<", "=", "!", "%")
MULTIFIELDS = ("PHONE", "EMAIL", "WEB", "IM", "LINK")


class QueryError(ValueError):
    """A filter or order the portal refuses (the method decides the error envelope)."""


def split_key(key: str) -> tuple[str, str]:
    """'>=DATE_CREATE' → ('>=', 'DATE_CREATE'); a bare key means equality."""
    for prefix in PREFIXES:
        if key.startswith(prefix):
            return prefix, key[len(prefix):]
    return "=", key


def compile_filter(spec: object, *, allow_logic: bool, tz: timezone) -> Predicate:
    """A predicate over rows for a REST `filter` (a dict; an empty list means no filter)."""
    if spec in (None, "", []):
        return lambda row: True
    if not isinstance(spec, Mapping):
        raise QueryError("Parameter 'filter' must be array.")
    logic = str(spec.get("logic", spec.get("LOGIC", "AND"))).upper()
    parts: list[Predicate] = []
    for key, value in spec.items():
        if str(key).upper() == "LOGIC":
            continue
        if isinstance(value, Mapping) and (str(key).isdigit() or "logic" in value or "LOGIC" in value):
            if not allow_logic:
                raise QueryError("Nested filters need crm.item.list")
            parts.append(compile_filter(value, allow_logic=True, tz=tz))
            continue
        op, name = split_key(str(key))
        parts.append(_condition(op, name, value, tz))
    if logic == "OR":
        return lambda row: any(p(row) for p in parts) if parts else True
    return lambda row: all(p(row) for p in parts)


def _condition(op: str, name: str, wanted: object, tz: timezone) -> Predicate:
    negate = op.startswith("!")
    core = op.lstrip("!") or "="
    if core in ("@", "="):
        wanted_list = list(wanted.values()) if isinstance(wanted, Mapping) else wanted
        targets = {comparable(flag(v), tz) for v in (wanted_list if isinstance(wanted_list, list) else [wanted])}
        test = lambda actual: comparable(flag(actual), tz) in targets  # noqa: E731
    elif core in ("%", "=%", "%="):
        pattern = _like(core, wanted)
        test = lambda actual: actual is not None and bool(pattern.search(str(actual)))  # noqa: E731
    else:
        test = _comparison(core, wanted, tz)

    def predicate(row: Row) -> bool:
        actual = row.get(name)
        if name in MULTIFIELDS or isinstance(actual, list):
            values = list_values(actual)
            hit = any(test(v) for v in values) if values else test(None)
        else:
            hit = test(actual)
        return hit != negate

    return predicate


def list_values(actual: object) -> list[object]:
    if not isinstance(actual, list):
        return [actual]
    return [v.get("VALUE") if isinstance(v, Mapping) else v for v in actual]


def _like(op: str, wanted: object) -> re.Pattern[str]:
    text = str(wanted)
    if op == "%":
        return re.compile(re.escape(text), re.IGNORECASE)
    parts = [re.escape(p) for p in text.split("%")]
    return re.compile("^" + ".*".join(parts) + "$", re.IGNORECASE | re.DOTALL)


def _comparison(op: str, wanted: object, tz: timezone) -> Callable[[object], bool]:
    if isinstance(wanted, (list, dict)):
        # An unresolved batch reference lands here as a whole structure
        # (see batch.py); such a condition matches nothing.
        return lambda actual: False
    limit = comparable(wanted, tz)
    compare = {">": lambda a: a > limit, ">=": lambda a: a >= limit,
               "<": lambda a: a < limit, "<=": lambda a: a <= limit}[op]

    def test(actual: object) -> bool:
        value = comparable(actual, tz)
        return value is not None and limit is not None and type(value) is type(limit) and compare(value)

    return test


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}")
_SITE_MOMENT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def moment(text: str, tz: timezone) -> datetime | None:
    """A date or datetime as the portal reads a filter value, or None.

    CRM lists turn a datetime filter value into a moment with PHP's `strtotime`
    (CRestUtil::unConvertDateTime): ISO 8601 with or without a time or an
    offset ("2026-09-01", "2026-09-01T10:00:00", "2026-09-01 10:00",
    "…+03:00", "…Z"), and the day-first site format "01.09.2026[ 10:00[:00]]".
    Without an offset the portal's own time zone applies; a date alone is its
    midnight.
    """
    text = text.strip()
    if _MOMENT.match(text):
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        match = _SITE_MOMENT.match(text)
        if match is None:
            return None
        day, month, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            parsed = datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def comparable(value: object, tz: timezone) -> object:
    """A number, an aware datetime, or lower-cased text; None for null/empty."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if _NUMBER.match(text):
        return float(text)
    if _MOMENT.match(text) or _SITE_MOMENT.match(text):
        parsed = moment(text, tz)
        return parsed if parsed is not None else text.lower()
    return text.lower()


def flag(value: object) -> object:
    """Equality as the portal sees it: "5" = 5, true = "Y", null = ""."""
    return ("Y" if value else "N") if isinstance(value, bool) else value


def sort_rows(rows: list[Row], order: object, *, default: str) -> list[Row]:
    """Stable sort by a REST `order` mapping ({"ID": "ASC"}); IDs sort as numbers."""
    if not isinstance(order, Mapping) or not order:
        order = {default: "ASC"}
    result = list(rows)
    for field, direction in reversed(list(order.items())):
        descending = str(direction).upper() == "DESC"
        result.sort(key=lambda row: _sort_key(row.get(field)), reverse=descending)
    return result


def _sort_key(value: object) -> tuple[int, object]:
    if value is None or value == "":
        return (0, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, float(value))
    text = str(value)
    if _NUMBER.match(text):
        return (1, float(text))
    return (2, text.lower())


def select_legacy(row: Row, select: object, *, uf_prefix: str = "UF_") -> dict:
    """Legacy `select`: default and '*' = every field except custom and multiple
    fields; 'UF_*' = custom fields; multifields only when named, and only when set."""
    names = _names(select) or ["*", "UF_*"]
    star, uf_star = "*" in names, "UF_*" in names
    out: dict = {}
    for key, value in row.items():
        is_uf = key.startswith(uf_prefix)
        is_multi = key in MULTIFIELDS
        wanted = key in names or key == "ID"
        if not wanted and not is_multi:
            wanted = (star and not is_uf) or (uf_star and is_uf)
        if wanted and not (is_multi and not value):
            out[key] = value
    return out


def select_item(row: Row, select: object) -> dict:
    """crm.item `select`: names or '*'; `id` always comes; `fm` only with '*'."""
    names = _names(select) or ["*"]
    if "*" in names:
        return dict(row)
    return {key: value for key, value in row.items() if key in names or key == "id"}


def _names(select: object) -> list[str]:
    if isinstance(select, Mapping):
        select = list(select.values())
    if isinstance(select, str):
        return [select]
    return [str(s) for s in select] if isinstance(select, Iterable) else []
