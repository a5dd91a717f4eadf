"""Every word the browser UI shows, one dict per language.

Kept apart from the rendering code so a translator edits one file and a test
can check that both languages have the same keys. Pure Python: importable
under CPython. The language comes from the `?lang=` query parameter for now
(later from `BX24.getLang()`); anything but "ru" falls back to English.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"

# Date formats are written with U+2011 (non-breaking hyphen) so that a narrow
# screen never breaks "YYYY-MM-DD" across lines.

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "lang.name": "English",
        "lang.short": "EN",
        "title": "Clients",
        "total.label": "clients in total",
        "meta.demo": "Demo data",
        "meta.as_of": "as of {date}",
        "status.loading": "Loading the data…",
        "status.classifying": "Classifying clients…",
        "section.types": "B2B and B2C",
        "section.with_payments": "With payments",
        "section.frequency": "Sales frequency",
        "section.without_payments": "Without payments",
        "count.b2b": "B2B — companies",
        "count.b2c": "B2C — contacts",
        "count.lifecycle.active": "Active",
        "count.lifecycle.sleeping": "Sleeping",
        "count.lifecycle.lost": "Lost",
        "count.lifecycle.with_requests": "With requests",
        "count.lifecycle.with_dialogs": "With dialogs",
        "count.lifecycle.with_contacts": "With contacts",
        "count.lifecycle.without_contacts": "Without contacts",
        "count.frequency.regular": "Regular",
        "count.frequency.first_purchase": "First purchase",
        "count.frequency.no_payments": "No payments",
        "share.title": "{share} of all clients",
        "language": "Language",
        "error.details": "Details",
        "error.data_missing": (
            "The demo data could not be loaded. Rebuild the app "
            "(python build.py build) and reload the page."
        ),
        "error.data_invalid": (
            "The demo data could not be read. Rebuild the app and reload the page; "
            "if this happens again, send the details below to the developers."
        ),
        "error.bad_today": (
            "The date in the page address (?today=) is not a valid date. "
            "Use the form YYYY‑MM‑DD, or remove it to use today's date."
        ),
        "error.unexpected": (
            "The dashboard could not be shown. Reload the page; if this happens "
            "again, send the details below to your Bitrix24 administrator."
        ),
    },
    "ru": {
        "lang.name": "Русский",
        "lang.short": "RU",
        "title": "Клиенты",
        "total.label": "клиентов всего",
        "meta.demo": "Демо-данные",
        "meta.as_of": "на {date}",
        "status.loading": "Загрузка данных…",
        "status.classifying": "Классификация клиентов…",
        "section.types": "B2B и B2C",
        "section.with_payments": "С оплатами",
        "section.frequency": "Частота продаж",
        "section.without_payments": "Без оплат",
        "count.b2b": "B2B — компании",
        "count.b2c": "B2C — контакты",
        "count.lifecycle.active": "Активные",
        "count.lifecycle.sleeping": "Спящие",
        "count.lifecycle.lost": "Потерянные",
        "count.lifecycle.with_requests": "С обращениями",
        "count.lifecycle.with_dialogs": "С диалогами",
        "count.lifecycle.with_contacts": "С контактными данными",
        "count.lifecycle.without_contacts": "Без контактных данных",
        "count.frequency.regular": "Постоянные",
        "count.frequency.first_purchase": "Первая покупка",
        "count.frequency.no_payments": "Без оплат",
        "share.title": "{share} от всех клиентов",
        "language": "Язык",
        "error.details": "Подробности",
        "error.data_missing": (
            "Не удалось загрузить демо-данные. Пересоберите приложение "
            "(python build.py build) и обновите страницу."
        ),
        "error.data_invalid": (
            "Не удалось прочитать демо-данные. Пересоберите приложение и обновите "
            "страницу; если ошибка повторится, передайте подробности ниже разработчикам."
        ),
        "error.bad_today": (
            "Дата в адресе страницы (?today=) указана неверно. Используйте формат "
            "ГГГГ‑ММ‑ДД или уберите параметр, чтобы взять сегодняшнюю дату."
        ),
        "error.unexpected": (
            "Не удалось показать сводку. Обновите страницу; если ошибка повторится, "
            "передайте подробности ниже администратору Битрикс24."
        ),
    },
}


def pick_language(value: str | None) -> str:
    """The language to show for a `?lang=` value: a known one, else English."""
    value = (value or "").strip().lower()
    return value if value in STRINGS else DEFAULT_LANGUAGE


def strings_for(language: str) -> dict[str, str]:
    """The strings of one language (English for an unknown one)."""
    return STRINGS.get(language, STRINGS[DEFAULT_LANGUAGE])
