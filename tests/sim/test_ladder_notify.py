"""Notifications: im.notify.system.add with a replacing TAG (the daily digest),
im.notify.personal.add, im.notify (next-features.md §B.2.3; bitrix24-rest.md §9;
DOCS im-notify-system-add.md; CORE CIMRestService::notifyAdd)."""

from __future__ import annotations

import hashlib

import pytest

from laddersim import ADMIN, ALL, OWN, call, error, ok, portal, result

APP_TAG = "MP|" + hashlib.md5(b"local.b24clients").hexdigest()[:5] + "|"


def test_a_system_notification_comes_from_the_app_and_answers_its_id():  # §B.2.3, REF §9
    p = portal()
    reply = call(p, "im.notify.system.add", {"USER_ID": ALL, "MESSAGE": "  3 clients drop soon  ", "TAG": "digest"},
                 OWN)
    assert reply.status == 200 and isinstance(reply.body["result"], int)
    [note] = p.notifications
    assert note["id"] == reply.body["result"] and note["kind"] == "system"
    assert (note["from"], note["by"], note["to"]) == (0, OWN, ALL)  # system: FROM_USER_ID 0; any user may send
    assert note["message"] == "3 clients drop soon" and note["title"] == "b24clients"
    assert note["tag"] == "digest" and note["key"] == APP_TAG + "digest"
    assert p.writes[-1]["method"] == "im.notify.system.add"


def test_the_same_tag_replaces_the_recipients_earlier_notification_only():  # §B.2.3 digest once a day
    p = portal()
    monday = result(p, "im.notify.system.add", {"USER_ID": ALL, "MESSAGE": "Monday", "TAG": "digest"})
    other = result(p, "im.notify.system.add", {"USER_ID": OWN, "MESSAGE": "Monday too", "TAG": "digest"})
    p.travel(days=1)
    tuesday = result(p, "im.notify.system.add", {"USER_ID": ALL, "MESSAGE": "Tuesday", "TAG": "digest"})
    assert [n["message"] for n in p.inbox(ALL)] == ["Tuesday"]
    assert [n["message"] for n in p.inbox(OWN)] == ["Monday too"]
    replaced = next(n for n in p.notifications if n["id"] == monday)
    assert replaced["replaced_by"] == tuesday and replaced["removed_at"] == p.notifications[-1]["at"]
    assert len(p.notifications) == 3 and other != tuesday


def test_untagged_or_differently_tagged_notifications_stack():  # §B.2.3
    p = portal()
    for params in ({"MESSAGE": "a"}, {"MESSAGE": "b"}, {"MESSAGE": "c", "TAG": "x"}, {"MESSAGE": "d", "TAG": "y"}):
        ok(call(p, "im.notify.system.add", {"USER_ID": ALL, **params}))
    assert [n["message"] for n in p.inbox(ALL)] == ["a", "b", "c", "d"]


def test_a_webhook_has_no_tag_namespace_without_client_id():  # DOCS "Pass it with CLIENT_ID when calling via webhook"
    p = portal()
    hook = (ADMIN, p.add_webhook(ADMIN))
    for message in ("one", "two"):
        assert p.call("im.notify.system.add", {"USER_ID": ALL, "MESSAGE": message, "TAG": "t"}, webhook=hook).status == 200
    assert [n["key"] for n in p.notifications] == [None, None] and len(p.inbox(ALL)) == 2
    p.call("im.notify.system.add", {"USER_ID": ALL, "MESSAGE": "three", "TAG": "t", "CLIENT_ID": "x"}, webhook=hook)
    assert p.notifications[-1]["key"] == "MP|" + hashlib.md5(b"customx").hexdigest()[:5] + "|t"
    assert p.notifications[-1]["title"] is None  # no app name without an app


def test_a_personal_notification_is_sent_on_behalf_of_the_current_user():  # REF §9
    p = portal()
    ok(call(p, "im.notify.personal.add", {"USER_ID": ALL, "MESSAGE": "Your client went Cold"}, OWN))
    ok(call(p, "im.notify", {"to": ALL, "message": "typed", "type": "SYSTEM"}, OWN))
    personal, typed = p.notifications
    assert (personal["kind"], personal["from"]) == ("personal", OWN)
    assert (typed["kind"], typed["from"]) == ("system", 0)


@pytest.mark.parametrize("params, code", [
    ({"MESSAGE": "x"}, "USER_ID_EMPTY"), ({"USER_ID": 0, "MESSAGE": "x"}, "USER_ID_EMPTY"),
    ({"USER_ID": 5, "MESSAGE": "   "}, "MESSAGE_EMPTY"),
    ({"USER_ID": 5, "MESSAGE": "x", "ATTACH": "{not json"}, "ATTACH_ERROR"),
    ({"USER_ID": 5, "MESSAGE": "x", "ATTACH": [{"MESSAGE": "y" * 60_001}]}, "ATTACH_OVERSIZE")])
def test_documented_errors(params, code):  # REF §9, §4.3
    p = portal()
    assert error(call(p, "im.notify.system.add", params))[:2] == (400, code)
    assert p.notifications == []


def test_an_unknown_recipient_gets_false_and_nothing_is_sent():  # DOCS "it may return false"
    p = portal()
    assert result(p, "im.notify.system.add", {"USER_ID": 999, "MESSAGE": "x"}) is False
    assert p.notifications == []


def test_a_notification_costs_an_update():  # spec/portal-sim.md cost model
    p = portal()
    reply = call(p, "im.notify.system.add", {"USER_ID": ALL, "MESSAGE": "x"})
    assert reply.body["time"]["processing"] == p.costs.update_s
