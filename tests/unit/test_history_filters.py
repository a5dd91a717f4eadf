"""The page's filters: kinds, date range and its presets, person, open / done, title search."""

from datetime import date

import pytest
from b24clients.history import Filter, date_range, filter_items
from history_rows import (
    activity,
    at,
    comment,
    deal,
    document,
    history,
    invoice,
    legacy_invoice,
)

TODAY = date(2026, 11, 23)

CLIENT = history(
    ("contact", 7),
    deals=[deal(1, contacts=(7,), title="Серверы для офиса", createdTime=at("2026-11-20"), createdBy=5,
                assignedById=6),
           deal(2, contacts=(7,), semantic="S", title="Old licences", createdTime=at("2025-01-01"),
                closedate=at("2025-12-31"))],
    invoices=[invoice(30, deal=1, title="Invoice for servers", createdTime=at("2026-09-01"))],
    legacy_invoices=[legacy_invoice(60, contact=7, DATE_INSERT=None)],
    activities=[activity(10, (3, 7), provider="VOXIMPLANT_CALL", type_id="2", done=False,
                         DEADLINE=at("2026-11-20"), SUBJECT="ВСТРЕЧА  по серверам", AUTHOR_ID="6",
                         RESPONSIBLE_ID="5", CREATED=at("2026-11-19")),
                activity(11, (3, 7), provider="CRM_EMAIL", type_id="4", SUBJECT="Quotation",
                         LAST_UPDATED=at("2026-08-25")),
                activity(12, (3, 7), provider="CRM_MEETING", type_id="1", SUBJECT="Meeting",
                         LAST_UPDATED=at("2026-01-02"))],
    documents=[document(20, (2, 1), createTime=at("2026-10-10"))],
    comments=[comment(40, "contact", 7, CREATED=at("2026-11-23"), AUTHOR_ID="5")],
)


def shown(spec: Filter) -> set[str]:
    return {item.key for item in filter_items(CLIENT.items, spec)}


class TestKinds:
    def test_several_kinds_at_once(self):
        assert shown(Filter(kinds=frozenset({"call", "email"}))) == {"activity:10", "activity:11"}

    def test_a_family_stands_for_all_its_kinds(self):
        assert shown(Filter(kinds=frozenset({"activity"}))) == {"activity:10", "activity:11", "activity:12"}
        assert shown(Filter(kinds=frozenset({"invoice"}))) == {"invoice:30", "legacy_invoice:60"}

    def test_no_kind_chosen_shows_everything(self):
        assert len(shown(Filter())) == len(CLIENT.items) == 9

    def test_an_unknown_kind_is_refused(self):
        with pytest.raises(ValueError, match="fax"):
            filter_items(CLIENT.items, Filter(kinds=frozenset({"fax"})))


class TestDateRange:
    @pytest.mark.parametrize("preset, bounds", [
        ("30d", (date(2026, 10, 25), None)),
        ("90d", (date(2026, 8, 26), None)),
        ("year", (date(2026, 1, 1), None)),
        ("all", (None, None)),
    ])
    def test_presets_end_today_and_have_no_upper_bound(self, preset, bounds):
        assert date_range(preset, TODAY) == bounds

    def test_custom_takes_either_bound_and_swaps_them_when_given_backwards(self):
        assert date_range("custom", TODAY, since=date(2026, 3, 1)) == (date(2026, 3, 1), None)
        assert date_range("custom", TODAY, date(2026, 3, 31), date(2026, 3, 1)) == (date(2026, 3, 1), date(2026, 3, 31))

    def test_an_unknown_preset_is_refused(self):
        with pytest.raises(ValueError, match="week"):
            date_range("week", TODAY)

    def test_the_range_applies_to_the_rows_date_both_ends_included(self):
        since, until = date_range("30d", TODAY)
        assert shown(Filter(since=since, until=until)) == {"deal:1", "activity:10", "comment:40"}
        assert shown(Filter(since=date(2026, 8, 25), until=date(2026, 9, 1))) == {"activity:11", "invoice:30"}

    def test_a_done_row_is_dated_when_it_was_finished(self):
        """Deal 2 was created in January 2025 and won on 31 December 2025."""
        assert "deal:2" in shown(Filter(since=date(2025, 12, 31), until=date(2025, 12, 31)))
        assert "deal:2" not in shown(Filter(until=date(2025, 6, 30)))

    def test_a_row_without_a_date_is_out_of_any_range_and_in_all(self):
        assert "legacy_invoice:60" not in shown(Filter(since=date(2000, 1, 1)))
        assert "legacy_invoice:60" in shown(Filter())


class TestPerson:
    def test_author_or_responsible_or_either(self):
        assert shown(Filter(person_id=5, role="author")) == {"deal:1", "comment:40"}
        assert shown(Filter(person_id=5, role="responsible")) == {"activity:10"}
        assert shown(Filter(person_id=5)) == {"deal:1", "comment:40", "activity:10"}

    def test_an_unknown_role_is_refused(self):
        with pytest.raises(ValueError, match="owner"):
            filter_items(CLIENT.items, Filter(person_id=5, role="owner"))


class TestOpenOrDone:
    def test_open_is_everything_unfinished_overdue_included(self):
        assert shown(Filter(state="open")) == {"deal:1", "invoice:30", "legacy_invoice:60", "activity:10"}

    def test_done_includes_documents_and_comments(self):
        assert shown(Filter(state="done")) == {"deal:2", "activity:11", "activity:12", "document:20", "comment:40"}

    def test_an_unknown_state_is_refused(self):
        with pytest.raises(ValueError, match="late"):
            filter_items(CLIENT.items, Filter(state="late"))


class TestSearch:
    def test_titles_in_any_case_and_any_spacing_cyrillic_too(self):
        assert shown(Filter(text="  встреча ПО ")) == {"activity:10"}
        assert shown(Filter(text="SERVERS")) == {"invoice:30"}
        assert shown(Filter(text="серверы")) == {"deal:1"}

    def test_blank_search_shows_everything(self):
        assert len(shown(Filter(text=" \t"))) == len(CLIENT.items)


def test_filters_combine_and_keep_the_order():
    spec = Filter(kinds=frozenset({"activity", "deal"}), state="open", person_id=6, text="с")
    assert [item.key for item in filter_items(CLIENT.items, spec)] == ["deal:1", "activity:10"]
