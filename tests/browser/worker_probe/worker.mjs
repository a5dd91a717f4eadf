// measure_worker.py's probe: a second Pyodide in a module worker, our package unpacked and its engine imported.
import { loadPyodide } from "/vendor/pyodide/pyodide.mjs";
const t0 = performance.now();
const py = await loadPyodide({ indexURL: "/vendor/pyodide/" });
const booted = performance.now();
const zip = await (await fetch("/py/b24clients.zip")).arrayBuffer();
py.unpackArchive(zip, "zip");
py.runPython("import b24clients.classify, b24clients.sync.engine, b24clients.incremental");
const imported = performance.now();
postMessage({ booted: true });
await new Promise(go => { onmessage = go; });
const asked = performance.now();
const rows = await (await fetch("/rows.json")).text();
py.globals.set("text", rows);
py.runPython("import json; rows = json.loads(text); del text");
const parsed = performance.now();
const out = py.runPython("json.dumps(rows)");
const dumped = performance.now();
postMessage({ boot_ms: booted - t0, import_ms: imported - booted, parse_ms: parsed - asked,
              dump_ms: dumped - parsed, rows: out, rows_mb: rows.length / 2 ** 20,
              rows_count: py.runPython("len(rows)") });
