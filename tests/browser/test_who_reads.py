"""Who computes, who reads, as users meet it in the portal's shell (spec/sync.md):
an admin's run writes the fields and leaves its provenance; the same admin's
second device and every manager read the fields instead of the history; where
nothing was computed a manager computes from what they see, is told so, and
writes nothing."""

from __future__ import annotations

import json

import pytest

from b24clients.classify import classify
from b24clients.snapshot import snapshot_from_data
from b24clients.sync.provenance import OPTION
from test_app_in_portal import (
    DESKTOP, expected_counts, make_portal, number, open_app, shot, shown_counts, today_of, user_with, wait_run)
from test_engine_in_page import months_read
from syncfix import generated, visible_snapshot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def data():
    return generated(150, 4)


def portal_wide_counts(portal, data, user_id: int) -> dict[str, int]:
    """classify of the whole portal, counted over the clients one user sees."""
    seen = visible_snapshot(portal, user_id)
    refs = {("contact", int(c["ID"])) for c in seen["contacts"]} | {("company", int(c["ID"])) for c in seen["companies"]}
    rows = [r for r in classify(snapshot_from_data(data).crm, today_of(portal)) if (r.entity, r.id) in refs]
    flat = {"clients": sum(1 for r in rows if r.is_client)}
    flat["b2b"] = sum(1 for r in rows if r.client_type == "b2b")
    flat["b2c"] = sum(1 for r in rows if r.client_type == "b2c")
    for group, attr in (("lifecycle", "lifecycle"), ("frequency", "frequency")):
        for r in rows:
            if r.is_client:
                key = f"{group}.{getattr(r, attr)}"
                flat[key] = flat.get(key, 0) + 1
    return flat


def without_b2b_links(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if not k.startswith("b2b.") and v}


def test_an_admins_second_device_and_a_managers_phone_read_the_written_values(serve, browsing, data):
    portal = make_portal(data, write_back=True)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    computing = open_app(browsing, face, admin)
    wait_run(computing)
    computed = json.loads(portal.app_options[OPTION])
    assert computed["by_id"] == admin and computed["clients"] == expected_counts(portal, admin)["clients"]
    want = shown_counts(computing.frame)
    assert "Computed on" in computing.frame.locator(".header__meta").inner_text()

    served = len(face.requests)
    second = open_app(browsing, face, admin, context=browsing.context(viewport=DESKTOP))
    wait_run(second)
    requests = list(face.requests)[served:]
    assert months_read(requests) == [], "a second device must read the fields, not the history"
    assert shown_counts(second.frame) == want
    meta = second.frame.locator(".header__meta").inner_text()
    assert "Computed on" in meta and computed["by_name"] in meta
    shot(second, "desktop-en-admin-second-device")

    own = user_with(data, "own")
    writes = len(portal.writes)
    served = len(face.requests)
    phone = open_app(browsing, face, own, lang="ru", phone=True)
    wait_run(phone)
    assert months_read(list(face.requests)[served:]) == []
    assert without_b2b_links(shown_counts(phone.frame)) == without_b2b_links(portal_wide_counts(portal, data, own))
    notice = phone.frame.locator(".notice").inner_text().replace("\u00a0", "")
    assert str(number(phone.frame.locator("[data-total=clients]").inner_text())) in notice
    assert "Рассчитано" in phone.frame.locator(".header__meta").inner_text()
    assert len(portal.writes) == writes, "a reader writes nothing"
    shot(phone, "phone-ru-own-reader")


def test_with_write_back_off_a_manager_computes_what_they_see_says_so_and_writes_nothing(serve, browsing, data):
    portal = make_portal(data, write_back=False)
    portal.app_options[OPTION] = json.dumps({"at": "2026-11-01T10:00:00+03:00", "by_id": 1, "by_name": "Anna",
                                             "clients": 150})
    face = serve(portal)
    own = user_with(data, "own")
    opened = open_app(browsing, face, own)
    wait_run(opened)
    assert months_read(list(face.requests)), "with write-back off there are no fields to read"
    assert without_b2b_links(shown_counts(opened.frame)) == without_b2b_links(expected_counts(portal, own))
    notice = opened.frame.locator(".notice").inner_text()
    assert "count only what your CRM rights show" in notice and "switched off" in notice
    assert not [w for w in portal.writes if w["method"].endswith(".update") or "userfield" in w["method"]]
