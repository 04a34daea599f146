"""The network's REST API, mounted at /network/api/v1: accounts and sessions, profiles, follows, blocks, posts
and hashtags, likes and comments, the home feed, notifications.

Browsers get the tokens as cookies too: the access and refresh tokens httpOnly (scripts never see them), and a
CSRF token that scripts can read and must echo in `X-CSRF-Token` on unsafe requests. The cookies are the
network's own (`vfn_…`), apart from the suite's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, Query, Request, Response, UploadFile, status
from fastapi.responses import JSONResponse

from viewfinder.kit.images import MAX_UPLOAD_BYTES
from viewfinder.kit.pagination import Page, PageParams, page_params
from viewfinder.kit.storage import Storage
from viewfinder.kit.video import MAX_UPLOAD_BYTES as MAX_VIDEO_UPLOAD_BYTES
from viewfinder.kit.web import DbSession, ResourcesDep
from viewfinder.network.social.deps import (
    SESSION_COOKIES,
    CurrentViewer,
    OptionalViewer,
    Viewer,
)
from viewfinder.network.social.models import (
    FollowState,
    LikeTarget,
    NetworkMessage,
    NetworkPerson,
    NetworkPost,
    NetworkPostMedia,
    PostKind,
)
from viewfinder.network.social.schemas import (
    BlockStatus,
    CaptionEntity,
    Comment,
    CommentCreate,
    FeedComment,
    FeedItem,
    FollowRequest,
    FollowStatus,
    GridItem,
    Hashtag,
    LikeStatus,
    Me,
    Message,
    MessageCreate,
    MessageThread,
    NetworkCredentials,
    NetworkProfileUpdate,
    NetworkRefreshRequest,
    NetworkSignUp,
    NetworkTokenPair,
    Notification,
    NotificationsRead,
    PersonSummary,
    Post,
    PostMedia,
    PostUpdate,
    Profile,
    Stories,
    Story,
    StoryTray,
    StoryTrayItem,
    ThreadCreate,
    TrendingHashtag,
    UnreadCount,
    UserTag,
)
from viewfinder.network.social.service import (
    accounts,
    activity,
    avatars,
    explore,
    feed,
    interactions,
    notifications,
    people,
    posts,
    stories,
    tags,
)
from viewfinder.network.social.service import messages as direct_messages
from viewfinder.network.social.service.cards import CardMedia
from viewfinder.settings import Settings

PREFIX = "/network/api/v1"

router = APIRouter(tags=["network"])
Pages = Annotated[PageParams, Depends(page_params)]


# Cookies


def _set_session_cookies(response: Response, settings: Settings, tokens: accounts.IssuedTokens) -> None:
    SESSION_COOKIES.set(
        response,
        settings,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        expires_in=tokens.expires_in,
    )


def _pair(tokens: accounts.IssuedTokens) -> NetworkTokenPair:
    return NetworkTokenPair(
        access_token=tokens.access_token, refresh_token=tokens.refresh_token, expires_in=tokens.expires_in
    )


def _summaries(persons: list[NetworkPerson]) -> list[PersonSummary]:
    return [PersonSummary.model_validate(person) for person in persons]


async def _seen(session: DbSession, viewer: Viewer | None, shown: Iterable[tuple[int, int]]) -> None:
    """Count the views of the posts a signed-in viewer is served, (post id, author id) pairs: insights read them.
    They are counted in memory; the request that finds them due writes them all."""
    if viewer is not None and activity.count_views(session, viewer.person.id, shown):
        await activity.write_pending_views(session)


def _grid_shown(entries: list[posts.GridEntry]) -> list[tuple[int, int]]:
    return [(entry.post.id, entry.post.author_id) for entry in entries]


# Accounts and sessions


@router.post("/auth/signup", status_code=status.HTTP_201_CREATED)
async def sign_up(body: NetworkSignUp, session: DbSession, resources: ResourcesDep) -> Me:
    """Create a network account (separate from the suite's); then sign in."""
    person = await accounts.sign_up(
        session, resources, email=body.email, password=body.password, username=body.username, name=body.name
    )
    return Me.model_validate(person)


@router.post("/auth/login")
async def login(
    body: NetworkCredentials, response: Response, session: DbSession, resources: ResourcesDep
) -> NetworkTokenPair:
    """Sign in with the email or the username: answers the tokens, and sets them as cookies for browsers."""
    tokens = await accounts.sign_in(session, resources, login=body.login, password=body.password)
    _set_session_cookies(response, resources.settings, tokens)
    return _pair(tokens)


@router.post("/auth/refresh", response_model=NetworkTokenPair)
async def refresh(
    request: Request,
    response: Response,
    session: DbSession,
    resources: ResourcesDep,
    body: NetworkRefreshRequest | None = None,
) -> NetworkTokenPair | JSONResponse:
    """Exchange a refresh token (in the body, or the cookie with the CSRF header) for a new pair."""
    token, from_cookie = SESSION_COOKIES.presented_refresh_token(request, body.refresh_token if body else None)
    try:
        tokens = await accounts.refresh(session, resources.settings, token)
    except (accounts.RefreshTokenReused, accounts.InvalidRefreshToken) as error:
        return SESSION_COOKIES.ended(request, error, resources.settings)
    if from_cookie:
        _set_session_cookies(response, resources.settings, tokens)
    return _pair(tokens)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(viewer: CurrentViewer, response: Response, session: DbSession, resources: ResourcesDep) -> None:
    """End this session: its tokens stop working at once."""
    await accounts.sign_out(session, viewer)
    SESSION_COOKIES.clear(response, resources.settings)


@router.get("/auth/me")
async def me(viewer: CurrentViewer) -> Me:
    return Me.model_validate(viewer.person)


@router.patch("/me")
async def update_me(body: NetworkProfileUpdate, viewer: CurrentViewer, session: DbSession) -> Me:
    """Change the profile: username (Instagram's rules), name, bio, website, avatar, account type, privacy.
    Going public accepts the follow requests that wait."""
    person = await people.update_profile(session, viewer.person, body.changes())
    return Me.model_validate(person)


@router.put("/me/avatar")
async def upload_avatar(
    viewer: CurrentViewer,
    session: DbSession,
    resources: ResourcesDep,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File(description="A JPEG, PNG or WebP image; its middle square is kept")],
) -> Me:
    """Upload a profile picture (at most 15 MB); it replaces the one before."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    replaced = await avatars.set_avatar(session, resources.storage, viewer.person, data)
    if replaced:
        background.add_task(posts.remove_files, resources.storage, [replaced])
    return Me.model_validate(viewer.person)


@router.delete("/me/avatar")
async def delete_avatar(
    viewer: CurrentViewer, session: DbSession, resources: ResourcesDep, background: BackgroundTasks
) -> Me:
    """Remove the profile picture."""
    replaced = await avatars.remove_avatar(session, viewer.person)
    if replaced:
        background.add_task(posts.remove_files, resources.storage, [replaced])
    return Me.model_validate(viewer.person)


@router.get(
    "/avatars/{person_id}/{name}",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}, "description": "The picture"}},
)
async def get_avatar(person_id: str, name: str, resources: ResourcesDep) -> Response:
    """An uploaded profile picture. Its address changes with each upload, so it may be cached for good."""
    data = await avatars.read_avatar(resources.storage, person_id, name)
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "public, max-age=31536000, immutable"})


# People


@router.get("/people")
async def search_people(
    session: DbSession,
    viewer: OptionalViewer,
    prefix: Annotated[str, Query(min_length=1, max_length=31, description="The username's beginning, any case")],
) -> Page[PersonSummary]:
    """People whose username starts with `prefix`, in username order (20 at most)."""
    found = await people.search(session, viewer.person if viewer else None, prefix)
    return Page(items=_summaries(found))


@router.get("/people/{username}")
async def get_person(username: str, session: DbSession, viewer: OptionalViewer) -> Profile:
    """A public profile; signed in, with how the viewer stands to the person."""
    person = await people.visible_person(session, viewer.person if viewer else None, username)
    profile = Profile.model_validate(person)
    if viewer is None:
        return profile
    await activity.record_profile_event(session, person.id, viewer.person.id, activity.VISIT)
    relation = await people.relation(session, viewer.person, person)
    return profile.model_copy(
        update={
            "followed_by_viewer": relation.followed,
            "requested_by_viewer": relation.requested,
            "blocked_by_viewer": relation.blocked,
        }
    )


@router.post("/people/{username}/link-tap", status_code=status.HTTP_204_NO_CONTENT)
async def tap_profile_link(username: str, session: DbSession, viewer: OptionalViewer) -> None:
    """Count a tap on the website link a profile shows (the page calls it as the link opens)."""
    person = await people.visible_person(session, viewer.person if viewer else None, username)
    if person.website:
        await activity.record_profile_event(session, person.id, viewer.person.id if viewer else None, activity.LINK_TAP)


@router.post("/people/{username}/follow")
async def follow(username: str, viewer: CurrentViewer, session: DbSession) -> FollowStatus:
    """Follow a public account at once, or ask a private one; asking again changes nothing."""
    state, person = await people.follow(session, viewer.person, username)
    return FollowStatus(
        state="following" if state == FollowState.ACTIVE else "requested",
        followers_count=await people.followers_count(session, person.id),
    )


@router.delete("/people/{username}/follow")
async def unfollow(username: str, viewer: CurrentViewer, session: DbSession) -> FollowStatus:
    """Stop following, or withdraw a follow request."""
    person = await people.unfollow(session, viewer.person, username)
    return FollowStatus(state="none", followers_count=await people.followers_count(session, person.id))


@router.get("/people/{username}/followers")
async def list_followers(
    username: str, session: DbSession, viewer: OptionalViewer, params: Pages
) -> Page[PersonSummary]:
    """Who follows the person, newest first; a private account shows it to its followers only."""
    found, next_cursor = await people.list_followers(session, viewer.person if viewer else None, username, params)
    return Page(items=_summaries(found), next_cursor=next_cursor)


@router.get("/people/{username}/following")
async def list_following(
    username: str, session: DbSession, viewer: OptionalViewer, params: Pages
) -> Page[PersonSummary]:
    """Whom the person follows, newest first; a private account shows it to its followers only."""
    found, next_cursor = await people.list_following(session, viewer.person if viewer else None, username, params)
    return Page(items=_summaries(found), next_cursor=next_cursor)


@router.post("/people/{username}/block")
async def block(username: str, viewer: CurrentViewer, session: DbSession) -> BlockStatus:
    """Block a person: follows and requests both ways end, and they no longer find you."""
    await people.block(session, viewer.person, username)
    return BlockStatus(blocked=True)


@router.delete("/people/{username}/block")
async def unblock(username: str, viewer: CurrentViewer, session: DbSession) -> BlockStatus:
    await people.unblock(session, viewer.person, username)
    return BlockStatus(blocked=False)


# Follow requests


@router.get("/me/follow-requests")
async def list_follow_requests(viewer: CurrentViewer, session: DbSession, params: Pages) -> Page[FollowRequest]:
    """The requests waiting for a private account to answer, newest first."""
    rows, next_cursor = await people.list_follow_requests(session, viewer.person, params)
    items = [
        FollowRequest(id=row.id, person=PersonSummary.model_validate(row.follower), created_at=row.created_at)
        for row in rows
    ]
    return Page(items=items, next_cursor=next_cursor)


@router.post("/me/follow-requests/{request_id}/accept", status_code=status.HTTP_204_NO_CONTENT)
async def accept_follow_request(request_id: str, viewer: CurrentViewer, session: DbSession) -> None:
    await people.accept_follow_request(session, viewer.person, request_id)


@router.post("/me/follow-requests/{request_id}/decline", status_code=status.HTTP_204_NO_CONTENT)
async def decline_follow_request(request_id: str, viewer: CurrentViewer, session: DbSession) -> None:
    await people.decline_follow_request(session, viewer.person, request_id)


# Posts

# Long enough for a page to stay open a while; each read signs anew.
MEDIA_LINK_SECONDS = 6 * 3600


async def _link(storage: Storage, key: str) -> str:
    return await storage.signed_url(key, expires_in=MEDIA_LINK_SECONDS)


async def _media_item(storage: Storage, item: NetworkPostMedia | CardMedia) -> PostMedia:
    return PostMedia(
        id=item.id,
        position=item.position,
        url=await _link(storage, item.storage_key),
        thumbnail_url=await _link(storage, item.thumbnail_key),
        width=item.width,
        height=item.height,
        alt_text=item.alt_text,
        media_type=item.media_type,
        video_url=await _link(storage, item.video_key) if item.video_key else None,
        duration_ms=item.duration_ms,
    )


async def _media(storage: Storage, post: NetworkPost) -> list[PostMedia]:
    return [await _media_item(storage, item) for item in post.media]


async def _post(session: DbSession, storage: Storage, post: NetworkPost, viewer: Viewer | None = None) -> Post:
    media = await _media(storage, post)
    entities = [
        CaptionEntity(kind=entity.kind, start=entity.start, end=entity.end, value=entity.value)
        for entity in await posts.caption_entities(session, post)
    ]
    return Post(
        id=post.id,
        author=PersonSummary.model_validate(post.author),
        media=media,
        caption=post.caption,
        caption_entities=entities,
        location=post.location,
        like_count=post.like_count,
        comment_count=post.comment_count,
        liked_by_viewer=bool(
            await interactions.liked(session, viewer.person if viewer else None, LikeTarget.POST, [post.id])
        ),
        created_at=post.created_at,
        edited_at=post.edited_at,
        kind=post.kind,
        expires_at=post.expires_at,
        user_tags=_user_tags((await tags.user_tags_of(session, [post.id])).get(post.id, [])),
    )


def _user_tags(tagged: list[tags.TaggedPerson]) -> list[UserTag]:
    return [UserTag(person=_summary(tag.person), media_position=tag.media_position, x=tag.x, y=tag.y) for tag in tagged]


async def _grid(storage: Storage, entries: list[posts.GridEntry]) -> list[GridItem]:
    async def thumbnail(media: NetworkPostMedia | None) -> str:
        return await _link(storage, media.thumbnail_key) if media else ""

    return [
        GridItem(
            id=entry.post.id,
            thumbnail_url=await thumbnail(entry.first_media),
            media_count=entry.post.media_count,
            like_count=entry.post.like_count,
            comment_count=entry.post.comment_count,
            created_at=entry.post.created_at,
            kind=entry.post.kind,
            expires_at=entry.post.expires_at,
        )
        for entry in entries
    ]


@router.post("/posts", status_code=status.HTTP_201_CREATED)
async def create_post(
    viewer: CurrentViewer,
    session: DbSession,
    resources: ResourcesDep,
    files: Annotated[
        list[UploadFile],
        File(
            description="1 to 10 images (JPEG, PNG or WebP): 2 or more make a carousel. A reel: one MP4 video "
            "(H.264 or HEVC, 3 to 90 seconds, at most 100 MB). A story: one image, or one MP4 of 1 to 60 seconds"
        ),
    ],
    caption: Annotated[str | None, Form(description="At most 2,200 characters, 30 hashtags and 20 mentions")] = None,
    location: Annotated[str | None, Form(description="Where it was taken, at most 100 characters")] = None,
    alt_texts: Annotated[list[str] | None, Form(description="One per file, in the files' order")] = None,
    kind: Annotated[PostKind, Form(description="feed (images), reel (a video) or story (24 hours)")] = PostKind.FEED,
    poster: Annotated[
        UploadFile | None,
        File(description="A video's poster image (reels and video stories); a frame of the video when left out"),
    ] = None,
    user_tags: Annotated[
        str | None,
        Form(
            description='People to tag, at most 20, as a JSON array: [{"username": "ada", "x": 0.5, "y": 0.4, '
            '"media": 0}]; x and y (0 to 1, from the top left) say where on the image, and are left out on a video'
        ),
    ] = None,
) -> Post:
    """Post one image, a carousel of up to ten, a reel or a story (no caption or location); nothing is kept
    unless every file is usable."""
    # One byte past the limit is enough for the checks to refuse a file without reading the rest, and one file
    # past the count to refuse the count: a reel's or a story's larger limit is read for two files at most.
    limit, count = (MAX_UPLOAD_BYTES, posts.MAX_FILES) if kind == PostKind.FEED else (MAX_VIDEO_UPLOAD_BYTES, 1)
    uploads = [posts.Upload(await file.read(limit + 1)) for file in files[: count + 1]]
    post = await posts.create_post(
        session,
        resources.storage,
        viewer.person,
        uploads=uploads,
        caption=caption,
        location=location,
        alt_texts=alt_texts,
        kind=kind,
        poster=posts.Upload(await poster.read(MAX_UPLOAD_BYTES + 1)) if poster is not None else None,
        user_tags=user_tags,
    )
    return await _post(session, resources.storage, post)


@router.get("/posts/{post_id}")
async def get_post(post_id: str, session: DbSession, viewer: OptionalViewer, resources: ResourcesDep) -> Post:
    """A post with its images, caption and the caption's hashtags and mentions located for links."""
    post = await posts.get_post(session, viewer.person if viewer else None, post_id)
    await _seen(session, viewer, [(post.id, post.author_id)])
    return await _post(session, resources.storage, post, viewer)


@router.patch("/posts/{post_id}")
async def update_post(
    post_id: str, body: PostUpdate, viewer: CurrentViewer, session: DbSession, resources: ResourcesDep
) -> Post:
    """Change the caption (hashtags and mentions follow it) or the location; the post shows as edited."""
    post = await posts.update_post(session, viewer.person, post_id, body.model_dump(exclude_unset=True))
    return await _post(session, resources.storage, post, viewer)


@router.delete("/posts/{post_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_post(
    post_id: str, viewer: CurrentViewer, session: DbSession, resources: ResourcesDep, background: BackgroundTasks
) -> None:
    """Delete a post; its stored images are removed once the deletion has committed."""
    keys = await posts.delete_post(session, viewer.person, post_id)
    # Background tasks run after the answer, and so after the commit (the session commits before answering).
    background.add_task(posts.remove_files, resources.storage, keys)


@router.get("/people/{username}/posts")
async def list_person_posts(
    username: str, session: DbSession, viewer: OptionalViewer, resources: ResourcesDep, params: Pages
) -> Page[GridItem]:
    """The profile grid, newest first; a private account shows it to its followers only."""
    entries, next_cursor = await posts.list_person_posts(session, viewer.person if viewer else None, username, params)
    await _seen(session, viewer, _grid_shown(entries))
    return Page(items=await _grid(resources.storage, entries), next_cursor=next_cursor)


@router.get("/people/{username}/tagged")
async def list_tagged_posts(
    username: str, session: DbSession, viewer: OptionalViewer, resources: ResourcesDep, params: Pages
) -> Page[GridItem]:
    """The posts the person is tagged in, newest first (their profile's "Tagged" grid); a private account shows
    it to its followers only."""
    entries, next_cursor = await posts.list_tagged_posts(session, viewer.person if viewer else None, username, params)
    await _seen(session, viewer, _grid_shown(entries))
    return Page(items=await _grid(resources.storage, entries), next_cursor=next_cursor)


@router.get("/hashtags/{name}")
async def get_hashtag(name: str, session: DbSession) -> Hashtag:
    """A hashtag (any case, with or without '#') and how many posts have it."""
    key, count = await posts.get_hashtag(session, name)
    return Hashtag(name=key, post_count=count)


@router.get("/hashtags/{name}/posts")
async def list_hashtag_posts(
    name: str, session: DbSession, viewer: OptionalViewer, resources: ResourcesDep, params: Pages
) -> Page[GridItem]:
    """Recent posts with the hashtag, newest first: from public accounts and the accounts the viewer follows."""
    entries, next_cursor = await posts.list_hashtag_posts(session, viewer.person if viewer else None, name, params)
    await _seen(session, viewer, _grid_shown(entries))
    return Page(items=await _grid(resources.storage, entries), next_cursor=next_cursor)


@router.get("/hashtags/{name}/top")
async def list_hashtag_top(
    name: str,
    session: DbSession,
    viewer: OptionalViewer,
    resources: ResourcesDep,
    limit: Annotated[int, Query(ge=1, le=50, description="How many posts, 1–50")] = 9,
) -> Page[GridItem]:
    """The hashtag's top posts: the most liked and commented of the last 30 days, from public accounts and the
    accounts the viewer follows. One ranked page: `next_cursor` is always null."""
    entries = await posts.list_hashtag_top(session, viewer.person if viewer else None, name, limit)
    await _seen(session, viewer, _grid_shown(entries))
    return Page(items=await _grid(resources.storage, entries), next_cursor=None)


@router.get("/explore/posts")
async def explore_posts(
    session: DbSession,
    viewer: OptionalViewer,
    resources: ResourcesDep,
    limit: Annotated[int, Query(ge=1, le=50, description="How many posts, 1–50")] = 30,
) -> Page[GridItem]:
    """The most liked and commented posts of public accounts of the last week (not your own, none of blocked
    relations). One ranked page, refreshed every minute: `next_cursor` is always null."""
    entries = await explore.explore_posts(session, resources.cache, viewer.person if viewer else None, limit)
    await _seen(session, viewer, _grid_shown(entries))
    return Page(items=await _grid(resources.storage, entries), next_cursor=None)


@router.get("/explore/hashtags")
async def trending_hashtags(
    session: DbSession,
    resources: ResourcesDep,
    limit: Annotated[int, Query(ge=1, le=50, description="How many hashtags, 1–50")] = 10,
) -> Page[TrendingHashtag]:
    """The hashtags on the most posts of public accounts of the last week. One ranked page, refreshed every
    five minutes: `next_cursor` is always null."""
    ranked = await explore.trending_hashtags(session, resources.cache, limit)
    return Page(items=[TrendingHashtag(name=name, recent_post_count=count) for name, count in ranked])


# Likes and comments


def _comment(view: interactions.CommentView) -> Comment:
    comment = view.comment
    return Comment(
        id=comment.id,
        post_id=comment.post_id,
        parent_id=comment.parent_id,
        author=PersonSummary.model_validate(comment.author),
        text=comment.text,
        like_count=comment.like_count,
        reply_count=comment.reply_count,
        liked_by_viewer=view.liked_by_viewer,
        hidden=comment.hidden,
        created_at=comment.created_at,
        replies=[_comment(reply) for reply in view.replies],
    )


@router.post("/posts/{post_id}/like")
async def like_post(post_id: str, viewer: CurrentViewer, session: DbSession) -> LikeStatus:
    """Like a post; liking it again changes nothing."""
    return LikeStatus(liked=True, like_count=await interactions.like_post(session, viewer.person, post_id))


@router.delete("/posts/{post_id}/like")
async def unlike_post(post_id: str, viewer: CurrentViewer, session: DbSession) -> LikeStatus:
    """Take a like back; nothing to take back is not an error."""
    return LikeStatus(liked=False, like_count=await interactions.unlike_post(session, viewer.person, post_id))


@router.get("/posts/{post_id}/likes")
async def list_post_likes(
    post_id: str, session: DbSession, viewer: OptionalViewer, params: Pages
) -> Page[PersonSummary]:
    """Who liked the post, newest like first."""
    found, next_cursor = await interactions.list_post_likers(
        session, viewer.person if viewer else None, post_id, params
    )
    return Page(items=_summaries(found), next_cursor=next_cursor)


@router.post("/posts/{post_id}/comments", status_code=status.HTTP_201_CREATED)
async def create_comment(post_id: str, body: CommentCreate, viewer: CurrentViewer, session: DbSession) -> Comment:
    """Comment on a post (1 to 2,200 characters), or reply to one of its comments with `reply_to`."""
    view = await interactions.create_comment(session, viewer.person, post_id, text=body.text, reply_to=body.reply_to)
    return _comment(view)


@router.get("/posts/{post_id}/comments")
async def list_comments(post_id: str, session: DbSession, viewer: OptionalViewer, params: Pages) -> Page[Comment]:
    """The post's comments, oldest first, each with its first two replies; the post's owner also sees the
    hidden ones, marked `hidden`."""
    views, next_cursor = await interactions.list_comments(session, viewer.person if viewer else None, post_id, params)
    return Page(items=[_comment(view) for view in views], next_cursor=next_cursor)


@router.get("/comments/{comment_id}/replies")
async def list_replies(comment_id: str, session: DbSession, viewer: OptionalViewer, params: Pages) -> Page[Comment]:
    """A comment's replies, oldest first."""
    views, next_cursor = await interactions.list_replies(session, viewer.person if viewer else None, comment_id, params)
    return Page(items=[_comment(view) for view in views], next_cursor=next_cursor)


@router.post("/comments/{comment_id}/like")
async def like_comment(comment_id: str, viewer: CurrentViewer, session: DbSession) -> LikeStatus:
    return LikeStatus(liked=True, like_count=await interactions.like_comment(session, viewer.person, comment_id))


@router.delete("/comments/{comment_id}/like")
async def unlike_comment(comment_id: str, viewer: CurrentViewer, session: DbSession) -> LikeStatus:
    return LikeStatus(liked=False, like_count=await interactions.unlike_comment(session, viewer.person, comment_id))


@router.post("/comments/{comment_id}/hide")
async def hide_comment(comment_id: str, viewer: CurrentViewer, session: DbSession) -> Comment:
    """Hide a comment on your post from everyone else (with its replies, for a top-level comment)."""
    return _comment(await interactions.set_hidden(session, viewer.person, comment_id, hidden=True))


@router.post("/comments/{comment_id}/unhide")
async def unhide_comment(comment_id: str, viewer: CurrentViewer, session: DbSession) -> Comment:
    return _comment(await interactions.set_hidden(session, viewer.person, comment_id, hidden=False))


@router.delete("/comments/{comment_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_comment(comment_id: str, viewer: CurrentViewer, session: DbSession) -> None:
    """Delete a comment: your own, or any on your post. A comment's replies go with it."""
    await interactions.delete_comment(session, viewer.person, comment_id)


# The home feed


def feed_page_params(
    limit: Annotated[
        int, Query(ge=1, le=feed.FEED_MAX_LIMIT, description=f"Items per page, 1–{feed.FEED_MAX_LIMIT}")
    ] = feed.FEED_DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="The `next_cursor` of the previous page")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def _summary(author: people.Summary) -> PersonSummary:
    return PersonSummary(
        id=author.id,
        username=author.username,
        name=author.name,
        avatar_url=author.avatar_url,
        account_type=author.account_type,
        is_private=author.is_private,
    )


async def _feed_item(storage: Storage, entry: feed.FeedEntry) -> FeedItem:
    return FeedItem(
        id=entry.id,
        author=_summary(entry.author),
        media=[await _media_item(storage, item) for item in entry.media],
        caption=entry.caption,
        caption_entities=[
            CaptionEntity(kind=entity.kind, start=entity.start, end=entity.end, value=entity.value)
            for entity in entry.entities
        ],
        location=entry.location,
        like_count=entry.like_count,
        comment_count=entry.comment_count,
        liked_by_viewer=entry.liked_by_viewer,
        created_at=entry.created_at,
        edited_at=entry.edited_at,
        kind=entry.kind,
        expires_at=entry.expires_at,
        user_tags=_user_tags(entry.user_tags),
        first_comments=[
            FeedComment(
                id=comment.id, author=_summary(comment.author), text=comment.text, created_at=comment.created_at
            )
            for comment in entry.first_comments
        ],
    )


@router.get("/feed")
async def home_feed(
    viewer: CurrentViewer,
    session: DbSession,
    resources: ResourcesDep,
    params: Annotated[PageParams, Depends(feed_page_params)],
) -> Page[FeedItem]:
    """The posts of the people you follow and your own, newest first (20 a page, at most 50), each as the
    post's page shows it, with its first two comments. A page costs the same few queries whatever it holds."""
    entries, next_cursor = await feed.home_feed(session, resources.cache, viewer.person, params)
    await _seen(session, viewer, [(entry.id, entry.author.id) for entry in entries])
    return Page(items=[await _feed_item(resources.storage, entry) for entry in entries], next_cursor=next_cursor)


# Notifications


async def _notification(storage: Storage, entry: notifications.NotificationEntry) -> Notification:
    row = entry.notification
    return Notification(
        id=row.id,
        kind=row.kind,
        actor=PersonSummary.model_validate(row.actor),
        post_id=row.post_id,
        thumbnail_url=await _link(storage, entry.thumbnail_key) if entry.thumbnail_key else None,
        comment_id=row.comment_id,
        comment_text=entry.comment_excerpt,
        read=row.read_at is not None,
        created_at=row.created_at,
    )


@router.get("/notifications")
async def list_notifications(
    viewer: CurrentViewer, session: DbSession, resources: ResourcesDep, params: Pages
) -> Page[Notification]:
    """Your notifications, newest first: likes, comments, replies, follows, follow requests and mentions."""
    entries, next_cursor = await notifications.list_notifications(session, viewer.person, params)
    return Page(items=[await _notification(resources.storage, entry) for entry in entries], next_cursor=next_cursor)


@router.get("/notifications/unread-count")
async def notifications_unread_count(viewer: CurrentViewer, session: DbSession) -> UnreadCount:
    return UnreadCount(unread_count=await notifications.unread_count(session, viewer.person))


@router.post("/notifications/read")
async def mark_notifications_read(
    viewer: CurrentViewer, session: DbSession, body: NotificationsRead | None = None
) -> UnreadCount:
    """Mark your notifications read: all of them, or with `before` that one and older ones."""
    await notifications.mark_read(session, viewer.person, body.before if body else None)
    return UnreadCount(unread_count=await notifications.unread_count(session, viewer.person))


# Direct messages


def _message(message: NetworkMessage, sender: NetworkPerson) -> Message:
    return Message(
        id=message.id,
        thread_id=message.thread_id,
        sender=PersonSummary.model_validate(sender),
        text=message.text,
        created_at=message.created_at,
    )


def _thread(view: direct_messages.ThreadView) -> MessageThread:
    last = view.last_message
    return MessageThread(
        id=view.thread.id,
        other=PersonSummary.model_validate(view.other),
        last_message=_message(last, last.sender) if last is not None else None,
        unread_count=view.unread_count,
        seen_by_other=view.seen_by_other,
        updated_at=view.updated_at,
    )


@router.post("/messages/threads")
async def open_message_thread(body: ThreadCreate, viewer: CurrentViewer, session: DbSession) -> MessageThread:
    """Your conversation with this person, begun if there is none yet (asking twice gives the same one).
    Refused when either of you blocked the other (403, `blocked`)."""
    return _thread(await direct_messages.open_thread(session, viewer.person, body.username))


@router.get("/messages/threads")
async def list_message_threads(viewer: CurrentViewer, session: DbSession, params: Pages) -> Page[MessageThread]:
    """Your conversations that have a message, most recent activity first."""
    views, next_cursor = await direct_messages.list_threads(session, viewer.person, params)
    return Page(items=[_thread(view) for view in views], next_cursor=next_cursor)


@router.get("/messages/unread-count")
async def messages_unread_count(viewer: CurrentViewer, session: DbSession) -> UnreadCount:
    """How many of your conversations have messages you have not read."""
    return UnreadCount(unread_count=await direct_messages.unread_count(session, viewer.person))


@router.get("/messages/threads/{thread_id}")
async def get_message_thread(thread_id: str, viewer: CurrentViewer, session: DbSession) -> MessageThread:
    return _thread(await direct_messages.get_thread(session, viewer.person, thread_id))


@router.get("/messages/threads/{thread_id}/messages")
async def list_thread_messages(
    thread_id: str, viewer: CurrentViewer, session: DbSession, params: Pages
) -> Page[Message]:
    """The conversation's messages, newest first: show them reversed, and load older pages while scrolling up."""
    found, next_cursor = await direct_messages.list_messages(session, viewer.person, thread_id, params)
    return Page(items=[_message(message, message.sender) for message in found], next_cursor=next_cursor)


@router.post("/messages/threads/{thread_id}/messages", status_code=status.HTTP_201_CREATED)
async def send_message(thread_id: str, body: MessageCreate, viewer: CurrentViewer, session: DbSession) -> Message:
    """Send a message (1 to 1,000 characters); it marks the conversation read for you. Refused when either of
    you blocked the other (403, `blocked`)."""
    message = await direct_messages.send_message(session, viewer.person, thread_id, body.text)
    return _message(message, viewer.person)


@router.post("/messages/threads/{thread_id}/read")
async def mark_message_thread_read(thread_id: str, viewer: CurrentViewer, session: DbSession) -> MessageThread:
    """Mark the conversation read up to its newest message."""
    return _thread(await direct_messages.mark_read(session, viewer.person, thread_id))


# Stories


@router.get("/stories")
async def story_tray(viewer: CurrentViewer, session: DbSession) -> StoryTray:
    """Who has stories for you: yourself first (when you have any), then the people you follow, those with a
    story you have not seen first, then by their newest story. The same few queries however long it is."""
    entries = await stories.story_tray(session, viewer.person)
    return StoryTray(
        items=[
            StoryTrayItem(person=PersonSummary.model_validate(entry.person), latest_at=entry.latest_at, seen=entry.seen)
            for entry in entries
        ]
    )


@router.get("/people/{username}/stories")
async def list_person_stories(
    username: str, session: DbSession, viewer: OptionalViewer, resources: ResourcesDep
) -> Stories:
    """A person's stories of the last 24 hours, oldest first; a private account shows them to its followers."""
    entries = await stories.person_stories(session, viewer.person if viewer else None, username)
    return Stories(
        items=[
            Story(
                id=entry.story.id,
                person=PersonSummary.model_validate(entry.story.author),
                media=(await _media(resources.storage, entry.story))[0],
                created_at=entry.story.created_at,
                expires_at=entry.expires_at,
                seen=entry.seen,
            )
            for entry in entries
        ]
    )


@router.post("/stories/{story_id}/seen", status_code=status.HTTP_204_NO_CONTENT)
async def mark_story_seen(story_id: str, viewer: CurrentViewer, session: DbSession) -> None:
    """Mark a story seen (for the tray); again changes nothing."""
    await stories.mark_seen(session, viewer.person, story_id)
    await activity.record_story_view(session, viewer.person.id, story_id)
