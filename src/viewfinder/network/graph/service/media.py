"""The Media node: posts, reels, stories and carousel children, and the User's media and stories edges.

One `MediaView` renders a post and each item of a carousel alike; a view reached through a hashtag is
`public_view`, which leaves out what Instagram does not show of hashtag media (the owner and username).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import selectinload

from viewfinder.kit.clock import utcnow
from viewfinder.network.graph import nodes
from viewfinder.network.graph.nodes import Call, Edge, Page, PageArgs, Related, node_type
from viewfinder.network.graph.service.users import absolute
from viewfinder.network.social.models import (
    MediaType,
    NetworkPerson,
    NetworkPost,
    NetworkPostMedia,
    NetworkUserTag,
    PostKind,
)
from viewfinder.network.social.service.people import unblocked

MEDIA = node_type("Media")
USER = node_type("User")

# As long as the network's own pages sign them for: a client reading a page has time to fetch the files.
MEDIA_LINK_SECONDS = 6 * 3600
SHORTCODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
PRODUCT_TYPES = {PostKind.FEED: "FEED", PostKind.REEL: "REELS", PostKind.STORY: "STORY"}
# Fields Instagram does not give for media found through a hashtag.
NOT_ON_PUBLIC_MEDIA = frozenset({"username", "owner"})


@dataclass(frozen=True)
class MediaView:
    """A post (`item` None) or one item of a carousel, with the post's author and media loaded."""

    post: NetworkPost
    item: NetworkPostMedia | None = None
    public_view: bool = False  # reached through a hashtag: no owner, no username

    @property
    def id(self) -> int:
        return self.item.id if self.item is not None else self.post.id

    @property
    def is_carousel(self) -> bool:
        return self.item is None and len(self.post.media) > 1

    @property
    def shown(self) -> NetworkPostMedia | None:
        """The file this view shows: its own, or a post's first (a carousel shows its first item's)."""
        if self.item is not None:
            return self.item
        return self.post.media[0] if self.post.media else None


def with_media(statement: Select[Any]) -> Select[Any]:
    """Posts read with what every view needs (their author and files), in two more queries per page."""
    return statement.options(selectinload(NetworkPost.author), selectinload(NetworkPost.media))


def public_posts_for(viewer_id: int) -> ColumnElement[bool]:
    """Posts of public accounts that neither blocked the viewer nor were blocked by them; `NetworkPerson` must be
    joined as the author."""
    return and_(NetworkPerson.is_private.is_(false()), unblocked(viewer_id, NetworkPost.author_id))


def visible_posts_for(viewer_id: int) -> ColumnElement[bool]:
    """The viewer's own posts, and others' public ones (see `public_posts_for`)."""
    return or_(NetworkPost.author_id == viewer_id, public_posts_for(viewer_id))


def live_story() -> ColumnElement[bool]:
    return and_(NetworkPost.kind == PostKind.STORY, NetworkPost.expires_at > utcnow())


def shortcode(number: int) -> str:
    """The id in Instagram's shortcode alphabet (base 64, most significant digit first)."""
    digits = ""
    while number:
        number, digit = divmod(number, 64)
        digits = SHORTCODE_ALPHABET[digit] + digits
    return digits or SHORTCODE_ALPHABET[0]


def _site_url(call: Call, path: str) -> str:
    return f"{str(call.resources.settings.base_url).rstrip('/')}{path}"


async def _link(call: Call, key: str) -> str | None:
    return absolute(call, await call.resources.storage.signed_url(key, expires_in=MEDIA_LINK_SECONDS))


def _media_type(call: Call, view: MediaView) -> str | None:
    if view.is_carousel:
        return "CAROUSEL_ALBUM"
    shown = view.shown
    if shown is None:
        return None
    return "VIDEO" if shown.media_type == MediaType.VIDEO else "IMAGE"


async def _media_url(call: Call, view: MediaView) -> str | None:
    shown = view.shown
    if shown is None:
        return None
    return await _link(call, shown.video_key if shown.video_key else shown.storage_key)


async def _thumbnail_url(call: Call, view: MediaView) -> str | None:
    shown = view.shown
    if shown is None or shown.media_type != MediaType.VIDEO or view.is_carousel:
        return None
    return await _link(call, shown.storage_key)  # a video's poster, full size


def _permalink(call: Call, view: MediaView) -> str:
    if view.post.kind == PostKind.STORY:
        return _site_url(call, f"/network/stories/{view.post.author.username}")
    link = _site_url(call, f"/network/p/{view.post.id}")
    return f"{link}?img_index={view.item.position + 1}" if view.item is not None else link


def _post_only(value: Any, view: MediaView) -> Any:
    """A post's value, left out for a carousel item (Instagram gives items no counts, caption or owner)."""
    return value if view.item is None else None


def _alt_text(call: Call, view: MediaView) -> str | None:
    shown = view.shown
    return shown.alt_text if shown is not None and shown.alt_text and not view.is_carousel else None


def _refused_on_public(name: str, reader: nodes.Reader) -> nodes.Reader:
    def read(call: Call, view: MediaView) -> Any:
        if view.public_view:
            raise nodes.invalid_parameter(f"The field ({name}) cannot be requested on media found through a hashtag")
        return reader(call, view)

    return read


def _username(call: Call, view: MediaView) -> str:
    return view.post.author.username


MEDIA.fields.update(
    {
        "id": lambda call, view: str(view.id),
        "ig_id": lambda call, view: str(view.id),
        "caption": lambda call, view: _post_only(view.post.caption or None, view),
        "media_type": _media_type,
        "media_product_type": lambda call, view: PRODUCT_TYPES[view.post.kind],
        "media_url": _media_url,
        "thumbnail_url": _thumbnail_url,
        "permalink": _permalink,
        "shortcode": lambda call, view: shortcode(view.id),
        "timestamp": lambda call, view: nodes.graph_time(view.post.created_at),
        "like_count": lambda call, view: _post_only(view.post.like_count, view),
        "comments_count": lambda call, view: _post_only(view.post.comment_count, view),
        "username": _refused_on_public("username", _username),
        "is_comment_enabled": lambda call, view: _post_only(True, view),
        "is_shared_to_feed": lambda call, view: True if view.item is None and view.post.kind == PostKind.REEL else None,
        "alt_text": _alt_text,
    }
)


async def _owner(call: Call, view: MediaView, args: Any) -> NetworkPerson | None:
    if view.public_view:
        raise nodes.invalid_parameter("The field (owner) cannot be requested on media found through a hashtag")
    return None if view.item is not None else view.post.author


MEDIA.related["owner"] = Related("User", _owner)


async def _children(call: Call, view: MediaView, page: PageArgs) -> Page:
    """A carousel's items, in order, in one page (ten at most); other media have none."""
    if not view.is_carousel:
        return Page([])
    return Page([MediaView(view.post, item, view.public_view) for item in view.post.media])


MEDIA.edges["children"] = Edge("Media", list=_children)


async def _load(call: Call, object_id: int) -> MediaView | None:
    """The token account's own posts, stories (while live) and carousel items; others' public posts and items,
    unless a block stands between them. Nothing else exists for the token."""
    viewer = call.person.id
    post = await call.session.scalar(with_media(select(NetworkPost).where(NetworkPost.id == object_id)))
    item: NetworkPostMedia | None = None
    if post is None:
        item = await call.session.scalar(select(NetworkPostMedia).where(NetworkPostMedia.id == object_id))
        if item is None:
            return None
        post = await call.session.scalar(with_media(select(NetworkPost).where(NetworkPost.id == item.post_id)))
        if post is None or len(post.media) < 2:  # a single image's file is not a node of its own
            return None
    if post.kind == PostKind.STORY:
        if post.author_id != viewer or post.expires_at is None or post.expires_at <= utcnow():
            return None
    elif post.author_id != viewer:
        visible = await call.session.scalar(
            select(NetworkPost.id)
            .join(NetworkPerson, NetworkPerson.id == NetworkPost.author_id)
            .where(NetworkPost.id == post.id, public_posts_for(viewer))
        )
        if visible is None:
            return None
    return MediaView(post, item)


MEDIA.load = _load


# Paging


def _cursor_key(cursor: str) -> int:
    if not cursor.isdigit():
        raise nodes.invalid_parameter("Invalid cursor")
    return int(cursor)


async def post_page(call: Call, statement: Select[Any], page: PageArgs, *, public_view: bool = False) -> Page:
    """A page of posts, newest first by id, after (older than) or before (newer than) a cursor's post."""
    statement = with_media(statement)
    if page.after is None and page.before is not None:
        newer = statement.where(NetworkPost.id > _cursor_key(page.before)).order_by(NetworkPost.id.asc())
        rows = list((await call.session.scalars(newer.limit(page.limit))).all())
        rows.reverse()
        has_next = bool(rows)  # the cursor's own post, at least, comes after them
    else:
        if page.after is not None:
            statement = statement.where(NetworkPost.id < _cursor_key(page.after))
        found = list(
            (await call.session.scalars(statement.order_by(NetworkPost.id.desc()).limit(page.limit + 1))).all()
        )
        rows, has_next = found[: page.limit], len(found) > page.limit
    return views_page(rows, has_next=has_next, public_view=public_view)


def views_page(posts: Sequence[NetworkPost], *, has_next: bool, public_view: bool = False) -> Page:
    return Page(
        [MediaView(post, public_view=public_view) for post in posts],
        after=str(posts[-1].id) if posts else None,
        before=str(posts[0].id) if posts else None,
        has_next=has_next,
    )


def capped(page: PageArgs, limit: int) -> PageArgs:
    return replace(page, limit=min(page.limit, limit))


# The User's edges


def _own_account_only(call: Call, person: NetworkPerson) -> None:
    """Stories and tags are the token account's alone (business discovery shows neither)."""
    if person.id != call.person.id:
        raise nodes.missing_permission()


async def _media(call: Call, person: NetworkPerson, page: PageArgs) -> Page:
    """Feed posts, carousels and reels, newest first (stories are their own edge)."""
    statement = select(NetworkPost).where(NetworkPost.author_id == person.id, NetworkPost.kind != PostKind.STORY)
    return await post_page(call, statement, page)


async def _stories(call: Call, person: NetworkPerson, page: PageArgs) -> Page:
    _own_account_only(call, person)
    statement = select(NetworkPost).where(NetworkPost.author_id == person.id, live_story())
    return await post_page(call, statement, page)


async def _tags(call: Call, person: NetworkPerson, page: PageArgs) -> Page:
    """Posts the account is tagged in, newest first, from authors whose posts it may see."""
    _own_account_only(call, person)
    statement = (
        select(NetworkPost)
        .join(NetworkUserTag, NetworkUserTag.post_id == NetworkPost.id)
        .join(NetworkPerson, NetworkPerson.id == NetworkPost.author_id)
        .where(NetworkUserTag.person_id == person.id, visible_posts_for(person.id))
    )
    return await post_page(call, statement, page)


USER.edges["media"] = Edge("Media", list=_media)
USER.edges["stories"] = Edge("Media", list=_stories)
USER.edges["tags"] = Edge("Media", list=_tags)
