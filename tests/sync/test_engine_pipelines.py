"""The engine counts only the admin's pipelines, like `classify`, also after a reload."""

from b24clients.classify import classify_snapshot
from b24clients.snapshot import snapshot_from_data
from b24clients.sync.store import MemoryStore
from b24sim.portal import Portal
from syncfix import TODAY, generated, rows_json, sync


def test_the_engine_counts_only_the_chosen_pipelines_and_keeps_them_across_a_reload():
    data = generated(400, 24)
    assert any(d["CATEGORY_ID"] not in ("0", None) and d["STAGE_SEMANTIC_ID"] == "S" for d in data["deals"])
    want = classify_snapshot(snapshot_from_data(data), TODAY, pipelines={0})
    portal, store = Portal(data), MemoryStore()
    first, _ = sync(portal, store, write_back=False, pipelines={0})
    again, _ = sync(portal, store, write_back=False, pipelines={0})
    assert not again.first_run
    assert rows_json(first) == rows_json(again) == want["clients"]
    assert want["counts"] != classify_snapshot(snapshot_from_data(data), TODAY)["counts"]
