"""The browser UI layer: the only part of b24clients that talks to `js` / PyScript.

Pure Python, importable and testable under CPython: `view` (modes, counters, page parameters), `listing` (the client list:
filters, search, sort, CSV, managers, months), `charts` (SVG geometry),
`people` (employee names and cards); every word in `b24clients.strings`, settings in
`b24clients.settings`.
Needs Pyodide: `app` (started by www/main.py: demo or portal), `live` (the
app in a portal), `screen` and `listview` (drawing), `dom`, `bx24` (BX24.js
transport), `idbstore` (IndexedDB progress store), `portal` (boot context).
"""
