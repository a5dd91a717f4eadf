"""The Planning mode in the portal (planning.md "Planning view"): each group's count is the
core's for the same CRM, the user's rights and the picked people; planning a call from a row
creates the to-do in the portal (owner, deadline, responsible, ping) and moves the row to
"planned" at once.  An admin on a desktop (EN) sees everyone; a head on a phone (RU) sees
their department tree and picks one employee.  Screenshots: tests/e2e/screenshots/portal-planning-*.png."""

from __future__ import annotations

from datetime import timedelta

import pytest

from b24clients import records
from b24clients.classify import classify
from b24clients.lifecycle import Thresholds
from b24clients.ranks import BANDS, RANKS, RankSettings, month_load, touch_statuses
from b24clients.ranks.slipping import slipping_soon
from b24clients.snapshot import snapshot_from_data
from syncfix import expected_ranks, generated, visible_snapshot
from test_app_in_portal import (DESKTOP, PORTAL_TZ, choose_mode, frame_fits, make_portal, number, open_app, shot,
                                small_touch_targets, today_of, user_with, wait_run)
from test_engine_in_page import months_read

pytestmark = pytest.mark.e2e

HEAD = 8
"""Heads "Sales — Moscow" (3) and, through it, 10 and 11; reads them all (sub-departments)."""


@pytest.fixture(scope="module")
def data():
    return generated(150, 3)


def core_view(portal, user: int, settings=RankSettings()):
    """What the core makes of the portal's data as `user` sees it: that data, today, its CRM,
    the ranks, the touch statuses and each record's responsible."""
    seen = visible_snapshot(portal, user)
    today = today_of(portal)
    crm = snapshot_from_data(seen).crm
    ranks = expected_ranks(seen, today).ranks
    touches = [((entity, int(row["ID"])), touch) for entity, table in (("contact", "contacts"), ("company", "companies"))
               for row in seen[table] if (touch := records.record_touch(row, PORTAL_TZ)) is not None]
    activities = [records.activity(row, PORTAL_TZ) for row in seen["activities"]]
    statuses = touch_statuses(crm, activities, touches, ranks, settings, today)
    owner = {(entity, int(row["ID"])): records.ref_id(row.get("ASSIGNED_BY_ID"))
             for entity, table in (("contact", "contacts"), ("company", "companies")) for row in seen[table]}
    return seen, today, crm, ranks, statuses, owner


def core_counts(portal, user: int, responsibles: set[int] | None, settings=RankSettings()) -> dict[str, int]:
    """The groups' sizes as the core computes them from the portal's data as `user` sees it."""
    _, today, crm, _, statuses, owner = core_view(portal, user, settings)
    wanted = {ref for ref in statuses if responsibles is None or owner.get(ref) in responsibles}
    counts = {f"plan.{rank}.{band}": 0 for rank in RANKS for band in BANDS}
    counts.update({f"plan.band.{band}": 0 for band in BANDS})
    for ref in wanted:
        status = statuses[ref]
        counts[f"plan.{status.rank}.{status.band}"] += 1
        counts[f"plan.band.{status.band}"] += 1
    rows = classify(crm, today, Thresholds())
    counts["plan.slipping"] = sum(1 for row in slipping_soon(rows, today, Thresholds())
                                  if (row.entity, row.id) in wanted)
    return counts


def shown_counts(frame) -> dict[str, int]:
    pairs = frame.eval_on_selector_all("#panel [data-count^='plan.']",
                                       "els => els.map(e => [e.dataset.count, e.textContent])")
    return {key: number(text) for key, text in pairs}


def wait_planning(frame) -> None:
    frame.wait_for_selector("#panel .plan-groups[data-filled]", timeout=60_000)


def asked_since(face, served: int) -> list[str]:
    """The portal methods asked since the first `served` requests, a batch's commands each."""
    methods = []
    for request in list(face.requests)[served:]:
        commands = (request["params"].get("cmd") or {}) if request["method"] == "batch" else {}
        methods += [str(c).split("?")[0] for c in commands.values()] if commands else [request["method"]]
    return methods


def opens_without_reading_activities(face, served: int) -> bool:
    """A computing page's Planning mode takes the activities its run folded (planning.md
    "Speed"): only the company structure is asked for."""
    asked = asked_since(face, served)
    return "crm.activity.list" not in asked and "department.get" in asked


def prefetched(frame, face, served: int = 0) -> list[str]:
    """The Planning mode's source, read and banded behind the dashboard a run has drawn
    (waited for): the methods it asked, from its `department.get` on (the clock and the
    structure go first, at once; a reading page's activities after them)."""
    frame.wait_for_function("() => window.__planningBandedAt !== undefined", timeout=60_000)
    asked = asked_since(face, served)
    assert "department.get" in asked, "nothing was read for the Planning mode behind the dashboard"
    return asked[asked.index("department.get"):]


def opens_prefetched(frame, face) -> None:
    """After a run the mode opens on what was read behind the dashboard: not one request
    more, and (a computing page) no activity read — the run folded them."""
    assert "crm.activity.list" not in prefetched(frame, face)
    served = len(face.requests)
    choose_mode(frame, "planning")
    wait_planning(frame)
    assert asked_since(face, served) == []


def plan_first(opened, portal, group: str, kind: str, responsible_of, days_ahead: int = 3):
    """Plan from the first row of a group; the to-do the portal then holds."""
    frame = opened.frame
    row = frame.locator(f"#panel [data-group='{group}'] tr.plan-row").first
    ref = row.get_attribute("data-ref")
    entity, rid = ref.split(".")
    before = {a["ID"] for a in portal.snapshot()["activities"]}
    row.locator(f"[data-plan={kind}]").click()
    dialog = frame.locator("dialog.sheet[open]")
    dialog.locator(".plan-cal__day").first.wait_for()
    today = today_of(portal)
    day = today + timedelta(days=days_ahead)
    responsible = responsible_of((entity, int(rid)))
    if (day.year, day.month) != (today.year, today.month):
        dialog.locator("[data-month='1']").click()
    cell = dialog.locator(f"[data-day='{day.isoformat()}']")
    cell.wait_for()
    everything = [records.activity(a, PORTAL_TZ) for a in portal.snapshot()["activities"]]
    load = {d.day.isoformat(): d.open for d in month_load(everything, responsible, day.year, day.month, 8)}
    shown = dict(frame.eval_on_selector_all("dialog.sheet[open] [data-day]",
                                            "els => els.map(e => [e.dataset.day, Number(e.dataset.open)])"))
    assert shown == load
    cell.click()
    assert cell.get_attribute("aria-pressed") == "true"
    return ref, day, before, dialog


def admin_planning(serve, browsing, data):
    """An admin on a desktop (EN), in the Planning mode once its groups are drawn."""
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    opened = open_app(browsing, face, admin, lang="en")
    assert opened.error is None, opened.diagnostics()
    wait_run(opened)
    opens_prefetched(opened.frame, face)
    return portal, face, admin, opened


def test_an_admin_sees_everyones_groups_as_the_core_counts_them_and_plans_a_call(serve, browsing, data):
    portal, face, admin, opened = admin_planning(serve, browsing, data)
    frame = opened.frame
    want = core_counts(portal, admin, None)
    assert shown_counts(frame) == want
    assert want["plan.A.overdue"] > 0 and want["plan.band.planned"] > 0 and want["plan.band.fine"] > 0
    assert frame.locator(".clients").is_hidden()          # the groups are the mode's list
    order = frame.eval_on_selector_all("#panel [data-group]", "els => els.map(e => e.dataset.group)")
    assert order[:3] == ["slipping", "A.overdue", "A.due_soon"]
    overdue = frame.eval_on_selector_all("#panel [data-group='A.overdue'] .plan-row__overdue",
                                         "els => els.map(e => e.textContent)")
    days = [10 ** 6 if text == "—" else number(text) for text in overdue]  # never touched ("—" due) first
    assert days == sorted(days, reverse=True)
    shot(opened, "planning-desktop-en")

    owners = {(e, int(r["ID"])): int(r["ASSIGNED_BY_ID"]) for e, t in (("contact", "contacts"), ("company", "companies"))
              for r in portal.snapshot()[t]}
    ref, day, before, dialog = plan_first(opened, portal, "A.overdue", "call", owners.get)
    shot(opened, "planning-desktop-en-form")
    dialog.locator("[data-plan-save]").click()
    frame.wait_for_selector("dialog.sheet[open]", state="detached")
    frame.wait_for_selector(f"#panel [data-group='A.planned'] tr[data-ref='{ref}']", state="attached")
    made = [a for a in portal.snapshot()["activities"] if a["ID"] not in before]
    assert len(made) == 1
    todo = made[0]
    entity, rid = ref.split(".")
    assert (todo["OWNER_TYPE_ID"], todo["OWNER_ID"]) == ({"company": "4", "contact": "3"}[entity], rid)
    assert todo["DEADLINE"].startswith(f"{day.isoformat()}T10:00:00")
    assert todo["RESPONSIBLE_ID"] == str(owners[(entity, int(rid))]) and todo["AUTHOR_ID"] == str(admin)
    assert todo["SUBJECT"].startswith("Call: ")
    assert [p["offset"] for p in portal.pings if p["activity_id"] == int(todo["ID"])] == [15]
    after = shown_counts(frame)
    assert after["plan.A.overdue"] == want["plan.A.overdue"] - 1 and after["plan.A.planned"] == want["plan.A.planned"] + 1
    assert after == core_counts(portal, admin, None)       # the portal agrees: the to-do plans the touch
    frame.locator("#panel [data-group='A.planned'] summary").scroll_into_view_if_needed()
    shot(opened, "planning-desktop-en-planned")

    folded = frame.eval_on_selector_all("#panel details[data-group]:not([open])", """els => els
        .filter(e => e.querySelector('.plan-group__count').textContent.trim() !== '0').map(e => e.dataset.group)""")
    assert folded, "a folded group with clients"
    assert frame_fits(frame)
    summary = frame.locator(f"#panel [data-group='{folded[0]}'] summary")
    summary.click()                                          # its rows are drawn on opening: the frame grows
    frame.wait_for_selector(f"#panel [data-group='{folded[0]}'] tr.plan-row", state="attached")
    assert frame_fits(frame)
    summary.click()                                          # and shrinks again when it folds
    frame.wait_for_selector(f"#panel [data-group='{folded[0]}'] tr.plan-row", state="hidden")
    assert frame_fits(frame)


def test_a_head_on_a_phone_sees_their_tree_and_picks_one_employee(serve, browsing, data):
    portal = make_portal(data)
    face = serve(portal)
    opened = open_app(browsing, face, HEAD, lang="ru", phone=True)
    assert opened.error is None, opened.diagnostics()
    wait_run(opened)
    frame = opened.frame
    opens_prefetched(frame, face)                             # their own computing run (department rights)
    picker = frame.locator("[data-plan-scope]")
    options = frame.eval_on_selector_all("[data-plan-scope] option", "els => els.map(e => e.value)")
    assert options == ["me", "tree", "user.12"]               # 11 works in the tree but is not active
    assert picker.input_value() == "tree"
    assert shown_counts(frame) == core_counts(portal, HEAD, {8, 12})
    assert frame_fits(frame) and small_touch_targets(frame) == []
    shot(opened, "planning-phone-ru")
    picker.select_option("user.12")
    frame.wait_for_function("() => document.querySelector('[data-plan-scope]').value === 'user.12'")
    wait_planning(frame)                                      # the open groups are filled one task each
    assert shown_counts(frame) == core_counts(portal, HEAD, {12})
    shot(opened, "planning-phone-ru-employee")
    owners = {(e, int(r["ID"])): int(r["ASSIGNED_BY_ID"]) for e, t in (("contact", "contacts"), ("company", "companies"))
              for r in portal.snapshot()[t]}
    group = next(key for key in ("A.overdue", "B.overdue", "C.overdue", "A.due_soon")
                 if frame.locator(f"#panel [data-group='{key}'] tr.plan-row").count())
    ref, day, before, dialog = plan_first(opened, portal, group, "meeting", owners.get, days_ahead=1)
    assert frame_fits(frame) and small_touch_targets(frame) == []
    shot(opened, "planning-phone-ru-form")
    dialog.locator("[data-plan-save]").click()
    frame.wait_for_selector("dialog.sheet[open]", state="detached")
    frame.wait_for_selector(f"#panel [data-group='{group[0]}.planned'] tr[data-ref='{ref}']", state="attached")
    todo = next(a for a in portal.snapshot()["activities"] if a["ID"] not in before)
    assert todo["SUBJECT"].startswith("Встреча: ") and todo["RESPONSIBLE_ID"] == "12" and todo["AUTHOR_ID"] == str(HEAD)
    assert shown_counts(frame) == core_counts(portal, HEAD, {12})
    opened.page.evaluate("() => { document.getElementById('app-frame').style.width = '360px'; }")
    frame.wait_for_function("() => window.innerWidth === 360")
    assert frame_fits(frame) and small_touch_targets(frame) == []
    shot(opened, "planning-phone-ru-360")


def core_control(portal, user: int, responsibles: set[int] | None, period_key: str = "30d"):
    """The control table as the core computes it from the portal's data as `user` sees it."""
    from b24clients.web import control
    from b24clients.web.listing import ListRow

    seen, today, _, ranks, statuses, owner = core_view(portal, user)
    rows = [ListRow(entity, rid, "", "b2b", "active", "regular", None, 0, None, None, None, owner.get((entity, rid)),
                    False, rank=ranks[(entity, rid)]) for entity, rid in statuses]
    events = [control.event(row, PORTAL_TZ) for row in seen["activities"]]
    touched = control.last_touches_by([records.activity(row, PORTAL_TZ) for row in seen["activities"]],
                                      RankSettings().touch_kinds)
    table = control.control(rows, statuses, events, control.period_range(period_key, today), today,
                            frozenset(responsibles) if responsibles is not None else None, PORTAL_TZ, touched)
    return {e.user_id or 0: {**{key: len(getattr(e, key)) for key in control.NUMBERS},
                             "last_touch": e.last_touch.isoformat() if e.last_touch else "", "events": {
        key: sorted(item.id for item in getattr(e, key)) for key in ("created", "completed", "late", "open_overdue")}}
        for e in table}


def shown_control(frame) -> dict[int, dict[str, int]]:
    cells = frame.eval_on_selector_all("#panel [data-control]", "els => els.map(e => [e.dataset.control, e.textContent])")
    out: dict[int, dict[str, int]] = {}
    for key, text in cells:
        uid, name = key.split(".", 1)
        out.setdefault(int(uid), {})[name] = number(text)
    for uid, day in frame.eval_on_selector_all("#panel [data-employee]", """els => els.map(e => [e.dataset.employee,
            e.querySelector('[data-last-touch]').dataset.lastTouch])"""):
        out[int(uid)]["last_touch"] = day
    return out


@pytest.mark.parametrize("lang, phone", [("en", False), ("ru", True)])
def test_the_heads_control_table_counts_their_tree_and_every_number_opens_its_list(serve, browsing, data, lang,
                                                                                   phone):
    portal = make_portal(data)
    face = serve(portal)
    opened = open_app(browsing, face, HEAD, lang=lang, phone=phone)
    size = f"{'phone' if phone else 'desktop'}-{lang}"
    assert opened.error is None, opened.diagnostics()
    wait_run(opened)
    frame = opened.frame
    choose_mode(frame, "managers")
    frame.wait_for_selector("#panel .control__table", timeout=60_000)
    want = core_control(portal, HEAD, {8, 12})
    shown = shown_control(frame)
    assert set(shown) == {8, 12}
    assert {uid: {k: v for k, v in row.items() if k != "events"} for uid, row in want.items()} == shown
    assert sum(row["created"] + row["completed"] + row["open_overdue"] for row in shown.values()) > 0
    assert all(row["last_touch"] for row in shown.values())
    assert frame_fits(frame) and (not phone or small_touch_targets(frame) == [])
    shot(opened, f"control-{size}")
    uid, key = next((uid, key) for uid in (12, 8) for key in ("late", "open_overdue", "completed", "created")
                    if want[uid][key])
    frame.locator(f"#panel button[data-control='{uid}.{key}']").click()
    sheet = frame.locator("dialog.sheet[open]")
    sheet.locator("[data-control-list=activities]").wait_for()
    ids = sorted(int(x) for x in frame.eval_on_selector_all("dialog.sheet[open] [data-activity]",
                                                             "els => els.map(e => e.dataset.activity)"))
    assert ids == want[uid]["events"][key]
    first = sheet.locator("[data-activity]").first.inner_text()
    assert first.count("\t") >= 6 or len(first.split("\n")) >= 6     # client, activity, by, responsible, 3 dates
    shot(opened, f"control-{size}-{key}")
    sheet.locator(".sheet__head button").click()
    frame.locator("#panel [data-control-period]").select_option("week")
    frame.wait_for_function("() => document.querySelector('#panel .control__table') !== null && "
                            "document.querySelector('[data-control-period]').value === 'week'")
    week = core_control(portal, HEAD, {8, 12}, "week")
    assert {uid: {k: v for k, v in row.items() if k != "events"} for uid, row in week.items()} == shown_control(frame)
    frame.locator(f"#panel [data-control='{uid}.clients']").click()
    frame.locator("dialog.sheet[open] [data-control-list=clients]").wait_for()
    assert frame.locator("dialog.sheet[open] [data-ref]").count() == want[uid]["clients"]
    if phone:  # the narrowest phone we support
        frame.locator("dialog.sheet[open] .sheet__head button").click()
        opened.page.evaluate("() => { document.getElementById('app-frame').style.width = '360px'; }")
        frame.wait_for_function("() => window.innerWidth === 360")
        assert frame_fits(frame) and small_touch_targets(frame) == []
        shot(opened, f"control-{size}-360")


def test_a_manager_with_own_rights_reads_the_written_ranks_and_plans_a_call_on_their_own_client(serve, browsing,
                                                                                              data):
    portal = make_portal(data, write_back=True)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    computing = open_app(browsing, face, admin, lang="en")
    wait_run(computing)                                   # computed and written: everyone else reads
    prefetched(computing.frame, face)
    served = len(face.requests)
    manager = 7                                           # "own" CRM rights, heads nobody
    opened = open_app(browsing, face, manager, lang="en")
    assert opened.error is None, opened.diagnostics()
    wait_run(opened)
    frame = opened.frame
    assert "crm.activity.list" in prefetched(frame, face, served)  # a reading run folds no activity: read
    served = len(face.requests)
    choose_mode(frame, "planning")
    wait_planning(frame)
    assert asked_since(face, served) == []
    assert frame.locator("[data-plan-scope]").count() == 0   # their own clients, nobody to pick
    today = today_of(portal)
    ranks = expected_ranks(portal.snapshot(), today).ranks
    seen = visible_snapshot(portal, manager)
    mine = {(e, int(r["ID"])) for e, t in (("contact", "contacts"), ("company", "companies")) for r in seen[t]
            if r.get("ASSIGNED_BY_ID") == str(manager)} & set(ranks)
    shown = shown_counts(frame)
    for rank in RANKS:
        assert sum(shown[f"plan.{rank}.{band}"] for band in BANDS) == sum(1 for ref in mine if ranks[ref] == rank)
    assert sum(shown[f"plan.band.{band}"] for band in BANDS) == len(mine) and {ranks[r] for r in mine} - {"N"}
    shot(opened, "planning-manager-en")
    owners = {ref: manager for ref in mine}
    group = next(f"{rank}.{band}" for band in BANDS for rank in RANKS if shown[f"plan.{rank}.{band}"])
    if frame.locator(f"#panel [data-group='{group}'][open]").count() == 0:
        frame.locator(f"#panel [data-group='{group}'] summary").click()
    ref, day, before, dialog = plan_first(opened, portal, group, "call", owners.get)
    dialog.locator("[data-plan-save]").click()
    frame.wait_for_selector(f"#panel [data-group='{group[0]}.planned'] tr[data-ref='{ref}']", state="attached")
    todo = next(a for a in portal.snapshot()["activities"] if a["ID"] not in before)
    assert (todo["RESPONSIBLE_ID"], todo["AUTHOR_ID"], todo["OWNER_ID"]) == ("7", "7", ref.split(".")[1])


def test_a_store_from_before_activities_were_folded_starts_over_and_the_mode_takes_them_from_the_new_run(
        serve, browsing, data):
    """Store format 4 folds each activity's kind, completion, people and days; a store of
    format 3 held their owners only.  Such a store is neither replayed nor continued: the
    next open reads from the first month again, and the Planning mode takes the activities
    that run folded, counting as the core does."""
    portal = make_portal(data)
    face = serve(portal)
    admin = user_with(data, "all", admin=True)
    context = browsing.context(viewport=DESKTOP)
    first = open_app(browsing, face, admin, context=context)
    wait_run(first)
    first_month = min(months_read(list(face.requests)))
    ns = f"{portal.member_id}:{admin}"
    older = first.frame.evaluate("""(ns) => b24cIdb.load(ns).then(s => {
        const meta = JSON.parse(s.meta);
        meta.format = 'b24clients-progress/3';
        return b24cIdb.commit(ns, JSON.stringify(meta), null).then(() => meta.format); })""", ns)
    assert older == "b24clients-progress/3"
    first.page.close()

    served = len(face.requests)
    again = open_app(browsing, face, admin, context=context)
    assert again.error is None, again.diagnostics()
    wait_run(again)
    assert min(months_read(list(face.requests)[served:])) == first_month  # read from the start again
    stored = again.frame.evaluate("(ns) => b24cIdb.load(ns).then(s => JSON.parse(s.meta).format)", ns)
    assert stored == "b24clients-progress/4"
    assert "crm.activity.list" not in prefetched(again.frame, face, served)
    choose_mode(again.frame, "planning")
    wait_planning(again.frame)
    assert shown_counts(again.frame) == core_counts(portal, admin, None)
