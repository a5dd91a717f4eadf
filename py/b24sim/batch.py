"""`batch`: up to 50 commands in one HTTP request (bitrix24-rest.md §3).

Each command is "method?query".  Before a command runs, `$result[key][path]`
references to earlier results are resolved the way the portal does it: walk
the path as far as it exists; a value that is the whole reference takes the
structure found (which may be a whole list when the path ran out); a
reference inside a longer string is replaced only by a scalar.  The batch
counts once in the leaky bucket; each command counts under its own method
in the operating budget.  Empty maps come out as `[]`, as PHP writes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import phpquery

MAX_COMMANDS = 50
_REFERENCE = re.compile(r"\$(result_error|result_total|result_next|result_time|result)((?:\[[^\]]+\])+)")


def run_batch(portal, caller, params: Mapping) -> tuple[dict, float]:
    from .portal import RestError

    commands = params.get("cmd") or {}
    if isinstance(commands, list):
        commands = {str(i): c for i, c in enumerate(commands)}
    if not isinstance(commands, Mapping):
        raise RestError(400, "INVALID_REQUEST", "Parameter 'cmd' must be array")
    if len(commands) > MAX_COMMANDS:
        raise RestError(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
    halt = str(params.get("halt", "0")).lower() in ("1", "true", "y")
    done = {"result": {}, "result_error": {}, "result_total": {}, "result_next": {}, "result_time": {}}
    processing = 0.0
    for key, command in commands.items():
        key = str(key)
        method, _, query = str(command).partition("?")
        method = method.strip().lower().removesuffix(".json")
        sub_params = resolve(phpquery.parse(query), done)
        started = portal.clock.now() + processing
        portal.counters["sub_calls"] += 1
        try:
            if method == "batch":
                raise RestError(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage")
            answer = portal.run(method, sub_params, caller)
        except RestError as error:
            if error.status == 429:
                portal.counters["http_429"] += 1
            done["result_error"][key] = error.body()
            if halt:
                break
            continue
        processing += answer.cost
        done["result"][key] = answer.result
        if answer.total is not None:
            done["result_total"][key] = answer.total
        if answer.next is not None:
            done["result_next"][key] = answer.next
        done["result_time"][key] = portal.time_block(started, answer.cost, method, caller)
    return {name: php_array(value) for name, value in done.items()}, processing


def resolve(value: object, done: Mapping) -> object:
    if isinstance(value, Mapping):
        return {resolve(k, done) if isinstance(k, str) else k: resolve(v, done) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, done) for v in value]
    if not isinstance(value, str) or "$" not in value:
        return value
    for match in list(_REFERENCE.finditer(value)):
        found = _walk(done[match.group(1)], re.findall(r"\[([^\]]+)\]", match.group(2)))
        if match.group(0) == value:
            return found
        if isinstance(found, (str, int, float)) and not isinstance(found, bool):
            value = value.replace(match.group(0), str(found))
    return value


def _walk(node: object, path: list[str]) -> object:
    for step in path:
        if isinstance(node, Mapping) and node.get(step) is not None:
            node = node[step]
        elif isinstance(node, list) and step.isdigit() and int(step) < len(node) and node[int(step)] is not None:
            node = node[int(step)]
        else:
            break
    return node


def php_array(node: Mapping) -> object:
    """A PHP array in JSON: empty → [], keys exactly 0..n-1 → a list, else an object."""
    if not node:
        return []
    if list(node) == [str(i) for i in range(len(node))]:
        return list(node.values())
    return dict(node)
