"""Comments through the Graph: the Comment node's fields, a media's comments paged newest first to the end,
commenting and replying (threads of one level), hiding as the network shows it, deleting, and the errors of
missing scope, others' media and comments, and deleted media."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from viewfinder.network.graph.service import comments, media  # noqa: F401 - they register the nodes
from viewfinder.network.graph.service.tokens import SCOPES

from .graph_helpers import GRAPH, graph_error, graph_token, make_business
from .helpers import API, NetPerson, make_person
from .test_posts import created

pytestmark = pytest.mark.anyio

GRAPH_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")


async def _network_comment(client: httpx.AsyncClient, who: NetPerson, post_id: str, text: str, **extra: Any) -> str:
    response = await client.post(f"{API}/posts/{post_id}/comments", headers=who.headers, json={"text": text, **extra})
    assert response.status_code == 201, response.text
    comment_id: str = response.json()["id"]
    return comment_id


async def _network_texts(client: httpx.AsyncClient, who: NetPerson, post_id: str) -> list[str]:
    """The post's comments and their first replies, as the network shows them to this person."""
    response = await client.get(f"{API}/posts/{post_id}/comments", headers=who.headers)
    assert response.status_code == 200, response.text
    texts = []
    for item in response.json()["items"]:
        texts.append(item["text"])
        texts.extend(reply["text"] for reply in item["replies"])
    return texts


async def _get(client: httpx.AsyncClient, token: str, path: str, **params: str) -> dict[str, Any]:
    response = await client.get(f"{GRAPH}/{path}", params={"access_token": token, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _post(client: httpx.AsyncClient, token: str, path: str, **params: str) -> httpx.Response:
    return await client.post(f"{GRAPH}/{path}", params={"access_token": token, **params})


async def _setup(client: httpx.AsyncClient, app: FastAPI) -> tuple[NetPerson, NetPerson, str, str]:
    """A business with a post, a person, and a token of the business with every scope."""
    business = await make_business(app)
    ada = await make_person(app, "ada")
    post = await created(client, business, caption="Fresh roast")
    return business, ada, post["id"], await graph_token(app)


async def test_a_comment_answers_its_fields(client: httpx.AsyncClient, app: FastAPI) -> None:
    _, ada, post_id, token = await _setup(client, app)
    comment_id = await _network_comment(client, ada, post_id, "Smells great")

    fields = "id,text,timestamp,username,from,hidden,like_count,parent_id,media{id,media_product_type},user"
    body = await _get(client, token, comment_id, fields=fields)

    assert list(body) == ["id", "text", "timestamp", "username", "from", "hidden", "like_count", "media"]
    assert body["id"] == comment_id
    assert body["text"] == "Smells great"
    assert GRAPH_TIME.match(body["timestamp"])
    assert body["username"] == "ada"
    assert body["from"] == {"id": ada.id, "username": "ada"}
    assert body["hidden"] is False
    assert body["like_count"] == 0
    assert body["media"] == {"id": post_id, "media_product_type": "FEED"}
    # Without fields, what Instagram answers for a comment.
    assert list(await _get(client, token, comment_id)) == ["timestamp", "text", "id"]
    # `from` takes nested fields too, and like every node it names itself.
    assert (await _get(client, token, comment_id, fields="from{username}"))["from"] == {"username": "ada", "id": ada.id}


async def test_a_media_lists_its_comments_newest_first_page_by_page_to_the_end(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    _, ada, post_id, token = await _setup(client, app)
    ids = [await _network_comment(client, ada, post_id, f"comment {number}") for number in range(5)]
    await _network_comment(client, ada, post_id, "a reply is not top level", reply_to=ids[0])

    first = await _get(client, token, f"{post_id}/comments", limit="2")
    assert [set(item) for item in first["data"]] == [{"timestamp", "text", "id"}] * 2
    seen = [item["id"] for item in first["data"]]
    url = first["paging"]["next"]
    assert url.startswith("http")
    assert f"/v21.0/{post_id}/comments?" in url
    assert "access_token=" in url
    pages = 1
    while url:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        page = response.json()
        seen.extend(item["id"] for item in page["data"])
        url = page.get("paging", {}).get("next")
        pages += 1

    assert seen == list(reversed(ids))
    assert pages == 3
    texts = await _get(client, token, f"{post_id}/comments", fields="text", limit="10")
    assert [item["text"] for item in texts["data"]] == [f"comment {number}" for number in reversed(range(5))]
    assert "next" not in texts["paging"]


async def test_commenting_and_replying_thread_one_level_deep(client: httpx.AsyncClient, app: FastAPI) -> None:
    business, ada, post_id, token = await _setup(client, app)

    response = await _post(client, token, f"{post_id}/comments", message="Thanks for coming!")
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["id"]
    own_id = response.json()["id"]
    question = await _network_comment(client, ada, post_id, "Open on Sunday?")
    reply = await _post(client, token, f"{question}/replies", message="Yes, from 9")
    assert reply.status_code == 200, reply.text
    reply_id = reply.json()["id"]
    # A reply to a reply joins the top-level comment's thread, as on Instagram.
    nested = await _post(client, token, f"{reply_id}/replies", message="And until 18")
    assert nested.status_code == 200, nested.text

    replies = await _get(client, token, f"{question}/replies", fields="id,text,parent_id,username")
    assert [(item["text"], item["parent_id"], item["username"]) for item in replies["data"]] == [
        ("Yes, from 9", question, "lumen.coffee"),
        ("And until 18", question, "lumen.coffee"),
    ]
    listed = await _get(client, token, f"{post_id}/comments", fields="text,replies{text}")
    assert listed["data"][0]["text"] == "Open on Sunday?"
    assert [item["text"] for item in listed["data"][0]["replies"]["data"]] == ["Yes, from 9", "And until 18"]
    assert listed["data"][1] == {"text": "Thanks for coming!", "replies": {"data": []}, "id": listed["data"][1]["id"]}
    # Everyone on the network sees them, and the business's own comment carries its `user`.
    assert await _network_texts(client, ada, post_id) == [
        "Thanks for coming!",
        "Open on Sunday?",
        "Yes, from 9",
        "And until 18",
    ]
    own = await _get(client, token, own_id, fields="user{id,username},username")
    assert own == {"user": {"id": business.id, "username": "lumen.coffee"}, "username": "lumen.coffee", "id": own_id}

    empty = await _post(client, token, f"{post_id}/comments", message="  ")
    graph_error(empty, 100)
    missing = await _post(client, token, f"{post_id}/comments")
    graph_error(missing, 100)


async def test_hiding_a_comment_hides_it_from_everyone_else_on_the_network(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    business, ada, post_id, token = await _setup(client, app)
    grace = await make_person(app, "grace")
    rude = await _network_comment(client, ada, post_id, "Rude words")
    await _network_comment(client, grace, post_id, "Lovely")

    hidden = await _post(client, token, rude, hide="true")
    assert hidden.status_code == 200, hidden.text
    assert hidden.json() == {"success": True}

    assert await _network_texts(client, grace, post_id) == ["Lovely"]
    assert await _network_texts(client, business, post_id) == ["Rude words", "Lovely"]
    assert (await _get(client, token, rude, fields="hidden"))["hidden"] is True
    listed = await _get(client, token, f"{post_id}/comments", fields="text,hidden")
    assert [(item["text"], item["hidden"]) for item in listed["data"]] == [("Lovely", False), ("Rude words", True)]
    assert listed["data"][1]["id"] == rude
    graph_error(await _post(client, token, f"{rude}/replies", message="No"), 100)

    shown = await _post(client, token, rude, hide="False")
    assert shown.json() == {"success": True}
    assert await _network_texts(client, grace, post_id) == ["Rude words", "Lovely"]
    graph_error(await _post(client, token, rude, hide="maybe"), 100)


async def test_deleting_comments_on_own_media_and_own_comments(client: httpx.AsyncClient, app: FastAPI) -> None:
    business, ada, post_id, token = await _setup(client, app)
    spam = await _network_comment(client, ada, post_id, "Buy followers")
    await _network_comment(client, ada, post_id, "Also spam", reply_to=spam)
    kept = await _network_comment(client, ada, post_id, "Nice")
    own = (await _post(client, token, f"{post_id}/comments", message="Typo")).json()["id"]

    for comment_id in (spam, own):
        response = await client.delete(f"{GRAPH}/{comment_id}", params={"access_token": token})
        assert response.status_code == 200, response.text
        assert response.json() == {"success": True}

    assert await _network_texts(client, ada, post_id) == ["Nice"]
    assert [item["id"] for item in (await _get(client, token, f"{post_id}/comments"))["data"]] == [kept]
    gone = await client.get(f"{GRAPH}/{spam}", params={"access_token": token})
    graph_error(gone, 100, 33)
    again = await client.delete(f"{GRAPH}/{spam}", params={"access_token": token})
    graph_error(again, 100, 33)
    assert (await _get(client, token, business.id, fields="id"))["id"] == business.id


async def test_the_account_sees_only_comments_on_its_media_or_its_own(client: httpx.AsyncClient, app: FastAPI) -> None:
    business, ada, _, token = await _setup(client, app)
    other_post = (await created(client, ada, caption="Ada's own"))["id"]
    elsewhere = await _network_comment(client, ada, other_post, "On Ada's post")
    own_elsewhere = await _network_comment(client, business, other_post, "Business on Ada's post")

    graph_error(await client.get(f"{GRAPH}/{elsewhere}", params={"access_token": token}), 100, 33)
    graph_error(await _post(client, token, elsewhere, hide="true"), 100, 33)
    assert (await _get(client, token, own_elsewhere, fields="text"))["text"] == "Business on Ada's post"
    # Hiding is for the media's owner only.
    graph_error(await _post(client, token, own_elsewhere, hide="true"), 10)
    # Another account's media: its comments are not the token's to read or write.
    graph_error(await client.get(f"{GRAPH}/{other_post}/comments", params={"access_token": token}), 10)
    graph_error(await _post(client, token, f"{other_post}/comments", message="Hi"), 10)
    assert await _network_texts(client, ada, other_post) == ["On Ada's post", "Business on Ada's post"]


async def test_comments_of_blocked_people_are_left_out(client: httpx.AsyncClient, app: FastAPI) -> None:
    business, ada, post_id, token = await _setup(client, app)
    grace = await make_person(app, "grace")
    await _network_comment(client, ada, post_id, "From Ada")
    await _network_comment(client, grace, post_id, "From Grace")

    blocked = await client.post(f"{API}/people/ada/block", headers=business.headers)
    assert blocked.status_code in {200, 204}, blocked.text

    listed = await _get(client, token, f"{post_id}/comments", fields="text")
    assert [item["text"] for item in listed["data"]] == ["From Grace"]


async def test_comments_need_the_manage_comments_scope(client: httpx.AsyncClient, app: FastAPI) -> None:
    _, ada, post_id, _ = await _setup(client, app)
    comment_id = await _network_comment(client, ada, post_id, "Hello")
    token = await graph_token(app, scopes=tuple(scope for scope in SCOPES if scope != comments.MANAGE_COMMENTS))

    graph_error(await client.get(f"{GRAPH}/{post_id}/comments", params={"access_token": token}), 10)
    graph_error(await client.get(f"{GRAPH}/{comment_id}", params={"access_token": token}), 10)
    graph_error(await _post(client, token, f"{post_id}/comments", message="Hi"), 10)
    graph_error(await _post(client, token, comment_id, hide="true"), 10)
    graph_error(await client.delete(f"{GRAPH}/{comment_id}", params={"access_token": token}), 10)
    # The media itself stays readable with the basic scope.
    assert (await _get(client, token, post_id, fields="id"))["id"] == post_id
    assert await _network_texts(client, ada, post_id) == ["Hello"]


async def test_a_deleted_media_takes_no_comments(client: httpx.AsyncClient, app: FastAPI) -> None:
    business, _, post_id, token = await _setup(client, app)
    deleted = await client.delete(f"{API}/posts/{post_id}", headers=business.headers)
    assert deleted.status_code == 204, deleted.text

    graph_error(await _post(client, token, f"{post_id}/comments", message="Anyone?"), 100, 33)
    graph_error(await client.get(f"{GRAPH}/{post_id}/comments", params={"access_token": token}), 100, 33)


async def test_a_batch_answers_each_request_and_keeps_what_succeeded(client: httpx.AsyncClient, app: FastAPI) -> None:
    business, ada, post_id, token = await _setup(client, app)
    batch = [
        {"method": "GET", "relative_url": "v21.0/me?fields=username"},
        {"method": "POST", "relative_url": f"{post_id}/comments", "body": "message=Welcome to the batch"},
        {"method": "POST", "relative_url": f"{post_id}/comments", "body": "message="},  # refused: empty
        {"method": "GET", "relative_url": "123/comments"},
    ]
    response = await client.post(f"{GRAPH}/", data={"access_token": token, "batch": json.dumps(batch)})
    assert response.status_code == 200, response.text
    answers = response.json()
    assert [answer["code"] for answer in answers] == [200, 200, 400, 400]
    assert json.loads(answers[0]["body"]) == {"username": "lumen.coffee", "id": business.id}
    made = json.loads(answers[1]["body"])["id"]
    assert json.loads(answers[2]["body"])["error"]["code"] == 100
    assert json.loads(answers[3]["body"])["error"]["error_subcode"] == 33
    assert answers[0]["headers"] == [{"name": "Content-Type", "value": "application/json; charset=UTF-8"}]
    # The comment made stands although a later request of the batch failed; the refused one wrote nothing.
    assert await _network_texts(client, ada, post_id) == ["Welcome to the batch"]
    assert (await _get(client, token, made, fields="text"))["text"] == "Welcome to the batch"

    graph_error(await client.post(f"{GRAPH}/", data={"access_token": token, "batch": "not json"}), 100)
    too_many = json.dumps([{"relative_url": "me"}] * 51)
    graph_error(await client.post(f"{GRAPH}/", data={"access_token": token, "batch": too_many}), 100)
