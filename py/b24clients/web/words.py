"""Words that agree with their numbers: "1 client", "2 clients"; "1 клиент",
"2 клиента", "5 клиентов", "21 клиент".

A string of strings.py whose text holds "|" has one form per plural
category of its language, in CLDR's order: English "one|other", Russian
"one|few|many".  Pure, so every rule is tested under CPython.
"""

from __future__ import annotations


def plural_index(count: int, language: str) -> int:
    """Which form a number takes: CLDR's cardinal rules for integers."""
    n = abs(count)
    if language == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    return 0 if n == 1 else 1


def agree(template: str, count: int, language: str) -> str:
    """The form of `template` ("a|b" or "a|b|c") that `count` takes; a template
    without "|" is the same for every number."""
    forms = template.split("|")
    if len(forms) == 1:
        return template
    return forms[min(plural_index(count, language), len(forms) - 1)]


def forms_needed(language: str) -> int:
    return 3 if language == "ru" else 2
