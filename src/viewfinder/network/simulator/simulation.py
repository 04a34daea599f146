"""One simulation run: read what the network holds already, build the timeline, write it, and sum up what was
made. Every simulated person signs in with one known password (`SIMULATOR_PASSWORD`), hashed once per run:
hashing a thousand passwords with argon2 would take most of a minute.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from viewfinder.kit.clock import utcnow
from viewfinder.kit.db import Database
from viewfinder.kit.security import PASSWORD_HASHER
from viewfinder.kit.storage import Storage
from viewfinder.network.simulator.activity import Existing, Timeline, build_timeline
from viewfinder.network.simulator.images import VARIANTS, warm_palette
from viewfinder.network.simulator.population import SIM_EMAIL_DOMAIN, Brand
from viewfinder.network.simulator.vocabulary import TOPICS
from viewfinder.network.simulator.writer import write_timeline
from viewfinder.network.social.models import AccountType, FollowState, LikeTarget, NetworkHashtag, NetworkPerson

SIMULATOR_PASSWORD = "simulated network 2026"  # noqa: S105 - published: it signs in as simulated people
DEFAULT_USERS = 1_000
DEFAULT_DAYS = 30
DEFAULT_SEED = 1
MENTIONABLE_BUSINESSES = 50
WHOLE_PALETTE_FROM = 200  # people


@dataclass
class Summary:
    """What one run made (counts of rows), how long it took, and how to sign in as any simulated person."""

    seed: int
    days: int
    start: str
    end: str
    people: int
    business_accounts: int
    private_accounts: int
    follows: int
    follow_requests: int
    unfollows: int
    posts: int
    media: int
    hashtags: int
    post_hashtags: int
    mentions: int
    likes: int
    comment_likes: int
    comments: int
    replies: int
    notifications: int
    # People tagged on photos (rows), and the posts that tag anyone.
    user_tags: int
    tagged_posts: int
    # Direct messages: threads, messages in them, and threads with messages their recipient has not read.
    message_threads: int
    messages: int
    unread_threads: int
    # What insights count: (post, viewer, day) view rows, profile visits and link taps, follow and unfollow events.
    post_views: int
    profile_visits: int
    link_taps: int
    follow_events: int
    seconds: float
    password: str = SIMULATOR_PASSWORD
    usernames_sample: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def existing_network(database: Database, brand: Brand | None = None) -> Existing:
    """The usernames already taken, the hashtags the vocabulary may reuse, and businesses to mention."""
    names = {tag for topic in TOPICS for tag in topic.hashtags} | set(brand.hashtags if brand else ())
    async with database.sessions() as session:
        usernames = set(await session.scalars(select(NetworkPerson.username_key)))
        # A simulated address belongs to a username; one renamed since still holds its address.
        emails = await session.scalars(
            select(NetworkPerson.email).where(NetworkPerson.email.endswith(f"@{SIM_EMAIL_DOMAIN}"))
        )
        usernames.update(email.split("@")[0] for email in emails)
        businesses = (
            await session.execute(
                select(NetworkPerson.id, NetworkPerson.username_key)
                .where(NetworkPerson.account_type == AccountType.BUSINESS)
                .order_by(NetworkPerson.id)
                .limit(MENTIONABLE_BUSINESSES)
            )
        ).all()
        hashtags = (
            await session.execute(
                select(NetworkHashtag.name, NetworkHashtag.id).where(NetworkHashtag.name.in_(sorted(names)))
            )
        ).all()
    return Existing(
        usernames=frozenset(usernames),
        businesses=tuple((person_id, username) for person_id, username in businesses),
        hashtags=dict(hashtags),
    )


def summarise(timeline: Timeline, seconds: float, timings: dict[str, float], seed: int) -> Summary:
    rows = timeline.rows
    people = rows["network_people"]
    follows = rows["network_follows"]
    likes = rows["network_likes"]
    comments = rows["network_comments"]
    tags = rows["network_user_tags"]
    last_message = {row["id"]: row["last_message_id"] for row in rows["network_message_threads"]}
    # A member has unread messages when their mark is short of the last message (the sender's never is).
    unread = {
        row["thread_id"]
        for row in rows["network_thread_members"]
        if row["last_read_message_id"] != last_message[row["thread_id"]]
    }
    return Summary(
        seed=seed,
        days=(timeline.end - timeline.start).days,
        start=timeline.start.isoformat(),
        end=timeline.end.isoformat(),
        people=len(people),
        business_accounts=sum(row["account_type"] is AccountType.BUSINESS for row in people),
        private_accounts=sum(bool(row["is_private"]) for row in people),
        follows=sum(row["state"] is FollowState.ACTIVE for row in follows),
        follow_requests=sum(row["state"] is FollowState.REQUESTED for row in follows),
        unfollows=timeline.unfollows,
        posts=len(rows["network_posts"]),
        media=len(rows["network_post_media"]),
        hashtags=len({row["hashtag_id"] for row in rows["network_post_hashtags"]}),
        post_hashtags=len(rows["network_post_hashtags"]),
        mentions=len(rows["network_mentions"]),
        likes=sum(row["target_kind"] is LikeTarget.POST for row in likes),
        comment_likes=sum(row["target_kind"] is LikeTarget.COMMENT for row in likes),
        comments=sum(row["parent_id"] is None for row in comments),
        replies=sum(row["parent_id"] is not None for row in comments),
        notifications=len(rows["network_notifications"]),
        user_tags=len(tags),
        tagged_posts=len({row["post_id"] for row in tags}),
        message_threads=len(last_message),
        messages=len(rows["network_messages"]),
        unread_threads=len(unread),
        post_views=len(rows["network_post_views"]),
        profile_visits=sum(row["kind"] == "visit" for row in rows["network_profile_events"]),
        link_taps=sum(row["kind"] == "link_tap" for row in rows["network_profile_events"]),
        follow_events=len(rows["network_follow_events"]),
        seconds=round(seconds, 2),
        usernames_sample=[row["username"] for row in people[:5]],
        timings={name: round(value, 2) for name, value in timings.items()},
    )


async def simulate(
    database: Database,
    storage: Storage,
    *,
    users: int = DEFAULT_USERS,
    days: int = DEFAULT_DAYS,
    seed: int = DEFAULT_SEED,
    now: datetime | None = None,
    brand: Brand | None = None,
) -> Summary:
    """Add `users` simulated people (and the brand, when given) with `days` days of life to the network."""
    started = time.perf_counter()
    existing = await existing_network(database, brand)
    # The hash, the timeline and the pictures are CPU work: off the event loop, side by side (Pillow and argon2
    # release the GIL). A large run uses every picture of the palette; a small one paints only those it needs.
    password_hash = asyncio.to_thread(PASSWORD_HASHER.hash, SIMULATOR_PASSWORD)
    timeline = asyncio.to_thread(build_timeline, users, days, seed, now=now or utcnow(), existing=existing, brand=brand)
    pictures = {(topic, variant) for topic in range(len(TOPICS)) for variant in range(VARIANTS)}
    palette = asyncio.to_thread(warm_palette, pictures if users >= WHOLE_PALETTE_FROM else set())
    hashed, built, _ = await asyncio.gather(password_hash, timeline, palette)
    generated = time.perf_counter() - started
    timings = {"generate": generated, **await write_timeline(database, storage, built, hashed)}
    return summarise(built, time.perf_counter() - started, timings, seed)
