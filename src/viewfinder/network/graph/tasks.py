"""Jobs of the Graph API: take ids, call the service."""

from __future__ import annotations

from viewfinder.network.graph.service import publishing, webhooks
from viewfinder.worker import runtime
from viewfinder.worker.app import celery_app


@celery_app.task(name=webhooks.DELIVER_JOB)
def deliver_webhooks(app_id: str) -> int:
    """POST the app's due webhook changes, batch after batch while its callback accepts them."""
    settings = runtime.resources().settings
    posts = 0
    while True:
        outcome = runtime.run_in_unit_of_work(webhooks.deliver, settings, int(app_id))
        posts += outcome.sent > 0
        # A failed batch keeps its rows with their next attempt: the sweeper retries them when due.
        if not (outcome.more and outcome.delivered):
            return posts


@celery_app.task(name="network.graph.deliver_due_webhooks")
def deliver_due_webhooks() -> int:
    return runtime.run_in_unit_of_work(webhooks.deliver_due, runtime.resources().settings)


@celery_app.task(name=publishing.PROCESS_JOB)
def process_container(container_id: str) -> None:
    """Fetch and check a media container's media: FINISHED, or ERROR with Instagram's subcode."""
    runtime.run_in_unit_of_work(publishing.process_container, int(container_id), runtime.resources())


@celery_app.task(name=publishing.SWEEP_JOB)
def sweep_containers() -> int:
    """Expire containers unpublished for 24 hours, remove files no container needs, re-queue lost fetches."""
    return runtime.run_in_unit_of_work(publishing.sweep_containers, runtime.resources())
