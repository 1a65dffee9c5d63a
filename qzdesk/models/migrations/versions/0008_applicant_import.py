"""Applicants brought in from a list: import batches say what they hold, steps name the
batch that brought them (补录), and an applicant whose import was undone stays, void,
so the unique ID number now counts only applicants that are not void.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "import_batch",
        sa.Column("kind", sa.String(length=20), server_default="members", nullable=False),
    )
    # A plain ADD COLUMN keeps stage_event's append-only triggers (a batch rebuild would
    # drop them).
    op.execute(
        "ALTER TABLE stage_event ADD COLUMN import_batch_id INTEGER "
        "CONSTRAINT fk_stage_event_import_batch_id_import_batch REFERENCES import_batch (id)"
    )
    with op.batch_alter_table("applicant") as batch_op:
        batch_op.add_column(
            sa.Column("voided", sa.Boolean(), server_default=sa.text("0"), nullable=False)
        )
        batch_op.drop_constraint("uq_applicant_id_number", type_="unique")
        batch_op.create_index(
            "uq_applicant_id_number_live",
            ["id_number"],
            unique=True,
            sqlite_where=sa.text("voided = 0"),
        )


def downgrade() -> None:
    with op.batch_alter_table("applicant") as batch_op:
        batch_op.drop_index("uq_applicant_id_number_live")
        batch_op.create_unique_constraint("uq_applicant_id_number", ["id_number"])
        batch_op.drop_column("voided")
    op.drop_column("stage_event", "import_batch_id")
    op.drop_column("import_batch", "kind")
