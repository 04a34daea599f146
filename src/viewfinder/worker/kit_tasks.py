"""Jobs of the kernel: delivering the mail outbox."""

from __future__ import annotations

import uuid

from celery import Task

from viewfinder.kit import mail
from viewfinder.worker import runtime
from viewfinder.worker.app import celery_app


@celery_app.task(name="kit.send_mail", bind=True, max_retries=mail.MAX_ATTEMPTS)
def send_mail(self: Task[[str], None], mail_id: str) -> None:
    settings = runtime.resources().settings
    outcome = runtime.run_in_unit_of_work(mail.deliver, uuid.UUID(mail_id), settings)
    if outcome.retry_in is not None:
        # The row keeps the truth (attempts, backoff); if this retry is lost, the sweeper sends the mail.
        raise self.retry(countdown=outcome.retry_in)


@celery_app.task(name="kit.send_queued_mail")
def send_queued_mail() -> int:
    return runtime.run_in_unit_of_work(mail.deliver_stale, runtime.resources().settings)
