"""Only a run that sees the whole CRM writes the fields (spec/sync.md "Who computes, who reads").

The defect of issue 9: a manager with "own records only" computed clients
from what they could see and wrote those values over the admin's (a deal
owned by a colleague was invisible, so an Active company became "without
payments").  After an admin's run, no other user's run may change a field.
"""

import pytest

from b24clients.sync.store import MemoryStore
from b24sim.portal import Portal
from syncfix import generated, sync
from test_engine import fields_of


def users_with(data: dict, access: str, *, admin: bool = False) -> list[int]:
    return [int(u["ID"]) for u in data["users"]
            if u["CRM_ACCESS"] == access and bool(u.get("ADMIN")) == admin and u["ACTIVE"]]


def test_after_an_admins_run_no_restricted_or_non_admin_users_run_changes_any_field():
    data = generated(600, 5)
    data["users"].append({**data["users"][-1], "ID": "99", "CRM_ACCESS": "all", "CRM_EDIT": "own", "ADMIN": False})
    portal = Portal(data)
    admin, _ = sync(portal, user_id=1)
    assert admin.write["written"] > 0
    written = fields_of(portal)
    others = users_with(data, "own")[:3] + users_with(data, "department")[:2] + users_with(data, "all") + [99]
    assert len(others) >= 6
    for user in others:
        result, _ = sync(portal, MemoryStore(), user_id=user)
        assert result.write["written"] == 0
        assert result.write["not_written"] == "not_admin"
        changed = {key for key, values in fields_of(portal).items() if written[key] != values}
        assert not changed, f"user {user} changed {sorted(changed)[:5]}"
    assert not [w for w in portal.writes if w["method"].endswith(".update") and w.get("user_id") != 1]


@pytest.mark.parametrize("access", ["own", "all"])
def test_a_non_admins_run_never_updates_a_record_even_when_no_admin_has_run(access):
    data = generated(300, 6)
    portal = Portal(data)
    user = users_with(data, access)[0]
    result, _ = sync(portal, user_id=user)
    assert result.write == {"written": 0, "unchanged": 0, "skipped_no_rights": 0, "fields_created": 0,
                            "installed": False, "not_written": "not_admin", "wrote_from": None, "wrote_to": None}
    assert not [w for w in portal.writes if w["method"].endswith(".update")]


def test_a_managers_run_writes_no_rank_though_their_own_ranks_differ_from_the_portals():
    """A manager sees part of the revenue, so their ranks differ; only the admin's reach the CRM."""
    data = generated(600, 7)
    portal = Portal(data)
    manager = users_with(data, "own")[0]
    mine, _ = sync(portal, MemoryStore(), user_id=manager)
    assert mine.ranks.ranks and mine.write["not_written"] == "not_admin"
    assert not any(row.get("UF_CRM_B24C_RANK") for table in ("contacts", "companies")
                   for row in portal.tables[table].rows.values())
    admin, _ = sync(portal, MemoryStore(), user_id=1)
    assert admin.write["written"] > 0
    shared = set(mine.ranks.ranks) & set(admin.ranks.ranks)
    assert any(mine.ranks.ranks[ref] != admin.ranks.ranks[ref] for ref in shared)
    ranks_held = {key: values[-1] for key, values in fields_of(portal).items()}
    assert any(ranks_held.values())
    sync(portal, MemoryStore(), user_id=manager)
    assert {key: values[-1] for key, values in fields_of(portal).items()} == ranks_held
