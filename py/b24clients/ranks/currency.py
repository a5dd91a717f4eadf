"""Money in the portal's base currency, at today's `crm.currency.list` rates.

value in base = value × AMOUNT / AMOUNT_CNT (reference C.2).  The rates are
today's, not the payment day's: Bitrix24 keeps no history of them, so last
spring's dollar payment counts at today's dollar (the help must say so).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import CurrencyRate, Money


@dataclass(frozen=True, slots=True)
class Rates:
    base: str | None = None
    """The currency marked BASE = Y; None when no row says."""
    per_unit: Mapping[str, Decimal] = field(default_factory=dict)
    """Currency → how much of the base one unit is worth."""

    @classmethod
    def of(cls, rates: Iterable[CurrencyRate]) -> Rates:
        """The list repeats each currency once per language (LID): the first
        readable rate of a currency is its rate.  The base is worth 1 by
        definition, whatever its own row says (after a change of base the
        portal does not recompute the rates)."""
        rows = list(rates)
        base = next((r.code for r in rows if r.is_base), None)
        per_unit: dict[str, Decimal] = {}
        for row in rows:
            if row.per_unit is not None:
                per_unit.setdefault(row.code, row.per_unit)
        if base is not None:
            per_unit[base] = Decimal(1)
        return cls(base, per_unit)

    def in_base(self, money: Money) -> Decimal | None:
        """The amount in the base currency; None when its currency has no known rate.

        An amount that names no currency is in the base one: Bitrix24 gives a
        deal created without a currency the base currency.
        """
        if money.currency is None:
            return money.value
        per_unit = self.per_unit.get(money.currency)
        return None if per_unit is None else money.value * per_unit
