"""Search keys gain the name's pinyin syllables ("niu'jun'ming"), so a search can mix
whole syllables and initials ("niujm").

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    # The formula of qzdesk.services.members.search.name_key as of this revision, frozen
    # here so that a later change there cannot change what this migration wrote.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, errors="ignore")
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
    return f"{name} {''.join(syllables)} {initials} {chr(39).join(syllables)}".lower()


def upgrade() -> None:
    connection = op.get_bind()
    for table in ("member", "applicant"):
        rows = connection.execute(sa.text(f"SELECT id, name FROM {table}")).all()
        for row_id, name in rows:
            connection.execute(
                sa.text(f"UPDATE {table} SET search_key = :key WHERE id = :id"),
                {"key": _key(name), "id": row_id},
            )


def downgrade() -> None:
    connection = op.get_bind()
    for table in ("member", "applicant"):
        rows = connection.execute(sa.text(f"SELECT id, search_key FROM {table}")).all()
        for row_id, key in rows:
            connection.execute(
                sa.text(f"UPDATE {table} SET search_key = :key WHERE id = :id"),
                {"key": key.rsplit(" ", 1)[0], "id": row_id},
            )
