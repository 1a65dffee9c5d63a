"""The committee's year: the register of units with their dated changes and 四有 checks,
the cadre files the committee keeps, the explanations of falls, and the 年终考评. The
changes, checks, trainings, notes and appraisals are append-only.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 03:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

APPEND_ONLY = """
CREATE TRIGGER {table}_no_{verb} BEFORE {event} ON {table}
BEGIN SELECT RAISE(ABORT, '{message}'); END
"""
GUARDED = (
    ("unit_event", "名录变动只能追加：更正请登记新的变动"),
    ("unit_check", "四有检查记录只能追加"),
    ("cadre_training", "培训记录只能追加"),
    ("fall_note", "说明只能追加：新的说明代替旧的"),
    ("appraisal", "考评记录只能追加：更正请重新登记"),
)


def _recorded() -> list[sa.Column]:
    return [
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("township", sa.String(length=40), nullable=True),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("youth_count", sa.Integer(), nullable=True),
        sa.Column("members_count", sa.Integer(), nullable=True),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_name")),
    )
    for table, extra in (
        (
            "unit_event",
            [
                sa.Column("on", sa.Date(), nullable=False),
                sa.Column("change", sa.String(length=20), nullable=False),
                sa.Column("form", sa.String(length=20), nullable=True),
                sa.Column("org_name", sa.String(length=80), nullable=True),
                sa.Column("note", sa.Text(), nullable=True),
            ],
        ),
        (
            "unit_check",
            [
                sa.Column("item", sa.String(length=20), nullable=False),
                sa.Column("on", sa.Date(), nullable=False),
                sa.Column("met", sa.Boolean(), nullable=False),
                sa.Column("note", sa.Text(), nullable=True),
            ],
        ),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("unit_id", sa.Integer(), nullable=False),
            *extra,
            *_recorded(),
            sa.ForeignKeyConstraint(
                ["unit_id"], ["unit.id"], name=op.f(f"fk_{table}_unit_id_unit")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_unit_id"), table, ["unit_id"])
    op.create_table(
        "cadre_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("nature", sa.String(length=20), nullable=True),
        sa.Column("in_post_since", sa.Date(), nullable=True),
        sa.Column("party_committee", sa.Boolean(), nullable=True),
        sa.Column("establishment", sa.String(length=20), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cadre_file")),
        sa.UniqueConstraint("id_number", name=op.f("uq_cadre_file_id_number")),
    )
    for table, extra in (
        (
            "cadre_training",
            [
                sa.Column("on", sa.Date(), nullable=False),
                sa.Column("name", sa.String(length=80), nullable=False),
                sa.Column("hours", sa.Float(), nullable=True),
            ],
        ),
        (
            "appraisal",
            [
                sa.Column("year", sa.Integer(), nullable=False),
                sa.Column("report_on", sa.Date(), nullable=True),
                sa.Column("report", sa.Text(), nullable=True),
                sa.Column("party_grade", sa.String(length=20), nullable=True),
                sa.Column("votes", sa.JSON(), nullable=False),
            ],
        ),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("cadre_id", sa.Integer(), nullable=False),
            *extra,
            *_recorded(),
            sa.ForeignKeyConstraint(
                ["cadre_id"], ["cadre_file.id"], name=op.f(f"fk_{table}_cadre_id_cadre_file")
            ),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_cadre_id"), table, ["cadre_id"])
    op.create_table(
        "fall_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_code", sa.String(length=10), nullable=False),
        sa.Column("figure", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_recorded(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fall_note")),
    )
    op.create_index(op.f("ix_fall_note_period_code"), "fall_note", ["period_code"])
    for table, message in GUARDED:
        for verb, event in (("update", "UPDATE"), ("delete", "DELETE")):
            op.execute(APPEND_ONLY.format(table=table, verb=verb, event=event, message=message))


def downgrade() -> None:
    for table, _ in GUARDED:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER {table}_no_{verb}")
    for table in (
        "fall_note",
        "appraisal",
        "cadre_training",
        "cadre_file",
        "unit_check",
        "unit_event",
        "unit",
    ):
        op.drop_table(table)
