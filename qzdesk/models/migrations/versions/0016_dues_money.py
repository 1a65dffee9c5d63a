"""团费, the money side (amounts passed up, spent, counted at a handover), append-only; and
the free-text 交费档位 read into a basis where it plainly names a category.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 02:00:00
"""

import sqlalchemy as sa
from alembic import op

from qzdesk.services import clock
from qzdesk.services.dues.tiers import read_tier
from qzdesk.services.periods import instant_text

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

APPEND_ONLY = """
CREATE TRIGGER dues_money_no_{verb} BEFORE {event} ON dues_money
BEGIN SELECT RAISE(ABORT, '团费收支只能追加，不能修改或删除：更正请登记冲销'); END
"""
ADOPTED_BY = "数据升级（据原填交费档位）"


def upgrade() -> None:
    op.create_table(
        "dues_money",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=200), nullable=True),
        sa.Column("receipt_no", sa.String(length=40), nullable=True),
        sa.Column("handed_by", sa.String(length=40), nullable=True),
        sa.Column("taken_by", sa.String(length=40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_dues_money_meeting_id_meeting")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"], ["dues_money.id"], name=op.f("fk_dues_money_reverses_id_dues_money")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dues_money")),
    )
    for verb, event in (("update", "UPDATE"), ("delete", "DELETE")):
        op.execute(APPEND_ONLY.format(verb=verb, event=event))
    _adopt_tiers()


def _adopt_tiers() -> None:
    """Members with a 交费档位 and no basis yet: a basis from this month where the text
    names the category (the months before were never in the book: nothing falls due
    for them). The text itself stays; what is not read is asked about on the 工作台."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, dues_tier FROM member WHERE dues_tier IS NOT NULL AND dues_tier != '' "
            "AND id NOT IN (SELECT member_id FROM dues_basis)"
        )
    ).all()
    now = clock.now()
    month = now.date().replace(day=1)
    for member_id, text in rows:
        if (category := read_tier(text)) is None:
            continue
        bind.execute(
            sa.text(
                "INSERT INTO dues_basis (member_id, from_month, category, income_fen, "
                "recorded_by, recorded_at) VALUES (:m, :f, :c, NULL, :by, :at)"
            ),
            {
                "m": member_id,
                "f": month.isoformat(),
                "c": category.value,
                "by": ADOPTED_BY,
                "at": instant_text(now),
            },
        )


def downgrade() -> None:
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER dues_money_no_{verb}")
    op.drop_table("dues_money")
