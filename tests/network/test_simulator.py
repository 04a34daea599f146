"""The network simulator: deterministic for a seed, every denormalised count equal to its rows, a heavy-tailed
follow graph, a real time-of-day signal in the likes, user tags and direct messages as the services keep them,
simulated people who can sign in and see their feed, messages and tagged posts, live actions through the
services, and the demo brand made once."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.network.simulator import live
from viewfinder.network.simulator.activity import (
    ACTIVE_HOURS,
    MESSAGES_MAX,
    READ_AFTER,
    Timeline,
    build_timeline,
    local_hour,
    period,
)
from viewfinder.network.simulator.demo import LUMEN, set_up_network_demo
from viewfinder.network.simulator.live import Action, run_live
from viewfinder.network.simulator.population import make_people
from viewfinder.network.simulator.simulation import (
    SIMULATOR_PASSWORD,
    Summary,
    existing_network,
    simulate,
    summarise,
)
from viewfinder.network.simulator.writer import write_timeline
from viewfinder.network.social.captions import parse_caption
from viewfinder.network.social.ids import EPOCH_MS, RANDOM_BITS, id_at, new_id
from viewfinder.network.social.models import (
    AccountType,
    FollowState,
    LikeTarget,
    NetworkComment,
    NetworkFollow,
    NetworkHashtag,
    NetworkLike,
    NetworkMention,
    NetworkMessage,
    NetworkMessageThread,
    NetworkNotification,
    NetworkPerson,
    NetworkPost,
    NetworkPostHashtag,
    NetworkPostMedia,
    NetworkThreadMember,
    NetworkUserTag,
    NotificationKind,
)
from viewfinder.network.social.service.tags import MAX_USER_TAGS

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


async def _grouped_max(session: AsyncSession, column: Any, value: Any) -> dict[int, int]:
    """MAX(value) of the rows for each value of `column`."""
    rows = await session.execute(select(column, func.max(value)).group_by(column))
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

        await _assert_tags_consistent(session, people, posts)
        await _assert_messages_consistent(session)

        # Every media row's files are stored under its own keys.
        storage = app.state.resources.storage
        for media in (await session.scalars(select(NetworkPostMedia).limit(30))).all():
            assert media.storage_key.startswith(f"network/posts/{media.post_id}/")
            assert await storage.exists(media.storage_key)
            assert await storage.exists(media.thumbnail_key)
            assert media.width == 1080
            assert media.thumbnail_width == 320


async def _assert_tags_consistent(
    session: AsyncSession, people: Sequence[NetworkPerson], posts: Sequence[NetworkPost]
) -> None:
    """User tags point at people other than the post's author, each once, at most 20 a post, at a point of one of
    the post's images; each tag is told to its person by exactly one TAG notification."""
    tag = NetworkUserTag
    tags = (await session.execute(select(tag.post_id, tag.person_id, tag.media_position, tag.x, tag.y))).all()
    post_by_id = {post.id: post for post in posts}
    person_ids = {person.id for person in people}
    assert max(Counter(post_id for post_id, *_ in tags).values(), default=0) <= MAX_USER_TAGS
    for post_id, person_id, position, x, y in tags:
        post = post_by_id[post_id]
        assert person_id in person_ids
        assert person_id != post.author_id
        assert 0 <= position < post.media_count
        assert x is not None
        assert 0 <= x <= 1
        assert y is not None
        assert 0 <= y <= 1
    notification = NetworkNotification
    told = await session.execute(
        select(notification.recipient_id, notification.actor_id, notification.post_id).where(
            notification.kind == NotificationKind.TAG
        )
    )
    assert sorted(tuple(row) for row in told) == sorted(
        (person_id, post_by_id[post_id].author_id, post_id) for post_id, person_id, *_ in tags
    )


async def _assert_messages_consistent(session: AsyncSession) -> None:
    """A thread's last_message_id is its newest message; its members are the two people of its pair_key; read
    marks never pass the last message, and the last message's sender has read up to it; ids follow time."""
    threads = (await session.scalars(select(NetworkMessageThread))).all()
    newest = await _grouped_max(session, NetworkMessage.thread_id, NetworkMessage.id)
    marks: dict[int, dict[int, int | None]] = {}
    member = NetworkThreadMember
    for thread_id, person_id, mark in await session.execute(
        select(member.thread_id, member.person_id, member.last_read_message_id)
    ):
        marks.setdefault(thread_id, {})[person_id] = mark
    senders = {
        message.thread_id: message.sender_id
        for message in (
            await session.scalars(
                select(NetworkMessage).join(
                    NetworkMessageThread, NetworkMessageThread.last_message_id == NetworkMessage.id
                )
            )
        ).all()
    }
    for thread in threads:
        assert thread.last_message_id == newest.get(thread.id)
        smaller, larger = (int(part) for part in thread.pair_key.split(":"))
        assert smaller < larger
        assert set(marks[thread.id]) == {smaller, larger}
        last = thread.last_message_id
        if last is None:
            continue
        assert all(mark is None or mark <= last for mark in marks[thread.id].values())
        assert marks[thread.id][senders[thread.id]] == last
    messages = (
        await session.execute(
            select(NetworkMessage.thread_id, NetworkMessage.sender_id, NetworkMessage.created_at).order_by(
                NetworkMessage.thread_id, NetworkMessage.id
            )
        )
    ).all()
    for (thread_id, sender_id, sent_at), (next_thread_id, _, next_sent_at) in itertools.pairwise(messages):
        assert sender_id in marks[thread_id]
        if thread_id == next_thread_id:
            assert sent_at <= next_sent_at


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
            [(tag["media_position"], tag["x"], tag["y"]) for tag in rows["network_user_tags"]],
            [(message["text"], message["created_at"]) for message in rows["network_messages"]],
            [member["last_read_message_id"] is None for member in rows["network_thread_members"]],
        )  # fmt: skip

    first = fingerprint(11)
    assert first == fingerprint(11)
    assert first != fingerprint(12)
    usernames = first[0]
    assert len(set(usernames)) == len(usernames) == 60


def _active_follows(timeline: Timeline) -> set[tuple[int, int]]:
    return {
        (row["follower_id"], row["followee_id"])
        for row in timeline.rows["network_follows"]
        if row["state"] is FollowState.ACTIVE
    }


def test_ordinary_people_tag_businesses_and_people_they_follow() -> None:
    timeline = build_timeline(300, 14, 8, now=NOW)
    rows = timeline.rows
    people = {person.id: person for person in timeline.people}
    posts = {post["id"]: post for post in rows["network_posts"]}
    follows = _active_follows(timeline)
    tags = rows["network_user_tags"]
    tagged_of: dict[int, list[int]] = {}
    for tag in tags:
        tagged_of.setdefault(tag["post_id"], []).append(tag["person_id"])
    assert len(tagged_of) >= 40, len(tagged_of)
    friends = 0
    for post_id, tagged in tagged_of.items():
        author = posts[post_id]["author_id"]
        assert people[author].account_type is not AccountType.BUSINESS
        assert author not in tagged
        assert len(tagged) == len(set(tagged)) <= MAX_USER_TAGS
        kinds = [people[person_id].account_type for person_id in tagged]
        assert kinds[0] is AccountType.BUSINESS  # one or two businesses, then perhaps friends
        assert sum(kind is AccountType.BUSINESS for kind in kinds) >= 1
        for person_id in tagged[1:]:
            if people[person_id].account_type is not AccountType.BUSINESS:
                assert (author, person_id) in follows
                friends += 1
    assert friends > 0
    # A tagged person is told when the post goes out; what is older than two days has been read.
    told = [row for row in rows["network_notifications"] if row["kind"] is NotificationKind.TAG]
    expected = sorted((tag["person_id"], posts[tag["post_id"]]["author_id"], tag["post_id"]) for tag in tags)
    assert sorted((row["recipient_id"], row["actor_id"], row["post_id"]) for row in told) == expected
    for row in told:
        assert row["created_at"] == posts[row["post_id"]]["created_at"]
        assert (row["read_at"] is None) == (row["created_at"] >= timeline.end - READ_AFTER)
    summary = summarise(timeline, 1.0, {}, 8)
    assert summary.user_tags == len(tags)
    assert summary.tagged_posts == len(tagged_of)


def test_people_who_follow_each_other_talk_at_their_active_hours() -> None:
    timeline = build_timeline(300, 14, 8, now=NOW)
    rows = timeline.rows
    people = {person.id: person for person in timeline.people}
    follows = _active_follows(timeline)
    threads = rows["network_message_threads"]
    assert len(threads) >= 30, len(threads)
    messages_of: dict[int, list[dict[str, Any]]] = {}
    for message in rows["network_messages"]:
        messages_of.setdefault(message["thread_id"], []).append(message)
    marks: dict[int, dict[int, int | None]] = {}
    for member in rows["network_thread_members"]:
        marks.setdefault(member["thread_id"], {})[member["person_id"]] = member["last_read_message_id"]
    unread = 0
    for thread in threads:
        first, second = (int(part) for part in thread["pair_key"].split(":"))
        assert first < second
        assert (first, second) in follows
        assert (second, first) in follows
        assert set(marks[thread["id"]]) == {first, second}
        messages = messages_of[thread["id"]]
        assert 1 <= len(messages) <= MESSAGES_MAX
        ids = [message["id"] for message in messages]
        times = [message["created_at"] for message in messages]
        assert ids == sorted(ids)
        assert times == sorted(times)
        assert thread["last_message_id"] == max(ids)
        assert thread["created_at"] == times[0]
        # People write to businesses, not the other way round.
        starter = people[messages[0]["sender_id"]]
        if starter.account_type is AccountType.BUSINESS:
            assert {people[first].account_type, people[second].account_type} == {AccountType.BUSINESS}
        for message in messages:
            assert message["sender_id"] in (first, second)
            assert timeline.start <= message["created_at"] < timeline.end
            assert local_hour(people[message["sender_id"]], message["created_at"]) in ACTIVE_HOURS
            assert 0 < len(message["text"]) <= 1000
        # The last sender has read it all; the other all of it, or up to their own last message (or nothing).
        last_sender = messages[-1]["sender_id"]
        assert marks[thread["id"]][last_sender] == thread["last_message_id"]
        other = first if last_sender == second else second
        own = [message["id"] for message in messages if message["sender_id"] == other]
        if marks[thread["id"]][other] != thread["last_message_id"]:
            unread += 1
            assert marks[thread["id"]][other] == (max(own) if own else None)
    # Mostly read, some not yet.
    assert 0 < unread < 0.5 * len(threads), (unread, len(threads))
    summary = summarise(timeline, 1.0, {}, 8)
    assert (summary.message_threads, summary.messages, summary.unread_threads) == (
        len(threads),
        len(rows["network_messages"]),
        unread,
    )


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
    assert summary.user_tags > 0
    assert summary.messages > summary.message_threads > summary.unread_threads > 0
    async with app.state.resources.db.sessions() as session:
        assert await _count(session, select(func.count()).select_from(NetworkPerson)) == 80
        assert await _count(session, select(func.count()).select_from(NetworkPost)) == summary.posts
        likes = select(func.count()).select_from(NetworkLike).where(NetworkLike.target_kind == LikeTarget.POST)
        assert await _count(session, likes) == summary.likes
        assert await _count(session, select(func.count()).select_from(NetworkUserTag)) == summary.user_tags
        tagged = select(func.count(NetworkUserTag.post_id.distinct()))
        assert await _count(session, tagged) == summary.tagged_posts
        threads = select(func.count()).select_from(NetworkMessageThread)
        assert await _count(session, threads) == summary.message_threads
        assert await _count(session, select(func.count()).select_from(NetworkMessage)) == summary.messages
        kinds = set(await session.scalars(select(NetworkNotification.kind).distinct()))
        assert {NotificationKind.COMMENT, NotificationKind.MENTION, NotificationKind.TAG} <= kinds
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


async def _sign_in(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    signed_in = await client.post(f"{API}/auth/login", json={"login": username, "password": SIMULATOR_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    client.cookies.clear()  # the bearer token alone
    return {"Authorization": f"Bearer {signed_in.json()['access_token']}"}


@pytest.mark.anyio
async def test_a_simulated_person_reads_their_messages(client: httpx.AsyncClient, app: FastAPI) -> None:
    await _simulate(app, seed=5)
    member = NetworkThreadMember
    async with app.state.resources.db.sessions() as session:
        # The person in most conversations.
        person_id, username = (
            await session.execute(
                select(member.person_id, NetworkPerson.username)
                .join(NetworkPerson, NetworkPerson.id == member.person_id)
                .group_by(member.person_id, NetworkPerson.username)
                .order_by(func.count().desc(), member.person_id)
                .limit(1)
            )
        ).one()
        threads = (
            await session.execute(
                select(NetworkMessageThread, member.last_read_message_id)
                .join(member, member.thread_id == NetworkMessageThread.id)
                .where(member.person_id == person_id)
                .order_by(NetworkMessageThread.last_message_id.desc())
            )
        ).all()
        unread: dict[int, int] = {}
        for thread, mark in threads:
            unread[thread.id] = await _count(
                session,
                select(func.count()).where(
                    NetworkMessage.thread_id == thread.id,
                    NetworkMessage.sender_id != person_id,
                    NetworkMessage.id > (mark or 0),
                ),
            )
    assert len(threads) >= 2
    headers = await _sign_in(client, username)
    listed = await client.get(f"{API}/messages/threads", params={"limit": 100}, headers=headers)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [int(item["id"]) for item in items] == [thread.id for thread, _ in threads]
    for item, (thread, _) in zip(items, threads, strict=True):
        assert int(item["last_message"]["id"]) == thread.last_message_id
        assert item["unread_count"] == unread[thread.id]
        assert str(person_id) in thread.pair_key.split(":")
        assert item["other"]["username"] != username
    count = await client.get(f"{API}/messages/unread-count", headers=headers)
    assert count.status_code == 200, count.text
    assert count.json()["unread_count"] == sum(1 for value in unread.values() if value)
    first = items[0]
    shown = await client.get(f"{API}/messages/threads/{first['id']}/messages", headers=headers)
    assert shown.status_code == 200, shown.text
    assert shown.json()["items"][0]["id"] == first["last_message"]["id"]


@pytest.mark.anyio
async def test_a_business_shows_the_posts_it_is_tagged_in(client: httpx.AsyncClient, app: FastAPI) -> None:
    await _simulate(app, users=120, seed=5)
    tag, author = NetworkUserTag, NetworkPerson.__table__.alias("author")
    async with app.state.resources.db.sessions() as session:
        # The business tagged on most posts of public accounts, and those posts.
        business_id, username = (
            await session.execute(
                select(tag.person_id, NetworkPerson.username)
                .join(NetworkPerson, NetworkPerson.id == tag.person_id)
                .join(NetworkPost, NetworkPost.id == tag.post_id)
                .join(author, author.c.id == NetworkPost.author_id)
                .where(NetworkPerson.account_type == AccountType.BUSINESS, author.c.is_private.is_(False))
                .group_by(tag.person_id, NetworkPerson.username)
                .order_by(func.count().desc(), tag.person_id)
                .limit(1)
            )
        ).one()
        expected = list(
            await session.scalars(
                select(tag.post_id)
                .join(NetworkPost, NetworkPost.id == tag.post_id)
                .join(author, author.c.id == NetworkPost.author_id)
                .where(tag.person_id == business_id, author.c.is_private.is_(False))
                .order_by(tag.post_id.desc())
            )
        )
    assert 2 <= len(expected) <= 100
    grid = await client.get(f"{API}/people/{username}/tagged", params={"limit": 100})
    assert grid.status_code == 200, grid.text
    assert [int(item["id"]) for item in grid.json()["items"]] == expected


@pytest.mark.anyio
async def test_live_actions_go_through_the_services_and_keep_counts(app: FastAPI) -> None:
    await _simulate(app, users=40, days=3)
    resources = app.state.resources
    seen: list[Action] = []
    summary = await run_live(resources.db, resources.storage, rate=25, duration=1.5, seed=5, on_action=seen.append)
    assert sum(summary.actions.values()) + summary.refused == len(seen) >= 5
    assert sum(summary.actions.values()) >= 1
    assert Counter(action.kind for action in seen).keys() <= {
        "like",
        "comment",
        "post",
        "follow",
        "unfollow",
        "message",
    }
    await assert_consistent(app)


@pytest.mark.anyio
async def test_live_posts_tag_businesses_and_live_messages_go_to_mutual_follows(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _simulate(app, users=40, days=3)
    resources = app.state.resources
    async with resources.db.sessions() as session:
        messages_before = await _count(session, select(func.count()).select_from(NetworkMessage))
    monkeypatch.setattr(live, "TAG_SHARE", 1.0)
    seen: list[Action] = []
    summary = await run_live(
        resources.db, resources.storage, rate=10, duration=3, seed=8, on_action=seen.append,
        actions={"post": 1, "message": 1},
    )  # fmt: skip
    assert summary.actions["post"] >= 1
    assert summary.actions["message"] >= 1
    posted = [int(action.target.split()[2]) for action in seen if action.kind == "post" and not action.refused]
    assert all(" tagging @" in action.target for action in seen if action.kind == "post" and not action.refused)
    async with resources.db.sessions() as session:
        tagged = await session.execute(
            select(NetworkUserTag.post_id, NetworkPerson.account_type)
            .join(NetworkPerson, NetworkPerson.id == NetworkUserTag.person_id)
            .where(NetworkUserTag.post_id.in_(posted))
        )
        assert sorted(tuple(row) for row in tagged) == sorted((post_id, AccountType.BUSINESS) for post_id in posted)
        messages_after = await _count(session, select(func.count()).select_from(NetworkMessage))
        assert messages_after == messages_before + summary.actions["message"]
        # Each message went to someone the sender follows and who follows them back.
        newest = (
            await session.execute(
                select(NetworkMessage.sender_id, NetworkMessageThread.pair_key)
                .join(NetworkMessageThread, NetworkMessageThread.id == NetworkMessage.thread_id)
                .order_by(NetworkMessage.id.desc())
                .limit(summary.actions["message"])
            )
        ).all()
        active = select(NetworkFollow.follower_id, NetworkFollow.followee_id).where(
            NetworkFollow.state == FollowState.ACTIVE
        )
        follows = {(follower, followee) for follower, followee in await session.execute(active)}
        for sender_id, key in newest:
            other = next(int(part) for part in key.split(":") if int(part) != sender_id)
            assert (sender_id, other) in follows
            assert (other, sender_id) in follows
    await assert_consistent(app)


@pytest.mark.anyio
async def test_live_refuses_actions_it_does_not_know(app: FastAPI) -> None:
    resources = app.state.resources
    for actions in ({"dance": 1}, {"like": 0}, {"like": -1, "post": 2}):
        with pytest.raises(ValueError, match="actions"):
            await run_live(resources.db, resources.storage, rate=1, duration=0, actions=actions)


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
        # Its regulars tag it on their photos too.
        tagged = select(func.count()).select_from(NetworkUserTag).where(NetworkUserTag.person_id == brand.id)
        assert await _count(session, tagged) > 0
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
    assert {"user_tags", "tagged_posts", "message_threads", "messages", "unread_threads"} <= summary.keys()
    assert summary["messages"] >= summary["message_threads"] >= summary["unread_threads"] >= 0


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
