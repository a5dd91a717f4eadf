"""The benchmark's smoke test: a small portal, every scenario, every figure (spec/sync.md "Benchmark")."""

import json

from b24sim import bench

FIGURES = {"simulated_s", "requests", "sub_calls", "operating_s", "http_503", "http_429", "wall_s", "peak_rss_mb",
           "lower_bound_s"}


def test_the_benchmark_reports_every_scenario_with_every_figure(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert bench.main(["--clients", "300", "--seed", "3", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    scenarios = report["scenarios"]
    assert set(scenarios) == {"first_run", "second_run", "incremental", "peer_fast_bitrix24_get_all",
                              "reader_first_open.own", "reader_first_open.all", "ladder_start", "ladder_first_pass",
                              "ladder_daily_pass", "ladder_manager_pass"}
    for name, figures in scenarios.items():
        assert FIGURES <= set(figures), name
        assert figures["requests"] > 0 and figures["lower_bound_s"] >= 0
    for name in ("first_run", "second_run", "incremental", "reader_first_open.own", "reader_first_open.all"):
        assert scenarios[name]["http_503"] == 0 and scenarios[name]["http_429"] == 0, name
        assert scenarios[name]["simulated_s"] >= scenarios[name]["lower_bound_s"], name
    first = scenarios["first_run"]
    assert 0 < first["analytics_ready_s"] < first["simulated_s"] and first["written"] > 300
    assert scenarios["second_run"]["requests"] < first["requests"] / 5
    assert scenarios["incremental"]["changed"] > 0 and scenarios["incremental"]["deleted"] > 0
    own, every = scenarios["reader_first_open.own"], scenarios["reader_first_open.all"]
    assert 0 < own["clients"] < every["clients"] and own["requests"] <= every["requests"] <= bench.READER_REQUESTS
    first_pass, daily = scenarios["ladder_first_pass"], scenarios["ladder_daily_pass"]
    assert first_pass["full_read"] and first_pass["stored_kb"]["b24clledger"] > 0
    assert daily["ran"] and not daily["full_read"] and daily["changed"] > 0 and daily["called"] > 0
    assert sum(daily["read"].values()) < sum(first_pass["read"].values()) / 5  # only what changed
    assert daily["read"]["acts"] >= daily["called"]
    assert scenarios["ladder_manager_pass"]["ran"] and scenarios["ladder_start"]["written"] > 0
    out = capsys.readouterr().out
    assert "first_run" in out and "ladder_daily_pass" in out


def test_the_lower_bound_counts_the_burst_and_the_budget_window():
    plan = bench.Plan()
    assert bench.lower_bound(50, {}, plan) == 0
    assert bench.lower_bound(150, {}, plan) == 50.0                        # 100 past the burst at 2/s
    assert bench.lower_bound(10, {"crm.item.list": 960.0}, plan) == 600.0  # twice the budget: one more window
