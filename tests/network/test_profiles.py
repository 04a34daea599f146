"""Profiles: the public view and the viewer's relation, editing one's own (username rules included), and
search by username prefix."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from .helpers import API, fields, make_person, person_row, problem

pytestmark = pytest.mark.anyio


async def test_a_profile_is_public_and_anonymous_viewers_get_no_relation(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    grace = await make_person(app, "Grace.Hopper", name="Grace Hopper")
    for path in ("Grace.Hopper", "grace.hopper", "GRACE.HOPPER"):
        response = await client.get(f"{API}/people/{path}")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["id"] == grace.id
        assert body["username"] == "Grace.Hopper"
        assert body["name"] == "Grace Hopper"
        assert (body["followers_count"], body["following_count"], body["posts_count"]) == (0, 0, 0)
        assert body["followed_by_viewer"] is None
        assert body["blocked_by_viewer"] is None
        assert "email" not in body


async def test_an_unknown_username_answers_404(client: httpx.AsyncClient) -> None:
    for name in ("nobody", "..", "a" * 40, "%20"):
        response = await client.get(f"{API}/people/{name}")
        assert response.status_code == 404
        problem(response)


async def test_a_signed_in_viewer_sees_how_they_stand(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    grace = await make_person(app, "grace")
    view = (await client.get(f"{API}/people/grace", headers=ada.headers)).json()
    assert (view["followed_by_viewer"], view["requested_by_viewer"], view["blocked_by_viewer"]) == (
        False,
        False,
        False,
    )
    await client.post(f"{API}/people/grace/follow", headers=ada.headers)
    view = (await client.get(f"{API}/people/grace", headers=ada.headers)).json()
    assert view["followed_by_viewer"] is True
    assert view["followers_count"] == 1
    own = (await client.get(f"{API}/people/grace", headers=grace.headers)).json()
    assert own["followed_by_viewer"] is False


async def test_editing_the_profile(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    changes = {
        "name": "Ada Lovelace",
        "bio": "Analytical engines. " * 7,
        "website": "https://ada.example.com/",
        "avatar_url": "https://cdn.example.com/ada.jpg",
        "account_type": "creator",
        "is_private": True,
    }
    response = await client.patch(f"{API}/me", json=changes, headers=ada.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {key: body[key] for key in changes} == changes
    # Only the fields sent change; null removes the website.
    response = await client.patch(f"{API}/me", json={"website": None}, headers=ada.headers)
    body = response.json()
    assert body["website"] is None
    assert body["name"] == "Ada Lovelace"
    assert body["is_private"] is True
    assert (await client.get(f"{API}/auth/me", headers=ada.headers)).json()["account_type"] == "creator"


async def test_bad_profile_changes_are_refused_and_change_nothing(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    cases = {
        "bio": {"bio": "x" * 151},
        "website": {"website": "not a url"},
        "avatar_url": {"avatar_url": "ftp://example.com/a.jpg"},
        "account_type": {"account_type": "celebrity"},
        "name": {"name": None},
        "username": {"username": "ada..x"},
        "is_private": {"is_private": None},
        "email": {"email": "new@example.com"},
    }
    for field, body in cases.items():
        response = await client.patch(f"{API}/me", json={"name": "Changed"} | body, headers=ada.headers)
        assert response.status_code == 422, (field, response.text)
        assert field in fields(response), (field, fields(response))
    row = await person_row(app, ada.id)
    assert row.name == "Test Person"
    assert row.username == "ada"
    assert row.bio == ""


async def test_changing_the_username_keeps_the_rules(client: httpx.AsyncClient, app: FastAPI) -> None:
    ada = await make_person(app, "ada")
    await make_person(app, "Grace")
    taken = await client.patch(f"{API}/me", json={"username": "GRACE", "bio": "new"}, headers=ada.headers)
    assert taken.status_code == 409
    assert fields(taken) == ["username"]
    row = await person_row(app, ada.id)
    assert row.bio == ""
    assert row.username == "ada"
    # Another case of one's own name is fine, and so is a free name.
    assert (await client.patch(f"{API}/me", json={"username": "ADA"}, headers=ada.headers)).json()["username"] == "ADA"
    renamed = await client.patch(f"{API}/me", json={"username": "ada.l"}, headers=ada.headers)
    assert renamed.json()["username"] == "ada.l"
    assert (await client.get(f"{API}/people/ada")).status_code == 404
    assert (await client.get(f"{API}/people/ADA.L")).json()["id"] == ada.id
    # The old name is free for someone else.
    await make_person(app, "ada", email="ada2@example.com")
    # The names of the network's own pages are not for people: /network/search must stay the search page.
    for reserved in ("search", "Settings", "signin"):
        refused = await client.patch(f"{API}/me", json={"username": reserved}, headers=ada.headers)
        assert refused.status_code == 422
        assert fields(refused) == ["username"]


async def test_search_by_username_prefix(client: httpx.AsyncClient, app: FastAPI) -> None:
    for name in ("anna", "Annabel", "ann_x", "ann.y", "annz", "bob", "ANNO"):
        await make_person(app, name)
    response = await client.get(f"{API}/people", params={"prefix": "Ann"})
    assert response.status_code == 200
    names = [item["username"] for item in response.json()["items"]]
    assert names == ["ann.y", "ann_x", "anna", "Annabel", "ANNO", "annz"]
    assert response.json()["next_cursor"] is None
    # `_` and `.` are plain characters, never wildcards.
    assert [i["username"] for i in (await client.get(f"{API}/people", params={"prefix": "ann_"})).json()["items"]] == [
        "ann_x"
    ]
    assert [i["username"] for i in (await client.get(f"{API}/people", params={"prefix": "@bo"})).json()["items"]] == [
        "bob"
    ]
    for nothing in ("zz", "a%", "ann y"):
        assert (await client.get(f"{API}/people", params={"prefix": nothing})).json()["items"] == []
    assert (await client.get(f"{API}/people", params={"prefix": ""})).status_code == 422
    assert (await client.get(f"{API}/people")).status_code == 422


async def test_search_answers_twenty_at_most(client: httpx.AsyncClient, app: FastAPI) -> None:
    async with app.state.resources.db.unit_of_work() as session:
        from viewfinder.network.social.models import NetworkPerson

        for n in range(25):
            session.add(
                NetworkPerson(
                    email=f"p{n}@example.com",
                    password_hash="x",
                    username=f"p{n:02d}",
                    username_key=f"p{n:02d}",
                    name="P",
                )
            )
    items = (await client.get(f"{API}/people", params={"prefix": "p"})).json()["items"]
    assert [item["username"] for item in items] == [f"p{n:02d}" for n in range(20)]
