"""The client list as plain data: rows, filters, counts, search, sort, managers, months, CSV."""

import csv
from datetime import date, timedelta

import pytest

from b24clients.cards import Card
from b24clients.classify import classify, count
from b24clients.model import Company, Contact, Crm
from b24clients.snapshot import snapshot_from_data
from b24clients.web import listing
from b24clients.web.listing import ListRow
from b24clients.strings import strings_for
from builders import TODAY, binding, company, contact, snapshot, stamp


def lrow(id, entity="contact", *, name="", type=None, lifecycle="without_contacts", frequency="no_payments",
         last_payment=None, payments=0, last_touch=None, modified=None, responsible=None, has_contacts=False,
         rank="N"):
    return ListRow(entity, id, name, type or ("b2b" if entity == "company" else "b2c"), lifecycle, frequency,
                   last_payment, payments, last_touch, modified, None, responsible, has_contacts, rank=rank)


def ids(rows):
    return [row.id for row in rows]


# --- building ---------------------------------------------------------------------


def test_build_rows_lists_clients_with_their_cards_and_company_links():
    data = snapshot(
        companies=[company(5, TITLE="Roga", ASSIGNED_BY_ID="7", LAST_ACTIVITY_TIME=stamp("2026-01-01")),
                   company(6, LAST_ACTIVITY_TIME=stamp("2026-05-01")), company(8), company(9, mine=True)],
        contacts=[contact(1, company=5, LAST_ACTIVITY_TIME=stamp("2026-03-01")),
                  contact(2, NAME="Anna", LAST_NAME="Smith", DATE_MODIFY=stamp("2026-02-02")),
                  contact(4, LAST_ACTIVITY_TIME=stamp("2025-01-01"))],
        contact_companies=[binding(1, 5, primary=True), binding(4, 6, primary=True)])
    parsed = snapshot_from_data(data)
    rows = classify(parsed.crm, TODAY)
    cards = {ref: card for ref, card in parsed.cards.items() if ref != ("contact", 2)}
    got = {(r.entity, r.id): r for r in listing.build_rows(rows, cards, listing.linked_companies(parsed.crm))}
    assert list(got) == [("company", 5), ("company", 6), ("company", 8), ("contact", 2)]
    assert len(got) == count(rows)["clients"]
    roga = got[("company", 5)]
    assert (roga.name, roga.responsible_id, roga.created, roga.has_contacts) == ("Roga", 7, date(2020, 1, 1), True)
    assert roga.last_touch == date(2026, 3, 1), "a member contact's later activity touches its company"
    assert got[("company", 6)].last_touch == date(2026, 5, 1), "an older member activity changes nothing"
    assert not got[("company", 8)].has_contacts
    anna = got[("contact", 2)]
    assert (anna.name, anna.modified, anna.created, anna.responsible_id) == ("", None, None, None), "no card"
    assert not anna.has_contacts


# --- filters and counts ------------------------------------------------------------------

A_DAY = timedelta(days=1)
FILTER_ROWS = [
    lrow(1, "company", lifecycle="active", frequency="regular", responsible=7, has_contacts=True,
         last_touch=TODAY - 10 * A_DAY, rank="A"),
    lrow(2, "company", lifecycle="sleeping", frequency="first_purchase", responsible=7,
         last_touch=TODAY - 90 * A_DAY, rank="C"),
    lrow(3, lifecycle="lost", frequency="first_purchase", responsible=8, last_touch=TODAY - 89 * A_DAY, rank="A"),
    lrow(4, lifecycle="with_requests"),
    lrow(5, "company", lifecycle="with_dialogs", responsible=8, has_contacts=True),
    lrow(6, lifecycle="with_contacts", responsible=7),
    lrow(7, lifecycle="without_contacts"),
]
FILTERED = {
    "clients": [1, 2, 3, 4, 5, 6, 7], "b2b": [1, 2, 5], "b2b.with_contacts": [1, 5], "b2b.without_contacts": [2],
    "b2c": [3, 4, 6, 7], "lifecycle.active": [1], "lifecycle.sleeping": [2], "lifecycle.lost": [3],
    "lifecycle.with_requests": [4], "lifecycle.with_dialogs": [5], "lifecycle.with_contacts": [6],
    "lifecycle.without_contacts": [7], "frequency.regular": [1], "frequency.first_purchase": [2, 3],
    "frequency.no_payments": [4, 5, 6, 7], "with_payments": [1, 2, 3], "without_payments": [4, 5, 6, 7],
    "rank.A": [1, 3], "rank.B": [], "rank.C": [2], "rank.N": [4, 5, 6, 7],
    "manager.7": [1, 2, 6], "manager.8": [3, 5], "manager.0": [4, 7], "manager.7.lifecycle.active": [1],
    "manager.7.lifecycle.with_contacts": [6], "manager.8.lifecycle.active": [],
    "manager.7.untouched": [2, 6], "manager.8.untouched": [5], "manager.0.untouched": [4, 7],
}


@pytest.mark.parametrize("key", FILTERED)
def test_every_filter_key_keeps_its_rows(key):
    assert ids(filter(listing.matches(key, TODAY), FILTER_ROWS)) == FILTERED[key]


def test_untouched_means_no_activity_for_90_days_or_more_or_never():
    rows = [lrow(1, responsible=7, last_touch=TODAY - 90 * A_DAY),
            lrow(2, responsible=7, last_touch=TODAY - 89 * A_DAY), lrow(3, responsible=7)]
    assert ids(filter(listing.matches("manager.7.untouched", TODAY), rows)) == [1, 3]
    assert listing.managers(rows, TODAY)[0].untouched == 2


def test_counts_agree_with_the_filters_for_every_counter():
    assert listing.counts(FILTER_ROWS) == {key: len(FILTERED[key]) for key in listing.COUNT_KEYS}
    assert set(listing.COUNT_KEYS) == {key for key in FILTERED if not key.startswith("manager.")}


@pytest.mark.parametrize("key", ["", "lifecycle.paid", "b2b.", "manager", "manager.x", "manager.7.b2b",
                                 "manager.7.lifecycle.nope", "manager.²"])
def test_an_unknown_filter_key_is_an_error(key):
    with pytest.raises(ValueError):
        listing.matches(key, TODAY)


def test_the_untouched_filter_needs_today():
    with pytest.raises(ValueError):
        listing.matches("manager.7.untouched")


# --- search -------------------------------------------------------------------------------

SEARCH_ROWS = [lrow(1, name="Anna Smith"), lrow(12, "company", name="ООО Ёлка"), lrow(7, name=""),
               lrow(3, name="Agent 12")]


@pytest.mark.parametrize("text, found", [
    ("smith", [1]), ("  ANNA   smith ", [1]), ("ёлка", [12]), ("ЁЛКА", [12]), ("12", [12, 3]), ("#7", [7]),
    ("7", [7]), ("", [1, 12, 7, 3]), ("   ", [1, 12, 7, 3]), ("zz", []), ("1", [1, 3]),
])
def test_search_is_a_case_insensitive_name_substring_or_the_exact_id(text, found):
    assert ids(listing.search(SEARCH_ROWS, text)) == found


# --- sort ---------------------------------------------------------------------------------

SORT_ROWS = [
    lrow(1, "company", name="beta", lifecycle="sleeping", frequency="first_purchase", last_payment=date(2026, 1, 10),
         payments=1, last_touch=date(2026, 11, 1), modified=date(2026, 10, 1), responsible=7, rank="B"),
    lrow(2, name="Alpha", lifecycle="active", frequency="regular", last_payment=date(2026, 10, 1), payments=3,
         modified=date(2026, 11, 1), responsible=8, rank="A"),
    lrow(3, name=""),
    lrow(4, "company", name="alpha", lifecycle="with_dialogs", last_touch=date(2025, 1, 1),
         modified=date(2026, 10, 1), responsible=7),
]
NAMES = {7: "Zoe", 8: "adam"}


SORT_CASES = {
    "name": ([2, 4, 1, 3], [1, 2, 4, 3]),
    "type": ([1, 4, 2, 3], [2, 3, 1, 4]),
    "lifecycle": ([2, 1, 4, 3], [3, 4, 1, 2]),
    "frequency": ([2, 1, 3, 4], [3, 4, 1, 2]),
    "rank": ([2, 1, 3, 4], [3, 4, 1, 2]),  # A, B, C, N; N clients tie and keep ID order
    "last_payment": ([1, 2, 3, 4], [2, 1, 3, 4]),
    "payments": ([3, 4, 1, 2], [2, 1, 3, 4]),
    "last_touch": ([2, 3, 4, 1], [1, 4, 2, 3]),  # never touched is older than any touch
    "modified": ([1, 4, 2, 3], [2, 1, 4, 3]),
    "responsible": ([2, 1, 4, 3], [1, 4, 2, 3]),
}


def test_every_column_has_a_sort_case():
    assert listing.COLUMNS == tuple(SORT_CASES)


@pytest.mark.parametrize("column", SORT_CASES)
def test_every_column_sorts_both_ways_with_empty_values_last_never_touched_first_and_ties_by_id(column):
    ascending, descending = SORT_CASES[column]
    assert ids(listing.sort_rows(SORT_ROWS, column, False, NAMES)) == ascending
    assert ids(listing.sort_rows(SORT_ROWS, column, True, NAMES)) == descending
    assert ids(listing.sort_rows(SORT_ROWS[::-1], column, True, NAMES)) == descending, "whatever the input order"


def test_a_responsible_without_a_known_name_sorts_as_shown():
    rows = [lrow(1, responsible=30), lrow(2, responsible=7), lrow(3)]
    assert ids(listing.sort_rows(rows, "responsible", False, {7: "Zoe"})) == [1, 2, 3]


def test_a_company_and_a_contact_with_the_same_id_and_value_keep_the_company_first():
    rows = [lrow(5, name="Same"), lrow(5, "company", name="Same")]
    for descending in (False, True):
        assert [r.entity for r in listing.sort_rows(rows, "name", descending)] == ["company", "contact"]


def test_an_unknown_column_is_an_error():
    with pytest.raises(ValueError):
        listing.sort_rows(SORT_ROWS, "colour")


# --- managers -----------------------------------------------------------------------------


def test_managers_count_clients_by_lifecycle_and_the_untouched_most_clients_first():
    got = listing.managers(FILTER_ROWS, TODAY)
    assert [(m.responsible_id, m.total, m.untouched) for m in got] == [(7, 3, 2), (None, 2, 2), (8, 2, 1)]
    assert got[0].lifecycle == {"active": 1, "sleeping": 1, "lost": 0, "with_requests": 0, "with_dialogs": 0,
                                "with_contacts": 1, "without_contacts": 0}
    assert [m.untouched for m in listing.managers(FILTER_ROWS, TODAY, untouched_days=5)] == [3, 2, 2]


# --- created per month --------------------------------------------------------------------


def created(day):
    return Card("", None, day, None, None)


def test_created_per_month_counts_contacts_and_non_own_companies_month_by_month_to_today():
    cards = {("contact", 1): created(date(2025, 11, 15)), ("contact", 2): created(date(2026, 1, 3)),
             ("company", 5): created(date(2025, 12, 31)), ("company", 9): created(date(2025, 10, 1)),
             ("contact", 3): created(None), ("contact", 4): created(date(2026, 3, 1))}
    crm = Crm(contacts={1: Contact(1, (5,)), 2: Contact(2), 3: Contact(3), 4: Contact(4)},
              companies={5: Company(5), 9: Company(9, is_mine=True)})
    assert listing.created_per_month(cards, listing.own_companies(crm), date(2026, 2, 10)) == [
        ("2025-11", 1, 0, 1, 0), ("2025-12", 0, 1, 1, 1), ("2026-01", 1, 0, 2, 1), ("2026-02", 0, 0, 2, 1)]
    assert listing.created_per_month({}, listing.own_companies(crm), TODAY) == []


# --- CSV ----------------------------------------------------------------------------------

CSV_ROWS = [
    lrow(1, "company", name='Roga; "Kopyta", Ltd', lifecycle="active", frequency="regular",
         last_payment=date(2026, 10, 1), payments=3, last_touch=date(2026, 11, 1), modified=date(2026, 11, 2),
         responsible=7, rank="A"),
    lrow(2, name="=HYPERLINK(\"http://x\")", responsible=8),
    lrow(3, name="", responsible=9),
    lrow(4, name="-5 Ltd"), lrow(5, name="+7 900"), lrow(6, name="@boss"), lrow(7, name="a=b"),
]
PEOPLE = {7: "Zoe", 8: "=cmd|' /C calc'!A0"}


def parsed(text, delimiter):
    assert text.startswith("\ufeff")
    return list(csv.reader(text[1:].splitlines(), delimiter=delimiter))


def test_csv_in_english_is_comma_separated_with_a_bom_and_english_labels():
    table = parsed(listing.to_csv(CSV_ROWS, strings_for("en"), PEOPLE, "en"), ",")
    assert table[0] == ["ID", "Record", "Name", "Type", "Lifecycle", "Frequency", "Rank", "Last payment",
                        "Payments", "Last touch", "Date modified", "Responsible"]
    assert table[1] == ["1", "Company", 'Roga; "Kopyta", Ltd', "B2B", "Active", "Regular", "A", "2026-10-01", "3",
                        "2026-11-01", "2026-11-02", "Zoe"]
    assert table[3] == ["3", "Contact", "Contact #3", "B2C", "Without contact details", "No payments", "N", "", "0",
                        "", "", "#9"]
    assert len(table) == 1 + len(CSV_ROWS)


def test_csv_in_russian_is_semicolon_separated_with_russian_labels():
    text = listing.to_csv(CSV_ROWS[:1], strings_for("ru"), PEOPLE, "ru")
    assert text.splitlines()[1].startswith("1;Компания;")
    table = parsed(text, ";")
    assert table[0][:3] == ["ID", "Запись", "Название"]
    assert table[1][1:6] == ["Компания", 'Roga; "Kopyta", Ltd', "B2B", "Активные", "Постоянные"]


def test_csv_neutralises_crm_text_that_a_spreadsheet_would_run_as_a_formula():
    table = parsed(listing.to_csv(CSV_ROWS, strings_for("en"), PEOPLE, "en"), ",")
    names = {int(line[0]): line[2] for line in table[1:]}
    assert names[2] == "'=HYPERLINK(\"http://x\")"
    assert (names[4], names[5], names[6], names[7]) == ("'-5 Ltd", "'+7 900", "'@boss", "a=b")
    assert table[2][11] == "'=cmd|' /C calc'!A0"


def test_the_managers_table_sorts_by_every_column_both_ways():
    managers = listing.managers(FILTER_ROWS, TODAY)
    names = {7: "Zoe", 8: "adam", None: ""}
    by = {column: [m.responsible_id for m in listing.sort_managers(managers, column, False, names)]
          for column in ("manager", "total", "untouched", "lifecycle")}
    assert by == {"manager": [None, 8, 7], "total": [None, 8, 7], "untouched": [8, 7, None],
                  "lifecycle": [None, 8, 7]}
    assert [m.responsible_id for m in listing.sort_managers(managers, "total", True, names)] == [7, None, 8]
    with pytest.raises(ValueError):
        listing.sort_managers(managers, "nope")


def test_build_rows_gives_each_client_its_rank_and_a_client_ranked_nowhere_is_n():
    data = snapshot(companies=[company(5), company(6)], contacts=[contact(1, company=5), contact(2)],
                    contact_companies=[binding(1, 5, primary=True)])
    parsed = snapshot_from_data(data)
    rows = listing.build_rows(classify(parsed.crm, TODAY), parsed.cards, set(),
                              {("company", 5): "A", ("contact", 2): "C"})
    assert {(r.entity, r.id): r.rank for r in rows} == {("company", 5): "A", ("company", 6): "N", ("contact", 2): "C"}
    assert listing.counts(rows)["rank.N"] == 1
