"""Insights of accounts and media, computed from what happened on the network: the `insights` edges of "User"
and "Media", in Instagram's shapes (`values` or `total_value` with `breakdowns`) and with its errors.

Every number is counted from rows: views and reach from the post views, interactions from likes and comments,
follows from the follow events, taps and visits from the profile events, demographics from the people. The
network has no shares, saves or story replies, so those metrics are always 0.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Row, Select, or_, select, union_all

from viewfinder.kit.clock import utcnow
from viewfinder.network.graph.nodes import (
    Call,
    Edge,
    GraphError,
    Page,
    PageArgs,
    graph_time,
    invalid_parameter,
    missing_permission,
    no_such_object,
    node_type,
)
from viewfinder.network.social.models import (
    FollowState,
    LikeTarget,
    NetworkComment,
    NetworkFollow,
    NetworkFollowEvent,
    NetworkLike,
    NetworkMessage,
    NetworkPerson,
    NetworkPost,
    NetworkPostView,
    NetworkProfileEvent,
    PostKind,
)
from viewfinder.network.social.service.activity import FOLLOW, LINK_TAP, UNFOLLOW, VISIT, write_pending_views

INSIGHTS_SCOPE = "instagram_business_manage_insights"
MAX_RANGE = timedelta(days=30)
FOLLOWER_COUNT_DAYS = 30
TOP_LOCATIONS = 45  # Instagram answers the 45 largest cities and countries
VIEW_BREAKDOWNS = ("media_product_type", "follow_type", "follower_type")
STORY_MIN_VIEWERS = 5  # a story seen by fewer has no insights, as on Instagram
PERIODS = ("day", "week", "days_28", "month", "lifetime", "total_over_range")
TIMEFRAMES = {"last_14_days": 14, "last_30_days": 30, "last_90_days": 90, "this_week": 7, "this_month": 30}
AGE_BUCKETS = ((13, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64))
USER_DOCS = "https://developers.facebook.com/docs/instagram-api/reference/ig-user/insights"
MEDIA_DOCS = "https://developers.facebook.com/docs/instagram-api/reference/ig-media/insights"

USER = node_type("User")
MEDIA = node_type("Media")


# Errors, as Instagram words them


def _invalid_metric(position: int, valid: Iterable[str]) -> GraphError:
    return invalid_parameter(f"metric[{position}] must be one of the following values: {', '.join(valid)}")


def _retired_impressions(queried: str, docs: str) -> GraphError:
    return invalid_parameter(
        f"Starting from version 22 and above, the impressions metric is no longer supported for the queried "
        f"{queried}. Please refer to the documentation at {docs} for a list of supported metrics."
    )


def _needs_total_value(names: Sequence[str]) -> GraphError:
    return invalid_parameter(
        f"The following metrics ({', '.join(names)}) should be specified with parameter metric_type=total_value"
    )


def _listed(raw: str) -> list[str]:
    """A list parameter as clients send it: `a,b`, or a JSON array (the Business SDK's way)."""
    if raw.startswith("["):
        try:
            values = json.loads(raw)
        except ValueError:
            raise invalid_parameter("Invalid JSON for a list parameter") from None
        return [str(value).strip() for value in values] if isinstance(values, list) else []
    return [part.strip() for part in raw.split(",") if part.strip()]


# What happened, as facts a metric adds up


@dataclass(frozen=True)
class Fact:
    """Someone did something `count` times on a day (and hour), with the dimensions breakdowns group by."""

    person_id: int | None
    at: datetime
    count: int = 1
    dims: Mapping[str, str] = field(default_factory=dict)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _product_type(kind: PostKind, media_count: int) -> str:
    if kind == PostKind.REEL:
        return "REEL"
    if kind == PostKind.STORY:
        return "STORY"
    return "CAROUSEL_CONTAINER" if media_count > 1 else "POST"


def _follow_type(person_id: int | None, followers: set[int]) -> str:
    return "FOLLOWER" if person_id in followers else "NON_FOLLOWER"


def _followers_of(account_id: int) -> Select[Any]:
    """The account's followers' ids, as a subquery: a list of ids could outgrow a statement's parameters."""
    return select(NetworkFollow.follower_id).where(
        NetworkFollow.followee_id == account_id, NetworkFollow.state == FollowState.ACTIVE
    )


async def _followers(call: Call, account_id: int) -> set[int]:
    return set((await call.session.scalars(_followers_of(account_id))).all())


@dataclass
class Window:
    """The account and the instants a call asks about: [since, until)."""

    account_id: int
    since: datetime
    until: datetime
    followers: set[int]

    @property
    def first_day(self) -> date:
        return self.since.date()

    @property
    def last_day(self) -> date:
        return (self.until - timedelta(microseconds=1)).date()

    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=number) for number in range(max(count, 0))]


async def _view_facts(call: Call, window: Window) -> list[Fact]:
    rows = await call.session.execute(
        select(
            NetworkPostView.viewer_id,
            NetworkPostView.day,
            NetworkPostView.views,
            NetworkPost.kind,
            NetworkPost.media_count,
        )
        .join(NetworkPost, NetworkPost.id == NetworkPostView.post_id)
        .where(
            NetworkPost.author_id == window.account_id,
            NetworkPostView.day >= window.first_day,
            NetworkPostView.day <= window.last_day,
        )
    )
    facts = []
    for viewer, day, views, kind, media_count in rows.all():
        follow_type = _follow_type(viewer, window.followers)
        # Meta names this dimension follow_type for reach and follower_type in its notes on views: both are read.
        dims = {"media_product_type": _product_type(kind, media_count), "follow_type": follow_type}
        facts.append(Fact(viewer, _midnight(day), views, {**dims, "follower_type": follow_type}))
    return facts


async def _like_facts(call: Call, window: Window) -> list[Fact]:
    rows = await call.session.execute(
        select(NetworkLike.person_id, NetworkLike.created_at, NetworkPost.kind, NetworkPost.media_count)
        .join(NetworkPost, NetworkPost.id == NetworkLike.target_id)
        .where(
            NetworkLike.target_kind == LikeTarget.POST,
            NetworkPost.author_id == window.account_id,
            NetworkLike.person_id != window.account_id,
            NetworkLike.created_at >= window.since,
            NetworkLike.created_at < window.until,
        )
    )
    return _reactions(rows.all())


async def _comment_facts(call: Call, window: Window) -> list[Fact]:
    rows = await call.session.execute(
        select(NetworkComment.author_id, NetworkComment.created_at, NetworkPost.kind, NetworkPost.media_count)
        .join(NetworkPost, NetworkPost.id == NetworkComment.post_id)
        .where(
            NetworkPost.author_id == window.account_id,
            NetworkComment.author_id != window.account_id,
            NetworkComment.created_at >= window.since,
            NetworkComment.created_at < window.until,
        )
    )
    return _reactions(rows.all())


def _reactions(rows: Iterable[Row[int, datetime, PostKind, int]]) -> list[Fact]:
    """Facts of (person, instant, post kind, media count) rows: one each, by the post's product type."""
    return [Fact(person, at, 1, {"media_product_type": _product_type(kind, count)}) for person, at, kind, count in rows]


async def _interaction_facts(call: Call, window: Window) -> list[Fact]:
    return [*await _like_facts(call, window), *await _comment_facts(call, window)]


async def _follow_facts(call: Call, window: Window, kinds: tuple[str, ...] = (FOLLOW, UNFOLLOW)) -> list[Fact]:
    rows = await call.session.execute(
        select(NetworkFollowEvent.follower_id, NetworkFollowEvent.created_at, NetworkFollowEvent.kind).where(
            NetworkFollowEvent.followee_id == window.account_id,
            NetworkFollowEvent.kind.in_(kinds),
            NetworkFollowEvent.created_at >= window.since,
            NetworkFollowEvent.created_at < window.until,
        )
    )
    return [
        Fact(person, at, 1, {"follow_type": "FOLLOWER" if kind == FOLLOW else "NON_FOLLOWER"})
        for person, at, kind in rows.all()
    ]


async def _new_follower_facts(call: Call, window: Window) -> list[Fact]:
    return await _follow_facts(call, window, (FOLLOW,))


async def _profile_facts(call: Call, window: Window, kind: str) -> list[Fact]:
    rows = await call.session.execute(
        select(NetworkProfileEvent.actor_id, NetworkProfileEvent.created_at).where(
            NetworkProfileEvent.person_id == window.account_id,
            NetworkProfileEvent.kind == kind,
            NetworkProfileEvent.created_at >= window.since,
            NetworkProfileEvent.created_at < window.until,
        )
    )
    return [Fact(person, at) for person, at in rows.all()]


async def _visit_facts(call: Call, window: Window) -> list[Fact]:
    return await _profile_facts(call, window, VISIT)


async def _tap_facts(call: Call, window: Window) -> list[Fact]:
    return await _profile_facts(call, window, LINK_TAP)


async def _no_facts(call: Call, window: Window) -> list[Fact]:
    return []


# Account metrics


@dataclass(frozen=True)
class AccountMetric:
    name: str
    title: str
    description: str
    facts: Callable[[Call, Window], Awaitable[list[Fact]]]
    distinct: bool = False  # count accounts rather than actions
    breakdowns: tuple[str, ...] = ()
    time_series: bool = False  # may answer day by day (`values`)
    total_value: bool = True


ACCOUNT_METRICS: dict[str, AccountMetric] = {
    metric.name: metric
    for metric in (
        AccountMetric(
            "reach", "Accounts reached", "The number of unique accounts that have seen your content, at least once.",
            _view_facts, distinct=True, breakdowns=VIEW_BREAKDOWNS, time_series=True,
        ),
        AccountMetric(
            "follower_count", "Follower count", "The number of accounts that followed you each day.",
            _new_follower_facts, time_series=True, total_value=False,
        ),
        AccountMetric(
            "profile_views", "Profile views", "The number of times your profile was visited.", _visit_facts
        ),
        AccountMetric(
            "accounts_engaged", "Accounts engaged",
            "The number of accounts that have interacted with your content.", _interaction_facts, distinct=True,
        ),
        AccountMetric(
            "total_interactions", "Content interactions",
            "The total number of post interactions: likes, comments, saves, shares and replies.",
            _interaction_facts, breakdowns=("media_product_type",),
        ),
        AccountMetric(
            "likes", "Likes", "The number of likes on your posts.", _like_facts, breakdowns=("media_product_type",)
        ),
        AccountMetric(
            "comments", "Comments", "The number of comments on your posts.", _comment_facts,
            breakdowns=("media_product_type",),
        ),
        AccountMetric(
            "shares", "Shares", "The number of shares of your posts.", _no_facts, breakdowns=("media_product_type",)
        ),
        AccountMetric(
            "saves", "Saves", "The number of saves of your posts.", _no_facts, breakdowns=("media_product_type",)
        ),
        AccountMetric("replies", "Replies", "The number of replies you received from your story.", _no_facts),
        AccountMetric(
            "follows_and_unfollows", "Follows and unfollows",
            "The number of accounts that followed you and the number of accounts that unfollowed you.",
            _follow_facts, breakdowns=("follow_type",),
        ),
        AccountMetric(
            "profile_links_taps", "Profile links taps",
            "The number of taps on your business address, call button, email button and text button.", _tap_facts,
        ),
        AccountMetric(
            "views", "Views", "The number of times your content was played or displayed.", _view_facts,
            breakdowns=VIEW_BREAKDOWNS,
        ),
    )
}  # fmt: skip
ONLINE_FOLLOWERS = "online_followers"
DEMOGRAPHICS = {
    "follower_demographics": (
        "Follower demographics",
        "The demographic characteristics of followers, including countries, cities and gender distribution.",
    ),
    "engaged_audience_demographics": (
        "Engaged audience demographics",
        "The demographic characteristics of the engaged audience, including countries, cities and gender distribution.",
    ),
}
DEMOGRAPHIC_BREAKDOWNS = ("age", "city", "country", "gender")
VALID_ACCOUNT_METRICS = (*ACCOUNT_METRICS, ONLINE_FOLLOWERS, *DEMOGRAPHICS)


def _parse_instant(name: str, raw: str | None) -> datetime | None:
    """`since`/`until` as Instagram takes them: a Unix time, or a date (and time) it can read."""
    if raw is None:
        return None
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (ValueError, OverflowError, OSError):
        pass
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise invalid_parameter(f"The {name} parameter is not a valid date or Unix timestamp") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _range(call: Call, default_days: int) -> tuple[datetime, datetime]:
    now = utcnow()
    until = _parse_instant("until", call.param("until")) or now
    since = _parse_instant("since", call.param("since"))
    if since is None:
        since = _midnight(until.date() - timedelta(days=default_days - 1))
    if since >= until:
        raise invalid_parameter("The since parameter must be before the until parameter")
    if until - since > MAX_RANGE:
        raise invalid_parameter("There cannot be more than 30 days (2592000 s) between since and until")
    return since, until


def _timeframe_range(call: Call) -> tuple[datetime, datetime]:
    now = utcnow()
    timeframe = call.param("timeframe") or "this_month"
    if timeframe == "prev_month":
        first_this_month = _midnight(now.date().replace(day=1))
        return _midnight((first_this_month - timedelta(days=1)).date().replace(day=1)), first_this_month
    if timeframe not in TIMEFRAMES:
        raise invalid_parameter(
            "Param timeframe must be one of {last_14_days, last_30_days, last_90_days, prev_month, this_month, "
            "this_week}"
        )
    return now - timedelta(days=TIMEFRAMES[timeframe]), now


def _item(
    owner_id: int, name: str, period: str, title: str, description: str, answer: dict[str, Any]
) -> dict[str, Any]:
    """One metric as Instagram writes it: `values` before the title, `total_value` after the description."""
    item: dict[str, Any] = {"name": name, "period": period}
    if "values" in answer:
        item.update(values=answer["values"], title=title, description=description)
    else:
        item.update(title=title, description=description, total_value=answer["total_value"])
    item["id"] = f"{owner_id}/insights/{name}/{period}"
    return item


def _add_up(facts: Iterable[Fact], distinct: bool) -> int:
    facts = list(facts)
    if distinct:
        return len({fact.person_id for fact in facts if fact.person_id is not None})
    return sum(fact.count for fact in facts)


def _total_value(facts: list[Fact], distinct: bool, breakdown: Sequence[str]) -> dict[str, Any]:
    total: dict[str, Any] = {"value": _add_up(facts, distinct)}
    if breakdown:
        groups: dict[tuple[str, ...], list[Fact]] = defaultdict(list)
        for fact in facts:
            groups[tuple(fact.dims.get(key, "UNDEFINED") for key in breakdown)].append(fact)
        results = [
            {"dimension_values": list(key), "value": _add_up(group, distinct)} for key, group in sorted(groups.items())
        ]
        total["breakdowns"] = [{"dimension_keys": list(breakdown), "results": results}]
    return total


def _time_series(facts: list[Fact], distinct: bool, days: Sequence[date]) -> list[dict[str, Any]]:
    by_day: dict[date, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_day[fact.at.date()].append(fact)
    return [
        {"value": _add_up(by_day.get(day, []), distinct), "end_time": graph_time(_midnight(day + timedelta(days=1)))}
        for day in days
    ]


def _checked_breakdown(call: Call, allowed: Sequence[str], metric: str) -> list[str]:
    breakdown = _listed(call.param("breakdown") or "")
    for key in breakdown:
        if key not in allowed:
            raise invalid_parameter(
                f"The breakdown {key} is not supported for the metric {metric}; "
                f"supported: {', '.join(allowed) or 'none'}"
            )
    return breakdown


def _check_period(period: str, allowed: Sequence[str], metric: str) -> None:
    if period not in allowed:
        raise invalid_parameter(f"Incompatible period ({period}) for the metric ({metric}); use {' or '.join(allowed)}")


async def _account_metric(
    call: Call, window: Window, metric: AccountMetric, period: str, total: bool
) -> dict[str, Any]:
    _check_period(period, ("day",) if metric.name == "follower_count" else ("day", "week", "days_28"), metric.name)
    facts = await metric.facts(call, window)
    if total:
        return {
            "total_value": _total_value(
                facts, metric.distinct, _checked_breakdown(call, metric.breakdowns, metric.name)
            )
        }
    days = window.days()
    if metric.name == "follower_count":
        # Instagram keeps this one for 30 days only.
        oldest = utcnow().date() - timedelta(days=FOLLOWER_COUNT_DAYS)
        days = [day for day in days if day >= oldest]
    return {"values": _time_series(facts, metric.distinct, days)}


async def _activity_of(call: Call, people: Select[Any], since: datetime, until: datetime) -> list[tuple[int, datetime]]:
    """When each of these people did something on the network (liked, commented, wrote, visited)."""
    sources = union_all(
        select(NetworkLike.person_id.label("who"), NetworkLike.created_at.label("at")).where(
            NetworkLike.created_at >= since, NetworkLike.created_at < until
        ),
        select(NetworkComment.author_id, NetworkComment.created_at).where(
            NetworkComment.created_at >= since, NetworkComment.created_at < until
        ),
        select(NetworkMessage.sender_id, NetworkMessage.created_at).where(
            NetworkMessage.created_at >= since, NetworkMessage.created_at < until
        ),
        select(NetworkProfileEvent.actor_id, NetworkProfileEvent.created_at).where(
            NetworkProfileEvent.created_at >= since, NetworkProfileEvent.created_at < until
        ),
    ).subquery()
    rows = await call.session.execute(select(sources.c.who, sources.c.at).where(sources.c.who.in_(people)))
    return [(who, at) for who, at in rows.all()]


async def _online_followers(call: Call, window: Window, period: str) -> dict[str, Any]:
    _check_period(period, ("lifetime",), ONLINE_FOLLOWERS)
    seen: dict[date, set[tuple[int, int]]] = defaultdict(set)
    for who, at in await _activity_of(call, _followers_of(window.account_id), window.since, window.until):
        moment = at if at.tzinfo else at.replace(tzinfo=UTC)
        seen[moment.astimezone(UTC).date()].add((moment.astimezone(UTC).hour, who))
    values = []
    for day in window.days():
        hours = Counter(hour for hour, _ in seen.get(day, set()))
        values.append(
            {
                "value": {str(hour): hours[hour] for hour in range(24)},
                "end_time": graph_time(_midnight(day + timedelta(days=1))),
            }
        )
    return {"values": values}


def _age_bucket(birth_year: int | None, this_year: int) -> str | None:
    if birth_year is None:
        return None
    age = this_year - birth_year
    for low, high in AGE_BUCKETS:
        if low <= age <= high:
            return f"{low}-{high}"
    return "65+" if age >= 65 else None


def _engaged_people(account_id: int, since: datetime, until: datetime) -> Select[Any]:
    """Who liked or commented on the account's posts in the window, as a subquery."""
    likers = (
        select(NetworkLike.person_id)
        .join(NetworkPost, NetworkPost.id == NetworkLike.target_id)
        .where(
            NetworkLike.target_kind == LikeTarget.POST,
            NetworkPost.author_id == account_id,
            NetworkLike.created_at >= since,
            NetworkLike.created_at < until,
        )
    )
    commenters = (
        select(NetworkComment.author_id)
        .join(NetworkPost, NetworkPost.id == NetworkComment.post_id)
        .where(
            NetworkPost.author_id == account_id,
            NetworkComment.created_at >= since,
            NetworkComment.created_at < until,
        )
    )
    return select(NetworkPerson.id).where(
        NetworkPerson.id != account_id, or_(NetworkPerson.id.in_(likers), NetworkPerson.id.in_(commenters))
    )


async def _demographics(call: Call, account_id: int, name: str, period: str, total: bool) -> dict[str, Any]:
    if not total:
        raise _needs_total_value([name])
    _check_period(period, ("lifetime",), name)
    breakdown = _checked_breakdown(call, DEMOGRAPHIC_BREAKDOWNS, name)
    since, until = _timeframe_range(call)  # followers are counted as they are now, whatever the timeframe
    people = _followers_of(account_id) if name == "follower_demographics" else _engaged_people(account_id, since, until)
    rows = (
        await call.session.execute(
            select(NetworkPerson.birth_year, NetworkPerson.gender, NetworkPerson.city, NetworkPerson.country).where(
                NetworkPerson.id.in_(people)
            )
        )
    ).all()
    this_year = utcnow().year
    groups: Counter[tuple[str, ...]] = Counter()
    for birth_year, gender, city, country in rows:
        values = {"age": _age_bucket(birth_year, this_year), "gender": gender or "U", "city": city, "country": country}
        key = tuple(values[dimension] for dimension in breakdown)
        if all(part is not None for part in key):  # people of unknown age or place are left out, as on Instagram
            groups[tuple(str(part) for part in key)] += 1
    if not breakdown:
        return {"total_value": {"value": len(rows)}}
    ranked = sorted(groups.items(), key=lambda pair: (-pair[1], pair[0]))
    if {"city", "country"} & set(breakdown):
        ranked = ranked[:TOP_LOCATIONS]
    results = [{"dimension_values": list(key), "value": value} for key, value in ranked]
    return {"total_value": {"breakdowns": [{"dimension_keys": breakdown, "results": results}]}}


def _paging(call: Call, owner_id: int, since: datetime, until: datetime) -> dict[str, Any]:
    """The windows just before and just after this one, as Instagram links them."""
    span = until - since
    query = {name: value for name, value in call.params.items() if name not in {"access_token", "since", "until"}}

    def link(start: datetime, end: datetime) -> str:
        window = {"since": str(int(start.timestamp())), "until": str(int(end.timestamp()))}
        return call.url(f"{owner_id}/insights", {**query, **window})

    return {"previous": link(since - span, since), "next": link(until, until + span)}


async def _user_insights(call: Call, person: NetworkPerson, page: PageArgs) -> Page:
    call.require(INSIGHTS_SCOPE)
    await write_pending_views(call.session)  # the views this process counted in memory count too
    names = _listed(call.required("metric"))
    for position, name in enumerate(names):
        if name == "impressions":
            raise _retired_impressions("user", USER_DOCS)
        if name not in VALID_ACCOUNT_METRICS:
            raise _invalid_metric(position, VALID_ACCOUNT_METRICS)
    period = call.required("period")
    if period not in PERIODS:
        raise invalid_parameter(f"Param period must be one of {{{', '.join(PERIODS)}}}")
    total = call.param("metric_type") == "total_value"
    if not total:
        untimed = [name for name in names if name in ACCOUNT_METRICS and not ACCOUNT_METRICS[name].time_series]
        if untimed:
            raise _needs_total_value(untimed)
    # Without since and until: today so far for totals, yesterday and today for days one by one.
    since, until = _range(call, 1 if total else 2)
    window = Window(person.id, since, until, await _followers(call, person.id))
    items = []
    for name in dict.fromkeys(names):
        if name in DEMOGRAPHICS:
            title, description = DEMOGRAPHICS[name]
            answer = await _demographics(call, person.id, name, period, total)
        elif name == ONLINE_FOLLOWERS:
            title, description = "Online followers", "Total number of your followers who were online during each hour."
            answer = await _online_followers(call, window, period)
        else:
            metric = ACCOUNT_METRICS[name]
            title, description = metric.title, metric.description
            answer = await _account_metric(call, window, metric, period, total and metric.total_value)
        items.append(_item(person.id, name, period, title, description, answer))
    extra = {"paging": _paging(call, person.id, since, until)} if period != "lifetime" else {}
    return Page(items, extra=extra)


USER.edges["insights"] = Edge("User", list=_user_insights, raw=True)


# Media metrics

MEDIA_METRICS: dict[str, tuple[str, str]] = {
    "comments": ("Comments", "The number of comments on your post."),
    "follows": ("Follows", "The number of accounts that started following you after seeing this post."),
    "likes": ("Likes", "The number of likes on your post."),
    "navigation": ("Navigation", "The total number of actions taken from your story."),
    "profile_activity": ("Profile activity", "Actions people took on your profile after seeing your post."),
    "profile_visits": ("Profile visits", "The number of times your profile was visited after seeing this post."),
    "reach": ("Accounts reached", "The number of unique accounts that have seen this post, at least once."),
    "replies": ("Replies", "The number of replies to your story."),
    "saved": ("Saved", "The number of saves of your post."),
    "shares": ("Shares", "The number of shares of your post."),
    "total_interactions": ("Interactions", "The number of likes, saves, comments and shares on your post."),
    "views": ("Views", "The number of times your post was played or displayed."),
}  # fmt: skip
# Which metrics each kind of media answers (Meta's table for FEED, REELS and STORY).
MEDIA_METRICS_BY_KIND: dict[PostKind, frozenset[str]] = {
    PostKind.FEED: frozenset(
        {"comments", "follows", "likes", "profile_activity", "profile_visits", "reach", "saved", "shares",
         "total_interactions", "views"}
    ),
    PostKind.REEL: frozenset({"comments", "likes", "reach", "saved", "shares", "total_interactions", "views"}),
    PostKind.STORY: frozenset(
        {"follows", "navigation", "profile_activity", "profile_visits", "reach", "replies", "shares",
         "total_interactions", "views"}
    ),
}  # fmt: skip


@dataclass
class MediaCounts:
    """A post's lifetime numbers, read once for all the metrics asked."""

    viewers: dict[int, set[date]]  # who saw it, on which days
    views: int
    likes: int
    comments: int
    follows: int = 0
    visits: int = 0
    taps: int = 0


async def _media_counts(call: Call, post: NetworkPost) -> MediaCounts:
    rows = (
        await call.session.execute(
            select(NetworkPostView.viewer_id, NetworkPostView.day, NetworkPostView.views).where(
                NetworkPostView.post_id == post.id
            )
        )
    ).all()
    viewers: dict[int, set[date]] = defaultdict(set)
    for viewer, day, _ in rows:
        viewers[viewer].add(day)
    likes = await call.session.scalars(
        select(NetworkLike.id).where(
            NetworkLike.target_kind == LikeTarget.POST,
            NetworkLike.target_id == post.id,
            NetworkLike.person_id != post.author_id,
        )
    )
    comments = await call.session.scalars(
        select(NetworkComment.id).where(NetworkComment.post_id == post.id, NetworkComment.author_id != post.author_id)
    )
    counts = MediaCounts(dict(viewers), sum(views for _, _, views in rows), len(likes.all()), len(comments.all()))
    if viewers:
        viewers_of_post = select(NetworkPostView.viewer_id).where(NetworkPostView.post_id == post.id)
        # What a viewer did on the author's profile on a day they saw the post is credited to the post.
        follows = await call.session.execute(
            select(NetworkFollowEvent.follower_id, NetworkFollowEvent.created_at).where(
                NetworkFollowEvent.followee_id == post.author_id,
                NetworkFollowEvent.kind == FOLLOW,
                NetworkFollowEvent.follower_id.in_(viewers_of_post),
            )
        )
        counts.follows = sum(1 for who, at in follows.all() if at.date() in viewers[who])
        events = await call.session.execute(
            select(NetworkProfileEvent.actor_id, NetworkProfileEvent.created_at, NetworkProfileEvent.kind).where(
                NetworkProfileEvent.person_id == post.author_id,
                NetworkProfileEvent.actor_id.in_(viewers_of_post),
            )
        )
        for who, at, kind in events.all():
            if who is not None and at.date() in viewers[who]:
                if kind == VISIT:
                    counts.visits += 1
                elif kind == LINK_TAP:
                    counts.taps += 1
    return counts


def _media_value(name: str, counts: MediaCounts) -> int:
    values = {
        "comments": counts.comments,
        "follows": counts.follows,
        "likes": counts.likes,
        "profile_activity": counts.taps,
        "profile_visits": counts.visits,
        "reach": len(counts.viewers),
        "total_interactions": counts.likes + counts.comments,
        "views": counts.views,
    }
    return values.get(name, 0)  # navigation, replies, saved, shares: the network has none


async def _own_post(call: Call, media: Any) -> NetworkPost:
    """The post the Media node stands for (see media.MediaView): only the token account's own posts have insights,
    and a carousel's items have none of their own."""
    if getattr(media, "item", None) is not None:
        raise invalid_parameter("Insights data is not available for media within a carousel album")
    post = getattr(media, "post", None)
    if not isinstance(post, NetworkPost):
        raise no_such_object(str(getattr(media, "id", "")))
    if post.author_id != call.person.id:
        raise missing_permission()
    return post


async def _media_insights(call: Call, media: Any, page: PageArgs) -> Page:
    call.require(INSIGHTS_SCOPE)
    await write_pending_views(call.session)
    post = await _own_post(call, media)
    names = _listed(call.required("metric"))
    for position, name in enumerate(names):
        if name == "impressions":
            raise _retired_impressions("media", MEDIA_DOCS)
        if name not in MEDIA_METRICS:
            raise _invalid_metric(position, MEDIA_METRICS)
        if name not in MEDIA_METRICS_BY_KIND[post.kind]:
            raise invalid_parameter(
                f"The Media Insights API does not support the {name} metric for this media product type."
            )
    breakdown = _listed(call.param("breakdown") or "")
    if breakdown and (breakdown != ["action_type"] or names != ["profile_activity"]):
        raise invalid_parameter("The breakdown action_type is supported for the profile_activity metric only")
    counts = await _media_counts(call, post)
    if post.kind == PostKind.STORY and len(counts.viewers) < STORY_MIN_VIEWERS:
        raise GraphError("(#10) Not enough viewers for the media to show insights", 10)
    items = []
    for name in dict.fromkeys(names):
        title, description = MEDIA_METRICS[name]
        value = _media_value(name, counts)
        item: dict[str, Any] = {"name": name, "period": "lifetime", "values": [{"value": value}], "title": title}
        item["description"] = description
        if breakdown:
            results = [{"dimension_values": ["bio_link_clicked"], "value": counts.taps}] if counts.taps else []
            item["total_value"] = {
                "value": value,
                "breakdowns": [{"dimension_keys": ["action_type"], "results": results}],
            }
        item["id"] = f"{post.id}/insights/{name}/lifetime"
        items.append(item)
    return Page(items)


MEDIA.edges["insights"] = Edge("Media", list=_media_insights, raw=True)
