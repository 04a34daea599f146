"""Worker heartbeats, so readiness can tell whether any worker is taking jobs."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from viewfinder.kit.db import Base


class WorkerHeartbeat(Base):
    __tablename__ = "worker_heartbeats"

    hostname: Mapped[str] = mapped_column(String(255), primary_key=True)
    last_seen_at: Mapped[datetime] = mapped_column(index=True)
