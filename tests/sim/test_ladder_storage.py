"""The app's entity storage, the portal pass's shared lock: entity.add / get / update /
delete / rights, entity.item.property.add / get, entity.item.add / get / update / delete
(next-features.md §B.2.1 and its lock recipe; DOCS api-reference/entity/*; CORE
CBitrixRestEntity)."""

from __future__ import annotations

import pytest

from laddersim import ADMIN, ALL, NO_CRM, OWN, READER, call, error, ok, portal, result

LOCK = {"ENTITY": "ladder", "NAME": "Status ladder", "ACCESS": {"AU": "W"}}


def installed(**extra):
    """A portal where the admin's install made the lock storage with an `owner` and a `done` property."""
    p = portal(**extra)
    ok(call(p, "entity.add", LOCK))
    for prop, kind in (("owner", "N"), ("done", "S")):
        ok(call(p, "entity.item.property.add", {"ENTITY": "ladder", "PROPERTY": prop, "NAME": prop, "TYPE": kind}))
    return p


def test_the_install_makes_a_storage_every_user_may_write():  # §B.2.1 entity.add {ACCESS:{"AU":"W"}}
    p = installed()
    assert result(p, "entity.get", {"ENTITY": "ladder"}, OWN) == {
        "ID": "1", "IBLOCK_TYPE_ID": "rest_entity", "ENTITY": "ladder", "NAME": "Status ladder"}
    assert result(p, "entity.get", {}) == [result(p, "entity.get", {"ENTITY": "ladder"})]
    assert result(p, "entity.rights", {"ENTITY": "ladder"}) == {"AU": "W", "U1": "X"}  # the creator gets X
    assert [w["method"] for w in p.writes] == ["entity.add"] + ["entity.item.property.add"] * 2


def test_any_app_user_may_create_a_storage_but_not_twice_and_never_from_a_webhook():  # DOCS entity-add.md
    p = portal()
    assert result(p, "entity.add", {"ENTITY": "mine", "NAME": "Mine"}, OWN) is True
    assert result(p, "entity.rights", {"ENTITY": "mine"}) == {"U2": "X"}
    assert error(call(p, "entity.add", {"ENTITY": "mine", "NAME": "Again"})) == (
        400, "ERROR_ENTITY_ALREADY_EXISTS", "Entity already exists")
    hook = (ADMIN, p.add_webhook(ADMIN))
    assert p.call("entity.add", LOCK, webhook=hook).body == {
        "error": "ACCESS_DENIED", "error_description": "Access denied! Application context required"}
    assert call(p, "entity.add", {"ENTITY": "a" * 14, "NAME": "x"}).body["error"] == "ERROR_ARGUMENT"
    assert call(p, "entity.add", {"ENTITY": "!!", "NAME": "x"}).body == {
        "error": "ERROR_ARGUMENT", "error_description": "Argument 'ENTITY' is null or empty", "argument": "ENTITY"}


def test_rights_letters_decide_who_reads_writes_and_manages():  # DOCS: R read, W write, X manage
    p = portal()
    ok(call(p, "entity.add", {"ENTITY": "ro", "NAME": "Read only", "ACCESS": {"AU": "R", "U5": "W", "D3": "X",
                                                                             "U2": "bogus"}}))
    assert error(call(p, "entity.item.add", {"ENTITY": "ro", "NAME": "x"}, OWN)) == (403, "ACCESS_DENIED",
                                                                                     "Access denied!")
    assert result(p, "entity.item.add", {"ENTITY": "ro", "NAME": "x"}, ALL) == 1
    assert [i["NAME"] for i in result(p, "entity.item.get", {"ENTITY": "ro"}, OWN)] == ["x"]
    assert error(call(p, "entity.item.property.add", {"ENTITY": "ro", "PROPERTY": "p"}, ALL))[:2] == (
        403, "ACCESS_DENIED")
    assert result(p, "entity.item.property.add", {"ENTITY": "ro", "PROPERTY": "p"}, READER) is True  # D3: X
    assert error(call(p, "entity.rights", {"ENTITY": "ro", "ACCESS": {"AU": "W"}}, OWN))[0] == 403
    assert result(p, "entity.update", {"ENTITY": "ro", "NAME": "Renamed"}) is True  # admins manage everything
    assert result(p, "entity.get", {"ENTITY": "ro"}, NO_CRM)["NAME"] == "Renamed"  # entity rights, not CRM rights


def test_items_have_the_iblock_shape_and_keep_only_declared_properties():  # DOCS entity-item-get.md
    p = installed()
    new_id = result(p, "entity.item.add", {"ENTITY": "ladder", "NAME": "run:2026-11-23",
                                           "PROPERTY_VALUES": {"owner": 2, "undeclared": "x"}}, OWN)
    assert new_id == 1
    [item] = result(p, "entity.item.get", {"ENTITY": "ladder"}, OWN)
    assert item == {
        "ID": "1", "TIMESTAMP_X": "2026-11-23T09:00:00+03:00", "MODIFIED_BY": "2",
        "DATE_CREATE": "2026-11-23T09:00:00+03:00", "CREATED_BY": "2", "ACTIVE": "Y", "DATE_ACTIVE_FROM": "",
        "DATE_ACTIVE_TO": "", "SORT": "500", "NAME": "run:2026-11-23", "PREVIEW_PICTURE": None,
        "PREVIEW_TEXT": None, "DETAIL_PICTURE": None, "DETAIL_TEXT": None, "CODE": None, "ENTITY": "ladder",
        "SECTION": None, "PROPERTY_VALUES": {"owner": "2", "done": ""}}
    assert error(call(p, "entity.item.add", {"ENTITY": "nope", "NAME": "x"})) == (
        400, "ERROR_ENTITY_NOT_FOUND", "Entity not found")


def test_the_lock_recipe_lowest_id_wins_and_a_stale_lock_can_be_taken_over():  # §B.2.1 "Lock recipe"
    p = installed()
    day = "run:2026-11-23"
    # Two admins open the app at once: each adds its claim in one batch, then reads the claims back.
    for user in (ADMIN, ALL):
        ok(call(p, "entity.item.add", {"ENTITY": "ladder", "NAME": day, "PROPERTY_VALUES": {"owner": user}}, user))
    claims = result(p, "entity.item.get", {"ENTITY": "ladder", "FILTER": {"NAME": day}, "SORT": {"ID": "ASC"}}, ALL)
    assert [c["PROPERTY_VALUES"]["owner"] for c in claims] == ["1", "5"]  # the lowest ID runs the pass
    winner = claims[0]
    assert result(p, "entity.item.update", {"ENTITY": "ladder", "ID": winner["ID"],
                                            "PROPERTY_VALUES": {"done": "2026-11-23T09:05:00+03:00"}}) is True
    done = result(p, "entity.item.get", {"ENTITY": "ladder", "FILTER": {"NAME": day, "!PROPERTY_DONE": ""}}, ALL)
    assert [d["ID"] for d in done] == [winner["ID"]] and done[0]["PROPERTY_VALUES"]["owner"] == "1"
    # The next day: a claim older than 30 minutes with no `done` is stale.
    p.travel(days=1)
    ok(call(p, "entity.item.add", {"ENTITY": "ladder", "NAME": "run:2026-11-24", "PROPERTY_VALUES": {"owner": 5}},
            ALL))
    p.travel(minutes=40)
    stale = result(p, "entity.item.get", {"ENTITY": "ladder", "FILTER": {
        "NAME": "run:2026-11-24", "PROPERTY_DONE": "", "<DATE_CREATE": p.iso(p.clock.now() - 1800)}})
    assert [s["PROPERTY_VALUES"]["owner"] for s in stale] == ["5"]
    for claim in claims[1:]:
        assert result(p, "entity.item.delete", {"ENTITY": "ladder", "ID": claim["ID"]}, ALL) is True
    assert len(result(p, "entity.item.get", {"ENTITY": "ladder"})) == 2


def test_filters_sorts_and_pages_like_an_iblock():  # DOCS entity-item-get.md; CORE checkFilter
    p = installed(plan="off")  # 60 adds in a row would meet the leaky bucket
    for n in range(60):
        ok(call(p, "entity.item.add", {"ENTITY": "ladder", "NAME": f"item {n:02d}", "SORT": n % 7,
                                       "PROPERTY_VALUES": {"owner": n % 3}}))
    first = call(p, "entity.item.get", {"ENTITY": "ladder"}).body
    assert (len(first["result"]), first["total"], first["next"]) == (50, 60, 50)
    assert first["time"]["processing"] == pytest.approx(p.costs.list_page(60), abs=1e-6)
    second = call(p, "entity.item.get", {"ENTITY": "ladder", "start": 50}).body
    assert [i["ID"] for i in second["result"]] == [str(n) for n in range(51, 61)] and "next" not in second

    def names(**query):
        return [i["NAME"] for i in result(p, "entity.item.get", {"ENTITY": "ladder", **query})]

    assert names(FILTER={"PROPERTY_OWNER": 2, ">=ID": 50}) == ["item 50", "item 53", "item 56", "item 59"]
    assert names(FILTER={"><ID": [3, 5]}) == ["item 02", "item 03", "item 04"]
    assert names(FILTER={"?NAME": "item 1", "!PROPERTY_OWNER": 0}) == [f"item 1{n}" for n in (0, 1, 3, 4, 6, 7, 9)]
    assert names(FILTER={"1": {"LOGIC": "OR", "NAME": "item 00", "ID": 60}}) == ["item 00", "item 59"]
    assert names(FILTER={"~NAME": "dropped"})[:1] == ["item 00"]  # an unknown operation is dropped
    assert names(FILTER={"SORT": 6}, SORT={"ID": "DESC"}) == ["item 55", "item 48", "item 41", "item 34",
                                                              "item 27", "item 20", "item 13", "item 06"]


def test_update_changes_only_what_is_given_and_errors_are_documented():  # DOCS entity-item-update/delete.md
    p = installed()
    item = result(p, "entity.item.add", {"ENTITY": "ladder", "NAME": "claim", "PROPERTY_VALUES": {"owner": 1}})
    p.travel(minutes=5)
    ok(call(p, "entity.item.update", {"ENTITY": "ladder", "ID": item, "PROPERTY_VALUES": {"done": "yes"}}, ALL))
    [row] = result(p, "entity.item.get", {"ENTITY": "ladder"})
    assert row["PROPERTY_VALUES"] == {"owner": "1", "done": "yes"} and row["NAME"] == "claim"
    assert row["MODIFIED_BY"] == "5" and row["TIMESTAMP_X"] == "2026-11-23T09:05:00+03:00"
    assert row["DATE_CREATE"] == "2026-11-23T09:00:00+03:00"
    assert error(call(p, "entity.item.update", {"ENTITY": "ladder", "ID": 99})) == (
        400, "ERROR_ITEM_NOT_FOUND", "Item not found")
    assert error(call(p, "entity.item.delete", {"ENTITY": "ladder"}))[1] == "ERROR_ARGUMENT"
    assert error(call(p, "entity.item.property.add", {"ENTITY": "ladder", "PROPERTY": "owner"})) == (
        400, "ERROR_PROPERTY_ALREADY_EXISTS", "Property already exists")
    assert error(call(p, "entity.item.property.add", {"ENTITY": "ladder", "PROPERTY": "x", "TYPE": "L"}))[1] == \
        "ERROR_ARGUMENT"
    assert [x["PROPERTY"] for x in result(p, "entity.item.property.get", {"ENTITY": "ladder"})] == ["owner", "done"]


def test_deleting_the_storage_takes_its_items():  # DOCS entity-delete.md
    p = installed()
    ok(call(p, "entity.item.add", {"ENTITY": "ladder", "NAME": "x"}))
    assert error(call(p, "entity.delete", {"ENTITY": "ladder"}, ALL))[0] == 403
    assert result(p, "entity.delete", {"ENTITY": "ladder"}) is True
    assert p.storages == {} and call(p, "entity.item.get", {"ENTITY": "ladder"}).body["error"] == \
        "ERROR_ENTITY_NOT_FOUND"


def test_two_admins_claiming_at_once_over_http_agree_on_the_winner():  # §B.2.1 lock recipe, REF §1.1
    import concurrent.futures
    import json
    import urllib.request

    from b24sim.http import serve_in_thread
    from simkit import token

    p = installed()
    with serve_in_thread(p) as face:
        def rest(method: str, params: dict, user: int) -> object:
            body = json.dumps({**params, "auth": token(p, user)}).encode()
            request = urllib.request.Request(face.rest_url + method, data=body,
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())["result"]

        def open_app(user: int) -> str:
            rest("entity.item.add", {"ENTITY": "ladder", "NAME": "run:2026-11-23",
                                     "PROPERTY_VALUES": {"owner": user}}, user)
            claims = rest("entity.item.get", {"ENTITY": "ladder", "FILTER": {"NAME": "run:2026-11-23"},
                                              "SORT": {"ID": "ASC"}}, user)
            return claims[0]["PROPERTY_VALUES"]["owner"]

        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            winners = list(pool.map(open_app, (ADMIN, ALL)))
    assert len(set(winners)) == 1 and winners[0] in ("1", "5")
    assert sorted(i["ID"] for i in p.storages["ladder"]["items"].values()) == [1, 2]
