"""Webhooks out: subscriptions, the verify handshake, signed and batched deliveries retried with backoff.

A change on the network (a comment, a mention, a message) becomes one delivery row per app that is subscribed to
its field and holds a valid token for the account it is about, in the transaction that made the change; a job
queued after the commit POSTs each app's due changes in one signed body. Failures retry with exponential backoff
and jitter until 36 hours after the change; every POST is logged (`NetworkWebhookAttempt`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from viewfinder.kit import jobs
from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput, NotFound
from viewfinder.kit.http import create_http_client
from viewfinder.kit.sealing import SealError, unseal
from viewfinder.network.graph.models import (
    NetworkApp,
    NetworkGraphToken,
    NetworkWebhookAttempt,
    NetworkWebhookDelivery,
    NetworkWebhookSubscription,
)
from viewfinder.network.graph.service.apps import SECRET_PURPOSE
from viewfinder.network.social.captions import parse_caption
from viewfinder.network.social.ids import new_id, parse_id
from viewfinder.network.social.models import (
    AccountType,
    NetworkComment,
    NetworkMessage,
    NetworkPerson,
    NetworkPost,
    PostKind,
)
from viewfinder.network.social.service.notify import mentionable
from viewfinder.settings import Settings

log = structlog.get_logger(__name__)

COMMENTS, MENTIONS, MESSAGES = "comments", "mentions", "messages"
FIELDS = (COMMENTS, MENTIONS, MESSAGES)
# The permission Instagram requires of the app user's token before it sends a field's notifications.
FIELD_SCOPES = {
    COMMENTS: "instagram_business_manage_comments",
    MENTIONS: "instagram_business_manage_comments",
    MESSAGES: "instagram_business_manage_messages",
}
PRODUCT_TYPES = {PostKind.FEED: "FEED", PostKind.REEL: "REELS", PostKind.STORY: "STORY"}
DELIVER_JOB = "network.graph.deliver_webhooks"
SIGNATURE_HEADER = "X-Hub-Signature-256"

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
GIVE_UP_AFTER = timedelta(hours=36)  # Meta retries a failed notification for up to 36 hours
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# A claimed batch is not due again for this long: another worker leaves it alone while the POST is under way.
LEASE = timedelta(minutes=2)
BATCH = 100  # changes per POST
TIMEOUT_SECONDS = 10.0
HANDSHAKE_TIMEOUT_SECONDS = 10.0
MAX_LOGGED_ERROR = 255
_random = secrets.SystemRandom()


# Subscribing: the hub.challenge handshake


class SubscriptionRefused(InvalidInput):
    title = "The callback did not confirm the subscription"


def _checked_fields(fields: Sequence[str]) -> list[str]:
    wanted = list(dict.fromkeys(field.strip() for field in fields if field.strip()))
    unknown = [field for field in wanted if field not in FIELDS]
    if unknown or not wanted:
        message = f"Subscribe to fields among {', '.join(FIELDS)}" + (
            f"; not {', '.join(unknown)}." if unknown else "."
        )
        raise InvalidInput.on("fields", message)
    return wanted


def _checked_callback(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.fragment:
        raise InvalidInput.on("callback_url", f"{url!r} is not an http(s) address without a #fragment.")
    return url


def _where(url: str) -> str:
    # What a message or a log line may say of a callback: never its path or query (they may carry secrets).
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


async def verify_callback(settings: Settings, callback_url: str, verify_token: str) -> None:
    """Meta's handshake: GET the callback with hub.mode, hub.challenge and hub.verify_token; only a 200 whose
    body is the challenge confirms it. Raises SubscriptionRefused, saying what the callback did instead."""
    challenge = str(secrets.randbelow(9 * 10**9) + 10**9)  # Meta's challenges are numbers like 1158201444
    params = {"hub.mode": "subscribe", "hub.challenge": challenge, "hub.verify_token": verify_token}
    try:
        async with create_http_client(settings, timeout=HANDSHAKE_TIMEOUT_SECONDS, retries=0) as http:
            response = await http.get(callback_url, params=params)
    except httpx.HTTPError as error:
        raise SubscriptionRefused.on(
            "callback_url", f"Could not reach {_where(callback_url)}: {error or type(error).__name__}."
        ) from None
    if response.status_code != httpx.codes.OK:
        raise SubscriptionRefused.on(
            "callback_url", f"The callback answered HTTP {response.status_code} to the verification request."
        )
    if response.text.strip() != challenge:
        raise SubscriptionRefused.on(
            "callback_url", "The callback answered 200 but not with the hub.challenge it was sent."
        )


async def subscribe(
    session: AsyncSession,
    settings: Settings,
    *,
    app_id: str,
    callback_url: str,
    verify_token: str,
    fields: Sequence[str],
) -> NetworkWebhookSubscription:
    """Verify the callback, then store (or replace) the app's one subscription."""
    number = parse_id(app_id)
    app = await session.get(NetworkApp, number) if number is not None else None
    if app is None:
        raise NotFound(f"No app has the id {app_id}.")
    wanted = _checked_fields(fields)
    await verify_callback(settings, _checked_callback(callback_url), verify_token)
    now = utcnow()
    subscription = await session.scalar(
        select(NetworkWebhookSubscription).where(NetworkWebhookSubscription.app_id == app.id)
    )
    if subscription is None:
        subscription = NetworkWebhookSubscription(id=new_id(), app_id=app.id, created_at=now)
        session.add(subscription)
    subscription.callback_url = callback_url
    subscription.verify_token = verify_token
    subscription.fields = wanted
    subscription.updated_at = now
    await session.flush()
    return subscription


# Recording changes, in the transaction that makes them


def _professional(person: NetworkPerson | None) -> bool:
    return person is not None and person.account_type != AccountType.PERSONAL


async def _subscribed_apps(session: AsyncSession, account_id: int, field: str) -> list[int]:
    """The apps subscribed to `field` that hold a valid token for the account with the field's permission."""
    rows = await session.execute(
        select(NetworkWebhookSubscription.app_id, NetworkWebhookSubscription.fields, NetworkGraphToken.scopes)
        .join(NetworkGraphToken, NetworkGraphToken.app_id == NetworkWebhookSubscription.app_id)
        .where(
            NetworkGraphToken.person_id == account_id,
            NetworkGraphToken.revoked_at.is_(None),
            NetworkGraphToken.expires_at > utcnow(),
        )
    )
    # Fields and scopes are JSON lists, which the two databases search differently: filter here.
    return sorted({app_id for app_id, fields, scopes in rows if field in fields and FIELD_SCOPES[field] in scopes})


async def _record(session: AsyncSession, account_id: int, field: str, value: dict[str, Any]) -> None:
    app_ids = await _subscribed_apps(session, account_id, field)
    if not app_ids:
        return
    now = utcnow()
    session.add_all(
        NetworkWebhookDelivery(
            id=new_id(),
            app_id=app_id,
            account_id=account_id,
            field=field,
            value=value,
            state=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            delivered_at=None,
        )
        for app_id in app_ids
    )
    await session.flush()
    for app_id in app_ids:
        jobs.enqueue(session, DELIVER_JOB, str(app_id))


async def comment_made(session: AsyncSession, post: NetworkPost, comment: NetworkComment) -> None:
    """A comment or a reply: `comments` for the media's professional owner (their own comments too, as
    Instagram sends them), `mentions` for the professional accounts it @mentions, but the media's owner."""
    owner = await session.get(NetworkPerson, post.author_id)
    author = await session.get(NetworkPerson, comment.author_id)
    if owner is None or author is None or owner.is_private:  # Instagram sends nothing for a private account's media
        return
    if _professional(owner):
        value: dict[str, Any] = {
            "from": {"id": str(author.id), "username": author.username},
            "media": {"id": str(post.id), "media_product_type": PRODUCT_TYPES[post.kind]},
            "id": str(comment.id),
        }
        if comment.parent_id is not None:
            value["parent_id"] = str(comment.parent_id)
        value["text"] = comment.text
        await _record(session, owner.id, COMMENTS, value)
    for person_id in await mentionable(session, author.id, parse_caption(comment.text).mentions):
        if person_id != owner.id and _professional(await session.get(NetworkPerson, person_id)):
            await _record(session, person_id, MENTIONS, {"media_id": str(post.id), "comment_id": str(comment.id)})


async def caption_mentions_made(session: AsyncSession, post: NetworkPost, mentioned_ids: Sequence[int]) -> None:
    """`mentions` for the professional accounts a new post's caption @mentions (not on stories, not by a private
    account, not the author's own name: Instagram sends none of those)."""
    author = await session.get(NetworkPerson, post.author_id)
    if author is None or author.is_private or post.kind == PostKind.STORY:
        return
    for person_id in mentioned_ids:
        if person_id != author.id and _professional(await session.get(NetworkPerson, person_id)):
            await _record(session, person_id, MENTIONS, {"media_id": str(post.id)})


async def message_sent(session: AsyncSession, message: NetworkMessage, recipient_id: int) -> None:
    """`messages` for a professional recipient, and for a professional sender as an echo (`is_echo`), which
    Instagram includes in the same field."""
    content: dict[str, Any] = {"mid": str(message.id), "text": message.text}
    event: dict[str, Any] = {
        "sender": {"id": str(message.sender_id)},
        "recipient": {"id": str(recipient_id)},
        "timestamp": int(message.created_at.timestamp() * 1000),
        "message": content,
    }
    if _professional(await session.get(NetworkPerson, recipient_id)):
        await _record(session, recipient_id, MESSAGES, event)
    if _professional(await session.get(NetworkPerson, message.sender_id)):
        echo = {**event, "message": {**content, "is_echo": True}}
        await _record(session, message.sender_id, MESSAGES, echo)


# Delivering


def app_secret(settings: Settings, app: NetworkApp) -> str | None:
    """The app's secret in plain, to sign with; None for an app made before secrets were kept sealed."""
    if app.secret_sealed is None:
        return None
    return unseal(settings, app.secret_sealed, purpose=SECRET_PURPOSE)


def signature(secret: str, body: bytes) -> str:
    """The `X-Hub-Signature-256` value: `sha256=` and the hex HMAC-SHA256 of the raw body with the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(deliveries: Sequence[NetworkWebhookDelivery], shape: str, sent_at: datetime) -> dict[str, Any]:
    """The POST body of a batch: one entry per account with its `changes` (or, `flat`, one entry per change
    with `field` and `value`), and one per account with its `messaging` events, as Instagram sends them."""
    seconds, millis = int(sent_at.timestamp()), int(sent_at.timestamp() * 1000)
    changes: dict[int, list[NetworkWebhookDelivery]] = {}
    messaging: dict[int, list[NetworkWebhookDelivery]] = {}
    for delivery in deliveries:
        (messaging if delivery.field == MESSAGES else changes).setdefault(delivery.account_id, []).append(delivery)
    entries: list[dict[str, Any]] = []
    for account_id, rows in changes.items():
        if shape == "flat":
            entries.extend(
                {"id": str(account_id), "time": seconds, "field": row.field, "value": row.value} for row in rows
            )
        else:
            changed = [{"field": row.field, "value": row.value} for row in rows]
            entries.append({"id": str(account_id), "time": seconds, "changes": changed})
    for account_id, rows in messaging.items():
        # Messaging entries carry milliseconds, as Instagram's messaging webhooks do.
        entries.append({"id": str(account_id), "time": millis, "messaging": [row.value for row in rows]})
    return {"object": "instagram", "entry": entries}


def next_attempt(delivery: NetworkWebhookDelivery, now: datetime) -> datetime | None:
    """When to try a failed delivery again: exponential backoff with jitter, the last try at 36 hours after the
    change; None once that is past (the delivery has failed)."""
    deadline = delivery.created_at + GIVE_UP_AFTER
    if now >= deadline:
        return None
    delay = min(FIRST_RETRY * 2 ** max(delivery.attempts - 1, 0), LONGEST_RETRY)
    # Jitter spreads the retries of many deliveries that failed together (one callback down).
    delay = delay * _random.uniform(0.5, 1.0)
    retry_at: datetime = min(now + delay, deadline)
    return retry_at


@dataclass(frozen=True)
class DeliveryOutcome:
    sent: int = 0  # deliveries in the POST: 0 when nothing was due
    delivered: bool = False
    status_code: int | None = None
    more: bool = False  # more due deliveries of the app wait for another POST


async def _claim(session: AsyncSession, app_id: int, now: datetime) -> tuple[list[NetworkWebhookDelivery], bool]:
    """Take the app's due deliveries with one conditional update: a row another worker claimed meanwhile is no
    longer due (its lease moved `next_attempt_at`), so it is not taken twice."""
    due = list(
        await session.scalars(
            select(NetworkWebhookDelivery.id)
            .where(
                NetworkWebhookDelivery.app_id == app_id,
                NetworkWebhookDelivery.state == PENDING,
                NetworkWebhookDelivery.next_attempt_at <= now,
            )
            .order_by(NetworkWebhookDelivery.id)
            .limit(BATCH + 1)
        )
    )
    if not due:
        return [], False
    claimed = await session.scalars(
        update(NetworkWebhookDelivery)
        .where(
            NetworkWebhookDelivery.id.in_(due[:BATCH]),
            NetworkWebhookDelivery.state == PENDING,
            NetworkWebhookDelivery.next_attempt_at <= now,
        )
        # Counting the attempt at the claim: a batch that keeps killing its worker still runs out of time.
        .values(next_attempt_at=now + LEASE, attempts=NetworkWebhookDelivery.attempts + 1)
        .returning(NetworkWebhookDelivery)
        .execution_options(populate_existing=True)
    )
    return sorted(claimed, key=lambda row: row.id), len(due) > BATCH


def _signing_secret(
    settings: Settings, app: NetworkApp | None, subscription: NetworkWebhookSubscription | None
) -> tuple[str | None, str | None]:
    """The secret to sign the batch with, or why the batch cannot be sent at all."""
    if app is None or subscription is None:
        return None, "The app is no longer subscribed."
    try:
        secret = app_secret(settings, app)
    except SealError as error:
        return None, f"The app's secret cannot be opened: {error}"
    return (secret, None) if secret is not None else (None, "The app has no sealed secret to sign with.")


async def _post(settings: Settings, url: str, body: bytes, secret: str) -> tuple[int | None, str | None]:
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature(secret, body)}
    try:
        async with create_http_client(settings, timeout=TIMEOUT_SECONDS, retries=0) as http:
            response = await http.post(url, content=body, headers=headers)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:MAX_LOGGED_ERROR]
    if response.is_success:
        return response.status_code, None
    return response.status_code, f"HTTP {response.status_code}"


def _settle(rows: Sequence[NetworkWebhookDelivery], now: datetime, *, delivered: bool, final: bool = False) -> None:
    for row in rows:
        if delivered:
            row.state, row.delivered_at = DELIVERED, now
            continue
        retry_at = None if final else next_attempt(row, now)
        if retry_at is None:
            row.state = FAILED
        else:
            row.next_attempt_at = retry_at


async def deliver(session: AsyncSession, settings: Settings, app_id: int) -> DeliveryOutcome:
    """POST one batch of the app's due changes, signed, and record the outcome.

    Like mail delivery this commits twice: the claim before the network call (so no other worker takes the
    batch and no lock is held while the callback answers), and the outcome right after. Call it in a unit of
    work of its own. Delivery is at least once: a worker that dies after the POST leaves the batch to be sent
    again when its lease ends, as Meta may send a notification twice.
    """
    rows, more = await _claim(session, app_id, utcnow())
    await session.commit()
    if not rows:
        return DeliveryOutcome()
    app = await session.get(NetworkApp, app_id)
    subscription = await session.scalar(
        select(NetworkWebhookSubscription).where(NetworkWebhookSubscription.app_id == app_id)
    )
    sent_at = utcnow()
    body = json.dumps(payload(rows, settings.network_webhook_shape, sent_at), separators=(",", ":")).encode()
    started = time.perf_counter()
    status_code: int | None = None
    secret, error = _signing_secret(settings, app, subscription)
    # Without a subscription or a secret no retry can succeed: those changes fail now.
    permanent = error is not None
    if subscription is not None and secret is not None:
        status_code, error = await _post(settings, subscription.callback_url, body, secret)
    duration_ms = int((time.perf_counter() - started) * 1000)
    now = utcnow()
    delivered = error is None
    _settle(rows, now, delivered=delivered, final=permanent)
    session.add(
        NetworkWebhookAttempt(
            id=new_id(),
            app_id=app_id,
            delivery_ids=[str(row.id) for row in rows],
            body=body.decode(),
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
            attempted_at=sent_at,
        )
    )
    await session.commit()
    log.info(
        "webhook_attempt",
        app_id=str(app_id),
        callback=_where(subscription.callback_url) if subscription is not None else None,
        changes=len(rows),
        status_code=status_code,
        delivered=delivered,
        error=error,
        duration_ms=duration_ms,
    )
    return DeliveryOutcome(sent=len(rows), delivered=delivered, status_code=status_code, more=more)


async def deliver_due(session: AsyncSession, settings: Settings) -> int:
    """The sweeper: POST the due changes of every app (retries, and jobs lost); answer how many POSTs it made."""
    app_ids = list(
        await session.scalars(
            select(NetworkWebhookDelivery.app_id)
            .where(NetworkWebhookDelivery.state == PENDING, NetworkWebhookDelivery.next_attempt_at <= utcnow())
            .distinct()
        )
    )
    await session.commit()
    posts = 0
    for app_id in app_ids:
        while True:
            outcome = await deliver(session, settings, app_id)
            posts += outcome.sent > 0
            # A failing callback would only fail the rest too: its next batch waits for the next sweep.
            if not (outcome.more and outcome.delivered):
                break
    return posts
