"""Likes on posts and comments, comments with one level of replies, hiding and deleting them: visibility,
bad input, and counts that stay exact (also under concurrent likes and comments on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from viewfinder.network.social.models import NetworkComment, NetworkLike, NetworkPost

from .helpers import API, NetPerson, fields, make_person, problem
from .test_posts import created

pytestmark = pytest.mark.anyio


async def _like(client: httpx.AsyncClient, who: NetPerson, path: str) -> httpx.Response:
    return await client.post(f"{API}/{path}/like", headers=who.headers)


async def _unlike(client: httpx.AsyncClient, who: NetPerson, path: str) -> httpx.Response:
    return await client.delete(f"{API}/{path}/like", headers=who.headers)


async def _comment(
    client: httpx.AsyncClient, who: NetPerson, post_id: str, text: str = "nice", **extra: Any
) -> httpx.Response:
    return await client.post(f"{API}/posts/{post_id}/comments", headers=who.headers, json={"text": text, **extra})


async def _commented(client: httpx.AsyncClient, who: NetPerson, post_id: str, text: str = "nice", **extra: Any) -> str:
    response = await _comment(client, who, post_id, text, **extra)
    assert response.status_code == 201, response.text
    comment_id: str = response.json()["id"]
    return comment_id


async def _get(client: httpx.AsyncClient, path: str, who: NetPerson | None = None, **params: Any) -> Any:
    response = await client.get(f"{API}/{path}", headers=who.headers if who else {}, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def _texts(client: httpx.AsyncClient, path: str, who: NetPerson | None = None) -> list[str]:
    return [item["text"] for item in (await _get(client, path, who))["items"]]


async def _post_counts(app: FastAPI, post_id: str) -> tuple[int, int]:
    async with app.state.resources.db.sessions() as session:
        post = await session.get(NetworkPost, int(post_id))
    assert post is not None
    return post.like_count, post.comment_count


async def _true_post_counts(app: FastAPI, post_id: str) -> tuple[int, int]:
    """Counted from the rows: the post's likes, and the comments others see."""
    async with app.state.resources.db.sessions() as session:
        likes = await session.scalar(
            select(func.count())
            .select_from(NetworkLike)
            .where(NetworkLike.target_kind == "post", NetworkLike.target_id == int(post_id))
        )
        comments = list(await session.scalars(select(NetworkComment).where(NetworkComment.post_id == int(post_id))))
    hidden = {comment.id for comment in comments if comment.hidden}
    visible = [c for c in comments if c.id not in hidden and c.parent_id not in hidden]
    return int(likes or 0), len(visible)


async def _assert_comment_counts_exact(app: FastAPI) -> None:
    async with app.state.resources.db.sessions() as session:
        comments = list(await session.scalars(select(NetworkComment)))
        likes = list(await session.scalars(select(NetworkLike).where(NetworkLike.target_kind == "comment")))
    for comment in comments:
        replies = [c for c in comments if c.parent_id == comment.id and not c.hidden]
        assert comment.reply_count == len(replies), comment.text
        assert comment.like_count == len([like for like in likes if like.target_id == comment.id]), comment.text


# Likes on posts


async def test_liking_a_post_counts_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    post = (await created(client, grace))["id"]

    response = await _like(client, ada, f"posts/{post}")
    assert response.status_code == 200, response.text
    assert response.json() == {"liked": True, "like_count": 1}
    assert (await _like(client, ada, f"posts/{post}")).json() == {"liked": True, "like_count": 1}
    assert (await _get(client, f"posts/{post}", ada))["liked_by_viewer"] is True
    assert (await _get(client, f"posts/{post}", grace))["liked_by_viewer"] is False
    anonymous = await _get(client, f"posts/{post}")
    assert anonymous["liked_by_viewer"] is False
    assert anonymous["like_count"] == 1

    assert (await _unlike(client, ada, f"posts/{post}")).json() == {"liked": False, "like_count": 0}
    assert (await _unlike(client, ada, f"posts/{post}")).json() == {"liked": False, "like_count": 0}
    assert await _post_counts(app, post) == (0, 0) == await _true_post_counts(app, post)


async def test_likes_need_sign_in_and_a_post(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    post = (await created(client, grace))["id"]
    assert (await client.post(f"{API}/posts/{post}/like")).status_code == 401
    for unknown in ("123", "junk", "99999999999999999999"):
        response = await _like(client, grace, f"posts/{unknown}")
        assert response.status_code == 404
        assert problem(response)["status"] == 404
        assert (await client.get(f"{API}/posts/{unknown}/likes")).status_code == 404
        assert (await client.get(f"{API}/posts/{unknown}/comments")).status_code == 404
        assert (await _comment(client, grace, unknown)).status_code == 404


async def test_likers_are_listed_newest_first(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    fans = [await make_person(app, f"fan{n}") for n in range(5)]
    post = (await created(client, grace))["id"]
    for fan in fans:
        assert (await _like(client, fan, f"posts/{post}")).status_code == 200
    first = await _get(client, f"posts/{post}/likes", limit=3)
    assert [item["username"] for item in first["items"]] == ["fan4", "fan3", "fan2"]
    assert first["next_cursor"].startswith("likes.")
    second = await _get(client, f"posts/{post}/likes", limit=3, cursor=first["next_cursor"])
    assert [item["username"] for item in second["items"]] == ["fan1", "fan0"]
    assert second["next_cursor"] is None
    comments_cursor = await client.get(f"{API}/posts/{post}/likes", params={"cursor": "comments.xyz"})
    assert comments_cursor.status_code == 422
    assert (await client.get(f"{API}/posts/{post}/likes", params={"cursor": "likes.junk"})).status_code == 422


async def test_people_who_cannot_see_a_post_cannot_like_or_comment(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    secret = await make_person(app, "secret", private=True)
    ada = await make_person(app, "ada")
    public_post = (await created(client, grace))["id"]
    private_post = (await created(client, secret))["id"]
    comment = await _commented(client, grace, public_post)

    # A private account's post: 404 for anyone who does not follow it.
    assert (await _like(client, ada, f"posts/{private_post}")).status_code == 404
    assert (await _comment(client, ada, private_post)).status_code == 404
    assert (await client.get(f"{API}/posts/{private_post}/comments")).status_code == 404

    # Grace blocks Ada: her posts and their comments are gone for Ada.
    assert (await client.post(f"{API}/people/ada/block", headers=grace.headers)).status_code == 200
    assert (await _like(client, ada, f"posts/{public_post}")).status_code == 404
    assert (await _comment(client, ada, public_post)).status_code == 404
    assert (await _like(client, ada, f"comments/{comment}")).status_code == 404
    assert (await client.get(f"{API}/posts/{public_post}/likes", headers=ada.headers)).status_code == 404
    assert (await client.get(f"{API}/comments/{comment}/replies", headers=ada.headers)).status_code == 404
    assert await _post_counts(app, public_post) == (0, 1)


# Comments and replies


async def test_comments_with_replies(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    post = (await created(client, grace))["id"]

    response = await _comment(client, ada, post, "  first!  ")
    assert response.status_code == 201, response.text
    first = response.json()
    assert first["text"] == "first!"
    assert first["author"]["username"] == "ada"
    assert first["post_id"] == post
    assert first["parent_id"] is None
    assert (first["like_count"], first["reply_count"], first["liked_by_viewer"], first["hidden"]) == (
        0,
        0,
        False,
        False,
    )
    second = await _commented(client, grace, post, "second")

    replies = [await _commented(client, grace, post, f"reply {n}", reply_to=first["id"]) for n in range(3)]
    # A reply to a reply joins the top-level comment's thread.
    nested = await _comment(client, ada, post, "reply to reply", reply_to=replies[0])
    assert nested.json()["parent_id"] == first["id"]

    page = await _get(client, f"posts/{post}/comments", ada)
    assert [item["text"] for item in page["items"]] == ["first!", "second"]
    top = page["items"][0]
    assert top["reply_count"] == 4
    assert [reply["text"] for reply in top["replies"]] == ["reply 0", "reply 1"]
    assert top["replies"][0]["author"]["username"] == "grace"
    assert page["items"][1]["replies"] == []
    assert page["items"][1]["id"] == second

    first_replies = await _get(client, f"comments/{first['id']}/replies", limit=3)
    assert [item["text"] for item in first_replies["items"]] == ["reply 0", "reply 1", "reply 2"]
    assert first_replies["next_cursor"].startswith("replies.")
    rest = await _get(client, f"comments/{first['id']}/replies", limit=3, cursor=first_replies["next_cursor"])
    assert [item["text"] for item in rest["items"]] == ["reply to reply"]
    assert rest["next_cursor"] is None

    paged = await _get(client, f"posts/{post}/comments", limit=1)
    assert paged["next_cursor"].startswith("comments.")
    assert (await _get(client, f"posts/{post}/comments", limit=1, cursor=paged["next_cursor"]))["items"][0][
        "id"
    ] == second
    assert (await _get(client, f"posts/{post}", ada))["comment_count"] == 6
    assert await _post_counts(app, post) == (0, 6) == await _true_post_counts(app, post)
    await _assert_comment_counts_exact(app)


async def test_bad_comments_are_refused(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    post = (await created(client, grace))["id"]
    other_post = (await created(client, grace))["id"]
    elsewhere = await _commented(client, grace, other_post)

    for text in ("", "   ", "x" * 2201):
        response = await _comment(client, grace, post, text)
        assert response.status_code == 422, text
        assert fields(response) == ["text"] or "text" in str(problem(response).get("errors")), response.text
    assert (await _comment(client, grace, post, "x" * 2200)).status_code == 201
    for reply_to in (elsewhere, "123", "junk"):
        response = await _comment(client, grace, post, "hi", reply_to=reply_to)
        assert response.status_code == 422, reply_to
        assert fields(response) == ["reply_to"]
    missing = await client.post(f"{API}/posts/{post}/comments", headers=grace.headers, json={})
    assert missing.status_code == 422
    assert (await client.post(f"{API}/posts/{post}/comments", json={"text": "hi"})).status_code == 401
    assert (await client.get(f"{API}/comments/123/replies")).status_code == 404
    assert (await client.get(f"{API}/comments/junk/replies")).status_code == 404
    assert await _post_counts(app, post) == (0, 1)
    assert await _post_counts(app, other_post) == (0, 1)


# Likes on comments


async def test_liking_a_comment_counts_once(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    post = (await created(client, grace))["id"]
    comment = await _commented(client, grace, post)
    reply = await _commented(client, grace, post, "reply", reply_to=comment)

    assert (await _like(client, ada, f"comments/{comment}")).json() == {"liked": True, "like_count": 1}
    assert (await _like(client, ada, f"comments/{comment}")).json() == {"liked": True, "like_count": 1}
    assert (await _like(client, grace, f"comments/{comment}")).json() == {"liked": True, "like_count": 2}
    assert (await _like(client, ada, f"comments/{reply}")).json() == {"liked": True, "like_count": 1}

    listed = (await _get(client, f"posts/{post}/comments", ada))["items"][0]
    assert (listed["like_count"], listed["liked_by_viewer"]) == (2, True)
    assert listed["replies"][0]["liked_by_viewer"] is True
    assert (await _get(client, f"posts/{post}/comments"))["items"][0]["liked_by_viewer"] is False
    # A comment's likes are not the post's.
    assert await _post_counts(app, post) == (0, 2)

    assert (await _unlike(client, ada, f"comments/{comment}")).json() == {"liked": False, "like_count": 1}
    assert (await _unlike(client, ada, f"comments/{comment}")).json() == {"liked": False, "like_count": 1}
    assert (await _like(client, ada, "comments/123")).status_code == 404
    assert (await client.post(f"{API}/comments/{comment}/like")).status_code == 401
    await _assert_comment_counts_exact(app)


# Moderation


async def test_the_owner_hides_comments_from_others(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    post = (await created(client, grace))["id"]
    rude = await _commented(client, ada, post, "rude")
    await _commented(client, bob, post, "kind")
    await _commented(client, bob, post, "reply to rude", reply_to=rude)
    lone_reply = await _commented(client, ada, post, "second reply", reply_to=rude)
    assert await _post_counts(app, post) == (0, 4)

    # Only the post's owner hides.
    for who in (ada, bob):
        refused = await client.post(f"{API}/comments/{rude}/hide", headers=who.headers)
        assert refused.status_code == 403
        assert problem(refused)["status"] == 403
    assert (await client.post(f"{API}/comments/{rude}/hide")).status_code == 401
    assert (await client.post(f"{API}/comments/123/hide", headers=grace.headers)).status_code == 404

    hidden = await client.post(f"{API}/comments/{rude}/hide", headers=grace.headers)
    assert hidden.status_code == 200, hidden.text
    assert hidden.json()["hidden"] is True
    # Hidden again: nothing changes. The thread is hidden from others with it.
    assert (await client.post(f"{API}/comments/{rude}/hide", headers=grace.headers)).status_code == 200
    assert await _post_counts(app, post) == (0, 1) == await _true_post_counts(app, post)
    assert await _texts(client, f"posts/{post}/comments", ada) == ["kind"]
    assert await _texts(client, f"posts/{post}/comments") == ["kind"]
    owner_view = (await _get(client, f"posts/{post}/comments", grace))["items"]
    assert [(item["text"], item["hidden"]) for item in owner_view] == [("rude", True), ("kind", False)]
    assert (await client.get(f"{API}/comments/{rude}/replies", headers=bob.headers)).status_code == 404
    assert (await _like(client, bob, f"comments/{rude}")).status_code == 404
    assert (await _comment(client, bob, post, "hi", reply_to=rude)).status_code == 422

    # Hiding a reply in a hidden thread changes no count of the post's; unhiding the thread counts it out.
    assert (await client.post(f"{API}/comments/{lone_reply}/hide", headers=grace.headers)).status_code == 200
    assert await _post_counts(app, post) == (0, 1) == await _true_post_counts(app, post)
    shown = await client.post(f"{API}/comments/{rude}/unhide", headers=grace.headers)
    assert shown.json()["hidden"] is False
    assert await _post_counts(app, post) == (0, 3) == await _true_post_counts(app, post)
    assert await _texts(client, f"comments/{rude}/replies", bob) == ["reply to rude"]
    assert (await client.post(f"{API}/comments/{lone_reply}/unhide", headers=grace.headers)).status_code == 200
    assert await _post_counts(app, post) == (0, 4) == await _true_post_counts(app, post)
    await _assert_comment_counts_exact(app)


async def test_deleting_comments(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    bob = await make_person(app, "bob")
    post = (await created(client, grace))["id"]
    thread = await _commented(client, ada, post, "thread")
    reply = await _commented(client, bob, post, "bob's reply", reply_to=thread)
    await _commented(client, ada, post, "ada's reply", reply_to=thread)
    other = await _commented(client, bob, post, "other")
    await _like(client, ada, f"comments/{reply}")

    # Someone else's comment on someone else's post: refused.
    refused = await client.delete(f"{API}/comments/{reply}", headers=ada.headers)
    assert refused.status_code == 403
    # The author deletes their own reply.
    assert (await client.delete(f"{API}/comments/{reply}", headers=bob.headers)).status_code == 204
    assert (await client.delete(f"{API}/comments/{reply}", headers=bob.headers)).status_code == 404
    assert await _post_counts(app, post) == (0, 3) == await _true_post_counts(app, post)
    await _assert_comment_counts_exact(app)

    # The post's owner deletes a top-level comment: its replies go with it.
    assert (await client.delete(f"{API}/comments/{thread}", headers=grace.headers)).status_code == 204
    assert await _texts(client, f"posts/{post}/comments") == ["other"]
    assert await _post_counts(app, post) == (0, 1) == await _true_post_counts(app, post)
    async with app.state.resources.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(NetworkComment)) == 1
        assert await session.scalar(select(func.count()).select_from(NetworkLike)) == 0

    # A hidden comment deleted: the count had left it already.
    assert (await client.post(f"{API}/comments/{other}/hide", headers=grace.headers)).status_code == 200
    assert (await client.delete(f"{API}/comments/{other}", headers=bob.headers)).status_code == 404
    assert (await client.delete(f"{API}/comments/{other}", headers=grace.headers)).status_code == 204
    assert await _post_counts(app, post) == (0, 0) == await _true_post_counts(app, post)


async def test_deleting_a_post_deletes_its_likes_and_comments(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    ada = await make_person(app, "ada")
    post = (await created(client, grace))["id"]
    comment = await _commented(client, ada, post)
    await _commented(client, ada, post, "reply", reply_to=comment)
    await _like(client, ada, f"posts/{post}")
    await _like(client, grace, f"comments/{comment}")
    assert (await client.delete(f"{API}/posts/{post}", headers=grace.headers)).status_code == 204
    async with app.state.resources.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(NetworkComment)) == 0
        assert await session.scalar(select(func.count()).select_from(NetworkLike)) == 0
    assert (await _like(client, ada, f"comments/{comment}")).status_code == 404


# Concurrency


async def test_counts_stay_exact_under_concurrent_likes_and_comments(client: httpx.AsyncClient, app: FastAPI) -> None:
    grace = await make_person(app, "grace")
    fans = [await make_person(app, f"fan{n}") for n in range(10)]
    post = (await created(client, grace))["id"]
    thread = await _commented(client, grace, post, "thread")
    results: list[int] = []

    async def act(method: str, who: NetPerson, path: str, body: dict[str, Any] | None = None) -> None:
        response = await client.request(method, f"{API}/{path}", headers=who.headers, json=body)
        results.append(response.status_code)

    # Everyone likes the post and the thread several times at once, and comments and replies.
    async with anyio.create_task_group() as group:
        for fan in fans:
            for _ in range(3):
                group.start_soon(act, "POST", fan, f"posts/{post}/like")
                group.start_soon(act, "POST", fan, f"comments/{thread}/like")
            group.start_soon(act, "POST", fan, f"posts/{post}/comments", {"text": "hello"})
            group.start_soon(act, "POST", fan, f"posts/{post}/comments", {"text": "re", "reply_to": thread})
    assert set(results) <= {200, 201}, results
    assert await _post_counts(app, post) == (10, 21) == await _true_post_counts(app, post)
    await _assert_comment_counts_exact(app)

    # Then half unlike while the others like and unlike, and the owner hides and shows the thread meanwhile.
    results.clear()
    async with anyio.create_task_group() as group:
        for n, fan in enumerate(fans):
            group.start_soon(act, "DELETE", fan, f"posts/{post}/like")
            group.start_soon(act, "POST", fan, f"posts/{post}/comments", {"text": "more", "reply_to": thread})
            if n % 2:
                group.start_soon(act, "POST", fan, f"posts/{post}/like")
                group.start_soon(act, "DELETE", fan, f"comments/{thread}/like")
            group.start_soon(act, "POST", grace, f"comments/{thread}/{'hide' if n % 2 else 'unhide'}")
    # While the thread is hidden, others' replies to it are refused (422) and its likes are not found (404).
    assert set(results) <= {200, 201, 404, 422}, results
    assert await _post_counts(app, post) == await _true_post_counts(app, post)
    await _assert_comment_counts_exact(app)
