"""Words that agree with their numbers: "1 client", "2 clients"; "1 клиент",
"2 клиента", "5 клиентов", "21 клиент".

A string of strings.py whose text holds "|" has one form per plural
category of its language, in CLDR's order: English "one|other" (two forms),
Russian "one|few|many" (three).  The number of forms says which rule applies,
so a caller needs only the template and the number.  Pure: every rule is
tested under CPython.
"""

from __future__ import annotations

COUNTED = ("count", "days", "records", "n")
"""The placeholders a sentence's form agrees with, first found first."""


def plural_index(count: int, forms: int) -> int:
    """Which form a number takes: CLDR's cardinal rules for integers, Russian's
    for three forms, English's for two."""
    n = abs(count)
    if forms == 3:
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    return 0 if n == 1 else min(1, forms - 1)


def agree(template: str, count: int) -> str:
    """The form of `template` ("a|b" or "a|b|c") that `count` takes; a template
    without "|" is the same for every number."""
    forms = template.split("|")
    return forms[plural_index(count, len(forms))]


def counted(values: dict) -> int | None:
    """The number a sentence agrees with, among its placeholders' values."""
    for name in COUNTED:
        if isinstance(values.get(name), int):
            return values[name]
    return None


def forms_needed(language: str) -> int:
    return 3 if language == "ru" else 2
