"""Authentication, permissions and faults (bitrix24-rest.md §1.4, §5, §10)."""

import pytest

from simkit import ok, portal, token


def ids(reply) -> list[int]:
    return [int(r["ID"]) for r in ok(reply)]


def test_an_expired_token_gets_401_and_a_refreshed_one_works():  # §5.1
    p = portal(5)
    pair = p.issue_token(1)
    p.expire_tokens()
    reply = p.call("user.current", {}, auth=pair["access_token"])
    assert reply.status == 401 and reply.body["error"] == "expired_token"
    fresh = p.refresh(pair["refresh_token"])
    assert p.call("user.current", {}, auth=fresh["access_token"]).status == 200


def test_tokens_expire_after_an_hour_of_portal_time():  # §4.3
    p = portal(5)
    t = token(p)
    p.clock.sleep(3601)
    assert p.call("user.current", {}, auth=t).body["error"] == "expired_token"


@pytest.mark.parametrize("kwargs, code", [({"auth": "nope"}, "invalid_token"), ({}, "NO_AUTH_FOUND"),
                                          ({"webhook": (1, "wrong")}, "NO_AUTH_FOUND")])
def test_bad_credentials_get_401(kwargs, code):  # §5.1
    reply = portal(5).call("user.current", {}, **kwargs)
    assert reply.status == 401 and reply.body["error"] == code


def test_a_user_the_app_is_not_opened_to_gets_user_access_error():  # §1.4
    p = portal(5)
    p.faults.denied_users.add(2)
    reply = p.call("user.current", {}, auth=token(p, 2))
    assert reply.status == 403 and reply.body["error"] == "user_access_error"


def test_own_department_and_all_see_different_rows_silently():  # §10
    p = portal(9)
    everyone = ids(p.call("crm.contact.list", {"select": ["ID"]}, auth=token(p, 1)))
    own = ids(p.call("crm.contact.list", {"select": ["ID"]}, auth=token(p, 2)))
    department = ids(p.call("crm.contact.list", {"select": ["ID"]}, auth=token(p, 3)))
    assert everyone == list(range(1, 10))
    assert own == [1, 4, 7]                    # assigned to user 2
    assert department == [1, 2, 4, 5, 7, 8]    # assigned to users 2 and 5 of department 2
    assert p.call("crm.contact.list", {}, auth=token(p, 2)).body["total"] == 3


def test_no_crm_access_is_access_denied():  # §10
    p = portal(5)
    reply = p.call("crm.contact.list", {}, auth=token(p, 4))
    assert reply.status == 400 and reply.body == {"error": "", "error_description": "Access denied."}


def test_single_reads_and_updates_of_unseen_records_are_refused():  # §10
    p = portal(5)
    t = token(p, 2)
    assert p.call("crm.contact.get", {"id": 2}, auth=t).body["error_description"] == "Access denied."
    assert p.call("crm.contact.update", {"id": 2, "fields": {"NAME": "x"}}, auth=t).status == 400
    assert p.call("crm.item.get", {"entityTypeId": 3, "id": 2}, auth=t).body["error"] == "ACCESS_DENIED"
    assert p.call("crm.contact.get", {"id": 1}, auth=t).status == 200


def test_activities_and_requisites_follow_their_records():  # §10
    p = portal(5)
    own = token(p, 2)
    assert ok(p.call("crm.activity.list", {}, auth=own)) == []
    assert ok(p.call("crm.requisite.list", {}, auth=own)) == []
    assert len(ok(p.call("crm.activity.list", {}, auth=token(p, 1)))) == 1


def test_server_errors_drops_and_slow_answers_on_demand():
    p = portal(5)
    t = token(p)
    p.faults.server_errors = 2
    assert [p.call("user.current", {}, auth=t).status for _ in range(3)] == [500, 500, 200]
    p.faults.drops = 1
    with pytest.raises(ConnectionResetError):
        p.call("user.current", {}, auth=t)
    p.faults.slow_calls, p.faults.slow_s = 1, 30
    before = p.clock.now()
    p.call("user.current", {}, auth=t)
    assert p.clock.now() - before > 30


def test_rows_can_change_between_two_pages():
    p = portal(120)
    t = token(p)
    first = p.call("crm.contact.list", {"select": ["ID"]}, auth=t).body
    p.faults.after_page.append(lambda portal: portal.delete_record("contacts", 1))
    second = p.call("crm.contact.list", {"select": ["ID"], "start": first["next"]}, auth=t).body
    third = p.call("crm.contact.list", {"select": ["ID"], "start": second["next"]}, auth=t).body
    assert second["total"] == 120 and third["total"] == 119 and third["result"][0]["ID"] == "102"
