"""A branch's nature (常设, 流动, 临时, 待转接: only the first is rated) and the 一票否决
items noted against a branch for a year (voided with a reason, never deleted).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TRIGGERS = [
    """CREATE TRIGGER rating_veto_no_delete BEFORE DELETE ON rating_veto
    BEGIN SELECT RAISE(ABORT, '一票否决记录不能删除；有误请登记作废原因'); END""",
    """CREATE TRIGGER rating_veto_only_voided BEFORE UPDATE ON rating_veto
    WHEN OLD.void_reason IS NOT NULL OR NEW.void_reason IS NULL
        OR NEW.branch_id IS NOT OLD.branch_id OR NEW.year IS NOT OLD.year
        OR NEW.item_key IS NOT OLD.item_key OR NEW.noted_on IS NOT OLD.noted_on
        OR NEW.reason IS NOT OLD.reason
    BEGIN SELECT RAISE(ABORT, '一票否决记录不能修改，只能作废'); END""",
]


def upgrade() -> None:
    # A plain ADD COLUMN: rebuilding org would drop its append-only triggers.
    op.add_column(
        "org", sa.Column("nature", sa.String(length=20), server_default="regular", nullable=False)
    )
    op.create_table(
        "rating_veto",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=40), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("void_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["org.id"], name=op.f("fk_rating_veto_branch_id_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_veto")),
    )
    with op.batch_alter_table("rating_veto") as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_veto_branch_id"), ["branch_id"], unique=False)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    op.drop_table("rating_veto")
    with op.batch_alter_table("org") as batch_op:
        batch_op.drop_column("nature")
