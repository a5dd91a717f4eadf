"""Installing the ladder (issue 13 item 2): the two status fields on the working
entity with the six statuses by XML_ID and Russian and English labels, and the
app's entity storages — idempotent, and only for an admin."""

from __future__ import annotations

from ladderio import ADMIN, BORIS, gateway, portal, run

from b24clients.ladder import LadderSettings
from b24clients.sync.ladder.fields import SINCE, STATUS
from b24clients.sync.ladder.install import install_ladder
from b24clients.sync.ladder.storage import LEDGER, STATUS as STATUS_STORAGE, SYNC

SIX = ["new", "in_work", "hot", "warm", "cold", "lost"]


def fields(p, entity: str) -> dict:
    return {uf["FIELD_NAME"]: uf for uf in p.userfields if uf["ENTITY_ID"] == f"CRM_{entity.upper()}"}


def test_clients_get_both_fields_on_contacts_and_companies_with_the_six_statuses():
    p = portal()
    report = run(install_ladder(gateway(p), LadderSettings()))
    assert report.installed and report.fields_created == 4
    for entity in ("contact", "company"):
        status, since = fields(p, entity)[STATUS], fields(p, entity)[SINCE]
        assert status["USER_TYPE_ID"] == "enumeration" and since["USER_TYPE_ID"] == "date"
        assert [item["XML_ID"] for item in status["LIST"]] == SIX
        assert [item["VALUE"] for item in status["LIST"]] == ["New", "In work", "Hot", "Warm", "Cold", "Lost"]
        assert status["LABELS"] == {"ru": "Статус (Клиенты)", "en": "Status (Clients)"}
        assert since["LABELS"] == {"ru": "Статус с (Клиенты)", "en": "Status since (Clients)"}


def test_the_storages_let_everyone_write_the_lock_read_the_statuses_and_only_admins_the_ledger():
    p = portal()
    report = run(install_ladder(gateway(p), LadderSettings()))
    assert sorted(report.storages_created) == sorted([SYNC, STATUS_STORAGE, LEDGER])
    rights = {code: storage["rights"] for code, storage in p.storages.items()}
    assert rights[SYNC] == {"AU": "W", "U1": "X"}
    assert rights[STATUS_STORAGE] == {"AU": "R", "U1": "X"}
    assert rights[LEDGER] == {"U1": "X"}


def test_installing_again_creates_nothing_and_adds_only_a_missing_item():
    p = portal()
    run(install_ladder(gateway(p), LadderSettings()))
    status = fields(p, "company")[STATUS]
    status["LIST"] = [item for item in status["LIST"] if item["XML_ID"] != "lost"]
    before = {uf["ID"] for uf in p.userfields}
    again = run(install_ladder(gateway(p), LadderSettings()))
    assert (again.fields_created, again.storages_created) == (0, [])
    assert {uf["ID"] for uf in p.userfields} == before
    assert [item["XML_ID"] for item in fields(p, "company")[STATUS]["LIST"]] == SIX


def test_a_working_entity_of_companies_installs_on_companies_only_and_contacts_can_be_added_later():
    p = portal()
    assert run(install_ladder(gateway(p), LadderSettings(entity="company"))).fields_created == 2
    assert set(fields(p, "company")) == {STATUS, SINCE} and fields(p, "contact") == {}
    assert run(install_ladder(gateway(p), LadderSettings(entity="client"))).fields_created == 2
    assert set(fields(p, "contact")) == {STATUS, SINCE}


def test_own_names_of_hot_warm_and_cold_become_the_list_labels():
    p = portal()
    run(install_ladder(gateway(p), LadderSettings(entity="company")))
    report = run(install_ladder(gateway(p), LadderSettings(entity="company", hot_name="Огонь", cold_name="Ice")))
    assert report.items_renamed == 2
    labels = {item["XML_ID"]: item["VALUE"] for item in fields(p, "company")[STATUS]["LIST"]}
    assert (labels["hot"], labels["warm"], labels["cold"]) == ("Огонь", "Warm", "Ice")
    assert run(install_ladder(gateway(p), LadderSettings(entity="company", hot_name="Огонь",
                                                         cold_name="Ice"))).items_renamed == 0


def test_a_manager_installs_nothing():
    p = portal()
    report = run(install_ladder(gateway(p, BORIS), LadderSettings()))
    assert (report.installed, report.not_installed) == (False, "not_admin")
    assert p.userfields == [] and p.storages == {}
    assert run(install_ladder(gateway(p, ADMIN), LadderSettings())).installed
