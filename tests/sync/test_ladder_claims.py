"""The daily lock and the claims in the shared storage (next-features.md §B.2.1:
"add an item, re-read, the lowest ID wins"; a stale lock expires)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from ladderio import ADMIN, BORIS, OLEG, VERA, gateway, portal, run, setup

from b24clients.sync.ladder import claims as claims
from b24clients.sync.ladder.storage import SYNC, items


def moment(p) -> datetime:
    return datetime.fromtimestamp(p.clock.now(), p.tz)


def names(p) -> list[str]:
    return sorted(item["NAME"] for item in p.storages[SYNC]["items"].values())


def test_two_admins_at_once_one_wins_and_the_other_leaves_no_item():
    p = portal()
    setup(p)
    day = p.date()

    async def both():
        return await asyncio.gather(claims.take_lock(gateway(p, ADMIN), day, moment(p)),
                                    claims.take_lock(gateway(p, OLEG), day, moment(p)))

    first, second = run(both())
    assert [first.won, second.won] == [True, False]
    assert second.holder == ADMIN and second.item_id is None
    assert names(p) == [f"pass:{day}"]


def test_a_finished_day_is_done_for_everyone():
    p = portal()
    setup(p)
    lock = run(claims.take_lock(gateway(p), p.date(), moment(p)))
    run(claims.finish_lock(gateway(p), lock))
    later = run(claims.take_lock(gateway(p, OLEG), p.date(), moment(p)))
    assert (later.won, later.done) == (False, True)
    assert run(claims.day_is_done(gateway(p, BORIS), p.date()))


def test_a_running_lock_blocks_until_it_goes_stale_and_a_heartbeat_keeps_it_alive():
    p = portal()
    setup(p)
    day = p.date()
    lock = run(claims.take_lock(gateway(p), day, moment(p)))
    p.travel(minutes=25)
    run(claims.keep_lock(gateway(p), lock))
    p.travel(minutes=25)  # 50 minutes after it began, 25 after its last sign of life
    assert not run(claims.take_lock(gateway(p, OLEG), day, moment(p))).won
    p.travel(minutes=6)  # the pass died: no sign for over 30 minutes
    taken = run(claims.take_lock(gateway(p, OLEG), day, moment(p)))
    assert taken.won and taken.item_id != lock.item_id


def test_claims_made_at_once_give_each_name_exactly_one_winner():
    p = portal()
    setup(p)
    day = p.date()
    wanted = [claims.digest_claim(day, m) for m in (BORIS, VERA)]
    prefix = f"digest:{day}:"

    async def three():
        return await asyncio.gather(claims.claim(gateway(p, ADMIN), wanted, prefix),
                                    claims.claim(gateway(p, BORIS), wanted[:1], prefix),
                                    claims.claim(gateway(p, OLEG), wanted, prefix))

    won = run(three())
    for name in wanted:
        assert sum(name in w for w in won) == 1
    assert names(p) == sorted(wanted)  # the losers' items are gone again
    assert run(claims.claim(gateway(p, VERA), wanted, prefix)) == set()


def test_news_waits_for_its_manager_and_is_read_in_order():
    p = portal()
    setup(p)
    run(claims.leave_news(gateway(p), {BORIS: [["drop", "company", 10, 1, "warm", "cold", None, None]]}))
    run(claims.leave_news(gateway(p), {BORIS: [["loss", "company", 12, 2, "cold", "lost", None, None]],
                                       VERA: [["drop", "company", 11, 1, "hot", "warm", None, None]]}))
    mine = run(claims.read_news(gateway(p, BORIS), [BORIS]))
    assert [line[2] for line in mine[BORIS][0]] == [10, 12] and len(mine[BORIS][1]) == 2
    assert set(run(claims.read_news(gateway(p), None))) == {BORIS, VERA}


def test_the_sweep_removes_old_locks_and_claims_but_not_news():
    p = portal()
    setup(p)
    run(claims.take_lock(gateway(p), p.date(), moment(p)))
    run(claims.leave_news(gateway(p), {BORIS: [["drop", "company", 10, 1, "warm", "cold", None, None]]}))
    p.travel(days=15)
    run(claims.take_lock(gateway(p), p.date(), moment(p)))
    assert run(claims.sweep(gateway(p), moment(p))) == 1
    assert sorted(i.name for i in run(items(gateway(p), SYNC))) == [f"news:{BORIS}", f"pass:{p.date()}"]
