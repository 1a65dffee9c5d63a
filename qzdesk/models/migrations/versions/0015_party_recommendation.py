"""推优入党: recommendations and their append-only steps.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 23:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

APPEND_ONLY = """
CREATE TRIGGER party_step_no_{verb} BEFORE {event} ON party_step
BEGIN SELECT RAISE(ABORT, '推优入党的步骤只能追加，不能修改或删除'); END
"""


def upgrade() -> None:
    op.create_table(
        "party_recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_party_recommendation_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["org.id"], name=op.f("fk_party_recommendation_branch_id_org")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_recommendation")),
    )
    op.create_index(
        op.f("ix_party_recommendation_member_id"), "party_recommendation", ["member_id"]
    )
    op.create_table(
        "party_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=20), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["party_recommendation.id"],
            name=op.f("fk_party_step_recommendation_id_party_recommendation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_step")),
    )
    op.create_index(op.f("ix_party_step_recommendation_id"), "party_step", ["recommendation_id"])
    for verb, event in (("update", "UPDATE"), ("delete", "DELETE")):
        op.execute(APPEND_ONLY.format(verb=verb, event=event))


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER party_step_no_{verb}")
    op.drop_index(op.f("ix_party_step_recommendation_id"), table_name="party_step")
    op.drop_table("party_step")
    op.drop_index(op.f("ix_party_recommendation_member_id"), table_name="party_recommendation")
    op.drop_table("party_recommendation")
