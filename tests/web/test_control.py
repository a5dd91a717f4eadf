"""The head's control table as plain data (planning.md "Manager control"): the periods, who
did what when, and per employee the numbers with the lists behind them."""

from datetime import date, datetime, timedelta, timezone

from b24clients.model import Activity, Touch
from b24clients.ranks import RankSettings, TouchStatus
from b24clients.web import control
from b24clients.web.listing import ListRow

MSK = timezone(timedelta(hours=3))
TODAY = date(2026, 11, 25)       # a Wednesday


def lrow(id, responsible):
    return ListRow("company", id, f"C{id}", "b2b", "active", "regular", None, 1, None, None, None, responsible,
                   False, rank="A")


def raw(id, responsible, created, *, closed=None, deadline="2026-11-20T18:00:00+03:00", author=None, subject="Call"):
    row = {"ID": str(id), "OWNER_TYPE_ID": "4", "OWNER_ID": "1", "RESPONSIBLE_ID": str(responsible),
           "AUTHOR_ID": str(author or responsible), "CREATED": created, "DEADLINE": deadline, "SUBJECT": subject,
           "COMPLETED": "Y" if closed else "N", "LAST_UPDATED": closed or created, "PROVIDER_ID": "CRM_TODO"}
    return row


def test_periods():
    assert control.period_range("week", TODAY) == (date(2026, 11, 23), TODAY)
    assert control.period_range("month", TODAY) == (date(2026, 11, 1), TODAY)
    assert control.period_range("30d", TODAY) == (date(2026, 10, 27), TODAY)
    assert control.period_range("custom", TODAY, (date(2026, 11, 10), date(2026, 11, 1))) == (
        date(2026, 11, 1), date(2026, 11, 10))
    assert control.period_range("custom", TODAY) == control.period_range("30d", TODAY)


def test_an_event_says_who_did_what_when_and_whether_it_was_late():
    done = control.event(raw(1, 7, "2026-11-19T10:00:00+03:00", closed="2026-11-21T09:00:00+03:00", author=20), MSK)
    assert (done.responsible_id, done.author_id, done.subject, done.owners) == (7, 20, "Call", (("company", 1),))
    assert done.created == datetime(2026, 11, 19, 10, tzinfo=MSK) and done.closed == datetime(2026, 11, 21, 9, tzinfo=MSK)
    assert done.late
    on_time = control.event(raw(2, 7, "2026-11-19T10:00:00+03:00", closed="2026-11-20T17:00:00+03:00"), MSK)
    assert not on_time.late
    still_open = control.event(raw(3, 7, "2026-11-19T10:00:00+03:00"), MSK)
    assert still_open.closed is None and not still_open.late
    never_due = control.event(raw(4, 7, "2026-11-19T10:00:00+03:00", deadline="9999-12-31T00:00:00+03:00"), MSK)
    assert never_due.deadline is None


def test_per_employee_in_the_period_the_most_a_clients_overdue_first():
    rows = [lrow(1, 7), lrow(2, 7), lrow(3, 8), lrow(4, 9)]
    statuses = {("company", 1): TouchStatus("A", "overdue", Touch(date(2026, 9, 1), 8)),
                ("company", 2): TouchStatus("A", "fine", Touch(date(2026, 11, 20), 7)),
                ("company", 3): TouchStatus("B", "overdue"), ("company", 4): TouchStatus("A", "overdue")}
    events = [control.event(r, MSK) for r in (
        raw(1, 7, "2026-11-23T00:00:00+03:00", closed="2026-11-24T10:00:00+03:00"),        # created, completed late
        raw(2, 7, "2026-11-22T23:59:00+03:00", closed="2026-11-23T00:30:00+03:00",
            deadline="2026-11-30T00:00:00+03:00"),                                            # completed on time
        raw(3, 8, "2026-11-24T09:00:00+03:00"),                                              # created, open overdue
        raw(4, 8, "2026-10-01T09:00:00+03:00", deadline="2026-11-25T08:00:00+03:00"),        # due today: not overdue
        raw(5, 9, "2026-11-24T09:00:00+03:00"))]                                             # not in the scope
    calls = [Activity(1, "call", completed=True, responsible_id=7, done_on=date(2026, 11, 20)),
             Activity(2, "call", completed=True, responsible_id=7, done_on=date(2026, 11, 2)),
             Activity(3, "todo", completed=True, responsible_id=8, done_on=date(2026, 11, 24)),   # not a touch
             Activity(4, "call", completed=True, responsible_id=8, done_on=date(2026, 9, 1)),
             Activity(5, "call", responsible_id=10, deadline=date(2026, 11, 30))]               # open: no touch
    touched = control.last_touches_by(calls, RankSettings().touch_kinds)
    assert touched == {7: date(2026, 11, 20), 8: date(2026, 9, 1)}
    table = control.control(rows, statuses, events, control.period_range("week", TODAY), TODAY,
                            frozenset({7, 8, 10}), MSK, touched)
    assert [e.user_id for e in table] == [7, 8, 10]
    seven, eight, ten = table
    assert [r.id for r in seven.clients] == [1, 2] and [r.id for r in seven.a_overdue] == [1]
    assert [e.id for e in seven.created] == [1] and [e.id for e in seven.completed] == [1, 2]
    assert [e.id for e in seven.late] == [1] and seven.open_overdue == [] and seven.last_touch == date(2026, 11, 20)
    assert [e.id for e in eight.created] == [3] and [e.id for e in eight.open_overdue] == [3]
    assert eight.last_touch == date(2026, 9, 1) and ten.clients == [] and ten.last_touch is None
    everyone = control.control(rows, statuses, events, control.period_range("week", TODAY), TODAY, None, MSK, touched)
    assert [e.user_id for e in everyone] == [9, 7, 8]       # 9 also has an open overdue to-do
