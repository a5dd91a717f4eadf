"""planning.md "Touch frequency": the last touch of each client, from its own
activities, its contacts', deals' and invoices', and from the records' own fields."""

from datetime import date, timedelta, timezone

from b24clients import records
from b24clients.model import Touch
from b24clients.ranks.attribution import Attribution
from b24clients.ranks.touches import last_touches
from b24clients.snapshot import snapshot_from_data
from builders import activity, company, contact, deal, invoice, snapshot, stamp

MSK = timezone(timedelta(hours=3))
CALLS = frozenset({"call"})


def crm(**collections):
    return snapshot_from_data(snapshot(**collections)).crm


def call(id, *owners, on="2026-10-01", by=12, **extra):
    """A completed call, done on `on` by user `by`."""
    raw = activity(id, *owners, TYPE_ID="2", COMPLETED="Y", RESPONSIBLE_ID=str(by), LAST_UPDATED=stamp(on), **extra)
    return records.activity(raw, MSK)


def touches(data, activities=(), record_touches=(), kinds=CALLS):
    return last_touches(Attribution(data), activities, record_touches, kinds)


SHOP = {"companies": [company(5), company(9, mine=True)], "contacts": [contact(1, company=5), contact(2)],
            "deals": [deal(3, company=5), deal(4, contact=2)],
            "invoices": [invoice(6, company=5), invoice(7, deal=77, contact=2)]}


class TestWhereATouchCounts:
    def test_a_call_on_the_company_or_on_a_member_contact_touches_the_company(self):
        data = crm(**SHOP)
        assert touches(data, [call(1, ("company", 5), on="2026-10-01")]) == {("company", 5): Touch(date(2026, 10, 1), 12)}
        assert touches(data, [call(1, ("contact", 1), on="2026-10-02")]) == {("company", 5): Touch(date(2026, 10, 2), 12)}

    def test_a_call_on_a_deal_or_an_invoice_touches_the_client_the_payment_would_belong_to(self):
        data = crm(**SHOP)
        assert set(touches(data, [call(1, ("deal", 3))])) == {("company", 5)}
        assert set(touches(data, [call(1, ("deal", 4))])) == {("contact", 2)}
        assert set(touches(data, [call(1, ("invoice", 6))])) == {("company", 5)}

    def test_a_call_on_a_deal_this_user_cannot_see_still_finds_the_client_through_its_invoices(self):
        assert set(touches(crm(**SHOP), [call(1, ("deal", 77))])) == {("contact", 2)}

    def test_a_call_bound_to_two_clients_touches_both(self):
        assert set(touches(crm(**SHOP), [call(1, ("contact", 1), ("contact", 2))])) == {("company", 5), ("contact", 2)}

    def test_a_call_on_the_sellers_own_company_or_on_an_unknown_record_touches_nobody(self):
        assert touches(crm(**SHOP), [call(1, ("company", 9)), call(2, ("contact", 99)), call(3, ("deal", 98))]) == {}


class TestWhatCounts:
    def test_only_completed_activities_of_the_counted_kinds(self):
        data = crm(**SHOP)
        email = records.activity(activity(2, ("company", 5), provider="CRM_EMAIL", TYPE_ID="4", COMPLETED="Y",
                                          LAST_UPDATED=stamp("2026-10-05")), MSK)
        open_call = records.activity(activity(3, ("company", 5), TYPE_ID="2", COMPLETED="N",
                                              LAST_UPDATED=stamp("2026-10-09")), MSK)
        found = [call(1, ("company", 5), on="2026-10-01"), email, open_call]
        assert touches(data, found)[("company", 5)].on == date(2026, 10, 1)
        assert touches(data, found, kinds={"call", "email"})[("company", 5)].on == date(2026, 10, 5)
        assert touches(data, found, kinds={"email"})[("company", 5)].on == date(2026, 10, 5)

    def test_any_counts_every_completed_activity(self):
        todo = records.activity(activity(2, ("company", 5), provider="CRM_TODO", TYPE_ID="6", COMPLETED="Y",
                                         LAST_UPDATED=stamp("2026-10-07")), MSK)
        assert touches(crm(**SHOP), [todo]) == {}
        assert touches(crm(**SHOP), [todo], kinds={"any"})[("company", 5)].on == date(2026, 10, 7)

    def test_the_latest_touch_wins_and_says_who(self):
        found = [call(1, ("company", 5), on="2026-10-01", by=12), call(2, ("contact", 1), on="2026-10-03", by=14)]
        assert touches(crm(**SHOP), found)[("company", 5)] == Touch(date(2026, 10, 3), 14)


class TestRecordTouches:
    def test_a_colleagues_call_the_user_cannot_list_still_counts_through_the_record(self):
        # the portal's own LAST_COMMUNICATION_TIME is later than every call this user can see
        seen = [call(1, ("company", 5), on="2026-10-01")]
        record = records.record_touch({"LAST_COMMUNICATION_TIME": stamp("2026-11-02")}, MSK)
        assert touches(crm(**SHOP), seen, [(("company", 5), record)])[("company", 5)] == Touch(date(2026, 11, 2))

    def test_a_member_contacts_record_counts_for_its_company(self):
        record = Touch(date(2026, 11, 2), 15)
        assert touches(crm(**SHOP), [], [(("contact", 1), record)]) == {("company", 5): record}

    def test_an_older_record_touch_loses_and_on_the_same_day_the_activity_keeps_its_author(self):
        seen = [call(1, ("company", 5), on="2026-10-01", by=12)]
        older = [(("company", 5), Touch(date(2026, 9, 1))), (("company", 5), Touch(date(2026, 10, 1)))]
        assert touches(crm(**SHOP), seen, older)[("company", 5)] == Touch(date(2026, 10, 1), 12)
