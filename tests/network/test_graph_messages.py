"""Messages through the Graph: sending in the 24-hour window after the person's last message (JSON or form with
JSON strings), what the person then sees on the network, conversations and messages in Instagram's shapes
paged to the end, and the errors of a closed window, blocks, unknown people, others' threads and missing scope."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from viewfinder.kit.clock import utcnow
from viewfinder.network.graph.service import messages
from viewfinder.network.graph.service.tokens import SCOPES
from viewfinder.network.social.models import NetworkMessage

from .graph_helpers import GRAPH, graph_error, graph_token, make_business
from .helpers import API, NetPerson, make_person

pytestmark = pytest.mark.anyio

GRAPH_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")


async def _write_to(client: httpx.AsyncClient, sender: NetPerson, username: str, text: str) -> str:
    """A network person's message to someone (the thread begun if needed); answers the thread's id."""
    opened = await client.post(f"{API}/messages/threads", headers=sender.headers, json={"username": username})
    assert opened.status_code == 200, opened.text
    thread_id: str = opened.json()["id"]
    sent = await client.post(
        f"{API}/messages/threads/{thread_id}/messages", headers=sender.headers, json={"text": text}
    )
    assert sent.status_code == 201, sent.text
    return thread_id


async def _network_messages(client: httpx.AsyncClient, who: NetPerson, thread_id: str) -> list[tuple[str, str]]:
    """(sender, text) of the thread's messages as the network shows them, newest first."""
    response = await client.get(f"{API}/messages/threads/{thread_id}/messages", headers=who.headers)
    assert response.status_code == 200, response.text
    return [(item["sender"]["username"], item["text"]) for item in response.json()["items"]]


async def _send(client: httpx.AsyncClient, token: str, recipient_id: str, text: str) -> httpx.Response:
    return await client.post(
        f"{GRAPH}/me/messages",
        headers={"Authorization": f"Bearer {token}"},
        json={"recipient": {"id": recipient_id}, "message": {"text": text}},
    )


async def _get(client: httpx.AsyncClient, token: str, path: str, **params: str) -> dict[str, Any]:
    response = await client.get(f"{GRAPH}/{path}", params={"access_token": token, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _date_back_messages_of(app: FastAPI, person: NetPerson, age: timedelta) -> None:
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkMessage).where(NetworkMessage.sender_id == int(person.id)).values(created_at=utcnow() - age)
        )


async def test_a_reply_in_the_window_reaches_the_person_on_the_network(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    ada = await make_person(app, "ada")
    thread_id = await _write_to(client, ada, "lumen.coffee", "Do you ship to Milan?")
    token = await graph_token(app)

    response = await _send(client, token, ada.id, "Yes, in two days")
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["recipient_id", "message_id"]
    assert body["recipient_id"] == ada.id
    # A form with JSON strings, as the client libraries send it, to the account's id.
    form = await client.post(
        f"{GRAPH}/{business.id}/messages",
        data={
            "access_token": token,
            "recipient": json.dumps({"id": ada.id}),
            "message": json.dumps({"text": "Free above 30 euros"}),
        },
    )
    assert form.status_code == 200, form.text

    assert await _network_messages(client, ada, thread_id) == [
        ("lumen.coffee", "Free above 30 euros"),
        ("lumen.coffee", "Yes, in two days"),
        ("ada", "Do you ship to Milan?"),
    ]
    message = await _get(client, token, body["message_id"], fields="message")
    assert message == {"message": "Yes, in two days", "id": body["message_id"]}


async def test_the_window_closes_24_hours_after_the_persons_last_message(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await make_business(app)
    ada = await make_person(app, "ada")
    grace = await make_person(app, "grace")
    thread_id = await _write_to(client, ada, "lumen.coffee", "Hello?")
    token = await graph_token(app)
    assert (await _send(client, token, ada.id, "Hi Ada")).status_code == 200

    await _date_back_messages_of(app, ada, timedelta(hours=25))
    late = await _send(client, token, ada.id, "Still there?")
    error = graph_error(late, 10, 2534022)
    assert error["message"] == "(#10) This message is sent outside of allowed window."
    # The business's own messages do not reopen it; the person's next message does.
    assert (await _send(client, token, ada.id, "Hello again")).status_code == 400
    await _write_to(client, ada, "lumen.coffee", "Yes!")
    assert (await _send(client, token, ada.id, "Great")).status_code == 200
    # Someone who never wrote cannot be messaged at all.
    graph_error(await _send(client, token, grace.id, "Hi Grace"), 10, 2534022)
    assert [text for _, text in await _network_messages(client, ada, thread_id)] == [
        "Great",
        "Yes!",
        "Hi Ada",
        "Hello?",
    ]


async def test_a_human_agent_may_answer_for_7_days(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    ada = await make_person(app, "ada")
    await _write_to(client, ada, "lumen.coffee", "My order is late")
    token = await graph_token(app)
    await _date_back_messages_of(app, ada, timedelta(days=3))

    def tagged(text: str) -> dict[str, Any]:
        return {"recipient": {"id": ada.id}, "message": {"text": text}, "tag": "HUMAN_AGENT"}

    graph_error(await _send(client, token, ada.id, "Automated answer"), 10, 2534022)
    agent = await client.post(f"{GRAPH}/me/messages", params={"access_token": token}, json=tagged("Sorry, checking"))
    assert agent.status_code == 200, agent.text
    await _date_back_messages_of(app, ada, timedelta(days=8))
    late = await client.post(f"{GRAPH}/me/messages", params={"access_token": token}, json=tagged("Any news?"))
    graph_error(late, 10, 2534022)


async def test_blocked_and_unknown_recipients_are_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    ada = await make_person(app, "ada")
    thread_id = await _write_to(client, ada, "lumen.coffee", "Hi")
    token = await graph_token(app)
    blocked = await client.post(f"{API}/people/lumen.coffee/block", headers=ada.headers)
    assert blocked.status_code in {200, 204}, blocked.text

    graph_error(await _send(client, token, ada.id, "Hello"), 551, 1545041)
    graph_error(await _send(client, token, "999999999999", "Hello"), 100, 2018001)
    graph_error(await _send(client, token, business.id, "Myself"), 100, 2018001)
    no_text = await client.post(
        f"{GRAPH}/me/messages", params={"access_token": token}, json={"recipient": {"id": ada.id}, "message": {}}
    )
    graph_error(no_text, 100)
    assert await _network_messages(client, ada, thread_id) == [("ada", "Hi")]


async def test_conversations_and_their_messages_in_instagrams_shapes(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    ada = await make_person(app, "ada")
    grace = await make_person(app, "grace")
    ada_thread = await _write_to(client, ada, "lumen.coffee", "First from Ada")
    grace_thread = await _write_to(client, grace, "lumen.coffee", "From Grace")
    token = await graph_token(app)
    reply = (await _send(client, token, ada.id, "Answer to Ada")).json()["message_id"]

    listed = await _get(client, token, "me/conversations", platform="instagram")
    assert [item["id"] for item in listed["data"]] == [ada_thread, grace_thread]
    assert all(
        set(item) == {"id", "updated_time"} and GRAPH_TIME.match(item["updated_time"]) for item in listed["data"]
    )
    only_grace = await _get(client, token, f"{business.id}/conversations", platform="instagram", user_id=grace.id)
    assert [item["id"] for item in only_grace["data"]] == [grace_thread]
    participants = await _get(client, token, grace_thread, fields="participants")
    assert participants["participants"] == {
        "data": [{"username": "lumen.coffee", "id": business.id}, {"username": "grace", "id": grace.id}]
    }

    conversation = await _get(client, token, ada_thread, fields="messages{id,created_time,from,to,message}")
    found = conversation["messages"]["data"]
    assert [item["message"] for item in found] == ["Answer to Ada", "First from Ada"]
    assert found[0]["id"] == reply
    assert found[0]["from"] == {"username": "lumen.coffee", "id": business.id}
    assert found[0]["to"] == {"data": [{"username": "ada", "id": ada.id}]}
    assert found[1]["from"] == {"username": "ada", "id": ada.id}
    assert found[1]["to"] == {"data": [{"username": "lumen.coffee", "id": business.id}]}
    assert GRAPH_TIME.match(found[0]["created_time"])

    message = await _get(client, token, found[1]["id"], fields="id,created_time,from,to,message")
    assert message == found[1]
    default = await _get(client, token, f"{ada_thread}/messages")
    assert [set(item) for item in default["data"]] == [{"id", "created_time"}] * 2


async def test_conversations_and_messages_page_to_the_end(client: httpx.AsyncClient, app: FastAPI) -> None:
    await make_business(app)
    people = [await make_person(app, f"person{number}") for number in range(3)]
    threads = [await _write_to(client, person, "lumen.coffee", "Hi") for person in people]
    for number in range(4):
        await _write_to(client, people[0], "lumen.coffee", f"More {number}")
    token = await graph_token(app)

    seen: list[str] = []
    url: str | None = f"{GRAPH}/me/conversations?platform=instagram&limit=2&access_token={token}"
    while url:
        page = (await client.get(url)).json()
        seen.extend(item["id"] for item in page["data"])
        url = page["paging"].get("next")
    assert seen == [threads[0], threads[2], threads[1]]

    texts: list[str] = []
    url = f"{GRAPH}/{threads[0]}/messages?fields=message&limit=2&access_token={token}"
    while url:
        page = (await client.get(url)).json()
        texts.extend(item["message"] for item in page["data"])
        url = page["paging"].get("next")
    assert texts == ["More 3", "More 2", "More 1", "More 0", "Hi"]


async def test_others_threads_are_not_there_and_messages_need_their_scope(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await make_business(app)
    ada = await make_person(app, "ada")
    await make_person(app, "grace")
    private_thread = await _write_to(client, ada, "grace", "Just between us")
    business_thread = await _write_to(client, ada, "lumen.coffee", "Hello")
    token = await graph_token(app)

    graph_error(await client.get(f"{GRAPH}/{private_thread}", params={"access_token": token}), 100, 33)
    graph_error(await client.get(f"{GRAPH}/me/conversations", params={"access_token": token, "platform": "x"}), 100)

    limited = await graph_token(app, scopes=tuple(scope for scope in SCOPES if scope != messages.MANAGE_MESSAGES))
    graph_error(await client.get(f"{GRAPH}/me/conversations", params={"access_token": limited}), 10)
    graph_error(await client.get(f"{GRAPH}/{business_thread}", params={"access_token": limited}), 10)
    graph_error(await _send(client, limited, ada.id, "Hi"), 10)
    assert await _network_messages(client, ada, business_thread) == [("ada", "Hello")]
