"""Request and response models of the network's people: accounts and sign-in, profiles, follows, blocks.

Ids are numeric and sent as strings, as the Graph API sends them (JavaScript cannot hold 64-bit integers).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    field_validator,
)

from viewfinder.kit.credentials import MAX_PASSWORD_LENGTH, canonical_email, password_problem
from viewfinder.network.social.models import AccountType, MediaType, NotificationKind, PostKind

MAX_USERNAME_LENGTH = 30
# Instagram's rules: letters, digits, dots and underscores; no dot first or last, and no two dots in a row.
USERNAME_PATTERN = re.compile(r"^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9._]{1,30}$")

NumericId = Annotated[int, PlainSerializer(str, return_type=str, when_used="json")]


# Profiles live at /network/<username>, beside the network's own pages and routes: these names are theirs.
RESERVED_USERNAMES = frozenset(
    {"api", "authorize", "explore", "graph", "hashtags", "messages", "notifications", "oauth", "p", "posts", "reels",
     "requests", "search", "settings", "signin", "signup", "stories"}
)  # fmt: skip


def check_username(value: str) -> str:
    if not USERNAME_PATTERN.fullmatch(value):
        if len(value) > MAX_USERNAME_LENGTH:
            raise ValueError(f"use at most {MAX_USERNAME_LENGTH} characters")
        if not value:
            raise ValueError("choose a username")
        if value.startswith(".") or value.endswith("."):
            raise ValueError("a username cannot start or end with a dot")
        if ".." in value:
            raise ValueError("a username cannot have two dots in a row")
        raise ValueError("use only letters, numbers, dots and underscores")
    if value.lower() in RESERVED_USERNAMES:
        raise ValueError(f"{value} is reserved: choose another")
    return value


def _password(value: str) -> str:
    if problem := password_problem(value):
        raise ValueError(problem)
    return value


Username = Annotated[str, StringConstraints(max_length=64), AfterValidator(check_username)]
Email = Annotated[str, StringConstraints(min_length=3, max_length=320), AfterValidator(canonical_email)]
NewPassword = Annotated[str, StringConstraints(max_length=MAX_PASSWORD_LENGTH), AfterValidator(_password)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Bio = Annotated[str, StringConstraints(max_length=150)]
Url = Annotated[AnyHttpUrl, Field(max_length=2048)]


class NetworkSignUp(BaseModel):
    email: Email
    password: NewPassword
    username: Username
    name: Name


class NetworkCredentials(BaseModel):
    login: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)] = Field(
        validation_alias=AliasChoices("login", "email", "username"),
        description="The email address or the username (also accepted as `email` or `username`)",
    )
    password: Password


class NetworkTokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")


class NetworkRefreshRequest(BaseModel):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=512)] | None = Field(
        default=None, description="Omit it to use the refresh cookie (with CSRF)"
    )


class PersonSummary(BaseModel):
    """A person in a list: followers, following, search, follow requests."""

    model_config = ConfigDict(from_attributes=True)

    id: NumericId
    username: str
    name: str
    avatar_url: str | None
    account_type: AccountType
    is_private: bool


class Profile(PersonSummary):
    bio: str
    website: str | None
    followers_count: int
    following_count: int
    posts_count: int = 0
    # Null when nobody is signed in.
    followed_by_viewer: bool | None = None
    requested_by_viewer: bool | None = Field(default=None, description="The viewer asked to follow (private)")
    blocked_by_viewer: bool | None = None


class Me(Profile):
    email: str
    created_at: datetime


class NetworkProfileUpdate(BaseModel):
    """Only the fields sent change; `website: null` and `avatar_url: null` remove them."""

    model_config = ConfigDict(extra="forbid")

    username: Username | None = None
    name: Name | None = None
    bio: Bio | None = None
    website: Url | None = None
    avatar_url: Url | None = None
    account_type: AccountType | None = None
    is_private: bool | None = None

    @field_validator("username", "name", "bio", "account_type", "is_private", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("cannot be null: leave the field out to keep it")
        return value

    def changes(self) -> dict[str, Any]:
        values = self.model_dump(exclude_unset=True)
        for field in ("website", "avatar_url"):
            if values.get(field) is not None:
                values[field] = str(values[field])
        return values


class FollowStatus(BaseModel):
    state: Literal["following", "requested", "none"]
    followers_count: int = Field(description="The followed person's followers, after the change")


class FollowRequest(BaseModel):
    id: NumericId
    person: PersonSummary = Field(description="Who asks to follow you")
    created_at: datetime


class BlockStatus(BaseModel):
    blocked: bool


# Posts

MAX_LOCATION_LENGTH = 100
MAX_ALT_TEXT_LENGTH = 1000


class PostMedia(BaseModel):
    id: NumericId
    position: int = Field(description="0 for the first image of a carousel")
    url: str = Field(description="A signed link to the JPEG (at most 1080 px wide), a video's poster; it expires")
    thumbnail_url: str = Field(description="A signed link to the 320 px thumbnail; it expires")
    width: int
    height: int
    alt_text: str
    media_type: MediaType
    video_url: str | None = Field(description="A signed link to the MP4 (videos only); it expires")
    duration_ms: int | None = Field(description="The video's length in milliseconds (videos only)")


class CaptionEntity(BaseModel):
    """A hashtag or a mention of a person who exists, at `start`..`end` (characters) of the caption."""

    kind: Literal["hashtag", "mention"]
    start: int
    end: int
    value: str = Field(description="The hashtag's name or the username, lowercased, without '#' or '@'")


class UserTag(BaseModel):
    """A person tagged on the post: at a point of one of its images, or on a video (no point)."""

    person: PersonSummary
    media_position: int = Field(description="The position of the image or video in the post (0 for the first)")
    x: float | None = Field(description="From the left edge, 0 to 1; null on a video")
    y: float | None = Field(description="From the top edge, 0 to 1; null on a video")


class Post(BaseModel):
    id: NumericId
    author: PersonSummary
    media: list[PostMedia]
    caption: str
    caption_entities: list[CaptionEntity]
    location: str | None
    like_count: int
    comment_count: int
    liked_by_viewer: bool = Field(default=False, description="False when nobody is signed in")
    created_at: datetime
    edited_at: datetime | None
    kind: PostKind
    expires_at: datetime | None = Field(description="When a story stops showing; null for other kinds")
    user_tags: list[UserTag] = Field(description="The people tagged on it")


class PostUpdate(BaseModel):
    """Only the fields sent change; `location: null` removes it, `caption: ""` empties it."""

    model_config = ConfigDict(extra="forbid")

    caption: str | None = None
    location: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_LOCATION_LENGTH)] | None = None

    @field_validator("caption", mode="before")
    @classmethod
    def _caption_not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError('cannot be null: send "" to empty the caption, or leave the field out to keep it')
        return value


class GridItem(BaseModel):
    """A post in a profile grid or a hashtag's list: its first image's thumbnail and its counts."""

    id: NumericId
    thumbnail_url: str
    media_count: int
    like_count: int
    comment_count: int
    created_at: datetime
    kind: PostKind = Field(description="A reel's thumbnail is its video's poster")
    expires_at: datetime | None = Field(description="When a story stops showing; null for other kinds")


class Hashtag(BaseModel):
    name: str
    post_count: int


class TrendingHashtag(BaseModel):
    name: str
    recent_post_count: int = Field(description="Posts of public accounts with the hashtag in the last week")


# Likes and comments

MAX_COMMENT_LENGTH = 2200


class LikeStatus(BaseModel):
    liked: bool
    like_count: int = Field(description="The post's or comment's likes, after the change")


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT_LENGTH)]
    reply_to: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = Field(
        default=None,
        description="A comment of the same post to reply to; a reply to a reply joins the top-level comment",
    )


class Comment(BaseModel):
    id: NumericId
    post_id: NumericId
    parent_id: NumericId | None = Field(description="The top-level comment a reply belongs to; null for those")
    author: PersonSummary
    text: str
    like_count: int
    reply_count: int = Field(description="Its replies that others see (0 for a reply)")
    liked_by_viewer: bool
    hidden: bool = Field(description="Hidden by the post's owner: only the owner sees it, marked so")
    created_at: datetime
    replies: list[Comment] = Field(default_factory=list, description="The first two replies, in comment lists")


# The home feed


class FeedComment(BaseModel):
    """One of the first comments a feed item shows under the post."""

    id: NumericId
    author: PersonSummary
    text: str
    created_at: datetime


class FeedItem(Post):
    """A post of the home feed: the post's page shape, with its first two visible top-level comments."""

    first_comments: list[FeedComment] = Field(description="The first two top-level comments others see, oldest first")


# Notifications


class Notification(BaseModel):
    id: NumericId
    kind: NotificationKind
    actor: PersonSummary = Field(description="Who did it")
    post_id: NumericId | None = Field(description="The post it is about (likes, comments, replies, mentions)")
    thumbnail_url: str | None = Field(description="A signed link to the post's first thumbnail; it expires")
    comment_id: NumericId | None = Field(description="The comment it is about (comments, replies, their likes)")
    comment_text: str | None = Field(description="The beginning of the comment (at most 100 characters)")
    read: bool
    created_at: datetime


class UnreadCount(BaseModel):
    unread_count: int


class NotificationsRead(BaseModel):
    model_config = ConfigDict(extra="forbid")

    before: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = Field(
        default=None, description="Mark read only this notification and older ones; all when left out"
    )


# Direct messages

MAX_MESSAGE_LENGTH = 1000


class ThreadCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] = Field(
        description="Whom to message"
    )


class MessageCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_LENGTH)]


class Message(BaseModel):
    id: NumericId
    thread_id: NumericId
    sender: PersonSummary
    text: str
    created_at: datetime


class MessageThread(BaseModel):
    id: NumericId
    other: PersonSummary = Field(description="The other person in the conversation")
    last_message: Message | None
    unread_count: int = Field(description="Messages from the other person after the viewer's read mark")
    seen_by_other: bool = Field(description="The last message is the viewer's and the other person has read it")
    updated_at: datetime = Field(description="When the last message was sent (when the thread began, if none)")


# Stories


class StoryTrayItem(BaseModel):
    """Someone with stories to watch: the viewer first (when they have any), then unseen before seen."""

    person: PersonSummary
    latest_at: datetime = Field(description="When their newest unexpired story was posted")
    seen: bool = Field(description="The viewer has seen all of their unexpired stories")


class StoryTray(BaseModel):
    items: list[StoryTrayItem]


class Story(BaseModel):
    id: NumericId
    person: PersonSummary
    media: PostMedia
    created_at: datetime
    expires_at: datetime
    seen: bool = Field(description="The viewer has seen it (always true for the author)")


class Stories(BaseModel):
    """A person's unexpired stories, oldest first."""

    items: list[Story]
