"""The benchmark's smoke test: a small portal, every scenario, every figure (spec/sync.md "Benchmark")."""

import json

from b24sim import bench

FIGURES = {"simulated_s", "requests", "sub_calls", "operating_s", "http_503", "http_429", "wall_s", "cpu_s",
           "peak_rss_mb", "lower_bound_s", "bound_ratio"}


def test_the_benchmark_reports_every_scenario_with_every_figure(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert bench.main(["--clients", "300", "--seed", "3", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    scenarios = report["scenarios"]
    assert set(scenarios) == {"first_run", "second_run", "second_run.reload", "incremental",
                              "peer_fast_bitrix24_get_all", "reader_first_open.own", "reader_first_open.all",
                              "ladder_start", "ladder_first_pass", "ladder_daily_pass", "ladder_manager_pass",
                              *HISTORIES}
    for name, figures in scenarios.items():
        assert FIGURES <= set(figures), name
        assert figures["requests"] > 0 and figures["lower_bound_s"] >= 0
    for name in ("first_run", "second_run", "second_run.reload", "incremental", "reader_first_open.own",
                 "reader_first_open.all"):
        assert scenarios[name]["http_503"] == 0 and scenarios[name]["http_429"] == 0, name
        assert scenarios[name]["simulated_s"] >= scenarios[name]["lower_bound_s"], name
        bound, ratio = scenarios[name]["lower_bound_s"], scenarios[name]["bound_ratio"]
        assert ratio is None if not bound else ratio == round(scenarios[name]["simulated_s"] / bound, 3), name
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
    assert set(report["steps_ms"]) >= {"classify", "classification_build", "build_rows", "counts", "sort.name"}
    assert all(ms >= 0 for ms in report["steps_ms"].values())
    printed = capsys.readouterr().out
    assert "first_run" in printed and "×bound" in printed and "longest step" in printed
    assert "ladder_daily_pass" in printed


HISTORIES = ("history.contacts_1", "history.contacts_20", "history.contacts_200")


def test_the_history_scenarios_read_one_client_each_in_a_few_dozen_requests(tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert bench.main(["--clients", "300", "--seed", "3", "--history-only", "--json", str(out)]) == 0
    scenarios = json.loads(out.read_text())["scenarios"]
    assert set(scenarios) == set(HISTORIES)
    for name, contacts, items in zip(HISTORIES, (1, 20, 200), (700, 1800, 4000)):
        figures = scenarios[name]
        assert FIGURES <= set(figures) and figures["contacts"] == contacts and figures["items"] > items
        assert figures["http_503"] == figures["http_429"] == 0 and 0 < figures["requests"] <= 50
        assert figures["simulated_s"] >= figures["lower_bound_s"] and figures["core_wall_s"] > 0
    assert scenarios[HISTORIES[0]]["simulated_s"] < scenarios[HISTORIES[2]]["simulated_s"]
    assert "pure core" in capsys.readouterr().out


def test_the_lower_bound_counts_the_burst_and_the_budget_window():
    plan = bench.Plan()
    assert bench.lower_bound(50, {}, plan) == 0
    assert bench.lower_bound(150, {}, plan) == 50.0                        # 100 past the burst at 2/s
    assert bench.lower_bound(10, {"crm.item.list": 960.0}, plan) == 600.0  # twice the budget: one more window
