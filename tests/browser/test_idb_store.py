"""IndexedDbStore (web/idbstore.py) over www/idb.js in Chromium, inside the portal shell:
the ProgressStore protocol round-trips, chunks keep their commit order, and two
users of one portal in the same browser never see each other's data."""

from __future__ import annotations

import json

import pytest

from simkit import portal

pytestmark = pytest.mark.e2e

META = {"format": "b24clients-progress/1", "phase": "months", "done_through": "2020-01", "note": "Ёлка – ✓"}


def chunk(i: int) -> dict:
    return {"contacts": [[i, "Имя", None, True, 1.5]], "n": i}


def load(opened, ns):
    return opened.call("store", op="load", ns=ns)


def test_load_commit_replace_clear_round_trip(serve, browsing):
    face = serve(portal(5))
    opened = browsing.open(face.shell_url(user=1, app="/app/harness.html"))
    ns = opened.call("context")["ns"]
    assert ns == "sim:1"

    assert load(opened, ns) == {"meta": None, "chunks": []}
    for i in range(12):  # past 10: the order is numeric, not textual
        opened.call("store", op="commit", ns=ns, meta={**META, "i": i}, chunk=chunk(i))
    opened.call("store", op="commit", ns=ns, meta={**META, "i": 12}, chunk=None)  # meta only
    opened.call("store", op="commit", ns=ns, meta={**META, "i": 13}, chunk={})  # empty: nothing to keep
    state = load(opened, ns)
    assert state["meta"] == {**META, "i": 13}
    assert state["chunks"] == [chunk(i) for i in range(12)]

    # Stored as UTF-8 JSON bytes, one record per chunk, keyed [ns, n].
    raw = opened.frame.evaluate("""(ns) => new Promise((resolve, reject) => {
        const request = indexedDB.open('b24clients');
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(['chunks', 'meta'], 'readonly');
          const out = {};
          tx.objectStore('chunks').getAll(IDBKeyRange.bound([ns, -Infinity], [ns, Infinity])).onsuccess =
            (e) => { out.types = e.target.result.map((v) => v.constructor.name);
                     out.first = new TextDecoder().decode(e.target.result[0]); };
          tx.objectStore('chunks').getAllKeys(IDBKeyRange.bound([ns, -Infinity], [ns, Infinity])).onsuccess =
            (e) => { out.keys = e.target.result; };
          tx.objectStore('meta').get(ns).onsuccess = (e) => { out.meta = e.target.result; };
          tx.oncomplete = () => { db.close(); resolve(out); };
        };
        request.onerror = () => reject(request.error);
    })""", ns)
    assert set(raw["types"]) == {"Uint8Array"} and raw["keys"] == [[ns, i] for i in range(12)]
    assert json.loads(raw["first"]) == chunk(0)
    assert isinstance(raw["meta"]["json"], str) and raw["meta"]["next"] == 12

    opened.call("store", op="replace", ns=ns, meta={**META, "phase": "done"}, chunks=[chunk(100), chunk(101)])
    assert load(opened, ns) == {"meta": {**META, "phase": "done"}, "chunks": [chunk(100), chunk(101)]}
    opened.call("store", op="commit", ns=ns, meta=META, chunk=chunk(102))  # numbering goes on after a replace
    assert load(opened, ns)["chunks"] == [chunk(100), chunk(101), chunk(102)]
    # A chunk kept as a JSON string (as before chunks were bytes) still loads, among bytes.
    opened.frame.evaluate("([ns, meta, text]) => window.b24cIdb.commit(ns, meta, text)",
                          [ns, json.dumps(META), json.dumps(chunk(103), ensure_ascii=False)])
    assert load(opened, ns)["chunks"] == [chunk(100), chunk(101), chunk(102), chunk(103)]
    opened.call("store", op="replace", ns=ns, meta=META, chunks=[])
    assert load(opened, ns) == {"meta": META, "chunks": []}

    assert opened.call("store", op="load_view", ns=ns) is None
    opened.call("store", op="save_view", ns=ns, html='[{"t":"p","a":{},"c":["x"]}]',
                saved_at="2026-11-23T10:00:00+00:00", lang="ru")
    assert opened.call("store", op="load_view", ns=ns) == {
        "html": '[{"t":"p","a":{},"c":["x"]}]', "savedAt": "2026-11-23T10:00:00+00:00", "lang": "ru"}

    opened.call("store", op="commit", ns=ns, meta=META, chunk=chunk(1))
    opened.call("store", op="clear", ns=ns)
    assert load(opened, ns) == {"meta": None, "chunks": []}
    assert opened.call("store", op="load_view", ns=ns) is None


def test_two_users_of_one_portal_in_one_browser_never_see_each_others_data(serve, browsing):
    face = serve(portal(5))
    context = browsing.context()
    anna = browsing.open(face.shell_url(user=1, app="/app/harness.html"), context=context)
    dina = browsing.open(face.shell_url(user=5, app="/app/harness.html"), context=context)
    ns_anna, ns_dina = anna.call("context")["ns"], dina.call("context")["ns"]
    assert (ns_anna, ns_dina) == ("sim:1", "sim:5")

    anna.call("store", op="commit", ns=ns_anna, meta={"who": "anna"}, chunk={"rows": ["a1"]})
    anna.call("store", op="save_view", ns=ns_anna, html="[]", saved_at="2026-11-23T10:00:00Z", lang="en")
    assert load(dina, ns_dina) == {"meta": None, "chunks": []}
    assert dina.call("store", op="load_view", ns=ns_dina) is None

    dina.call("store", op="commit", ns=ns_dina, meta={"who": "dina"}, chunk={"rows": ["d1"]})
    dina.call("store", op="replace", ns=ns_dina, meta={"who": "dina"}, chunks=[{"rows": ["d2"]}])
    assert load(anna, ns_anna) == {"meta": {"who": "anna"}, "chunks": [{"rows": ["a1"]}]}
    assert load(dina, ns_dina) == {"meta": {"who": "dina"}, "chunks": [{"rows": ["d2"]}]}

    # A namespace that extends another ("sim:1" / "sim:10") is still another namespace.
    anna.call("store", op="commit", ns="sim:10", meta={"who": "user 10"}, chunk={"rows": ["x"]})
    assert load(anna, ns_anna)["chunks"] == [{"rows": ["a1"]}]

    dina.call("store", op="clear", ns=ns_dina)
    assert load(dina, ns_dina) == {"meta": None, "chunks": []}
    assert load(anna, ns_anna) == {"meta": {"who": "anna"}, "chunks": [{"rows": ["a1"]}]}
    assert anna.call("store", op="load_view", ns=ns_anna)["html"] == "[]"
    assert load(anna, "sim:10")["meta"] == {"who": "user 10"}


def test_a_newer_version_elsewhere_closes_the_connection_and_failures_are_sentences(serve, browsing):
    """Another tab upgrading the database: ours closes at once (the upgrade is not
    blocked); opening the old version then fails as an "IndexedDB: ..." error."""
    face = serve(portal(5))
    opened = browsing.open(face.shell_url(user=1, app="/app/harness.html"))
    ns = opened.call("context")["ns"]
    opened.call("store", op="commit", ns=ns, meta=META, chunk=chunk(1))
    upgraded = opened.frame.evaluate("""() => new Promise((resolve) => {
        const request = indexedDB.open('b24clients', 2);
        request.onblocked = () => resolve('blocked');
        request.onsuccess = () => { request.result.close(); resolve('upgraded'); };
        request.onerror = () => resolve('error ' + request.error);
    })""")
    assert upgraded == "upgraded"
    with pytest.raises(AssertionError, match=r"StorageError: IndexedDB: could not be opened \(VersionError"):
        load(opened, ns)


def test_without_indexeddb_every_call_rejects_with_a_sentence(serve, browsing):
    face = serve(portal(5))
    opened = browsing.open(face.base_url + "/app/boot.html", frame=False, wait_harness=False)
    messages = opened.frame.evaluate("""async () => {
        Object.defineProperty(window, 'indexedDB', {get() { throw new DOMException('denied', 'SecurityError'); }});
        const out = [];
        for (const call of [() => b24cIdb.load('sim:1'), () => b24cIdb.commit('sim:1', '{}', null),
                            () => b24cIdb.loadView('sim:1'), () => b24cIdb.load('')]) {
          try { await call(); out.push('resolved'); } catch (e) { out.push(e.message); }
        }
        return out;
    }""")
    assert messages[:3] == ["IndexedDB: this browser does not allow storage here (private mode or storage "
                            "disabled) (SecurityError: denied)"] * 3
    assert "namespace" in messages[3]
