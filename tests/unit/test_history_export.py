"""CSV of what is shown, with the client list's conventions (web/listing.py)."""

import csv
import io

from b24clients.history import TEXT_KEYS, Filter, export, filter_items, to_csv
from b24clients.web import listing
from history_rows import activity, at, company_contact, deal, history, invoice

TEXT = {key: key.rsplit(".", 1)[1].capitalize() for key in TEXT_KEYS}
"""Every word the CSV needs: "Date", "Call", "Overdue", "Deal"..."""

CLIENT = history(
    ("company", 41), bindings=[company_contact(7)],
    deals=[deal(1, company=41, contacts=(7,), title="=HYPERLINK(\"http://x\")", opportunity="1234.50",
                createdBy=5, assignedById=6, closedate=at("2026-12-01"))],
    invoices=[invoice(30, deal=1, title="Invoice, first", stage="DT31_1:P", movedTime=at("2026-02-05"),
                      currencyId="-RUB")],
    activities=[activity(10, (3, 7), (2, 1), provider="VOXIMPLANT_CALL", type_id="2", done=False,
                         SUBJECT="Call back", CREATED=at("2026-11-19"), DEADLINE=at("2026-11-20"),
                         AUTHOR_ID="5", RESPONSIBLE_ID="9")],
)
PEOPLE = {5: "+Boss", 6: "Anna"}
LABELS = {(3, 7): "@Olga", (4, 41): "Acme"}


def parse(text: str, delimiter: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def test_russian_csv_uses_semicolons_decimal_commas_a_bom_and_crlf():
    text = to_csv(CLIENT.items, TEXT, "ru", PEOPLE, LABELS, portal_url="https://t.bitrix24.ru/")
    assert "\r\n" in text and text.count("\n") == text.count("\r\n") == 4
    rows = parse(text, ";")
    assert rows[0] == ["Id", "Date", "Kind", "Title", "Amount", "Currency", "Stage", "Status", "Author", "Responsible",
                       "Created", "Deadline", "Closed", "Via", "Company", "Link"]
    assert rows[1] == ["10", "2026-11-19", "Call", "Call back", "", "", "", "Overdue", "'+Boss", "#9", "2026-11-19",
                       "2026-11-20", "", "Deal #1, '@Olga", "Acme", "https://t.bitrix24.ru/crm/deal/details/1/"]
    assert rows[2][:8] == ["30", "2026-02-05", "Invoice", "Invoice, first", "500", "'-RUB", "", "Success"]
    assert rows[2][12:] == ["2026-02-05", "Deal #1", "Acme", "https://t.bitrix24.ru/crm/type/31/details/30/"]
    assert rows[3][:8] == ["1", "2026-01-10", "Deal", "'=HYPERLINK(\"http://x\")", "1234,50", "RUB", "", "Process"]
    assert rows[3][8:] == ["'+Boss", "Anna", "2026-01-10", "2026-12-01", "", "'@Olga", "Acme",
                           "https://t.bitrix24.ru/crm/deal/details/1/"]


def test_english_csv_uses_commas_and_decimal_points():
    rows = parse(to_csv(CLIENT.items, TEXT, "en"), ",")
    assert rows[3][4] == "1234.50"
    assert rows[2][3] == "Invoice, first"
    assert rows[1][-3:] == ["Deal #1, Contact #7", "Company #41", "/crm/deal/details/1/"]


def test_only_the_rows_shown_in_the_order_shown():
    shown = filter_items(CLIENT.items, Filter(kinds=frozenset({"deal", "invoice"})))
    rows = parse(to_csv(reversed(shown), TEXT, "en"), ",")
    assert [r[0] for r in rows[1:]] == ["1", "30"]


def test_the_formula_guard_and_delimiters_are_the_client_lists_own():
    assert export._neutral is listing._neutral
    assert export.CSV_DELIMITERS is listing.CSV_DELIMITERS
