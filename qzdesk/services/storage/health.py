"""`qzdesk check`: is the database file sound and of a schema this version can open?"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qzdesk.services.storage import cipher
from qzdesk.services.storage.integrity import (
    integrity_check,
    quick_check,
    read_every_row,
    stored_revision,
)
from qzdesk.services.storage.revisions import SCHEMA_HEAD, known_revisions, too_new_message


@dataclass
class HealthReport:
    database: Path
    revision: str | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems


def check(db_path: Path, full: bool = False) -> HealthReport:
    """`quick_check` by default (at start-up); `integrity_check` with `full`, which also
    finds a damaged index."""
    report = HealthReport(db_path)
    if not db_path.exists():
        report.problems.append(f"数据文件 {db_path} 不存在。")
        return report
    report.problems.extend(integrity_check(db_path) if full else quick_check(db_path))
    if full and not report.problems:
        report.problems.extend(read_every_row(db_path))
    if report.problems:
        return report
    try:
        with cipher.connect(db_path, read_only=True) as conn:
            report.revision = stored_revision(conn)
    except cipher.DatabaseError as exc:
        report.problems.append(f"无法读取数据结构版本：{exc}")
        return report
    if report.revision is None:
        report.problems.append("该文件没有 qzdesk 的数据结构版本，不是 qzdesk 的数据文件。")
    elif report.revision != SCHEMA_HEAD:
        if report.revision in known_revisions():
            report.notes.append(
                f"数据结构版本 {report.revision} 较旧，打开时会先备份再升级到 {SCHEMA_HEAD}。"
            )
        else:
            report.problems.append(too_new_message(report.revision))
    return report
