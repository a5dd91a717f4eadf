"""Who sees whose clients in the Planning mode (planning.md "Who sees what").

An employee sees their own clients; the head of a department picks any
employee of their department tree (every department whose `UF_HEAD` is them,
and every department below those) or "all of my department"; admins see
everyone.  CRM rights still filter the data underneath: this only narrows
what the user may read anyway.  Pure: `department.get` and `user.get` rows in,
sets of user IDs out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..records import ref_id

ALL, MINE, TREE = "all", "me", "tree"
"""Scope keys; an employee's own is "user.<ID>"."""


@dataclass(frozen=True, slots=True)
class Department:
    id: int
    name: str
    parent: int | None
    head: int | None
    """`UF_HEAD`: an int when set, may come as a string, absent when nobody heads it."""


def department(row: Mapping) -> Department | None:
    """A `department.get` row; None when it has no readable ID."""
    rid = ref_id(row.get("ID"))
    if rid is None:
        return None
    return Department(rid, str(row.get("NAME") or ""), ref_id(row.get("PARENT")), ref_id(row.get("UF_HEAD")))


def headed_tree(departments: Mapping[int, Department], user_id: int) -> frozenset[int]:
    """The departments the user heads and every department below them."""
    children: dict[int, list[int]] = {}
    for d in departments.values():
        if d.parent is not None:
            children.setdefault(d.parent, []).append(d.id)
    tree: set[int] = set()
    todo = [d.id for d in departments.values() if d.head == user_id]
    while todo:
        current = todo.pop()
        if current not in tree:
            tree.add(current)
            todo.extend(children.get(current, ()))
    return frozenset(tree)


def members(users: Iterable[Mapping], department_ids: Iterable[int]) -> dict[int, Mapping]:
    """The users (by ID) who belong to at least one of the departments."""
    wanted = set(department_ids)
    found = {}
    for user in users:
        uid = ref_id(user.get("ID"))
        depts = user.get("UF_DEPARTMENT") or []
        depts = depts if isinstance(depts, (list, tuple)) else [depts]
        if uid is not None and wanted & {ref_id(d) for d in depts}:
            found[uid] = user
    return found


@dataclass(frozen=True)
class Scope:
    """The people a user may pick in the Planning mode."""

    user_id: int
    admin: bool
    team: frozenset[int] = frozenset()
    """Employees of the user's department tree (the head included); empty for a non-head."""

    @property
    def is_head(self) -> bool:
        return bool(self.team - {self.user_id})

    def choices(self, known: Iterable[int] = ()) -> list[str]:
        """Scope keys in the picker's order: mine, the tree, everyone, then each employee.
        An admin may pick anyone `known` (the responsibles of the clients), a head their tree."""
        keys = [MINE]
        if self.is_head:
            keys.append(TREE)
        if self.admin:
            keys.append(ALL)
        people = set(known) | set(self.team) if self.admin else set(self.team)
        keys += [f"user.{uid}" for uid in sorted(people - {self.user_id})]
        return keys

    def default(self) -> str:
        """An admin starts with everyone, a head with their tree, anyone else with their own."""
        return ALL if self.admin else TREE if self.is_head else MINE

    def users(self, key: str) -> frozenset[int] | None:
        """The responsibles whose clients the key shows; None: everyone.  A key the user may
        not pick shows their own clients."""
        if key == ALL and self.admin:
            return None
        if key == TREE and self.is_head:
            return self.team | {self.user_id}
        if key.startswith("user."):
            uid = ref_id(key[5:])
            if uid is not None and (self.admin or uid in self.team):
                return frozenset({uid})
        return frozenset({self.user_id})
