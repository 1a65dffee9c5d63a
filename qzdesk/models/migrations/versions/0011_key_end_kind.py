"""Why a registered signing key was ended (换届 or lost/compromised): it decides which of
its archives are still received.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Registrations ended before this version keep NULL (not recorded), judged as 换届.
    op.add_column("trusted_cert", sa.Column("end_kind", sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column("trusted_cert", "end_kind")
