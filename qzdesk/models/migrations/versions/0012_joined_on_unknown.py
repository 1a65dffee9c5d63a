"""入团年月 may be unknown: member lists exported from 智慧团建 or an HR system often do
not carry it; such members come in with the gap noted (未填), never a guessed date.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# SQLite cannot alter a column: the batch copies the table, and its trigger goes with the
# old one. Made again as 0002 made it (the health check compares with a fresh head).
NO_DELETE = """
CREATE TRIGGER member_no_delete BEFORE DELETE ON member
BEGIN SELECT RAISE(ABORT, '团员记录不能删除，离团请办理相应手续'); END
"""


def upgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.alter_column("joined_on", existing_type=sa.Date(), nullable=True)
    op.execute(NO_DELETE)


def downgrade() -> None:
    # Back to required: an unknown day cannot be invented, so such rows block it.
    with op.batch_alter_table("member") as batch:
        batch.alter_column("joined_on", existing_type=sa.Date(), nullable=False)
    op.execute(NO_DELETE)
