"""Insights of an account and its media: every number equals what the test made happen on the network (posts
served to viewers, likes, comments, follows, visits, taps, who the followers are), and the errors Instagram
answers for retired or unknown metrics, wrong parameters and a missing scope."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update

from viewfinder.kit.clock import utcnow
from viewfinder.network.graph.service import insights  # noqa: F401 - registers the insights edges
from viewfinder.network.simulator.activity import Timeline, build_timeline
from viewfinder.network.simulator.live import run_live
from viewfinder.network.simulator.vocabulary import PLACES
from viewfinder.network.simulator.writer import write_timeline
from viewfinder.network.social.models import (
    AccountType,
    FollowState,
    LikeTarget,
    NetworkFollowEvent,
    NetworkLike,
    NetworkPerson,
    NetworkPostView,
    NetworkProfileEvent,
)
from viewfinder.network.social.service import activity

from .graph_helpers import GRAPH, graph_error, graph_token, make_business
from .helpers import API, NetPerson, make_person
from .test_posts import created
from .test_stories import story

pytestmark = pytest.mark.anyio

BUSINESS = "lumen.coffee"
SIM_NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


async def _get(client: httpx.AsyncClient, path: str, token: str, **params: Any) -> httpx.Response:
    return await client.get(f"{GRAPH}/{path}", params={"access_token": token, **params})


async def _ok(client: httpx.AsyncClient, path: str, token: str, **params: Any) -> dict[str, Any]:
    response = await _get(client, path, token, **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _by_name(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in body["data"]}


async def _post(client: httpx.AsyncClient, who: NetPerson, caption: str = "") -> str:
    post_id: str = (await created(client, who, caption=caption))["id"]
    return post_id


async def _follow(client: httpx.AsyncClient, who: NetPerson, username: str = BUSINESS) -> None:
    assert (await client.post(f"{API}/people/{username}/follow", headers=who.headers)).status_code == 200


def _unix(moment: datetime) -> str:
    return str(int(moment.timestamp()))


def _until() -> str:
    """A little after now: Unix times have whole seconds, and what just happened must be inside the window."""
    return _unix(utcnow() + timedelta(minutes=1))


def _today() -> datetime:
    return utcnow().replace(hour=0, minute=0, second=0, microsecond=0)


async def test_views_and_reach_count_the_posts_viewers_were_served(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    first = await _post(client, business, "#coffee first")
    second = await _post(client, business, "#coffee second")
    ada, bo, cy = [await make_person(app, name) for name in ("ada", "bo", "cy")]
    await _follow(client, cy)

    # Today: ada opens the first post twice; bo sees the grid (both posts); cy's feed shows both; a hashtag page
    # shows bo both again; the author's own views count for nothing.
    for _ in range(2):
        assert (await client.get(f"{API}/posts/{first}", headers=ada.headers)).status_code == 200
    assert (await client.get(f"{API}/people/{BUSINESS}/posts", headers=bo.headers)).status_code == 200
    assert (await client.get(f"{API}/feed", headers=cy.headers)).status_code == 200
    assert (await client.get(f"{API}/hashtags/coffee/posts", headers=bo.headers)).status_code == 200
    assert (await client.get(f"{API}/posts/{first}", headers=business.headers)).status_code == 200
    assert (await client.get(f"{API}/feed", headers=business.headers)).status_code == 200
    # Yesterday: ada saw the second post three times.
    yesterday = (_today() - timedelta(days=1)).date()
    async with app.state.resources.db.unit_of_work() as session:
        await activity.record_views(session, int(ada.id), [(int(second), int(business.id))] * 3, day=yesterday)

    # Served pages' views wait in memory until written (insights write them before reading).
    async with app.state.resources.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(NetworkPostView)) == 1
    async with app.state.resources.db.unit_of_work() as session:
        await activity.write_pending_views(session)
    async with app.state.resources.db.sessions() as session:
        rows = await session.execute(select(NetworkPostView.viewer_id, NetworkPostView.post_id, NetworkPostView.views))
        stored = {(viewer, post): views for viewer, post, views in rows.all()}
    assert stored == {
        (int(ada.id), int(first)): 2,
        (int(ada.id), int(second)): 3,
        (int(bo.id), int(first)): 2,
        (int(bo.id), int(second)): 2,
        (int(cy.id), int(first)): 1,
        (int(cy.id), int(second)): 1,
    }

    since = _today() - timedelta(days=1)
    body = await _ok(
        client, f"{business.id}/insights", token,
        metric="reach,views", period="day", metric_type="total_value", since=_unix(since), until=_until(),
    )  # fmt: skip
    metrics = _by_name(body)
    assert metrics["reach"]["total_value"] == {"value": 3}
    assert metrics["views"]["total_value"] == {"value": 11}
    assert list(metrics["views"]) == ["name", "period", "title", "description", "total_value", "id"]
    assert metrics["views"]["id"] == f"{business.id}/insights/views/day"
    assert set(body["paging"]) == {"previous", "next"}
    assert body["paging"]["next"].startswith("http")
    assert "since=" in body["paging"]["next"]

    # By follow type: only cy follows the account.
    split = await _ok(
        client, f"{business.id}/insights", token, metric="views", period="day", metric_type="total_value",
        breakdown="follow_type", since=_unix(since), until=_until(),
    )  # fmt: skip
    breakdown = split["data"][0]["total_value"]["breakdowns"][0]
    assert breakdown["dimension_keys"] == ["follow_type"]
    assert breakdown["results"] == [
        {"dimension_values": ["FOLLOWER"], "value": 2},
        {"dimension_values": ["NON_FOLLOWER"], "value": 9},
    ]

    # Day by day: reach is the default time series (yesterday ada alone; today all three).
    series = await _ok(
        client, f"{business.id}/insights", token, metric="reach", period="day", since=_unix(since),
        until=_until(),
    )  # fmt: skip
    values = series["data"][0]["values"]
    assert [value["value"] for value in values] == [1, 3]
    assert values[1]["end_time"] == (_today() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+0000")

    # Only today: yesterday's views are outside the window.
    today = await _ok(
        client, f"{business.id}/insights", token, metric="views", period="day", metric_type="total_value",
        since=_unix(_today()), until=_until(),
    )  # fmt: skip
    assert today["data"][0]["total_value"] == {"value": 8}

    # A post's own numbers, for all time.
    media = await _ok(client, f"{first}/insights", token, metric="reach,views,likes,comments,saved,shares")
    assert {item["name"]: item["values"] for item in media["data"]} == {
        "reach": [{"value": 3}],
        "views": [{"value": 5}],
        "likes": [{"value": 0}],
        "comments": [{"value": 0}],
        "saved": [{"value": 0}],
        "shares": [{"value": 0}],
    }
    assert media["data"][0]["period"] == "lifetime"
    assert media["data"][0]["id"] == f"{first}/insights/reach/lifetime"


async def test_interactions_visits_and_taps(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPerson).where(NetworkPerson.id == int(business.id)).values(website="https://lumen.example")
        )
    post = await _post(client, business, "latte art")
    ada, bo = await make_person(app, "ada"), await make_person(app, "bo")
    for who in (ada, bo):
        assert (await client.post(f"{API}/posts/{post}/like", headers=who.headers)).status_code == 200
    for text in ("lovely", "again"):
        response = await client.post(f"{API}/posts/{post}/comments", headers=ada.headers, json={"text": text})
        assert response.status_code == 201
    # The author's own comment is no interaction.
    own = await client.post(f"{API}/posts/{post}/comments", headers=business.headers, json={"text": "thanks"})
    assert own.status_code == 201
    # ada visits the profile twice and taps its link once; the owner's own visit is not counted.
    for who in (ada, ada, business):
        assert (await client.get(f"{API}/people/{BUSINESS}", headers=who.headers)).status_code == 200
    assert (await client.post(f"{API}/people/{BUSINESS}/link-tap", headers=ada.headers)).status_code == 204
    assert (await client.post(f"{API}/people/{BUSINESS}/link-tap")).status_code == 204  # signed out counts too
    # A profile without a website records no tap.
    assert (await client.post(f"{API}/people/ada/link-tap", headers=bo.headers)).status_code == 204
    async with app.state.resources.db.sessions() as session:
        events = await session.execute(select(NetworkProfileEvent.person_id, NetworkProfileEvent.kind))
        assert sorted(events.all()) == sorted([(int(business.id), "visit")] * 2 + [(int(business.id), "link_tap")] * 2)

    body = await _ok(
        client, f"{business.id}/insights", token, period="day", metric_type="total_value",
        metric="likes,comments,total_interactions,accounts_engaged,shares,saves,replies,profile_views,"
        "profile_links_taps",
    )  # fmt: skip
    assert {name: item["total_value"]["value"] for name, item in _by_name(body).items()} == {
        "likes": 2,
        "comments": 2,
        "total_interactions": 4,
        "accounts_engaged": 2,
        "shares": 0,
        "saves": 0,
        "replies": 0,
        "profile_views": 2,
        "profile_links_taps": 2,
    }
    by_type = await _ok(
        client, f"{business.id}/insights", token, period="day", metric_type="total_value", metric="likes",
        breakdown="media_product_type",
    )  # fmt: skip
    assert by_type["data"][0]["total_value"]["breakdowns"][0]["results"] == [{"dimension_values": ["POST"], "value": 2}]

    media = await _ok(client, f"{post}/insights", token, metric="likes,comments,total_interactions,profile_visits")
    assert {item["name"]: item["values"][0]["value"] for item in media["data"]} == {
        "likes": 2,
        "comments": 2,
        "total_interactions": 4,
        "profile_visits": 0,  # ada visited the profile, but never saw the post in a list or on its page
    }


async def test_a_post_is_credited_with_what_its_viewers_did_on_the_profile(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPerson).where(NetworkPerson.id == int(business.id)).values(website="https://lumen.example")
        )
    post = await _post(client, business, "#beans")
    reader, stranger = await make_person(app, "reader"), await make_person(app, "stranger")
    # The reader sees the post on a hashtag page, then visits the profile, taps its link and follows.
    assert (await client.get(f"{API}/hashtags/beans/posts", headers=reader.headers)).status_code == 200
    assert (await client.get(f"{API}/people/{BUSINESS}", headers=reader.headers)).status_code == 200
    assert (await client.post(f"{API}/people/{BUSINESS}/link-tap", headers=reader.headers)).status_code == 204
    await _follow(client, reader)
    # The stranger does the same without ever seeing the post: nothing of it is the post's.
    assert (await client.get(f"{API}/people/{BUSINESS}", headers=stranger.headers)).status_code == 200
    await _follow(client, stranger)

    body = await _ok(
        client, f"{post}/insights", token, metric="profile_activity", breakdown="action_type",
    )  # fmt: skip
    assert body["data"][0]["values"] == [{"value": 1}]
    assert body["data"][0]["total_value"] == {
        "value": 1,
        "breakdowns": [
            {"dimension_keys": ["action_type"], "results": [{"dimension_values": ["bio_link_clicked"], "value": 1}]}
        ],
    }
    media = await _ok(client, f"{post}/insights", token, metric="follows,profile_visits,reach")
    assert {item["name"]: item["values"][0]["value"] for item in media["data"]} == {
        "follows": 1,
        "profile_visits": 1,
        "reach": 1,
    }
    # Dates are read as well as Unix times.
    today = _today().date()
    dated = await _ok(
        client, f"{business.id}/insights", token, metric="follows_and_unfollows", period="day",
        metric_type="total_value", since=today.isoformat(), until=(today + timedelta(days=1)).isoformat(),
    )  # fmt: skip
    assert dated["data"][0]["total_value"] == {"value": 2}


async def test_follows_unfollows_and_follower_count(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    people = [await make_person(app, f"fan{index}") for index in range(3)]
    for who in people:
        await _follow(client, who)
    assert (await client.delete(f"{API}/people/{BUSINESS}/follow", headers=people[0].headers)).status_code == 200
    # Unfollowing someone not followed is no event.
    assert (await client.delete(f"{API}/people/fan2/follow", headers=people[1].headers)).status_code == 200
    # A private account's follow counts when it is accepted.
    private = await make_person(app, "quiet", private=True)
    assert (await client.post(f"{API}/people/quiet/follow", headers=business.headers)).json()["state"] == "requested"
    requests = (await client.get(f"{API}/me/follow-requests", headers=private.headers)).json()["items"]
    accepted = await client.post(f"{API}/me/follow-requests/{requests[0]['id']}/accept", headers=private.headers)
    assert accepted.status_code == 204
    async with app.state.resources.db.sessions() as session:
        kinds = await session.execute(
            select(NetworkFollowEvent.followee_id, NetworkFollowEvent.kind, func.count()).group_by(
                NetworkFollowEvent.followee_id, NetworkFollowEvent.kind
            )
        )
        assert sorted(kinds.all()) == sorted(
            [(int(business.id), "follow", 3), (int(business.id), "unfollow", 1), (int(private.id), "follow", 1)]
        )

    body = await _ok(
        client, f"{business.id}/insights", token, metric="follows_and_unfollows", period="day",
        metric_type="total_value", breakdown="follow_type",
    )  # fmt: skip
    total = body["data"][0]["total_value"]
    assert total["value"] == 4
    assert total["breakdowns"] == [
        {
            "dimension_keys": ["follow_type"],
            "results": [
                {"dimension_values": ["FOLLOWER"], "value": 3},
                {"dimension_values": ["NON_FOLLOWER"], "value": 1},
            ],
        }
    ]
    series = await _ok(
        client, f"{business.id}/insights", token, metric="follower_count", period="day",
        since=_unix(_today() - timedelta(days=2)), until=_until(),
    )  # fmt: skip
    assert [value["value"] for value in series["data"][0]["values"]] == [0, 0, 3]
    assert list(series["data"][0]) == ["name", "period", "values", "title", "description", "id"]


async def _describe(app: FastAPI, who: NetPerson, birth_year: int, gender: str, city: str, country: str) -> None:
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPerson)
            .where(NetworkPerson.id == int(who.id))
            .values(birth_year=birth_year, gender=gender, city=city, country=country)
        )


async def test_demographics_of_followers_and_engaged_audience(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    year = utcnow().year
    described = [
        ("ana", year - 20, "F", "Turin, Piedmont", "IT"),
        ("ben", year - 22, "M", "Turin, Piedmont", "IT"),
        ("cleo", year - 30, "F", "Lyon, Auvergne-Rhone-Alpes", "FR"),
        ("dan", year - 70, "U", "Milan, Lombardy", "IT"),
    ]
    people = {}
    for username, birth_year, gender, city, country in described:
        people[username] = await make_person(app, username)
        await _describe(app, people[username], birth_year, gender, city, country)
        await _follow(client, people[username])
    stranger = await make_person(app, "eve")  # likes without following, and of unknown age and place
    post = await _post(client, business)
    for who in (people["cleo"], stranger):
        assert (await client.post(f"{API}/posts/{post}/like", headers=who.headers)).status_code == 200

    def ask(metric: str, breakdown: str) -> dict[str, str]:
        return {
            "metric": metric,
            "period": "lifetime",
            "metric_type": "total_value",
            "breakdown": breakdown,
            "timeframe": "this_month",
        }

    ages = await _ok(client, f"{business.id}/insights", token, **ask("follower_demographics", "age"))
    item = ages["data"][0]
    assert item["id"] == f"{business.id}/insights/follower_demographics/lifetime"
    assert item["total_value"] == {
        "breakdowns": [
            {
                "dimension_keys": ["age"],
                "results": [
                    {"dimension_values": ["18-24"], "value": 2},
                    {"dimension_values": ["25-34"], "value": 1},
                    {"dimension_values": ["65+"], "value": 1},
                ],
            }
        ]
    }
    assert "paging" not in ages
    genders = await _ok(client, f"{business.id}/insights", token, **ask("follower_demographics", "gender"))
    assert genders["data"][0]["total_value"]["breakdowns"][0]["results"] == [
        {"dimension_values": ["F"], "value": 2},
        {"dimension_values": ["M"], "value": 1},
        {"dimension_values": ["U"], "value": 1},
    ]
    places = await _ok(client, f"{business.id}/insights", token, **ask("follower_demographics", "country,city"))
    assert places["data"][0]["total_value"]["breakdowns"][0] == {
        "dimension_keys": ["country", "city"],
        "results": [
            {"dimension_values": ["IT", "Turin, Piedmont"], "value": 2},
            {"dimension_values": ["FR", "Lyon, Auvergne-Rhone-Alpes"], "value": 1},
            {"dimension_values": ["IT", "Milan, Lombardy"], "value": 1},
        ],
    }
    # The engaged audience: cleo and the stranger liked; only cleo's country is known.
    engaged = await _ok(client, f"{business.id}/insights", token, **ask("engaged_audience_demographics", "country"))
    assert engaged["data"][0]["total_value"]["breakdowns"][0]["results"] == [{"dimension_values": ["FR"], "value": 1}]
    bad = await _get(
        client, f"{business.id}/insights", token, **{**ask("engaged_audience_demographics", "age"), "timeframe": "x"}
    )
    assert "timeframe" in graph_error(bad, 100)["message"]


async def test_online_followers_count_followers_active_each_hour(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    post = await _post(client, business)
    fans = [await make_person(app, f"fan{index}") for index in range(2)]
    for who in fans:
        await _follow(client, who)
    hour = utcnow().hour
    outsider = await make_person(app, "outsider")
    for who in (*fans, outsider):
        assert (await client.post(f"{API}/posts/{post}/like", headers=who.headers)).status_code == 200
    # Two actions in one hour are one person online.
    response = await client.post(f"{API}/posts/{post}/comments", headers=fans[0].headers, json={"text": "yum"})
    assert response.status_code == 201
    if utcnow().hour != hour:
        pytest.skip("the hour turned while the followers were acting")

    body = await _ok(
        client, f"{business.id}/insights", token, metric="online_followers", period="lifetime",
        since=_unix(_today()), until=_until(),
    )  # fmt: skip
    values = body["data"][0]["values"]
    assert len(values) == 1
    assert values[0]["value"] == {str(number): (2 if number == hour else 0) for number in range(24)}
    assert body["data"][0]["period"] == "lifetime"


async def test_a_story_s_viewers_and_its_metrics(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    story_id = (await story(client, business))["id"]
    viewers = [await make_person(app, f"viewer{index}") for index in range(5)]
    for who in viewers[:4]:
        assert (await client.post(f"{API}/stories/{story_id}/seen", headers=who.headers)).status_code == 204
    # Seeing it again is one more view by the same person, and the author's own look counts for nothing.
    assert (await client.post(f"{API}/stories/{story_id}/seen", headers=viewers[0].headers)).status_code == 204
    assert (await client.post(f"{API}/stories/{story_id}/seen", headers=business.headers)).status_code == 204
    few = await _get(client, f"{story_id}/insights", token, metric="reach")
    assert graph_error(few, 10)["message"] == "(#10) Not enough viewers for the media to show insights"

    assert (await client.post(f"{API}/stories/{story_id}/seen", headers=viewers[4].headers)).status_code == 204
    body = await _ok(client, f"{story_id}/insights", token, metric="reach,views,replies,navigation,shares")
    assert {item["name"]: item["values"] for item in body["data"]} == {
        "reach": [{"value": 5}],
        "views": [{"value": 6}],
        "replies": [{"value": 0}],
        "navigation": [{"value": 0}],
        "shares": [{"value": 0}],
    }
    saved = graph_error(await _get(client, f"{story_id}/insights", token, metric="saved"), 100)
    assert "does not support the saved metric" in saved["message"]
    # The account's views split by kind of media.
    split = await _ok(
        client, f"{business.id}/insights", token, metric="views", period="day", metric_type="total_value",
        breakdown="media_product_type",
    )  # fmt: skip
    assert split["data"][0]["total_value"]["breakdowns"][0]["results"] == [{"dimension_values": ["STORY"], "value": 6}]


async def test_errors_as_instagram_answers_them(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    post = await _post(client, business)
    path = f"{business.id}/insights"

    retired = graph_error(await _get(client, path, token, metric="reach,impressions", period="day"), 100)
    assert retired["message"].startswith("(#100) Starting from version 22 and above, the impressions metric")
    assert "queried user" in retired["message"]
    unknown = graph_error(await _get(client, path, token, metric="reach,email_contacts", period="day"), 100)
    assert unknown["message"].startswith("(#100) metric[1] must be one of the following values: reach,")
    untimed = graph_error(await _get(client, path, token, metric="reach,views,likes", period="day"), 100)
    assert untimed["message"] == (
        "(#100) The following metrics (views, likes) should be specified with parameter metric_type=total_value"
    )
    wide = await _get(
        client, path, token, metric="reach", period="day", since=_unix(utcnow() - timedelta(days=40)),
        until=_until(),
    )  # fmt: skip
    assert "30 days" in graph_error(wide, 100)["message"]
    assert "metric" in graph_error(await _get(client, path, token, period="day"), 100)["message"]
    lifetime = await _get(client, path, token, metric="reach", period="lifetime", metric_type="total_value")
    graph_error(lifetime, 100)

    media_retired = graph_error(await _get(client, f"{post}/insights", token, metric="impressions"), 100)
    assert "queried media" in media_retired["message"]
    plays = graph_error(await _get(client, f"{post}/insights", token, metric="reach,plays"), 100)
    assert plays["message"].startswith("(#100) metric[1] must be one of the following values:")
    navigation = graph_error(await _get(client, f"{post}/insights", token, metric="navigation"), 100)
    assert navigation["message"] == (
        "(#100) The Media Insights API does not support the navigation metric for this media product type."
    )

    # Another account's post: loaded (it is public), but its insights are not for this token.
    other = await make_business(app, "other.shop", name="Other Shop")
    their_post = await _post(client, other)
    graph_error(await _get(client, f"{their_post}/insights", token, metric="reach"), 10)

    # Without the insights scope.
    narrow = await graph_token(app, BUSINESS, scopes=("instagram_business_basic",))
    denied = await _get(client, path, narrow, metric="reach", period="day")
    assert graph_error(denied, 10)["message"] == "(#10) Application does not have permission for this action"
    graph_error(await _get(client, f"{post}/insights", narrow, metric="reach"), 10)


async def test_the_json_list_form_of_metric_is_read(client: httpx.AsyncClient, app: FastAPI) -> None:
    business = await make_business(app)
    token = await graph_token(app, BUSINESS)
    body = await _ok(
        client, f"{business.id}/insights", token, metric='["likes","comments"]', period="day",
        metric_type="total_value",
    )  # fmt: skip
    assert [item["name"] for item in body["data"]] == ["likes", "comments"]
    assert all(item["total_value"] == {"value": 0} for item in body["data"])


def test_views_of_a_page_count_each_post_once_per_showing() -> None:
    author, viewer = 1, 2
    shown = [(10, author), (11, author), (10, author), (12, viewer)]
    assert activity.view_counts(viewer, shown) == {10: 2, 11: 1}


# The simulator fills what insights count


def _timeline(seed: int = 5) -> Timeline:
    return build_timeline(80, 7, seed, now=SIM_NOW)


def test_simulated_people_have_plausible_demographics() -> None:
    timeline = _timeline()
    zones = {person.id: person.timezone for person in timeline.people}
    for row in timeline.rows["network_people"]:
        assert (row["city"], row["country"]) in PLACES[zones[row["id"]]]
        if row["account_type"] is AccountType.BUSINESS:
            assert row["birth_year"] is None
            assert row["gender"] is None
        else:
            assert 13 <= SIM_NOW.year - row["birth_year"] <= 80
            assert row["gender"] in {"F", "M", "U"}
    genders = Counter(row["gender"] for row in timeline.rows["network_people"] if row["gender"])
    assert genders["F"] > genders["U"]
    assert genders["M"] > genders["U"]


def test_simulated_views_include_everyone_who_engaged_and_stay_in_the_period() -> None:
    timeline = _timeline()
    rows = timeline.rows
    authors = {post["id"]: post["author_id"] for post in rows["network_posts"]}
    views = {(row["post_id"], row["viewer_id"], row["day"]): row["views"] for row in rows["network_post_views"]}
    assert len(views) == len(rows["network_post_views"])  # one row per post, viewer and day
    assert all(count >= 1 for count in views.values())
    assert all(timeline.start.date() <= day < timeline.end.date() for _, _, day in views)
    assert all(authors[post_id] != viewer for post_id, viewer, _ in views)
    engaged = [(like["target_id"], like["person_id"], like["created_at"].date()) for like in rows["network_likes"]]
    engaged = [key for key in engaged if key[0] in authors]
    engaged += [
        (comment["post_id"], comment["author_id"], comment["created_at"].date())
        for comment in rows["network_comments"]
        if comment["author_id"] != authors[comment["post_id"]]
    ]
    assert engaged
    assert all(key in views for key in engaged)
    # Most views come from people who saw the post without reacting.
    assert len(views) > 2 * len(set(engaged))


def test_simulated_visits_taps_and_follow_events_match_the_follows() -> None:
    timeline = _timeline()
    rows = timeline.rows
    websites = {row["id"] for row in rows["network_people"] if row["website"]}
    events = rows["network_profile_events"]
    assert {event["kind"] for event in events} <= {"visit", "link_tap"}
    assert any(event["kind"] == "visit" for event in events)
    assert all(event["person_id"] in websites for event in events if event["kind"] == "link_tap")
    assert all(timeline.start <= event["created_at"] < timeline.end for event in events)

    follow_events = rows["network_follow_events"]
    unfollows = [event for event in follow_events if event["kind"] == "unfollow"]
    assert len(unfollows) == timeline.unfollows > 0
    followed_at = {
        (event["follower_id"], event["followee_id"]): event["created_at"]
        for event in follow_events
        if event["kind"] == "follow"
    }
    for event in unfollows:
        assert followed_at[(event["follower_id"], event["followee_id"])] < event["created_at"] < timeline.end
    # Every active follow made during the period has its event, at its time.
    for follow in rows["network_follows"]:
        if follow["state"] is FollowState.ACTIVE and follow["created_at"] >= timeline.start:
            assert followed_at[(follow["follower_id"], follow["followee_id"])] == follow["created_at"]


def test_the_same_seed_gives_the_same_activity() -> None:
    def fingerprint(timeline: Timeline) -> tuple[Any, ...]:
        rows = timeline.rows
        people = {person.id: person.index for person in timeline.people}
        return (
            [(row["birth_year"], row["gender"], row["city"]) for row in rows["network_people"]],
            len(rows["network_post_views"]),
            sorted(row["views"] for row in rows["network_post_views"]),
            [(people[event["actor_id"]], event["kind"]) for event in rows["network_profile_events"]],
        )

    assert fingerprint(_timeline(5)) == fingerprint(_timeline(5))
    assert fingerprint(_timeline(5)) != fingerprint(_timeline(6))


async def test_insights_of_a_simulated_account_equal_its_rows(client: httpx.AsyncClient, app: FastAPI) -> None:
    resources = app.state.resources
    timeline = build_timeline(60, 7, 9, now=utcnow())
    await write_timeline(resources.db, resources.storage, timeline, "not a real hash")
    rows = timeline.rows
    authors = {post["author_id"] for post in rows["network_posts"]}
    followers = Counter(row["followee_id"] for row in rows["network_follows"] if row["state"] is FollowState.ACTIVE)
    account_id = max(authors, key=lambda person_id: (followers[person_id], person_id))
    username = next(row["username"] for row in rows["network_people"] if row["id"] == account_id)
    async with resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkPerson).where(NetworkPerson.id == account_id).values(account_type=AccountType.CREATOR)
        )
    token = await graph_token(app, username)

    posts = {post["id"] for post in rows["network_posts"] if post["author_id"] == account_id}
    views = [row for row in rows["network_post_views"] if row["post_id"] in posts]
    body = await _ok(
        client, f"{account_id}/insights", token, metric="reach,views", period="day", metric_type="total_value",
        since=_unix(timeline.start), until=_unix(timeline.end),
    )  # fmt: skip
    metrics = _by_name(body)
    assert metrics["reach"]["total_value"]["value"] == len({row["viewer_id"] for row in views}) > 0
    assert metrics["views"]["total_value"]["value"] == sum(row["views"] for row in views)

    follower_ids = {
        row["follower_id"]
        for row in rows["network_follows"]
        if row["followee_id"] == account_id and row["state"] is FollowState.ACTIVE
    }
    countries = Counter(row["country"] for row in rows["network_people"] if row["id"] in follower_ids)
    demographics = await _ok(
        client, f"{account_id}/insights", token, metric="follower_demographics", period="lifetime",
        metric_type="total_value", breakdown="country",
    )  # fmt: skip
    results = demographics["data"][0]["total_value"]["breakdowns"][0]["results"]
    assert {tuple(result["dimension_values"]): result["value"] for result in results} == {
        (country,): count for country, count in countries.items()
    }


async def test_live_reactions_count_as_views(app: FastAPI) -> None:
    resources = app.state.resources
    await write_timeline(resources.db, resources.storage, build_timeline(30, 3, 4, now=utcnow()), "not a real hash")
    started = utcnow()
    summary = await run_live(resources.db, resources.storage, rate=20, duration=1.0, seed=3, actions={"like": 1})
    assert summary.actions.get("like", 0) >= 1
    async with resources.db.sessions() as session:
        likes = await session.execute(
            select(NetworkLike.target_id, NetworkLike.person_id).where(
                NetworkLike.target_kind == LikeTarget.POST, NetworkLike.created_at >= started
            )
        )
        liked = set(likes.all())
        views = await session.execute(
            select(NetworkPostView.post_id, NetworkPostView.viewer_id).where(NetworkPostView.day == utcnow().date())
        )
        assert liked
        assert liked <= set(views.all())


def test_served_views_wait_in_memory_until_they_are_due() -> None:
    today = _today().date()
    pending = activity.PendingViews(max_age=60, max_rows=3)
    assert not pending.add(1, [(10, 2), (11, 2)])
    assert not pending.add(1, [(10, 2)])  # the same post again: still two rows
    assert pending.add(2, [(12, 3)], day=today)  # a third row makes them due
    assert pending.take() == {(10, 1, today): 2, (11, 1, today): 1, (12, 2, today): 1}
    assert not pending.add(5, [(10, 5)])  # an author's own post is not a view: nothing pending
    assert pending.take() == {}
    assert activity.PendingViews(max_age=0).add(1, [(10, 2)])  # old enough at once
