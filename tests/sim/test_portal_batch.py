"""`batch` (bitrix24-rest.md §3)."""

from b24sim import phpquery
from simkit import ok, portal, token


def chained(method: str, n: int, ref: str, id_key: str = "ID", extra: dict | None = None) -> dict:
    cmd = {}
    for i in range(n):
        bound = 0 if i == 0 else f"$result[c{i - 1}]{ref}"
        params = {**(extra or {}), "order": {id_key: "ASC"}, "filter": {f">{id_key}": bound}, "start": -1,
                  "select": [id_key]}
        cmd[f"c{i}"] = f"{method}?{phpquery.build(params)}"
    return {"halt": 0, "cmd": cmd}


def test_chained_id_windows_read_2500_rows_in_one_request_each_once():  # §2.2, §3.1
    p = portal(2600)
    t = token(p)
    result = ok(p.call("batch", chained("crm.contact.list", 50, "[49][ID]"), auth=t))
    ids = [int(r["ID"]) for key in (f"c{i}" for i in range(50)) for r in result["result"][key]]
    assert ids == list(range(1, 2501)) and p.counters["requests"] == 1


def test_crm_item_list_chains_through_items_49_id():  # §3.1
    p = portal(130)
    t = token(p)
    result = ok(p.call("batch", chained("crm.item.list", 3, "[items][49][id]", "id", {"entityTypeId": 3}), auth=t))
    ids = [r["id"] for key in ("c0", "c1", "c2") for r in result["result"][key]["items"]]
    assert ids == list(range(1, 131))


def test_after_a_short_page_the_unresolved_reference_matches_nothing():  # §3.1 (see docs/simulator.md)
    p = portal(60)
    t = token(p)
    result = ok(p.call("batch", chained("crm.contact.list", 3, "[49][ID]"), auth=t))
    assert [len(result["result"][k]) for k in ("c0", "c1", "c2")] == [50, 10, 0]


def test_at_most_50_commands():  # §3.1
    p = portal(5)
    reply = p.call("batch", {"cmd": {f"k{i}": "user.current" for i in range(51)}}, auth=token(p))
    assert reply.status == 400 and reply.body["error"] == "ERROR_BATCH_LENGTH_EXCEEDED"


def test_errors_go_to_result_error_and_halt_stops_the_rest():  # §3.2
    p = portal(5)
    t = token(p)
    cmd = {"a": "crm.contact.get?id=999", "b": "user.current", "c": "batch?cmd[x]=user.current"}
    go_on = ok(p.call("batch", {"halt": 0, "cmd": cmd}, auth=t))
    assert set(go_on["result"]) == {"b"} and set(go_on["result_error"]) == {"a", "c"}
    assert go_on["result_error"]["c"]["error"] == "ERROR_BATCH_METHOD_NOT_ALLOWED"
    halted = ok(p.call("batch", {"halt": 1, "cmd": cmd}, auth=t))
    assert halted["result"] == [] and set(halted["result_error"]) == {"a"}


def test_empty_maps_come_out_as_lists_and_numeric_keys_as_arrays():  # §3.2
    p = portal(5)
    result = ok(p.call("batch", {"cmd": ["user.current", "user.admin"]}, auth=token(p)))
    assert isinstance(result["result"], list) and result["result"][1] is True
    assert result["result_error"] == [] and result["result_next"] == []


def test_list_subcommands_report_total_and_next():  # §3.2
    p = portal(120)
    result = ok(p.call("batch", {"cmd": {"a": "crm.contact.list?select[]=ID"}}, auth=token(p)))
    assert result["result_total"] == {"a": 120} and result["result_next"] == {"a": 50}
    assert {"operating", "operating_reset_at"} <= set(result["result_time"]["a"])


def test_a_reference_inside_a_longer_string_takes_scalars_only():  # §3.1
    p = portal(5)
    cmd = {"u": "user.current", "c": "crm.contact.list?filter[%NAME]=Name$result[u][ID]&select[]=ID"}
    result = ok(p.call("batch", {"cmd": cmd}, auth=token(p)))
    assert result["result"]["c"] == [{"ID": "1"}]
