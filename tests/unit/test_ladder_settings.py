"""The ladder's settings: defaults, the JSON round trip, and bad input falling back field by field."""

import json
from dataclasses import replace
from datetime import date

import pytest
from b24clients.ladder import DEFAULTS, LadderSettings, Reassign, from_json, to_json


class TestDefaults:
    def test_the_spec_defaults(self):
        s = DEFAULTS
        assert (s.new_days, s.hot_days, s.warm_days, s.cold_days, s.warn_days) == (10, 30, 60, 90, 3)
        assert s.touch_kinds == {"call"} and s.pause_on_planned and s.alarm_cap == 15
        assert (s.raise_needs_call, s.raise_call_days) == (False, 3)
        assert s.reassign == Reassign("nobody") and s.entity == "client" and s.started_on is None

    def test_days_per_status_in_work_lasts_as_long_as_hot_and_lost_never_drops(self):
        s = LadderSettings(new_days=5, hot_days=20, warm_days=40, cold_days=80)
        assert [s.days_in(x) for x in ("new", "in_work", "hot", "warm", "cold", "lost")] == [5, 20, 20, 40, 80, None]

    def test_any_completed_activity_counts_every_kind(self):
        s = LadderSettings(touch_kinds=frozenset({"any"}))
        assert all(s.counts(kind) for kind in ("call", "email", "meeting", "openline", "todo", "other"))
        assert not DEFAULTS.counts("email")


class TestRoundTrip:
    def test_every_field_survives_json(self):
        s = LadderSettings(new_days=7, hot_days=21, warm_days=45, cold_days=120, warn_days=5,
                           touch_kinds=frozenset({"call", "openline"}), pause_on_planned=False,
                           raise_needs_call=True, raise_call_days=2, hot_name="Горячий", cold_name="Ice",
                           entity="company", started_on=date(2026, 9, 1), alarms=False, alarm_cap=4,
                           digest=False, reassign=Reassign("group", group=(3, 9)))
        parsed = from_json(json.loads(json.dumps(to_json(s))))
        assert parsed.settings == s and parsed.rejected == ()

    def test_json_text_is_read_too(self):
        assert from_json(json.dumps({"hot_days": 14})).settings.hot_days == 14

    def test_nothing_stored_is_the_defaults_with_nothing_rejected(self):
        assert from_json(None) == from_json({}) == from_json("{}")
        assert from_json(None).settings == DEFAULTS and from_json(None).rejected == ()

    def test_texts_php_makes_of_numbers_and_flags_are_read(self):
        parsed = from_json({"warm_days": "45", "digest": "N", "alarms": 0, "raise_needs_call": "Y"})
        assert (parsed.settings.warm_days, parsed.settings.digest, parsed.settings.alarms,
                parsed.settings.raise_needs_call) == (45, False, False, True)


class TestBadInput:
    @pytest.mark.parametrize("value", ["[1, 2", "[1, 2]", 42, b"\xff"])
    def test_unreadable_settings_are_the_defaults_and_say_so(self, value):
        assert from_json(value).settings == DEFAULTS and from_json(value).rejected == ("settings",)

    @pytest.mark.parametrize("field, value", [
        ("hot_days", 0), ("hot_days", -3), ("hot_days", 99999), ("hot_days", True), ("hot_days", 2.5),
        ("hot_days", "thirty"), ("warn_days", -1), ("alarm_cap", 5000), ("pause_on_planned", "maybe"),
        ("entity", "lead"), ("started_on", "1 March"), ("touch_kinds", []), ("touch_kinds", ["call", "fax"]),
        ("touch_kinds", "call"), ("reassign", {"rule": "user"}), ("reassign", {"rule": "group", "group": []}),
        ("reassign", {"rule": "group", "group": [3, "x"]}), ("reassign", {"rule": "pool"}), ("names", "Hot"),
    ])
    def test_a_bad_value_falls_back_to_its_default_alone(self, field, value):
        parsed = from_json({field: value, "cold_days": 75})
        assert parsed.rejected == (field,)
        assert parsed.settings == LadderSettings(cold_days=75)

    def test_every_rejected_field_is_listed_in_order(self):
        parsed = from_json({"new_days": 0, "warm_days": "x", "digest": None, "reassign": 1})
        assert parsed.rejected == ("new_days", "warm_days", "digest", "reassign")

    def test_zero_warn_days_and_a_zero_cap_are_allowed(self):
        parsed = from_json({"warn_days": 0, "alarm_cap": 0})
        assert (parsed.settings.warn_days, parsed.settings.alarm_cap, parsed.rejected) == (0, 0, ())


class TestNames:
    def test_own_names_are_trimmed_and_blank_means_the_default(self):
        parsed = from_json({"names": {"hot": "  Огонь ", "warm": "   ", "cold": None}})
        s = parsed.settings
        assert (s.own_name("hot"), s.own_name("warm"), s.own_name("cold"), parsed.rejected) == ("Огонь", "", "", ())

    def test_system_statuses_cannot_be_renamed(self):
        s = from_json({"names": {"lost": "Gone", "new": "Fresh"}}).settings
        assert s.own_name("lost") == s.own_name("new") == ""

    def test_a_name_too_long_not_text_or_taken_is_dropped_on_its_own(self):
        parsed = from_json({"names": {"hot": "Hot!", "warm": "x" * 41, "cold": "HOT!"}})
        assert (parsed.settings.own_name("hot"), parsed.settings.own_name("warm"),
                parsed.settings.own_name("cold")) == ("Hot!", "", "")
        assert parsed.rejected == ("names.warm", "names.cold")


class TestReassign:
    @pytest.mark.parametrize("value, expected", [
        ({"rule": "nobody"}, Reassign("nobody")),
        ({"rule": "head", "user": 5}, Reassign("head")),
        ({"rule": "user", "user": "12"}, Reassign("user", user=12)),
        ({"rule": "group", "group": [9, "3", 9]}, Reassign("group", group=(3, 9))),
    ])
    def test_a_rule_keeps_only_what_it_needs(self, value, expected):
        assert from_json({"reassign": value}).settings.reassign == expected


class TestWhatTheIOLayerNeeds:
    def test_working_hour_feed_take_along_flags_and_templates_survive_json(self):
        s = LadderSettings(alarm_hour=8, feed=True, reassign=Reassign("head", deals=False, todos=True),
                           templates=(("alarm", "Позвоните {client} до {date}"), ("lost", "{client} ушёл")))
        parsed = from_json(json.loads(json.dumps(to_json(s))))
        assert parsed.settings == s and parsed.rejected == ()
        assert s.template("alarm") == "Позвоните {client} до {date}" and s.template("soon") == ""

    def test_the_defaults_take_open_deals_and_to_dos_along_at_nine(self):
        assert (DEFAULTS.alarm_hour, DEFAULTS.feed, DEFAULTS.reassign.deals, DEFAULTS.reassign.todos) == (
            9, False, True, True)
        assert from_json({"reassign": {"rule": "head"}}).settings.reassign == Reassign("head")
        assert from_json({"reassign": {"rule": "head", "deals": "N"}}).settings.reassign.deals is False

    @pytest.mark.parametrize("templates, rejected", [
        ({"alarm": "Call {client} about {amount}"}, ("templates.alarm",)),   # no such placeholder
        ({"soon": "{client!r}"}, ("templates.soon",)),
        ({"lost": "{client"}, ("templates.lost",)),                           # not a template at all
        ({"head": "x" * 301}, ("templates.head",)),
        ({"dropped": 5}, ("templates.dropped",)),
        ("Call them", ("templates",)),
    ])
    def test_a_template_it_cannot_render_keeps_the_default_and_says_so(self, templates, rejected):
        parsed = from_json({"templates": templates})
        assert parsed.rejected == rejected and parsed.settings.templates == ()

    def test_a_blank_template_means_the_default_and_the_hour_must_be_one(self):
        parsed = from_json({"templates": {"alarm": "   "}, "alarm_hour": 24})
        assert parsed.settings.templates == () and parsed.rejected == ("alarm_hour",)


class TestTheSwitch:
    def test_a_ladder_saved_before_the_switch_existed_is_on_and_off_survives_json(self):
        assert DEFAULTS.enabled and from_json({"hot_days": 20}).settings.enabled
        off = replace(DEFAULTS, enabled=False, hot_days=20)
        assert from_json(json.dumps(to_json(off))).settings == off
        assert from_json({"enabled": "N"}).settings.enabled is False

    def test_an_unreadable_switch_keeps_the_ladder_on_and_says_so(self):
        parsed = from_json({"enabled": "perhaps"})
        assert parsed.settings.enabled and parsed.rejected == ("enabled",)
