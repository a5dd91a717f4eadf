"""What the passes say (status-ladder.md "A message template per kind is editable
(RU/EN defaults)"): alarm titles, digests, heads' notices and log entries."""

from __future__ import annotations

from datetime import date

from b24clients.ladder import Digest, Event, HeadNotice, LadderSettings, Loss, Soon
from b24clients.sync.ladder.messages import DIGEST_LINES, Texts

ACME = ("company", 10)
NAMES = {ACME: "Acme"}


def event(kind, status_from, status_to, **extra) -> Event:
    return Event(ACME, kind, date(2027, 3, 12), status_from, status_to, **extra)


def test_the_alarm_title_names_the_client_the_status_and_the_day_in_either_language():
    assert Texts(LadderSettings(), "en").alarm_title("Acme", "cold", date(2027, 3, 12)) == \
        "Call Acme: it becomes Cold on 12 March"
    assert Texts(LadderSettings(), "ru").alarm_title("Acme", "cold", date(2027, 3, 12)) == \
        "Позвоните Acme: 12 марта станет «Холодный»"


def test_own_names_and_own_templates_are_used():
    s = LadderSettings(cold_name="Ice", templates=(("alarm", "Ring {client} before {date} ({to})"),))
    assert Texts(s, "en").alarm_title("Acme", "cold", date(2027, 3, 12)) == "Ring Acme before 12 March (Ice)"


def test_the_alarm_description_ends_with_the_tag_naming_its_status():
    assert Texts(LadderSettings(), "en").alarm_description("lost").endswith("\n[b24clients:ladder:lost]")


def test_a_digest_has_one_section_per_kind_and_counts_what_it_leaves_out():
    soon = tuple(Soon(("company", n), date(2027, 3, 14), "cold", n % 2 == 0) for n in range(DIGEST_LINES + 2))
    digest = Digest(2, soon, dropped=(event("drop", "warm", "cold"),), lost=(event("loss", "cold", "lost"),),
                    undone=(event("undone", "warm", "hot", reason="no_call", author=2),))
    text = Texts(LadderSettings(), "en").digest(digest, NAMES)
    assert text.startswith("Your clients today\n\nDrop soon:\n• Company #0 becomes Cold on 14 March\n")
    assert "• Company #1 becomes Cold on 14 March (no reminder: over today's limit)" in text
    assert "…and 2 more" in text
    assert "\nDropped:\n• Acme: Warm → Cold on 12 March" in text
    assert "\nLost:\n• Acme was lost on 12 March" in text
    assert "\nChanges undone:\n• Acme: the change to Hot was undone (no call in the 3 days before it)" in text


def test_a_heads_notice_says_who_lost_whom():
    notice = HeadNotice(5, (Loss(ACME, 2, date(2027, 3, 12), 6),))
    text = Texts(LadderSettings(), "ru").head_notice(notice, NAMES, {2: "Борис"})
    assert text == "Клиенты, потерянные вашей командой\n• Борис потерял(а) Acme 12 марта"


def test_log_entries_say_what_changed_and_why():
    texts = Texts(LadderSettings(), "en")
    assert texts.log_entry(event("drop", "warm", "cold")) == ("Status: Warm → Cold", "No touch for 60 days.")
    assert texts.log_entry(event("loss", "cold", "lost"), assigned_to=6) == (
        "Status: Cold → Lost", "No touch for 90 days: the client is lost. Reassigned to user #6.")
    assert texts.log_entry(event("new", None, "new")) == ("Status: not tracked → New", "A new client.")
    assert texts.log_entry(event("undone", "warm", "hot", reason="open_deal")) == (
        "Status change undone", "The change to Hot was undone: a deal is open.")
