"""Write-back on the simulated portal (rules.md §6, spec/sync.md "Write-back")."""

import asyncio

from b24clients.sync.fields import FIELDS, UF_NAMES
from b24clients.sync.store import MemoryStore
from b24sim.portal import Portal
from simkit import portal as small_portal
from syncfix import engine_for, expected_ranks, generated, sync


def held(portal: Portal, table: str, rid: int) -> dict:
    row = portal.tables[table].rows[rid]
    return {name: row.get(name) for name in UF_NAMES}


def item_ids(portal: Portal, entity: str, name: str) -> dict[str, str]:
    uf = next(u for u in portal.userfields if u["ENTITY_ID"] == f"CRM_{entity.upper()}" and u["FIELD_NAME"] == name)
    return {item["XML_ID"]: item["ID"] for item in uf["LIST"]}


def test_the_nine_fields_are_created_once_with_both_labels_and_the_values_written_match_the_classification():
    portal = Portal(generated(300, 11))
    result, _ = sync(portal)
    assert result.write["fields_created"] == 18 and result.write["written"] == len(result.rows)
    assert {u["FIELD_NAME"] for u in portal.userfields} == set(UF_NAMES)
    lifecycle = next(u for u in portal.userfields if u["FIELD_NAME"] == "UF_CRM_B24C_LIFECYCLE")
    assert lifecycle["LABELS"] == {"ru": "Жизненный цикл", "en": "Lifecycle"}
    for row in result.rows[:200]:
        table = "contacts" if row.entity == "contact" else "companies"
        values = held(portal, table, row.id)
        assert values["UF_CRM_B24C_LIFECYCLE"] == item_ids(portal, row.entity, "UF_CRM_B24C_LIFECYCLE")[row.lifecycle]
        assert values["UF_CRM_B24C_PAYMENTS"] == str(row.payments)
        assert values["UF_CRM_B24C_LAST_PAYMENT"] == (row.last_payment.isoformat() if row.last_payment else None)
        assert values["UF_CRM_B24C_DIALOGS"] == (1 if row.has_dialogs else 0)
        assert values["UF_CRM_B24C_PARENT"] == (str(row.parent_company_id) if row.parent_company_id else None)


def test_a_second_run_writes_nothing_and_creates_no_field():
    portal, store = Portal(generated(300, 12)), MemoryStore()
    sync(portal, store)
    writes = len(portal.writes)
    again, _ = sync(portal, store)
    assert again.write["written"] == 0 and again.write["fields_created"] == 0
    assert len(portal.writes) == writes


def test_only_records_whose_values_differ_are_updated():
    portal, store = Portal(generated(300, 13)), MemoryStore()
    first, _ = sync(portal, store)
    victim = first.rows[0]
    table = "contacts" if victim.entity == "contact" else "companies"
    row = dict(portal.tables[table].rows[victim.id])
    row["UF_CRM_B24C_PAYMENTS"] = "999"
    row["DATE_MODIFY"] = portal.iso(portal.clock.now())
    portal.put_record(table, row)
    again, _ = sync(portal, store)
    assert again.write["written"] == 1
    assert portal.tables[table].rows[victim.id]["UF_CRM_B24C_PAYMENTS"] == str(victim.payments)


def test_records_the_user_may_not_edit_are_skipped_and_counted():
    """A head of sales who reads everything but may edit only their own records."""
    data = generated(300, 15)
    head = next(u for u in data["users"] if u["ADMIN"] and u["CRM_ACCESS"] == "all")
    head["CRM_EDIT"] = "own"
    portal = Portal(data)
    result, _ = sync(portal, user_id=int(head["ID"]))
    mine = sum(1 for t in ("contacts", "companies") for row in portal.tables[t].rows.values()
               if row.get("ASSIGNED_BY_ID") == head["ID"] and not (t == "companies" and row.get("IS_MY_COMPANY") == "Y"))
    assert result.write["written"] == mine
    assert result.write["skipped_no_rights"] == len(result.rows) - mine > 0


def test_a_non_admin_neither_creates_fields_nor_writes_and_says_why():
    portal = small_portal(30)
    result, _ = sync(portal, user_id=2)
    assert result.write["not_written"] == "not_admin" and portal.userfields == []


def test_with_write_back_switched_off_the_counters_say_so():
    result, _ = sync(small_portal(30), write_back=False)
    assert result.write == {"not_written": "switched_off"}


def test_a_killed_write_back_resumes_and_ends_with_the_same_values():
    data = generated(400, 14)
    clean = Portal(data)
    sync(clean)
    portal, store = Portal(data), MemoryStore()
    engine = engine_for(portal, store)

    async def kill_during_write_back():
        task = asyncio.ensure_future(engine.run())
        while not portal.writes or len(portal.writes) < 300:
            await engine.gateway.clock.sleep(0.5)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass

    asyncio.run(kill_during_write_back())
    resumed, _ = sync(portal, store)
    assert resumed.write["written"] < len(resumed.rows)
    for table in ("contacts", "companies"):
        for rid in clean.tables[table].ids:
            assert held(portal, table, rid) == held(clean, table, rid), (table, rid)


def test_fields_is_the_one_list_of_the_eight_and_the_rank():
    assert len(FIELDS) == 9 and len(set(UF_NAMES)) == 9 and UF_NAMES[-1] == "UF_CRM_B24C_RANK"


class EditDuringWriteBack(MemoryStore):
    """Commits during the write-back are a moment to let a colleague edit a contact."""

    def __init__(self, edit):
        super().__init__()
        self.edit, self.edited = edit, False

    async def commit(self, meta, chunk=None):
        if chunk and "held" in chunk and not self.edited:
            self.edit()
            self.edited = True
        await super().commit(meta, chunk)


def test_the_next_run_does_not_fetch_our_own_writes_but_sees_a_colleagues_edit_made_during_them():
    data = generated(600, 16)
    portal = Portal(data)
    contact = next(c for c in data["contacts"] if c.get("COMPANY_ID") not in (None, "0", ""))
    colleague = next(u["ID"] for u in data["users"] if u["ID"] != "1")

    def colleague_edits():
        row = dict(portal.tables["contacts"].rows[int(contact["ID"])])
        row.update(COMPANY_ID=None, DATE_MODIFY=portal.iso(portal.clock.now()), MODIFY_BY_ID=colleague)
        portal.bindings = [b for b in portal.bindings if b["CONTACT_ID"] != contact["ID"]]
        portal.put_record("contacts", row)

    store = EditDuringWriteBack(colleague_edits)
    first, _ = sync(portal, store)
    assert store.edited and first.write["written"] > 500
    fetched = []
    run = portal.run

    def recording(method, params, caller):
        answer = run(method, params, caller)
        if any(str(key).startswith("@") for key in (params.get("filter") or {})):
            fetched.extend(answer.result["items"] if isinstance(answer.result, dict) else answer.result)
        return answer

    portal.run = recording
    second, engine = sync(portal, store)
    mine = next(r for r in second.rows if r.entity == "contact" and r.id == int(contact["ID"]))
    assert mine.client_type == "b2c"
    refetched = {int(row.get("id", row.get("ID"))) for row in fetched}
    assert refetched <= {int(contact["ID"])}, "our own writes were fetched in full again"


def test_the_rank_written_is_the_clients_and_a_member_contact_carries_its_companys():
    data = generated(300, 14)
    portal = Portal(data)
    result, _ = sync(portal)
    want = expected_ranks(data).ranks
    rank_uf = next(u for u in portal.userfields if u["FIELD_NAME"] == "UF_CRM_B24C_RANK")
    assert rank_uf["LABELS"] == {"ru": "Ранг (Клиенты)", "en": "Rank (Clients)"}
    seen = set()
    for row in result.rows:
        table = "contacts" if row.entity == "contact" else "companies"
        ids = {v: k for k, v in item_ids(portal, row.entity, "UF_CRM_B24C_RANK").items()}
        written = ids[held(portal, table, row.id)["UF_CRM_B24C_RANK"]]
        own = want.get((row.entity, row.id))
        expected = own if own is not None else want.get(("company", row.parent_company_id), "N")
        assert written == expected, row
        seen.add(written)
    assert seen == {"A", "B", "C", "N"}


def test_a_rank_that_moves_with_the_cut_offs_is_rewritten_though_the_clients_own_values_did_not_change():
    """One client's huge new payment pushes others down a rank: their classification is the same,
    so only the rank's comparison on every row finds them."""
    data = generated(300, 15)
    portal, store = Portal(data), MemoryStore()
    engine = engine_for(portal, store)
    first = asyncio.run(engine.run())
    deal = dict(next(d for d in portal.tables["deals"].rows.values()
                     if d.get("STAGE_SEMANTIC_ID") == "S" and d.get("COMPANY_ID") not in (None, "0")))
    portal.clock.sleep(3600)
    now = portal.iso(portal.clock.now())
    base = next(c["CURRENCY"] for c in data["currencies"] if c["BASE"] == "Y")
    deal.update(OPPORTUNITY="9999999999.00", CURRENCY_ID=base, CLOSEDATE=now, DATE_MODIFY=now)
    portal.put_record("deals", deal)
    again = asyncio.run(engine.run())
    moved = {ref for ref, rank in again.ranks.ranks.items() if first.ranks.ranks.get(ref) != rank}
    assert len(moved) > 5
    for entity, rid in moved:
        table = "contacts" if entity == "contact" else "companies"
        ids = {v: k for k, v in item_ids(portal, entity, "UF_CRM_B24C_RANK").items()}
        assert ids[held(portal, table, rid)["UF_CRM_B24C_RANK"]] == again.ranks.ranks[(entity, rid)]
