"""组织关系转接 and the papers of a member's 团员档案.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# The papers' checklist is appended to: a paper found later is a new row.
APPEND_ONLY = """
CREATE TRIGGER member_paper_no_{verb} BEFORE {event} ON member_paper
BEGIN SELECT RAISE(ABORT, '团员档案材料的登记只能追加，不能修改或删除'); END
"""


def upgrade() -> None:
    op.create_table(
        "transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=10), nullable=False),
        sa.Column("from_org", sa.String(length=100), nullable=False),
        sa.Column("from_parent", sa.String(length=100), nullable=False),
        sa.Column("to_org", sa.String(length=100), nullable=False),
        sa.Column("to_parent", sa.String(length=100), nullable=False),
        sa.Column("out_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("dues_paid_to", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("package_sha256", sa.String(length=64), nullable=True),
        sa.Column("other_fingerprint", sa.String(length=100), nullable=True),
        sa.Column("other_known", sa.Boolean(), nullable=True),
        sa.Column("zhtj_on", sa.Date(), nullable=True),
        sa.Column("zhtj_state", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_transfer_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer")),
        sa.UniqueConstraint("code", "direction", name=op.f("uq_transfer_code")),
    )
    op.create_index(op.f("ix_transfer_code"), "transfer", ["code"])
    op.create_index(op.f("ix_transfer_member_id"), "transfer", ["member_id"])
    op.create_table(
        "member_paper",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("paper", sa.String(length=20), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("attachment_sha256", sa.String(length=64), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_member_paper_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member_paper")),
    )
    op.create_index(op.f("ix_member_paper_member_id"), "member_paper", ["member_id"])
    for verb, event in (("update", "UPDATE"), ("delete", "DELETE")):
        op.execute(APPEND_ONLY.format(verb=verb, event=event))


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER member_paper_no_{verb}")
    op.drop_index(op.f("ix_member_paper_member_id"), table_name="member_paper")
    op.drop_table("member_paper")
    op.drop_index(op.f("ix_transfer_member_id"), table_name="transfer")
    op.drop_index(op.f("ix_transfer_code"), table_name="transfer")
    op.drop_table("transfer")
