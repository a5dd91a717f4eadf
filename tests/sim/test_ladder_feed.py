"""The news feed: log.blogpost.add, the head's summary post (next-features.md §B.2.4:
`{POST_MESSAGE, POST_TITLE?, DEST:['U5','DR3','SG7','UA'], IMPORTANT?}`, USER_ID
admin-only; DOCS log-blogpost-add.md)."""

from __future__ import annotations

import pytest

from laddersim import ADMIN, ALL, DEPT, NO_CRM, OWN, READER, call, error, portal, result


def test_a_post_to_the_head_is_kept_with_its_readers():  # §B.2.4 "DEST:['U<headId>']"
    p = portal()
    reply = call(p, "log.blogpost.add", {"POST_TITLE": "Lost this week", "POST_MESSAGE": "Acme, Beta",
                                         "DEST": ["U5"]}, OWN)
    assert reply.status == 200 and reply.body["result"] == 1
    [post] = p.feed_posts
    assert (post["author"], post["title"], post["message"], post["dest"], post["recipients"]) == (
        OWN, "Lost this week", "Acme, Beta", ["U5"], [ALL])
    assert post["important"] is False and post["date"] == "2026-11-23T09:00:00+03:00"
    assert p.writes[-1]["method"] == "log.blogpost.add"
    assert reply.body["time"]["processing"] == p.costs.update_s


def test_destinations_default_to_everyone_and_departments_reach_their_people():  # DOCS DEST, default ['UA']
    p = portal()
    result(p, "log.blogpost.add", {"POST_MESSAGE": "all"})
    result(p, "log.blogpost.add", {"POST_MESSAGE": "sales", "DEST": ["D2"]})
    result(p, "log.blogpost.add", {"POST_MESSAGE": "sales and below", "DEST": {"0": "DR2", "1": "bogus"}})
    everyone, sales, tree = p.feed_posts
    assert everyone["dest"] == ["UA"] and everyone["recipients"] == [1, 2, 3, 4, 5, 6]
    assert sales["recipients"] == [OWN, DEPT, ALL]
    assert tree["dest"] == ["DR2"] and tree["recipients"] == [OWN, DEPT, NO_CRM, ALL, READER]


def test_only_an_admin_may_post_as_someone_else():  # REF §B.2.4 "USER_ID ... is admin-only"
    p = portal()
    result(p, "log.blogpost.add", {"POST_MESSAGE": "as the head", "USER_ID": ALL})
    result(p, "log.blogpost.add", {"POST_MESSAGE": "try", "USER_ID": ALL}, OWN)
    assert [(x["author"], x["by"]) for x in p.feed_posts] == [(ALL, ADMIN), (OWN, OWN)]


@pytest.mark.parametrize("params", [{"POST_MESSAGE": "  "}, {"POST_MESSAGE": "x", "DEST": ["nobody"]}])
def test_an_empty_message_or_no_valid_destination_is_refused(params):
    p = portal()
    assert error(call(p, "log.blogpost.add", params))[0] == 400 and p.feed_posts == []
