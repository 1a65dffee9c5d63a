"""入团年份 from the 团员编号: where a list carried no 入团年月, the secretary may accept
the year the 团员编号 shows (据团员编号); the month stays unknown until it is filled in.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: no table copy, so member's no-delete trigger stays as it is.
    op.add_column("member", sa.Column("joined_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.drop_column("joined_year")
    op.execute(
        "CREATE TRIGGER member_no_delete BEFORE DELETE ON member "
        "BEGIN SELECT RAISE(ABORT, '团员记录不能删除，离团请办理相应手续'); END"
    )
