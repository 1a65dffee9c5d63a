"""团费: each member's basis from a month on, and the append-only book of payments,
exemptions and corrections.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

APPEND_ONLY = """
CREATE TRIGGER {table}_no_{verb} BEFORE {event} ON {table}
BEGIN SELECT RAISE(ABORT, '{message}'); END
"""
GUARDED = (
    ("dues_basis", "团费计算依据只能追加：变更请从某月起登记新的依据"),
    ("dues_entry", "团费账目只能追加，不能修改或删除：更正请登记冲销"),
)


def upgrade() -> None:
    op.create_table(
        "dues_basis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("from_month", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("income_fen", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_dues_basis_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_basis")),
    )
    op.create_index(op.f("ix_dues_basis_member_id"), "dues_basis", ["member_id"])
    op.create_table(
        "dues_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("first_month", sa.Date(), nullable=False),
        sa.Column("last_month", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=12), nullable=True),
        sa.Column("paid_by", sa.String(length=40), nullable=True),
        sa.Column("receipt_no", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_dues_entry_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["dues_entry.id"], name=op.f("fk_dues_entry_reverses_id_dues_entry")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_entry")),
    )
    op.create_index(op.f("ix_dues_entry_member_id"), "dues_entry", ["member_id"])
    for table, message in GUARDED:
        for verb, event in (("update", "UPDATE"), ("delete", "DELETE")):
            op.execute(APPEND_ONLY.format(table=table, verb=verb, event=event, message=message))


def downgrade() -> None:
    for table, _ in GUARDED:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{verb}")
    op.drop_index(op.f("ix_dues_entry_member_id"), table_name="dues_entry")
    op.drop_table("dues_entry")
    op.drop_index(op.f("ix_dues_basis_member_id"), table_name="dues_basis")
    op.drop_table("dues_basis")
