"""The Planning mode as plain data (planning.md "Planning view"): groups by rank and band,
most overdue first, "Slipping soon", the scope of the people picker, a planned call moving
its row at once, and the load calendar's weeks."""

from datetime import date, timedelta

from b24clients.lifecycle import Thresholds
from b24clients.model import Activity, Contact
from b24clients.ranks import RankSettings, month_load
from b24clients.ranks.scope import ALL, MINE, TREE, Department, Scope, department, headed_tree, members
from b24clients.web import planning
from b24clients.web.listing import ListRow

TODAY = date(2026, 11, 23)
SETTINGS = RankSettings()


def lrow(id, entity="company", *, rank="A", last_touch=None, responsible=7, lifecycle="without_contacts",
         last_payment=None, name=None):
    return ListRow(entity, id, name or f"Client {id:03d}", "b2b" if entity == "company" else "b2c", lifecycle,
                   "no_payments", last_payment, 0, last_touch, None, None, responsible, False, rank=rank)


def crm_of(rows):
    return planning.rows_crm(rows)


def days_ago(n):
    return TODAY - timedelta(days=n)


def keyed(found):
    return {g.key: [p.row.id for p in g.rows] for g in found}


class TestGroups:
    def rows(self):
        return [lrow(1, last_touch=days_ago(40)), lrow(2, last_touch=days_ago(90)), lrow(3),          # A overdue
                lrow(4, last_touch=days_ago(25)), lrow(5, last_touch=days_ago(29)),                   # A due soon
                lrow(6, last_touch=days_ago(2)),                                                       # A fine
                lrow(7, rank="B", last_touch=days_ago(200)), lrow(8, rank="N"),
                lrow(9, "contact", rank="C", last_touch=days_ago(10))]

    def test_by_rank_then_band_the_most_overdue_first_never_touched_first_of_all(self):
        rows = self.rows()
        found = planning.groups(rows, planning.statuses(rows, crm_of(rows), [], SETTINGS, TODAY), TODAY,
                                Thresholds())
        got = keyed(found)
        assert [g.key for g in found][:5] == ["slipping", "A.overdue", "A.due_soon", "A.planned", "A.fine"]
        assert len(found) == 1 + 4 * 4
        assert got["A.overdue"] == [3, 2, 1]
        assert got["A.due_soon"] == [5, 4]       # due tomorrow before due in 5 days
        assert got["A.fine"] == [6]
        assert got["B.overdue"] == [7] and got["N.fine"] == [8] and got["C.fine"] == [9]
        counts = planning.counts(found)
        assert counts["band.overdue"] == 4 and counts["band.fine"] == 3 and counts["A.planned"] == 0
        folded = {g.key: g.folded for g in found}
        assert not folded["A.overdue"] and not folded["A.due_soon"] and not folded["B.overdue"]
        assert folded["A.fine"] and folded["B.due_soon"] and folded["N.fine"] and folded["slipping"]  # empty

    def test_a_visible_call_on_a_contact_counts_for_its_company_and_an_open_activity_plans(self):
        rows = [lrow(1, last_touch=days_ago(90)), lrow(2, last_touch=days_ago(90))]
        crm = crm_of(rows)
        crm.contacts[50] = Contact(50, (1,))
        call = Activity(1, "call", completed=True, owners=(("contact", 50),), responsible_id=9,
                        done_on=days_ago(3))
        todo = Activity(2, "todo", owners=(("company", 2),), responsible_id=7, deadline=TODAY + timedelta(days=4))
        got = planning.statuses(rows, crm, [call, todo], SETTINGS, TODAY)
        assert got[("company", 1)].band == "fine" and got[("company", 1)].last_touch.by == 9
        assert got[("company", 2)].band == "planned" and got[("company", 2)].next_planned == TODAY + timedelta(days=4)

    def test_slipping_soon_active_clients_turning_sleeping_within_30_days_soonest_first(self):
        # Active for 6 months: paid 5 months and 20 days ago slips in ~10 days; 3 months ago does not.
        rows = [lrow(1, lifecycle="active", last_payment=date(2026, 6, 10)),
                lrow(2, lifecycle="active", last_payment=date(2026, 6, 1)),
                lrow(3, lifecycle="active", last_payment=date(2026, 8, 23)),
                lrow(4, lifecycle="sleeping", last_payment=date(2026, 5, 1))]
        found = planning.groups(rows, planning.statuses(rows, crm_of(rows), [], SETTINGS, TODAY), TODAY,
                                Thresholds())
        assert keyed(found)["slipping"] == [2, 1]

    def test_a_planned_call_moves_the_row_to_planned_at_once(self):
        rows = [lrow(1, last_touch=days_ago(90))]
        statuses = planning.statuses(rows, crm_of(rows), [], SETTINGS, TODAY)
        assert statuses[("company", 1)].band == "overdue"
        new = planning.planned(statuses, ("company", 1), TODAY + timedelta(days=2), TODAY, SETTINGS)
        assert new.band == "planned" and statuses[("company", 1)] is new
        assert new.due_on == days_ago(60) and new.last_touch.on == days_ago(90)
        later = planning.planned(statuses, ("company", 1), TODAY + timedelta(days=9), TODAY, SETTINGS)
        assert later.next_planned == TODAY + timedelta(days=2)  # the earliest stays the next one
        assert keyed(planning.groups(rows, statuses, TODAY, Thresholds()))["A.planned"] == [1]

    def test_a_reading_run_counts_calls_on_the_client_and_its_own_last_touch_not_deal_only_ones(self):
        rows = [lrow(1, last_touch=days_ago(90)), lrow(2, "contact", last_touch=days_ago(5))]
        crm = planning.rows_crm(rows)
        assert set(crm.companies) == {1} and set(crm.contacts) == {2}
        on_client = Activity(1, "call", completed=True, owners=(("company", 1),), done_on=days_ago(1))
        on_deal = Activity(2, "call", completed=True, deal_ids=(9,), done_on=days_ago(1))
        got = planning.statuses(rows, crm, [on_deal], SETTINGS, TODAY)
        assert got[("company", 1)].band == "overdue" and got[("contact", 2)].band == "fine"
        assert planning.statuses(rows, crm, [on_client], SETTINGS, TODAY)[("company", 1)].band == "fine"

    def test_in_scope(self):
        rows = [lrow(1, responsible=7), lrow(2, responsible=8), lrow(3, responsible=None)]
        assert [r.id for r in planning.in_scope(rows, frozenset({8}))] == [2]
        assert [r.id for r in planning.in_scope(rows, None)] == [1, 2, 3]


class TestScope:
    DEPTS = [{"ID": "1", "NAME": "Company"}, {"ID": "3", "NAME": "Sales", "PARENT": "1", "UF_HEAD": 20},
             {"ID": "10", "NAME": "North", "PARENT": "3", "UF_HEAD": "21"}, {"ID": "11", "NAME": "New", "PARENT": "10"},
             {"ID": "4", "NAME": "Other", "PARENT": "1", "UF_HEAD": 30}, {"NAME": "no id"}]
    USERS = [{"ID": "20", "UF_DEPARTMENT": [3]}, {"ID": "21", "UF_DEPARTMENT": [10]},
             {"ID": "22", "UF_DEPARTMENT": [11]}, {"ID": "23", "UF_DEPARTMENT": 3}, {"ID": "30", "UF_DEPARTMENT": [4]}]

    def tree(self):
        return {d.id: d for d in filter(None, map(department, self.DEPTS))}

    def test_a_heads_tree_is_what_they_head_and_everything_below_a_string_head_too(self):
        depts = self.tree()
        assert depts[10] == Department(10, "North", 3, 21)
        assert headed_tree(depts, 20) == {3, 10, 11}
        assert headed_tree(depts, 21) == {10, 11}
        assert headed_tree(depts, 22) == frozenset()
        assert set(members(self.USERS, {10, 11})) == {21, 22}
        assert set(members(self.USERS, headed_tree(depts, 20))) == {20, 21, 22, 23}

    def test_an_employee_sees_their_own_a_head_their_tree_an_admin_everyone(self):
        employee = Scope(22, admin=False)
        assert employee.choices([7, 8]) == [MINE] and employee.default() == MINE
        assert employee.users(ALL) == {22} and employee.users("user.21") == {22}
        head = Scope(20, admin=False, team=frozenset({20, 21, 22, 23}))
        assert head.choices([99]) == [MINE, TREE, "user.21", "user.22", "user.23"] and head.default() == TREE
        assert head.users(TREE) == {20, 21, 22, 23} and head.users("user.22") == {22}
        assert head.users("user.99") == {20} and head.users(ALL) == {20}
        admin = Scope(1, admin=True)
        assert admin.choices([7, 1]) == [MINE, ALL, "user.7"] and admin.users(ALL) is None and admin.default() == ALL
        assert admin.users("user.7") == {7}


def test_the_load_calendar_has_monday_first_weeks_and_marks_days_over_capacity():
    acts = [Activity(i, "todo", responsible_id=7, deadline=date(2026, 12, 2)) for i in range(1, 4)]
    loads = month_load(acts, 7, 2026, 12, capacity=2)
    rows = planning.weeks(loads)
    assert rows[0][:1] == [None] and rows[0][1].day == date(2026, 12, 1)     # 1 December 2026 is a Tuesday
    assert all(len(week) == 7 for week in rows) and rows[-1][3].day == date(2026, 12, 31)
    assert rows[0][2].open == 3 and rows[0][2].over and not rows[0][1].over
    assert planning.weeks([]) == []
