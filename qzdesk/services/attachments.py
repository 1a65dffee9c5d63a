"""Evidence attachments (scans of forms, photos): checked for type and size, stored once
by SHA-256 under <data>/attachments, registered in the database, never changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.config import DataPaths
from qzdesk.models import Attachment
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.files import write_atomically

# Recognised by content, not by the name's extension (a renamed .docx is not a PDF).
SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png"}
SUFFIX = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPEG 图片", "png": "PNG 图片"}


@dataclass(frozen=True)
class AttachmentRow:
    sha256: str
    file_name: str
    kind: str
    size: int


def describe(row: AttachmentRow, caption: str) -> str:
    """One attachment as the minutes dialog and the minutes book list it."""
    size = max(1, row.size // 1024)
    return f"{caption or '附件'}：{row.file_name}（{KIND_LABELS[row.kind]}，{size} KB）"


def kind_of(data: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def stored_path(paths: DataPaths, sha256: str, kind: str) -> Path:
    return paths.attachments / sha256[:2] / f"{sha256}{SUFFIX[kind]}"


def add_attachment(ctx: Context, source: Path, max_mb: int) -> Outcome[AttachmentRow]:
    """Check and store one file; the same content added twice is stored once."""
    try:
        size = source.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise ValidationError(
                f"“{source.name}”有 {size / 1024 / 1024:.1f} MB，超过 {max_mb} MB 的上限。"
                "请压缩或分页扫描后再添加。",
                "evidence",
            )
        data = source.read_bytes()
    except OSError as exc:
        raise ValidationError(f"无法读取“{source}”：{exc.strerror}", "evidence") from exc
    return _stored(ctx, source.name, data)


def keep(ctx: Context, file_name: str, data: bytes) -> Outcome[AttachmentRow]:
    """Store content already read (a scan that came inside a transfer)."""
    return _stored(ctx, file_name, data)


def _stored(ctx: Context, file_name: str, data: bytes) -> Outcome[AttachmentRow]:
    kind = kind_of(data)
    if kind is None:
        raise ValidationError(
            f"“{file_name}”不是 PDF、JPEG 或 PNG 文件，不能作为证明材料。请先转换为 PDF 或图片。",
            "evidence",
        )
    sha256 = hashlib.sha256(data).hexdigest()
    target = stored_path(ctx.store.paths, sha256, kind)
    if not target.exists():
        write_atomically(target, data)
    session = ctx.session
    row = session.get(Attachment, sha256)
    if row is None:
        row = Attachment(
            sha256=sha256,
            file_name=file_name[:260],
            kind=kind,
            size=len(data),
            added_by=ctx.actor,
            added_at=clock.now_utc().isoformat(timespec="seconds"),
        )
        session.add(row)
        audit.record(session, ctx.actor, "attachment", sha256, "add", after={"file": row.file_name})
    return Outcome(
        AttachmentRow(row.sha256, row.file_name, row.kind, row.size), frozenset({Topic.AUDIT})
    )


def check_known(session: Session, hashes: list[str]) -> list[str]:
    """The evidence list, refused if it names a file that was never added."""
    if not hashes:
        return []
    known = set(session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(hashes))))
    if missing := [h for h in hashes if h not in known]:
        raise ValidationError(f"证明材料 {missing[0][:12]}… 未登记，请重新添加文件。", "evidence")
    return list(dict.fromkeys(hashes))
