"""Jobs of operations: the worker heartbeat."""

import socket

from viewfinder.ops import service
from viewfinder.worker import runtime
from viewfinder.worker.app import celery_app


@celery_app.task(name="ops.record_heartbeat")
def record_heartbeat() -> None:
    runtime.run_in_unit_of_work(service.record_heartbeat, socket.gethostname())
