"""SQLite's own integrity checks, run on a plain connection so a damaged file cannot
trip the engine's set-up first."""

from __future__ import annotations

from pathlib import Path

from qzdesk.services.errors import QzdeskError
from qzdesk.services.storage import cipher

DAMAGE_SIGNS = ("malformed", "not a database", "disk i/o", "corrupt", "could not decode")


def is_damage(error: BaseException) -> bool:
    """Whether an error, however wrapped, is SQLite finding the file damaged (not busy)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, cipher.DatabaseError) and any(
            sign in str(seen).lower() for sign in DAMAGE_SIGNS
        ):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__ or seen.__context__
    return False


def read_every_row(db_path: Path) -> list[str]:
    """Read every row of every table: damage inside a record's bytes passes both pragmas
    and only shows when the record is read."""
    problems = []
    try:
        with cipher.connect(db_path, read_only=True) as conn:
            tables = [
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            for table in tables:
                try:
                    for _ in conn.execute(f'SELECT * FROM "{table}"'):
                        pass
                except cipher.DatabaseError as exc:
                    problems.append(f"数据表 {table} 有记录无法读取：{exc}")
    except cipher.DatabaseError as exc:
        problems.append(f"SQLite 无法读取该文件：{exc}")
    return problems


def quick_check(db_path: Path, key: bytes | bool | None = True) -> list[str]:
    """Problems `PRAGMA quick_check` finds; empty when the file is healthy (`key` as
    `cipher.connect` takes it)."""
    return _pragma_check(db_path, "quick_check", key)


def integrity_check(db_path: Path) -> list[str]:
    """`PRAGMA integrity_check`: slower, and it also compares every index with its table."""
    return _pragma_check(db_path, "integrity_check")


def _pragma_check(db_path: Path, pragma: str, key: bytes | bool | None = True) -> list[str]:
    try:
        conn = cipher.connect(db_path, read_only=True, key=key)
        try:
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except cipher.DatabaseError as exc:
        return [f"SQLite 无法读取该文件：{exc}"]
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems


def stored_revision(conn: cipher.Connection) -> str | None:
    """The Alembic revision a database was last migrated to (None for a new file)."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).fetchone()
    if not has_table:
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def user_tables(conn: cipher.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def _counts(db_path: Path, key: bytes | None) -> dict[str, int]:
    conn = cipher.connect(db_path, read_only=True, key=key)
    try:
        return {
            n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in user_tables(conn)
        }
    finally:
        conn.close()


def same_content(source: Path, source_key: bytes | None, copy: Path, key: bytes) -> None:
    """A copy about to replace its source (encrypted anew, or restored) is sound and holds
    the same tables and rows; QzdeskError, the copy removed, otherwise."""
    problems = quick_check(copy, key=key)
    if problems or _counts(source, source_key) != _counts(copy, key):
        copy.unlink(missing_ok=True)
        raise QzdeskError(
            f"新写出的数据文件与原文件不一致（{'；'.join(problems) or '记录数不同'}），"
            "已放弃，原数据未改动。请检查磁盘空间后重试。"
        )
