"""What a client's history page needs from a generated portal (spec/history.md,
"The simulated portal"), as two additions to ``generate.py``:

- **Timeline comments** on every portal (`comments`): some deals, companies and
  contacts carry a few, drawn from a random stream of their own, so every
  other row of a portal stays byte for byte what it was before comments
  existed.
- **Long histories**, on demand (``generate(..., histories=True)``): three
  client companies with 1, 20 and 200 contacts and about 1,000, 2,000 and
  5,000 history items over the years, with the bindings a history must not
  get wrong: calls on a contact and its deal at once, deals whose second
  contact works for several companies (a company's own and another's),
  invoices that name no client and are reached only through their deal, with
  activities and documents of their own, and many documents and comments.
  The extra planning draws from the generator's own stream, so turning it on
  changes the whole portal; the default portal is untouched.

`long_clients(snapshot)` finds those companies again (the snapshot's
``generator.long_histories``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping

LONG = ((1, 150, 80), (20, 320, 170), (200, 740, 480))
"""Per long-history company: contacts in its set, purchases over the years, activities on it and its contacts."""
DEAL_ACTIVITIES = 3
"""Calls, e-mails and to-dos per deal of a long history, on average."""
SECOND_CONTACT_DEALS = 6
"""Deals of each other company a shared contact is the second contact on."""

COMMENTS = {
    "ru": ("Клиент просит перезвонить после обеда", "Отправили КП, ждём ответа", "Согласовали скидку 5 %",
           "Договор у юристов клиента", "Оплата задерживается до конца месяца", "Новый контакт: главный инженер",
           "Жалоба на сроки доставки", "Встреча перенесена на следующую неделю",
           "Клиент доволен, готов к повторной закупке", "<b>Срочно</b>: проверить реквизиты 😊"),
    "en": ("Asked to call back after lunch", "Sent the quote, waiting for an answer", "Agreed a 5% discount",
           "Contract is with their lawyers", "Payment delayed to the end of the month", "New contact: chief engineer",
           "Complaint about delivery times", "Meeting moved to next week", "Happy customer, ready to reorder",
           "<b>Urgent</b>: check the bank details 😊"),
}
"""What managers write; the last one is markup and emoji, which a page must show as text."""


def add_parties(gen) -> None:
    """The long-history companies and their contacts, before IDs are given out.  Three of
    the 20-contact company's contacts also work for the 200-contact company or an ordinary
    paying one (one of them for both); each company's set holds exactly LONG's contacts."""
    from .generate import DAY, _P

    gen.long_clients = [_P(True, DAY * (20 + gen.rr(60)), "long", gen.lang, gen.seller()) for _ in LONG]
    one, twenty, many = gen.long_clients
    _members(gen, one, LONG[0][0])
    _members(gen, twenty, LONG[1][0])
    host = next((c for c in gen.comps if c.prof == "pay" and c.members), None)
    for contact, others in zip(twenty.members, ([many, host], [many], [host])):
        for other in others:
            if other is not None:
                contact.others.append(other)
                other.bound.append(contact)
    _members(gen, many, LONG[2][0] - len(many.bound))
    gen.comps.extend(gen.long_clients)


def _members(gen, company, count: int) -> None:
    from .generate import DAY, _P

    for _ in range(count):
        member = _P(False, gen.between(company.t + DAY, gen.NOW - 60 * DAY), "mem", gen.lang,
                    company.user if gen.rnd() < 0.7 else gen.seller())
        member.primary = company
        company.members.append(member)
        gen.members.append(member)


def plan(gen) -> None:
    """Years of purchases, requests and activities for each long-history company."""
    from .generate import DAY

    gen.extra_docs = []
    for company, (_, purchases, activities) in zip(gen.long_clients, LONG):
        first = len(gen.deals)
        first_invoice = len(gen.invs)
        for moment in sorted(gen.between(company.t + 30 * DAY, gen.NOW) for _ in range(purchases)):
            gen.purchase(company, moment)
        for _ in range(purchases // 8):
            gen.request(company, gen.between(company.t + 30 * DAY, gen.NOW))
        gen.client_acts(company, activities)
        for contact in company.members[:3]:
            for other in contact.others:
                _second_contact_deals(gen, contact, other)
        deals = gen.deals[first:]
        for deal in deals:
            _deal_activities(gen, deal)
        _invoices_through_deals(gen, [d for d in deals if d.t >= gen.cutover])
        _documents(gen, company, deals, gen.invs[first_invoice:])


def _second_contact_deals(gen, contact, company) -> None:
    """Deals of another company where a shared contact comes second, after one of its own."""
    own = [m for m in company.members if m is not contact]
    for _ in range(SECOND_CONTACT_DEALS):
        start = gen.between(max(contact.t, company.t) + 600, gen.NOW)
        first = own[gen.rr(len(own))] if own else None
        outcome = "S" if gen.rnd() < 0.6 else "P"
        gen.deal(company, start, company, [first, contact] if first else [contact], outcome,
                 gen.later(start, 20) if outcome == "S" else None)


def _deal_activities(gen, deal) -> None:
    """Work on a deal: most of it bound to the deal and its contact at once (one row in a history)."""
    from .generate import DAY

    end = deal.tc if deal.tc is not None else gen.NOW
    for _ in range(gen.rr(2 * DEAL_ACTIVITIES + 1)):
        t = gen.between(deal.t + 60, min(gen.NOW, end + 3 * DAY))
        bind = [deal]
        if deal.cts and gen.rnd() < 0.7:
            bind.append(deal.cts[gen.rr(len(deal.cts))])
        if deal.co is not None and gen.rnd() < 0.3:
            bind.append(deal.co)
        gen.act(t, bind, deal.user)


def _invoices_through_deals(gen, deals) -> None:
    """Invoices naming no client, only their deal (a third party pays), each with a call
    or an e-mail of its own: a history reaches them, and their activities, through the deal."""
    from .generate import DAY

    for deal in deals[: max(2, len(deals) // 25)]:
        issued = gen.between(deal.t, min(gen.NOW, deal.t + 20 * DAY))
        paid = gen.later(issued, 10) if gen.rnd() < 0.6 else None
        invoice = gen.inv(None, issued, None, [], deal, paid_at=paid)
        gen.act(gen.between(issued, min(gen.NOW, issued + 5 * DAY)), [invoice], deal.user,
                "call_out" if gen.rnd() < 0.5 else "email_out")
        gen.extra_docs.append((issued, 31, invoice, 2, int(deal.user)))


def _documents(gen, company, deals, invoices) -> None:
    """Contracts, invoices and client cards, more often than on an ordinary client."""
    for deal in deals:
        if gen.rnd() < 0.3:
            end = deal.tc if deal.tc is not None else gen.NOW
            gen.extra_docs.append((gen.between(deal.t + 600, end), 2, deal, 1, int(deal.user)))
    for invoice in invoices:
        if gen.rnd() < 0.2:
            gen.extra_docs.append((invoice.t, 31, invoice, 2, int(invoice.user)))
    for party in [company, *company.members[:10]]:
        if gen.rnd() < 0.5:
            gen.extra_docs.append((gen.between(party.t, gen.NOW), 4 if party.co else 3, party, 3, int(party.user)))


def comments(gen) -> list[dict]:
    """`crm.timeline.comment.list` rows: on ~5 % of deals and ~3 % of clients, and on much
    of a long history; numbered in the order they were written."""
    from .generate import DAY

    r = random.Random(f"b24sim-comments:{gen.seed}")
    texts = COMMENTS[gen.lang]
    long_ids = {id(c) for c in getattr(gen, "long_clients", [])}
    long_ids |= {id(m) for c in getattr(gen, "long_clients", []) for m in c.members}
    drawn = []

    def some(owner, kind: str, start: int, end: int, chance: float, most: int, user: str) -> None:
        if r.random() >= chance:
            return
        for _ in range(1 + r.randrange(most)):
            t = min(gen.NOW, start + int(r.random() * max(0, end - start)))
            drawn.append((t, kind, owner, user if r.random() < 0.8 else gen.sellers[r.randrange(len(gen.sellers))]))

    for deal in gen.deals:
        boosted = id(deal.co) in long_ids or any(id(c) in long_ids for c in deal.cts)
        end = min(gen.NOW, (deal.tc if deal.tc is not None else gen.NOW) + 30 * DAY)
        some(deal, "deal", deal.t, end, 0.3 if boosted else 0.05, 3, deal.user)
    for party in gen.allco + gen.allct:
        if party.own:
            continue
        boosted = id(party) in long_ids
        some(party, "company" if party.co else "contact", party.t, gen.NOW, 0.6 if boosted else 0.03,
             12 if boosted and party.co else 2, party.user)
    drawn.sort(key=lambda x: x[0])
    rows = []
    for i, (t, kind, owner, user) in enumerate(drawn, 1):
        text = texts[r.randrange(len(texts))]
        rows.append({"ID": str(i), "ENTITY_ID": str(owner.id), "ENTITY_TYPE": kind, "CREATED": gen.ts(t),
                     "AUTHOR_ID": user, "COMMENT": text})
    return rows


def long_clients(snapshot: Mapping) -> dict[int, int]:
    """Contacts → company ID of each long-history company of a generated snapshot ({} when none)."""
    return {int(x["contacts"]): int(x["company"]) for x in (snapshot.get("generator") or {}).get("long_histories") or []}
