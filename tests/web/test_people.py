"""Employee names and hover cards: one user.get per 50 people, one department.get, cached."""

from __future__ import annotations

import asyncio

from b24clients.web.people import People, full_name, person

ANNA = {"ID": "1", "NAME": "Anna", "LAST_NAME": "Petrova", "WORK_POSITION": "Head of sales",
        "UF_DEPARTMENT": [1, 9], "WORK_PHONE": "+7 495 000-00-01", "PERSONAL_PHOTO": None}


def test_a_card_has_name_departments_position_and_phone():
    card = person(ANNA, {1: "Sales", 2: "Support"})
    assert (card.name, card.position, card.departments, card.phone, card.photo) == (
        "Anna Petrova", "Head of sales", ("Sales",), "+7 495 000-00-01", None)


def test_odd_users_do_not_break_a_card():
    card = person({"ID": "x", "NAME": None, "UF_DEPARTMENT": "3", "PERSONAL_MOBILE": "8 900"}, {3: "Field"})
    assert (card.id, card.name, card.departments, card.phone) == (0, "", ("Field",), "8 900")
    assert full_name({"NAME": " Ivan ", "SECOND_NAME": "", "LAST_NAME": "Sidorov"}) == "Ivan Sidorov"


def test_portal_people_are_read_in_pages_of_50_and_kept():
    calls = []

    async def call(method, params):
        calls.append((method, params))
        if method == "user.get":
            return [{"ID": str(i), "NAME": f"U{i}"} for i in params["FILTER"]["ID"]]
        return [{"ID": "1", "NAME": "Sales"}]

    async def scenario():
        people = People(call=call)
        await people.load(range(1, 121))
        await people.load([5, 0, None])  # known or empty: no request
        first = await people.card(7)
        second = await people.card(8)
        return people, first, second

    people, first, second = asyncio.run(scenario())
    assert [len(p["FILTER"]["ID"]) for m, p in calls if m == "user.get"] == [50, 50, 20]
    assert [m for m, _ in calls].count("department.get") == 1
    assert people.name(7) == "U7" and people.name(999) == "" and first.name == "U7" and second.name == "U8"


def test_demo_people_come_from_the_snapshot_without_requests():
    people = People(users=[ANNA], departments=[{"ID": "1", "NAME": "Sales"}])
    card = asyncio.run(people.card(1))
    assert card.departments == ("Sales",) and people.names() == {1: "Anna Petrova"}
    assert asyncio.run(people.card(2)) is None
