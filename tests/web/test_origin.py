"""What the header says about where the numbers come from (spec/sync.md "Who computes, who reads")."""

from datetime import date, datetime, timedelta, timezone

from b24clients.sync.provenance import COMPUTE, PARTIAL, READ, Provenance
from b24clients.web.origin import DEMO, Origin, header_lines
from b24clients.strings import STRINGS

MSK = timezone(timedelta(hours=3))
AT = datetime(2026, 11, 20, 9, 30, tzinfo=MSK)
ANNA = Provenance(at=AT, by_id=1, by_name="Anna Petrova", clients=1262)
TODAY = date(2026, 11, 23)
SOON = AT + timedelta(days=3)
LATER = AT + timedelta(days=9)


def keys(origin: Origin, now: datetime = SOON) -> tuple[str, list[str]]:
    meta, notices = header_lines(origin, 40, TODAY, now)
    return meta[0], [key for key, _ in notices]


def test_a_reader_is_told_whose_computation_it_is_and_that_they_see_part_of_it():
    meta, notices = header_lines(Origin(READ, AT, ANNA, restricted=True), 40, TODAY, SOON)
    assert meta == ("meta.computed", {"date": date(2026, 11, 20), "name": "Anna Petrova"})
    assert notices == [("notice.restricted", {"count": 40})]


def test_an_admin_reading_on_another_device_sees_the_same_provenance_and_no_notice():
    assert keys(Origin(READ, AT, ANNA, admin=True)) == ("meta.computed", [])
    assert keys(Origin(COMPUTE, AT, ANNA, admin=True)) == ("meta.computed", [])


def test_after_seven_days_an_admin_is_offered_refresh_and_a_user_is_told_to_ask_one():
    assert keys(Origin(READ, AT, ANNA, admin=True), LATER) == ("meta.computed", ["notice.stale.admin"])
    assert keys(Origin(READ, AT, ANNA), LATER) == ("meta.computed", ["notice.stale.user"])
    _, notices = header_lines(Origin(READ, AT, ANNA), 40, TODAY, LATER)
    assert notices == [("notice.stale.user", {"days": 9})]


def test_a_partial_computation_says_it_counts_only_what_the_rights_show_and_why():
    assert keys(Origin(PARTIAL, AT, None)) == ("meta.updated", ["notice.partial", "notice.partial.never"])
    assert keys(Origin(PARTIAL, AT, ANNA)) == ("meta.updated", ["notice.partial", "notice.partial.write_off"])
    assert keys(Origin(PARTIAL, None, None))[0] == "meta.never"


def test_clients_added_since_the_computation_are_mentioned():
    _, notices = header_lines(Origin(READ, AT, ANNA, uncomputed=3), 40, TODAY, SOON)
    assert notices == [("notice.uncomputed", {"count": 3})]


def test_the_demo_says_it_is_demo_data():
    assert header_lines(Origin(DEMO), 40, TODAY, SOON) == (("meta.demo_as_of", {"date": TODAY}),
                                                           [("notice.demo", {})])


def test_every_line_exists_in_both_languages_with_its_placeholders():
    lines = [header_lines(Origin(kind, AT, p, admin=a, restricted=True, uncomputed=2), 40, TODAY, now)
             for kind in (COMPUTE, READ, PARTIAL, DEMO) for p in (None, ANNA) for a in (False, True)
             for now in (SOON, LATER)]
    for meta, notices in lines:
        for key, values in [meta, *notices]:
            for language in ("en", "ru"):
                assert STRINGS[language][key].format(**values)
