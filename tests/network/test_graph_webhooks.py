"""Webhooks out: the hub.challenge handshake (service and command), comments, mentions and messages delivered to
a real HTTP receiver, signed and batched in both shapes, retried after failures, given up after 36 hours, sent
once under concurrent workers, and only to apps subscribed to the field with a valid token; sealed secrets."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tests.conftest import make_settings
from viewfinder import worker
from viewfinder.kit import jobs
from viewfinder.kit.clock import utcnow
from viewfinder.kit.db import Database
from viewfinder.kit.errors import InvalidInput
from viewfinder.kit.sealing import SealError, derive_key, key_id, seal, seal_with, unseal, unseal_with
from viewfinder.network.graph.models import (
    NetworkApp,
    NetworkGraphToken,
    NetworkWebhookAttempt,
    NetworkWebhookDelivery,
    NetworkWebhookSubscription,
)
from viewfinder.network.graph.service import webhooks
from viewfinder.network.graph.service.apps import SECRET_PURPOSE, create_app
from viewfinder.network.graph.service.tokens import SCOPES, issue_token
from viewfinder.network.social.models import NetworkPerson, PostKind
from viewfinder.network.social.service import interactions, messages
from viewfinder.network.social.service import posts as posts_service
from viewfinder.settings import Settings

from .graph_helpers import make_business
from .helpers import make_person
from .test_posts import jpeg

pytestmark = pytest.mark.anyio

VERIFY_TOKEN = "meatyhamhock"
T = TypeVar("T")


# A real receiver: a Starlette app served by uvicorn on a free port, in a thread


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    url: str = ""
    posts: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # statuses of the next POSTs; then 200
    delay: float = 0.0  # seconds each POST takes to answer
    handshake_body: str | None = None  # None: echo hub.challenge, as a correct callback does

    async def endpoint(self, request: Request) -> Response:
        if request.method == "GET":
            query = request.query_params
            if query.get("hub.mode") != "subscribe" or query.get("hub.verify_token") != VERIFY_TOKEN:
                return PlainTextResponse("Forbidden", status_code=403)
            return PlainTextResponse(self.handshake_body if self.handshake_body is not None else query["hub.challenge"])
        self.posts.append(Received(await request.body(), dict(request.headers)))
        if self.delay:
            await anyio.sleep(self.delay)
        return PlainTextResponse("EVENT_RECEIVED", status_code=self.answers.pop(0) if self.answers else 200)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hub = Receiver()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        Starlette(routes=[Route("/hook", hub.endpoint, methods=["GET", "POST"])]),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the receiver did not start"
        time.sleep(0.02)
    hub.url = f"http://127.0.0.1:{port}/hook"
    yield hub
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # The receiver listens on loopback, which the outbound guard refuses unless allowed.
    return make_settings(tmp_path / "data", database_url, outbound_allow_hosts=["127.0.0.1"])


# Making apps, posts, comments and messages through the network's own services


@dataclass(frozen=True)
class Subscribed:
    id: int
    secret: str


async def subscribed_app(
    app: FastAPI,
    receiver: Receiver,
    username: str | None = "lumen.coffee",
    *,
    fields: Sequence[str] = webhooks.FIELDS,
    scopes: Sequence[str] = SCOPES,
) -> Subscribed:
    """An app subscribed through the handshake, holding a token for `username` (none when None)."""
    settings = app.state.resources.settings
    async with app.state.resources.db.unit_of_work() as session:
        made = await create_app(session, settings, name="Suite", redirect_uris=["https://suite.example/callback"])
        if username is not None:
            await issue_token(session, app_id=str(made.app.id), username=username, scopes=scopes)
        await webhooks.subscribe(
            session,
            settings,
            app_id=str(made.app.id),
            callback_url=receiver.url,
            verify_token=VERIFY_TOKEN,
            fields=fields,
        )
    return Subscribed(made.app.id, made.secret)


async def _person(session: AsyncSession, username: str) -> NetworkPerson:
    person = await session.scalar(select(NetworkPerson).where(NetworkPerson.username_key == username))
    assert person is not None
    return person


async def post_by(app: FastAPI, username: str, caption: str = "", kind: PostKind = PostKind.FEED) -> str:
    resources = app.state.resources
    async with resources.db.unit_of_work() as session:
        post = await posts_service.create_post(
            session,
            resources.storage,
            await _person(session, username),
            uploads=[posts_service.Upload(jpeg())],
            caption=caption or None,
            location=None,
            alt_texts=None,
            kind=kind,
        )
    return str(post.id)


async def comment_by(app: FastAPI, username: str, post_id: str, text: str, reply_to: str | None = None) -> str:
    async with app.state.resources.db.unit_of_work() as session:
        view = await interactions.create_comment(
            session, await _person(session, username), post_id, text=text, reply_to=reply_to
        )
    return str(view.comment.id)


async def message_by(app: FastAPI, username: str, to: str, text: str) -> tuple[str, int]:
    async with app.state.resources.db.unit_of_work() as session:
        sender = await _person(session, username)
        thread = await messages.open_thread(session, sender, to)
        sent = await messages.send_message(session, sender, str(thread.thread.id), text)
    return str(sent.id), int(sent.created_at.timestamp() * 1000)


async def deliver(app: FastAPI, app_id: int, settings: Settings | None = None) -> webhooks.DeliveryOutcome:
    resources = app.state.resources
    async with resources.db.unit_of_work() as session:
        return await webhooks.deliver(session, settings or resources.settings, app_id)


async def deliveries(app: FastAPI, app_id: int | None = None) -> list[NetworkWebhookDelivery]:
    async with app.state.resources.db.sessions() as session:
        statement = select(NetworkWebhookDelivery).order_by(NetworkWebhookDelivery.id)
        if app_id is not None:
            statement = statement.where(NetworkWebhookDelivery.app_id == app_id)
        return list(await session.scalars(statement))


async def attempts(app: FastAPI, app_id: int) -> list[NetworkWebhookAttempt]:
    async with app.state.resources.db.sessions() as session:
        statement = select(NetworkWebhookAttempt).where(NetworkWebhookAttempt.app_id == app_id)
        return list(await session.scalars(statement.order_by(NetworkWebhookAttempt.attempted_at)))


def signed_by(received: Received, secret: str) -> bool:
    """Whether the body's `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body with this secret."""
    expected = "sha256=" + hmac.new(secret.encode(), received.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(received.headers["x-hub-signature-256"], expected)


def assert_signed(received: Received, secret: str) -> None:
    assert received.headers["content-type"] == "application/json"
    assert signed_by(received, secret)
    assert not signed_by(received, "0" * 32)


# Sealing


def test_sealed_texts_name_their_key_and_open_only_with_it_for_their_purpose() -> None:
    key, other = derive_key(b"install secret"), derive_key(b"another install")
    assert len(key) == 32
    assert key != other
    sealed = seal_with(key, "0123456789abcdef0123456789abcdef", purpose=SECRET_PURPOSE)
    version, named, payload = sealed.split(".")
    assert (version, named) == ("v1", key_id(key))
    assert "0123456789abcdef" not in payload
    assert seal_with(key, "same", purpose="p") != seal_with(key, "same", purpose="p")  # a fresh nonce each time
    assert unseal_with([other, key], sealed, purpose=SECRET_PURPOSE) == "0123456789abcdef0123456789abcdef"

    with pytest.raises(SealError, match=key_id(key)):
        unseal_with([other], sealed, purpose=SECRET_PURPOSE)
    with pytest.raises(SealError, match="another purpose"):
        unseal_with([key], sealed, purpose="network_apps.other")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    with pytest.raises(SealError):
        unseal_with([key], f"v1.{named}.{flipped}", purpose=SECRET_PURPOSE)
    with pytest.raises(SealError, match="Not a sealed text"):
        unseal_with([key], "0123456789abcdef", purpose=SECRET_PURPOSE)


async def test_an_app_keeps_its_secret_sealed_under_the_install_key(app: FastAPI) -> None:
    settings: Settings = app.state.resources.settings
    async with app.state.resources.db.unit_of_work() as session:
        made = await create_app(session, settings, name="Suite", redirect_uris=["https://suite.example/callback"])
    async with app.state.resources.db.sessions() as session:
        stored = await session.get(NetworkApp, made.app.id)
    assert stored is not None
    assert stored.secret_sealed is not None
    assert made.secret not in stored.secret_sealed
    assert stored.secret_sealed.startswith(f"v1.{key_id(derive_key(settings.signing_key))}.")
    assert unseal(settings, stored.secret_sealed, purpose=SECRET_PURPOSE) == made.secret
    assert webhooks.app_secret(settings, stored) == made.secret
    elsewhere = settings.model_copy(update={"secret_key": None, "data_dir": settings.data_dir / "elsewhere"})
    with pytest.raises(SealError, match="does not hold"):
        unseal(elsewhere, stored.secret_sealed, purpose=SECRET_PURPOSE)
    assert seal(settings, "x", purpose="p") != seal(settings, "x", purpose="p")


# The handshake


async def test_subscribing_needs_the_callback_to_echo_the_challenge(app: FastAPI, receiver: Receiver) -> None:
    await make_business(app)
    made = await subscribed_app(app, receiver, fields=["comments", "mentions"])
    settings = app.state.resources.settings

    async def subscribe(verify_token: str = VERIFY_TOKEN, fields: Sequence[str] = ("messages",), url: str = "") -> None:
        async with app.state.resources.db.unit_of_work() as session:
            await webhooks.subscribe(
                session,
                settings,
                app_id=str(made.id),
                callback_url=url or receiver.url,
                verify_token=verify_token,
                fields=fields,
            )

    async def stored() -> list[tuple[str, list[str]]]:
        async with app.state.resources.db.sessions() as session:
            rows = await session.scalars(select(NetworkWebhookSubscription))
            return [(row.callback_url, row.fields) for row in rows]

    assert await stored() == [(receiver.url, ["comments", "mentions"])]
    with pytest.raises(webhooks.SubscriptionRefused, match="HTTP 403"):
        await subscribe(verify_token="not-the-token")
    receiver.handshake_body = "hello"
    with pytest.raises(webhooks.SubscriptionRefused, match=r"not with the hub\.challenge"):
        await subscribe()
    with pytest.raises(webhooks.SubscriptionRefused, match=r"Could not reach http://127\.0\.0\.1:9") as unreachable:
        await subscribe(url="http://127.0.0.1:9/hook?secret=1")
    assert "secret" not in unreachable.value.detail
    with pytest.raises(InvalidInput, match="not story_insights"):
        await subscribe(fields=["comments", "story_insights"])
    assert await stored() == [(receiver.url, ["comments", "mentions"])]  # refusals change nothing

    receiver.handshake_body = None
    await subscribe(fields=["messages", "comments", "messages"])
    assert await stored() == [(receiver.url, ["messages", "comments"])]  # replaced, one per app


def _cli(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "viewfinder", "network", "app", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _in_database(database: Path, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database(f"sqlite+aiosqlite:///{database}", pool_size=1)
        try:
            async with db.unit_of_work() as session:
                return await work(session)
        finally:
            await db.dispose()

    return asyncio.run(run())


def test_the_subscribe_command_subscribes_or_exits_1(tmp_path: Path, sqlite_template: Path, receiver: Receiver) -> None:
    database = tmp_path / "viewfinder.db"
    shutil.copy(sqlite_template, database)
    settings = make_settings(tmp_path / "data", f"sqlite+aiosqlite:///{database}")

    async def new_app(session: AsyncSession) -> str:
        made = await create_app(session, settings, name="Suite", redirect_uris=["https://suite.example/cb"])
        return str(made.app.id)

    async def subscriptions(session: AsyncSession) -> list[tuple[str, str, list[str]]]:
        rows = await session.scalars(select(NetworkWebhookSubscription))
        return [(str(row.app_id), row.callback_url, row.fields) for row in rows]

    app_id = _in_database(database, new_app)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update(DATA_DIR=str(settings.data_dir), DATABASE_URL=settings.database_url, OUTBOUND_ALLOW_HOSTS="127.0.0.1")
    common = ["subscribe", "--app-id", app_id, "--callback-url", receiver.url, "--fields", "comments,messages"]

    refused = _cli(env, *common, "--verify-token", "wrong")
    assert refused.returncode == 1
    assert "answered HTTP 403 to the verification request" in refused.stderr
    assert _in_database(database, subscriptions) == []

    subscribed = _cli(env, *common, "--verify-token", VERIFY_TOKEN, "--json")
    assert subscribed.returncode == 0, subscribed.stderr
    assert json.loads(subscribed.stdout) == {
        "app_id": app_id,
        "callback_url": receiver.url,
        "fields": ["comments", "messages"],
    }
    assert _in_database(database, subscriptions) == [(app_id, receiver.url, ["comments", "messages"])]


# What is delivered, and in which shape


async def _three_comments(app: FastAPI) -> tuple[str, list[str]]:
    """Ada comments on Lumen's post, Lumen replies (its own comment), Ada replies to the reply."""
    post = await post_by(app, "lumen.coffee", "Fresh roast")
    first = await comment_by(app, "ada", post, "Looks great")
    reply = await comment_by(app, "lumen.coffee", post, "Thank you!", reply_to=first)
    again = await comment_by(app, "ada", post, "See you", reply_to=reply)  # joins the top-level thread
    return post, [first, reply, again]


def _comment_values(app_ids: dict[str, str], post: str, comments: list[str]) -> list[dict[str, Any]]:
    media = {"id": post, "media_product_type": "FEED"}
    ada = {"id": app_ids["ada"], "username": "ada"}
    lumen = {"id": app_ids["lumen"], "username": "lumen.coffee"}
    return [
        {"from": ada, "media": media, "id": comments[0], "text": "Looks great"},
        {"from": lumen, "media": media, "id": comments[1], "parent_id": comments[0], "text": "Thank you!"},
        {"from": ada, "media": media, "id": comments[2], "parent_id": comments[0], "text": "See you"},
    ]


async def test_comments_arrive_signed_and_batched_in_one_post(app: FastAPI, receiver: Receiver) -> None:
    lumen = await make_business(app)
    ada = await make_person(app, "ada")
    made = await subscribed_app(app, receiver)
    sent: list[jobs.Job] = []
    jobs.set_sender(sent.append)
    try:
        post, comments = await _three_comments(app)
    finally:
        worker.configure(app.state.resources.settings)
    # Each change queued the app's delivery job after its commit.
    queued = [job.args for job in sent if job.name == "network.graph.deliver_webhooks"]
    assert queued == [(str(made.id),)] * 3

    before = int(time.time())
    outcome = await deliver(app, made.id)
    assert (outcome.sent, outcome.delivered, outcome.status_code, outcome.more) == (3, True, 200, False)
    assert len(receiver.posts) == 1
    received = receiver.posts[0]
    assert_signed(received, made.secret)
    body = received.json
    assert body["object"] == "instagram"
    [entry] = body["entry"]
    assert list(entry) == ["id", "time", "changes"]
    assert entry["id"] == lumen.id
    assert before <= entry["time"] <= int(time.time())
    expected = _comment_values({"ada": ada.id, "lumen": lumen.id}, post, comments)
    assert entry["changes"] == [{"field": "comments", "value": value} for value in expected]

    rows = await deliveries(app)
    assert [(row.state, row.attempts) for row in rows] == [("delivered", 1)] * 3
    [attempt] = await attempts(app, made.id)
    assert (attempt.status_code, attempt.error) == (200, None)
    assert attempt.body.encode() == received.body
    assert sorted(attempt.delivery_ids) == sorted(str(row.id) for row in rows)
    assert (await deliver(app, made.id)).sent == 0  # nothing left: nothing is sent again
    assert len(receiver.posts) == 1


async def test_the_flat_shape_puts_field_and_value_in_each_entry(app: FastAPI, receiver: Receiver) -> None:
    lumen = await make_business(app)
    ada = await make_person(app, "ada")
    made = await subscribed_app(app, receiver)
    post, comments = await _three_comments(app)

    flat = app.state.resources.settings.model_copy(update={"network_webhook_shape": "flat"})
    assert (await deliver(app, made.id, flat)).delivered
    [received] = receiver.posts
    assert_signed(received, made.secret)
    entries = received.json["entry"]
    expected = _comment_values({"ada": ada.id, "lumen": lumen.id}, post, comments)
    assert [{key: entry[key] for key in ("id", "field", "value")} for entry in entries] == [
        {"id": lumen.id, "field": "comments", "value": value} for value in expected
    ]
    assert all(list(entry) == ["id", "time", "field", "value"] for entry in entries)


async def test_mentions_in_captions_and_comments_of_others_media(app: FastAPI, receiver: Receiver) -> None:
    lumen = await make_business(app)
    await make_person(app, "ada")
    await make_person(app, "hidden.hal", private=True)
    made = await subscribed_app(app, receiver)

    captioned = await post_by(app, "ada", "Morning at @lumen.coffee")
    grace_post = await post_by(app, "ada", "Latte art")
    in_comment = await comment_by(app, "ada", grace_post, "Ask @Lumen.Coffee how")
    # None of these is sent, as on Instagram: mentions on the account's own media, and a private account's.
    own = await post_by(app, "lumen.coffee", "We are @lumen.coffee")
    await comment_by(app, "ada", own, "@lumen.coffee hi")  # a comment on own media is a comment, not a mention
    await post_by(app, "hidden.hal", "Secretly at @lumen.coffee")

    assert (await deliver(app, made.id)).delivered
    [received] = receiver.posts
    [entry] = received.json["entry"]
    assert entry["id"] == lumen.id
    mentions = [change for change in entry["changes"] if change["field"] == "mentions"]
    assert mentions == [
        {"field": "mentions", "value": {"media_id": captioned}},
        {"field": "mentions", "value": {"media_id": grace_post, "comment_id": in_comment}},
    ]
    assert [change["field"] for change in entry["changes"]] == ["mentions", "mentions", "comments"]


async def test_messages_arrive_in_the_messaging_shape_with_echoes(app: FastAPI, receiver: Receiver) -> None:
    lumen = await make_business(app)
    ada = await make_person(app, "ada")
    made = await subscribed_app(app, receiver)
    asked, asked_at = await message_by(app, "ada", "lumen.coffee", "Open on Sunday?")
    answered, answered_at = await message_by(app, "lumen.coffee", "ada", "From 9 to 13")

    for shape in ("changes", "flat"):  # messaging entries are the same in both shapes
        async with app.state.resources.db.unit_of_work() as session:
            await session.execute(update(NetworkWebhookDelivery).values(state="pending", next_attempt_at=utcnow()))
        settings = app.state.resources.settings.model_copy(update={"network_webhook_shape": shape})
        before = int(time.time() * 1000)
        assert (await deliver(app, made.id, settings)).delivered
        received = receiver.posts[-1]
        assert_signed(received, made.secret)
        [entry] = received.json["entry"]
        assert list(entry) == ["id", "time", "messaging"]
        assert entry["id"] == lumen.id
        assert before <= entry["time"] <= int(time.time() * 1000)  # milliseconds, as Instagram's messaging sends
        assert entry["messaging"] == [
            {
                "sender": {"id": ada.id},
                "recipient": {"id": lumen.id},
                "timestamp": asked_at,
                "message": {"mid": asked, "text": "Open on Sunday?"},
            },
            {
                "sender": {"id": lumen.id},
                "recipient": {"id": ada.id},
                "timestamp": answered_at,
                "message": {"mid": answered, "text": "From 9 to 13", "is_echo": True},
            },
        ]


async def test_only_subscribed_fields_of_apps_with_a_valid_token_are_recorded(app: FastAPI, receiver: Receiver) -> None:
    await make_business(app)
    await make_business(app, "other.shop", name="Other Shop")
    await make_person(app, "ada")
    comments_only = await subscribed_app(app, receiver, fields=["comments"])
    no_token = await subscribed_app(app, receiver, username=None)
    other_account = await subscribed_app(app, receiver, username="other.shop")
    basic_only = await subscribed_app(app, receiver, scopes=["instagram_business_basic"])
    revoked = await subscribed_app(app, receiver)
    expired = await subscribed_app(app, receiver)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(
            update(NetworkGraphToken).where(NetworkGraphToken.app_id == revoked.id).values(revoked_at=utcnow())
        )
        await session.execute(
            update(NetworkGraphToken)
            .where(NetworkGraphToken.app_id == expired.id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )

    post = await post_by(app, "lumen.coffee")
    await comment_by(app, "ada", post, "Nice")
    await post_by(app, "ada", "Hi @lumen.coffee")
    await message_by(app, "ada", "lumen.coffee", "Hello")
    await message_by(app, "ada", "other.shop", "Hello there")

    rows = await deliveries(app)
    assert [(row.app_id, row.field) for row in rows] == [
        (comments_only.id, "comments"),
        (other_account.id, "messages"),
    ]
    for silent in (no_token, basic_only, revoked, expired):
        assert (await deliver(app, silent.id)).sent == 0
    assert receiver.posts == []


# Retries, giving up, and concurrent workers


async def _set_delivery(app: FastAPI, **values: Any) -> None:
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(update(NetworkWebhookDelivery).values(**values))


async def test_a_failed_post_is_retried_with_backoff_then_delivered(app: FastAPI, receiver: Receiver) -> None:
    await make_business(app)
    await make_person(app, "ada")
    made = await subscribed_app(app, receiver)
    post = await post_by(app, "lumen.coffee")
    await comment_by(app, "ada", post, "First")
    receiver.answers = [500]

    failed_at = utcnow()
    outcome = await deliver(app, made.id)
    assert (outcome.sent, outcome.delivered, outcome.status_code) == (1, False, 500)
    [row] = await deliveries(app)
    assert (row.state, row.attempts) == ("pending", 1)
    # The first retry comes 15 to 30 seconds later (30 s, with jitter).
    assert failed_at + timedelta(seconds=15) <= row.next_attempt_at <= utcnow() + timedelta(seconds=30)
    assert (await deliver(app, made.id)).sent == 0  # not due yet

    await _set_delivery(app, next_attempt_at=utcnow() - timedelta(seconds=1))
    outcome = await deliver(app, made.id)
    assert (outcome.sent, outcome.delivered, outcome.status_code) == (1, True, 200)
    [row] = await deliveries(app)
    assert (row.state, row.attempts) == ("delivered", 2)
    assert row.delivered_at is not None
    first, second = await attempts(app, made.id)
    assert [(first.status_code, first.error), (second.status_code, second.error)] == [(500, "HTTP 500"), (200, None)]
    assert first.delivery_ids == second.delivery_ids == [str(row.id)]
    assert [received.json["entry"][0]["changes"] for received in receiver.posts] == [
        receiver.posts[0].json["entry"][0]["changes"]
    ] * 2


async def test_backoff_grows_and_ends_36_hours_after_the_change(app: FastAPI, receiver: Receiver) -> None:
    await make_business(app)
    await make_person(app, "ada")
    made = await subscribed_app(app, receiver)
    post = await post_by(app, "lumen.coffee")
    await comment_by(app, "ada", post, "Still there?")

    # After many failures the wait is capped at an hour; near the end it is cut to the 36-hour mark.
    receiver.answers = [503]
    await _set_delivery(app, attempts=9, created_at=utcnow() - timedelta(hours=10))
    await deliver(app, made.id)
    [row] = await deliveries(app)
    assert utcnow() + timedelta(minutes=29) <= row.next_attempt_at <= utcnow() + timedelta(hours=1)

    receiver.answers = [503]
    created = utcnow() - timedelta(hours=36) + timedelta(seconds=20)
    await _set_delivery(app, created_at=created, next_attempt_at=utcnow())
    await deliver(app, made.id)
    [row] = await deliveries(app)
    assert (row.state, row.next_attempt_at) == ("pending", created + webhooks.GIVE_UP_AFTER)

    receiver.answers = [503]
    await _set_delivery(app, created_at=utcnow() - timedelta(hours=36, seconds=1), next_attempt_at=utcnow())
    outcome = await deliver(app, made.id)
    assert (outcome.delivered, outcome.status_code) == (False, 503)
    [row] = await deliveries(app)
    assert (row.state, row.attempts) == ("failed", 12)
    assert [attempt.status_code for attempt in await attempts(app, made.id)] == [503, 503, 503]
    assert (await deliver(app, made.id)).sent == 0  # failed is final
    assert len(receiver.posts) == 3


async def test_an_unreachable_callback_is_an_attempt_and_a_retry(app: FastAPI, receiver: Receiver) -> None:
    await make_business(app)
    await make_person(app, "ada")
    made = await subscribed_app(app, receiver)
    async with app.state.resources.db.unit_of_work() as session:
        await session.execute(update(NetworkWebhookSubscription).values(callback_url="http://127.0.0.1:9/hook"))
    post = await post_by(app, "lumen.coffee")
    await comment_by(app, "ada", post, "Hello?")

    outcome = await deliver(app, made.id)
    assert (outcome.sent, outcome.delivered, outcome.status_code) == (1, False, None)
    [attempt] = await attempts(app, made.id)
    assert attempt.error is not None
    assert attempt.error.startswith("ConnectError")
    [row] = await deliveries(app)
    assert row.state == "pending"


async def test_two_workers_never_send_the_same_change_at_once(app: FastAPI, receiver: Receiver) -> None:
    await make_business(app)
    await make_person(app, "ada")
    made = await subscribed_app(app, receiver)
    post = await post_by(app, "lumen.coffee")
    await comment_by(app, "ada", post, "Once")
    receiver.delay = 0.5  # the first POST is under way while the second worker looks

    outcomes: list[webhooks.DeliveryOutcome] = []

    async def work() -> None:
        outcomes.append(await deliver(app, made.id))

    async with anyio.create_task_group() as group:
        group.start_soon(work)
        group.start_soon(work)
    assert sorted(outcome.sent for outcome in outcomes) == [0, 1]
    assert len(receiver.posts) == 1
    [row] = await deliveries(app)
    assert (row.state, row.attempts) == ("delivered", 1)


async def test_the_sweeper_sends_every_app_its_due_changes(app: FastAPI, receiver: Receiver) -> None:
    await make_business(app)
    await make_person(app, "ada")
    first = await subscribed_app(app, receiver)
    second = await subscribed_app(app, receiver, fields=["comments"])
    post = await post_by(app, "lumen.coffee")
    await comment_by(app, "ada", post, "For both")

    async with app.state.resources.db.unit_of_work() as session:
        assert await webhooks.deliver_due(session, app.state.resources.settings) == 2
    assert len(receiver.posts) == 2
    # Each app's POST is signed with its own secret.
    assert sorted(signed_by(received, first.secret) for received in receiver.posts) == [False, True]
    assert sorted(signed_by(received, second.secret) for received in receiver.posts) == [False, True]
    async with app.state.resources.db.sessions() as session:
        states = await session.scalars(select(NetworkWebhookDelivery.state).distinct())
        assert list(states) == ["delivered"]
        assert await session.scalar(select(func.count()).select_from(NetworkWebhookAttempt)) == 2
