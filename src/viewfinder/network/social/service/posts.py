"""Posts: feed posts and carousels with their images, reels and stories with their videos, hashtags and
mentions; the profile grid and hashtag lists.

A post is written all or nothing: every image and video is checked (and re-encoded or re-muxed) before anything
is stored, and the stored files are removed again if the rows cannot be written. `posts_count` on the author
changes in the same transaction as the post, by increments that only run when the post row itself was inserted
or deleted. Stories never count, and never show in the grid or the feed (see service.stories).

Who sees a post: its author; anyone, when the author is public; the author's approved followers, when private.
Someone the author blocked never does (and is answered 404, as if there were no such post).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any, Protocol

import anyio.to_thread
import structlog
from sqlalchemy import ColumnElement, and_, delete, exists, false, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import Forbidden, InvalidInput, NotFound
from viewfinder.kit.images import InvalidImage, PreparedImage, prepare_image
from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.kit.storage import Storage
from viewfinder.kit.video import MP4, DurationLimits, PreparedVideo, looks_like_video, prepare_video
from viewfinder.network.graph.service import webhooks
from viewfinder.network.social.captions import Caption, Entity, checked_caption, parse_caption
from viewfinder.network.social.ids import first_id_at, new_id, parse_id
from viewfinder.network.social.models import (
    FollowState,
    LikeTarget,
    MediaType,
    NetworkBlock,
    NetworkComment,
    NetworkFollow,
    NetworkHashtag,
    NetworkLike,
    NetworkMention,
    NetworkPerson,
    NetworkPost,
    NetworkPostHashtag,
    NetworkPostMedia,
    NetworkUserTag,
    NotificationKind,
    PostKind,
)
from viewfinder.network.social.service.notify import forget_post, notify
from viewfinder.network.social.service.people import check_lists_visible, insert_for, unblocked, visible_person
from viewfinder.network.social.service.tags import parse_user_tags, tag_people

log = structlog.get_logger(__name__)

MIN_FILES = 1
MAX_FILES = 10
MAX_LOCATION_LENGTH = 100
MAX_ALT_TEXT_LENGTH = 1000
MAX_HASHTAG_LENGTH = 100
JPEG = "image/jpeg"
# Each list's cursors carry its name, so a cursor of another list (followers, say) is refused, not misread.
GRID_CURSOR = "grid."
HASHTAG_CURSOR = "tag."
TAGGED_CURSOR = "tagged."
TOP_POSTS_DAYS = 30
REEL_LIMITS = DurationLimits(min_seconds=3, max_seconds=90, noun="reels")
STORY_VIDEO_LIMITS = DurationLimits(min_seconds=1, max_seconds=60, noun="story videos")
STORY_LIFETIME = timedelta(hours=24)


class NotPostAuthor(Forbidden):
    title = "Only the post's author can change it"


@dataclass(frozen=True)
class Upload:
    data: bytes


@dataclass(frozen=True)
class _Media:
    """One checked file of a post: its image (a video's poster) and, for a video, the video."""

    image: PreparedImage
    video: PreparedVideo | None = None


@dataclass(frozen=True)
class GridEntry:
    post: NetworkPost
    first_media: NetworkPostMedia | None


def _no_such_post() -> NotFound:
    return NotFound("No such post: it may have been deleted, or it is not available to you.")


def _caption(text: str) -> Caption:
    caption = checked_caption(text)
    for name in caption.hashtags:
        if len(name) > MAX_HASHTAG_LENGTH:
            raise InvalidInput.on(
                "caption",
                f"A hashtag has at most {MAX_HASHTAG_LENGTH} characters: #{name[:20]}… is longer.",
                "too_long",
            )
    return caption


def _location(location: str | None) -> str | None:
    location = (location or "").strip()
    if len(location) > MAX_LOCATION_LENGTH:
        raise InvalidInput.on("location", f"A location has at most {MAX_LOCATION_LENGTH} characters.", "too_long")
    return location or None


def _alt_texts(alt_texts: Sequence[str] | None, count: int) -> list[str]:
    if not alt_texts:
        return [""] * count
    if len(alt_texts) != count:
        raise InvalidInput.on(
            "alt_texts", f"Send one alt text per file: {count} files, {len(alt_texts)} alt texts.", "count"
        )
    for index, text in enumerate(alt_texts):
        if len(text) > MAX_ALT_TEXT_LENGTH:
            raise InvalidInput.on(
                f"alt_texts[{index}]", f"An alt text has at most {MAX_ALT_TEXT_LENGTH} characters.", "too_long"
            )
    return [text.strip() for text in alt_texts]


async def _prepared(uploads: Sequence[Upload]) -> list[PreparedImage]:
    """Every image checked and re-encoded, or one 422 naming each file that cannot be used."""
    prepared: list[PreparedImage] = []
    errors: list[dict[str, Any]] = []
    for index, upload in enumerate(uploads):
        try:
            prepared.append(
                await anyio.to_thread.run_sync(partial(prepare_image, upload.data, field=f"files[{index}]"))
            )
        except InvalidImage as error:
            errors += error.errors
    if errors:
        raise InvalidImage("; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors)
    return prepared


async def _prepared_video(upload: Upload, poster: Upload | None, limits: DurationLimits) -> _Media:
    """The video checked and re-muxed, with its poster: the image sent, else a frame of the video."""
    video = await anyio.to_thread.run_sync(partial(prepare_video, upload.data, limits=limits, field="files[0]"))
    if poster is not None:
        image = await anyio.to_thread.run_sync(partial(prepare_image, poster.data, field="poster"))
    else:
        image = await anyio.to_thread.run_sync(partial(prepare_image, video.poster_jpeg, field="files[0]"))
    return _Media(image, video)


def _check_shape(
    kind: PostKind, uploads: Sequence[Upload], poster: Upload | None, caption: str | None, location: str | None
) -> None:
    """The files and fields that the post's kind allows, checked before any file is decoded."""
    if kind == PostKind.FEED:
        if not MIN_FILES <= len(uploads) <= MAX_FILES:
            raise InvalidInput.on(
                "files", f"A post has {MIN_FILES} to {MAX_FILES} images; this one has {len(uploads)}.", "count"
            )
        if any(looks_like_video(upload.data) for upload in uploads):
            raise InvalidInput.on(
                "kind", "A video is posted as a reel or a story: send kind=reel or kind=story.", "video"
            )
    elif len(uploads) != 1:
        raise InvalidInput.on("files", f"A {kind.value} has exactly one file; this one has {len(uploads)}.", "count")
    if kind == PostKind.STORY:
        for field, value in (("caption", caption), ("location", location)):
            if (value or "").strip():
                raise InvalidInput.on(field, f"A story has no {field}.", "not_allowed")
    is_video = kind == PostKind.REEL or (kind == PostKind.STORY and looks_like_video(uploads[0].data))
    if poster is not None and not is_video:
        raise InvalidInput.on("poster", "Only a reel or a video story has a poster image.", "not_allowed")


async def _checked_media(kind: PostKind, uploads: Sequence[Upload], poster: Upload | None) -> list[_Media]:
    """Every file checked and re-encoded (images) or re-muxed (videos), or one 422 naming what cannot be used."""
    if kind == PostKind.REEL:
        return [await _prepared_video(uploads[0], poster, REEL_LIMITS)]
    if kind == PostKind.STORY and looks_like_video(uploads[0].data):
        return [await _prepared_video(uploads[0], poster, STORY_VIDEO_LIMITS)]
    return [_Media(image) for image in await _prepared(uploads)]


async def _count_posts(session: AsyncSession, person_id: int, delta: int) -> None:
    statement = update(NetworkPerson).where(NetworkPerson.id == person_id)
    if delta < 0:
        statement = statement.where(NetworkPerson.posts_count >= -delta)
    await session.execute(
        statement.values(posts_count=NetworkPerson.posts_count + delta).execution_options(synchronize_session=False)
    )


async def _index_caption(session: AsyncSession, post: NetworkPost, caption: Caption) -> list[int]:
    """Link the post to its hashtags (created as needed) and to the people it mentions who exist; answer those."""
    if caption.hashtags:
        now = utcnow()
        await session.execute(
            insert_for(session)(NetworkHashtag)
            .values([{"id": new_id(), "name": name, "created_at": now} for name in caption.hashtags])
            .on_conflict_do_nothing(index_elements=["name"])
        )
        hashtag_ids = await session.scalars(select(NetworkHashtag.id).where(NetworkHashtag.name.in_(caption.hashtags)))
        await session.execute(
            insert(NetworkPostHashtag),
            [{"hashtag_id": hashtag_id, "post_id": post.id, "author_id": post.author_id} for hashtag_id in hashtag_ids],
        )
    if caption.mentions:
        # Someone who blocked the author is not linked: their name stays plain text.
        blockers = select(NetworkBlock.blocker_id).where(NetworkBlock.blocked_id == post.author_id)
        person_ids = await session.scalars(
            select(NetworkPerson.id).where(
                NetworkPerson.username_key.in_(caption.mentions), NetworkPerson.id.not_in(blockers)
            )
        )
        rows = [{"post_id": post.id, "person_id": person_id} for person_id in person_ids]
        if rows:
            await session.execute(insert(NetworkMention), rows)
        return [row["person_id"] for row in rows]
    return []


async def _unindex_caption(session: AsyncSession, post_id: int) -> None:
    for table in (NetworkPostHashtag, NetworkMention):
        await session.execute(
            delete(table).where(table.post_id == post_id).execution_options(synchronize_session=False)
        )


def media_keys(post_id: int, media_id: int) -> tuple[str, str]:
    return f"network/posts/{post_id}/{media_id}.jpg", f"network/posts/{post_id}/{media_id}-thumb.jpg"


def video_key(post_id: int, media_id: int) -> str:
    return f"network/posts/{post_id}/{media_id}.mp4"


async def remove_files(storage: Storage, keys: Sequence[str]) -> None:
    """Remove stored files; one that is already gone, or that cannot be removed now, does not stop the rest."""
    for key in keys:
        try:
            await storage.delete(key)
        except Exception as error:  # an orphaned file is better than a failed delete
            log.warning("network_media_not_removed", key=key, error=str(error))


# Writing


async def create_post(
    session: AsyncSession,
    storage: Storage,
    author: NetworkPerson,
    *,
    uploads: Sequence[Upload],
    caption: str | None,
    location: str | None,
    alt_texts: Sequence[str] | None,
    kind: PostKind = PostKind.FEED,
    poster: Upload | None = None,
    user_tags: str | None = None,
) -> NetworkPost:
    """A feed post (one image), a carousel (two to ten), a reel (one video, its poster given or taken from a
    frame) or a story (one image or video, for 24 hours); nothing is written unless all of it can be."""
    _check_shape(kind, uploads, poster, caption, location)
    alts = _alt_texts(alt_texts, len(uploads))
    place = _location(location)
    parsed = _caption(caption or "")
    checked = await _checked_media(kind, uploads, poster)
    if kind == PostKind.STORY and user_tags:
        raise InvalidInput.on("user_tags", "A story cannot tag people.", "invalid")
    tags = parse_user_tags(user_tags, [MediaType.VIDEO if item.video else MediaType.IMAGE for item in checked])

    created_at = utcnow()
    post = NetworkPost(
        id=new_id(),
        author_id=author.id,
        kind=kind,
        expires_at=created_at + STORY_LIFETIME if kind == PostKind.STORY else None,
        caption=parsed.text,
        location=place,
        media_count=len(checked),
        like_count=0,
        comment_count=0,
        created_at=created_at,
        edited_at=None,
    )
    written: list[str] = []
    try:
        media = []
        for position, (item, alt_text) in enumerate(zip(checked, alts, strict=True)):
            media_id = new_id()
            key, thumbnail_key = media_keys(post.id, media_id)
            image = item.image
            await storage.put(key, image.jpeg, JPEG)
            written.append(key)
            await storage.put(thumbnail_key, image.thumbnail, JPEG)
            written.append(thumbnail_key)
            video = None
            if item.video is not None:
                video = video_key(post.id, media_id)
                await storage.put(video, item.video.mp4, MP4)
                written.append(video)
            media.append(
                NetworkPostMedia(
                    id=media_id,
                    post_id=post.id,
                    position=position,
                    storage_key=key,
                    thumbnail_key=thumbnail_key,
                    width=image.width,
                    height=image.height,
                    thumbnail_width=image.thumbnail_width,
                    thumbnail_height=image.thumbnail_height,
                    alt_text=alt_text,
                    media_type=MediaType.VIDEO if item.video else MediaType.IMAGE,
                    video_key=video,
                    duration_ms=item.video.duration_ms if item.video else None,
                )
            )
        session.add(post)
        await session.flush()
        session.add_all(media)
        await session.flush()
        mentioned = await _index_caption(session, post, parsed)
        await notify(
            session, recipient_ids=mentioned, actor_id=author.id, kind=NotificationKind.MENTION, post_id=post.id
        )
        await webhooks.caption_mentions_made(session, post, mentioned)
        tagged = await tag_people(session, post.id, author.id, tags)
        await notify(session, recipient_ids=tagged, actor_id=author.id, kind=NotificationKind.TAG, post_id=post.id)
        if kind != PostKind.STORY:
            await _count_posts(session, author.id, 1)
    except BaseException:
        with anyio.CancelScope(shield=True):
            await remove_files(storage, written)
        raise
    return await _load(session, post.id)


async def update_post(
    session: AsyncSession, viewer: NetworkPerson, post_id: str, changes: dict[str, Any]
) -> NetworkPost:
    """Change the caption (its hashtags and mentions indexed again) or the location; marks the post edited."""
    post = await _own_post(session, viewer, post_id)
    if post.kind == PostKind.STORY:  # a caption would index its hashtags, and stories stay out of those lists
        for field in ("caption", "location"):
            if (changes.get(field) or "").strip():
                raise InvalidInput.on(field, f"A story has no {field}.", "not_allowed")
    if "caption" in changes:
        parsed = _caption(changes["caption"])
        await _unindex_caption(session, post.id)
        post.caption = parsed.text
        await _index_caption(session, post, parsed)
    if "location" in changes:
        post.location = _location(changes["location"])
    post.edited_at = utcnow()
    await session.flush()
    return await _load(session, post.id)


async def delete_post(session: AsyncSession, viewer: NetworkPerson, post_id: str) -> list[str]:
    """Delete the post with its media rows, hashtag links and mentions; answer the storage keys to remove
    once the transaction has committed."""
    post = await _own_post(session, viewer, post_id)
    keys = [key for media in post.media for key in (media.storage_key, media.thumbnail_key, media.video_key) if key]
    await _unindex_caption(session, post.id)
    await _delete_likes(session, post.id)
    await forget_post(session, post.id)
    await session.execute(
        delete(NetworkPostMedia).where(NetworkPostMedia.post_id == post.id).execution_options(synchronize_session=False)
    )
    removed = await session.scalar(
        delete(NetworkPost)
        .where(NetworkPost.id == post.id)
        .returning(NetworkPost.id)
        .execution_options(synchronize_session=False)
    )
    if removed is not None and post.kind != PostKind.STORY:  # a delete that raced ours has counted already
        await _count_posts(session, viewer.id, -1)
    return keys


async def _delete_likes(session: AsyncSession, post_id: int) -> None:
    """The likes of the post and of its comments (which go with the post by their foreign key)."""
    comments = select(NetworkComment.id).where(NetworkComment.post_id == post_id)
    await session.execute(
        delete(NetworkLike)
        .where(
            or_(
                and_(NetworkLike.target_kind == LikeTarget.POST, NetworkLike.target_id == post_id),
                and_(NetworkLike.target_kind == LikeTarget.COMMENT, NetworkLike.target_id.in_(comments)),
            )
        )
        .execution_options(synchronize_session=False)
    )


# Reading


async def _load(session: AsyncSession, post_id: int) -> NetworkPost:
    post = await session.scalar(
        select(NetworkPost)
        .options(selectinload(NetworkPost.author), selectinload(NetworkPost.media))
        .where(NetworkPost.id == post_id)
        .execution_options(populate_existing=True)
    )
    if post is None:
        raise _no_such_post()
    return post


async def _blocks(session: AsyncSession, blocker_id: int, blocked_id: int) -> bool:
    return bool(
        await session.scalar(
            select(exists().where(NetworkBlock.blocker_id == blocker_id, NetworkBlock.blocked_id == blocked_id))
        )
    )


async def _follows(session: AsyncSession, follower_id: int, followee_id: int) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    NetworkFollow.follower_id == follower_id,
                    NetworkFollow.followee_id == followee_id,
                    NetworkFollow.state == FollowState.ACTIVE,
                )
            )
        )
    )


async def can_see_posts_of(session: AsyncSession, viewer: NetworkPerson | None, author: NetworkPerson) -> bool:
    if viewer is not None and viewer.id == author.id:
        return True
    if viewer is not None and await _blocks(session, author.id, viewer.id):
        return False
    if not author.is_private:
        return True
    return viewer is not None and await _follows(session, viewer.id, author.id)


async def get_post(session: AsyncSession, viewer: NetworkPerson | None, post_id: str) -> NetworkPost:
    number = parse_id(post_id)
    if number is None:
        raise _no_such_post()
    post = await _load(session, number)
    if not await can_see_posts_of(session, viewer, post.author):
        raise _no_such_post()
    expired = post.expires_at is not None and post.expires_at <= utcnow()
    if expired and (viewer is None or viewer.id != post.author_id):  # an expired story is its author's alone
        raise _no_such_post()
    return post


async def _own_post(session: AsyncSession, viewer: NetworkPerson, post_id: str) -> NetworkPost:
    post = await get_post(session, viewer, post_id)
    if post.author_id != viewer.id:
        raise NotPostAuthor("Only the post's author can change or delete it.")
    return post


async def caption_entities(session: AsyncSession, post: NetworkPost) -> list[Entity]:
    """The caption's hashtags, and its mentions of the people it is linked to (other `@names` are text)."""
    entities = parse_caption(post.caption).entities
    if not entities:
        return []
    mentioned = set(
        await session.scalars(
            select(NetworkPerson.username_key)
            .join(NetworkMention, NetworkMention.person_id == NetworkPerson.id)
            .where(NetworkMention.post_id == post.id)
        )
    )
    return [entity for entity in entities if entity.kind == "hashtag" or entity.value in mentioned]


class Captioned(Protocol):
    """A post, or a row of one, with its caption."""

    @property
    def id(self) -> int: ...

    @property
    def caption(self) -> str: ...


async def caption_entities_of(session: AsyncSession, posts: Sequence[Captioned]) -> dict[int, list[Entity]]:
    """`caption_entities` for many posts in one query (run whenever there are posts, so that a page's number
    of queries does not depend on what its captions hold)."""
    if not posts:
        return {}
    mentioned: dict[int, set[str]] = {post.id: set() for post in posts}
    rows = await session.execute(
        select(NetworkMention.post_id, NetworkPerson.username_key)
        .join(NetworkPerson, NetworkPerson.id == NetworkMention.person_id)
        .where(NetworkMention.post_id.in_(list(mentioned)))
    )
    for post_id, username_key in rows:
        mentioned[post_id].add(username_key)
    return {
        post.id: [
            entity
            for entity in parse_caption(post.caption).entities
            if entity.kind == "hashtag" or entity.value in mentioned[post.id]
        ]
        for post in posts
    }


def scoped(params: PageParams, prefix: str) -> PageParams:
    """The page's parameters with the list's cursor prefix taken off (a cursor of another list is refused)."""
    if params.cursor is None:
        return params
    if not params.cursor.startswith(prefix):
        raise InvalidInput(
            "The cursor does not belong to this list: pass the next_cursor of a previous page unchanged.",
            errors=[{"field": "cursor", "message": "not a valid cursor", "code": "cursor"}],
        )
    return PageParams(limit=params.limit, cursor=params.cursor.removeprefix(prefix))


async def grid_entries(session: AsyncSession, posts: Sequence[NetworkPost]) -> list[GridEntry]:
    if not posts:
        return []
    first = {
        media.post_id: media
        for media in await session.scalars(
            select(NetworkPostMedia).where(
                NetworkPostMedia.post_id.in_([post.id for post in posts]), NetworkPostMedia.position == 0
            )
        )
    }
    return [GridEntry(post, first.get(post.id)) for post in posts]


async def list_person_posts(
    session: AsyncSession, viewer: NetworkPerson | None, username: str, params: PageParams
) -> tuple[list[GridEntry], str | None]:
    """The profile grid, newest first; a private account shows it to its followers only."""
    person = await visible_person(session, viewer, username)
    await check_lists_visible(session, viewer, person)
    statement = select(NetworkPost).where(NetworkPost.author_id == person.id, NetworkPost.kind != PostKind.STORY)
    posts, next_cursor = await paginate(session, statement, [NetworkPost.id], scoped(params, GRID_CURSOR))
    return await grid_entries(session, posts), GRID_CURSOR + next_cursor if next_cursor else None


async def list_tagged_posts(
    session: AsyncSession, viewer: NetworkPerson | None, username: str, params: PageParams
) -> tuple[list[GridEntry], str | None]:
    """The posts the person is tagged in, newest first: the profile's "Tagged" grid. A private account shows it
    to its followers only, and each post shows only where its author's posts would."""
    person = await visible_person(session, viewer, username)
    await check_lists_visible(session, viewer, person)
    statement = (
        select(NetworkPost)
        .join(NetworkUserTag, NetworkUserTag.post_id == NetworkPost.id)
        .join(NetworkPerson, NetworkPerson.id == NetworkPost.author_id)
        .where(NetworkUserTag.person_id == person.id, _visible_authors(viewer, NetworkPost.author_id))
    )
    posts, next_cursor = await paginate(session, statement, [NetworkPost.id], scoped(params, TAGGED_CURSOR))
    return await grid_entries(session, posts), TAGGED_CURSOR + next_cursor if next_cursor else None


def _hashtag_name(name: str) -> str:
    return name.strip().removeprefix("#").lower()


def _visible_authors(
    viewer: NetworkPerson | None, author_id: InstrumentedAttribute[int] = NetworkPostHashtag.author_id
) -> ColumnElement[bool]:
    """Whose posts the viewer sees in lists: public accounts, their own, those they follow; no blocked relation.
    `NetworkPerson` must be joined as the author."""
    public = NetworkPerson.is_private.is_(false())
    if viewer is None:
        return public
    followed = select(NetworkFollow.followee_id).where(
        NetworkFollow.follower_id == viewer.id, NetworkFollow.state == FollowState.ACTIVE
    )
    return and_(or_(public, author_id == viewer.id, author_id.in_(followed)), unblocked(viewer.id, author_id))


async def list_hashtag_posts(
    session: AsyncSession, viewer: NetworkPerson | None, name: str, params: PageParams
) -> tuple[list[GridEntry], str | None]:
    """Recent posts with the hashtag, newest first: from public accounts, and those the viewer follows."""
    page = scoped(params, HASHTAG_CURSOR)
    hashtag_id = await session.scalar(select(NetworkHashtag.id).where(NetworkHashtag.name == _hashtag_name(name)))
    if hashtag_id is None:
        return [], None
    statement = (
        select(NetworkPostHashtag)
        .join(NetworkPerson, NetworkPerson.id == NetworkPostHashtag.author_id)
        .where(NetworkPostHashtag.hashtag_id == hashtag_id, _visible_authors(viewer))
    )
    links, next_cursor = await paginate(session, statement, [NetworkPostHashtag.post_id], page)
    ids = [link.post_id for link in links]
    by_id = {post.id: post for post in await session.scalars(select(NetworkPost).where(NetworkPost.id.in_(ids)))}
    posts = [by_id[post_id] for post_id in ids if post_id in by_id]
    return await grid_entries(session, posts), HASHTAG_CURSOR + next_cursor if next_cursor else None


async def list_hashtag_top(
    session: AsyncSession, viewer: NetworkPerson | None, name: str, limit: int
) -> list[GridEntry]:
    """The hashtag's most engaging posts (likes and comments) of the last `TOP_POSTS_DAYS` days, from public
    accounts and those the viewer follows: one ranked page, as Instagram's top posts are."""
    hashtag_id = await session.scalar(select(NetworkHashtag.id).where(NetworkHashtag.name == _hashtag_name(name)))
    if hashtag_id is None:
        return []
    # Ids grow with time: the window is a range of the (hashtag, post) key, not a scan of the hashtag's posts.
    since = first_id_at(utcnow() - timedelta(days=TOP_POSTS_DAYS))
    statement = (
        select(NetworkPost)
        .join(NetworkPostHashtag, NetworkPostHashtag.post_id == NetworkPost.id)
        .join(NetworkPerson, NetworkPerson.id == NetworkPostHashtag.author_id)
        .where(NetworkPostHashtag.hashtag_id == hashtag_id, NetworkPostHashtag.post_id >= since)
        .where(_visible_authors(viewer))
        .order_by((NetworkPost.like_count + NetworkPost.comment_count).desc(), NetworkPost.id.desc())
        .limit(limit)
    )
    return await grid_entries(session, list(await session.scalars(statement)))


async def get_hashtag(session: AsyncSession, name: str) -> tuple[str, int]:
    """The hashtag's name and how many posts have it."""
    key = _hashtag_name(name)
    hashtag_id = await session.scalar(select(NetworkHashtag.id).where(NetworkHashtag.name == key))
    if hashtag_id is None:
        raise NotFound(f"No post has the hashtag #{key} yet.")
    count = await session.scalar(
        select(func.count()).select_from(NetworkPostHashtag).where(NetworkPostHashtag.hashtag_id == hashtag_id)
    )
    return key, int(count or 0)
