"""The beat schedule, in one place: what runs periodically, and how often."""

from __future__ import annotations

from typing import Any

from viewfinder.settings import Settings


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    return {
        "worker-heartbeat": {
            "task": "ops.record_heartbeat",
            "schedule": float(settings.worker_heartbeat_seconds),
            # A heartbeat nobody took in time is worthless: let it expire instead of piling up.
            "options": {"expires": float(settings.worker_heartbeat_seconds)},
        },
        "mail-send-queued": {
            "task": "kit.send_queued_mail",
            "schedule": 60.0,
            "options": {"expires": 60.0},
        },
    }
