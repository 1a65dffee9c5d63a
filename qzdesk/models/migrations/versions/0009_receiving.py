"""Receiving (收件): the certificates a committee registered and the log of every file
received. Both append-only but for ending a registration and superseding a receipt.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TRIGGERS = [
    """CREATE TRIGGER trusted_cert_no_delete BEFORE DELETE ON trusted_cert
    BEGIN SELECT RAISE(ABORT, '证书登记不能删除；停用请登记终止日期和原因'); END""",
    """CREATE TRIGGER trusted_cert_only_ended BEFORE UPDATE ON trusted_cert
    WHEN OLD.ended_on IS NOT NULL OR NEW.ended_on IS NULL OR NEW.end_reason IS NULL
        OR NEW.fingerprint IS NOT OLD.fingerprint OR NEW.org_name IS NOT OLD.org_name
        OR NEW.certificate_pem IS NOT OLD.certificate_pem
        OR NEW.registered_on IS NOT OLD.registered_on
    BEGIN SELECT RAISE(ABORT, '证书登记不能修改，只能登记终止'); END""",
    """CREATE TRIGGER receipt_no_delete BEFORE DELETE ON receipt
    BEGIN SELECT RAISE(ABORT, '收件记录不能删除'); END""",
    """CREATE TRIGGER receipt_only_superseded BEFORE UPDATE ON receipt
    WHEN OLD.superseded_by IS NOT NULL OR NEW.superseded_by IS NULL
        OR NEW.file_sha256 IS NOT OLD.file_sha256 OR NEW.accepted IS NOT OLD.accepted
        OR NEW.reasons IS NOT OLD.reasons OR NEW.data IS NOT OLD.data
        OR NEW.archive_id IS NOT OLD.archive_id OR NEW.stored_as IS NOT OLD.stored_as
    BEGIN SELECT RAISE(ABORT, '收件记录不能修改'); END""",
]


def upgrade() -> None:
    op.create_table(
        "trusted_cert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=100), nullable=False),
        sa.Column("org_name", sa.String(length=80), nullable=False),
        sa.Column("parent", sa.String(length=80), nullable=False),
        sa.Column("certificate_pem", sa.Text(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("registered_by", sa.String(length=80), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_cert")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_trusted_cert_fingerprint")),
    )
    with op.batch_alter_table("trusted_cert") as batch_op:
        batch_op.create_index(batch_op.f("ix_trusted_cert_org_name"), ["org_name"], unique=False)
    op.create_table(
        "receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(length=80), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("archive_id", sa.String(length=40), nullable=True),
        sa.Column("org_name", sa.String(length=80), nullable=True),
        sa.Column("period_code", sa.String(length=10), nullable=True),
        sa.Column("stored_as", sa.String(length=300), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["receipt.id"], name=op.f("fk_receipt_superseded_by_receipt")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt")),
        sa.UniqueConstraint("file_sha256", name=op.f("uq_receipt_file_sha256")),
    )
    with op.batch_alter_table("receipt") as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_archive_id"), ["archive_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_org_name"), ["org_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_receipt_period_code"), ["period_code"], unique=False)
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    for name in (
        "receipt_only_superseded",
        "receipt_no_delete",
        "trusted_cert_only_ended",
        "trusted_cert_no_delete",
    ):
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("receipt")
    op.drop_table("trusted_cert")
