"""Comments through the Graph: the Comment node, a media's `comments` edge (list and create), a comment's
`replies` edge, hiding (`POST {comment-id}?hide=`) and deleting, all for the token account's own media.

The network's comment service does the writing (counts, notifications, threading); this module reads the rows
in Instagram's shapes and answers the service's refusals as Instagram's errors.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from viewfinder.kit.errors import Forbidden, InvalidInput, NotFound
from viewfinder.network.graph import nodes
from viewfinder.network.graph.nodes import Call, Edge, GraphError, Page, PageArgs, Related, graph_time, node_type
from viewfinder.network.social.models import NetworkComment, NetworkPerson, NetworkPost, PostKind
from viewfinder.network.social.service import interactions
from viewfinder.network.social.service.people import unblocked

MANAGE_COMMENTS = "instagram_business_manage_comments"

COMMENT = node_type("Comment")
MEDIA = node_type("Media")
# `from` is an object of its own ({id, username}), not a User the token may read.
COMMENTER = node_type("IGCommentFrom")

# What Instagram answers for a comment when no fields are asked (see graph-samples medias/comments_p1.json).
COMMENT.default_fields = ("timestamp", "text", "id")
COMMENTER.default_fields = ("id", "username")


# Errors


@asynccontextmanager
async def _service_errors(object_id: str) -> AsyncIterator[None]:
    """The comment service's refusals, answered as Instagram answers them."""
    try:
        yield
    except InvalidInput as error:
        raise nodes.invalid_parameter(error.detail) from None
    except NotFound:
        raise nodes.no_such_object(object_id, "post") from None
    except Forbidden:
        raise nodes.missing_permission() from None


def _not_own_media() -> GraphError:
    return GraphError(
        "(#10) Application does not have permission for this action: the media is not owned by the app user.",
        10,
        status=403,
    )


# Reading comments


def _with_author(statement: Select[tuple[NetworkComment]]) -> Select[tuple[NetworkComment]]:
    return statement.options(joinedload(NetworkComment.author))


async def _load(call: Call, comment_id: int) -> NetworkComment | None:
    """A comment on the account's own media, or one the account wrote; others are not there for the token."""
    row = (
        await call.session.execute(
            _with_author(select(NetworkComment))
            .add_columns(NetworkPost.author_id)
            .join(NetworkPost, NetworkPost.id == NetworkComment.post_id)
            .where(NetworkComment.id == comment_id)
            .execution_options(populate_existing=True)
        )
    ).one_or_none()
    if row is None:
        return None
    comment: NetworkComment = row[0]
    if call.person.id not in (row[1], comment.author_id):
        return None
    call.require(MANAGE_COMMENTS)
    return comment


async def _media_of(call: Call, comment: NetworkComment, args: Any) -> Any | None:
    # The Media node decides how a post is represented and who may see it.
    return await MEDIA.load(call, comment.post_id) if MEDIA.load is not None else None


async def _user_of(call: Call, comment: NetworkComment, args: Any) -> NetworkPerson | None:
    # Instagram gives `user` only for the app user's own comments (`username` for everyone's).
    return call.person if comment.author_id == call.person.id else None


async def _author_of(call: Call, comment: NetworkComment, args: Any) -> NetworkPerson:
    return comment.author


COMMENT.fields.update(
    {
        "id": lambda call, comment: str(comment.id),
        "text": lambda call, comment: comment.text,
        "timestamp": lambda call, comment: graph_time(comment.created_at),
        "username": lambda call, comment: comment.author.username,
        "hidden": lambda call, comment: comment.hidden,
        "like_count": lambda call, comment: comment.like_count,
        "parent_id": lambda call, comment: str(comment.parent_id) if comment.parent_id is not None else None,
        # The network never migrated comments: the legacy id is the id.
        "legacy_instagram_comment_id": lambda call, comment: str(comment.id),
    }
)
COMMENT.related.update(
    {
        "from": Related("IGCommentFrom", _author_of),
        "media": Related("Media", _media_of),
        "user": Related("User", _user_of),
    }
)
COMMENTER.fields.update(
    {
        "id": lambda call, person: str(person.id),
        "username": lambda call, person: person.username,
    }
)
COMMENT.load = _load


# A media's comments


async def _media_id(call: Call, media: Any) -> int:
    """The media's id as the Media node reads it, whatever object represents the media there."""
    value = MEDIA.fields["id"](call, media)
    return int(await value if inspect.isawaitable(value) else value)


async def _own_post(call: Call, media: Any) -> NetworkPost | None:
    """The account's own post behind a media; None for what takes no comments (carousel items, stories)."""
    post = await call.session.get(NetworkPost, await _media_id(call, media))
    if post is not None and post.author_id != call.person.id:
        raise _not_own_media()
    return post if post is not None and post.kind != PostKind.STORY else None


def _thread_statement(call: Call) -> Select[tuple[NetworkComment]]:
    # Comments of people the account blocked, or who blocked it, are left out, as on the network.
    return _with_author(select(NetworkComment)).where(unblocked(call.person.id, NetworkComment.author_id))


async def _list_comments(call: Call, media: Any, page: PageArgs) -> Page:
    """The media's top-level comments, newest first (hidden ones too: the owner sees them, marked `hidden`)."""
    call.require(MANAGE_COMMENTS)
    post = await _own_post(call, media)
    if post is None:
        return Page([])
    statement = _thread_statement(call).where(NetworkComment.post_id == post.id, NetworkComment.parent_id.is_(None))
    return await nodes.keyset_page(call, statement, NetworkComment.id, page)


async def _create_comment(call: Call, media: Any) -> dict[str, Any]:
    """`POST {media-id}/comments?message=…` → `{"id": …}`."""
    call.require(MANAGE_COMMENTS)
    message = call.required("message")
    post = await _own_post(call, media)
    media_id = str(await _media_id(call, media))
    if post is None:
        raise nodes.invalid_parameter("Comments are not supported on this media")
    async with _service_errors(media_id):
        view = await interactions.create_comment(call.session, call.person, media_id, text=message, reply_to=None)
    return {"id": str(view.comment.id)}


MEDIA.edges["comments"] = Edge("Comment", list=_list_comments, create=_create_comment)


# A comment's replies


async def _list_replies(call: Call, comment: NetworkComment, page: PageArgs) -> Page:
    """A top-level comment's replies, oldest first, as Instagram lists them."""
    call.require(MANAGE_COMMENTS)
    statement = _thread_statement(call).where(NetworkComment.parent_id == comment.id)
    return await nodes.keyset_page(call, statement, NetworkComment.id, page, newest_first=False)


async def _create_reply(call: Call, comment: NetworkComment) -> dict[str, Any]:
    """`POST {comment-id}/replies?message=…` → `{"id": …}`; a reply to a reply joins the top-level comment."""
    call.require(MANAGE_COMMENTS)
    message = call.required("message")
    top = comment
    if comment.parent_id is not None:
        top = await call.session.get(NetworkComment, comment.parent_id) or comment
    if top.hidden:
        raise nodes.invalid_parameter("You cannot reply to a hidden comment")
    async with _service_errors(str(comment.id)):
        view = await interactions.create_comment(
            call.session, call.person, str(comment.post_id), text=message, reply_to=str(comment.id)
        )
    return {"id": str(view.comment.id)}


COMMENT.edges["replies"] = Edge("Comment", list=_list_replies, create=_create_reply)


# Hiding and deleting


def _hide_value(call: Call) -> bool:
    # Graph reads booleans leniently: clients send `true`, `True` (a Python form) or `1`.
    value = call.required("hide").lower()
    if value not in {"true", "false", "1", "0"}:
        raise nodes.invalid_parameter("Param hide must be a boolean")
    return value in {"true", "1"}


async def _update(call: Call, comment: NetworkComment) -> dict[str, Any]:
    """`POST {comment-id}?hide=true|false`: only on the account's own media."""
    call.require(MANAGE_COMMENTS)
    hidden = _hide_value(call)
    if await call.session.scalar(select(NetworkPost.author_id).where(NetworkPost.id == comment.post_id)) != (
        call.person.id
    ):
        raise _not_own_media()
    async with _service_errors(str(comment.id)):
        await interactions.set_hidden(call.session, call.person, str(comment.id), hidden)
    return {"success": True}


async def _delete(call: Call, comment: NetworkComment) -> dict[str, Any]:
    """`DELETE {comment-id}`: the account's own comments, or any on its media (with their replies)."""
    call.require(MANAGE_COMMENTS)
    async with _service_errors(str(comment.id)):
        await interactions.delete_comment(call.session, call.person, str(comment.id))
    return {"success": True}


COMMENT.update = _update
COMMENT.delete = _delete
