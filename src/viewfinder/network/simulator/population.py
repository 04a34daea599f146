"""Simulated people and who follows whom: names and usernames (unique against the people already there), time
zones, account types, interests, how often each posts, and a heavy-tailed follow graph grown by preferential
attachment (the more followers someone has, the likelier the next follow goes to them), boosted by fitness so
that creators and businesses collect more, as on a real network.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from viewfinder.network.simulator.vocabulary import (
    BIO_LINES,
    FIRST_NAMES,
    LAST_NAMES,
    TIMEZONES,
    TOPICS,
)
from viewfinder.network.social.captions import MAX_USERNAME_LENGTH
from viewfinder.network.social.models import AccountType

SIM_EMAIL_DOMAIN = "simulated.viewfinder.example"
BUSINESS_SHARE = 0.04
CREATOR_SHARE = 0.06
PRIVATE_SHARE = 0.15  # of personal accounts
# Posts per day, by account type: a person posts a few times a month, a creator most days.
POST_RATES = {AccountType.PERSONAL: (0.04, 0.2), AccountType.CREATOR: (0.4, 0.8), AccountType.BUSINESS: (0.2, 0.5)}
FITNESS_BOOST = {AccountType.PERSONAL: 1.0, AccountType.CREATOR: 8.0, AccountType.BUSINESS: 4.0}
# Of each person's follows, the share picked by popularity (the rest among people of their interests).
PREFERENTIAL_SHARE = 0.7
# A follow across more than NEAR_HOURS of time difference is refused this often (and another drawn).
NEAR_HOURS = 3
FAR_REFUSED = 0.85
_USERNAME_CHARACTERS = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class Brand:
    """A business account made with the network (the demo's): fixed names, a topic, a number of posts."""

    username: str
    name: str
    email: str
    bio: str
    website: str
    topic: str
    posts: int
    captions: tuple[str, ...]
    hashtags: tuple[str, ...]


@dataclass
class SimPerson:
    index: int
    username: str
    name: str
    email: str
    timezone: str
    # The zone's offset from UTC at the start of the simulated period, in hours (5.5 for Kolkata).
    offset_hours: float
    account_type: AccountType
    is_private: bool
    topic: int
    interests: tuple[int, ...]
    posts_per_day: float
    # How much the audience likes this person's posts (1 is average).
    appeal: float
    bio: str = ""
    website: str | None = None
    brand: Brand | None = None
    id: int = 0
    created_at: datetime | None = None


@dataclass
class Population:
    people: list[SimPerson]
    # Directed edges (follower index, followee index) of the graph as it stands at the end of the period.
    follows: list[tuple[int, int]] = field(default_factory=list)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _fits(username: str) -> bool:
    # A final '.' would end the name's @mention early (see captions), so no username ends with one.
    return 0 < len(username) <= MAX_USERNAME_LENGTH and not username.endswith(".") and not username.startswith(".")


def _unique(candidate: str, rng: random.Random, taken: set[str]) -> str:
    candidate = candidate[:MAX_USERNAME_LENGTH].strip("._")
    while not _fits(candidate) or candidate in taken:
        candidate = f"{candidate[: MAX_USERNAME_LENGTH - 4].rstrip('._')}{rng.randint(1, 999)}"
    taken.add(candidate)
    return candidate


def _person_username(first: str, last: str, topic: str, rng: random.Random, taken: set[str]) -> str:
    first, last = _USERNAME_CHARACTERS.sub("", _ascii(first)), _USERNAME_CHARACTERS.sub("", _ascii(last))
    pattern = rng.randrange(6)
    candidate = (
        f"{first}.{last}",
        f"{first}{last}",
        f"{first}_{last}",
        f"{first}.{topic}",
        f"{first}{last[:1]}{rng.randint(1, 99)}",
        f"the.{first}.{last[:3]}",
    )[pattern]
    return _unique(candidate, rng, taken)


def _zone_offsets(start: datetime) -> dict[str, float]:
    offsets = {}
    for name, _ in TIMEZONES:
        offset = start.astimezone(ZoneInfo(name)).utcoffset()
        offsets[name] = offset.total_seconds() / 3600 if offset else 0.0
    return offsets


def make_people(
    count: int, rng: random.Random, *, start: datetime, taken: Set[str], brand: Brand | None = None
) -> list[SimPerson]:
    """`count` people (and the brand, last, when given); usernames avoid `taken` (lowercased keys)."""
    used = set(taken)
    offsets = _zone_offsets(start)
    zones, zone_weights = zip(*TIMEZONES, strict=True)
    people: list[SimPerson] = []
    business_names = [(topic, business) for topic in range(len(TOPICS)) for business in TOPICS[topic].businesses]
    for index in range(count):
        draw = rng.random()
        kind = (
            AccountType.BUSINESS
            if draw < BUSINESS_SHARE
            else AccountType.CREATOR
            if draw < BUSINESS_SHARE + CREATOR_SHARE
            else AccountType.PERSONAL
        )
        topic = rng.randrange(len(TOPICS))
        interests = tuple(sorted({topic, *rng.sample(range(len(TOPICS)), rng.randint(0, 2))}))
        zone = rng.choices(zones, weights=zone_weights)[0]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        website = None
        if kind is AccountType.BUSINESS:
            if business_names:
                topic, (base, name) = business_names.pop(rng.randrange(len(business_names)))
            else:
                base = f"{_ascii(last)}.{TOPICS[topic].name}"
                name = f"{last} {TOPICS[topic].name.title()}"
            username = _unique(_USERNAME_CHARACTERS.sub(".", _ascii(base)), rng, used)
            website = f"https://{username.replace('.', '-').replace('_', '-')}.example"
            bio = f"{TOPICS[topic].name.title()} · {rng.choice(TOPICS[topic].places)}"
        else:
            username = _person_username(first, last, TOPICS[topic].name, rng, used)
            name = f"{first} {last}"
            bio = rng.choice(BIO_LINES)
        low, high = POST_RATES[kind]
        people.append(
            SimPerson(
                index=index,
                username=username,
                name=name,
                email=f"{username}@{SIM_EMAIL_DOMAIN}",
                timezone=zone,
                offset_hours=offsets[zone],
                account_type=kind,
                is_private=kind is AccountType.PERSONAL and rng.random() < PRIVATE_SHARE,
                topic=topic,
                interests=interests,
                posts_per_day=rng.uniform(low, high),
                appeal=rng.lognormvariate(0, 0.3),
                bio=bio,
                website=website,
            )
        )
    if brand is not None:
        topic = next(number for number, item in enumerate(TOPICS) if item.name == brand.topic)
        zone = TIMEZONES[0][0]
        people.append(
            SimPerson(
                index=count,
                username=brand.username,
                name=brand.name,
                email=brand.email,
                timezone=zone,
                offset_hours=offsets[zone],
                account_type=AccountType.BUSINESS,
                is_private=False,
                topic=topic,
                interests=(topic,),
                posts_per_day=0.0,  # its posts are counted by `brand.posts`
                appeal=1.3,
                bio=brand.bio,
                website=brand.website,
                brand=brand,
            )
        )
    return people


def grow_follows(people: list[SimPerson], rng: random.Random) -> list[tuple[int, int]]:
    """The follow graph: each person follows a lognormal number of others, mostly picked in proportion to the
    followers they already have (times a fitness), the rest among the people of their interests."""
    n = len(people)
    if n < 2:
        return []
    by_topic: dict[int, list[int]] = {}
    for person in people:
        by_topic.setdefault(person.topic, []).append(person.index)
    # Tickets in proportion to fitness × (followers + 1): drawing a ticket is preferential attachment, and the
    # fitness (heavy-tailed, larger for creators and businesses) makes the tail heavier still.
    fitness = [
        60 if person.brand is not None
        else max(1, round(FITNESS_BOOST[person.account_type] * min(rng.paretovariate(1.3), 50.0)))
        for person in people
    ]  # fmt: skip
    tickets: list[int] = [index for index in range(n) for _ in range(fitness[index])]
    edges: list[tuple[int, int]] = []
    order = list(range(n))
    rng.shuffle(order)
    for follower in order:
        person = people[follower]
        if person.account_type is AccountType.BUSINESS:
            wanted = rng.randint(5, 25)
        else:
            wanted = round(rng.lognormvariate(math.log(30), 0.7))
        wanted = max(2, min(wanted, n - 1, 400))
        chosen: set[int] = set()
        for _ in range(wanted * 6):
            if len(chosen) >= wanted:
                break
            if rng.random() < PREFERENTIAL_SHARE:
                target = rng.choice(tickets)
            else:
                target = rng.choice(by_topic.get(rng.choice(person.interests)) or order)
            if target == follower or target in chosen:
                continue
            # Most people follow people of their own part of the world: their audience shares their hours.
            if abs(people[target].offset_hours - person.offset_hours) > NEAR_HOURS and rng.random() < FAR_REFUSED:
                continue
            chosen.add(target)
            tickets.extend([target] * fitness[target])
        edges.extend((follower, target) for target in sorted(chosen))
    return edges
