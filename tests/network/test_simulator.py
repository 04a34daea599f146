"""The network simulator: deterministic for a seed, every denormalised count equal to its rows, a heavy-tailed
follow graph, a real time-of-day signal in the likes, simulated people who can sign in and see their feed,
live actions through the services, and the demo brand made once."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.network.simulator.activity import build_timeline, local_hour, period
from viewfinder.network.simulator.demo import LUMEN, set_up_network_demo
from viewfinder.network.simulator.live import Action, run_live
from viewfinder.network.simulator.population import make_people
from viewfinder.network.simulator.simulation import SIMULATOR_PASSWORD, Summary, existing_network, simulate
from viewfinder.network.simulator.writer import write_timeline
from viewfinder.network.social.captions import parse_caption
from viewfinder.network.social.ids import EPOCH_MS, RANDOM_BITS, id_at, new_id
from viewfinder.network.social.models import (
    FollowState,
    LikeTarget,
    NetworkComment,
    NetworkFollow,
    NetworkHashtag,
    NetworkLike,
    NetworkMention,
    NetworkNotification,
    NetworkPerson,
    NetworkPost,
    NetworkPostHashtag,
    NetworkPostMedia,
    NotificationKind,
)

from .helpers import API

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
SMALL = {"users": 80, "days": 7}


async def _simulate(app: FastAPI, seed: int = 7, **options: Any) -> Summary:
    resources = app.state.resources
    return await simulate(resources.db, resources.storage, seed=seed, now=NOW, **{**SMALL, **options})


async def _count(session: AsyncSession, statement: Any) -> int:
    return int(await session.scalar(statement) or 0)


async def _grouped(session: AsyncSession, column: Any, *where: Any) -> dict[int, int]:
    """COUNT(*) of the rows for each value of `column`."""
    rows = await session.execute(select(column, func.count()).where(*where).group_by(column))
    return dict(rows.all())


async def assert_consistent(app: FastAPI) -> None:
    """Every denormalised count equals COUNT(*) of its rows; indexes, ids and times are as the services make them."""
    async with app.state.resources.db.sessions() as session:
        active = NetworkFollow.state == FollowState.ACTIVE
        followers = await _grouped(session, NetworkFollow.followee_id, active)
        following = await _grouped(session, NetworkFollow.follower_id, active)
        posts_of = await _grouped(session, NetworkPost.author_id)
        people = (await session.scalars(select(NetworkPerson))).all()
        assert people
        for person in people:
            assert person.followers_count == followers.get(person.id, 0), person.username
            assert person.following_count == following.get(person.id, 0), person.username
            assert person.posts_count == posts_of.get(person.id, 0), person.username

        post_likes = await _grouped(session, NetworkLike.target_id, NetworkLike.target_kind == LikeTarget.POST)
        comment_likes = await _grouped(session, NetworkLike.target_id, NetworkLike.target_kind == LikeTarget.COMMENT)
        comments_of = await _grouped(session, NetworkComment.post_id)
        replies_of = await _grouped(session, NetworkComment.parent_id, NetworkComment.parent_id.is_not(None))
        media_of = await _grouped(session, NetworkPostMedia.post_id)
        hashtags_of: dict[int, set[str]] = {}
        for post_id, name in await session.execute(
            select(NetworkPostHashtag.post_id, NetworkHashtag.name).join(
                NetworkHashtag, NetworkHashtag.id == NetworkPostHashtag.hashtag_id
            )
        ):
            hashtags_of.setdefault(post_id, set()).add(name)
        mentions_of: dict[int, set[str]] = {}
        for post_id, username in await session.execute(
            select(NetworkMention.post_id, NetworkPerson.username_key).join(
                NetworkPerson, NetworkPerson.id == NetworkMention.person_id
            )
        ):
            mentions_of.setdefault(post_id, set()).add(username)
        usernames = {person.username_key for person in people}

        posts = (await session.scalars(select(NetworkPost).order_by(NetworkPost.id))).all()
        assert posts
        for post in posts:
            assert post.like_count == post_likes.get(post.id, 0)
            assert post.comment_count == comments_of.get(post.id, 0)
            assert post.media_count == media_of.get(post.id, 0) >= 1
            caption = parse_caption(post.caption)
            assert hashtags_of.get(post.id, set()) == set(caption.hashtags)
            assert mentions_of.get(post.id, set()) == {name for name in caption.mentions if name in usernames}
        # Ids are of their rows' times: id order is time order.
        times = [post.created_at for post in posts]
        assert times == sorted(times)

        comments = (await session.scalars(select(NetworkComment))).all()
        for comment in comments:
            assert comment.like_count == comment_likes.get(comment.id, 0)
            assert comment.reply_count == replies_of.get(comment.id, 0)

        # Nothing happens to a post before it exists.
        post_times = {post.id: post.created_at for post in posts}
        likes = (await session.execute(select(NetworkLike.target_id, NetworkLike.created_at).where(
            NetworkLike.target_kind == LikeTarget.POST))).all()  # fmt: skip
        assert all(liked_at > post_times[post_id] for post_id, liked_at in likes)
        assert all(comment.created_at > post_times[comment.post_id] for comment in comments)

        # Requests wait only on private accounts; nobody is notified of their own doing.
        private = {person.id for person in people if person.is_private}
        requested = await session.scalars(
            select(NetworkFollow.followee_id).where(NetworkFollow.state == FollowState.REQUESTED)
        )
        assert set(requested) <= private
        own = select(func.count()).where(NetworkNotification.recipient_id == NetworkNotification.actor_id)
        assert await _count(session, own) == 0

        # Every media row's files are stored under its own keys.
        storage = app.state.resources.storage
        for media in (await session.scalars(select(NetworkPostMedia).limit(30))).all():
            assert media.storage_key.startswith(f"network/posts/{media.post_id}/")
            assert await storage.exists(media.storage_key)
            assert await storage.exists(media.thumbnail_key)
            assert media.width == 1080
            assert media.thumbnail_width == 320


# Without the database


def test_the_same_seed_makes_the_same_network() -> None:
    def fingerprint(seed: int) -> tuple[Any, ...]:
        timeline = build_timeline(60, 5, seed, now=NOW)
        rows = timeline.rows
        return (
            [person["username"] for person in rows["network_people"]],
            [(row["followers_count"], row["following_count"], row["posts_count"]) for row in rows["network_people"]],
            [(post["caption"], post["like_count"], post["comment_count"]) for post in rows["network_posts"]],
            [comment["text"] for comment in rows["network_comments"]],
            len(rows["network_notifications"]),
        )  # fmt: skip

    first = fingerprint(11)
    assert first == fingerprint(11)
    assert first != fingerprint(12)
    usernames = first[0]
    assert len(set(usernames)) == len(usernames) == 60


def test_the_period_ends_at_the_last_midnight() -> None:
    start, end = period(7, NOW)
    assert end == datetime(2026, 11, 20, tzinfo=UTC)
    assert start == datetime(2026, 11, 13, tzinfo=UTC)


def test_usernames_avoid_those_taken() -> None:
    start, _ = period(7, NOW)
    first = make_people(50, random.Random(3), start=start, taken=frozenset())
    again = make_people(50, random.Random(3), start=start, taken=frozenset(person.username for person in first))
    assert not {person.username for person in first} & {person.username for person in again}
    assert all(len(person.username) <= 30 and not person.username.endswith(".") for person in first + again)


def test_a_few_people_hold_many_of_the_follows() -> None:
    timeline = build_timeline(1000, 1, 5, now=NOW)
    followers = sorted((person["followers_count"] for person in timeline.rows["network_people"]), reverse=True)
    top = sum(followers[:10])  # the top 1 %
    assert top >= 0.10 * sum(followers), (top, sum(followers))
    assert followers[0] >= 10 * statistics.median(followers)


def test_posts_at_the_audience_s_peak_hours_get_more_likes_than_at_night() -> None:
    timeline = build_timeline(700, 30, 21, now=NOW)
    people = {person.id: person for person in timeline.people}
    peak: list[int] = []
    night: list[int] = []
    for post in timeline.rows["network_posts"]:
        hour = local_hour(people[post["author_id"]], post["created_at"])
        if hour in (12, 13, 19, 20, 21):
            peak.append(post["like_count"])
        elif 3 <= hour < 5:
            night.append(post["like_count"])
    assert len(night) >= 80, len(night)
    assert statistics.mean(peak) >= 1.4 * statistics.mean(night), (statistics.mean(peak), statistics.mean(night))


# In the database (SQLite and PostgreSQL)


@pytest.mark.anyio
async def test_a_simulated_network_has_every_count_equal_to_its_rows(app: FastAPI) -> None:
    summary = await _simulate(app)
    assert summary.people == 80
    assert summary.posts > 20
    assert summary.likes > 0
    assert summary.password == SIMULATOR_PASSWORD
    async with app.state.resources.db.sessions() as session:
        assert await _count(session, select(func.count()).select_from(NetworkPerson)) == 80
        assert await _count(session, select(func.count()).select_from(NetworkPost)) == summary.posts
        likes = select(func.count()).select_from(NetworkLike).where(NetworkLike.target_kind == LikeTarget.POST)
        assert await _count(session, likes) == summary.likes
        kinds = set(await session.scalars(select(NetworkNotification.kind).distinct()))
        assert {NotificationKind.COMMENT, NotificationKind.MENTION} <= kinds
        states = set(await session.scalars(select(NetworkFollow.state).distinct()))
        assert FollowState.ACTIVE in states
    await assert_consistent(app)

    # A second run with the same seed adds people beside them, without clashing.
    again = await _simulate(app)
    assert again.people == 80
    assert set(again.usernames_sample).isdisjoint(summary.usernames_sample)
    async with app.state.resources.db.sessions() as session:
        assert await _count(session, select(func.count()).select_from(NetworkPerson)) == 160
    await assert_consistent(app)


@pytest.mark.anyio
async def test_a_simulated_person_signs_in_and_sees_a_feed(client: httpx.AsyncClient, app: FastAPI) -> None:
    await _simulate(app, seed=3)
    async with app.state.resources.db.sessions() as session:
        # Someone who follows at least one person with posts.
        username = await session.scalar(
            select(NetworkPerson.username)
            .join(NetworkFollow, NetworkFollow.follower_id == NetworkPerson.id)
            .join(NetworkPost, NetworkPost.author_id == NetworkFollow.followee_id)
            .where(NetworkFollow.state == FollowState.ACTIVE)
            .order_by(NetworkPerson.id)
            .limit(1)
        )
        hashtag = await session.scalar(
            select(NetworkHashtag.name)
            .join(NetworkPostHashtag, NetworkPostHashtag.hashtag_id == NetworkHashtag.id)
            .group_by(NetworkHashtag.name)
            .order_by(func.count().desc(), NetworkHashtag.name)
            .limit(1)
        )
    assert username is not None
    assert hashtag is not None
    signed_in = await client.post(f"{API}/auth/login", json={"login": username, "password": SIMULATOR_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    client.cookies.clear()
    feed = await client.get(f"{API}/feed", headers=headers)
    assert feed.status_code == 200, feed.text
    items = feed.json()["items"]
    assert items
    ids = [int(item["id"]) for item in items]
    assert ids == sorted(ids, reverse=True)
    tagged = await client.get(f"{API}/hashtags/{hashtag}/posts", headers=headers)
    assert tagged.status_code == 200, tagged.text
    assert tagged.json()["items"]
    image = await client.get(items[0]["media"][0]["url"])
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/jpeg"


@pytest.mark.anyio
async def test_live_actions_go_through_the_services_and_keep_counts(app: FastAPI) -> None:
    await _simulate(app, users=40, days=3)
    resources = app.state.resources
    seen: list[Action] = []
    summary = await run_live(resources.db, resources.storage, rate=25, duration=1.5, seed=5, on_action=seen.append)
    assert sum(summary.actions.values()) + summary.refused == len(seen) >= 5
    assert sum(summary.actions.values()) >= 1
    assert Counter(action.kind for action in seen).keys() <= {"like", "comment", "post", "follow", "unfollow"}
    await assert_consistent(app)


@pytest.mark.anyio
async def test_the_demo_brand_is_made_once(app: FastAPI) -> None:
    resources = app.state.resources
    first = await set_up_network_demo(resources.db, resources.storage, people=60)
    assert first.summary is not None
    assert first.username == LUMEN.username
    assert first.password == SIMULATOR_PASSWORD
    async with resources.db.sessions() as session:
        brand = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == LUMEN.username))
        assert brand is not None
        assert brand.name == "Lumen Coffee Roasters"
        assert brand.account_type == "business"
        assert brand.website == LUMEN.website
        assert brand.posts_count == LUMEN.posts
        assert brand.followers_count >= 10
        brand_likes = (
            select(func.count())
            .select_from(NetworkLike)
            .join(NetworkPost, NetworkPost.id == NetworkLike.target_id)
            .where(NetworkLike.target_kind == LikeTarget.POST, NetworkPost.author_id == brand.id)
        )
        assert await _count(session, brand_likes) > 0
        mentioned = select(func.count()).select_from(NetworkMention).where(NetworkMention.person_id == brand.id)
        assert await _count(session, mentioned) > 0
        people = await _count(session, select(func.count()).select_from(NetworkPerson))
        posts = await _count(session, select(func.count()).select_from(NetworkPost))
    await assert_consistent(app)

    again = await set_up_network_demo(resources.db, resources.storage, people=60)
    assert again.summary is None
    async with resources.db.sessions() as session:
        assert await _count(session, select(func.count()).select_from(NetworkPerson)) == people
        assert await _count(session, select(func.count()).select_from(NetworkPost)) == posts


def test_the_command_prints_a_summary_with_the_password(tmp_path: Path, sqlite_template: Path) -> None:
    database = tmp_path / "viewfinder.db"
    shutil.copy(sqlite_template, database)  # migrated already
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(DATA_DIR=str(tmp_path / "data"), DATABASE_URL=f"sqlite+aiosqlite:///{database}")
    command = ["network", "simulate", "--users", "25", "--days", "3", "--seed", "4", "--json"]
    result = subprocess.run(
        [sys.executable, "-m", "viewfinder", *command], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["people"] == 25
    assert summary["seed"] == 4
    assert summary["password"] == SIMULATOR_PASSWORD
    assert summary["seconds"] > 0
    assert {"follows", "posts", "likes", "comments", "notifications", "mentions"} <= summary.keys()


def test_ids_of_past_instants_carry_their_time() -> None:
    when = datetime(2025, 3, 1, 12, 0, 0, 123_000, tzinfo=UTC)
    value = id_at(when)
    assert (value >> RANDOM_BITS) + EPOCH_MS == int(when.timestamp() * 1000)
    assert id_at(when + timedelta(milliseconds=1)) > value
    assert new_id() > value
    with pytest.raises(ValueError, match="2024"):
        id_at(datetime(2023, 12, 31, tzinfo=UTC))


@pytest.mark.anyio
async def test_a_run_that_cannot_be_written_leaves_nothing_behind(app: FastAPI) -> None:
    resources = app.state.resources
    await _simulate(app, users=20, days=2)
    async with resources.db.sessions() as session:
        people = await _count(session, select(func.count()).select_from(NetworkPerson))
    # A timeline that believes no hashtag exists yet: inserting them again breaks their unique index.
    existing = dataclasses.replace(await existing_network(resources.db), hashtags={})
    timeline = build_timeline(20, 2, 99, now=NOW, existing=existing)
    with pytest.raises(IntegrityError):
        await write_timeline(resources.db, resources.storage, timeline, "unused-hash")
    async with resources.db.sessions() as session:
        assert await _count(session, select(func.count()).select_from(NetworkPerson)) == people
    media = timeline.rows["network_post_media"]
    assert media
    for row in media:
        assert not await resources.storage.exists(row["storage_key"])
        assert not await resources.storage.exists(row["thumbnail_key"])
