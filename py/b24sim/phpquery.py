"""PHP-style nested query strings: `filter[>ID]=5&select[]=ID` ⇄ {"filter": {">ID": "5"}, "select": ["ID"]}.

BX24.js sends every call this way, and every batch command is "method?query".
Like PHP's parse_str, every value arrives as a string; an array whose keys are
exactly 0..n-1 is a list (PHP's arrays are both).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from b24clients.rest.query import build  # noqa: F401  (the inverse, shared with the app)

_KEY = re.compile(r"^([^\[]*)((?:\[[^\]]*\])*)$")


def parse(query: str) -> dict:
    root: dict = {}
    for raw_key, value in parse_qsl(query, keep_blank_values=True):
        match = _KEY.match(raw_key)
        if not match or not match.group(1):
            continue
        path = [match.group(1)] + re.findall(r"\[([^\]]*)\]", match.group(2))
        node = root
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if part == "":
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = node[part] = {}
                node = child
    return _lists(root)


def _lists(node: object) -> object:
    if not isinstance(node, dict):
        return node
    converted = {k: _lists(v) for k, v in node.items()}
    if converted and list(converted) == [str(i) for i in range(len(converted))]:
        return list(converted.values())
    return converted
