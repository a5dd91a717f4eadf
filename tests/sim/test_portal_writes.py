"""Writes are kept and visible: user fields, updates, options, placements, notifications (§6.3, §8, §9)."""

from simkit import ok, portal, token

LIFECYCLE = {"fields": {"USER_TYPE_ID": "enumeration", "FIELD_NAME": "B24C_LIFECYCLE", "XML_ID": "B24C_LIFECYCLE",
                        "EDIT_FORM_LABEL": {"ru": "Жизненный цикл", "en": "Lifecycle"},
                        "LIST": [{"VALUE": "Active", "XML_ID": "active"}, {"VALUE": "Lost", "XML_ID": "lost"}]}}


def test_an_enumeration_field_gets_item_ids_and_values_are_written_by_item_id():  # §8.1, §8.3
    p = portal(5)
    t = token(p)
    uf_id = ok(p.call("crm.contact.userfield.add", LIFECYCLE, auth=t))
    [field] = ok(p.call("crm.contact.userfield.list", {"filter": {"FIELD_NAME": "UF_CRM_B24C_LIFECYCLE", "LANG": "ru"}},
                        auth=t))
    assert field["ID"] == str(uf_id) and field["EDIT_FORM_LABEL"] == "Жизненный цикл"
    active = next(item["ID"] for item in field["LIST"] if item["XML_ID"] == "active")
    assert ok(p.call("crm.contact.update", {"id": 3, "fields": {"UF_CRM_B24C_LIFECYCLE": active}}, auth=t)) is True
    row = ok(p.call("crm.contact.list", {"filter": {"ID": 3}, "select": ["ID", "UF_CRM_B24C_LIFECYCLE"]}, auth=t))[0]
    assert row["UF_CRM_B24C_LIFECYCLE"] == active
    item = ok(p.call("crm.item.get", {"entityTypeId": 3, "id": 3}, auth=t))["item"]
    assert item["ufCrmB24cLifecycle"] == active
    assert p.writes[-1]["method"] == "crm.contact.update"


def test_the_same_field_twice_is_refused_and_only_admins_add_fields():  # §8.1
    p = portal(5)
    assert p.call("crm.contact.userfield.add", LIFECYCLE, auth=token(p)).status == 200
    again = p.call("crm.contact.userfield.add", LIFECYCLE, auth=token(p))
    assert again.status == 400 and "already exists" in again.body["error_description"]
    assert p.call("crm.company.userfield.add", LIFECYCLE, auth=token(p, 2)).body["error_description"] == "Access denied"
    assert p.call("crm.company.userfield.add", LIFECYCLE, auth=token(p)).status == 200


def test_an_update_bumps_date_modify_and_unknown_fields_are_ignored():  # §8.3
    p = portal(5)
    t = token(p)
    p.clock.sleep(60)
    ok(p.call("crm.contact.update", {"id": 2, "fields": {"UF_CRM_NOPE": "1", "NAME": "New"}}, auth=t))
    row = ok(p.call("crm.contact.get", {"id": 2}, auth=t))
    assert row["NAME"] == "New" and "UF_CRM_NOPE" not in row and row["DATE_MODIFY"] == p.iso(p.clock.now() - 0.08 - 0.05)


def test_crm_item_update_writes_user_fields_by_their_camel_case_names():  # §8.3
    p = portal(5)
    t = token(p)
    ok(p.call("crm.company.userfield.add", {"fields": {"USER_TYPE_ID": "integer", "FIELD_NAME": "B24C_PAYMENTS"}},
              auth=t))
    ok(p.call("crm.item.update", {"entityTypeId": 4, "id": 7, "fields": {"ufCrmB24cPayments": 3}}, auth=t))
    assert p.tables["companies"].rows[7]["UF_CRM_B24C_PAYMENTS"] == "3"


def test_options_placements_notifications_comments_and_todos_are_kept():  # §6.3, §9, §12
    p = portal(5)
    t, own = token(p), token(p, 2)
    assert ok(p.call("app.option.set", {"options": {"active_months": 6}}, auth=t)) is True
    assert ok(p.call("app.option.get", {"option": "active_months"}, auth=own)) == 6
    assert p.call("app.option.set", {"options": {"x": 1}}, auth=own).status == 403
    ok(p.call("placement.bind", {"PLACEMENT": "CRM_CONTACT_DETAIL_TAB", "HANDLER": "https://app/index.html",
                                 "TITLE": "Client"}, auth=t))
    assert [x["placement"] for x in ok(p.call("placement.get", {}, auth=t))] == ["CRM_CONTACT_DETAIL_TAB"]
    hook = p.add_webhook(1)
    assert p.call("placement.bind", {"PLACEMENT": "DEFAULT", "HANDLER": "h"}, webhook=(1, hook)).body["error"] == \
        "WRONG_AUTH_TYPE"
    ok(p.call("im.notify.system.add", {"USER_ID": 2, "MESSAGE": "Refresh done"}, auth=t))
    ok(p.call("crm.timeline.comment.add", {"fields": {"ENTITY_ID": 1, "ENTITY_TYPE": "contact", "COMMENT": "Lost"}},
              auth=t))
    todo = ok(p.call("crm.activity.todo.add", {"ownerTypeId": 3, "ownerId": 1, "deadline": "2026-12-01T10:00:00",
                                               "title": "Call back"}, auth=t))
    assert p.notifications[0]["to"] == 2 and p.timeline_comments[0]["COMMENT"] == "Lost"
    assert p.tables["activities"].rows[todo["id"]]["PROVIDER_ID"] == "CRM_TODO"
    assert ok(p.call("user.option.set", {"options": {"tab": "b2b"}}, auth=own)) is True
    assert ok(p.call("user.option.get", {}, auth=own)) == {"tab": "b2b"}


def test_the_snapshot_of_a_portal_includes_its_writes():
    p = portal(5)
    ok(p.call("crm.contact.update", {"id": 1, "fields": {"NAME": "Changed"}}, auth=token(p)))
    assert next(c for c in p.snapshot()["contacts"] if c["ID"] == "1")["NAME"] == "Changed"
