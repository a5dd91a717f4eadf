"""The browser UI layer: the only part of b24clients that talks to `js` / PyScript.

`strings` and `view` are pure Python (importable and testable under CPython);
`dashboard` needs Pyodide and is started by www/main.py.
"""
