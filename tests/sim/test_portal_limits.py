"""Leaky bucket, operating baskets, the time block and the cost model (bitrix24-rest.md §1.2, §4)."""

import pytest

from b24sim.limits import CostModel, Plan
from simkit import portal, token


def test_a_burst_of_50_passes_the_51st_gets_503_and_the_bucket_drains_2_per_second():  # §4.1
    p = portal(5, costs=CostModel(network_rtt_s=0, other_s=0))
    t = token(p)
    assert all(p.call("user.current", {}, auth=t).status == 200 for _ in range(50))
    refused = p.call("user.current", {}, auth=t)
    assert refused.status == 503 and refused.body == {"error": "QUERY_LIMIT_EXCEEDED",
                                                      "error_description": "Too many requests"}
    p.clock.sleep(1.0)
    assert [p.call("user.current", {}, auth=t).status for _ in range(3)] == [200, 200, 503]


def test_enterprise_allows_250():  # §4.1
    p = portal(5, plan="enterprise", costs=CostModel(network_rtt_s=0, other_s=0))
    t = token(p)
    assert [p.call("user.current", {}, auth=t).status for _ in range(251)].count(503) == 1


def test_a_batch_counts_once_in_the_bucket():  # §3.3
    p = portal(5, costs=CostModel(network_rtt_s=0, other_s=0))
    t = token(p)
    for _ in range(50):
        assert p.call("batch", {"cmd": {f"k{i}": "user.current" for i in range(50)}}, auth=t).status == 200
    assert p.call("user.current", {}, auth=t).status == 503


def test_a_method_over_its_operating_budget_gets_429_alone_until_its_baskets_expire():  # §4.2
    plan = Plan(operating_limit_s=1.0, enabled=True, bucket_size=10_000)
    p = portal(5000, plan=plan, costs=CostModel(network_rtt_s=0))
    t = token(p)
    statuses = [p.call("crm.contact.list", {"select": ["ID"]}, auth=t).status for _ in range(12)]
    assert statuses[:6] == [200] * 6 and statuses[-1] == 429  # each counting page costs ~0.164 s
    blocked = p.call("crm.contact.list", {}, auth=t).body
    assert blocked == {"error": "OPERATION_TIME_LIMIT", "error_description": "Method is blocked due to operation time limit."}
    assert p.call("crm.company.list", {}, auth=t).status == 200
    p.clock.sleep(600)
    assert p.call("crm.contact.list", {"select": ["ID"]}, auth=t).status == 200


def test_operating_is_kept_per_app_or_webhook():  # §4.2
    plan = Plan(operating_limit_s=0.5, bucket_size=10_000)
    p = portal(5000, plan=plan, costs=CostModel(network_rtt_s=0))
    t, hook = token(p), p.add_webhook(1)
    while p.call("crm.contact.list", {"select": ["ID"]}, auth=t).status == 200:
        pass
    assert p.call("crm.contact.list", {"select": ["ID"]}, webhook=(1, hook)).status == 200


def test_every_answer_carries_the_eight_key_time_block():  # §1.2
    p = portal(5)
    block = p.call("crm.contact.list", {}, auth=token(p)).body["time"]
    assert set(block) == {"start", "finish", "duration", "processing", "date_start", "date_finish",
                          "operating", "operating_reset_at"}
    assert isinstance(block["operating_reset_at"], int) and block["date_start"].endswith("+03:00")


def test_the_clock_advances_by_cost_and_round_trip_and_by_client_sleeps():
    costs = CostModel()
    p = portal(1000, costs=costs)
    t = token(p)
    start = p.clock.now()
    p.call("crm.contact.list", {"select": ["ID"], "start": -1}, auth=t)
    assert p.clock.now() - start == pytest.approx(costs.network_rtt_s + costs.list_page_s)
    before = p.clock.now()
    p.call("crm.contact.list", {"select": ["ID"]}, auth=t)
    assert p.clock.now() - before == pytest.approx(costs.network_rtt_s + costs.list_page_s + 1000 * costs.count_per_row_s)
    p.clock.sleep(5)
    assert p.clock.now() - before == pytest.approx(5 + 0.08 + 0.06 + 0.0209)


def test_counting_pages_cost_per_matching_row_and_start_minus_one_does_not():
    p = portal(2000)
    t = token(p)
    counted = p.call("crm.contact.list", {"select": ["ID"]}, auth=t).body["time"]["processing"]
    keyset = p.call("crm.contact.list", {"select": ["ID"], "start": -1}, auth=t).body["time"]["processing"]
    assert counted == pytest.approx(0.06 + 2000 * 20.9e-6) and keyset == pytest.approx(0.06)
