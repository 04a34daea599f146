"""A hashtag's top posts: the most liked and commented of the last 30 days, from accounts the viewer may see."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from viewfinder.kit.clock import utcnow
from viewfinder.network.social.service import posts as posts_service

from .helpers import API, NetPerson, make_person
from .test_posts import created, jpeg

pytestmark = pytest.mark.anyio


async def _top(client: httpx.AsyncClient, who: NetPerson | None, name: str, **params: int) -> list[str]:
    headers = who.headers if who else {}
    response = await client.get(f"{API}/hashtags/{name}/top", headers=headers, params=params)
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    return [item["id"] for item in response.json()["items"]]


async def _engage(client: httpx.AsyncClient, post_id: str, fans: list[NetPerson], likes: int, comments: int) -> None:
    for fan in fans[:likes]:
        assert (await client.post(f"{API}/posts/{post_id}/like", headers=fan.headers)).status_code == 200
    for fan in fans[:comments]:
        response = await client.post(f"{API}/posts/{post_id}/comments", headers=fan.headers, json={"text": "so good"})
        assert response.status_code == 201


async def test_top_posts_rank_by_engagement_among_visible_recent_posts(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    author = await make_person(app, "barista")
    hidden = await make_person(app, "secretbarista", private=True)
    fans = [await make_person(app, f"fan{index}") for index in range(4)]
    quiet = (await created(client, author, jpeg(), caption="#Latte morning"))["id"]
    loved = (await created(client, author, jpeg(), caption="#latte art"))["id"]
    talked = (await created(client, author, jpeg(), caption="a #latte question"))["id"]
    private = (await created(client, hidden, jpeg(), caption="#latte at home"))["id"]
    (await created(client, author, jpeg(), caption="#espresso only"))["id"]
    await _engage(client, loved, fans, likes=4, comments=1)  # 5
    await _engage(client, talked, fans, likes=1, comments=3)  # 4
    await _engage(client, quiet, fans, likes=1, comments=0)  # 1
    await _engage(client, private, fans, likes=0, comments=0)

    assert await _top(client, None, "latte") == [loved, talked, quiet]
    assert await _top(client, fans[0], "%23LATTE", limit=2) == [loved, talked]
    # The private account's post shows to the author and, once they follow, to a follower.
    assert await _top(client, hidden, "latte") == [loved, talked, quiet, private]
    assert await _top(client, None, "nosuchtag") == []

    later = utcnow() + timedelta(days=posts_service.TOP_POSTS_DAYS + 1)
    monkeypatch.setattr(posts_service, "utcnow", lambda: later)
    assert await _top(client, None, "latte") == []  # the window has moved past them


async def test_the_limit_is_checked(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/hashtags/latte/top", params={"limit": 51})
    assert response.status_code == 422
