"""换届: the branch committees' terms.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 09:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TRIGGERS = [
    """CREATE TRIGGER term_no_delete BEFORE DELETE ON term
    BEGIN SELECT RAISE(ABORT, '换届记录不能删除；如有误请作废并写明原因'); END""",
    """CREATE TRIGGER term_only_voided BEFORE UPDATE ON term
    WHEN OLD.void_reason IS NOT NULL OR NEW.void_reason IS NULL
        OR NEW.elected_on IS NOT OLD.elected_on OR NEW.years IS NOT OLD.years
        OR NEW.secretary IS NOT OLD.secretary OR NEW.committee IS NOT OLD.committee
        OR NEW.branch_id IS NOT OLD.branch_id OR NEW.meeting_id IS NOT OLD.meeting_id
    BEGIN SELECT RAISE(ABORT, '换届记录不能修改；如有误请作废并写明原因'); END""",
]


def upgrade() -> None:
    op.create_table(
        "term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("elected_on", sa.Date(), nullable=False),
        sa.Column("years", sa.Integer(), nullable=False),
        sa.Column("secretary", sa.String(length=40), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["org.id"], name=op.f("fk_term_branch_id_org")),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_term_meeting_id_meeting")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term")),
    )
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_term_branch_id"), ["branch_id"], unique=False)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER {trigger.split()[2]}")
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_term_branch_id"))
    op.drop_table("term")
