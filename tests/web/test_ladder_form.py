"""The status ladder's settings form and starting point as plain data (issue 13 items
4 and 5): what the inputs mean, which fields are refused, what stays as it was, and
what the preview and the starting point say in each language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from b24clients.ladder import LadderSettings, Reassign, StartProposal
from b24clients.sync.ladder.preview import Preview
from b24clients.sync.ladder.start import StartReport
from b24clients.web import ladder_form
from b24clients.strings import strings_for

CURRENT = LadderSettings(started_on=date(2026, 1, 10), reassign=Reassign("user", user=7), alarm_hour=8,
                         feed=True, templates=(("lost", "{client} is lost"),), warm_name="Tepid")


def edited(**changes) -> ladder_form.FormValues:
    values = ladder_form.form_values(CURRENT)
    numbers = {**values.numbers, **{k: v for k, v in changes.items() if k in ladder_form.NUMBER_FIELDS}}
    switches = {**values.switches, **{k: v for k, v in changes.items() if k in ladder_form.SWITCHES}}
    return replace(values, numbers=numbers, switches=switches, names=changes.get("names", values.names),
                   entity=changes.get("entity", values.entity), touches=changes.get("touches", values.touches))


def test_the_form_shows_the_settings_and_reading_it_back_changes_nothing():
    values = ladder_form.form_values(CURRENT)
    assert values.numbers["hot_days"] == "30" and values.numbers["alarm_cap"] == "15"
    assert values.names == {"hot": "", "warm": "Tepid", "cold": ""} and values.touches == ("call",)
    assert ladder_form.read_form(values, CURRENT) == (CURRENT, ())


def test_what_the_form_changes_is_kept_and_what_it_does_not_show_stays():
    settings, rejected = ladder_form.read_form(
        edited(hot_days=" 20 ", warn_days="0", alarms=False, touches=("call", "email"), entity="company",
               names={"hot": " Burning ", "warm": "", "cold": "Frozen"}), CURRENT)
    assert rejected == ()
    assert (settings.hot_days, settings.warn_days, settings.alarms, settings.entity) == (20, 0, False, "company")
    assert settings.touch_kinds == {"call", "email"}
    assert (settings.hot_name, settings.warm_name, settings.cold_name) == ("Burning", "", "Frozen")
    assert (settings.started_on, settings.reassign, settings.alarm_hour, settings.feed, settings.templates) == (
        CURRENT.started_on, CURRENT.reassign, 8, True, CURRENT.templates)


def test_the_switch_the_hour_the_feed_and_the_messages_are_on_the_form():
    values = ladder_form.form_values(CURRENT)
    assert (values.switches["enabled"], values.switches["feed"], values.numbers["alarm_hour"]) == (True, True, "8")
    assert values.templates == {"alarm": "", "soon": "", "dropped": "", "lost": "{client} is lost", "undone": "",
                                "head": ""}
    values = replace(edited(enabled=False, feed=False, alarm_hour="17"),
                     templates={**values.templates, "alarm": " Ring {client} by {date} ", "lost": "  "})
    settings, rejected = ladder_form.read_form(values, CURRENT)
    assert rejected == ()
    assert (settings.enabled, settings.feed, settings.alarm_hour) == (False, False, 17)
    assert settings.templates == (("alarm", "Ring {client} by {date}"),), "an emptied message is the default again"
    assert ladder_form.read_form(ladder_form.form_values(settings), settings) == (settings, ())


@pytest.mark.parametrize("kind, template", [
    ("alarm", "Call {client} about {amount}"), ("head", "{client} lost by {manager!r}"), ("soon", "{client"),
    ("lost", "x" * 301),
])
def test_a_message_it_cannot_send_is_marked_next_to_its_field(kind, template):
    values = ladder_form.form_values(CURRENT)
    settings, rejected = ladder_form.read_form(replace(values, templates={**values.templates, kind: template}),
                                               CURRENT)
    assert rejected == (f"templates.{kind}",)
    assert ladder_form.error_key(rejected[0]) == "ladder.error.template"


def test_each_message_lists_the_words_it_may_use_in_either_language():
    assert ladder_form.placeholders("alarm", strings_for("en")) == "Can use: {client}, {to}, {date}"
    assert ladder_form.placeholders("undone", strings_for("ru")) == "Можно: {client}, {status}, {to}, {reason}"
    assert ladder_form.placeholders("head", strings_for("en")) == "Can use: {client}, {manager}, {date}"


@pytest.mark.parametrize("field, key", [
    ("alarm_hour", "ladder.error.hour"), ("cold_days", "ladder.error.number"), ("names.hot", "ladder.error.name"),
    ("touch_kinds", "ladder.error.touch_kinds"), ("reassign", "ladder.error.reassign"),
])
def test_every_refused_field_has_a_sentence_in_both_languages(field, key):
    assert ladder_form.error_key(field) == key
    assert strings_for("en")[key] and strings_for("ru")[key]


def test_who_gets_a_lost_client_and_what_goes_along():
    values = replace(ladder_form.form_values(CURRENT), rule="group", group=(9, 3), along={"deals": False,
                                                                                      "todos": True})
    settings, rejected = ladder_form.read_form(values, CURRENT)
    assert rejected == () and settings.reassign == Reassign("group", group=(3, 9), deals=False, todos=True)
    head, _ = ladder_form.read_form(replace(values, rule="head", group=()), CURRENT)
    assert head.reassign == Reassign("head", deals=False, todos=True)
    for wrong in (replace(values, rule="user", user=""), replace(values, rule="group", group=())):
        settings, rejected = ladder_form.read_form(wrong, CURRENT)
        assert rejected == ("reassign",) and settings.reassign == Reassign(), "refused: nobody, marked"


@pytest.mark.parametrize("changes, field", [
    ({"cold_days": "0"}, "cold_days"), ({"new_days": "?"}, "new_days"), ({"warn_days": "3651"}, "warn_days"),
    ({"alarm_cap": "1.5"}, "alarm_cap"), ({"raise_call_days": "-1"}, "raise_call_days"),
    ({"alarm_hour": "24"}, "alarm_hour"),
    ({"touches": ()}, "touch_kinds"), ({"entity": "lead"}, "entity"),
    ({"names": {"hot": "x" * 41, "warm": "", "cold": ""}}, "names.hot"),
    ({"names": {"hot": "Same", "warm": "same", "cold": ""}}, "names.warm"),
])
def test_an_unusable_field_is_named_and_keeps_its_default(changes, field):
    settings, rejected = ladder_form.read_form(edited(**changes), CURRENT)
    assert rejected == (field,)
    assert settings.hot_days == CURRENT.hot_days


@pytest.mark.parametrize("language, preview, lines", [
    ("en", Preview(1, 0, 1, 40), ["With these settings today's pass would lower 1 client of 40 with a status.",
                                  "1 client would be in the warning window."]),
    ("en", Preview(37, 12, 5, 200), ["With these settings today's pass would lower 37 clients of 200 with a status.",
                                     "12 of them would be lost.", "5 clients would be in the warning window."]),
    ("ru", Preview(21, 2, 5, 100), [
        "С этими настройками сегодняшний проход понизит 21 клиента из 100 со статусом.",
        "Из них потеряны будут 2.", "5 клиентов окажутся в окне предупреждения."]),
])
def test_the_preview_says_what_todays_pass_would_do(language, preview, lines):
    assert ladder_form.preview_lines(preview, strings_for(language)) == lines


def test_with_nobody_tracked_the_preview_says_it_has_nothing_to_show_yet():
    assert ladder_form.preview_lines(Preview(0, 0, 0, 0), strings_for("en")) == [
        "Nobody has a status yet: the preview appears once the ladder has started."]


def test_the_starting_point_table_has_every_status_and_the_total():
    proposal = StartProposal((), {"new": 1, "in_work": 2, "hot": 0, "warm": 3, "cold": 10, "lost": 4})
    rows = ladder_form.proposal_rows(proposal, strings_for("en"))
    assert rows == [("new", "New", 1), ("in_work", "In work", 2), ("hot", "Hot", 0), ("warm", "Warm", 3),
                    ("cold", "Cold", 10), ("lost", "Lost", 4), ("total", "Total", 20)]


def test_what_confirming_or_skipping_did_in_a_sentence():
    en = strings_for("en")
    assert ladder_form.start_report_line(StartReport(recorded=20, written=18), en) == (
        "The ladder has started: 20 clients have a status (18 written to the CRM).")
    assert ladder_form.start_report_line(StartReport(recorded=3, written=2, skipped_no_rights=1), en).endswith(
        "1 client could not be written: you may not edit it.")
    assert ladder_form.start_report_line(StartReport(), en).startswith("The ladder has started with no statuses")
    assert ladder_form.start_report_line(StartReport(started=False, not_started="not_admin"), en) == (
        "Only a Bitrix24 administrator can start the ladder.")
    assert ladder_form.start_report_line(StartReport(recorded=5, written=5), strings_for("ru")) == (
        "Лестница запущена: статус у 5 клиентов (записано в CRM: 5).")
