"""Live activity: simulated people keep posting (with a generated picture, sometimes tagging a business
account), liking, commenting, following, unfollowing and messaging the people who follow them back, at a steady
rate, each action through the network's own services in its own unit of work, exactly as if they used the app,
so that notifications, counts, read marks and everything else stay as the services keep them.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
from sqlalchemy import exists, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from viewfinder.kit.clock import utcnow
from viewfinder.kit.db import Database
from viewfinder.kit.errors import AppError, NotFound
from viewfinder.kit.storage import Storage
from viewfinder.network.simulator.images import VARIANTS, palette_image
from viewfinder.network.simulator.population import SIM_EMAIL_DOMAIN
from viewfinder.network.simulator.vocabulary import (
    EMOJI,
    GENERIC_COMMENTS,
    MESSAGE_ANSWERS,
    MESSAGE_LINES,
    MESSAGE_OPENERS,
    TOPICS,
)
from viewfinder.network.social.models import AccountType, FollowState, NetworkFollow, NetworkPerson, NetworkPost
from viewfinder.network.social.service import activity, interactions, people, posts
from viewfinder.network.social.service import messages as direct_messages

# How often each action comes up.
ACTIONS = {"like": 50, "comment": 15, "post": 10, "follow": 15, "unfollow": 10, "message": 10}
ACTORS = 5_000
RECENT_POSTS = 50
# Of the posts made live, the share tagging a business account (at a point of the picture).
TAG_SHARE = 0.3
TAGGABLE_BUSINESSES = 50


@dataclass(frozen=True)
class Action:
    kind: str
    actor: str
    target: str
    # Why the network refused it (a private account's post, say); empty when it was done.
    refused: str = ""

    def line(self) -> str:
        at = utcnow().strftime("%H:%M:%S")
        done = f"refused: {self.refused}" if self.refused else "ok"
        return f"{at}  {self.kind:<8} @{self.actor} → {self.target}  {done}"


@dataclass
class LiveSummary:
    actions: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"actions": dict(self.actions), "refused": self.refused, "seconds": round(self.seconds, 2)}


async def _actors(database: Database) -> list[tuple[int, str]]:
    async with database.sessions() as session:
        rows = await session.execute(
            select(NetworkPerson.id, NetworkPerson.username)
            .where(NetworkPerson.email.endswith(f"@{SIM_EMAIL_DOMAIN}"))
            .order_by(NetworkPerson.id)
            .limit(ACTORS)
        )
        return [(person_id, username) for person_id, username in rows]


async def _a_post_for(session: AsyncSession, rng: random.Random, actor: NetworkPerson) -> int | None:
    """A recent post of someone the actor follows, else a recent public one."""
    followed = await session.scalars(
        select(NetworkPost.id)
        .join(NetworkFollow, NetworkFollow.followee_id == NetworkPost.author_id)
        .where(NetworkFollow.follower_id == actor.id, NetworkFollow.state == FollowState.ACTIVE)
        .order_by(NetworkPost.id.desc())
        .limit(RECENT_POSTS)
    )
    candidates = list(followed)
    if not candidates:
        candidates = list(
            await session.scalars(
                select(NetworkPost.id)
                .join(NetworkPerson, NetworkPerson.id == NetworkPost.author_id)
                .where(NetworkPerson.is_private.is_(False), NetworkPost.author_id != actor.id)
                .order_by(NetworkPost.id.desc())
                .limit(RECENT_POSTS)
            )
        )
    return rng.choice(candidates) if candidates else None


async def _a_business_for(session: AsyncSession, rng: random.Random, actor: NetworkPerson) -> str | None:
    """A business account's username for the actor to tag, when there is one."""
    candidates = list(
        await session.scalars(
            select(NetworkPerson.username)
            .where(NetworkPerson.account_type == AccountType.BUSINESS, NetworkPerson.id != actor.id)
            .order_by(NetworkPerson.id)
            .limit(TAGGABLE_BUSINESSES)
        )
    )
    return rng.choice(candidates) if candidates else None


async def _post(session: AsyncSession, storage: Storage, rng: random.Random, actor: NetworkPerson) -> str:
    topic = TOPICS[rng.randrange(len(TOPICS))]
    # Painting a picture the first time takes a moment of CPU: not on the event loop.
    image = await anyio.to_thread.run_sync(palette_image, TOPICS.index(topic), rng.randrange(VARIANTS))
    tags = " ".join(f"#{tag}" for tag in rng.sample(topic.hashtags, rng.randint(1, 6)))
    caption = f"{rng.choice(topic.captions)}{rng.choice(EMOJI)}\n\n{tags}"
    business = await _a_business_for(session, rng, actor) if rng.random() < TAG_SHARE else None
    # As the app sends them: a JSON array of {username, x, y} (the point as fractions of the picture).
    user_tags = (
        json.dumps([{"username": business, "x": round(rng.uniform(0.1, 0.9), 3), "y": round(rng.uniform(0.1, 0.9), 3)}])
        if business
        else None
    )
    post = await posts.create_post(
        session,
        storage,
        actor,
        uploads=[posts.Upload(image.jpeg)],
        caption=caption,
        location=None,
        alt_texts=None,
        user_tags=user_tags,
    )
    return f"new post {post.id}" + (f" tagging @{business}" if business else "")


async def _message(session: AsyncSession, rng: random.Random, actor: NetworkPerson) -> str:
    """A message to someone the actor follows who follows them back, in their thread (begun if need be)."""
    back = aliased(NetworkFollow)
    they_follow_back = exists().where(
        back.follower_id == NetworkPerson.id, back.followee_id == actor.id, back.state == FollowState.ACTIVE
    )
    mutual = list(
        await session.scalars(
            select(NetworkPerson.username)
            .join(NetworkFollow, NetworkFollow.followee_id == NetworkPerson.id)
            .where(NetworkFollow.follower_id == actor.id, NetworkFollow.state == FollowState.ACTIVE, they_follow_back)
            .order_by(NetworkFollow.id.desc())
            .limit(RECENT_POSTS)
        )
    )
    if not mutual:
        raise NotFound("nobody follows back to message")
    username = rng.choice(mutual)
    view = await direct_messages.open_thread(session, actor, username)
    opening = view.last_message is None
    text = rng.choice(MESSAGE_OPENERS if opening else MESSAGE_LINES + MESSAGE_ANSWERS)
    topic = TOPICS[rng.randrange(len(TOPICS))]
    await direct_messages.send_message(session, actor, str(view.thread.id), text.format(topic=topic.name))
    return f"@{username}"


async def _act(
    session: AsyncSession,
    storage: Storage,
    rng: random.Random,
    kind: str,
    actor: NetworkPerson,
    actors: list[tuple[int, str]],
) -> str:
    """Do one action as the actor; answer what it was done to."""
    topic = TOPICS[rng.randrange(len(TOPICS))]
    if kind in {"like", "comment"}:
        post_id = await _a_post_for(session, rng, actor)
        if post_id is None:
            raise NotFound("no post to react to")
        author_id = await session.scalar(select(NetworkPost.author_id).where(NetworkPost.id == post_id))
        if author_id is not None:  # whoever reacts to a post saw it: insights count the view
            await activity.record_views(session, actor.id, [(post_id, author_id)])
        if kind == "like":
            await interactions.like_post(session, actor, str(post_id))
        else:
            text = rng.choice(topic.comments + GENERIC_COMMENTS) + rng.choice(EMOJI)
            await interactions.create_comment(session, actor, str(post_id), text=text, reply_to=None)
        return f"post {post_id}"
    if kind == "post":
        return await _post(session, storage, rng, actor)
    if kind == "message":
        return await _message(session, rng, actor)
    if kind == "follow":
        _, username = rng.choice([entry for entry in actors if entry[0] != actor.id] or actors)
        state, _ = await people.follow(session, actor, username)
        return f"@{username} ({state.value})"
    followed = list(
        await session.scalars(
            select(NetworkPerson.username)
            .join(NetworkFollow, NetworkFollow.followee_id == NetworkPerson.id)
            .where(NetworkFollow.follower_id == actor.id)
            .order_by(NetworkFollow.id.desc())
            .limit(RECENT_POSTS)
        )
    )
    if not followed:
        raise NotFound("follows nobody")
    username = rng.choice(followed)
    await people.unfollow(session, actor, username)
    return f"@{username}"


async def run_live(
    database: Database,
    storage: Storage,
    *,
    rate: float,
    duration: float | None,
    seed: int | None = None,
    on_action: Callable[[Action], None] | None = None,
    summary: LiveSummary | None = None,
    actions: Mapping[str, int] | None = None,
) -> LiveSummary:
    """Act `rate` times a second until `duration` seconds have passed (or for ever, until cancelled); what was
    done adds up in `summary` (given by a caller that wants it even when interrupted). Without a seed each run
    makes different choices: a repeated run should not repeat the same likes and follows. `actions` weighs the
    kinds of action (`ACTIONS` when not given)."""
    weighed = dict(actions if actions is not None else ACTIONS)
    if set(weighed) - set(ACTIONS) or any(weight < 0 for weight in weighed.values()) or not any(weighed.values()):
        raise ValueError(f"actions: weights of {sorted(ACTIONS)}, at least one of them above zero")
    kinds, weights = list(weighed), list(weighed.values())
    actors = await _actors(database)
    if not actors:
        raise NotFound("There are no simulated people to act as: run `viewfinder network simulate` first.")
    rng = random.Random(seed)  # noqa: S311 - a simulation, reproducible by its seed
    summary = summary if summary is not None else LiveSummary()
    started = time.monotonic()
    next_at = started
    try:
        while duration is None or time.monotonic() - started < duration:
            kind = rng.choices(kinds, weights=weights)[0]
            actor_id, username = rng.choice(actors)
            try:
                async with database.unit_of_work() as session:
                    actor = await session.get(NetworkPerson, actor_id)
                    if actor is None:
                        raise NotFound("the person is gone")
                    target = await _act(session, storage, rng, kind, actor, actors)
                action = Action(kind, username, target)
                summary.actions[kind] += 1
            except AppError as error:  # refused by the network's rules: as a person would be, and go on
                action = Action(kind, username, "", refused=error.detail)
                summary.refused += 1
            except SQLAlchemyError as error:
                # A write that lost a race with the app's own traffic (a lock held too long, a row gone since
                # it was picked) is rolled back whole; a long live run goes on with the next action.
                action = Action(kind, username, "", refused=f"database: {type(error).__name__}")
                summary.refused += 1
            if on_action is not None:
                on_action(action)
            next_at += 1 / rate
            await anyio.sleep(max(0.0, next_at - time.monotonic()))
    finally:
        summary.seconds = time.monotonic() - started
    return summary
