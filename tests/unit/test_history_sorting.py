"""Sort by every column, both ways: empty values last in both directions, ties keep their order."""

import pytest
from b24clients.history import COLUMNS, sort_items
from history_rows import activity, at, comment, company_contact, deal, history, invoice

CLIENT = history(
    ("company", 41), bindings=[company_contact(7), company_contact(8)],
    statuses=[{"ENTITY_ID": "DEAL_STAGE", "STATUS_ID": "NEW", "NAME": "New"}],
    deals=[deal(1, company=41, contacts=(7,), title="banana", opportunity=300, currencyId="RUB", createdBy=2,
                assignedById=3, createdTime=at("2026-03-01"), closedate=at("2026-12-01"))],
    invoices=[invoice(30, deal=1, company=43, stage="DT31_1:P", title="Apple", opportunity=100, currencyId="USD",
                      createdBy=1, assignedById=4, createdTime=at("2026-02-01"), closedate=at("2026-02-10"),
                      movedTime=at("2026-02-05"))],
    activities=[activity(10, (3, 8), done=False, SUBJECT="cherry", AUTHOR_ID="3", RESPONSIBLE_ID="2",
                         CREATED=at("2026-04-01"), DEADLINE=at("2026-04-02"))],
    comments=[comment(40, "company", 41, COMMENT="", AUTHOR_ID="1", CREATED=at("2026-01-01"))],
)
"""A: deal 1, B: invoice 30, C: an overdue call, D: an empty comment; newest first C, A, B, D."""
NAMES = {"deal:1": "A", "invoice:30": "B", "activity:10": "C", "comment:40": "D"}
PEOPLE = {1: "Zoe", 2: "adam", 3: "Mike"}
LABELS = {(3, 7): "Olga", (3, 8): "Boris", (4, 41): "Acme", (4, 43): "Beta"}

EXPECTED = {
    # column: (ascending, descending); after "|" the rows without a value, last both ways
    "date": ("DBAC", "CABD"),
    "kind": ("ABCD", "DCBA"),
    "title": ("BAC|D", "CAB|D"),
    "amount": ("BA|CD", "AB|CD"),
    "stage": ("CAB|D", "BAC|D"),
    "author": ("ACBD", "BDCA"),  # B and D are both Zoe: the tie keeps B first, both ways
    "responsible": ("BCA|D", "ACB|D"),  # B's responsible is unnamed: "#4"
    "created": ("DBAC", "CABD"),
    "deadline": ("BCA|D", "ACB|D"),
    "closed": ("B|CAD", "B|CAD"),
    "via": ("CAB|D", "BAC|D"),  # B is via an unnamed deal: after the named contacts
    "company": ("ADB|C", "BAD|C"),  # A and D are both Acme
}


def test_the_history_comes_newest_first():
    assert "".join(NAMES[item.key] for item in CLIENT.items) == "CABD"


def test_every_column_has_a_worked_example():
    assert set(EXPECTED) == set(COLUMNS)


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("descending", [False, True])
def test_every_column_sorts_both_ways(column, descending):
    got = sort_items(CLIENT.items, column, descending, people=PEOPLE, labels=LABELS)
    assert "".join(NAMES[item.key] for item in got) == EXPECTED[column][descending].replace("|", "")


def test_without_names_people_sort_by_user_id_text_and_records_by_type_then_id():
    by_author = sort_items(CLIENT.items, "author")
    assert "".join(NAMES[item.key] for item in by_author) == "BDAC"  # "#1", "#1", "#2", "#3"
    by_via = sort_items(CLIENT.items, "via")
    assert "".join(NAMES[item.key] for item in by_via) == "BACD"  # deal 1, contact 7, contact 8


def test_an_unknown_column_is_refused():
    with pytest.raises(ValueError, match="colour"):
        sort_items(CLIENT.items, "colour")
