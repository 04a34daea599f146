"""Jobs of the Graph API: take ids, call the service."""

from __future__ import annotations
