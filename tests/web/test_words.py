"""Plural forms: one helper for every place a number meets a noun (issue 10, item 9)."""

import pytest

from b24clients.strings import STRINGS
from b24clients.words import agree, counted, forms_needed

RU = "клиент|клиента|клиентов"
EN = "client|clients"


@pytest.mark.parametrize("count, russian, english", [
    (0, "клиентов", "clients"), (1, "клиент", "client"), (2, "клиента", "clients"), (5, "клиентов", "clients"),
    (11, "клиентов", "clients"), (21, "клиент", "clients"), (22, "клиента", "clients"),
    (25, "клиентов", "clients"), (111, "клиентов", "clients"), (1_000_000, "клиентов", "clients"),
    (12, "клиентов", "clients"), (14, "клиентов", "clients"), (104, "клиента", "clients"), (1001, "клиент", "clients"),
])
def test_a_number_takes_the_form_its_language_gives_it(count, russian, english):
    assert agree(RU, count) == russian
    assert agree(EN, count) == english


def test_a_text_without_forms_is_the_same_for_every_number():
    assert agree("Клиентов: {count}", 21) == "Клиентов: {count}"


def test_the_number_is_the_first_counted_placeholder():
    assert counted({"when": "today", "days": 9, "count": 3}) == 3
    assert counted({"days": 9}) == 9 and counted({"name": "Anna"}) is None


def test_every_string_with_forms_has_one_per_category_of_its_language_and_both_languages_agree():
    with_forms = {language: {k for k, v in strings.items() if "|" in v} for language, strings in STRINGS.items()}
    assert with_forms["en"] == with_forms["ru"] and with_forms["en"]
    for language, keys in with_forms.items():
        for key in keys:
            assert STRINGS[language][key].count("|") == forms_needed(language) - 1, (language, key)
