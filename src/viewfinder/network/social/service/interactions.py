"""Likes (one model for posts and comments) and comments with one level of replies; hiding and deleting them.

Counts stay exact by the same rule as the people's: they change in the transaction that changes the rows, by
increments that only run when the row itself changed (a like inserted or deleted, a comment hidden).

Comment writes on a post first touch the post's row (`UPDATE … SET comment_count = comment_count`): on
PostgreSQL that takes its row lock, on SQLite the write lock, so the writes on one post's comments run one
after another and each reads the state the previous one left. That is what keeps `comment_count` exact while
hiding a comment also hides its replies from others:

- the post's `comment_count` counts the comments others see: not hidden, in a thread whose top-level comment
  is not hidden;
- a top-level comment's `reply_count` counts its replies that are not hidden.

Whoever cannot see the post (private, or blocked by its author) is answered 404 for the post, its likes and
comments, and every comment on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import Forbidden, InvalidInput, NotFound
from viewfinder.kit.pagination import PageParams, paginate
from viewfinder.network.graph.service import webhooks
from viewfinder.network.social.captions import parse_caption
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.network.social.models import (
    LikeTarget,
    NetworkComment,
    NetworkLike,
    NetworkPerson,
    NetworkPost,
    NotificationKind,
)
from viewfinder.network.social.service.notify import forget_comment, mentionable, notify, withdraw
from viewfinder.network.social.service.people import insert_for, unblocked
from viewfinder.network.social.service.posts import can_see_posts_of, get_post, scoped

MAX_COMMENT_LENGTH = 2200
FIRST_REPLIES = 2
# Each list's cursors carry its name, so a cursor of another list is refused, not misread.
LIKES_CURSOR = "likes."
COMMENTS_CURSOR = "comments."
REPLIES_CURSOR = "replies."


class NotPostOwner(Forbidden):
    type, title = "not-post-owner", "Only the post's owner can do this"


class NotCommentAuthor(Forbidden):
    type, title = "not-comment-author", "Only the comment's author or the post's owner can delete it"


@dataclass
class CommentView:
    """A comment as the viewer sees it, with the first replies of a top-level comment."""

    comment: NetworkComment
    liked_by_viewer: bool = False
    replies: list[CommentView] = field(default_factory=list)


def _no_such_comment() -> NotFound:
    return NotFound("No such comment: it may have been deleted, or it is not available to you.")


# Likes


async def _like(session: AsyncSession, person: NetworkPerson, kind: LikeTarget, target_id: int) -> bool:
    inserted = await session.scalar(
        insert_for(session)(NetworkLike)
        .values(id=new_id(), person_id=person.id, target_kind=kind, target_id=target_id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["target_kind", "target_id", "person_id"])
        .returning(NetworkLike.id)
    )
    return inserted is not None


async def _unlike(session: AsyncSession, person: NetworkPerson, kind: LikeTarget, target_id: int) -> bool:
    removed = await session.scalar(
        delete(NetworkLike)
        .where(NetworkLike.target_kind == kind, NetworkLike.target_id == target_id, NetworkLike.person_id == person.id)
        .returning(NetworkLike.id)
        .execution_options(synchronize_session=False)
    )
    return removed is not None


async def _count_post_likes(session: AsyncSession, post_id: int, delta: int) -> int:
    statement = update(NetworkPost).where(NetworkPost.id == post_id)
    if delta < 0:
        statement = statement.where(NetworkPost.like_count >= -delta)
    await session.execute(
        statement.values(like_count=NetworkPost.like_count + delta).execution_options(synchronize_session=False)
    )
    return int(await session.scalar(select(NetworkPost.like_count).where(NetworkPost.id == post_id)) or 0)


async def _count_comment_likes(session: AsyncSession, comment_id: int, delta: int) -> int:
    statement = update(NetworkComment).where(NetworkComment.id == comment_id)
    if delta < 0:
        statement = statement.where(NetworkComment.like_count >= -delta)
    await session.execute(
        statement.values(like_count=NetworkComment.like_count + delta).execution_options(synchronize_session=False)
    )
    return int(await session.scalar(select(NetworkComment.like_count).where(NetworkComment.id == comment_id)) or 0)


async def like_post(session: AsyncSession, viewer: NetworkPerson, post_id: str) -> int:
    """Like a post the viewer can see; liking again changes nothing. Answers the post's like count."""
    post = await get_post(session, viewer, post_id)
    inserted = await _like(session, viewer, LikeTarget.POST, post.id)
    if inserted:
        await notify(
            session, recipient_ids=[post.author_id], actor_id=viewer.id, kind=NotificationKind.LIKE, post_id=post.id
        )
    return await _count_post_likes(session, post.id, 1 if inserted else 0)


async def unlike_post(session: AsyncSession, viewer: NetworkPerson, post_id: str) -> int:
    post = await get_post(session, viewer, post_id)
    removed = await _unlike(session, viewer, LikeTarget.POST, post.id)
    if removed:
        await withdraw(session, actor_id=viewer.id, kinds=[NotificationKind.LIKE], post_id=post.id)
    return await _count_post_likes(session, post.id, -1 if removed else 0)


async def liked(session: AsyncSession, viewer: NetworkPerson | None, kind: LikeTarget, ids: Sequence[int]) -> set[int]:
    """Which of these targets the viewer liked (none when nobody is signed in): one indexed query."""
    if viewer is None or not ids:
        return set()
    return set(
        await session.scalars(
            select(NetworkLike.target_id).where(
                NetworkLike.target_kind == kind,
                NetworkLike.target_id.in_(list(ids)),
                NetworkLike.person_id == viewer.id,
            )
        )
    )


async def list_post_likers(
    session: AsyncSession, viewer: NetworkPerson | None, post_id: str, params: PageParams
) -> tuple[list[NetworkPerson], str | None]:
    """Who liked the post, newest like first."""
    post = await get_post(session, viewer, post_id)
    statement = (
        select(NetworkLike)
        .options(joinedload(NetworkLike.person))
        .where(NetworkLike.target_kind == LikeTarget.POST, NetworkLike.target_id == post.id)
    )
    rows, next_cursor = await paginate(session, statement, [NetworkLike.id], scoped(params, LIKES_CURSOR))
    return [row.person for row in rows], LIKES_CURSOR + next_cursor if next_cursor else None


# Finding comments


@dataclass(frozen=True)
class _Found:
    comment: NetworkComment
    post: NetworkPost


async def _visible_comment(session: AsyncSession, viewer: NetworkPerson | None, comment_id: str) -> _Found:
    """The comment with its post, as the viewer may see it: hidden ones only for the post's owner."""
    number = parse_id(comment_id)
    if number is None:
        raise _no_such_comment()
    row = (
        await session.execute(
            select(NetworkComment, NetworkPost)
            .join(NetworkPost, NetworkPost.id == NetworkComment.post_id)
            .options(joinedload(NetworkPost.author))
            .where(NetworkComment.id == number)
            .execution_options(populate_existing=True)
        )
    ).one_or_none()
    if row is None:
        raise _no_such_comment()
    comment, post = row
    if not await can_see_posts_of(session, viewer, post.author):
        raise _no_such_comment()
    is_owner = viewer is not None and viewer.id == post.author_id
    if not is_owner:
        hidden = comment.hidden
        if not hidden and comment.parent_id is not None:
            hidden = bool(
                await session.scalar(select(NetworkComment.hidden).where(NetworkComment.id == comment.parent_id))
            )
        if hidden:
            raise _no_such_comment()
    return _Found(comment, post)


async def _lock_post(session: AsyncSession, post_id: int) -> None:
    """Serialize the comment writes on one post (see the module's note); a post deleted meanwhile is gone."""
    touched = await session.scalar(
        update(NetworkPost)
        .where(NetworkPost.id == post_id)
        .values(comment_count=NetworkPost.comment_count)
        .returning(NetworkPost.id)
        .execution_options(synchronize_session=False)
    )
    if touched is None:
        raise NotFound("No such post: it may have been deleted, or it is not available to you.")


async def _state(session: AsyncSession, comment_id: int) -> NetworkComment | None:
    """The comment as it is now, read after the post's lock."""
    return await session.scalar(
        select(NetworkComment).where(NetworkComment.id == comment_id).execution_options(populate_existing=True)
    )


async def _add(
    session: AsyncSession, *, post_id: int, comments: int = 0, replies_of: int | None = None, replies: int = 0
) -> None:
    if comments:
        await session.execute(
            update(NetworkPost)
            .where(NetworkPost.id == post_id)
            .values(comment_count=NetworkPost.comment_count + comments)
            .execution_options(synchronize_session=False)
        )
    if replies_of is not None and replies:
        await session.execute(
            update(NetworkComment)
            .where(NetworkComment.id == replies_of)
            .values(reply_count=NetworkComment.reply_count + replies)
            .execution_options(synchronize_session=False)
        )


# Writing comments


def _text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput.on("text", "Write something: a comment cannot be empty.", "empty")
    if len(text) > MAX_COMMENT_LENGTH:
        raise InvalidInput.on("text", f"A comment has at most {MAX_COMMENT_LENGTH:,} characters.", "too_long")
    return text


async def create_comment(
    session: AsyncSession, viewer: NetworkPerson, post_id: str, *, text: str, reply_to: str | None
) -> CommentView:
    """Comment on a post, or reply to a comment on it: a reply to a reply joins the top-level comment's thread."""
    post = await get_post(session, viewer, post_id)
    body = _text(text)
    await _lock_post(session, post.id)
    parent: NetworkComment | None = None
    if reply_to is not None:
        number = parse_id(reply_to)
        target = await _state(session, number) if number is not None else None
        if target is not None and target.parent_id is not None:
            target = await _state(session, target.parent_id)
        if target is None or target.post_id != post.id:
            raise InvalidInput.on("reply_to", "Reply to a comment of this post.", "not_found")
        if target.hidden and viewer.id != post.author_id:
            raise InvalidInput.on("reply_to", "Reply to a comment of this post.", "not_found")
        parent = target
    comment = NetworkComment(
        id=new_id(),
        post_id=post.id,
        author_id=viewer.id,
        parent_id=parent.id if parent else None,
        text=body,
        hidden=False,
        like_count=0,
        reply_count=0,
        created_at=utcnow(),
    )
    session.add(comment)
    await session.flush()
    created_id = comment.id
    if parent is None:
        await _add(session, post_id=post.id, comments=1)
    else:
        await _add(session, post_id=post.id, comments=0 if parent.hidden else 1, replies_of=parent.id, replies=1)
    await _notify_comment(session, viewer, post, parent, created_id, body)
    await webhooks.comment_made(session, post, comment)
    return await _view(session, viewer, created_id)


async def _notify_comment(
    session: AsyncSession,
    viewer: NetworkPerson,
    post: NetworkPost,
    parent: NetworkComment | None,
    comment_id: int,
    text: str,
) -> None:
    """A comment notifies the post's author, a reply the comment's author; a mention, whom it mentions."""
    recipient = post.author_id if parent is None else parent.author_id
    kind = NotificationKind.COMMENT if parent is None else NotificationKind.REPLY
    await notify(
        session, recipient_ids=[recipient], actor_id=viewer.id, kind=kind, post_id=post.id, comment_id=comment_id
    )
    mentioned = [
        person_id
        for person_id in await mentionable(session, viewer.id, parse_caption(text).mentions)
        if person_id != recipient  # notified of the comment already
    ]
    await notify(
        session,
        recipient_ids=mentioned,
        actor_id=viewer.id,
        kind=NotificationKind.MENTION,
        post_id=post.id,
        comment_id=comment_id,
    )


async def _thread_parent(session: AsyncSession, comment: NetworkComment) -> NetworkComment | None:
    return await _state(session, comment.parent_id) if comment.parent_id is not None else None


async def set_hidden(session: AsyncSession, viewer: NetworkPerson, comment_id: str, hidden: bool) -> CommentView:
    """Hide a comment from everyone but the post's owner, or show it again; only the post's owner can."""
    found = await _visible_comment(session, viewer, comment_id)
    if found.post.author_id != viewer.id:
        raise NotPostOwner("Only the post's owner can hide or unhide its comments.")
    await _lock_post(session, found.post.id)
    comment = await _state(session, found.comment.id)
    if comment is None:
        raise _no_such_comment()
    if comment.hidden != hidden:
        sign = -1 if hidden else 1
        parent = await _thread_parent(session, comment)
        if parent is None:
            await _add(session, post_id=comment.post_id, comments=sign * (1 + comment.reply_count))
        else:
            await _add(
                session,
                post_id=comment.post_id,
                comments=0 if parent.hidden else sign,
                replies_of=parent.id,
                replies=sign,
            )
        await session.execute(
            update(NetworkComment)
            .where(NetworkComment.id == comment.id)
            .values(hidden=hidden)
            .execution_options(synchronize_session=False)
        )
    return await _view(session, viewer, comment.id)


async def delete_comment(session: AsyncSession, viewer: NetworkPerson, comment_id: str) -> None:
    """Delete a comment (its author or the post's owner); a top-level comment takes its replies with it."""
    found = await _visible_comment(session, viewer, comment_id)
    if viewer.id not in (found.comment.author_id, found.post.author_id):
        raise NotCommentAuthor("Only the comment's author or the post's owner can delete it.")
    await _lock_post(session, found.post.id)
    comment = await _state(session, found.comment.id)
    if comment is None:  # deleted meanwhile: nothing left to count
        return
    parent = await _thread_parent(session, comment)
    if parent is None:
        await _add(session, post_id=comment.post_id, comments=0 if comment.hidden else -(1 + comment.reply_count))
        await _delete_likes(session, comment.id, with_replies=True)
        await forget_comment(session, comment.id, with_replies=True)
        await session.execute(
            delete(NetworkComment)
            .where(NetworkComment.parent_id == comment.id)
            .execution_options(synchronize_session=False)
        )
    else:
        if not comment.hidden:
            await _add(
                session, post_id=comment.post_id, comments=0 if parent.hidden else -1, replies_of=parent.id, replies=-1
            )
        await _delete_likes(session, comment.id, with_replies=False)
        await forget_comment(session, comment.id, with_replies=False)
    await session.execute(
        delete(NetworkComment).where(NetworkComment.id == comment.id).execution_options(synchronize_session=False)
    )


async def _delete_likes(session: AsyncSession, comment_id: int, *, with_replies: bool) -> None:
    targets = NetworkLike.target_id == comment_id
    if with_replies:
        replies = select(NetworkComment.id).where(NetworkComment.parent_id == comment_id)
        targets = or_(targets, NetworkLike.target_id.in_(replies))
    await session.execute(
        delete(NetworkLike)
        .where(NetworkLike.target_kind == LikeTarget.COMMENT, targets)
        .execution_options(synchronize_session=False)
    )


# Likes on comments


async def like_comment(session: AsyncSession, viewer: NetworkPerson, comment_id: str) -> int:
    found = await _visible_comment(session, viewer, comment_id)
    inserted = await _like(session, viewer, LikeTarget.COMMENT, found.comment.id)
    if inserted:
        await notify(
            session,
            recipient_ids=[found.comment.author_id],
            actor_id=viewer.id,
            kind=NotificationKind.COMMENT_LIKE,
            post_id=found.post.id,
            comment_id=found.comment.id,
        )
    return await _count_comment_likes(session, found.comment.id, 1 if inserted else 0)


async def unlike_comment(session: AsyncSession, viewer: NetworkPerson, comment_id: str) -> int:
    found = await _visible_comment(session, viewer, comment_id)
    removed = await _unlike(session, viewer, LikeTarget.COMMENT, found.comment.id)
    if removed:
        await withdraw(session, actor_id=viewer.id, kinds=[NotificationKind.COMMENT_LIKE], comment_id=found.comment.id)
    return await _count_comment_likes(session, found.comment.id, -1 if removed else 0)


# Reading comments


async def _views(
    session: AsyncSession, viewer: NetworkPerson | None, comments: Sequence[NetworkComment]
) -> list[CommentView]:
    mine = await liked(session, viewer, LikeTarget.COMMENT, [comment.id for comment in comments])
    return [CommentView(comment, comment.id in mine) for comment in comments]


async def _view(session: AsyncSession, viewer: NetworkPerson, comment_id: int) -> CommentView:
    comment = await session.scalar(
        select(NetworkComment)
        .options(joinedload(NetworkComment.author))
        .where(NetworkComment.id == comment_id)
        .execution_options(populate_existing=True)
    )
    if comment is None:
        raise _no_such_comment()
    return (await _views(session, viewer, [comment]))[0]


async def list_comments(
    session: AsyncSession, viewer: NetworkPerson | None, post_id: str, params: PageParams
) -> tuple[list[CommentView], str | None]:
    """A post's top-level comments, oldest first, each with its first replies: a fixed number of queries. The
    comments of people the viewer blocked, or who blocked the viewer, are left out, with their replies."""
    post = await get_post(session, viewer, post_id)
    owner = viewer is not None and viewer.id == post.author_id
    statement = (
        select(NetworkComment)
        .options(joinedload(NetworkComment.author))
        .where(NetworkComment.post_id == post.id, NetworkComment.parent_id.is_(None), *_unblocked(viewer))
    )
    if not owner:
        statement = statement.where(NetworkComment.hidden.is_(False))
    comments, next_cursor = await paginate(
        session, statement, [NetworkComment.id], scoped(params, COMMENTS_CURSOR), descending=False
    )
    replies = await _first_replies(session, viewer, [comment.id for comment in comments], include_hidden=owner)
    every = list(comments) + [reply for thread in replies.values() for reply in thread]
    views = {view.comment.id: view for view in await _views(session, viewer, every)}
    result = []
    for comment in comments:
        view = views[comment.id]
        view.replies = [views[reply.id] for reply in replies.get(comment.id, [])]
        result.append(view)
    return result, COMMENTS_CURSOR + next_cursor if next_cursor else None


def _unblocked(viewer: NetworkPerson | None) -> list[ColumnElement[bool]]:
    return [] if viewer is None else [unblocked(viewer.id, NetworkComment.author_id)]


async def _first_replies(
    session: AsyncSession, viewer: NetworkPerson | None, parent_ids: list[int], *, include_hidden: bool
) -> dict[int, list[NetworkComment]]:
    if not parent_ids:
        return {}
    conditions = [NetworkComment.parent_id.in_(parent_ids), *_unblocked(viewer)]
    if not include_hidden:
        conditions.append(NetworkComment.hidden.is_(False))
    position = (
        func.row_number().over(partition_by=NetworkComment.parent_id, order_by=NetworkComment.id).label("position")
    )
    ranked = select(NetworkComment.id, position).where(*conditions).subquery()
    reply = aliased(NetworkComment)
    rows = await session.scalars(
        select(reply)
        .join(ranked, ranked.c.id == reply.id)
        .options(joinedload(reply.author))
        .where(ranked.c.position <= FIRST_REPLIES)
        .order_by(reply.id)
    )
    threads: dict[int, list[NetworkComment]] = defaultdict(list)
    for row in rows:
        if row.parent_id is not None:
            threads[row.parent_id].append(row)
    return threads


async def list_replies(
    session: AsyncSession, viewer: NetworkPerson | None, comment_id: str, params: PageParams
) -> tuple[list[CommentView], str | None]:
    """A top-level comment's replies, oldest first."""
    found = await _visible_comment(session, viewer, comment_id)
    if found.comment.parent_id is not None:
        return [], None  # replies have no replies of their own
    owner = viewer is not None and viewer.id == found.post.author_id
    statement = (
        select(NetworkComment)
        .options(joinedload(NetworkComment.author))
        .where(NetworkComment.parent_id == found.comment.id, *_unblocked(viewer))
    )
    if not owner:
        statement = statement.where(NetworkComment.hidden.is_(False))
    rows, next_cursor = await paginate(
        session, statement, [NetworkComment.id], scoped(params, REPLIES_CURSOR), descending=False
    )
    return await _views(session, viewer, rows), REPLIES_CURSOR + next_cursor if next_cursor else None
