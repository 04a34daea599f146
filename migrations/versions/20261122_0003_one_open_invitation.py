"""one open invitation per address and workspace

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "accepted_at IS NULL AND revoked_at IS NULL"


def upgrade() -> None:
    # Two invitations raced open before this index: keep the newest (ids are time-ordered), close the others
    # as of their own creation (a value already in the column's stored format on every database).
    op.execute(
        """
        UPDATE invitations SET revoked_at = created_at
        WHERE accepted_at IS NULL AND revoked_at IS NULL AND EXISTS (
            SELECT 1 FROM invitations AS newer
            WHERE newer.workspace_id = invitations.workspace_id AND newer.email = invitations.email
              AND newer.accepted_at IS NULL AND newer.revoked_at IS NULL AND newer.id > invitations.id
        )
        """
    )
    op.create_index(
        "uq_invitations_open_per_email",
        "invitations",
        ["workspace_id", "email"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("uq_invitations_open_per_email", table_name="invitations")
