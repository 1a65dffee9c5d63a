"""Which schema revisions this version knows: the head, kept as a constant so a normal
start reads one row instead of importing Alembic (a test keeps it equal to Alembic's
head), and the whole history, for refusing a file or backup from a newer version before
anything is touched."""

from __future__ import annotations

from pathlib import Path

import qzdesk.models

SCHEMA_HEAD = "0018"
MIGRATIONS_DIR = Path(qzdesk.models.__file__).resolve().parent / "migrations"


def alembic_config():  # noqa: ANN201 - alembic is imported lazily (its Config type too)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in script.walk_revisions()]


def alembic_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def too_new_message(revision: str) -> str:
    return (
        f"该数据文件由更新版本的 qzdesk 写入（数据结构版本 {revision}，"
        f"本程序只认识到 {SCHEMA_HEAD}）。请安装最新版 qzdesk 后再打开；数据未做任何改动。"
    )


def is_newer(revision: str) -> bool:
    """A revision this version does not know: written by a newer qzdesk."""
    return revision != SCHEMA_HEAD and revision not in known_revisions()
