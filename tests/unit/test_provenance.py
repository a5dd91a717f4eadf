"""Who computes, who reads: the provenance option and the kind of run a page makes."""

from datetime import datetime, timedelta, timezone

import pytest

from b24clients.sync.provenance import COMPUTE, PARTIAL, READ, Provenance, run_kind

MSK = timezone(timedelta(hours=3))
AT = datetime(2026, 11, 20, 9, 30, tzinfo=MSK)
ANNA = Provenance(at=AT, by_id=1, by_name="Анна Петрова", clients=1262)


def test_the_option_survives_its_round_trip_and_keeps_cyrillic():
    option = ANNA.to_option()
    assert "Анна" in option
    assert Provenance.from_option(option) == ANNA
    assert Provenance.from_option({"at": AT.isoformat(), "by_id": "1", "by_name": "Анна Петрова",
                                   "clients": "1262"}) == ANNA


@pytest.mark.parametrize("value", [None, "", "[]", [], "{", '{"at": "yesterday", "by_id": 1, "clients": 3}',
                                   '{"at": "2026-11-20T09:30:00", "by_id": 1, "clients": 3}',
                                   '{"at": "2026-11-20T09:30:00+03:00", "clients": 3}',
                                   '{"at": "2026-11-20T09:30:00+03:00", "by_id": 1, "clients": "1e999999"}',
                                   "[" * 5000 + "]" * 5000])
def test_an_unreadable_option_is_as_if_nothing_was_computed(value):
    assert Provenance.from_option(value) is None


def test_it_goes_stale_after_seven_days():
    assert not ANNA.stale(AT + timedelta(days=7))
    assert ANNA.stale(AT + timedelta(days=7, seconds=1))


@pytest.mark.parametrize("admin, here, provenance, write_back, kind", [
    (True, False, None, True, COMPUTE),       # nothing computed anywhere: the admin computes
    (True, True, ANNA, True, COMPUTE),        # this device computes: Refresh stays incremental
    (True, False, ANNA, True, READ),          # the admin's phone reads until Refresh is pressed
    (True, False, ANNA, False, COMPUTE),      # write-back off: the fields are not the truth
    (False, False, ANNA, True, READ),         # a manager reads the portal-wide values
    (False, True, ANNA, True, READ),          # ... even with an old partial store of their own
    (False, False, None, True, PARTIAL),      # nothing computed: they see only their part, and say so
    (False, True, ANNA, False, PARTIAL),      # write-back off: the same
])
def test_the_kind_of_run(admin, here, provenance, write_back, kind):
    assert run_kind(admin=admin, computing_here=here, provenance=provenance, write_back=write_back) == kind
