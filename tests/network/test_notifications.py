"""Notifications: each kind written by its action and removed by its undo, never of oneself, mentions only of
people who exist and have not blocked the actor; the list (recipient only, keyset pages), the unread count and
marking read; a page costs the same number of queries whatever it holds."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from viewfinder.network.social.models import NetworkNotification

from .helpers import API, NetPerson, fields, make_person
from .test_feed import _counted
from .test_posts import created, jpeg

pytestmark = pytest.mark.anyio


async def _notifications(client: httpx.AsyncClient, who: NetPerson, **params: Any) -> dict[str, Any]:
    response = await client.get(f"{API}/notifications", headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _kinds(client: httpx.AsyncClient, who: NetPerson) -> list[tuple[str, str]]:
    """(kind, actor's username) of each notification, newest first."""
    items = (await _notifications(client, who, limit=100))["items"]
    return [(item["kind"], item["actor"]["username"]) for item in items]


async def _unread(client: httpx.AsyncClient, who: NetPerson) -> int:
    response = await client.get(f"{API}/notifications/unread-count", headers=who.headers)
    assert response.status_code == 200, response.text
    count: int = response.json()["unread_count"]
    return count


async def _total(app: FastAPI) -> int:
    async with app.state.resources.db.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(NetworkNotification)) or 0)


async def _post(client: httpx.AsyncClient, who: NetPerson, caption: str = "") -> str:
    post_id: str = (await created(client, who, jpeg(), caption=caption))["id"]
    return post_id


async def _comment(client: httpx.AsyncClient, who: NetPerson, post_id: str, text: str, **extra: Any) -> str:
    response = await client.post(f"{API}/posts/{post_id}/comments", headers=who.headers, json={"text": text, **extra})
    assert response.status_code == 201, response.text
    comment_id: str = response.json()["id"]
    return comment_id


async def _ok(response: httpx.Response, status: int = 200) -> None:
    assert response.status_code == status, response.text


async def test_likes_notify_and_unlikes_remove(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    post_id = await _post(client, ada)

    await _ok(await client.post(f"{API}/posts/{post_id}/like", headers=bob.headers))
    await _ok(await client.post(f"{API}/posts/{post_id}/like", headers=bob.headers))  # again: no second one
    await _ok(await client.post(f"{API}/posts/{post_id}/like", headers=ada.headers))  # one's own: none
    page = await _notifications(client, ada)
    assert [(item["kind"], item["actor"]["username"]) for item in page["items"]] == [("like", "bob")]
    item = page["items"][0]
    assert item["post_id"] == post_id
    assert item["thumbnail_url"]
    assert item["comment_id"] is None
    assert item["read"] is False
    assert await _kinds(client, bob) == []

    await _ok(await client.delete(f"{API}/posts/{post_id}/like", headers=bob.headers))
    assert await _kinds(client, ada) == []

    # A read notification stays when the like is taken back.
    await _ok(await client.post(f"{API}/posts/{post_id}/like", headers=bob.headers))
    await _ok(await client.post(f"{API}/notifications/read", headers=ada.headers))
    await _ok(await client.delete(f"{API}/posts/{post_id}/like", headers=bob.headers))
    assert await _kinds(client, ada) == [("like", "bob")]


async def test_comments_replies_and_comment_likes(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    cy = await make_person(app, "cy")
    post_id = await _post(client, ada)

    comment_id = await _comment(client, bob, post_id, "lovely " * 30)
    assert await _kinds(client, ada) == [("comment", "bob")]
    item = (await _notifications(client, ada))["items"][0]
    assert item["comment_id"] == comment_id
    assert item["post_id"] == post_id
    assert item["comment_text"].startswith("lovely lovely")
    assert len(item["comment_text"]) <= 100

    reply_id = await _comment(client, cy, post_id, "agreed", reply_to=comment_id)
    assert await _kinds(client, bob) == [("reply", "cy")]
    await _comment(client, bob, post_id, "thanks", reply_to=comment_id)  # replying in one's own thread
    assert await _kinds(client, bob) == [("reply", "cy")]
    await _comment(client, ada, post_id, "own post")  # commenting on one's own post
    assert [kind for kind, _ in await _kinds(client, ada)] == ["comment"]

    await _ok(await client.post(f"{API}/comments/{comment_id}/like", headers=ada.headers))
    await _ok(await client.post(f"{API}/comments/{comment_id}/like", headers=bob.headers))  # own comment
    assert await _kinds(client, bob) == [("comment_like", "ada"), ("reply", "cy")]
    await _ok(await client.delete(f"{API}/comments/{comment_id}/like", headers=ada.headers))
    assert await _kinds(client, bob) == [("reply", "cy")]

    # Deleting a reply removes its notification; deleting a comment, those of its replies too.
    await _ok(await client.delete(f"{API}/comments/{reply_id}", headers=cy.headers), 204)
    assert await _kinds(client, bob) == []
    await _comment(client, cy, post_id, "again", reply_to=comment_id)
    await _ok(await client.post(f"{API}/comments/{comment_id}/like", headers=cy.headers))
    assert len(await _kinds(client, bob)) == 2
    await _ok(await client.delete(f"{API}/comments/{comment_id}", headers=bob.headers), 204)
    assert await _kinds(client, bob) == []
    assert await _kinds(client, ada) == []


async def test_deleting_a_post_removes_its_notifications(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    post_id = await _post(client, ada)
    comment_id = await _comment(client, bob, post_id, "hi @ada")
    await _ok(await client.post(f"{API}/posts/{post_id}/like", headers=bob.headers))
    await _ok(await client.post(f"{API}/comments/{comment_id}/like", headers=ada.headers))
    await _ok(await client.post(f"{API}/notifications/read", headers=ada.headers))  # read ones go too
    assert await _total(app) == 3
    await _ok(await client.delete(f"{API}/posts/{post_id}", headers=ada.headers), 204)
    assert await _total(app) == 0


async def test_follows_and_requests(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    private = await make_person(app, "private", private=True)
    bob = await make_person(app, "bob")

    await _ok(await client.post(f"{API}/people/ada/follow", headers=bob.headers))
    await _ok(await client.post(f"{API}/people/ada/follow", headers=bob.headers))  # again: nothing more
    assert await _kinds(client, ada) == [("follow", "bob")]
    await _ok(await client.delete(f"{API}/people/ada/follow", headers=bob.headers))
    assert await _kinds(client, ada) == []

    await _ok(await client.post(f"{API}/people/private/follow", headers=bob.headers))
    assert await _kinds(client, private) == [("follow_request", "bob")]
    await _ok(await client.delete(f"{API}/people/private/follow", headers=bob.headers))  # cancel the request
    assert await _kinds(client, private) == []

    await _ok(await client.post(f"{API}/people/private/follow", headers=ada.headers))
    requests = (await client.get(f"{API}/me/follow-requests", headers=private.headers)).json()["items"]
    await _ok(await client.post(f"{API}/me/follow-requests/{requests[0]['id']}/decline", headers=private.headers), 204)
    assert await _kinds(client, private) == []


async def test_mentions_only_of_people_who_exist_and_have_not_blocked(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    cy = await make_person(app, "cy")
    await _ok(await client.post(f"{API}/people/ada/block", headers=cy.headers))  # cy blocked ada

    post_id = await _post(client, ada, "with @Bob, @cy, @nobody and @ada")
    assert await _kinds(client, bob) == [("mention", "ada")]
    item = (await _notifications(client, bob))["items"][0]
    assert item["post_id"] == post_id
    assert item["comment_id"] is None
    assert await _kinds(client, cy) == []
    assert await _kinds(client, ada) == []

    await _comment(client, bob, post_id, "@cy @ada @bob look")
    # ada is told of the comment (once, not also of the mention); bob mentioned himself; cy did not block bob.
    assert await _kinds(client, ada) == [("comment", "bob")]
    assert await _kinds(client, bob) == [("mention", "ada")]
    assert await _kinds(client, cy) == [("mention", "bob")]
    other = await _post(client, ada)
    await _comment(client, ada, other, "hey @bob")
    page = await _notifications(client, bob)
    assert page["items"][0]["kind"] == "mention"
    assert page["items"][0]["comment_text"] == "hey @bob"


async def test_the_list_is_the_recipients_and_pages(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    fans = [await make_person(app, f"fan{index}") for index in range(5)]
    for fan in fans:
        await _ok(await client.post(f"{API}/people/ada/follow", headers=fan.headers))

    first = await _notifications(client, ada, limit=2)
    assert [item["actor"]["username"] for item in first["items"]] == ["fan4", "fan3"]
    assert first["next_cursor"].startswith("notifications.")
    second = await _notifications(client, ada, limit=2, cursor=first["next_cursor"])
    third = await _notifications(client, ada, limit=2, cursor=second["next_cursor"])
    assert [item["actor"]["username"] for item in second["items"] + third["items"]] == ["fan2", "fan1", "fan0"]
    assert third["next_cursor"] is None

    # Another list's cursor is refused.
    response = await client.get(
        f"{API}/notifications", headers=ada.headers, params={"cursor": "feed." + first["next_cursor"].split(".", 1)[1]}
    )
    assert response.status_code == 422
    assert fields(response) == ["cursor"]

    assert await _kinds(client, fans[0]) == []  # only the recipient sees them
    for path in ("/notifications", "/notifications/unread-count"):
        assert (await client.get(f"{API}{path}")).status_code == 401
    assert (await client.post(f"{API}/notifications/read")).status_code == 401

    # Someone the recipient blocks no longer shows.
    await _ok(await client.post(f"{API}/people/fan4/block", headers=ada.headers))
    assert "fan4" not in [actor for _, actor in await _kinds(client, ada)]


async def test_unread_count_and_marking_read(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    fans = [await make_person(app, f"fan{index}") for index in range(4)]
    for fan in fans:
        await _ok(await client.post(f"{API}/people/ada/follow", headers=fan.headers))
    assert await _unread(client, ada) == 4

    items = (await _notifications(client, ada))["items"]
    response = await client.post(f"{API}/notifications/read", headers=ada.headers, json={"before": items[2]["id"]})
    assert response.status_code == 200
    assert response.json() == {"unread_count": 2}
    reads = [item["read"] for item in (await _notifications(client, ada))["items"]]
    assert reads == [False, False, True, True]

    bad = await client.post(f"{API}/notifications/read", headers=ada.headers, json={"before": "x"})
    assert bad.status_code == 422
    assert fields(bad) == ["before"]

    response = await client.post(f"{API}/notifications/read", headers=ada.headers)
    assert response.json() == {"unread_count": 0}
    assert all(item["read"] for item in (await _notifications(client, ada))["items"])
    assert await _unread(client, fans[0]) == 0


async def test_a_page_costs_the_same_queries_whatever_it_holds(client: httpx.AsyncClient, app: FastAPI) -> None:
    small = await make_person(app, "small")
    fan = await make_person(app, "fan")
    await _ok(await client.post(f"{API}/people/small/follow", headers=fan.headers))

    big = await make_person(app, "big")
    others = [await make_person(app, f"other{index}") for index in range(3)]
    for index in range(4):
        post_id = await _post(client, big, f"post {index}")
        for other in others:
            await _ok(await client.post(f"{API}/posts/{post_id}/like", headers=other.headers))
            comment_id = await _comment(client, other, post_id, f"comment {index}")
            await _ok(await client.post(f"{API}/comments/{comment_id}/like", headers=big.headers))
            await _comment(client, big, post_id, "reply", reply_to=comment_id)
        await _post(client, others[0], f"hi @big {index}")
    for other in others:
        await _ok(await client.post(f"{API}/people/big/follow", headers=other.headers))

    # The first request of a session may record its activity; count the ones after it.
    await _notifications(client, small)
    await _notifications(client, big)
    with _counted(app) as few:
        small_page = await _notifications(client, small)
    with _counted(app) as many:
        big_page = await _notifications(client, big, limit=20)

    assert len(small_page["items"]) == 1
    assert len(big_page["items"]) == 20
    assert big_page["next_cursor"] is not None
    assert {item["kind"] for item in big_page["items"]} >= {"comment", "like", "follow", "mention"}
    assert len(few) == len(many), (few, many)
