"""The admin's settings: stored as one JSON string in app.option, read back
without ever raising, and the settings form's rules (spec/app.md "Settings")."""

from __future__ import annotations

import json
import re

import pytest

from b24clients.lifecycle import Thresholds
from b24clients.ranks import RankSettings, to_json as ranks_to_json
from b24clients.settings import (
    DEFAULTS,
    MAX_MONTHS,
    FieldError,
    Settings,
    from_option,
    months_text,
    to_option,
    validate_form,
)
from b24clients import strings
from b24clients.web.help_view import COUNTING, GROUPS, field_labels, help_sections

EN, RU = strings.STRINGS["en"], strings.STRINGS["ru"]


# --- stored value ----------------------------------------------------------------------------

def test_defaults_are_the_spec_thresholds_every_pipeline_and_write_back():
    assert DEFAULTS == Settings(Thresholds(6, 18), None, True)


@pytest.mark.parametrize("settings", [
    DEFAULTS,
    Settings(Thresholds(3, 12), frozenset({0, 4}), False),
    Settings(Thresholds(1, MAX_MONTHS), frozenset({7}), True),
])
def test_a_stored_value_reads_back_the_same(settings):
    value = to_option(settings)
    assert isinstance(value, str)
    assert from_option(value) == settings
    assert from_option(json.loads(value)) == settings  # BX24.appOption may hand back the parsed object


def test_the_stored_value_is_stable_json():
    value = to_option(Settings(Thresholds(3, 12), frozenset({5, 0, 2}), False))
    assert json.loads(value) == {"version": 1, "active_months": 3, "lost_months": 12,
                                 "pipelines": [0, 2, 5], "write_back": False, "ranks": ranks_to_json(RankSettings())}
    assert " " not in value


def test_the_rank_settings_are_kept_with_the_others_and_a_broken_one_falls_back_alone():
    ranks = RankSettings(basis="payments", window_months=24, method="clients")
    assert from_option(to_option(Settings(ranks=ranks))).ranks == ranks
    broken = json.loads(to_option(Settings(Thresholds(3, 12), ranks=ranks)))
    broken["ranks"]["window_months"] = "forever"
    read = from_option(json.dumps(broken))
    assert read.thresholds == Thresholds(3, 12) and read.ranks == RankSettings(basis="payments", method="clients")
    assert from_option('{"active_months": 3, "lost_months": 12}').ranks == RankSettings()


@pytest.mark.parametrize("value", [
    None, "", "   ", "not json", "[]", "[1, 2]", "null", "42", b"\xff\xfe", 17, 3.5, True, [], {},
    "{\"active_months\": ", object(),
])
def test_absent_or_broken_values_give_the_defaults(value):
    assert from_option(value) == DEFAULTS


@pytest.mark.parametrize("stored, expected", [
    # each field falls back on its own
    ({"active_months": 3}, Settings(Thresholds(3, 18))),
    ({"lost_months": 24}, Settings(Thresholds(6, 24))),
    ({"active_months": "4", "lost_months": "9"}, Settings(Thresholds(4, 9))),
    ({"active_months": 4.0}, Settings(Thresholds(4, 18))),
    ({"active_months": 0}, DEFAULTS),
    ({"active_months": -6}, DEFAULTS),
    ({"active_months": 4.5}, DEFAULTS),
    ({"active_months": True}, DEFAULTS),
    ({"lost_months": MAX_MONTHS + 1}, DEFAULTS),
    ({"active_months": "six"}, DEFAULTS),
    # a pair that contradicts itself is not trusted at all
    ({"active_months": 24}, DEFAULTS),
    ({"active_months": 12, "lost_months": 12}, DEFAULTS),
    ({"active_months": 12, "lost_months": 6, "write_back": False}, Settings(write_back=False)),
    # pipelines
    ({"pipelines": [2, "3"]}, Settings(pipelines=frozenset({2, 3}))),
    ({"pipelines": {"0": 1, "1": 4}}, Settings(pipelines=frozenset({1, 4}))),
    ({"pipelines": []}, DEFAULTS),
    ({"pipelines": None}, DEFAULTS),
    ({"pipelines": "1,2"}, DEFAULTS),
    ({"pipelines": [1, "x"]}, DEFAULTS),
    ({"pipelines": [1, -2]}, DEFAULTS),
    ({"pipelines": [True]}, DEFAULTS),
    # write-back
    ({"write_back": False}, Settings(write_back=False)),
    ({"write_back": "N"}, Settings(write_back=False)),
    ({"write_back": 0}, Settings(write_back=False)),
    ({"write_back": "Y"}, DEFAULTS),
    ({"write_back": "maybe"}, DEFAULTS),
    ({"write_back": None}, DEFAULTS),
    # an older or newer version with other keys: what is known is read
    ({"version": 99, "active_months": 2, "colour": "red"}, Settings(Thresholds(2, 18))),
])
def test_field_by_field_fallback(stored, expected):
    assert from_option(json.dumps(stored)) == expected
    assert from_option(stored) == expected


def test_a_value_stored_twice_over_as_json_is_still_read():
    assert from_option(json.dumps(to_option(Settings(Thresholds(2, 5))))) == Settings(Thresholds(2, 5))


# --- the form --------------------------------------------------------------------------------

KNOWN = [0, 3, 8]


def form(active="6", lost="18", checked=(0, 3, 8), known=KNOWN, write_back=True, current=DEFAULTS):
    return validate_form(active, lost, checked, known, write_back, current=current)


def test_a_valid_form_gives_settings():
    assert form() == DEFAULTS
    assert form(" 3 ", "12", write_back=False) == Settings(Thresholds(3, 12), None, False)
    assert form("1", str(MAX_MONTHS)) == Settings(Thresholds(1, MAX_MONTHS))


def test_every_ticked_pipeline_means_all_so_new_ones_count_too():
    assert form(checked=KNOWN).pipelines is None
    assert form(checked=(3, 0)).pipelines == frozenset({0, 3})
    assert form(checked=(3, 99)).pipelines == frozenset({3})  # an unknown id cannot be ticked


def test_no_pipeline_ticked_is_an_error():
    assert form(checked=()) == [FieldError("pipelines", "settings.error.no_pipeline")]


def test_a_form_without_pipelines_keeps_the_current_choice():
    current = Settings(pipelines=frozenset({4}))
    assert form(checked=(), known=[], current=current).pipelines == frozenset({4})
    assert form(checked=(), known=[]).pipelines is None


@pytest.mark.parametrize("active, lost, errors", [
    ("", "18", [("active_months", "settings.error.required")]),
    ("6", "  ", [("lost_months", "settings.error.required")]),
    ("6.5", "18", [("active_months", "settings.error.whole")]),
    ("six", "18", [("active_months", "settings.error.whole")]),
    ("?", "18", [("active_months", "settings.error.whole")]),
    ("٦", "18", [("active_months", "settings.error.whole")]),  # an Arabic-Indic six is not ASCII
    ("1e1", "18", [("active_months", "settings.error.whole")]),
    ("0", "18", [("active_months", "settings.error.range")]),
    ("-3", "18", [("active_months", "settings.error.range")]),
    ("6", str(MAX_MONTHS + 1), [("lost_months", "settings.error.range")]),
    ("18", "18", [("lost_months", "settings.error.order")]),
    ("24", "18", [("lost_months", "settings.error.order")]),
    ("", "x", [("active_months", "settings.error.required"), ("lost_months", "settings.error.whole")]),
])
def test_invalid_months_name_the_field_and_the_sentence(active, lost, errors):
    assert form(active, lost) == [FieldError(*e) for e in errors]


def test_all_errors_are_reported_at_once_in_form_order():
    assert form("0", "", checked=()) == [FieldError("active_months", "settings.error.range"),
                                         FieldError("lost_months", "settings.error.required"),
                                         FieldError("pipelines", "settings.error.no_pipeline")]


def test_every_error_key_has_its_sentence_with_known_placeholders():
    keys = {"settings.error.required", "settings.error.whole", "settings.error.range", "settings.error.order",
            "settings.error.no_pipeline", "settings.error.percent", "settings.error.cutoffs_order",
            "settings.error.gap", "settings.error.capacity", "ladder.error.touch_kinds"}
    for text in (EN, RU):
        for key in keys:
            text[key].format(min=1, max=MAX_MONTHS, active="6")
    assert "3650" in EN["settings.error.gap"].format(min=1, max=3650, active="")


# --- words -----------------------------------------------------------------------------------

def test_months_in_words():
    assert months_text(6, EN) == "6 months" and months_text(1, EN) == "1 month"
    assert (months_text(6, RU), months_text(1, RU), months_text(21, RU), months_text(3, RU)) == (
        "6 месяцев", "1 месяц", "21 месяц", "3 месяца")


def test_help_has_every_segment_with_the_configured_periods():
    settings = Settings(Thresholds(4, 10))
    for text in (EN, RU):
        groups, counting = help_sections(text, settings)
        keys = [s.key for g in groups for s in g.segments]
        assert keys == ["b2b", "b2c", "active", "sleeping", "lost", "regular", "first_purchase", "no_payments",
                        "with_requests", "with_dialogs", "with_contacts", "without_contacts", "ranks", "untouched"]
        assert all(g.title for g in groups)
        by_key = {s.key: s for g in groups for s in g.segments}
        assert months_text(4, text) in by_key["active"].what
        assert months_text(4, text) in by_key["sleeping"].what and months_text(10, text) in by_key["sleeping"].what
        assert months_text(10, text) in by_key["lost"].what
        assert "90" in by_key["untouched"].what
        assert months_text(12, text) in by_key["ranks"].what and "80" in by_key["ranks"].what
        assert len(counting) == len(COUNTING)
        assert not any(re.search(r"\{\w+\}", s) for seg in by_key.values() for s in (seg.what, seg.todo))
        assert not any(re.search(r"\{\w+\}", s) for s in counting)
    assert [g.title for g in help_sections(EN)[0]] == [EN[key] for key, _ in GROUPS]


def test_help_explains_the_status_mode_with_the_ladders_own_days_only_while_it_is_on():
    from b24clients.ladder import LadderSettings

    ladder = LadderSettings(new_days=7, hot_days=21, warm_days=45, cold_days=75, warn_days=2)
    for text in (EN, RU):
        groups, _ = help_sections(text, DEFAULTS, ladder)
        assert groups[-1].title == text["mode.status"]
        steps, dropping, dropped = groups[-1].segments
        assert (steps.key, dropping.key, dropped.key) == ("ladder_steps", "ladder_dropping", "ladder_dropped")
        assert all(str(days) in steps.what for days in (7, 21, 45, 75, 2))
        assert not any(re.search(r"\{\w+\}", s) for seg in groups[-1].segments for s in (seg.what, seg.todo))
    assert "ladder_steps" not in [s.key for g in help_sections(EN)[0] for s in g.segments]


def test_help_names_the_nine_fields_by_their_crm_labels():
    _, counting = help_sections(RU)
    assert field_labels("ru") in counting[-1] and "Жизненный цикл" in field_labels("ru")
    _, counting = help_sections(EN)
    assert field_labels("en") in counting[-1] and "Lifecycle" in field_labels("en")
    assert field_labels("en").count(", ") == 8 and "Rank (Clients)" in field_labels("en")


def test_help_says_when_write_back_is_off():
    _, counting = help_sections(EN, Settings(write_back=False))
    assert counting[-1] == EN["help.count.fields_off"]
    assert EN["help.count.fields_off"] not in help_sections(EN)[1]


# --- the rank fields of the form ------------------------------------------------------------

def rank_form(basis="revenue", window="12", method="cumulative", a="80", b="95"):
    from b24clients.settings import RankForm

    return RankForm(basis, window, method, a, b)


def test_the_rank_fields_set_basis_window_method_and_that_methods_cut_offs_and_keep_the_rest():
    from decimal import Decimal

    from b24clients.ranks import Cutoffs, Gaps

    current = Settings(ranks=RankSettings(gaps=Gaps(a=14), capacity=5))
    got = validate_form("6", "18", [], [], True, current=current,
                        ranks=rank_form("payments", " 24 ", "clients", "10", "40,5 %"))
    assert got.ranks.basis == "payments" and got.ranks.window_months == 24 and got.ranks.method == "clients"
    assert got.ranks.cutoffs["clients"] == Cutoffs(Decimal(10), Decimal("40.5"))
    assert got.ranks.cutoffs["cumulative"] == Cutoffs(Decimal(80), Decimal(95)), "the other method keeps its pair"
    assert (got.ranks.gaps, got.ranks.capacity) == (Gaps(a=14), 5), "the touch settings are not this form's"
    assert from_option(to_option(got)) == got
    assert validate_form("6", "18", [], [], True, current=current).ranks == current.ranks


@pytest.mark.parametrize("window, a, b, errors", [
    ("", "80", "95", [("rank_window", "settings.error.required")]),
    ("121", "80", "95", [("rank_window", "settings.error.range")]),
    ("1.5", "80", "95", [("rank_window", "settings.error.whole")]),
    ("12", "0", "95", [("rank_cutoffs", "settings.error.percent")]),
    ("12", "80", "100.5", [("rank_cutoffs", "settings.error.percent")]),
    ("12", "eighty", "95", [("rank_cutoffs", "settings.error.percent")]),
    ("12", "96", "95", [("rank_cutoffs", "settings.error.cutoffs_order")]),
    ("0", "96", "95", [("rank_window", "settings.error.range"), ("rank_cutoffs", "settings.error.cutoffs_order")]),
])
def test_rank_fields_that_cannot_be_used_are_named(window, a, b, errors):
    got = validate_form("6", "18", [], [], True, ranks=rank_form(window=window, a=a, b=b))
    assert [(e.field, e.key) for e in got] == errors
    assert all(e.key in EN for e in got)


def test_equal_cut_offs_are_allowed_and_b_may_be_a_hundred():
    got = validate_form("6", "18", [], [], True, ranks=rank_form(a="100", b="100"))
    assert got.ranks.method_cutoffs.a == got.ranks.method_cutoffs.b == 100


def test_help_says_how_ranks_are_cut_with_the_portals_rank_settings():
    from decimal import Decimal

    from b24clients.ranks import Cutoffs
    from b24clients.ranks.ranking import DEFAULT_CUTOFFS

    ranks = RankSettings(basis="payments", window_months=6, method="clients",
                         cutoffs={**DEFAULT_CUTOFFS, "clients": Cutoffs(Decimal(10), Decimal("40.5"))})
    groups, counting = help_sections(EN, Settings(ranks=ranks))
    what = next(s.what for g in groups for s in g.segments if s.key == "ranks")
    assert "last 6 months (the number of payments)" in what and "top 10% of clients" in what and "40.5%" in what
    assert any("today's exchange rates" in sentence for sentence in counting)
    groups, _ = help_sections(RU, Settings(ranks=ranks))
    assert "первые 10\u00a0% клиентов" in next(s.what for g in groups for s in g.segments if s.key == "ranks")


# --- the touch fields of the form: gaps per rank, kinds, daily capacity ------------------------

def touch_form(gaps=("30", "120", "180", ""), kinds=("call",), capacity="8"):
    from b24clients.settings import TouchForm

    return TouchForm(dict(zip("ABCN", gaps)), kinds, capacity)


def test_the_touch_fields_set_gaps_kinds_and_capacity_and_keep_the_rank_fields():
    from b24clients.ranks import Gaps

    current = Settings(ranks=RankSettings(basis="payments", window_months=24))
    got = validate_form("6", "18", [], [], True, current=current,
                        touches=touch_form((" 14 ", "60", "", "365"), ("meeting", "call", "fax"), " 3 "))
    assert got.ranks.gaps == Gaps(14, 60, None, 365), "an empty rank has no limit"
    assert got.ranks.touch_kinds == {"call", "meeting"} and got.ranks.capacity == 3
    assert (got.ranks.basis, got.ranks.window_months) == ("payments", 24)
    assert from_option(to_option(got)) == got
    assert validate_form("6", "18", [], [], True, touches=touch_form()) == DEFAULTS


def test_while_the_ladder_holds_the_kinds_the_form_keeps_the_stored_ones():
    current = Settings(ranks=RankSettings(touch_kinds=frozenset({"email"})))
    got = validate_form("6", "18", [], [], True, current=current, touches=touch_form(kinds=None, capacity="12"))
    assert got.ranks.touch_kinds == {"email"} and got.ranks.capacity == 12


@pytest.mark.parametrize("gaps, kinds, capacity, errors", [
    (("0", "120", "180", ""), ("call",), "8", [("gap_A", "settings.error.gap")]),
    (("30", "3651", "180", ""), ("call",), "8", [("gap_B", "settings.error.gap")]),
    (("30", "120", "1.5", ""), ("call",), "8", [("gap_C", "settings.error.gap")]),
    (("30", "120", "180", "?"), ("call",), "8", [("gap_N", "settings.error.gap")]),
    (("30", "120", "180", ""), (), "8", [("touch_kinds", "ladder.error.touch_kinds")]),
    (("30", "120", "180", ""), ("fax",), "8", [("touch_kinds", "ladder.error.touch_kinds")]),
    (("30", "120", "180", ""), ("call",), "", [("capacity", "settings.error.capacity")]),
    (("30", "120", "180", ""), ("call",), "0", [("capacity", "settings.error.capacity")]),
    (("30", "120", "180", ""), ("call",), "201", [("capacity", "settings.error.capacity")]),
    (("-1", "x", "180", ""), (), "8.5", [("gap_A", "settings.error.gap"), ("gap_B", "settings.error.gap"),
                                         ("touch_kinds", "ladder.error.touch_kinds"),
                                         ("capacity", "settings.error.capacity")]),
])
def test_touch_fields_that_cannot_be_used_are_named_each_on_its_own(gaps, kinds, capacity, errors):
    got = validate_form("6", "18", [], [], True, touches=touch_form(gaps, kinds, capacity))
    assert [(e.field, e.key) for e in got] == errors


def test_the_errors_come_in_the_forms_order_and_every_field_has_its_limits():
    from b24clients.settings import FIELDS, limits

    got = validate_form("0", "18", [0], [0], True, touches=touch_form(("", "", "", "0"), (), "0"))
    assert [e.field for e in got] == ["active_months", "gap_N", "touch_kinds", "capacity"]
    assert [e.field for e in got] == sorted((e.field for e in got), key=FIELDS.index)
    assert (limits("gap_A"), limits("capacity"), limits("rank_window")) == ((1, 3650), (1, 200), (1, MAX_MONTHS))


def test_the_rank_settings_in_force_take_the_ladders_touch_kinds_while_it_is_on():
    from dataclasses import replace

    from b24clients.ladder import LadderSettings
    from b24clients.settings import in_force

    settings = Settings(ranks=RankSettings(touch_kinds=frozenset({"call"}), capacity=4))
    assert in_force(settings, None) == settings.ranks
    ladder = LadderSettings(touch_kinds=frozenset({"meeting", "email"}))
    assert in_force(settings, ladder) == RankSettings(touch_kinds=frozenset({"meeting", "email"}), capacity=4)
    assert in_force(settings, replace(ladder, enabled=False)) == settings.ranks, "a ladder switched off holds nothing"


def test_the_touch_kinds_are_one_vocabulary_with_the_ladders():
    from b24clients.ladder.settings import DEFAULTS as LADDER, TOUCH_OPTIONS
    from b24clients.ranks import TOUCH_KINDS

    assert TOUCH_KINDS == TOUCH_OPTIONS and RankSettings().touch_kinds == LADDER.touch_kinds
    assert all(f"ladder.touch.{kind}" in text for text in (EN, RU) for kind in TOUCH_KINDS)
