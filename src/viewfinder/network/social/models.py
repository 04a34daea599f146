"""Tables of the network: people (accounts and their sign-in sessions and tokens, follows and follow requests,
blocks) and their posts (media, hashtags, mentions). Every key is a numeric id (see `ids`)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Enum, Float, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from viewfinder.kit.db import Base, TimestampMixin
from viewfinder.network.social.ids import new_id


def _enum(enum: type[StrEnum], length: int = 16) -> Enum:
    # Stored as text with a check in the application, so adding a value needs no database type change.
    return Enum(enum, native_enum=False, length=length, values_callable=lambda values: [v.value for v in values])


class NumericIdMixin:
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False, default=new_id)


class AccountType(StrEnum):
    PERSONAL = "personal"
    BUSINESS = "business"
    CREATOR = "creator"


class FollowState(StrEnum):
    ACTIVE = "active"
    REQUESTED = "requested"  # waiting for a private account to accept


class NetworkPerson(NumericIdMixin, TimestampMixin, Base):
    __tablename__ = "network_people"
    __table_args__ = (
        # Prefix search on PostgreSQL (`LIKE 'ab%'`) needs pattern ops whatever the database's collation is;
        # SQLite searches the unique index by range instead.
        Index(
            "ix_network_people_username_key_prefix",
            "username_key",
            postgresql_ops={"username_key": "text_pattern_ops"},
        ),
    )

    # Kept lowercased: emails are unique and compared case-insensitively.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # As the person typed it; `username_key` (lowercased) makes it unique case-insensitively.
    username: Mapped[str] = mapped_column(String(30))
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    bio: Mapped[str] = mapped_column(String(150), default="")
    website: Mapped[str | None] = mapped_column(String(2048))
    avatar_url: Mapped[str | None] = mapped_column(String(2048))
    account_type: Mapped[AccountType] = mapped_column(_enum(AccountType), default=AccountType.PERSONAL)
    is_private: Mapped[bool] = mapped_column(Boolean, default=False)
    # Kept exact by conditional increments in the transaction that changes a follow (see service.people).
    followers_count: Mapped[int] = mapped_column(Integer, default=0)
    following_count: Mapped[int] = mapped_column(Integer, default=0)
    # Kept exact the same way, in the transaction that creates or deletes a post (see service.posts).
    posts_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # What a person told about themselves, for an account's audience insights (follower_demographics).
    birth_year: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(1))  # F, M, U as Instagram's breakdown has them
    city: Mapped[str | None] = mapped_column(String(100))  # "Turin, Piedmont", as Instagram names cities
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2


class NetworkSession(NumericIdMixin, Base):
    """One sign-in on one device: the family of token pairs rotated from it."""

    __tablename__ = "network_sessions"

    person_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    last_active_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(64))


class NetworkToken(NumericIdMixin, Base):
    """One issued pair of opaque tokens, kept as hashes. Opaque rather than signed, so that no token of the
    suite's (signed with the install's key) can ever pass for one of the network's, nor the other way round."""

    __tablename__ = "network_tokens"

    session_id: Mapped[int] = mapped_column(ForeignKey("network_sessions.id", ondelete="CASCADE"), index=True)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    # Set when the refresh token is exchanged for the next pair; presenting it again means it was stolen.
    rotated_at: Mapped[datetime | None]


class NetworkFollow(NumericIdMixin, Base):
    """A follow, or a request to follow a private account: one row per pair, so a person never both
    follows and asks to follow."""

    __tablename__ = "network_follows"
    __table_args__ = (
        UniqueConstraint("follower_id", "followee_id"),
        # The lists: someone's followers or follow requests, and whom someone follows, newest first.
        Index("ix_network_follows_followee_id_state_id", "followee_id", "state", "id"),
        Index("ix_network_follows_follower_id_state_id", "follower_id", "state", "id"),
    )

    follower_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    followee_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    state: Mapped[FollowState] = mapped_column(_enum(FollowState))
    created_at: Mapped[datetime]

    follower: Mapped[NetworkPerson] = relationship(foreign_keys=[follower_id], lazy="raise")
    followee: Mapped[NetworkPerson] = relationship(foreign_keys=[followee_id], lazy="raise")


class NetworkBlock(NumericIdMixin, Base):
    __tablename__ = "network_blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    blocker_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]


# Posts


class PostKind(StrEnum):
    FEED = "feed"  # one image, or a carousel
    REEL = "reel"  # one video with its poster
    STORY = "story"  # one image or video, gone after 24 hours, never in the feed, the grid or posts_count


class MediaType(StrEnum):
    IMAGE = "image"
    VIDEO = "video"


class NetworkPost(NumericIdMixin, Base):
    """A feed post (one image), a carousel (two to ten), a reel or a story (see `PostKind`). Ids grow with time,
    so `id` orders them newest first."""

    __tablename__ = "network_posts"
    __table_args__ = (
        # The profile grid: one person's posts, newest first.
        Index("ix_network_posts_author_id_id", "author_id", "id"),
        # The story tray and a person's stories: the unexpired stories of some authors.
        Index("ix_network_posts_author_id_kind_expires_at", "author_id", "kind", "expires_at"),
    )

    author_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    kind: Mapped[PostKind] = mapped_column(_enum(PostKind, length=8), default=PostKind.FEED, server_default="feed")
    # Stories only: created_at + 24 hours. Expired stories stay stored (their author still sees them).
    expires_at: Mapped[datetime | None]
    caption: Mapped[str] = mapped_column(String(2200), default="")
    location: Mapped[str | None] = mapped_column(String(100))
    media_count: Mapped[int] = mapped_column(Integer)
    # Filled by the likes and comments slice, kept exact by conditional increments as the people's counts are.
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]
    edited_at: Mapped[datetime | None]

    author: Mapped[NetworkPerson] = relationship(lazy="raise")
    media: Mapped[list[NetworkPostMedia]] = relationship(
        order_by="NetworkPostMedia.position", lazy="raise", passive_deletes=True
    )


class NetworkPostMedia(NumericIdMixin, Base):
    """One image or video of a post, stored as a JPEG and a thumbnail under storage keys (never as URLs: links
    are signed when read). A video keeps its poster in those keys, so every thumbnail path works for it too,
    and the MP4 under `video_key`."""

    __tablename__ = "network_post_media"
    __table_args__ = (UniqueConstraint("post_id", "position"),)

    post_id: Mapped[int] = mapped_column(ForeignKey("network_posts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(512))
    thumbnail_key: Mapped[str] = mapped_column(String(512))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    thumbnail_width: Mapped[int] = mapped_column(Integer)
    thumbnail_height: Mapped[int] = mapped_column(Integer)
    alt_text: Mapped[str] = mapped_column(String(1000), default="")
    media_type: Mapped[MediaType] = mapped_column(
        _enum(MediaType, length=8), default=MediaType.IMAGE, server_default="image"
    )
    video_key: Mapped[str | None] = mapped_column(String(512))
    duration_ms: Mapped[int | None] = mapped_column(Integer)


class NetworkHashtag(NumericIdMixin, Base):
    __tablename__ = "network_hashtags"

    # Lowercased, without the '#'.
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime]


class NetworkPostHashtag(Base):
    """A post's hashtag. The primary key (hashtag, post) answers "recent posts with this hashtag" in id order."""

    __tablename__ = "network_post_hashtags"

    hashtag_id: Mapped[int] = mapped_column(
        ForeignKey("network_hashtags.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    post_id: Mapped[int] = mapped_column(
        ForeignKey("network_posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False, index=True
    )
    # The post's author, copied so that the hashtag list filters by who may see it without reading every post.
    author_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)


class NetworkMention(Base):
    """A person mentioned in a post's caption (only people who exist: other `@names` stay text)."""

    __tablename__ = "network_mentions"
    __table_args__ = (
        # The person's "mentioned in" list, newest first.
        Index("ix_network_mentions_person_id_post_id", "person_id", "post_id"),
    )

    post_id: Mapped[int] = mapped_column(
        ForeignKey("network_posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("network_people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )


# Interactions


class LikeTarget(StrEnum):
    POST = "post"
    COMMENT = "comment"


class NetworkLike(NumericIdMixin, Base):
    """A like of a post or of a comment: one model for both, one row per person and target. The target has
    no foreign key (it is one of two tables): deleting a post or a comment deletes its likes with it."""

    __tablename__ = "network_likes"
    __table_args__ = (
        # One like per person and target; also answers "did the viewer like these?".
        UniqueConstraint("target_kind", "target_id", "person_id"),
        # Who liked a target, newest first.
        Index("ix_network_likes_target_kind_target_id_id", "target_kind", "target_id", "id"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[LikeTarget] = mapped_column(_enum(LikeTarget, length=8))
    target_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]

    person: Mapped[NetworkPerson] = relationship(lazy="raise")


class NetworkComment(NumericIdMixin, Base):
    """A comment on a post, or a reply to one (`parent_id`: replies have one level, as on Instagram).

    `like_count` and `reply_count` (the replies that are not hidden) are kept exact in the transaction that
    changes them; the post's `comment_count` counts the comments others can see (see service.interactions).
    """

    __tablename__ = "network_comments"
    __table_args__ = (
        # A post's top-level comments, oldest first (`parent_id IS NULL`).
        Index("ix_network_comments_post_id_parent_id_id", "post_id", "parent_id", "id"),
        # A comment's replies, oldest first.
        Index("ix_network_comments_parent_id_id", "parent_id", "id"),
    )

    post_id: Mapped[int] = mapped_column(ForeignKey("network_posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("network_comments.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(2200))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]

    author: Mapped[NetworkPerson] = relationship(lazy="raise")


# Notifications


class NotificationKind(StrEnum):
    LIKE = "like"  # of a post
    COMMENT_LIKE = "comment_like"
    COMMENT = "comment"
    REPLY = "reply"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    MENTION = "mention"  # in a post's caption, or in a comment (then `comment_id` is set)
    TAG = "tag"  # tagged on a post's photo or video


class NetworkNotification(NumericIdMixin, Base):
    """Something someone did that concerns another person, written in the transaction of the action itself
    (see service.notify). Undoing the action removes it while unread; deleting its post or comment removes it."""

    __tablename__ = "network_notifications"
    __table_args__ = (
        # The recipient's list, newest first.
        Index("ix_network_notifications_recipient_id_id", "recipient_id", "id"),
        # The unread count, and marking read.
        Index("ix_network_notifications_recipient_id_read_at", "recipient_id", "read_at"),
    )

    recipient_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    # Undoing an action finds its notification by who did it.
    actor_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("network_posts.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("network_comments.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    actor: Mapped[NetworkPerson] = relationship(foreign_keys=[actor_id], lazy="raise")


# Direct messages


class NetworkMessageThread(NumericIdMixin, Base):
    """A one-to-one conversation. `pair_key` ("<smaller id>:<larger id>") makes the pair's thread unique, so two
    people starting a conversation at the same moment end up in the same thread."""

    __tablename__ = "network_message_threads"

    pair_key: Mapped[str] = mapped_column(String(41), unique=True)
    created_at: Mapped[datetime]
    # The newest message, copied here when one is sent: it orders the inbox (ids grow with time) and reads the
    # preview without scanning the messages. No foreign key, as the message row points back at the thread.
    last_message_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


class NetworkThreadMember(Base):
    """A person in a thread, with how far they have read (the id of the newest message they have seen)."""

    __tablename__ = "network_thread_members"
    __table_args__ = (
        # A person's threads.
        Index("ix_network_thread_members_person_id_thread_id", "person_id", "thread_id"),
    )

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("network_message_threads.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("network_people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    last_read_message_id: Mapped[int | None] = mapped_column(BigInteger)


class NetworkMessage(NumericIdMixin, Base):
    """A message in a thread. Ids grow with time, so `id` orders a thread's messages."""

    __tablename__ = "network_messages"
    __table_args__ = (
        # A thread's messages, newest first, and the count of those after a read mark.
        Index("ix_network_messages_thread_id_id", "thread_id", "id"),
    )

    thread_id: Mapped[int] = mapped_column(ForeignKey("network_message_threads.id", ondelete="CASCADE"))
    # Indexed so that deleting a person finds their messages without a scan.
    sender_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime]

    sender: Mapped[NetworkPerson] = relationship(lazy="raise")


# Stories


class NetworkStoryView(Base):
    """A person has seen a story: the tray's seen state (and later the story's viewers). The author's own
    views are not recorded."""

    __tablename__ = "network_story_views"

    story_id: Mapped[int] = mapped_column(
        ForeignKey("network_posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # Indexed so that deleting a person finds their views without a scan (the key starts with the story).
    viewer_id: Mapped[int] = mapped_column(
        ForeignKey("network_people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False, index=True
    )
    seen_at: Mapped[datetime]


# User tags


class NetworkUserTag(Base):
    """A person tagged on a post: at a point (`x`, `y`, fractions of the width and height from the top left) of
    one of its images, or on a reel's video without a point, as Instagram's user tags are."""

    __tablename__ = "network_user_tags"
    __table_args__ = (
        # The posts a person is tagged in, newest first (their profile's "Tagged" grid).
        Index("ix_network_user_tags_person_id_post_id", "person_id", "post_id"),
    )

    post_id: Mapped[int] = mapped_column(
        ForeignKey("network_posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("network_people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    media_position: Mapped[int] = mapped_column(Integer, default=0)
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)


# Activity that insights count


class NetworkPostView(Base):
    """A person saw a post on a day (in the feed, on a profile, a hashtag page or the post's own page), and how
    many times: a post's reach is its distinct viewers, its views the sum."""

    __tablename__ = "network_post_views"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("network_posts.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    viewer_id: Mapped[int] = mapped_column(
        ForeignKey("network_people.id", ondelete="CASCADE"), primary_key=True, autoincrement=False, index=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=1)


class NetworkProfileEvent(NumericIdMixin, Base):
    """A visit to a profile, or a tap on the website link it shows (`profile_links_taps`)."""

    __tablename__ = "network_profile_events"
    __table_args__ = (Index("ix_network_profile_events_person_id_created_at", "person_id", "created_at"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("network_people.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # visit, link_tap
    created_at: Mapped[datetime]


class NetworkFollowEvent(NumericIdMixin, Base):
    """Someone followed or unfollowed an account: follows are rows that go away, so their history is kept here
    for `follows_and_unfollows`."""

    __tablename__ = "network_follow_events"
    __table_args__ = (Index("ix_network_follow_events_followee_id_created_at", "followee_id", "created_at"),)

    followee_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    follower_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # follow, unfollow
    created_at: Mapped[datetime]
