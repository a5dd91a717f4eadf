"""PHP-style query strings, as BX24.js writes a batch command's parameters."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote


def build(params: Mapping, prefix: str = "") -> str:
    """{"filter": {">ID": 5}, "select": ["ID"]} → "filter%5B%3EID%5D=5&select%5B0%5D=ID"."""
    parts: list[str] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, Mapping):
            parts.append(build(value, name) if value else f"{quote(name, safe='')}=")
        elif isinstance(value, (list, tuple)):
            parts.append(build({str(i): v for i, v in enumerate(value)}, name) if value else f"{quote(name, safe='')}=")
        else:
            text = "" if value is None else ("Y" if value is True else "N" if value is False else str(value))
            parts.append(f"{quote(name, safe='')}={quote(text, safe='')}")
    return "&".join(p for p in parts if p)
