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
        # Webhook changes whose retry is due, or whose delivery job was lost.
        "network-webhooks-due": {
            "task": "network.graph.deliver_due_webhooks",
            "schedule": 60.0,
            "options": {"expires": 60.0},
        },
        # Graph media containers: expired after 24 hours, their files removed, fetches whose job was lost re-queued.
        "network-graph-containers": {
            "task": "network.graph.sweep_containers",
            "schedule": 300.0,
            "options": {"expires": 300.0},
        },
    }
