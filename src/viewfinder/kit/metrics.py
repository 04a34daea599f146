"""Prometheus metrics. With `PROMETHEUS_MULTIPROC_DIR` set (as `viewfinder up` does), the numbers of the
web, worker and beat processes are gathered into one `/metrics` answer."""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess

HTTP_REQUESTS = Counter("viewfinder_http_requests", "HTTP requests answered", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "viewfinder_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
JOBS = Counter("viewfinder_jobs", "Background jobs run", ["task", "outcome"])
JOB_LATENCY = Histogram("viewfinder_job_duration_seconds", "Time a background job ran", ["task"])


def render_metrics() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
