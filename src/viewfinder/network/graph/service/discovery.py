"""Other accounts' content as the token's account may read it: `business_discovery.username(…)` (another business
or creator account's public profile and media), and the media and comments that mention the account.

Each is a related object on the token's own User node (`GET me?fields=business_discovery.username(x){…}`).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from viewfinder.network.graph import nodes
from viewfinder.network.graph.nodes import Call, Related, node_type
from viewfinder.network.graph.service.media import MediaView, visible_posts_for, with_media
from viewfinder.network.social.captions import parse_caption
from viewfinder.network.social.models import (
    AccountType,
    NetworkBlock,
    NetworkComment,
    NetworkMention,
    NetworkPerson,
    NetworkPost,
    PostKind,
)

USER = node_type("User")
COMMENT = node_type("Comment")  # its fields are service/comments.py's; made here too, so the related always has it
PROFESSIONAL = (AccountType.BUSINESS, AccountType.CREATOR)


def _own_account_only(call: Call, person: NetworkPerson, field: str) -> None:
    if person.id != call.person.id:
        raise nodes.invalid_parameter(f"The field ({field}) is only available on the app user's own account")


def _cannot_find_user(username: str) -> nodes.GraphError:
    """What Instagram answers for a personal account and for one that does not exist alike."""
    return nodes.GraphError(
        "Invalid user id",
        110,
        subcode=2207013,
        is_transient=False,
        user_title="Cannot find User",
        user_message=f"The user with username: {username[:30]} cannot be found.",
    )


async def _blocked_between(call: Call, first: int, second: int) -> bool:
    return bool(
        await call.session.scalar(
            select(
                exists().where(
                    or_(
                        (NetworkBlock.blocker_id == first) & (NetworkBlock.blocked_id == second),
                        (NetworkBlock.blocker_id == second) & (NetworkBlock.blocked_id == first),
                    )
                )
            )
        )
    )


async def _business_discovery(call: Call, person: NetworkPerson, args: Mapping[str, str]) -> NetworkPerson:
    """A public business or creator account by username; rendered as a User (its `media` edge pages as the
    account's own does, with cursors and no `next`)."""
    _own_account_only(call, person, "business_discovery")
    username = (args.get("username") or "").strip().removeprefix("@")
    if not username:
        raise nodes.invalid_parameter("The parameter username is required: business_discovery.username(NAME)")
    found = await call.session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == username.lower()))
    if (
        found is None
        or found.account_type not in PROFESSIONAL
        or found.is_private
        or await _blocked_between(call, person.id, found.id)
    ):
        raise _cannot_find_user(username)
    return found


def _object_id(args: Mapping[str, str], name: str, field: str) -> int:
    value = args.get(name) or ""
    if not value:
        raise nodes.invalid_parameter(f"The parameter {name} is required: {field}.{name}(ID)")
    if not value.isdigit() or len(value) > 19:
        raise nodes.invalid_parameter(f"Param {name} must be a valid ID")
    return int(value)


async def _mentioned_media(call: Call, person: NetworkPerson, args: Mapping[str, str]) -> MediaView:
    """A post whose caption mentions the account (`mentioned_media.media_id(ID)`), if the account may see it."""
    _own_account_only(call, person, "mentioned_media")
    media_id = _object_id(args, "media_id", "mentioned_media")
    post = await call.session.scalar(
        with_media(select(NetworkPost))
        .join(NetworkMention, NetworkMention.post_id == NetworkPost.id)
        .join(NetworkPerson, NetworkPerson.id == NetworkPost.author_id)
        .where(
            NetworkPost.id == media_id,
            NetworkPost.kind != PostKind.STORY,  # mentions in stories are not supported, as on Instagram
            NetworkMention.person_id == person.id,
            visible_posts_for(person.id),
        )
    )
    if post is None:
        raise nodes.invalid_parameter(f"Media {media_id} does not mention this user or cannot be loaded")
    return MediaView(post)


async def _mentioned_comment(call: Call, person: NetworkPerson, args: Mapping[str, str]) -> NetworkComment:
    """A comment whose text mentions the account (`mentioned_comment.comment_id(ID)`), on a post it may see."""
    _own_account_only(call, person, "mentioned_comment")
    comment_id = _object_id(args, "comment_id", "mentioned_comment")
    comment = await call.session.scalar(
        select(NetworkComment)
        .options(selectinload(NetworkComment.author))
        .join(NetworkPost, NetworkPost.id == NetworkComment.post_id)
        .join(NetworkPerson, NetworkPerson.id == NetworkPost.author_id)
        .where(NetworkComment.id == comment_id, NetworkComment.hidden.is_(False), visible_posts_for(person.id))
    )
    if comment is None or person.username_key not in parse_caption(comment.text).mentions:
        raise nodes.invalid_parameter(f"Comment {comment_id} does not mention this user or cannot be loaded")
    return comment


USER.related["business_discovery"] = Related("User", _business_discovery)
USER.related["mentioned_media"] = Related("Media", _mentioned_media)
USER.related["mentioned_comment"] = Related("Comment", _mentioned_comment)
