// The app's local cache: one IndexedDB database, "b24clients", behind
// window.b24cIdb (a plain script, loaded before boot.js).
//
// Every key starts with a namespace `ns` = "MEMBER_ID:USER_ID", so one
// user's cache is never read for another user of the same browser. Three
// object stores:
//   meta   [ns]       -> {json: meta JSON string, next: next chunk number}
//   chunks [ns, n]    -> a chunk's JSON as UTF-8 bytes (a Uint8Array; a string in
//                        stores kept by earlier versions), n = 0, 1, 2 ... in commit order
//   views  [ns]       -> {html, savedAt, lang}: the last dashboard the user saw
// Progress is kept as JSON (meta as a string, chunks as bytes), never as
// structured objects: Python passes one buffer per chunk across the FFI and
// parses it itself; the structured clone of a big object graph is slower, and
// a big string with non-ASCII text crosses the FFI far slower than bytes.
//
// Every call is ONE IndexedDB transaction and returns a Promise:
//   load(ns)                      -> {meta: string|null, chunks: (Uint8Array|string)[]}
//   loadMeta(ns)                  -> meta string|null (the marks, without reading the chunks)
//   commit(ns, metaJson, chunk|null)   chunk appended + meta replaced, atomically
//   replace(ns, metaJson, chunks[])    everything of ns swapped, atomically
//   clear(ns)                     meta, chunks and the saved view of ns only
//   saveView(ns, {html, savedAt, lang}) / loadView(ns) -> record|null
// A browser without usable IndexedDB (private mode, storage disabled, quota
// exceeded, an old version held open by another tab) rejects with an Error
// whose message starts with "IndexedDB" and says why, so Python can show a
// sentence. Progress writes ask for strict durability: a month committed is
// on disk before the run moves on.
(function () {
  "use strict";

  var NAME = "b24clients";
  var VERSION = 1;
  var opening = null;

  function problem(what, error) {
    var name = error && error.name ? error.name : "";
    var detail = error && error.message ? error.message : String(error || "");
    var why;
    if (name === "QuotaExceededError") {
      why = "the browser's storage for this site is full (quota exceeded)";
    } else if (name === "SecurityError" || name === "InvalidStateError") {
      why = "this browser does not allow storage here (private mode or storage disabled)";
    } else {
      why = what;
    }
    var out = new Error("IndexedDB: " + why + (detail ? " (" + (name ? name + ": " : "") + detail + ")" : ""));
    out.name = "IndexedDbError";
    out.cause = name || undefined;
    return out;
  }

  function open() {
    if (opening) return opening;
    opening = new Promise(function (resolve, reject) {
      var factory;
      try {
        factory = window.indexedDB;
      } catch (e) {  // some sandboxed frames throw on the mere access
        reject(problem("is not available in this browser", e));
        return;
      }
      if (!factory) {
        reject(problem("is not available in this browser (private mode or storage disabled)"));
        return;
      }
      var request;
      try {
        request = factory.open(NAME, VERSION);
      } catch (e) {
        reject(problem("could not be opened", e));
        return;
      }
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
        if (!db.objectStoreNames.contains("chunks")) db.createObjectStore("chunks");
        if (!db.objectStoreNames.contains("views")) db.createObjectStore("views");
      };
      request.onblocked = function () {
        reject(problem("is blocked by another tab of this app that keeps an older version open: close it and reload"));
      };
      request.onerror = function (event) {
        event.preventDefault();
        reject(problem("could not be opened", request.error));
      };
      request.onsuccess = function () {
        var db = request.result;
        // A newer version of the app (another tab) wants to upgrade: let it.
        db.onversionchange = function () {
          db.close();
          opening = null;
        };
        db.onclose = function () { opening = null; };  // closed by the browser (storage cleared)
        resolve(db);
      };
    });
    opening.catch(function () { opening = null; });  // the next call tries again
    return opening;
  }

  function checkNs(ns) {
    if (typeof ns !== "string" || !ns) throw new TypeError("b24cIdb: the namespace must be a non-empty string");
    return ns;
  }

  function chunkRange(ns) {
    return IDBKeyRange.bound([ns, -Infinity], [ns, Infinity]);
  }

  // One transaction over `stores`; `work(tx, out)` queues the requests and
  // fills `out`; resolves with `out` once the transaction has committed.
  function transaction(stores, mode, work, durability) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx, out = {};
        try {
          tx = durability ? db.transaction(stores, mode, {durability: durability}) : db.transaction(stores, mode);
        } catch (e) {
          reject(problem("could not start a transaction", e));
          return;
        }
        tx.oncomplete = function () { resolve(out); };
        tx.onabort = function () { reject(problem("the write was not saved", tx.error)); };
        tx.onerror = function (event) { event.preventDefault(); };  // reported once, by onabort
        try {
          work(tx, out);
        } catch (e) {
          try { tx.abort(); } catch (ignored) { /* already finished */ }
          reject(e instanceof Error && e.name === "TypeError" ? e : problem("the request failed", e));
        }
      });
    });
  }

  // A chunk as Python hands it over: bytes are kept as they are, anything else as a string.
  function storable(chunk) {
    return ArrayBuffer.isView(chunk) ? chunk : String(chunk);
  }

  function guard(fn) {
    return function () {
      try {
        return fn.apply(null, arguments);
      } catch (e) {
        return Promise.reject(e);
      }
    };
  }

  window.b24cIdb = {
    load: guard(function (ns) {
      checkNs(ns);
      return transaction(["meta", "chunks"], "readonly", function (tx, out) {
        out.meta = null;
        out.chunks = [];
        tx.objectStore("meta").get(ns).onsuccess = function (event) {
          var record = event.target.result;
          out.meta = record ? record.json : null;
        };
        tx.objectStore("chunks").getAll(chunkRange(ns)).onsuccess = function (event) {
          out.chunks = event.target.result;  // in key order: [ns, 0], [ns, 1], ...
        };
      }).then(function (out) { return {meta: out.meta, chunks: out.chunks}; });
    }),

    loadMeta: guard(function (ns) {
      checkNs(ns);
      return transaction(["meta"], "readonly", function (tx, out) {
        out.meta = null;
        tx.objectStore("meta").get(ns).onsuccess = function (event) {
          var record = event.target.result;
          out.meta = record ? record.json : null;
        };
      }).then(function (out) { return out.meta; });
    }),

    commit: guard(function (ns, metaJson, chunk) {
      checkNs(ns);
      if (typeof metaJson !== "string") throw new TypeError("b24cIdb.commit: meta must be a JSON string");
      return transaction(["meta", "chunks"], "readwrite", function (tx) {
        var metas = tx.objectStore("meta");
        metas.get(ns).onsuccess = function (event) {
          var next = event.target.result ? event.target.result.next : 0;
          if (chunk !== null && chunk !== undefined) {
            tx.objectStore("chunks").put(storable(chunk), [ns, next]);
            next += 1;
          }
          metas.put({json: metaJson, next: next}, ns);
        };
      }, "strict").then(function () { return undefined; });
    }),

    replace: guard(function (ns, metaJson, chunkList) {
      checkNs(ns);
      if (typeof metaJson !== "string") throw new TypeError("b24cIdb.replace: meta must be a JSON string");
      var list = Array.prototype.slice.call(chunkList || []);
      return transaction(["meta", "chunks"], "readwrite", function (tx) {
        var chunks = tx.objectStore("chunks");
        chunks.delete(chunkRange(ns));
        for (var i = 0; i < list.length; i++) chunks.put(storable(list[i]), [ns, i]);
        tx.objectStore("meta").put({json: metaJson, next: list.length}, ns);
      }, "strict").then(function () { return undefined; });
    }),

    clear: guard(function (ns) {
      checkNs(ns);
      return transaction(["meta", "chunks", "views"], "readwrite", function (tx) {
        tx.objectStore("meta").delete(ns);
        tx.objectStore("chunks").delete(chunkRange(ns));
        tx.objectStore("views").delete(ns);
      }, "strict").then(function () { return undefined; });
    }),

    saveView: guard(function (ns, record) {
      checkNs(ns);
      var value = {
        html: String(record && record.html || ""),
        savedAt: String(record && record.savedAt || new Date().toISOString()),
        lang: String(record && record.lang || "")
      };
      return transaction(["views"], "readwrite", function (tx) {
        tx.objectStore("views").put(value, ns);
      }).then(function () { return undefined; });
    }),

    loadView: guard(function (ns) {
      checkNs(ns);
      return transaction(["views"], "readonly", function (tx, out) {
        out.view = null;
        tx.objectStore("views").get(ns).onsuccess = function (event) {
          out.view = event.target.result || null;
        };
      }).then(function (out) { return out.view; });
    })
  };
})();
