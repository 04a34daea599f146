"""The mail outbox: rendering, queuing, delivery over a real SMTP server in the test, the sweeper."""

from __future__ import annotations

import email
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import anyio
import jinja2
import pytest
import structlog
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from celery.exceptions import Retry
from pydantic import SecretStr
from sqlalchemy import update

from tests.processes import free_port
from viewfinder.kit import jobs, mail
from viewfinder.kit.clock import utcnow
from viewfinder.kit.db import Database
from viewfinder.kit.mail import MailStatus, OutboxMail
from viewfinder.settings import Settings

SMTP_USER = "mailer"
SMTP_PASSWORD = "s3cr%t p@ss-hunter2"  # percent-encoded in the URL: it must be unquoted before login
SMTP_PASSWORD_IN_URL = "s3cr%25t%20p%40ss-hunter2"
MAIL_FROM = "Viewfinder <viewfinder@test.example>"

# The test server asks for a login over plain TCP, which aiosmtpd rightly warns about: here it is on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


# The SMTP server of the test


class StoringHandler:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _authenticate(_server: Any, _session: Any, _envelope: Any, _mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        SMTP_USER.encode(),
        SMTP_PASSWORD.encode(),
    )
    return AuthResult(success=ok)


@pytest.fixture
def smtp_server() -> Iterator[tuple[StoringHandler, int]]:
    handler = StoringHandler()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _with_smtp(settings: Settings, url: str) -> Settings:
    return settings.model_copy(update={"smtp_url": SecretStr(url), "mail_from": MAIL_FROM})


@pytest.fixture
def smtp_settings(settings: Settings, smtp_server: tuple[StoringHandler, int]) -> Settings:
    return _with_smtp(settings, f"smtp://{SMTP_USER}:{SMTP_PASSWORD_IN_URL}@127.0.0.1:{smtp_server[1]}")


@pytest.fixture
def down_settings(settings: Settings) -> Iterator[Settings]:
    # A port held bound but not listening for the whole test: connecting is refused at once, and no other
    # process (another xdist worker, say) can start listening on it meanwhile.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        yield _with_smtp(settings, f"smtp://{SMTP_USER}:{SMTP_PASSWORD_IN_URL}@127.0.0.1:{port}")


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    database = Database(settings.sqlalchemy_url)
    yield database
    await database.dispose()


async def _queue(db: Database, to: str = "ana@example.com") -> OutboxMail:
    async with db.sessions() as session:
        queued = await mail.queue_mail(
            session, to=to, template=mail.TEST_MESSAGE, context={"base_url": "http://viewfinder.test/"}
        )
        jobs.discard_pending(session)
        await session.commit()
    return queued


async def _load(db: Database, queued: OutboxMail) -> OutboxMail:
    async with db.sessions() as session:
        row = await session.get(OutboxMail, queued.id)
    assert row is not None
    return row


async def _deliver(db: Database, queued: OutboxMail, settings: Settings) -> mail.DeliveryOutcome:
    async with db.sessions() as session:
        return await mail.deliver(session, queued.id, settings)


async def _set(db: Database, queued: OutboxMail, **values: Any) -> None:
    async with db.sessions() as session:
        await session.execute(update(OutboxMail).where(OutboxMail.id == queued.id).values(**values))
        await session.commit()


# Rendering


def test_render_fills_subject_text_and_html() -> None:
    rendered = mail.render(mail.TEST_MESSAGE, {"base_url": "http://viewfinder.test/"})

    assert rendered.subject == "Viewfinder test mail"
    assert "this is a test mail from Viewfinder at http://viewfinder.test/." in rendered.text
    assert rendered.html.startswith("<!DOCTYPE html>")
    assert '<a href="http://viewfinder.test/"' in rendered.html
    assert ">Viewfinder</td>" in rendered.html  # the shared layout's header


def test_render_escapes_context_in_html_only() -> None:
    base_url = 'http://viewfinder.test/?a=1&b=<script>"x"'

    rendered = mail.render(mail.TEST_MESSAGE, {"base_url": base_url})

    assert "<script>" not in rendered.html
    assert "http://viewfinder.test/?a=1&amp;b=&lt;script&gt;&#34;x&#34;" in rendered.html
    assert base_url in rendered.text


def test_render_refuses_missing_context_and_odd_names() -> None:
    with pytest.raises(jinja2.UndefinedError):
        mail.render(mail.TEST_MESSAGE, {})
    with pytest.raises(ValueError, match="invalid mail template name"):
        mail.render("../base", {})


def test_links_in_finds_http_links_once_each_without_trailing_punctuation() -> None:
    body = (
        "Join: https://vf.test/invite?token=abc&x=1.\n"
        "(see http://docs.vf.test/mail), again https://vf.test/invite?token=abc&x=1\n"
        "not ftp://files.vf.test/a nor mailto:ana@example.com"
    )

    assert mail.links_in(body) == ["https://vf.test/invite?token=abc&x=1", "http://docs.vf.test/mail"]
    assert mail.links_in("no links here") == []


@pytest.mark.parametrize(
    "address",
    [
        "ana@example.com\r\nBcc: eve@example.com",
        "ana@example.com\n",
        "no-at-sign",
        "a@b@c",
        "@example.com",
        "ana@",
        "ana smith@example.com",
        "a" * 320 + "@example.com",
    ],
)
def test_check_address_refuses_header_injection_and_non_addresses(address: str) -> None:
    with pytest.raises(mail.InvalidMailAddress):
        mail.check_address(address)


def test_check_address_accepts_an_address() -> None:
    assert mail.check_address("ana.maria+vf@example.com") == "ana.maria+vf@example.com"


def test_retry_delay_grows_exponentially() -> None:
    delays = [mail.retry_delay(attempts) for attempts in (1, 2, 3, 4)]

    assert 60 <= delays[0] <= 75
    assert 120 <= delays[1] <= 150
    assert 480 <= delays[3] <= 600


# Queuing


@pytest.mark.anyio
async def test_queue_mail_stores_the_rendered_row_and_queues_its_job(db: Database) -> None:
    async with db.sessions() as session:
        queued = await mail.queue_mail(
            session, to="ana@example.com", template=mail.TEST_MESSAGE, context={"base_url": "http://vf.test/"}
        )
        pending = jobs.take_pending(session)
        await session.commit()

    assert pending == [jobs.Job("kit.send_mail", (str(queued.id),))]
    row = await _load(db, queued)
    assert (row.to_address, row.template, row.status, row.attempts) == (
        "ana@example.com",
        "test_message",
        MailStatus.QUEUED,
        0,
    )
    assert row.subject == "Viewfinder test mail"
    assert "http://vf.test/" in row.text_body
    assert '<a href="http://vf.test/"' in row.html_body
    assert row.sent_at is None
    assert row.last_error is None


@pytest.mark.anyio
async def test_queue_mail_refuses_a_bad_address_and_writes_nothing(db: Database) -> None:
    async with db.sessions() as session:
        with pytest.raises(mail.InvalidMailAddress):
            await mail.queue_mail(
                session,
                to="ana@example.com\r\nBcc: eve@example.com",
                template="test_message",
                context={"base_url": "x"},
            )
        assert jobs.take_pending(session) == []
        assert await mail.list_outbox(session) == []


@pytest.mark.anyio
async def test_list_outbox_is_newest_first_and_limited(db: Database) -> None:
    first = await _queue(db, "first@example.com")
    second = await _queue(db, "second@example.com")
    third = await _queue(db, "third@example.com")
    await _set(db, first, created_at=utcnow() - timedelta(minutes=3))
    await _set(db, second, created_at=utcnow() - timedelta(minutes=2))

    async with db.sessions() as session:
        newest = await mail.list_outbox(session, limit=2)
        everything = await mail.list_outbox(session)

    assert [row.id for row in newest] == [third.id, second.id]
    assert [row.id for row in everything] == [third.id, second.id, first.id]


# Delivery


@pytest.mark.anyio
async def test_deliver_without_smtp_keeps_the_mail_and_logs_it(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.smtp_url is None
    queued = await _queue(db)

    with structlog.testing.capture_logs() as logs:
        # A fresh logger binds to the capturing configuration even if the module's one was cached already.
        monkeypatch.setattr(mail, "log", structlog.get_logger("viewfinder.kit.mail"))
        outcome = await _deliver(db, queued, settings)

    assert outcome == mail.DeliveryOutcome(status=MailStatus.KEPT)
    row = await _load(db, queued)
    assert (row.status, row.attempts, row.sent_at) == (MailStatus.KEPT, 1, None)
    kept = [entry for entry in logs if entry["event"] == "mail_kept"]
    assert len(kept) == 1
    assert kept[0]["to"] == "ana@example.com"
    assert kept[0]["subject"] == "Viewfinder test mail"
    assert kept[0]["text"] == row.text_body
    assert "http://viewfinder.test/" in kept[0]["text"]


def _received(handler: StoringHandler) -> EmailMessage:
    assert len(handler.envelopes) == 1
    content = handler.envelopes[0].original_content or handler.envelopes[0].content
    assert isinstance(content, bytes)
    message = email.message_from_bytes(content, policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.anyio
async def test_deliver_sends_a_multipart_mail_over_smtp(
    db: Database, smtp_settings: Settings, smtp_server: tuple[StoringHandler, int]
) -> None:
    handler = smtp_server[0]
    queued = await _queue(db)

    outcome = await _deliver(db, queued, smtp_settings)

    assert outcome == mail.DeliveryOutcome(status=MailStatus.SENT)
    envelope = handler.envelopes[0]
    assert envelope.mail_from == "viewfinder@test.example"
    assert envelope.rcpt_tos == ["ana@example.com"]
    message = _received(handler)
    assert message["From"] == MAIL_FROM
    assert message["To"] == "ana@example.com"
    assert message["Subject"] == "Viewfinder test mail"
    assert message["Message-ID"] == f"<{queued.id}@test.example>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "this is a test mail from Viewfinder at http://viewfinder.test/." in text.get_content()
    assert '<a href="http://viewfinder.test/"' in html.get_content()
    row = await _load(db, queued)
    assert (row.status, row.attempts, row.last_error, row.not_before) == (MailStatus.SENT, 1, None, None)
    assert row.sent_at is not None
    assert utcnow() - row.sent_at < timedelta(minutes=1)
    assert (row.subject, row.text_body, row.html_body) == ("Viewfinder test mail", "", "")  # no live links kept


@pytest.mark.anyio
async def test_delivering_twice_sends_once(
    db: Database, smtp_settings: Settings, smtp_server: tuple[StoringHandler, int]
) -> None:
    queued = await _queue(db)

    first = await _deliver(db, queued, smtp_settings)
    second = await _deliver(db, queued, smtp_settings)

    assert (first.status, second.status) == (MailStatus.SENT, None)
    assert len(smtp_server[0].envelopes) == 1
    assert (await _load(db, queued)).attempts == 1


@pytest.mark.anyio
async def test_two_workers_delivering_at_once_send_once(
    db: Database, smtp_settings: Settings, smtp_server: tuple[StoringHandler, int]
) -> None:
    queued = await _queue(db)
    outcomes: list[mail.DeliveryOutcome] = []

    async def worker() -> None:
        outcomes.append(await _deliver(db, queued, smtp_settings))

    async with anyio.create_task_group() as group:
        group.start_soon(worker)
        group.start_soon(worker)

    assert sorted(str(outcome.status) for outcome in outcomes) == ["None", "sent"]
    assert len(smtp_server[0].envelopes) == 1


@pytest.mark.anyio
async def test_deliver_with_smtp_down_records_the_error_and_asks_for_a_retry(
    db: Database, down_settings: Settings
) -> None:
    queued = await _queue(db)

    outcome = await _deliver(db, queued, down_settings)

    assert outcome.status == MailStatus.QUEUED
    assert outcome.retry_in is not None
    assert 60 <= outcome.retry_in <= 75
    row = await _load(db, queued)
    assert (row.status, row.attempts, row.sent_at) == (MailStatus.QUEUED, 1, None)
    assert row.last_error is not None
    assert "SMTPConnect" in row.last_error
    assert "hunter2" not in row.last_error
    assert SMTP_PASSWORD_IN_URL not in row.last_error
    # The backoff holds the mail back from the sweeper as well.
    assert row.not_before is not None
    assert row.not_before > utcnow() + timedelta(seconds=50)
    assert (await _deliver(db, queued, down_settings)).status is None


@pytest.mark.anyio
async def test_deliver_gives_up_after_five_attempts(db: Database, down_settings: Settings) -> None:
    queued = await _queue(db)

    outcomes = []
    for _ in range(mail.MAX_ATTEMPTS):
        outcomes.append(await _deliver(db, queued, down_settings))
        await _set(db, queued, not_before=None)  # as if the backoff had passed

    assert [outcome.status for outcome in outcomes] == [MailStatus.QUEUED] * 4 + [MailStatus.FAILED]
    assert outcomes[-1].retry_in is None
    row = await _load(db, queued)
    assert (row.status, row.attempts) == (MailStatus.FAILED, 5)
    assert row.last_error is not None
    assert "hunter2" not in row.last_error
    assert (await _deliver(db, queued, down_settings)).status is None


def test_describe_error_hides_the_password_even_when_echoed() -> None:
    url = f"smtp://{SMTP_USER}:{SMTP_PASSWORD_IN_URL}@mail.example:587"
    error = RuntimeError(f"auth failed for {SMTP_PASSWORD} via {url}\r\nmore")

    described = mail.describe_error(error, url)

    assert "hunter2" not in described
    assert described.startswith("RuntimeError: auth failed for *** via smtp://mailer:***@mail.example:587")
    assert "\n" not in described


# The sweeper


@pytest.mark.anyio
async def test_deliver_stale_sends_old_queued_mail_only(
    db: Database, smtp_settings: Settings, smtp_server: tuple[StoringHandler, int]
) -> None:
    old = await _queue(db, "old@example.com")
    fresh = await _queue(db, "fresh@example.com")
    leased = await _queue(db, "leased@example.com")
    long_ago = utcnow() - timedelta(minutes=5)
    await _set(db, old, created_at=long_ago)
    await _set(db, leased, created_at=long_ago, attempts=1, not_before=utcnow() + timedelta(minutes=2))

    async with db.sessions() as session:
        handled = await mail.deliver_stale(session, smtp_settings)
        await session.commit()

    assert handled == 1
    assert [envelope.rcpt_tos for envelope in smtp_server[0].envelopes] == [["old@example.com"]]
    assert (await _load(db, old)).status == MailStatus.SENT
    assert (await _load(db, fresh)).status == MailStatus.QUEUED
    assert (await _load(db, leased)).status == MailStatus.QUEUED


@pytest.mark.anyio
async def test_deliver_stale_stops_at_the_first_failure(db: Database, down_settings: Settings) -> None:
    first = await _queue(db, "first@example.com")
    second = await _queue(db, "second@example.com")
    await _set(db, first, created_at=utcnow() - timedelta(minutes=3))
    await _set(db, second, created_at=utcnow() - timedelta(minutes=2))

    async with db.sessions() as session:
        handled = await mail.deliver_stale(session, down_settings)
        await session.commit()

    assert handled == 1
    assert ((await _load(db, first)).attempts, (await _load(db, second)).attempts) == (1, 0)


@pytest.mark.anyio
async def test_deliver_stale_recovers_a_mail_whose_worker_died(db: Database, settings: Settings) -> None:
    crashed = await _queue(db, "crashed@example.com")
    long_ago = utcnow() - timedelta(minutes=10)
    await _set(db, crashed, created_at=long_ago, attempts=1, not_before=long_ago + mail.LEASE)

    async with db.sessions() as session:
        handled = await mail.deliver_stale(session, settings)
        await session.commit()

    assert handled == 1
    row = await _load(db, crashed)
    assert (row.status, row.attempts) == (MailStatus.KEPT, 2)


@pytest.mark.anyio
async def test_deliver_stale_fails_a_mail_lost_on_its_last_attempt(db: Database, settings: Settings) -> None:
    abandoned = await _queue(db, "abandoned@example.com")
    long_ago = utcnow() - timedelta(minutes=10)
    await _set(db, abandoned, created_at=long_ago, attempts=mail.MAX_ATTEMPTS, not_before=long_ago + mail.LEASE)

    async with db.sessions() as session:
        handled = await mail.deliver_stale(session, settings)
        await session.commit()

    assert handled == 0
    row = await _load(db, abandoned)
    assert (row.status, row.last_error) == (MailStatus.FAILED, mail.ABANDONED_ERROR)


# The worker's tasks


async def _apply_in_worker(settings: Settings, monkeypatch: pytest.MonkeyPatch, task: Any, *args: Any) -> Any:
    """Run a task as a worker would: in a thread of its own, with the runtime's own loop and resources."""
    from viewfinder.worker import runtime

    monkeypatch.setattr(runtime, "_settings", settings)

    def call() -> Any:
        try:
            return task.apply(args=args)
        finally:
            runtime.shutdown()

    return await anyio.to_thread.run_sync(call)


@pytest.mark.anyio
async def test_send_mail_task_delivers_the_mail(
    db: Database, smtp_settings: Settings, smtp_server: tuple[StoringHandler, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewfinder.worker.kit_tasks import send_mail

    queued = await _queue(db)

    result = await _apply_in_worker(smtp_settings, monkeypatch, send_mail, str(queued.id))

    assert result.state == "SUCCESS"
    assert (await _load(db, queued)).status == MailStatus.SENT
    assert len(smtp_server[0].envelopes) == 1


@pytest.mark.anyio
async def test_send_mail_task_retries_when_smtp_is_down(
    db: Database, down_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewfinder.worker.kit_tasks import send_mail

    retries: list[dict[str, Any]] = []

    def record_retry(**options: Any) -> Retry:
        retries.append(options)
        return Retry()

    monkeypatch.setattr(send_mail, "retry", record_retry)
    queued = await _queue(db)

    result = await _apply_in_worker(down_settings, monkeypatch, send_mail, str(queued.id))

    assert result.state == "RETRY"
    assert len(retries) == 1
    assert 60 <= retries[0]["countdown"] <= 75
    row = await _load(db, queued)
    assert (row.status, row.attempts) == (MailStatus.QUEUED, 1)


@pytest.mark.anyio
async def test_send_queued_mail_task_sweeps_stale_mail(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from viewfinder.worker.kit_tasks import send_queued_mail

    stale = await _queue(db)
    await _set(db, stale, created_at=utcnow() - timedelta(minutes=2))

    result = await _apply_in_worker(settings, monkeypatch, send_queued_mail)

    assert (result.state, result.result) == ("SUCCESS", 1)
    assert (await _load(db, stale)).status == MailStatus.KEPT
