"""Organisation tree, settings and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = """
CREATE TRIGGER {table}_no_{verb} BEFORE {event} ON {table}
BEGIN SELECT RAISE(ABORT, '{message}'); END
"""


def upgrade() -> None:
    op.create_table(
        "org",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sector", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "kind IN ('committee', 'general_branch', 'branch')", name=op.f("ck_org_kind_known")
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_org_name_not_blank")),
        sa.CheckConstraint(
            "(closed_on IS NULL) = (close_reason IS NULL)", name=op.f("ck_org_closed_with_reason")
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["org.id"], name=op.f("fk_org_parent_id_org")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org")),
    )
    op.create_index(op.f("ix_org_parent_id"), "org", ["parent_id"], unique=False)
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=40), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    for verb, event in (("update", "UPDATE"), ("delete", "DELETE")):
        op.execute(APPEND_ONLY.format(
            table="audit_log", verb=verb, event=event, message="审计日志只能追加，不能修改或删除"
        ))
    # Organisations are closed, never deleted: their history must stay.
    op.execute(APPEND_ONLY.format(
        table="org", verb="delete", event="DELETE", message="组织只能撤销，不能删除"
    ))


def downgrade() -> None:
    op.execute("DROP TRIGGER org_no_delete")
    op.execute("DROP TRIGGER audit_log_no_delete")
    op.execute("DROP TRIGGER audit_log_no_update")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("setting")
    op.drop_index(op.f("ix_org_parent_id"), table_name="org")
    op.drop_table("org")
