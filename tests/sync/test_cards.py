"""The sync engine keeps the client list's cards: the same as the snapshot's, across reloads and changes."""

import pytest

from b24clients.snapshot import snapshot_from_data
from b24clients.sync.aggregates import Aggregates
from b24clients.sync.engine import FORMAT
from b24clients.sync.store import MemoryStore
from b24sim.portal import Portal
from syncfix import generated, rows_json, sync


@pytest.fixture(scope="module")
def synced():
    data = generated(300, 21)
    portal, store = Portal(data), MemoryStore()
    _, engine = sync(portal, store, write_back=False)
    return data, store, engine


def test_the_engine_reads_the_same_cards_as_the_snapshot(synced):
    data, _, engine = synced
    want = snapshot_from_data(data).cards
    assert engine.aggregates.cards == want
    assert any(c.name and c.responsible_id and c.last_touch for c in want.values()), "the data must have them"


def test_replaying_the_store_gives_the_same_cards(synced):
    _, store, engine = synced
    replayed = Aggregates()
    for chunk in store.chunks:
        replayed.replay(chunk)
    assert replayed.cards == engine.aggregates.cards


def test_a_renamed_record_and_a_deleted_one_show_after_the_next_run():
    data = generated(300, 22)
    portal, store = Portal(data), MemoryStore()
    sync(portal, store, write_back=False)
    portal.clock.sleep(86400)
    renamed = dict(portal.tables["contacts"].rows[portal.tables["contacts"].ids[0]])
    renamed.update(NAME="Renamed", DATE_MODIFY=portal.iso(portal.clock.now()))
    portal.put_record("contacts", renamed)
    gone = portal.tables["companies"].ids[-1]
    portal.delete_record("companies", gone)
    _, engine = sync(portal, store, write_back=False)
    assert engine.aggregates.cards[("contact", int(renamed["ID"]))].name.startswith("Renamed")
    assert ("company", gone) not in engine.aggregates.cards
    assert engine.aggregates.cards == snapshot_from_data(portal.snapshot()).cards


def test_a_store_saved_in_another_layout_is_started_over():
    """Chunks of the old layout cannot be replayed (contact rows had no card): they are
    replaced, not read, and the run is a clean first run."""
    data = generated(300, 23)
    clean, _ = sync(Portal(data), write_back=False)
    store = MemoryStore()
    store.meta = {"format": "b24clients-progress/1", "phase": "done", "last_run": "2026-01-01T00:00:00+03:00"}
    store.chunks = [{"contacts": [[1, [], False, [None] * 8]]}]
    result, _ = sync(Portal(data), store, write_back=False)
    assert result.first_run and rows_json(result) == rows_json(clean)
    assert store.meta["format"] == FORMAT
    assert all(len(row) == 5 for chunk in store.chunks for row in chunk.get("contacts", []))
