"""The mail outbox: templates rendered into rows, then delivered by a worker over SMTP or kept in the log.

A mail is a row before it is a message, so a lost job or a crashed worker never loses it: the sweeper
(`deliver_stale`, every minute) sends whatever is still queued.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import aiosmtplib
import anyio
import jinja2
import structlog
from sqlalchemy import Enum, Index, String, Text, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from viewfinder.kit import jobs
from viewfinder.kit.clock import utcnow
from viewfinder.kit.db import Base, IdMixin, TimestampMixin
from viewfinder.kit.errors import InvalidInput
from viewfinder.kit.logging import mask_url_password
from viewfinder.settings import Settings

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates" / "mail"
SEND_JOB = "kit.send_mail"
TEST_MESSAGE = "test_message"

MAX_ATTEMPTS = 5
SMTP_TIMEOUT_SECONDS = 20.0
# One send is several SMTP commands, each with its own timeout; the whole of it is bounded too, and the
# lease outlives that bound, so a live worker never loses its claim to the sweeper.
SEND_DEADLINE_SECONDS = 90.0
LEASE = timedelta(minutes=5)
STALE_AFTER = timedelta(minutes=1)
SWEEP_BATCH = 50
RETRY_BASE_SECONDS = 60.0
MAX_ERROR_LENGTH = 500
MAX_ADDRESS_LENGTH = 320
ABANDONED_ERROR = "the worker was lost during the last attempt"

_TEMPLATE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_LINK_TRAILING = ".,;:!?)]}"

log = structlog.get_logger(__name__)


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    KEPT = "kept"  # no SMTP configured: the mail lives in the outbox and the log only
    FAILED = "failed"


class OutboxMail(IdMixin, TimestampMixin, Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_status_created_at", "status", "created_at"),)

    to_address: Mapped[str] = mapped_column(String(MAX_ADDRESS_LENGTH))
    subject: Mapped[str] = mapped_column(String(500))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(100))
    status: Mapped[MailStatus] = mapped_column(
        Enum(MailStatus, native_enum=False, length=16, values_callable=lambda statuses: [s.value for s in statuses]),
        default=MailStatus.QUEUED,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(MAX_ERROR_LENGTH))
    # Not to be claimed before this instant: a worker's lease while it sends, or the backoff after a failure.
    not_before: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class InvalidMailAddress(InvalidInput):
    title = "The mail address is not valid"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class DeliveryOutcome:
    """What became of one delivery; `retry_in` (seconds) is set when the job should run again."""

    status: MailStatus | None  # None: nothing was done (unknown id, not queued, or claimed by another worker)
    retry_in: float | None = None


# Rendering


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        # Only the HTML part is markup; escaping the text part would show "&amp;" to the reader.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        keep_trailing_newline=True,
    )


def render(template: str, context: Mapping[str, Any]) -> RenderedMail:
    """Render `{template}.subject.txt`, `{template}.txt` and `{template}.html` with the same context."""
    if not _TEMPLATE_NAME.match(template):
        raise ValueError(f"invalid mail template name {template!r}")
    environment = _environment()
    subject = environment.get_template(f"{template}.subject.txt").render(context)
    return RenderedMail(
        # A header is one line: a newline from a template or a context value must not start another header.
        subject=" ".join(subject.split()),
        text=environment.get_template(f"{template}.txt").render(context),
        html=environment.get_template(f"{template}.html").render(context),
    )


# Queuing


def check_address(address: str) -> str:
    """Refuse what would break the headers or is plainly not an address; the SMTP server judges the rest."""
    if (
        len(address) > MAX_ADDRESS_LENGTH
        or address.count("@") != 1
        or any(character.isspace() or ord(character) < 32 for character in address)
    ):
        raise InvalidMailAddress(f"{address[:80]!r} is not a mail address")
    local, domain = address.split("@")
    if not local or not domain:
        raise InvalidMailAddress(f"{address[:80]!r} is not a mail address")
    return address


async def queue_mail(session: AsyncSession, *, to: str, template: str, context: Mapping[str, Any]) -> OutboxMail:
    """Store a rendered mail and queue its delivery, which is sent once the session commits."""
    rendered = render(template, context)
    mail = OutboxMail(
        to_address=check_address(to),
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        template=template,
        status=MailStatus.QUEUED,
        attempts=0,
    )
    session.add(mail)
    await session.flush()
    jobs.enqueue(session, SEND_JOB, str(mail.id))
    return mail


async def list_outbox(session: AsyncSession, limit: int = 50) -> list[OutboxMail]:
    statement = (
        select(OutboxMail).order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc()).limit(max(1, min(limit, 500)))
    )
    return list(await session.scalars(statement))


def links_in(text: str) -> list[str]:
    """The http(s) links of a body, in order and once each (an invitation link, for operators and tests)."""
    links: list[str] = []
    for match in _LINK.finditer(text):
        link = match.group(0).rstrip(_LINK_TRAILING)
        if link not in links:
            links.append(link)
    return links


# Delivery


async def deliver(session: AsyncSession, mail_id: uuid.UUID, settings: Settings) -> DeliveryOutcome:
    """Deliver one queued mail, at most once at a time across workers.

    Unlike other services this commits, twice: the claim before talking to the SMTP server (so no other
    worker takes the mail meanwhile and no database lock is held during the network call), and the outcome
    right after (a mail that left cannot be taken back by a later rollback). Call it in a unit of work of
    its own. If the worker dies between the two, the lease expires and the sweeper sends the mail again:
    delivery is at least once, and the stable Message-ID lets mail clients drop the rare duplicate.
    """
    mail = await _claim(session, mail_id)
    if mail is None:
        return DeliveryOutcome(status=None)
    await session.commit()
    if settings.smtp_url is None:
        outcome = _keep(mail)
    else:
        outcome = await _send_and_record(mail, settings.smtp_url.get_secret_value(), settings.mail_from)
    await session.commit()
    return outcome


async def deliver_stale(session: AsyncSession, settings: Settings) -> int:
    """The sweeper: deliver queued mails whose job was lost or whose worker died; return how many it handled."""
    now = utcnow()
    await _fail_abandoned(session, now)
    statement = (
        select(OutboxMail.id)
        .where(
            OutboxMail.status == MailStatus.QUEUED,
            OutboxMail.created_at < now - STALE_AFTER,
            OutboxMail.attempts < MAX_ATTEMPTS,
            or_(OutboxMail.not_before.is_(None), OutboxMail.not_before <= now),
        )
        .order_by(OutboxMail.created_at)
        .limit(SWEEP_BATCH)
    )
    handled = 0
    for mail_id in list(await session.scalars(statement)):
        outcome = await deliver(session, mail_id, settings)
        handled += outcome.status is not None
        if outcome.retry_in is not None:
            # The server is failing: the rest would only wait out the same timeout; the next sweep tries again.
            break
    return handled


async def _claim(session: AsyncSession, mail_id: uuid.UUID) -> OutboxMail | None:
    """Take the mail if it is queued and nobody holds it; one conditional UPDATE, so only one worker wins."""
    now = utcnow()
    statement = (
        update(OutboxMail)
        .where(
            OutboxMail.id == mail_id,
            OutboxMail.status == MailStatus.QUEUED,
            OutboxMail.attempts < MAX_ATTEMPTS,
            or_(OutboxMail.not_before.is_(None), OutboxMail.not_before <= now),
        )
        # Counting the attempt at the claim means a mail that keeps killing its worker still ends up failed.
        .values(attempts=OutboxMail.attempts + 1, not_before=now + LEASE, updated_at=now)
        .returning(OutboxMail)
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one_or_none()


async def _fail_abandoned(session: AsyncSession, now: datetime) -> None:
    """A mail whose last allowed attempt died with its worker can no longer be claimed: give it up."""
    await session.execute(
        update(OutboxMail)
        .where(
            OutboxMail.status == MailStatus.QUEUED,
            OutboxMail.attempts >= MAX_ATTEMPTS,
            or_(OutboxMail.not_before.is_(None), OutboxMail.not_before <= now),
        )
        .values(status=MailStatus.FAILED, not_before=None, updated_at=now, last_error=ABANDONED_ERROR)
        .execution_options(synchronize_session=False)
    )


def _keep(mail: OutboxMail) -> DeliveryOutcome:
    # The embedded mode has no mail server: the log is where the operator reads the mail (and its links).
    log.info("mail_kept", to=mail.to_address, subject=mail.subject, text=mail.text_body, mail_id=str(mail.id))
    mail.status = MailStatus.KEPT
    mail.not_before = None
    mail.last_error = None
    return DeliveryOutcome(status=MailStatus.KEPT)


async def _send_and_record(mail: OutboxMail, smtp_url: str, mail_from: str) -> DeliveryOutcome:
    try:
        with anyio.fail_after(SEND_DEADLINE_SECONDS):
            await send_message(build_message(mail, mail_from), smtp_url)
    # ValueError: a header the message refuses (a MAIL_FROM with a line break); the row records why.
    except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as error:
        return _record_failure(mail, describe_error(error, smtp_url))
    mail.status = MailStatus.SENT
    mail.sent_at = utcnow()
    mail.not_before = None
    mail.last_error = None
    # The bodies carry live single-use links (password resets, invitations): once the mail has left, no copy
    # stays in the database, where a backup or a dump would outlive it. Mails kept without SMTP, or failed,
    # keep theirs: `viewfinder mail list` is then how the links reach people.
    mail.text_body = mail.html_body = ""
    log.info("mail_sent", to=mail.to_address, template=mail.template, mail_id=str(mail.id), attempts=mail.attempts)
    return DeliveryOutcome(status=MailStatus.SENT)


def _record_failure(mail: OutboxMail, error: str) -> DeliveryOutcome:
    mail.last_error = error
    if mail.attempts >= MAX_ATTEMPTS:
        mail.status = MailStatus.FAILED
        mail.not_before = None
        log.error("mail_failed", to=mail.to_address, mail_id=str(mail.id), attempts=mail.attempts, error=error)
        return DeliveryOutcome(status=MailStatus.FAILED)
    delay = retry_delay(mail.attempts)
    # The backoff is stored too, so the sweeper does not send sooner than the retry job would.
    mail.not_before = utcnow() + timedelta(seconds=delay)
    log.warning("mail_send_failed", to=mail.to_address, mail_id=str(mail.id), attempts=mail.attempts, error=error)
    return DeliveryOutcome(status=MailStatus.QUEUED, retry_in=delay)


def retry_delay(attempts: int) -> float:
    """Exponential backoff with jitter, so mails queued together do not hammer a recovering server together."""
    base = RETRY_BASE_SECONDS * 2.0 ** max(0, attempts - 1)
    return round(base * random.uniform(1.0, 1.25), 1)  # noqa: S311 - jitter, not a secret


def build_message(mail: OutboxMail, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_at)
    # Stable across retries: a receiver that got the same mail twice can tell it is one mail.
    message["Message-ID"] = f"<{mail.id}@{_sender_domain(mail_from)}>"
    message.set_content(mail.text_body)
    message.add_alternative(mail.html_body, subtype="html")
    return message


def _sender_domain(mail_from: str) -> str:
    _name, address = parseaddr(mail_from)
    domain = address.rpartition("@")[2]
    return domain or "viewfinder.localhost"


async def send_message(message: EmailMessage, smtp_url: str) -> None:
    """Send over SMTP: implicit TLS for smtps://, STARTTLS whenever the server offers it, login if given."""
    parts = urlsplit(smtp_url)
    await aiosmtplib.send(
        message,
        hostname=parts.hostname,
        port=parts.port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=parts.scheme == "smtps",
        start_tls=None,
        timeout=SMTP_TIMEOUT_SECONDS,
    )


def describe_error(error: BaseException, smtp_url: str) -> str:
    """A short, storable reason: never the SMTP password, even if a server or library echoes it."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    for secret in _secrets_of(smtp_url):
        text = text.replace(secret, "***")
    return mask_url_password(" ".join(text.split()))[:MAX_ERROR_LENGTH]


def _secrets_of(smtp_url: str) -> Sequence[str]:
    password = urlsplit(smtp_url).password
    if not password:
        return ()
    return tuple({password, unquote(password)})
