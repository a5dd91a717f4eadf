"""The last dashboard's data read back for a fast reload, moved on to today (issue 11, item 3)."""

import copy
import dataclasses
from datetime import date, datetime, timedelta, timezone

from b24clients.lifecycle import Thresholds
from b24clients.sync.provenance import READ, Provenance
from b24clients.web import dashboard_cache, listing, view
from b24clients.web.origin import Origin
from b24clients.web.view import Data

MSK = timezone(timedelta(hours=3))
TODAY = date(2026, 11, 23)


def row(rid, lifecycle, last_payment=None, **extra):
    fields = dict(entity="company", id=rid, name=f"Co {rid}", client_type="b2b", lifecycle=lifecycle,
                  frequency="first_purchase" if last_payment else "no_payments", last_payment=last_payment,
                  payments=1 if last_payment else 0, last_touch=None, modified=date(2026, 1, 2),
                  created=date(2025, 5, 1), responsible_id=7, has_contacts=False)
    return listing.ListRow(**{**fields, **extra})


def data(today=TODAY):
    rows = [row(1, "active", date(2026, 6, 1)), row(2, "with_dialogs", modified_by_app=True),
            row(3, "sleeping", date(2025, 10, 1), last_touch=date(2026, 3, 3))]
    origin = Origin(READ, datetime(2026, 11, 23, 9, tzinfo=MSK),
                    Provenance(datetime(2026, 11, 20, tzinfo=MSK), 1, "Anna", 3), restricted=True)
    return Data(rows=rows, counts=listing.counts(rows), months=[("2026-10", 1, 2, 5, 6), ("2026-11", 0, 1, 5, 7)],
                managers=listing.managers(rows, today), today=today, origin=origin)


def test_the_same_day_reads_back_the_same_dashboard():
    back = dashboard_cache.from_chunks(list(dashboard_cache.to_chunks(data())), TODAY, Thresholds())
    assert back == data()


def test_time_moves_a_paid_client_along_and_the_counts_follow():
    later = date(2027, 2, 3)
    back = dashboard_cache.from_chunks(list(dashboard_cache.to_chunks(data())), later, Thresholds())
    assert [r.lifecycle for r in back.rows] == ["sleeping", "with_dialogs", "sleeping"]
    assert back.counts["lifecycle.sleeping"] == 2 and back.counts["lifecycle.active"] == 0
    assert [m[0] for m in back.months] == ["2026-10", "2026-11", "2026-12", "2027-01", "2027-02"]
    assert back.months[-1] == ("2027-02", 0, 0, 5, 7)


def test_another_format_is_not_read():
    assert dashboard_cache.from_chunks([{"format": "b24clients-dashboard/1", "rows": []}], TODAY, Thresholds()) is None
    assert dashboard_cache.from_chunks([], TODAY, Thresholds()) is None


def test_many_rows_come_back_in_chunks_the_store_parses_between_pauses(monkeypatch):
    monkeypatch.setattr(dashboard_cache, "ROWS_PER_CHUNK", 2)
    many = data()
    many.rows = [row(i, "active", date(2026, 6, 1)) for i in range(1, 6)]
    many.counts, many.managers = listing.counts(many.rows), listing.managers(many.rows, TODAY)
    chunks = list(dashboard_cache.to_chunks(many))
    assert [len(chunk["rows"]) for chunk in chunks[1:]] == [2, 2, 1] and "rows" not in chunks[0]
    assert dashboard_cache.from_chunks(chunks, TODAY, Thresholds()) == many


def test_saved_fields_are_the_list_rows_own_order():
    """Rows are rebuilt positionally (`ListRow(*values)`), so the saved order must be the class's."""
    own = [f.name for f in dataclasses.fields(listing.ListRow) if f.init]
    assert list(dashboard_cache._FIELDS) == own[:len(dashboard_cache._FIELDS)]


def test_rows_are_kept_in_the_lists_first_order_and_need_no_sort_when_read_back():
    shown = data()
    shown.rows = [row(3, "active", date(2026, 6, 1), name="Zeta"), row(1, "with_dialogs", name="alpha"),
                  row(2, "with_dialogs", name="Beta")]
    shown.counts, shown.managers = listing.counts(shown.rows), listing.managers(shown.rows, TODAY)
    back = dashboard_cache.from_chunks(list(dashboard_cache.to_chunks(shown)), TODAY, Thresholds())
    assert [r.name for r in back.rows] == ["alpha", "Beta", "Zeta"]
    assert back.ordered[view.FIRST_ORDER] is back.rows
    assert dashboard_cache.responsibles(list(dashboard_cache.to_chunks(shown))) == [7]


def test_the_same_day_takes_the_saved_counts_unless_a_client_moved():
    chunks = list(dashboard_cache.to_chunks(data()))
    chunks[0]["counts"] = {**chunks[0]["counts"], "clients": 999}  # proof of which counts were used
    assert dashboard_cache.from_chunks(copy.deepcopy(chunks), TODAY, Thresholds()).counts["clients"] == 999
    shorter = Thresholds(active_months=5)  # other thresholds since: client 1 is no longer active today
    back = dashboard_cache.from_chunks(copy.deepcopy(chunks), TODAY, shorter)
    assert back.counts == listing.counts(back.rows) and back.counts["clients"] == 3


def test_the_responsibles_names_are_kept_to_be_drawn_before_user_get_answers():
    chunks = list(dashboard_cache.to_chunks(data(), {7: "Anna Petrova", 8: ""}))
    assert dashboard_cache.names(copy.deepcopy(chunks)) == {7: "Anna Petrova"}
    assert dashboard_cache.names([{"format": "b24clients-dashboard/3", "names": {"7": "x"}}]) == {}
