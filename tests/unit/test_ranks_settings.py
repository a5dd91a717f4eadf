"""The rank and touch settings, read tolerantly from a JSON object."""

import json
from decimal import Decimal

import pytest
from b24clients.ranks import Cutoffs, Gaps, RankSettings, from_json, to_json

DEFAULTS = RankSettings()


def test_the_defaults_are_planning_mds():
    assert (DEFAULTS.basis, DEFAULTS.window_months, DEFAULTS.method) == ("revenue", 12, "cumulative")
    assert DEFAULTS.method_cutoffs == Cutoffs(Decimal(80), Decimal(95))
    assert DEFAULTS.cutoffs["clients"] == Cutoffs(Decimal(20), Decimal(50))
    assert [DEFAULTS.gaps.of(r) for r in "ABCN"] == [30, 120, 180, None]
    assert (DEFAULTS.touch_kinds, DEFAULTS.capacity) == (frozenset({"call"}), 8)


@pytest.mark.parametrize("value", [None, "", "not json", "[1, 2]", 42, [], {}, b"{}"])
def test_anything_unusable_is_the_defaults(value):
    assert from_json(value) == DEFAULTS


def test_a_round_trip_keeps_everything():
    settings = RankSettings(basis="requests", window_months=6, method="clients",
                            cutoffs={"cumulative": Cutoffs(Decimal("66.6"), Decimal(90)),
                                     "clients": Cutoffs(Decimal(10), Decimal(30))},
                            gaps=Gaps(14, 60, None, 365), touch_kinds=frozenset({"call", "meeting"}), capacity=12)
    assert from_json(json.dumps(to_json(settings))) == settings
    assert from_json(to_json(settings)) == settings


def test_each_bad_field_falls_back_on_its_own():
    settings = from_json({"basis": "margin", "window_months": "6", "method": "clients",
                          "cumulative_cutoffs": [95, 80], "clients_cutoffs": ["10", 40.0],
                          "gaps": {"A": "7", "B": -1, "C": None, "N": "x"}, "touch_kinds": ["email", "fax"],
                          "capacity": 0})
    assert (settings.basis, settings.window_months, settings.method) == ("revenue", 6, "clients")
    assert settings.cutoffs["cumulative"] == Cutoffs(Decimal(80), Decimal(95))
    assert settings.method_cutoffs == Cutoffs(Decimal(10), Decimal(40))
    assert settings.gaps == Gaps(7, 120, None, None)
    assert (settings.touch_kinds, settings.capacity) == (frozenset({"email"}), 8)


@pytest.mark.parametrize("value", [[0, 50], [50], [20, 101], [True, 50], ["a", 50], "80,95", [float("nan"), 90]])
def test_a_cut_off_pair_that_cannot_be_used_is_dropped_whole(value):
    assert from_json({"cumulative_cutoffs": value}).cutoffs["cumulative"] == DEFAULTS.cutoffs["cumulative"]


@pytest.mark.parametrize("value", [0, 121, 2.5, True, "twelve", None])
def test_the_window_is_one_to_120_whole_months(value):
    assert from_json({"window_months": value}).window_months == 12


def test_no_known_touch_kind_counts_calls():
    assert from_json({"touch_kinds": ["fax"]}).touch_kinds == frozenset({"call"})
    assert from_json({"touch_kinds": ["any"]}).touch_kinds == frozenset({"any"})
