"""Tables of the Graph API: the apps registered to call it (as a Meta developer dashboard registers them), and
the access tokens they hold for people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from viewfinder.kit.db import Base
from viewfinder.network.social.models import NumericIdMixin


class NetworkApp(NumericIdMixin, Base):
    """An app that may ask people for access (OAuth) and call the Graph API. Its secret is shown once, when the
    app is made, and kept only as a hash: a lost secret is replaced, never read back."""

    __tablename__ = "network_apps"

    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(64))
    # The addresses OAuth may send a person back to, exactly as registered (Instagram compares them exactly).
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class NetworkGraphToken(NumericIdMixin, Base):
    """An access token an app holds for a person, with the scopes granted; kept as a hash, like every token."""

    __tablename__ = "network_graph_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("network_apps.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("network_people.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
