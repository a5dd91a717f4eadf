"""The touch settings an admin saves are the ones the Planning mode uses (planning.md "Touch
frequency", "Planning view"): saved as the settings form saves them (`app.option.set`), read
back as a page opens (every app option, `from_option`, the status ladder's while it is on,
`settings.in_force`), then the bounded activity read, the bands and the load calendar.  Each
test also shows the defaults would give something else, so a saved value that were ignored
anywhere on that path fails it."""

import asyncio
import json
from datetime import timedelta

import pytest

from b24clients import records
from b24clients.ladder import LadderSettings
from b24clients.ladder import to_json as ladder_to_json
from b24clients.ranks import Gaps, RankSettings, month_load
from b24clients.settings import Settings, from_option, in_force, to_option
from b24clients.sync import planning
from b24clients.web.ladder_view import ladder_settings
from b24sim.portal import Portal
from syncfix import TODAY, visible_snapshot
from test_planning_read import MSK, bands, core_statuses, gateway

HEAD = 8
"""Reads their department tree: enough completed calls, meetings and e-mails that each choice of
kinds gives other last touches."""


@pytest.fixture(scope="module")
def data():
    from syncfix import generated

    return generated(300, 3)


def saved(portal: Portal, ranks: RankSettings, ladder: LadderSettings | None = None) -> RankSettings:
    """Save as an admin's settings form does, then read back as a page opens."""
    admin = gateway(portal, 1)
    options = {"settings": to_option(Settings(ranks=ranks))}
    if ladder is not None:
        options["ladder"] = json.dumps(ladder_to_json(ladder))
    asyncio.run(admin.call("app.option.set", {"options": options}))
    stored = asyncio.run(gateway(portal, HEAD).call("app.option.get", {})).result
    return in_force(from_option(stored.get("settings")), ladder_settings(stored))


def statuses(portal: Portal, ranks: RankSettings):
    read = asyncio.run(planning.read_planning(gateway(portal, HEAD), ranks, today=TODAY))
    return read, core_statuses(visible_snapshot(portal, HEAD), read.activities, ranks)


def touches(found) -> dict:
    """Each client's last touch: when, and by whom (a record's own date names nobody)."""
    return {ref: status.last_touch for ref, status in found.items()}


def test_saved_gaps_set_how_far_back_touches_are_read_and_which_clients_are_overdue(data):
    portal = Portal(data)
    ranks = saved(portal, RankSettings(gaps=Gaps(7, 14, 21, 400)))
    assert ranks.gaps == Gaps(7, 14, 21, 400)
    read, found = statuses(portal, ranks)
    got = bands(found)
    assert read.since == TODAY - timedelta(days=400 + 8)
    everything = [records.activity(row, MSK) for row in visible_snapshot(portal, HEAD)["activities"]]
    assert got == bands(core_statuses(visible_snapshot(portal, HEAD), everything, ranks))
    default = bands(statuses(portal, RankSettings())[1])
    overdue = sum(1 for band, _ in got.values() if band == "overdue")
    assert overdue > sum(1 for band, _ in default.values() if band == "overdue")


def test_saved_touch_kinds_count_and_while_the_ladder_is_on_its_kinds_are_the_ones(data):
    portal = Portal(data)
    own = saved(portal, RankSettings(touch_kinds=frozenset({"meeting", "email"})))
    assert own.touch_kinds == {"meeting", "email"}
    by_own = touches(statuses(portal, own)[1])
    by_calls = touches(statuses(portal, RankSettings())[1])
    assert by_own != by_calls
    ladder = saved(portal, RankSettings(touch_kinds=frozenset({"meeting", "email"})),
                   LadderSettings(touch_kinds=frozenset({"any"})))
    assert ladder.touch_kinds == {"any"}
    by_ladder = touches(statuses(portal, ladder)[1])
    assert by_ladder not in (by_own, by_calls)


def test_the_saved_capacity_marks_the_load_calendars_days(data):
    portal = Portal(data)
    ranks = saved(portal, RankSettings(capacity=1))
    assert ranks.capacity == 1
    busiest = max(data["users"], key=lambda u: sum(
        1 for a in data["activities"] if a.get("RESPONSIBLE_ID") == u["ID"] and a.get("COMPLETED") == "N"))
    month = TODAY + timedelta(days=10)
    found = asyncio.run(planning.read_month(gateway(portal, 1), int(busiest["ID"]), month.year, month.month, MSK))
    over = [d.day for d in month_load(found, int(busiest["ID"]), month.year, month.month, ranks.capacity) if d.over]
    assert over and over != [d.day for d in month_load(found, int(busiest["ID"]), month.year, month.month,
                                                       RankSettings().capacity) if d.over]
