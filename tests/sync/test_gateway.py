"""The REST gateway against the simulated portal: pacing, retries, chained reads (spec/sync.md "Gateway")."""

import asyncio

import pytest

from b24clients.rest.errors import RestError
from b24clients.rest.gateway import Gateway, ListSpec
from b24clients.rest.pacing import MemoryLevel, Pacer
from b24sim.limits import CostModel
from b24sim.transport import InProcessTransport, VirtualTime
from simkit import portal


def run(coro):
    return asyncio.run(coro)


def gateway(p, **kwargs):
    clock = VirtualTime(p.clock)
    return Gateway(InProcessTransport(p, clock, user_id=kwargs.pop("user_id", 1)), clock, **kwargs)


async def read(gw, method, **kwargs):
    return [row async for page in gw.read_all(method, **kwargs) for row in page]


def test_a_whole_list_comes_back_once_in_id_order_in_few_requests():
    p = portal(6000)
    gw = gateway(p)
    rows = run(read(gw, "crm.contact.list", params={"select": ["ID"]}))
    assert [int(r["ID"]) for r in rows] == list(range(1, 6001))
    assert gw.stats.requests == 3 and p.counters["http_503"] == 0


def test_a_counted_list_asks_for_the_pages_it_has_left_not_a_whole_batch():
    """Every command of a chain costs the portal a page, empty or not (spec/portal-sim.md)."""
    p = portal(2600)
    spec = ListSpec("crm.contact.list", {"select": ["ID"]}, pages=50, rows=2600)
    rows = run(gateway(p).read_many({"all": spec}))["all"]
    assert [int(r["ID"]) for r in rows] == list(range(1, 2601))
    assert p.counters["sub_calls"] == 50 + 3  # then 2 full pages and the empty one that ends it
    uncounted = portal(2600)
    run(gateway(uncounted).read_many({"all": ListSpec("crm.contact.list", {"select": ["ID"]}, pages=50)}))
    assert uncounted.counters["sub_calls"] == 100


def test_a_list_past_its_count_asks_two_pages_more_then_four_not_a_second_batch():
    """A count is a share (a range of a list whose IDs are not spread evenly) or rows came
    since it was taken: what is left is likely a few pages."""
    p = portal(2700)
    spec = ListSpec("crm.contact.list", {"select": ["ID"]}, pages=50, rows=2500)
    rows = run(gateway(p).read_many({"all": spec}))["all"]
    assert [int(r["ID"]) for r in rows] == list(range(1, 2701))
    assert p.counters["sub_calls"] == 50 + 2 + 4  # 200 rows past the count: 2 full pages, then 4 (2 full)


def test_crm_item_lists_chain_through_items():
    p = portal(130)
    rows = run(read(gateway(p), "crm.item.list", params={"entityTypeId": 3, "select": ["id"]}, id_key="id",
                    items=True))
    assert [r["id"] for r in rows] == list(range(1, 131))


def test_documents_chain_through_their_documents_key():
    p = portal(5)
    for i in range(1, 131):
        p.put_record("documents", {"id": i, "entityTypeId": 3, "entityId": 1 + i % 2, "createdBy": 1})
    spec = ListSpec("crm.documentgenerator.document.list", {"filter": {"entityTypeId": 3, "@entityId": [1]},
                                                            "select": ["id"]}, "id", rows_key="documents")
    rows = run(gateway(p).read_many({"docs": spec}))["docs"]
    assert [r["id"] for r in rows] == list(range(2, 131, 2))


def test_access_denied_is_an_empty_list_only_where_the_spec_says_so():
    p = portal(5)
    p.put_record("timeline_comments", {"ID": "1", "ENTITY_TYPE": "company", "ENTITY_ID": "7", "COMMENT": "x"})

    def comments(**kwargs):
        return ListSpec("crm.timeline.comment.list", {"filter": {"ENTITY_TYPE": "company", "ENTITY_ID": 7}}, **kwargs)
    own = gateway(p, user_id=2)            # company 7 is Anna's
    assert run(own.read_many({"c": comments(denied_is_empty=True)})) == {"c": []}
    with pytest.raises(RestError, match="Access denied"):
        run(own.read_many({"c": comments()}))
    assert [r["ID"] for r in run(gateway(p).read_many({"c": comments(denied_is_empty=True)}))["c"]] == ["1"]


def test_many_requests_in_flight_stay_under_the_bucket_and_take_bucket_time():
    p = portal(10)
    gw = gateway(p)

    async def many():
        return await asyncio.gather(*(gw.call("user.current") for _ in range(200)))

    start = p.clock.now()
    answers = run(many())
    assert len(answers) == 200 and p.counters["http_503"] == 0
    assert 70 <= p.clock.now() - start <= 80   # 48 at once, then 2 per second


def test_a_dear_count_does_not_make_the_uncounted_pages_after_it_wait_for_the_operating_budget():
    """A counting page costs per row it counts, an uncounted one (`start=-1`) does not: the
    pacer learns them apart.  Learnt together, one count of 3,000 contacts at 4 ms a row (12 s)
    priced the next batch of 50 uncounted pages at 600 s, over the 480 s budget, and it waited
    out a whole ten-minute window for what costs 3 s (at 250k, the reader of all: 1,214 s)."""
    p = portal(3000, costs=CostModel(count_per_row_s=0.004))
    gw = gateway(p)
    start = p.clock.now()
    assert run(gw.call("crm.contact.list", {"select": ["ID"]})).total == 3000
    rows = run(read(gw, "crm.contact.list", params={"select": ["ID"]}))
    assert len(rows) == 3000 and p.counters["http_429"] == 0
    assert p.clock.now() - start < 60


def test_a_request_dearer_than_the_whole_operating_budget_goes_when_its_method_is_idle():
    """50 counting pages of a huge list may cost more than 480 s: that never fits under the
    budget, so it goes once the method has nothing in use, instead of waiting for ever."""
    pacer = Pacer()
    assert pacer.meter("crm.item.list").wait_for(0.0, 900.0) == 0.0
    pacer.observe(0.0, "crm.item.list", {"processing": 100.0})
    assert pacer.meter("crm.item.list").wait_for(10.0, 900.0) == 590.0  # the basket of 100 s expires at 600
    assert pacer.meter("crm.item.list").wait_for(600.0, 900.0) == 0.0


def test_503_429_5xx_drops_and_expired_tokens_are_retried_to_the_same_result():
    p = portal(3000)
    expected = [str(i) for i in range(1, 3001)]
    p.faults.server_errors = 2
    p.faults.drops = 1
    gw = gateway(p)
    p.expire_tokens()
    rows = run(read(gw, "crm.contact.list", params={"select": ["ID"]}))
    assert [r["ID"] for r in rows] == expected and gw.stats.retries == 4


def test_a_full_bucket_someone_else_filled_is_waited_out():
    p = portal(100)
    p.bucket.level = 50
    p.bucket._at = p.clock.now()
    gw = gateway(p)
    assert run(gw.call("user.current")).result["ID"] == "1"
    assert gw.stats.http_503 >= 1


def test_a_new_page_goes_on_from_the_bucket_its_browser_last_left():
    """A reload right after a Refresh: the new page's gateway shares the level the last page
    kept (a browser's localStorage), so it waits for the bucket instead of meeting 503s."""
    p = portal(10)

    async def burst(gw, n):
        return await asyncio.gather(*(gw.call("user.current") for _ in range(n)))

    level = MemoryLevel()
    run(burst(gateway(p, shared=level), 45))
    start = p.clock.now()
    reloaded = gateway(p, shared=level)
    assert len(run(burst(reloaded, 20))) == 20
    assert reloaded.stats.http_503 == 0 and p.counters["http_503"] == 0
    assert 7 <= p.clock.now() - start <= 10  # 3 places left, then 2 a second

    alone = gateway(p)  # a page that kept nothing takes the full bucket for empty
    run(burst(alone, 20))
    assert alone.stats.http_503 > 0


def test_access_denied_is_raised_not_swallowed():
    p = portal(10)
    with pytest.raises(RestError) as caught:
        run(read(gateway(p, user_id=4), "crm.contact.list"))
    assert caught.value.access_denied


def test_rows_deleted_or_added_between_requests_never_make_the_read_short_or_double():
    p = portal(5000)
    p.faults.after_page.append(lambda portal: portal.delete_record("contacts", 10))
    p.faults.after_page.append(lambda portal: portal.put_record("contacts", {"ID": "6000", "NAME": "New"}))
    rows = run(read(gateway(p), "crm.contact.list", params={"select": ["ID"]}))
    ids = [int(r["ID"]) for r in rows]
    assert len(ids) == len(set(ids)) and 6000 in ids and set(range(11, 5001)) <= set(ids)
