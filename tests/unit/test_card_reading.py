"""Cards: what the client list shows of a contact or company, read from either REST spelling."""

from datetime import date, timedelta, timezone

import pytest

from b24clients.cards import Card, card
from b24clients.snapshot import snapshot_from_data
from builders import company, contact, snapshot, stamp

MSK = timezone(timedelta(hours=3))


def test_a_legacy_contact_and_its_crm_item_twin_give_the_same_card():
    legacy = {"ID": "7", "NAME": "Ivan", "SECOND_NAME": "Petrovich", "LAST_NAME": "Sidorov", "ASSIGNED_BY_ID": "12",
              "DATE_CREATE": "2024-03-01T10:00:00+03:00", "DATE_MODIFY": "2025-01-02T10:00:00+03:00",
              "LAST_ACTIVITY_TIME": "2025-02-03T10:00:00+03:00"}
    item = {"id": 7, "name": "Ivan", "secondName": "Petrovich", "lastName": "Sidorov", "assignedById": 12,
            "createdTime": "2024-03-01T10:00:00+03:00", "updatedTime": "2025-01-02T10:00:00+03:00",
            "lastActivityTime": "2025-02-03T10:00:00+03:00"}
    want = Card("Ivan Petrovich Sidorov", 12, date(2024, 3, 1), date(2025, 1, 2), date(2025, 2, 3))
    assert card("contact", legacy, MSK) == card("contact", item, MSK) == want


def test_a_company_is_named_by_its_title_in_either_spelling():
    assert card("company", {"ID": "5", "TITLE": " Roga & Kopyta "}, MSK).name == "Roga & Kopyta"
    assert card("company", {"id": 5, "title": "Roga & Kopyta"}, MSK).name == "Roga & Kopyta"


def test_a_contact_without_a_middle_name_is_first_name_then_last_name():
    assert card("contact", {"NAME": "Anna", "LAST_NAME": "Smith"}, MSK).name == "Anna Smith"
    assert card("contact", {"NAME": "Anna", "LAST_NAME": None}, MSK).name == "Anna"
    assert card("contact", {"lastName": "Smith"}, MSK).name == "Smith"


@pytest.mark.parametrize("raw", [
    {}, {"NAME": None, "LAST_NAME": ""}, {"NAME": " \t", "LAST_NAME": "\u00a0\u3000"}, {"NAME": 42},
])
def test_a_contact_with_no_readable_name_has_an_empty_one(raw):
    assert card("contact", raw, MSK).name == ""


def test_whitespace_inside_a_name_is_one_space():
    assert card("contact", {"NAME": "  Anna \n", "LAST_NAME": "van\u00a0 Dijk "}, MSK).name == "Anna van Dijk"


def test_odd_data_is_absence_never_an_error():
    raw = {"ASSIGNED_BY_ID": "0", "DATE_CREATE": "yesterday", "DATE_MODIFY": "", "LAST_ACTIVITY_TIME": None}
    assert card("contact", raw, MSK) == Card("", None, None, None, None)
    assert card("company", {"assignedById": "abc", "createdTime": 20240301}, MSK) == Card("", None, None, None, None)


def test_dates_are_the_portals_calendar_dates():
    """00:30 in Moscow is that day, however the timestamp was written."""
    raw = {"DATE_CREATE": "2024-05-23T21:30:00+00:00", "DATE_MODIFY": "2024-05-24T00:30:00+03:00",
           "LAST_ACTIVITY_TIME": "2024-05-24"}
    got = card("company", raw, MSK)
    assert (got.created, got.modified, got.last_touch) == (date(2024, 5, 24),) * 3


def test_a_snapshot_has_a_card_for_every_contact_and_company():
    data = snapshot(contacts=[contact(1, NAME="Anna", LAST_NAME="Smith", ASSIGNED_BY_ID="3")],
                    companies=[company(5, DATE_MODIFY=stamp("2026-01-02", "00:30:00"))])
    cards = snapshot_from_data(data).cards
    assert cards == {
        ("contact", 1): Card("Anna Smith", 3, date(2020, 1, 1), None, None),
        ("company", 5): Card("Company 5", None, date(2020, 1, 1), date(2026, 1, 2), None),
    }
