"""Options for the ladder's passes: user.option per user (a manager's "my last pass"),
app.option admin-only (next-features.md §B.2.1; bitrix24-rest.md §6.2)."""

from __future__ import annotations

from laddersim import ALL, OWN, call, error, ok, portal, result


def test_a_user_option_belongs_to_the_user_who_set_it():  # §B.2.1 "per user ... gated by user.option"
    p = portal()
    assert result(p, "user.option.set", {"options": {"ladder_last_pass": "2026-11-22"}}, OWN) is True
    assert result(p, "user.option.get", {"option": "ladder_last_pass"}, OWN) == "2026-11-22"
    assert result(p, "user.option.get", {"option": "ladder_last_pass"}, ALL) is None
    ok(call(p, "user.option.set", {"options": {"ladder_last_pass": "2026-11-23", "tab": "status"}}, OWN))
    assert result(p, "user.option.get", {}, OWN) == {"ladder_last_pass": "2026-11-23", "tab": "status"}
    assert p.user_options == {OWN: {"ladder_last_pass": "2026-11-23", "tab": "status"}}


def test_app_options_are_written_by_admins_only_and_read_by_all():  # §B.2.1 "app.option.set is admin-only"
    p = portal()
    assert result(p, "app.option.set", {"options": {"ladder": {"warn_days": 3}}}) is True
    assert error(call(p, "app.option.set", {"options": {"lock": "mine"}}, OWN))[:2] == (403, "ACCESS_DENIED")
    assert result(p, "app.option.get", {"option": "ladder"}, OWN) == {"warn_days": 3}
    assert "lock" not in p.app_options


def test_options_cost_little():  # spec/portal-sim.md cost model
    p = portal()
    reply = call(p, "user.option.get", {}, OWN)
    assert reply.body["time"]["processing"] == p.costs.other_s
    assert call(p, "user.option.set", {"options": {"a": 1}}, OWN).body["time"]["processing"] == p.costs.update_s
