"""Hashtag search through the Graph: `ig_hashtag_search` (30 distinct hashtags per account per rolling 7 days, listed
by the User's `recently_searched_hashtags`), the Hashtag node, and its `recent_media` (last 24 hours) and
`top_media` (most engaging) edges of public posts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit.clock import utcnow
from viewfinder.network.graph import nodes
from viewfinder.network.graph.models import NetworkHashtagSearch
from viewfinder.network.graph.nodes import Call, Edge, Page, PageArgs, node_type
from viewfinder.network.graph.service.media import capped, post_page, public_posts_for, views_page, with_media
from viewfinder.network.social.ids import first_id_at, new_id
from viewfinder.network.social.models import NetworkHashtag, NetworkPerson, NetworkPost, NetworkPostHashtag
from viewfinder.network.social.service.people import insert_for
from viewfinder.network.social.service.posts import MAX_HASHTAG_LENGTH, TOP_POSTS_DAYS

HASHTAG = node_type("Hashtag")
USER = node_type("User")

SEARCH_QUOTA = 30  # distinct hashtags per account
SEARCH_WINDOW = timedelta(days=7)
RECENT_WINDOW = timedelta(hours=24)
MAX_HASHTAG_MEDIA_LIMIT = 50
# As a caption's hashtag is read (see social.captions): letters, digits or `_`, at least one not a digit.
_HASHTAG_NAME = re.compile(r"\w*[^\W\d]\w*")


def hashtag_name(query: str) -> str:
    """The name as the network stores it (lowercased, without `#`), or error 100 when it cannot be a hashtag."""
    name = query.strip().removeprefix("#").lower()
    if not _HASHTAG_NAME.fullmatch(name) or len(name) > MAX_HASHTAG_LENGTH:
        raise nodes.invalid_parameter(f"The hashtag {query[:40]!r} is not a valid hashtag name")
    return name


def _search_limit_reached() -> nodes.GraphError:
    return nodes.GraphError(
        f"(#24) You have reached the maximum of {SEARCH_QUOTA} unique hashtags that can be queried within 7 days",
        24,
        is_transient=False,
        user_title="Hashtag search limit reached",
        user_message=f"This account has queried {SEARCH_QUOTA} unique hashtags in the last 7 days.",
    )


def _check_own_user_id(call: Call, user_id: str | None) -> None:
    """`user_id` names the account asking, which must be the token's."""
    if user_id is None:
        raise nodes.invalid_parameter("The parameter user_id is required")
    if user_id != str(call.person.id):
        raise nodes.invalid_parameter(f"Param user_id must be the id of the app user's account, not {user_id[:30]}")


async def _hashtag_id(session: AsyncSession, name: str) -> int:
    """The hashtag's id, made when no post has used it yet (ids are global and stay, as Instagram's)."""
    await session.execute(
        insert_for(session)(NetworkHashtag)
        .values(id=new_id(), name=name, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["name"])
    )
    hashtag_id = await session.scalar(select(NetworkHashtag.id).where(NetworkHashtag.name == name))
    assert hashtag_id is not None  # inserted above, or already there
    return hashtag_id


async def count_search(session: AsyncSession, person_id: int, hashtag_id: int) -> None:
    """Count the hashtag against the account's weekly quota: searching one already counted is free and keeps its
    first search's timer; a new one past the quota is refused."""
    # One search at a time per account (on PostgreSQL; SQLite writes one at a time anyway), so that two new
    # hashtags searched at once cannot both take the last place of the quota.
    await session.execute(select(NetworkPerson.id).where(NetworkPerson.id == person_id).with_for_update())
    since = utcnow() - SEARCH_WINDOW
    counted = set(
        await session.scalars(
            select(NetworkHashtagSearch.hashtag_id).where(
                NetworkHashtagSearch.person_id == person_id, NetworkHashtagSearch.searched_at > since
            )
        )
    )
    if hashtag_id in counted:
        return
    if len(counted) >= SEARCH_QUOTA:
        raise _search_limit_reached()
    session.add(NetworkHashtagSearch(person_id=person_id, hashtag_id=hashtag_id, searched_at=utcnow()))
    await session.flush()


@nodes.root("ig_hashtag_search")
async def search_hashtag(call: Call) -> dict[str, Any]:
    """`GET ig_hashtag_search?user_id=…&q=…` → `{"data": [{"id": …}]}`."""
    _check_own_user_id(call, call.param("user_id"))
    name = hashtag_name(call.required("q"))
    hashtag_id = await _hashtag_id(call.session, name)
    await count_search(call.session, call.person.id, hashtag_id)
    return {"data": [{"id": str(hashtag_id)}]}


HASHTAG.fields.update({"id": lambda call, tag: str(tag.id), "name": lambda call, tag: tag.name})


async def _load(call: Call, object_id: int) -> NetworkHashtag | None:
    return await call.session.get(NetworkHashtag, object_id)


HASHTAG.load = _load


def _hashtag_posts(call: Call, hashtag: NetworkHashtag) -> Any:
    """Public posts with the hashtag, of accounts with no block between them and the token's account."""
    return (
        select(NetworkPost)
        .join(NetworkPostHashtag, NetworkPostHashtag.post_id == NetworkPost.id)
        .join(NetworkPerson, NetworkPerson.id == NetworkPost.author_id)
        .where(NetworkPostHashtag.hashtag_id == hashtag.id, public_posts_for(call.person.id))
    )


async def _recent_media(call: Call, hashtag: NetworkHashtag, page: PageArgs) -> Page:
    """The last 24 hours' posts with the hashtag, newest first; only `after` cursors, as on Instagram."""
    _check_own_user_id(call, page.args.get("user_id") or None)
    since = first_id_at(utcnow() - RECENT_WINDOW)
    statement = _hashtag_posts(call, hashtag).where(NetworkPostHashtag.post_id >= since)
    found = await post_page(
        call, statement, replace(capped(page, MAX_HASHTAG_MEDIA_LIMIT), before=None), public_view=True
    )
    return replace(found, before=None)


def _cursor_number(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise nodes.invalid_parameter("Invalid cursor")
    return int(cursor)


async def _top_media(call: Call, hashtag: NetworkHashtag, page: PageArgs) -> Page:
    """The most liked and commented posts with the hashtag of the last 30 days (as the network's own top posts),
    by rank; the cursor is a position in that ranking."""
    _check_own_user_id(call, page.args.get("user_id") or None)
    limit = capped(page, MAX_HASHTAG_MEDIA_LIMIT).limit
    start = _cursor_number(page.after)
    since = first_id_at(utcnow() - timedelta(days=TOP_POSTS_DAYS))
    statement = (
        with_media(_hashtag_posts(call, hashtag))
        .where(NetworkPostHashtag.post_id >= since)
        .order_by((NetworkPost.like_count + NetworkPost.comment_count).desc(), NetworkPost.id.desc())
        .offset(start)
        .limit(limit + 1)
    )
    rows = list((await call.session.scalars(statement)).all())
    found = views_page(rows[:limit], has_next=len(rows) > limit, public_view=True)
    return replace(found, after=str(start + limit) if found.items else None, before=None)


async def _recently_searched(call: Call, person: NetworkPerson, page: PageArgs) -> Page:
    """The hashtags the account searched in the rolling 7 days (its quota used), latest search first."""
    if person.id != call.person.id:
        raise nodes.missing_permission()
    page = capped(page, SEARCH_QUOTA)
    statement = select(NetworkHashtagSearch).where(
        NetworkHashtagSearch.person_id == person.id, NetworkHashtagSearch.searched_at > utcnow() - SEARCH_WINDOW
    )
    if page.after is not None:
        statement = statement.where(NetworkHashtagSearch.id < _cursor_number(page.after))
    rows = list(
        (await call.session.scalars(statement.order_by(NetworkHashtagSearch.id.desc()).limit(page.limit + 1))).all()
    )
    searches = rows[: page.limit]
    by_id = {
        tag.id: tag
        for tag in await call.session.scalars(
            select(NetworkHashtag).where(NetworkHashtag.id.in_([search.hashtag_id for search in searches]))
        )
    }
    return Page(
        [by_id[search.hashtag_id] for search in searches],
        after=str(searches[-1].id) if searches else None,
        before=str(searches[0].id) if searches else None,
        has_next=len(rows) > page.limit,
    )


USER.edges["recently_searched_hashtags"] = Edge("Hashtag", list=_recently_searched)
HASHTAG.edges["recent_media"] = Edge("Media", list=_recent_media)
HASHTAG.edges["top_media"] = Edge("Media", list=_top_media)
