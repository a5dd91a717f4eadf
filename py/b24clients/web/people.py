"""Employees as the client list shows them: a name per responsible, and the
hover card (photo, full name, department, position, phone).

Names for the whole list are read once (`user.get` by ID, 50 to a page);
departments once per portal (`department.get`). Both are cached for the
page's life, so hovering over a hundred rows costs no request at all.
The demo reads the same shapes from the snapshot's users and departments.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

Call = Callable[[str, dict], Awaitable[object]]
"""A REST call that returns the answer's `result` (the gateway's `call(...).result`)."""


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    position: str
    departments: tuple[str, ...]
    phone: str
    photo: str | None


def full_name(user: dict) -> str:
    return " ".join(str(user.get(k) or "").strip() for k in ("NAME", "SECOND_NAME", "LAST_NAME")
                    if str(user.get(k) or "").strip())


def person(user: dict, departments: dict[int, str]) -> Person:
    dept_ids = user.get("UF_DEPARTMENT") or []
    if not isinstance(dept_ids, list):
        dept_ids = [dept_ids]
    return Person(
        id=_int(user.get("ID")),
        name=full_name(user),
        position=str(user.get("WORK_POSITION") or ""),
        departments=tuple(departments[d] for d in map(_int, dept_ids) if d in departments),
        phone=str(user.get("WORK_PHONE") or user.get("PERSONAL_MOBILE") or user.get("PERSONAL_PHONE") or ""),
        photo=str(user["PERSONAL_PHOTO"]) if user.get("PERSONAL_PHOTO") else None,
    )


class People:
    """Everyone a list may name, fetched lazily and kept."""

    def __init__(self, call: Call | None = None, users: Iterable[dict] = (), departments: Iterable[dict] = ()):
        self._call = call
        self._users: dict[int, dict] = {_int(u.get("ID")): u for u in users}
        self._departments: dict[int, str] | None = (
            {_int(d.get("ID")): str(d.get("NAME") or "") for d in departments} if call is None else None)

    async def load(self, ids: Iterable[int], *, again: bool = False) -> None:
        """Read the users not known yet (`again`: all of them, names remembered from a cached
        page may have changed), 50 IDs per `user.get`."""
        missing = sorted({i for i in ids if i and (again or i not in self._users)})
        if self._call is None:
            return
        for start in range(0, len(missing), 50):
            part = missing[start:start + 50]
            found = await self._call("user.get", {"FILTER": {"ID": part}})
            for user in found or []:
                self._users[_int(user.get("ID"))] = user

    def remember(self, names: dict) -> None:
        """Names known from before (a cached page's), shown until the users are read again."""
        for uid, name in names.items():
            key = _int(uid)
            if key and key not in self._users and name:
                self._users[key] = {"ID": key, "NAME": str(name)}

    def name(self, user_id: int | None) -> str:
        user = self._users.get(user_id or 0)
        return full_name(user) if user else ""

    def names(self) -> dict[int, str]:
        return {uid: full_name(user) for uid, user in self._users.items()}

    async def card(self, user_id: int) -> Person | None:
        if user_id not in self._users:
            await self.load([user_id])
        user = self._users.get(user_id)
        if user is None:
            return None
        return person(user, await self._department_names())

    async def _department_names(self) -> dict[int, str]:
        if self._departments is None:
            rows = await self._call("department.get", {}) if self._call else []
            self._departments = {_int(d.get("ID")): str(d.get("NAME") or "") for d in rows or []}
        return self._departments


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0
