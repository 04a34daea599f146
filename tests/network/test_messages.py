"""Direct messages: one thread per pair (also when both begin at once), messages newest first in keyset pages,
read marks and unread counts on both sides, "seen", blocks either way, members only; the inbox ordered by the
latest message, costing the same number of queries whatever it holds."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete, func, select

from viewfinder.network.social.models import NetworkMessageThread, NetworkPerson, NetworkThreadMember

from .helpers import API, NetPerson, fields, make_person, problem
from .test_feed import _counted

pytestmark = pytest.mark.anyio


async def _open(client: httpx.AsyncClient, who: NetPerson, username: str) -> dict[str, Any]:
    response = await client.post(f"{API}/messages/threads", headers=who.headers, json={"username": username})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _send(client: httpx.AsyncClient, who: NetPerson, thread_id: str, text: str) -> dict[str, Any]:
    response = await client.post(
        f"{API}/messages/threads/{thread_id}/messages", headers=who.headers, json={"text": text}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _get(client: httpx.AsyncClient, who: NetPerson, path: str, **params: Any) -> dict[str, Any]:
    response = await client.get(f"{API}/{path}", headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _thread(client: httpx.AsyncClient, who: NetPerson, thread_id: str) -> dict[str, Any]:
    return await _get(client, who, f"messages/threads/{thread_id}")


async def _unread(client: httpx.AsyncClient, who: NetPerson) -> int:
    count: int = (await _get(client, who, "messages/unread-count"))["unread_count"]
    return count


async def _inbox(client: httpx.AsyncClient, who: NetPerson, **params: Any) -> dict[str, Any]:
    return await _get(client, who, "messages/threads", **params)


async def _read(client: httpx.AsyncClient, who: NetPerson, thread_id: str) -> dict[str, Any]:
    response = await client.post(f"{API}/messages/threads/{thread_id}/read", headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _block(client: httpx.AsyncClient, who: NetPerson, username: str) -> None:
    response = await client.post(f"{API}/people/{username}/block", headers=who.headers)
    assert response.status_code == 200, response.text


async def _counts(app: FastAPI) -> tuple[int, int]:
    async with app.state.resources.db.sessions() as session:
        threads = await session.scalar(select(func.count()).select_from(NetworkMessageThread))
        members = await session.scalar(select(func.count()).select_from(NetworkThreadMember))
    return int(threads or 0), int(members or 0)


async def test_opening_a_thread_gives_the_pairs_one_thread(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "Bob")

    first = await _open(client, ada, "bob")  # usernames match whatever their case
    assert first["other"]["username"] == "Bob"
    assert first["other"]["id"] == bob.id
    assert first["last_message"] is None
    assert first["unread_count"] == 0
    assert first["seen_by_other"] is False
    assert first["updated_at"]

    again = await _open(client, ada, "Bob")
    back = await _open(client, bob, "ada")
    assert again["id"] == first["id"] == back["id"]
    assert back["other"]["username"] == "ada"
    assert await _counts(app) == (1, 2)

    # Marking read a thread without a message changes nothing.
    assert (await _read(client, bob, first["id"]))["unread_count"] == 0
    # A thread without a message is not in the inbox yet, on either side.
    assert (await _inbox(client, ada))["items"] == []
    assert (await _inbox(client, bob))["items"] == []


async def test_two_people_opening_at_once_share_one_thread(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")

    answers = await asyncio.gather(
        client.post(f"{API}/messages/threads", headers=ada.headers, json={"username": "bob"}),
        client.post(f"{API}/messages/threads", headers=bob.headers, json={"username": "ada"}),
        client.post(f"{API}/messages/threads", headers=ada.headers, json={"username": "bob"}),
    )
    assert [answer.status_code for answer in answers] == [200, 200, 200], [answer.text for answer in answers]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert await _counts(app) == (1, 2)


async def test_opening_is_refused_for_oneself_and_nobody(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")

    itself = await client.post(f"{API}/messages/threads", headers=ada.headers, json={"username": "ADA"})
    assert itself.status_code == 422
    assert fields(itself) == ["username"]
    nobody = await client.post(f"{API}/messages/threads", headers=ada.headers, json={"username": "nobody"})
    assert nobody.status_code == 404
    empty = await client.post(f"{API}/messages/threads", headers=ada.headers, json={"username": "  "})
    assert empty.status_code == 422
    assert fields(empty) == ["username"]
    anonymous = await client.post(f"{API}/messages/threads", json={"username": "ada"})
    assert anonymous.status_code == 401
    assert await _counts(app) == (0, 0)


async def test_messages_come_newest_first_in_keyset_pages(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    thread_id = (await _open(client, ada, "bob"))["id"]

    sent = []
    for index in range(5):
        who = ada if index % 2 == 0 else bob
        sent.append(await _send(client, who, thread_id, f"  message {index}\n"))
    assert sent[0]["text"] == "message 0"  # stripped
    assert sent[0]["thread_id"] == thread_id
    assert sent[0]["sender"]["username"] == "ada"
    assert sent[1]["sender"]["username"] == "bob"

    first = await _get(client, ada, f"messages/threads/{thread_id}/messages", limit=2)
    assert [item["text"] for item in first["items"]] == ["message 4", "message 3"]
    second = await _get(client, bob, f"messages/threads/{thread_id}/messages", limit=2, cursor=first["next_cursor"])
    assert [item["text"] for item in second["items"]] == ["message 2", "message 1"]
    last = await _get(client, ada, f"messages/threads/{thread_id}/messages", limit=2, cursor=second["next_cursor"])
    assert [item["text"] for item in last["items"]] == ["message 0"]
    assert last["next_cursor"] is None

    # A message sent meanwhile does not shift the pages already cursored.
    await _send(client, bob, thread_id, "late")
    again = await _get(client, ada, f"messages/threads/{thread_id}/messages", limit=2, cursor=first["next_cursor"])
    assert [item["text"] for item in again["items"]] == ["message 2", "message 1"]

    # A cursor of another list is refused.
    other = await client.get(f"{API}/messages/threads", headers=ada.headers, params={"cursor": first["next_cursor"]})
    assert other.status_code == 422
    assert fields(other) == ["cursor"]


async def test_unread_counts_read_marks_and_seen_for_both_sides(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    thread_id = (await _open(client, ada, "bob"))["id"]

    await _send(client, ada, thread_id, "hi bob")
    await _send(client, ada, thread_id, "are you there?")
    mine = await _thread(client, ada, thread_id)
    assert mine["unread_count"] == 0  # one's own messages are read
    assert mine["seen_by_other"] is False
    assert mine["last_message"]["text"] == "are you there?"
    assert mine["updated_at"] == mine["last_message"]["created_at"]
    theirs = await _thread(client, bob, thread_id)
    assert theirs["unread_count"] == 2
    assert theirs["seen_by_other"] is False  # the last message is not bob's
    assert await _unread(client, bob) == 1
    assert await _unread(client, ada) == 0

    read = await _read(client, bob, thread_id)
    assert read["unread_count"] == 0
    assert await _unread(client, bob) == 0
    assert (await _thread(client, ada, thread_id))["seen_by_other"] is True
    assert (await _read(client, bob, thread_id))["unread_count"] == 0  # again: nothing changes

    # Replying marks read for the sender, and is unread and not yet seen on the other side.
    await _send(client, ada, thread_id, "one more")
    assert (await _thread(client, ada, thread_id))["seen_by_other"] is False
    assert (await _thread(client, bob, thread_id))["unread_count"] == 1
    await _send(client, bob, thread_id, "yes!")
    bob_view = await _thread(client, bob, thread_id)
    assert bob_view["unread_count"] == 0
    assert bob_view["seen_by_other"] is False
    ada_view = await _thread(client, ada, thread_id)
    assert ada_view["unread_count"] == 1
    assert ada_view["seen_by_other"] is False  # the last message is bob's
    assert await _unread(client, ada) == 1
    assert await _unread(client, bob) == 0
    await _read(client, ada, thread_id)
    assert (await _thread(client, bob, thread_id))["seen_by_other"] is True
    assert await _unread(client, ada) == 0


async def test_the_unread_count_counts_threads(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    senders = [await make_person(app, f"sender{index}") for index in range(3)]
    for sender in senders:
        thread_id = (await _open(client, sender, "ada"))["id"]
        await _send(client, sender, thread_id, "one")
        await _send(client, sender, thread_id, "two")
    assert await _unread(client, ada) == 3
    inbox = await _inbox(client, ada)
    assert [item["unread_count"] for item in inbox["items"]] == [2, 2, 2]
    await _read(client, ada, inbox["items"][0]["id"])
    assert await _unread(client, ada) == 2
    assert (await client.get(f"{API}/messages/unread-count")).status_code == 401


async def test_blocks_either_way_refuse_opening_and_sending(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    grace = await make_person(app, "grace")
    thread_id = (await _open(client, ada, "bob"))["id"]
    await _send(client, ada, thread_id, "before")
    grace_thread = (await _open(client, grace, "ada"))["id"]

    await _block(client, bob, "ada")  # bob blocks ada
    await _block(client, ada, "grace")  # ada blocks grace
    for who, username in ((ada, "bob"), (bob, "ada"), (ada, "grace"), (grace, "ada")):
        refused = await client.post(f"{API}/messages/threads", headers=who.headers, json={"username": username})
        assert refused.status_code == 403, refused.text
        body = problem(refused)
        assert body["type"].endswith("/blocked")
        assert body["title"] == "You can't message this account"
    for who, thread in ((ada, thread_id), (bob, thread_id), (ada, grace_thread), (grace, grace_thread)):
        refused = await client.post(
            f"{API}/messages/threads/{thread}/messages", headers=who.headers, json={"text": "after"}
        )
        assert refused.status_code == 403, refused.text
        assert problem(refused)["type"].endswith("/blocked")

    # What was said stays readable.
    page = await _get(client, bob, f"messages/threads/{thread_id}/messages")
    assert [item["text"] for item in page["items"]] == ["before"]

    # Unblocking lets them talk again.
    assert (await client.delete(f"{API}/people/ada/block", headers=bob.headers)).status_code == 200
    await _send(client, bob, thread_id, "after all")
    assert (await _open(client, ada, "bob"))["id"] == thread_id


async def test_only_members_see_a_thread(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    await make_person(app, "bob")
    eve = await make_person(app, "eve")
    thread_id = (await _open(client, ada, "bob"))["id"]
    await _send(client, ada, thread_id, "secret")

    for method, path, body in (
        ("GET", f"messages/threads/{thread_id}", None),
        ("GET", f"messages/threads/{thread_id}/messages", None),
        ("POST", f"messages/threads/{thread_id}/messages", {"text": "hello"}),
        ("POST", f"messages/threads/{thread_id}/read", None),
    ):
        response = await client.request(method, f"{API}/{path}", headers=eve.headers, json=body)
        assert response.status_code == 404, (path, response.text)
        assert problem(response)["status"] == 404
    for bad in ("nope", "0", "99999999999999999999", "123"):
        assert (await client.get(f"{API}/messages/threads/{bad}", headers=ada.headers)).status_code == 404
    assert (await _inbox(client, eve))["items"] == []
    assert await _unread(client, eve) == 0
    assert (await client.get(f"{API}/messages/threads/{thread_id}")).status_code == 401


async def test_bad_text_is_refused_with_its_field(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    thread_id = (await _open(client, ada, "bob"))["id"]

    for body in ({"text": ""}, {"text": "   \n "}, {"text": "x" * 1001}, {}, {"text": 5}):
        response = await client.post(f"{API}/messages/threads/{thread_id}/messages", headers=ada.headers, json=body)
        assert response.status_code == 422, (body, response.text)
        assert fields(response) == ["text"], body
    longest = await _send(client, ada, thread_id, "y" * 1000)
    assert len(longest["text"]) == 1000
    page = await _get(client, bob, f"messages/threads/{thread_id}/messages")
    assert [item["id"] for item in page["items"]] == [longest["id"]]  # nothing half written


async def test_the_inbox_is_ordered_by_latest_message(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    others = [await make_person(app, f"friend{index}") for index in range(4)]
    threads = {}
    for other in others:
        threads[other.username] = (await _open(client, ada, other.username))["id"]
        await _send(client, ada, threads[other.username], f"hello {other.username}")
    await make_person(app, "quiet")
    await _open(client, ada, "quiet")  # no message: not listed

    inbox = await _inbox(client, ada)
    assert [item["other"]["username"] for item in inbox["items"]] == ["friend3", "friend2", "friend1", "friend0"]
    # A reply brings its thread to the top, on both sides.
    await _send(client, others[1], threads["friend1"], "reply")
    first = await _inbox(client, ada, limit=2)
    assert [item["other"]["username"] for item in first["items"]] == ["friend1", "friend3"]
    top = first["items"][0]
    assert top["last_message"]["text"] == "reply"
    assert top["last_message"]["sender"]["username"] == "friend1"
    assert top["unread_count"] == 1
    rest = await _inbox(client, ada, limit=2, cursor=first["next_cursor"])
    assert [item["other"]["username"] for item in rest["items"]] == ["friend2", "friend0"]
    assert rest["next_cursor"] is None
    friend_inbox = await _inbox(client, others[1])
    assert [item["other"]["username"] for item in friend_inbox["items"]] == ["ada"]


async def test_people_show_under_their_current_username(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    thread_id = (await _open(client, ada, "bob"))["id"]
    await _send(client, bob, thread_id, "hi")

    renamed = await client.patch(f"{API}/me", json={"username": "robert"}, headers=bob.headers)
    assert renamed.status_code == 200, renamed.text
    item = (await _inbox(client, ada))["items"][0]
    assert item["other"]["username"] == "robert"
    assert item["last_message"]["sender"]["username"] == "robert"
    page = await _get(client, ada, f"messages/threads/{thread_id}/messages")
    assert page["items"][0]["sender"]["username"] == "robert"
    assert (await _thread(client, ada, thread_id))["other"]["username"] == "robert"
    assert (await _open(client, ada, "robert"))["id"] == thread_id
    assert (
        await client.post(f"{API}/messages/threads", headers=ada.headers, json={"username": "bob"})
    ).status_code == 404


async def test_an_inbox_page_costs_the_same_queries_whatever_it_holds(client: httpx.AsyncClient, app: FastAPI) -> None:
    small = await make_person(app, "small")
    big = await make_person(app, "big")
    one = await make_person(app, "one")
    thread_id = (await _open(client, one, "small"))["id"]
    await _send(client, one, thread_id, "hello")
    for index in range(5):
        other = await make_person(app, f"other{index}")
        thread_id = (await _open(client, other, "big"))["id"]
        await _send(client, other, thread_id, "hello")
        await _send(client, big, thread_id, "hi")
        await _send(client, other, thread_id, "how are you?")
        if index % 2:
            await _read(client, other, thread_id)

    # The first request of a session may record its activity; count the ones after it.
    await _inbox(client, small)
    await _inbox(client, big)
    with _counted(app) as few:
        small_page = await _inbox(client, small)
    with _counted(app) as many:
        big_page = await _inbox(client, big)

    assert len(small_page["items"]) == 1
    assert len(big_page["items"]) == 5
    assert all(item["unread_count"] == 1 for item in big_page["items"])
    assert len(few) == len(many), (few, many)
    assert len(many) <= 5, many  # the viewer, the page, its members, last messages and unread counts


async def test_a_thread_whose_other_person_is_gone_is_left_out(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    await make_person(app, "cy")
    gone = (await _open(client, ada, "bob"))["id"]
    await _send(client, bob, gone, "bye")
    kept = (await _open(client, ada, "cy"))["id"]
    await _send(client, ada, kept, "hello")

    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(delete(NetworkPerson).where(NetworkPerson.id == int(bob.id)))

    assert [item["id"] for item in (await _inbox(client, ada))["items"]] == [kept]
    assert (await client.get(f"{API}/messages/threads/{gone}", headers=ada.headers)).status_code == 404
    assert (await client.post(f"{API}/messages/threads/{gone}/read", headers=ada.headers)).status_code == 404
    sent = await client.post(f"{API}/messages/threads/{gone}/messages", headers=ada.headers, json={"text": "hi"})
    assert sent.status_code == 404
