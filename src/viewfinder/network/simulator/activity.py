"""The simulated timeline: from a population and a seed, every row the network would hold after D days of life
(people, follows, posts with media, hashtags, mentions and user tags, likes, comments and replies, direct
messages, notifications), with every count already equal to its rows. Pure computation: nothing here touches
the database (see `writer`).

The period ends at the last UTC midnight and starts D days before, so one seed gives the same people, captions
and counts whatever the hour of the run. Likes and comments on a post come from the author's followers (those
who followed before it went out); how many grows with the followers, the post's quality and how active that
audience is at the post's hour in each follower's own time zone, which gives "best time to post" a real signal.

Some posts of ordinary people tag business accounts (a brand's fans, their brand) and friends at a point of an
image, as the tags service allows (never oneself, each person once, at most 20). People who follow each other
talk in direct messages, each message at an active hour of its sender's clock, with read marks kept as the
messages service keeps them: the thread's `last_message_id` is its newest message, a sender has read up to their
own message, and the recipient of a recent thread has often not read it yet. Tags and messages draw from
generators of their own (derived from the seed), so adding them left the people, posts, likes and comments of a
seed as they were.

What insights count comes last, from a generator of its own too: each person's age, gender, city and country
(the city from their time zone); the posts people saw (everyone who liked or commented, many of the author's
followers within hours of posting, and people browsing the post's topic), profile visits and website taps of
some of those viewers, and follow and unfollow events for the follows made and ended during the period.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from viewfinder.network.simulator.images import VARIANTS
from viewfinder.network.simulator.population import Brand, SimPerson, grow_follows, make_people
from viewfinder.network.simulator.vocabulary import (
    AGES,
    BUSINESS_ANSWERS,
    BUSINESS_QUESTIONS,
    CURVE_MEAN,
    DAILY_CURVE,
    EMOJI,
    GENERIC_COMMENTS,
    MESSAGE_ANSWERS,
    MESSAGE_CLOSERS,
    MESSAGE_LINES,
    MESSAGE_OPENERS,
    PLACES,
    REPLIES,
    TOPICS,
)
from viewfinder.network.social.captions import parse_caption
from viewfinder.network.social.ids import EPOCH_MS, id_at
from viewfinder.network.social.models import AccountType, FollowState, LikeTarget, NotificationKind
from viewfinder.network.social.service.messages import pair_key
from viewfinder.network.social.service.posts import media_keys
from viewfinder.network.social.service.tags import MAX_USER_TAGS

Row = dict[str, Any]

# Each follower who sees a post likes it with about this chance (times the post's quality and the hour's
# activity), and comments with the second.
LIKE_RATE = 0.10
COMMENT_RATE = 0.012
REPLY_SHARE = 0.35  # of comments, answered by the post's author
COMMENT_LIKE_SHARE = 0.3  # of comments, liked by the post's author
# Of a person's posts, the share placed by the daily curve (the rest at any hour, so night posts exist too).
HABIT_SHARE = 0.55
# How much the audience's activity at the post's hour matters: a post at the quietest hour still gets this
# share of the likes it would get at an average one (it stays in the feed for the morning).
ALWAYS_SEEN = 0.15
GROWTH_SHARE = 0.12  # of the follows, made during the period (the rest before it)
CHURN_SHARE = 0.04  # of the follows, ended during the period (no row is left of them)
REQUEST_SHARE = 0.2  # of the follows of private accounts, still waiting to be accepted
CAROUSEL_SHARE = 0.18
FAN_MENTION_SHARE = 0.08  # of a brand's followers' posts, tagging the brand
LOCATION_SHARE = 0.3
# Likes notify only in the last days, so that the notifications table stays small; older ones were read.
LIKE_NOTIFICATION_DAYS = 2
READ_AFTER = timedelta(days=2)
TAG_SHARE = 0.15  # of ordinary people's posts, tagging one or two business accounts
FAN_TAG_SHARE = 0.25  # of a brand's followers' posts (the brand is then the likelier business)
FRIEND_TAG_SHARE = 0.35  # of the posts with tags, also tagging one or two people their author follows
# Of the pairs who follow each other, the share who talk in direct messages over a long period (fewer in a few
# days: 1 - e^(-days / CONVERSATION_DAYS) of this share).
CONVERSATION_SHARE = 0.5
CONVERSATION_DAYS = 10
MESSAGES_MEAN = 3.5  # after the first, capped at MESSAGES_MAX in all
MESSAGES_MAX = 16
ANSWER_SHARE = 0.75  # of the messages after the first, sent by the other person
LATER_SHARE = 0.12  # of the messages after the first, sent a day or so later rather than in the same chat
# Of the threads whose last message came in the last READ_AFTER, the share its recipient has not read yet; of
# older threads, a few.
UNREAD_RECENT = 0.5
UNREAD_OLDER = 0.06
# The local hours someone sends messages at: when they are on the app at all (7:00 to midnight).
ACTIVE_HOURS = tuple(hour for hour in range(24) if DAILY_CURVE[hour] >= 0.4)
# Of a post's followers (those following when it went out), the share who see it, within hours; of those, the
# share who see it once more that day.
SEEN_SHARE = 0.3
SEEN_AGAIN_SHARE = 0.2
BROWSERS_MEAN = 2.0  # people browsing the post's topic (its hashtags, explore) who see it, times the author's appeal
# Of the viewers, the share who open the author's profile then (followers seldom do), and of those visiting a
# profile with a website, the share who tap its link.
FOLLOWER_VISIT_SHARE = 0.01
BROWSER_VISIT_SHARE = 0.08
LINK_TAP_SHARE = 0.12
GENDERS = (("F", 49), ("M", 47), ("U", 4))
_EARLIEST = datetime.fromtimestamp(EPOCH_MS / 1000, UTC) + timedelta(days=1)


@dataclass(frozen=True)
class Existing:
    """What is in the network already: the simulator must not clash with it, and may mention its businesses."""

    usernames: frozenset[str] = frozenset()
    businesses: tuple[tuple[int, str], ...] = ()  # (id, username)
    hashtags: dict[str, int] = field(default_factory=dict)  # name → id


@dataclass
class Timeline:
    start: datetime
    end: datetime
    people: list[SimPerson]
    # Table name → rows (plain dicts for `insert()`), in an order the foreign keys accept.
    rows: dict[str, list[Row]]
    # The media rows' pictures: media id → (topic, variant) of the palette (see `images`).
    art: dict[int, tuple[int, int]]
    unfollows: int


class _Ids:
    """Ids of their rows' instants, never one twice (two rows of one millisecond get different low bits)."""

    def __init__(self) -> None:
        self.used: set[int] = set()
        # Not the simulation's generator: ids differ from run to run, the simulated content does not.
        self.low_bits = random.Random()  # noqa: S311 - ids need no secrecy

    def at(self, when: datetime) -> int:
        while True:
            value = id_at(when, rng=self.low_bits)
            if value not in self.used:
                self.used.add(value)
                return value


def _ms(moment: datetime) -> datetime:
    """Whole milliseconds: ids carry milliseconds, so rows of one millisecond have one created_at."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _later(rng: random.Random, moment: datetime, mean_seconds: float, minimum: float = 30) -> datetime:
    return _ms(moment + timedelta(seconds=minimum + rng.expovariate(1 / mean_seconds)))


def _binomial(rng: random.Random, trials: int, chance: float) -> int:
    """How many of `trials` succeed, each with `chance` (the normal approximation for many trials)."""
    if trials < 30:
        return sum(rng.random() < chance for _ in range(trials))
    mean = trials * chance
    return min(trials, max(0, round(rng.gauss(mean, math.sqrt(mean * (1 - chance))))))


def local_hour(person: SimPerson, moment: datetime) -> int:
    """The hour (0–23) on the person's clock at a UTC instant."""
    return int((moment.hour + moment.minute / 60 + person.offset_hours) % 24)


class _Builder:
    def __init__(
        self,
        rng: random.Random,
        people: list[SimPerson],
        existing: Existing,
        start: datetime,
        end: datetime,
        *,
        tag_rng: random.Random,
        message_rng: random.Random,
        insight_rng: random.Random,
    ):
        self.rng, self.people, self.existing, self.start, self.end = rng, people, existing, start, end
        self.tag_rng, self.message_rng, self.insight_rng = tag_rng, message_rng, insight_rng
        self.ids = _Ids()
        self.rows: dict[str, list[Row]] = {
            name: []
            for name in (
                "network_people",
                "network_follows",
                "network_hashtags",
                "network_posts",
                "network_post_media",
                "network_post_hashtags",
                "network_mentions",
                "network_user_tags",
                "network_comments",
                "network_likes",
                "network_notifications",
                "network_message_threads",
                "network_thread_members",
                "network_messages",
                "network_post_views",
                "network_profile_events",
                "network_follow_events",
            )
        }
        # Follows made and ended within the period (follower, followee ids): their events come with the activity.
        self.churned: list[tuple[int, int]] = []
        self.demographics: dict[int, Row] = {}
        self.replies: list[Row] = []  # inserted after the top-level comments they answer
        self.art: dict[int, tuple[int, int]] = {}
        self.by_username = {person.username: person.id for person in people}
        self.by_username.update({username: person_id for person_id, username in existing.businesses})
        self.followers: list[list[tuple[datetime, int]]] = [[] for _ in people]
        self.following: list[list[int]] = [[] for _ in people]
        self.counts: Counter[tuple[int, str]] = Counter()
        self.hashtag_first_use: dict[str, datetime] = {}
        self.post_hashtags: list[tuple[str, int, int]] = []
        self.unfollows = 0
        businesses: dict[int, list[str]] = {}
        for person in people:
            if person.account_type is AccountType.BUSINESS:
                businesses.setdefault(person.topic, []).append(person.username)
        self.businesses = businesses
        self.all_businesses = sorted({name for names in businesses.values() for name in names})
        self.brands = {person.topic: person.username for person in people if person.brand is not None}
        self.audience: list[list[float]] = []
        # The followers of a brand (by index), with the brand's username.
        self.brand_of_fans: dict[int, str] = {}

    # People and follows

    def add_people(self) -> None:
        for person in self.people:
            created = _ms(max(self.start - timedelta(days=self.rng.uniform(2, 400)), _EARLIEST))
            person.created_at = created
            person.id = self.ids.at(created)
        self.by_username.update({person.username: person.id for person in self.people})

    def add_follows(self, edges: list[tuple[int, int]]) -> None:
        rng, span = self.rng, (self.end - self.start).total_seconds()
        for follower_index, followee_index in edges:
            follower, followee = self.people[follower_index], self.people[followee_index]
            assert follower.created_at is not None
            assert followee.created_at is not None
            draw = rng.random()
            if draw < CHURN_SHARE:
                self.unfollows += 1  # followed, then unfollowed within the period: no follow row remains
                self.churned.append((follower.id, followee.id))
                continue
            during = draw < CHURN_SHARE + GROWTH_SHARE
            if during:
                when = _ms(self.start + timedelta(seconds=rng.uniform(0, span)))
            else:
                earliest = max(follower.created_at, followee.created_at)
                when = _ms(earliest + (self.start - earliest) * rng.random())
            state = (
                FollowState.REQUESTED if followee.is_private and rng.random() < REQUEST_SHARE else FollowState.ACTIVE
            )
            self.rows["network_follows"].append(
                {
                    "id": self.ids.at(when),
                    "follower_id": follower.id,
                    "followee_id": followee.id,
                    "state": state,
                    "created_at": when,
                }
            )
            if state is FollowState.ACTIVE:
                self.counts[(follower.id, "following_count")] += 1
                self.counts[(followee.id, "followers_count")] += 1
                self.followers[followee_index].append((when, follower_index))
                self.following[follower_index].append(followee_index)
            if during:
                kind = NotificationKind.FOLLOW if state is FollowState.ACTIVE else NotificationKind.FOLLOW_REQUEST
                self.notify(followee.id, follower.id, kind, when)
                if state is FollowState.ACTIVE:
                    self._follow_event(follower.id, followee.id, "follow", when)
        for followers in self.followers:
            followers.sort()
        for person in self.people:
            if person.brand is not None:
                self.brand_of_fans.update({index: person.username for _, index in self.followers[person.index]})
        self.audience = [self._audience_curve(followers) for followers in self.followers]

    def _audience_curve(self, followers: list[tuple[datetime, int]]) -> list[float]:
        """For each UTC hour, how active the followers are then (1 is the daily average), by their zones."""
        if not followers:
            return [1.0] * 24
        offsets = Counter(self.people[index].offset_hours for _, index in followers)
        total = len(followers)
        return [
            sum(count * DAILY_CURVE[int(hour + offset) % 24] for offset, count in offsets.items()) / total / CURVE_MEAN
            for hour in range(24)
        ]

    # Posts

    def _post_time(self, person: SimPerson, days: int) -> datetime:
        rng = self.rng
        habit = rng.random() < HABIT_SHARE
        hour = rng.choices(range(24), weights=DAILY_CURVE)[0] if habit else rng.randrange(24)
        local_seconds = rng.randrange(days) * 86_400 + hour * 3600 + rng.random() * 3600
        # Shifting by whole days keeps the local hour while staying inside the period.
        utc_seconds = (local_seconds - person.offset_hours * 3600) % (days * 86_400)
        return _ms(self.start + timedelta(seconds=utc_seconds))

    def _business_to_mention(self, topic: int, author: SimPerson) -> str | None:
        rng = self.rng
        if topic in self.brands and rng.random() < 0.5:
            name: str | None = self.brands[topic]
        elif self.businesses.get(topic):
            name = rng.choice(self.businesses[topic])
        elif self.existing.businesses:
            name = rng.choice(self.existing.businesses)[1]
        else:
            name = None
        return None if name == author.username else name

    def _friend_to_mention(self, person: SimPerson) -> str | None:
        followed = self.following[person.index]
        return self.people[self.rng.choice(followed)].username if followed else None

    def _caption(self, person: SimPerson, topic: int) -> tuple[str, str | None]:
        rng, vocabulary = self.rng, TOPICS[topic]
        if person.brand is not None:
            text = rng.choice(person.brand.captions)
            others = [tag for tag in vocabulary.hashtags if tag not in person.brand.hashtags]
            tags = [*person.brand.hashtags, *rng.sample(others, 3)]
        else:
            text = rng.choice(vocabulary.captions) + rng.choice(EMOJI)
            tags = rng.sample(vocabulary.hashtags, rng.randint(1, 8))
        mention = None
        draw = rng.random()
        # A brand of the topic (the demo's) is talked about more than the other businesses, and its followers
        # tag it whatever they post about, as a café's regulars do.
        business_chance = 0.25 if topic in self.brands else 0.10
        brand = self.brand_of_fans.get(person.index)
        if brand is not None and draw < FAN_MENTION_SHARE:
            mention = brand
            text += rng.choice((f" Fuelled by @{mention}", f" at @{mention}", f" Thanks @{mention}!"))
        elif person.account_type is not AccountType.BUSINESS and draw < business_chance:
            mention = self._business_to_mention(topic, person)
            if mention:
                text += rng.choice((f" Thanks @{mention}!", f" at @{mention}", f" (via @{mention})"))
        elif draw < business_chance + 0.06:
            mention = self._friend_to_mention(person)
            if mention:
                text += f" with @{mention}"
        elif draw < business_chance + 0.07 and self.existing.businesses:
            mention = rng.choice(self.existing.businesses)[1]
            text += f" @{mention}"
        text += "\n\n" + " ".join(f"#{tag}" for tag in tags)
        place = rng.choice(vocabulary.places) if rng.random() < LOCATION_SHARE else None
        return text, place

    def add_posts(self, days: int) -> None:
        for person in self.people:
            count = person.brand.posts if person.brand else _poisson(self.rng, person.posts_per_day * days)
            for _ in range(count):
                self._post(person, days)

    def _post(self, person: SimPerson, days: int) -> None:
        rng = self.rng
        when = self._post_time(person, days)
        topic = person.topic if rng.random() < 0.8 else rng.choice(person.interests)
        caption, place = self._caption(person, topic)
        parsed = parse_caption(caption)
        post_id = self.ids.at(when)
        media_count = rng.randint(2, 4) if rng.random() < CAROUSEL_SHARE else 1
        post: Row = {
            "id": post_id,
            "author_id": person.id,
            "caption": caption,
            "location": place,
            "media_count": media_count,
            "like_count": 0,
            "comment_count": 0,
            "created_at": when,
            "edited_at": None,
        }
        self.rows["network_posts"].append(post)
        self.counts[(person.id, "posts_count")] += 1
        for position in range(media_count):
            media_id = self.ids.at(when)
            key, thumbnail_key = media_keys(post_id, media_id)
            self.art[media_id] = (topic, rng.randrange(VARIANTS))
            self.rows["network_post_media"].append(
                {
                    "id": media_id,
                    "post_id": post_id,
                    "position": position,
                    "storage_key": key,
                    "thumbnail_key": thumbnail_key,
                    "alt_text": "",
                }
            )
        for name in parsed.hashtags:
            first = self.hashtag_first_use.get(name)
            if first is None or when < first:
                self.hashtag_first_use[name] = when
            self.post_hashtags.append((name, post_id, person.id))
        for username in parsed.mentions:
            mentioned = self.by_username.get(username)
            if mentioned is not None:
                self.rows["network_mentions"].append({"post_id": post_id, "person_id": mentioned})
                self.notify(mentioned, person.id, NotificationKind.MENTION, when, post_id=post_id)
        self._tag(person, post, topic)
        self._react(person, post, topic)

    # User tags

    def _businesses_to_tag(self, author: SimPerson, topic: int, count: int) -> list[int]:
        """Up to `count` business accounts (ids) for the author to tag: their brand first, when they are a
        brand's fan, then those of the post's topic, else any business of the network."""
        rng = self.tag_rng
        chosen: list[int] = []
        brand = self.brand_of_fans.get(author.index)
        if brand is not None and rng.random() < 0.7:
            chosen.append(self.by_username[brand])
        pool = [self.by_username[name] for name in self.businesses.get(topic, ())]
        if not pool:
            pool = [self.by_username[name] for name in self.all_businesses]
            pool += [person_id for person_id, _ in self.existing.businesses]
        pool = [person_id for person_id in pool if person_id != author.id and person_id not in chosen]
        chosen += rng.sample(pool, min(len(pool), count - len(chosen)))
        return [person_id for person_id in chosen if person_id != author.id]

    def _tag(self, author: SimPerson, post: Row, topic: int) -> None:
        """Tag business accounts (and sometimes friends) on the post's images, as the tags service would."""
        if author.account_type is AccountType.BUSINESS:
            return
        rng = self.tag_rng
        share = FAN_TAG_SHARE if author.index in self.brand_of_fans else TAG_SHARE
        if rng.random() >= share:
            return
        tagged = self._businesses_to_tag(author, topic, rng.randint(1, 2))
        followed = self.following[author.index]
        if followed and rng.random() < FRIEND_TAG_SHARE:
            friends = [self.people[index].id for index in rng.sample(followed, min(len(followed), rng.randint(1, 2)))]
            tagged += [friend for friend in friends if friend not in tagged]
        # Never oneself, each person once, at most MAX_USER_TAGS: as `tags.parse_user_tags` refuses otherwise.
        tagged = [person_id for person_id in dict.fromkeys(tagged) if person_id != author.id][:MAX_USER_TAGS]
        for person_id in tagged:
            self.rows["network_user_tags"].append(
                {
                    "post_id": post["id"],
                    "person_id": person_id,
                    "media_position": rng.randrange(post["media_count"]),
                    "x": round(rng.uniform(0.08, 0.92), 3),
                    "y": round(rng.uniform(0.08, 0.92), 3),
                }
            )
            self.notify(person_id, author.id, NotificationKind.TAG, post["created_at"], post_id=post["id"])

    # Likes and comments

    def _react(self, author: SimPerson, post: Row, topic: int) -> None:
        rng, when = self.rng, post["created_at"]
        followers = self.followers[author.index]
        audience = [index for _, index in followers[: bisect.bisect_left(followers, (when, -1))]]
        activity = ALWAYS_SEEN + (1 - ALWAYS_SEEN) * self.audience[author.index][when.hour]
        quality = author.appeal * rng.lognormvariate(0, 0.35) * activity
        like_chance = min(0.9, LIKE_RATE * quality)
        comment_chance = min(0.5, COMMENT_RATE * quality)
        recent = self.end - timedelta(days=LIKE_NOTIFICATION_DAYS)
        for index in audience:
            if rng.random() < like_chance:
                liked_at = _later(rng, when, 3 * 3600)
                if liked_at < self.end:
                    liker = self.people[index].id
                    self._like(liker, LikeTarget.POST, post["id"], liked_at)
                    post["like_count"] += 1
                    if liked_at >= recent:
                        self.notify(author.id, liker, NotificationKind.LIKE, liked_at, post_id=post["id"])
            if rng.random() < comment_chance:
                self._comment(author, post, topic, self.people[index])

    def _like(self, person_id: int, kind: LikeTarget, target_id: int, when: datetime) -> None:
        self.rows["network_likes"].append(
            {"id": self.ids.at(when), "person_id": person_id, "target_kind": kind, "target_id": target_id,
             "created_at": when}
        )  # fmt: skip

    def _comment_text(self, commenter: SimPerson, topic: int) -> str:
        rng = self.rng
        pool = TOPICS[topic].comments if rng.random() < 0.6 else GENERIC_COMMENTS
        text = rng.choice(pool) + rng.choice(EMOJI)
        draw = rng.random()
        if draw < 0.05:
            friend = self._friend_to_mention(commenter)
            if friend:
                text = f"@{friend} you'd love this! " + text
        elif draw < 0.08:
            business = self._business_to_mention(topic, commenter)
            if business:
                text += f" Reminds me of @{business}"
        return text

    def _comment(self, author: SimPerson, post: Row, topic: int, commenter: SimPerson) -> None:
        rng = self.rng
        commented_at = _later(rng, post["created_at"], 5 * 3600, minimum=60)
        if commented_at >= self.end:
            return
        comment = self._comment_row(post, commenter.id, None, self._comment_text(commenter, topic), commented_at)
        self.rows["network_comments"].append(comment)
        self._notify_comment(author.id, commenter.id, NotificationKind.COMMENT, post, comment)
        recent = self.end - timedelta(days=LIKE_NOTIFICATION_DAYS)
        if rng.random() < COMMENT_LIKE_SHARE:
            liked_at = _later(rng, commented_at, 2 * 3600)
            if liked_at < self.end:
                self._like(author.id, LikeTarget.COMMENT, comment["id"], liked_at)
                comment["like_count"] += 1
                if liked_at >= recent:
                    self.notify(
                        commenter.id, author.id, NotificationKind.COMMENT_LIKE, liked_at,
                        post_id=post["id"], comment_id=comment["id"],
                    )  # fmt: skip
        if rng.random() < REPLY_SHARE:
            replied_at = _later(rng, commented_at, 2 * 3600, minimum=60)
            if replied_at < self.end:
                text = rng.choice(REPLIES) + rng.choice(EMOJI)
                if rng.random() < 0.5:
                    text = f"@{commenter.username} {text}"
                reply = self._comment_row(post, author.id, comment["id"], text, replied_at)
                self.replies.append(reply)
                comment["reply_count"] += 1
                self._notify_comment(commenter.id, author.id, NotificationKind.REPLY, post, reply)

    def _comment_row(self, post: Row, author_id: int, parent_id: int | None, text: str, when: datetime) -> Row:
        post["comment_count"] += 1  # nothing simulated is hidden, so every comment and reply counts
        return {
            "id": self.ids.at(when),
            "post_id": post["id"],
            "author_id": author_id,
            "parent_id": parent_id,
            "text": text,
            "hidden": False,
            "like_count": 0,
            "reply_count": 0,
            "created_at": when,
        }

    def _notify_comment(self, recipient: int, actor: int, kind: NotificationKind, post: Row, comment: Row) -> None:
        """As the interactions service does: the comment's recipient, then whom it mentions (not twice)."""
        when, post_id, comment_id = comment["created_at"], post["id"], comment["id"]
        self.notify(recipient, actor, kind, when, post_id=post_id, comment_id=comment_id)
        for username in parse_caption(comment["text"]).mentions:
            mentioned = self.by_username.get(username)
            if mentioned is not None and mentioned not in (actor, recipient):
                self.notify(mentioned, actor, NotificationKind.MENTION, when, post_id=post_id, comment_id=comment_id)

    # Direct messages

    def add_messages(self, days: int) -> None:
        """Conversations between some of the people who follow each other (as the follows stand at the end)."""
        rng = self.message_rng
        chance = CONVERSATION_SHARE * (1 - math.exp(-days / CONVERSATION_DAYS))
        follows = {(follower, followee) for follower, followees in enumerate(self.following) for followee in followees}
        pairs = sorted((first, second) for first, second in follows if first < second and (second, first) in follows)
        for first, second in pairs:
            if rng.random() < chance:
                starter, other = (first, second) if rng.random() < 0.5 else (second, first)
                # A business answers the people who write to it; it does not write first.
                if self.people[starter].account_type is AccountType.BUSINESS:
                    starter, other = other, starter
                self._conversation(self.people[starter], self.people[other], days)

    def _active(self, person: SimPerson, moment: datetime) -> datetime:
        """The moment, or, when the person is asleep then, a moment in the next hour they are on the app."""
        rng = self.message_rng
        local = (moment.hour + moment.minute / 60 + moment.second / 3600 + person.offset_hours) % 24
        hour = int(local)
        if hour in ACTIVE_HOURS:
            return moment
        ahead = next(step for step in range(1, 25) if (hour + step) % 24 in ACTIVE_HOURS)
        # To the start of that local hour, then into it (by a minute at least, so that rounding keeps it there).
        return _ms(moment + timedelta(hours=hour + ahead - local, seconds=rng.uniform(60, 3000)))

    def _first_message_time(self, person: SimPerson, days: int) -> datetime:
        rng = self.message_rng
        hour = rng.choices(ACTIVE_HOURS, weights=[DAILY_CURVE[hour] for hour in ACTIVE_HOURS])[0]
        local_seconds = rng.randrange(days) * 86_400 + hour * 3600 + rng.uniform(0, 3540)
        # As for posts: whole days keep the local hour while staying inside the period.
        utc_seconds = (local_seconds - person.offset_hours * 3600) % (days * 86_400)
        return _ms(self.start + timedelta(seconds=utc_seconds))

    def _message_text(self, sender: SimPerson, recipient: SimPerson, topic: int, number: int, count: int) -> str:
        rng = self.message_rng
        name = TOPICS[topic].name
        pool: tuple[str, ...]
        if sender.account_type is AccountType.BUSINESS and recipient.account_type is not AccountType.BUSINESS:
            pool = BUSINESS_ANSWERS
        elif number == 0:
            pool = BUSINESS_QUESTIONS if recipient.account_type is AccountType.BUSINESS else MESSAGE_OPENERS
        elif number == count - 1 and count > 2:
            pool = MESSAGE_CLOSERS
        else:
            pool = MESSAGE_LINES if rng.random() < 0.5 else MESSAGE_ANSWERS
        return rng.choice(pool).format(topic=name)

    def _conversation(self, starter: SimPerson, other: SimPerson, days: int) -> None:
        """A thread of a few messages, its members' read marks, and its last message."""
        rng = self.message_rng
        shared = sorted(set(starter.interests) & set(other.interests))
        topic = rng.choice(shared) if shared else starter.topic
        count = min(MESSAGES_MAX, 1 + _poisson(rng, MESSAGES_MEAN))
        when = self._first_message_time(starter, days)
        sender, recipient = starter, other
        sent: list[tuple[int, SimPerson, str, datetime]] = []  # id, sender, text, time
        for number in range(count):
            if number:
                if rng.random() < ANSWER_SHARE:
                    sender, recipient = recipient, sender
                    pause = rng.expovariate(1 / (30 * 60))
                else:
                    pause = rng.expovariate(1 / 90)
                if rng.random() < LATER_SHARE:
                    pause = rng.uniform(0.5, 3) * 86_400
                when = self._active(sender, _ms(when + timedelta(seconds=20 + pause)))
            if when >= self.end:
                break
            sent.append((self.ids.at(when), sender, self._message_text(sender, recipient, topic, number, count), when))
        first_at = sent[0][3]  # the first message is always inside the period
        last_id, last_sender, _, last_at = sent[-1]
        thread_id = self.ids.at(first_at)
        self.rows["network_message_threads"].append(
            {"id": thread_id, "pair_key": pair_key(starter.id, other.id), "created_at": first_at,
             "last_message_id": last_id}
        )  # fmt: skip
        self.rows["network_messages"].extend(
            {"id": message_id, "thread_id": thread_id, "sender_id": person.id, "text": text, "created_at": at}
            for message_id, person, text, at in sent
        )
        # Sending marks the thread read for the sender; the other has read it all, or only up to their own last
        # message (or nothing, if they have not answered yet).
        unread = rng.random() < (UNREAD_RECENT if last_at >= self.end - READ_AFTER else UNREAD_OLDER)
        for member in (starter, other):
            mark: int | None = last_id
            if member is not last_sender and unread:
                mark = max((message_id for message_id, person, _, _ in sent if person is member), default=None)
            self.rows["network_thread_members"].append(
                {"thread_id": thread_id, "person_id": member.id, "last_read_message_id": mark}
            )

    # What insights count

    def add_activity(self) -> None:
        self._add_demographics()
        self._add_views()
        self._add_churn_events()

    def _add_demographics(self) -> None:
        rng = self.insight_rng
        genders = [gender for gender, _ in GENDERS]
        gender_weights = [weight for _, weight in GENDERS]
        ages = [years for years, _ in AGES]
        age_weights = [weight for _, weight in AGES]
        for person in self.people:
            places = PLACES[person.timezone]
            city, country = rng.choices(places, weights=range(len(places) + 1, 1, -1))[0]
            if person.account_type is AccountType.BUSINESS:
                self.demographics[person.id] = {"birth_year": None, "gender": None, "city": city, "country": country}
                continue
            low, high = rng.choices(ages, weights=age_weights)[0]
            self.demographics[person.id] = {
                "birth_year": self.end.year - rng.randint(low, high),
                "gender": rng.choices(genders, weights=gender_weights)[0],
                "city": city,
                "country": country,
            }

    def _engaged(self) -> dict[int, list[tuple[int, datetime]]]:
        """Who liked or commented on each post, and when: they saw it then."""
        engaged: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
        for like in self.rows["network_likes"]:
            if like["target_kind"] is LikeTarget.POST:
                engaged[like["target_id"]].append((like["person_id"], like["created_at"]))
        for comment in (*self.rows["network_comments"], *self.replies):
            engaged[comment["post_id"]].append((comment["author_id"], comment["created_at"]))
        return engaged

    def _add_views(self) -> None:
        """Views are counted per viewer and UTC day. This loop runs for every view, so it keeps instants as plain
        Unix seconds and makes no datetime unless someone goes on to the author's profile."""
        rng, chance, later = self.insight_rng.random, self.insight_rng.random, self.insight_rng.expovariate
        by_id = {person.id: person for person in self.people}
        by_topic: dict[int, list[int]] = defaultdict(list)
        for person in self.people:
            for topic in person.interests:
                by_topic[topic].append(person.index)
        engaged = self._engaged()
        views: Counter[tuple[int, int, int]] = Counter()  # (post id, viewer id, days since 1970) → views
        end = self.end.timestamp()
        for post in self.rows["network_posts"]:
            author, post_id, when = by_id[post["author_id"]], post["id"], post["created_at"]
            posted = when.timestamp()
            for person_id, at in engaged.get(post_id, ()):
                if person_id != author.id:
                    views[(post_id, person_id, int(at.timestamp() // 86_400))] += 1
            followers = self.followers[author.index]
            audience = bisect.bisect_left(followers, (when, -1))
            # A sample of the audience rather than a draw for each follower: the same odds, a fraction of the work.
            sample = self.insight_rng.sample(followers[:audience], _binomial(self.insight_rng, audience, SEEN_SHARE))
            seers: list[int | None] = [index for _, index in sample]
            browsers = by_topic.get(author.topic) or []
            if browsers:
                seers += [None] * _poisson(self.insight_rng, BROWSERS_MEAN * author.appeal)
            for index in seers:
                follower = index is not None
                if index is None:
                    index = self.insight_rng.choice(browsers)
                seen = posted + 30 + later(1 / (4 * 3600 if follower else 12 * 3600))
                viewer = self.people[index]
                if seen >= end or viewer is author:
                    continue
                views[(post_id, viewer.id, int(seen // 86_400))] += 2 if chance() < SEEN_AGAIN_SHARE else 1
                if rng() < (FOLLOWER_VISIT_SHARE if follower else BROWSER_VISIT_SHARE):
                    self._visit(author, viewer, seen)
        epoch = date(1970, 1, 1).toordinal()
        days = {number: date.fromordinal(epoch + number) for number in {number for _, _, number in views}}
        self.rows["network_post_views"] = [
            {"post_id": post_id, "viewer_id": viewer_id, "day": days[number], "views": count}
            for (post_id, viewer_id, number), count in views.items()
        ]

    def _visit(self, author: SimPerson, viewer: SimPerson, seen: float) -> None:
        """A visit to the author's profile after seeing their post (at `seen`, Unix seconds), sometimes with a tap on
        its website link."""
        rng = self.insight_rng
        visited = _later(rng, datetime.fromtimestamp(seen, UTC), 120, minimum=5)
        if visited >= self.end:
            return
        self._profile_event(author.id, viewer.id, "visit", visited)
        if author.website and rng.random() < LINK_TAP_SHARE:
            tapped = _later(rng, visited, 30, minimum=2)
            if tapped < self.end:
                self._profile_event(author.id, viewer.id, "link_tap", tapped)

    def _add_churn_events(self) -> None:
        """A follow, then its unfollow, for each follow that began and ended within the period."""
        rng, span = self.insight_rng, (self.end - self.start).total_seconds()
        for follower_id, followee_id in self.churned:
            followed = _ms(self.start + timedelta(seconds=rng.uniform(0, span * 0.9)))
            unfollowed = _ms(followed + (self.end - followed) * rng.uniform(0.05, 0.95))
            self._follow_event(follower_id, followee_id, "follow", followed)
            self._follow_event(follower_id, followee_id, "unfollow", unfollowed)

    def _profile_event(self, person_id: int, actor_id: int, kind: str, when: datetime) -> None:
        self.rows["network_profile_events"].append(
            {"id": self.ids.at(when), "person_id": person_id, "actor_id": actor_id, "kind": kind, "created_at": when}
        )

    def _follow_event(self, follower_id: int, followee_id: int, kind: str, when: datetime) -> None:
        self.rows["network_follow_events"].append(
            {"id": self.ids.at(when), "follower_id": follower_id, "followee_id": followee_id, "kind": kind,
             "created_at": when}
        )  # fmt: skip

    # Notifications

    def notify(
        self,
        recipient: int,
        actor: int,
        kind: NotificationKind,
        when: datetime,
        *,
        post_id: int | None = None,
        comment_id: int | None = None,
    ) -> None:
        if recipient == actor:
            return
        read_at = when + timedelta(hours=1) if when < self.end - READ_AFTER else None
        self.rows["network_notifications"].append(
            {
                "id": self.ids.at(when),
                "recipient_id": recipient,
                "actor_id": actor,
                "kind": kind,
                "post_id": post_id,
                "comment_id": comment_id,
                "read_at": read_at,
                "created_at": when,
            }
        )

    # Finishing

    def finish(self) -> None:
        for name, first in sorted(self.hashtag_first_use.items()):
            if name not in self.existing.hashtags:
                self.rows["network_hashtags"].append({"id": self.ids.at(first), "name": name, "created_at": first})
        hashtag_ids = dict(self.existing.hashtags)
        hashtag_ids.update({row["name"]: row["id"] for row in self.rows["network_hashtags"]})
        self.rows["network_post_hashtags"] = [
            {"hashtag_id": hashtag_ids[name], "post_id": post_id, "author_id": author_id}
            for name, post_id, author_id in self.post_hashtags
        ]
        self.rows["network_comments"].extend(self.replies)
        for person in self.people:
            assert person.created_at is not None
            self.rows["network_people"].append(
                {
                    "id": person.id,
                    "email": person.email,
                    "password_hash": "",  # the writer puts in the one shared hash
                    "username": person.username,
                    "username_key": person.username.lower(),
                    "name": person.name,
                    "bio": person.bio,
                    "website": person.website,
                    "avatar_url": None,
                    "account_type": person.account_type,
                    "is_private": person.is_private,
                    "followers_count": self.counts[(person.id, "followers_count")],
                    "following_count": self.counts[(person.id, "following_count")],
                    "posts_count": self.counts[(person.id, "posts_count")],
                    "created_at": person.created_at,
                    "updated_at": person.created_at,
                    **self.demographics.get(
                        person.id, {"birth_year": None, "gender": None, "city": None, "country": None}
                    ),
                }
            )


def period(days: int, now: datetime) -> tuple[datetime, datetime]:
    """The simulated period: `days` days up to the last UTC midnight."""
    end = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return end - timedelta(days=days), end


def build_timeline(
    count: int, days: int, seed: int, *, now: datetime, existing: Existing | None = None, brand: Brand | None = None
) -> Timeline:
    """Every row of `count` people's `days` days; the same arguments give the same people, text and counts."""
    existing = existing or Existing()
    rng = random.Random(seed)  # noqa: S311 - a simulation, reproducible by its seed
    start, end = period(days, now)
    people = make_people(count, rng, start=start, taken=existing.usernames, brand=brand)
    edges = grow_follows(people, rng)
    builder = _Builder(
        rng,
        people,
        existing,
        start,
        end,
        # Generators of their own: what they draw leaves the main generator's people, posts and likes as they were.
        tag_rng=random.Random(f"{seed}:tags"),  # noqa: S311 - as above
        message_rng=random.Random(f"{seed}:messages"),  # noqa: S311 - as above
        insight_rng=random.Random(f"{seed}:insights"),  # noqa: S311 - as above
    )
    builder.add_people()
    builder.add_follows(edges)
    builder.add_posts(days)
    builder.add_messages(days)
    builder.add_activity()
    builder.finish()
    return Timeline(start, end, people, builder.rows, builder.art, builder.unfollows)
