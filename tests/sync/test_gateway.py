"""The REST gateway against the simulated portal: pacing, retries, chained reads (spec/sync.md "Gateway")."""

import asyncio

import pytest

from b24clients.rest.errors import RestError
from b24clients.rest.gateway import Gateway, ListSpec
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
