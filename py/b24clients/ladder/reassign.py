"""Who takes over a client its manager let decay into Lost (status-ladder.md "Lost")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from ..model import Ref
from .settings import Reassign


def assignees(lost: Iterable[tuple[Ref, int]], rule: Reassign, heads: Mapping[int, int],
              today: date) -> dict[Ref, int]:
    """The new responsible of each (client, manager who lost it) the rule moves.

    A client the rule cannot move anywhere else (rule "nobody", the named user
    or the head is that manager, no head known) keeps its manager and is left
    out.  `heads` maps a user to the head of their department, already walked
    up past departments the user heads themselves.
    """
    lost = sorted(lost)
    if rule.rule == "user":
        return {key: rule.user for key, manager in lost if rule.user not in (None, manager)}
    if rule.rule == "head":
        return {key: heads[manager] for key, manager in lost if heads.get(manager) not in (None, manager)}
    if rule.rule == "group":
        return _in_turn(lost, rule.group, today)
    return {}


def _in_turn(lost: list[tuple[Ref, int]], group: tuple[int, ...], today: date) -> dict[Ref, int]:
    """The group's members in turn, in client order, skipping the manager who
    lost the client.  The first turn moves on by one member each day, so
    small daily batches do not all land on the first member."""
    chosen: dict[Ref, int] = {}
    if not group:
        return chosen
    turn = today.toordinal() % len(group)
    for key, manager in lost:
        for step in range(len(group)):
            member = group[(turn + step) % len(group)]
            if member != manager:
                chosen[key] = member
                turn += step + 1
                break
    return chosen
