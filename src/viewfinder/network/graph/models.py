"""Tables of the Graph API: the apps registered to call it (as a Meta developer dashboard registers them), the
authorisation codes and access tokens they hold for people, media containers waiting to be published, hashtag
searches (for their weekly quota), webhook subscriptions and deliveries, and the faults switched on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from viewfinder.kit.db import Base
from viewfinder.network.social.models import NumericIdMixin


class NetworkApp(NumericIdMixin, Base):
    """An app that may ask people for access (OAuth) and call the Graph API. Its secret is shown once, when the
    app is made or its secret reset, and kept as a hash (and sealed, to sign webhooks): a lost secret is
    replaced, never read back."""

    __tablename__ = "network_apps"

    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(64))
    # Webhooks are signed with the secret itself (HMAC), so it is also kept sealed (AES-256-GCM), never plain.
    secret_sealed: Mapped[str | None] = mapped_column(String(255))
    # The addresses OAuth may send a person back to, exactly as registered (Instagram compares them exactly).
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class NetworkGraphToken(NumericIdMixin, Base):
    """An access token an app holds for a person, with the scopes granted; kept as a hash, like every token."""

    __tablename__ = "network_graph_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("network_apps.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    # Short-lived tokens (an hour, from OAuth) are exchanged for long-lived ones (60 days), which refresh.
    long_lived: Mapped[bool] = mapped_column(Boolean, default=True, server_default=text("true"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class NetworkAuthorizationCode(NumericIdMixin, Base):
    """The code OAuth sends back to an app's redirect URI: used once, within an hour, for a short-lived token."""

    __tablename__ = "network_authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("network_apps.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(2048))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class NetworkMediaContainer(NumericIdMixin, Base):
    """A media container (`POST {ig-user-id}/media`): the media fetched from its URL, then FINISHED (or ERROR
    with a subcode, or EXPIRED after 24 hours) until `media_publish` turns it into a post (PUBLISHED)."""

    __tablename__ = "network_media_containers"
    __table_args__ = (
        # The rolling-24-hour publishing quota counts an account's published containers.
        Index("ix_network_media_containers_person_id_published_at", "person_id", "published_at"),
    )

    app_id: Mapped[int] = mapped_column(ForeignKey("network_apps.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    media_type: Mapped[str] = mapped_column(String(16))  # IMAGE, VIDEO, REELS, STORIES, CAROUSEL
    is_carousel_item: Mapped[bool] = mapped_column(Boolean, default=False)
    source_url: Mapped[str | None] = mapped_column(String(2048))
    caption: Mapped[str] = mapped_column(String(2200), default="")
    alt_text: Mapped[str | None] = mapped_column(String(1000))
    location_id: Mapped[str | None] = mapped_column(String(64))
    user_tags: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
    collaborators: Mapped[list[str] | None] = mapped_column(JSON)
    children: Mapped[list[str] | None] = mapped_column(JSON)  # container ids of a carousel's items
    options: Mapped[dict[str, object] | None] = mapped_column(JSON)  # cover_url, thumb_offset, share_to_feed …
    status_code: Mapped[str] = mapped_column(String(16))  # IN_PROGRESS, FINISHED, ERROR, EXPIRED, PUBLISHED
    status: Mapped[str] = mapped_column(String(255))
    error_subcode: Mapped[int | None] = mapped_column(Integer)
    storage_key: Mapped[str | None] = mapped_column(String(512))  # the fetched file, until published
    media_id: Mapped[int | None] = mapped_column(BigInteger)  # the post it became
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class NetworkHashtagSearch(NumericIdMixin, Base):
    """A hashtag an account searched (`ig_hashtag_search`): 30 distinct ones per rolling 7 days."""

    __tablename__ = "network_hashtag_searches"
    __table_args__ = (Index("ix_network_hashtag_searches_person_id_searched_at", "person_id", "searched_at"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"))
    hashtag_id: Mapped[int] = mapped_column(ForeignKey("network_hashtags.id", ondelete="CASCADE"), index=True)
    searched_at: Mapped[datetime]


class NetworkWebhookSubscription(NumericIdMixin, Base):
    """Where an app wants webhooks (one callback per app), with the verify token of the handshake and the
    fields it subscribed to (comments, mentions, messages)."""

    __tablename__ = "network_webhook_subscriptions"

    app_id: Mapped[int] = mapped_column(ForeignKey("network_apps.id", ondelete="CASCADE"), unique=True)
    callback_url: Mapped[str] = mapped_column(String(2048))
    # Chosen by the app's developer and sent back in the handshake: the network has to know it in plain.
    verify_token: Mapped[str] = mapped_column(String(255))
    fields: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class NetworkWebhookDelivery(NumericIdMixin, Base):
    """One change for one app (a comment, a mention, a message): pending until a batch carrying it is accepted,
    retried with backoff for up to 36 hours, every attempt logged."""

    __tablename__ = "network_webhook_deliveries"
    __table_args__ = (Index("ix_network_webhook_deliveries_state_next_attempt_at", "state", "next_attempt_at"),)

    app_id: Mapped[int] = mapped_column(ForeignKey("network_apps.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(BigInteger)  # the ig-user-id the change is about
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[dict[str, object]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16))  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]


class NetworkWebhookAttempt(NumericIdMixin, Base):
    """One POST of a batch to an app's callback: the log of deliveries."""

    __tablename__ = "network_webhook_attempts"

    app_id: Mapped[int] = mapped_column(ForeignKey("network_apps.id", ondelete="CASCADE"), index=True)
    delivery_ids: Mapped[list[str]] = mapped_column(JSON)
    body: Mapped[str] = mapped_column(Text)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(255))
    duration_ms: Mapped[int] = mapped_column(Integer)
    attempted_at: Mapped[datetime]


class NetworkFault(NumericIdMixin, Base):
    """A fault switched on: for one app or all (`app_id` empty), on the paths matching a pattern, a share of
    calls fails with a chosen code, waits, is rate limited, sees its token expired, or commits and loses the
    answer."""

    __tablename__ = "network_faults"

    app_id: Mapped[int | None] = mapped_column(ForeignKey("network_apps.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # error, latency, rate_limit, expired_token, lost_answer
    path: Mapped[str] = mapped_column(String(200), default="*")  # a glob over `{id}/{edge}` ("*/media_publish")
    method: Mapped[str | None] = mapped_column(String(8))
    rate: Mapped[float] = mapped_column(Float, default=1.0)
    code: Mapped[int | None] = mapped_column(Integer)
    subcode: Mapped[int | None] = mapped_column(Integer)
    http_status: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
