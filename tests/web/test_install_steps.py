"""The installer's steps under CPython, against the simulated portal
(spec/app.md "Installation"; bitrix24-rest.md §6.3, §8, §12.2).
The same code runs in install.html over BX24.js (tests/e2e/test_install.py)."""

from __future__ import annotations

import asyncio
import json

import pytest

from b24clients.rest.errors import RestError
from b24clients.rest.gateway import Gateway
from b24clients.settings import DEFAULTS, OPTION, Settings, from_option, to_option
from b24clients.lifecycle import Thresholds
from b24clients.sync.fields import FIELDS
from b24clients import strings
from b24clients.web.install import (
    DONE,
    FAILED,
    PLACEMENT,
    RUNNING,
    SKIPPED,
    STEPS,
    TABS_OPTION,
    WARNED,
    Outcome,
    StepFailed,
    failure_sentence,
    handler_url,
    run_steps,
)
from b24sim.transport import InProcessTransport, VirtualTime
from simkit import portal

HANDLER = "https://apps.example/b24clients/index.html"
EN = strings.STRINGS["en"]


def install(p, *, user_id: int = 1, language: str = "en", handler: str = HANDLER):
    """Runs every step; returns the reports [(step, state, note)] and how often installFinish ran."""
    reports: list[tuple[str, str, str | None]] = []
    finished = []

    async def finish() -> Outcome:
        finished.append(True)
        return Outcome(DONE, "finished")

    async def go():
        clock = VirtualTime(p.clock)
        gateway = Gateway(InProcessTransport(p, clock, user_id=user_id), clock, attempts=3)
        await run_steps(gateway, handler, language, lambda s, st, o: reports.append((s, st, o and o.note)), finish)

    asyncio.run(go())
    return reports, len(finished)


def ends(reports) -> dict[str, str]:
    return {step: state for step, state, _ in reports if state != RUNNING}


def fields_of(p, entity: str) -> dict[str, dict]:
    return {uf["FIELD_NAME"]: uf for uf in p.userfields if uf["ENTITY_ID"] == f"CRM_{entity}"}


def test_a_first_install_creates_binds_stores_and_finishes():
    p = portal(5)
    reports, finished = install(p, language="ru")
    assert [(s, st) for s, st, _ in reports] == [(s, st) for s in STEPS for st in (RUNNING, DONE)]
    assert finished == 1
    for entity in ("CONTACT", "COMPANY"):
        made = fields_of(p, entity)
        assert sorted(made) == sorted(f.name for f in FIELDS)
        lifecycle = made["UF_CRM_B24C_LIFECYCLE"]
        assert lifecycle["LABELS"] == {"ru": "Жизненный цикл", "en": "Lifecycle"}
        assert {item["XML_ID"] for item in lifecycle["LIST"]} == set(FIELDS[1].items)
    assert p.placements[0] == {"placement": PLACEMENT, "userId": 0, "handler": HANDLER, "options": [],
                               "title": "Клиенты", "description": strings.STRINGS["ru"]["install.placement_description"],
                               "langAll": {"en": {"TITLE": "Clients", "DESCRIPTION": EN["install.placement_description"]},
                                           "ru": {"TITLE": "Клиенты",
                                                  "DESCRIPTION": strings.STRINGS["ru"]["install.placement_description"]}}}
    assert [(b["placement"], b["handler"], b["title"]) for b in p.placements[1:]] == [
        ("CRM_CONTACT_DETAIL_TAB", HANDLER, "История клиента"), ("CRM_COMPANY_DETAIL_TAB", HANDLER, "История клиента")]
    assert p.app_options == {OPTION: to_option(DEFAULTS), TABS_OPTION: json.dumps(
        {"CRM_CONTACT_DETAIL_TAB": "bound", "CRM_COMPANY_DETAIL_TAB": "bound"})}
    assert from_option(p.app_options[OPTION]) == DEFAULTS
    notes = {step: note for step, state, note in reports if state == DONE}
    assert notes["fields"] == "Создано полей: 18; уже были: 0"
    assert notes["settings"].startswith("Активный — 6 месяцев, потерянный — через 18 месяцев")


def test_running_it_again_changes_nothing():
    p = portal(5)
    install(p)
    fields, placements, options = list(p.userfields), list(p.placements), dict(p.app_options)
    writes = len(p.writes)
    reports, finished = install(p)
    assert ends(reports) == {"fields": SKIPPED, "placement": SKIPPED, "tabs": SKIPPED, "settings": SKIPPED,
                             "finish": DONE}
    assert finished == 1
    assert p.userfields == fields and p.placements == placements and p.app_options == options
    assert len(p.writes) == writes  # not one write
    notes = {step: note for step, state, note in reports if state == SKIPPED}
    assert notes == {"fields": "All the fields are already there (18)", "tabs": EN["install.tabs.bound"],
                     "placement": EN["install.placement.existing"], "settings": EN["install.settings.existing"]}


def test_a_card_tab_bitrix24_refuses_is_said_kept_and_does_not_stop_the_install():
    """Whether a ZIP-uploaded app may bind a card tab is not documented (history.md)."""
    p = portal(5)
    real = p.methods["placement.bind"]

    def refuse_tabs(portal, caller, params):
        if str(params.get("PLACEMENT")).endswith("_DETAIL_TAB"):
            raise RestError(400, "ERROR_PLACEMENT_NOT_FOUND", "Placement not found")
        return real(portal, caller, params)

    p.methods = {**p.methods, "placement.bind": refuse_tabs}
    reports, finished = install(p)
    assert ends(reports)["tabs"] == WARNED and finished == 1 and ends(reports)["settings"] == DONE
    assert json.loads(p.app_options[TABS_OPTION]) == {"CRM_CONTACT_DETAIL_TAB": "failed: ERROR_PLACEMENT_NOT_FOUND",
                                                      "CRM_COMPANY_DETAIL_TAB": "failed: ERROR_PLACEMENT_NOT_FOUND"}
    note = next(note for step, state, note in reports if step == "tabs" and state == WARNED)
    assert "ERROR_PLACEMENT_NOT_FOUND" in note and "list" in note


def test_an_admins_settings_are_never_overwritten():
    p = portal(5)
    mine = to_option(Settings(Thresholds(3, 9), frozenset({0}), False))
    p.app_options[OPTION] = mine
    reports, _ = install(p)
    assert ends(reports)["settings"] == SKIPPED and p.app_options[OPTION] == mine


def test_a_broken_settings_option_is_kept_too_the_app_reads_it_with_defaults():
    p = portal(5)
    p.app_options[OPTION] = "{oops"
    reports, _ = install(p)
    assert ends(reports)["settings"] == SKIPPED and p.app_options[OPTION] == "{oops"


def test_fields_already_there_are_counted_and_only_the_missing_ones_created():
    p = portal(5)
    install(p)
    p.userfields = [uf for uf in p.userfields
                    if not (uf["ENTITY_ID"] == "CRM_COMPANY" and uf["FIELD_NAME"] in ("UF_CRM_B24C_TYPE",
                                                                                       "UF_CRM_B24C_DIALOGS"))]
    reports, _ = install(p)
    assert ("fields", DONE, "Fields created: 2; already there: 16") in reports
    assert len(fields_of(p, "COMPANY")) == len(fields_of(p, "CONTACT")) == len(FIELDS)


def test_another_handler_bound_to_the_menu_does_not_stop_ours():
    p = portal(5)
    p.placements.append({"placement": PLACEMENT, "userId": 0, "handler": "https://old.example/index.html",
                         "options": [], "title": "Old", "description": "", "langAll": {}})
    p.placements.append({"placement": "CRM_CONTACT_DETAIL_TAB", "userId": 0, "handler": HANDLER,
                         "options": [], "title": "Tab", "description": "", "langAll": {}})
    reports, _ = install(p)
    assert ends(reports)["placement"] == DONE
    assert sum(1 for b in p.placements if b["placement"] == PLACEMENT and b["handler"] == HANDLER) == 1
    assert len(p.placements) == 4  # the old menu item, ours, the contact tab kept, the company tab added


def test_a_refused_step_fails_in_words_and_the_later_steps_do_not_run():
    p = portal(5)
    p.faults.denied_users.add(1)
    with pytest.raises(StepFailed) as failed:
        install(p)
    assert failed.value.step == "fields"
    assert failure_sentence(failed.value, EN) == EN["install.failed.denied"]
    assert p.userfields == [] and p.placements == [] and p.app_options == {}


def test_a_failure_that_is_not_a_refusal_says_what_failed_and_what_to_do_next():
    p = portal(5)
    install(p)
    reports: list = []

    async def go():
        clock = VirtualTime(p.clock)
        gateway = Gateway(InProcessTransport(p, clock), clock, attempts=2)
        p.placements.clear()
        p.faults.server_errors = 1000
        await run_steps(gateway, HANDLER, "en", lambda *r: reports.append(r[:2]), None)

    with pytest.raises(StepFailed) as failed:
        asyncio.run(go())
    assert failed.value.step == "fields"
    assert reports == [("fields", RUNNING), ("fields", FAILED)]
    assert failure_sentence(failed.value, EN) == f'{EN["install.failed.fields"]} {EN["install.failed.next"]}'


@pytest.mark.parametrize("page, expected", [
    ("https://h.example/app/install.html?DOMAIN=x.bitrix24.ru&LANG=ru&APP_SID=1#top",
     "https://h.example/app/index.html"),
    ("http://127.0.0.1:8000/app/install.html", "http://127.0.0.1:8000/app/index.html"),
    ("https://h.example/install.html", "https://h.example/index.html"),
    ("https://h.example/app/", "https://h.example/app/index.html"),
])
def test_the_handler_is_the_apps_index_html_without_query(page, expected):
    assert handler_url(page) == expected
