"""Conversion to the base currency by crm.currency.list: value × AMOUNT / AMOUNT_CNT."""

from decimal import Decimal

from b24clients import records
from b24clients.model import Money
from b24clients.ranks import Rates

CURRENCY_LIST = [
    {"CURRENCY": "RUB", "AMOUNT_CNT": "1", "AMOUNT": "1.0000", "BASE": "Y", "LID": "ru"},
    {"CURRENCY": "USD", "AMOUNT_CNT": "1", "AMOUNT": "90.5000", "BASE": "N", "LID": "ru"},
    {"CURRENCY": "KZT", "AMOUNT_CNT": "100", "AMOUNT": "17.5000", "BASE": "N", "LID": "ru"},
    {"CURRENCY": "USD", "AMOUNT_CNT": "1", "AMOUNT": "90.5000", "BASE": "N", "LID": "en"},
    {"CURRENCY": "XTS", "AMOUNT_CNT": "0", "AMOUNT": "3", "BASE": "N"},
]


def rates(rows=CURRENCY_LIST) -> Rates:
    return Rates.of(r for r in map(records.currency_rate, rows) if r is not None)


def test_the_base_is_the_currency_marked_base():
    assert rates().base == "RUB"


def test_value_times_amount_over_nominal():
    assert rates().in_base(Money(Decimal(100), "USD")) == Decimal(9050)
    assert rates().in_base(Money(Decimal(1000), "KZT")) == Decimal(175)


def test_the_base_currency_is_worth_one_whatever_its_row_says():
    stale = [{"CURRENCY": "EUR", "AMOUNT_CNT": "1", "AMOUNT": "0.9", "BASE": "Y"}]
    assert rates(stale).in_base(Money(Decimal(10), "EUR")) == Decimal(10)


def test_an_amount_without_a_currency_is_in_the_base_one():
    assert rates().in_base(Money(Decimal(42))) == Decimal(42)
    assert Rates().in_base(Money(Decimal(42))) == Decimal(42)


def test_an_unknown_or_unreadable_currency_has_no_value_not_zero():
    assert rates().in_base(Money(Decimal(5), "GBP")) is None
    assert rates().in_base(Money(Decimal(5), "XTS")) is None


def test_a_currency_listed_once_per_language_takes_its_first_readable_rate():
    rows = [{"CURRENCY": "USD", "AMOUNT_CNT": "1", "AMOUNT": "", "LID": "de"},
            {"CURRENCY": "USD", "AMOUNT_CNT": "1", "AMOUNT": "91", "LID": "ru"},
            {"CURRENCY": "USD", "AMOUNT_CNT": "1", "AMOUNT": "92", "LID": "en"}]
    assert rates(rows).in_base(Money(Decimal(1), "USD")) == Decimal(91)
    assert rates(rows).base is None
