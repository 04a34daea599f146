"""The Celery application, configured from settings, and the sender that `kit.jobs` uses."""

from __future__ import annotations

import time
from typing import Any

from celery import Celery, signals

from viewfinder.kit import jobs
from viewfinder.kit.logging import init_error_reporting
from viewfinder.kit.metrics import JOB_LATENCY, JOBS
from viewfinder.settings import Settings, get_settings
from viewfinder.worker import runtime
from viewfinder.worker.schedule import beat_schedule

TASK_MODULES = ["viewfinder.ops.tasks", "viewfinder.worker.kit_tasks", "viewfinder.network.graph.tasks"]

celery_app = Celery("viewfinder", include=TASK_MODULES)
celery_app.set_default()


def configure(settings: Settings | None = None) -> Celery:
    """Point Celery at the configured broker and plug it in as the job sender."""
    settings = settings or get_settings()
    init_error_reporting(settings.sentry_dsn.get_secret_value() if settings.sentry_dsn else None)
    runtime.use_settings(settings)
    data_dir = settings.resolved_data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    if celery_app.conf.broker_url != settings.celery_broker_url:
        # Pools opened for another broker would keep sending there (only a reconfigured process has them).
        celery_app._pool = None  # type: ignore[attr-defined]
        celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]
    celery_app.conf.update(
        broker_url=settings.celery_broker_url,
        broker_connection_retry_on_startup=True,
        # Durable state lives in the database; results of jobs are not kept in the broker.
        task_ignore_result=True,
        task_default_queue=settings.job_queue,
        result_backend=None,
        task_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        # A job is acknowledged once done, so Redis and RabbitMQ give the job of a worker that died to another.
        # The SQLite broker cannot (unacknowledged jobs live in the worker): there, durable rows and the
        # sweepers that re-queue them recover the work, as they do for any lost job.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        beat_schedule=beat_schedule(settings),
        beat_schedule_filename=str(data_dir / "beat-schedule"),
        broker_transport_options=_transport_options(settings.celery_broker_url),
    )
    jobs.set_sender(_send)
    return celery_app


def _transport_options(broker_url: str) -> dict[str, Any]:
    if broker_url.startswith(("redis", "rediss")):
        # Redis redelivers an unacknowledged job after this long; our longest job is far shorter.
        return {"visibility_timeout": 3600}
    return {}


def _send(job: jobs.Job) -> None:
    celery_app.send_task(job.name, args=job.args, kwargs=job.kwargs, countdown=job.countdown)


_started: dict[str, float] = {}


@signals.task_prerun.connect
def _job_started(task_id: str | None = None, **_: Any) -> None:
    if task_id:
        _started[task_id] = time.perf_counter()


@signals.task_postrun.connect
def _job_finished(task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any) -> None:
    started = _started.pop(task_id or "", None)
    name = getattr(task, "name", "unknown")
    JOBS.labels(name, (state or "unknown").lower()).inc()
    if started is not None:
        JOB_LATENCY.labels(name).observe(time.perf_counter() - started)


@signals.worker_process_init.connect
def _child_started(**_: Any) -> None:
    runtime.reset()


@signals.worker_process_shutdown.connect
def _child_stopping(**_: Any) -> None:
    runtime.shutdown()


@signals.setup_logging.connect
def _use_our_logging(**_: Any) -> None:
    # Connecting here stops Celery from configuring logging itself; the CLI has already done it.
    pass


@signals.worker_ready.connect
def _report_when_ready(sender: Any = None, **_: Any) -> None:
    # Report at once through the queue, so readiness turns green without waiting for beat.
    celery_app.send_task("ops.record_heartbeat")
