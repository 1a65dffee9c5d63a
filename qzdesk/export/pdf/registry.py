"""Looking up the archive's documents, and rendering one on its own."""

from __future__ import annotations

from typing import Any

from qzdesk.export.pdf.documents import DOCUMENTS
from qzdesk.export.pdf.layout import PageInfo, render
from qzdesk.services.archive.take import take_snapshot
from qzdesk.services.context import Context
from qzdesk.services.errors import NotInitialised, ValidationError
from qzdesk.services.organisation.orgs import organisation_name
from qzdesk.services.periods import Period


def render_document(
    ctx: Context, key: str, period: Period, archive_id: str = "（预览）", **options: Any
) -> bytes:
    """One document of the period's archive as a PDF of its own (a notice to post, an
    applicant's 积分档案), from the same snapshot the archive would hold."""
    specs = {d.key: d for d in DOCUMENTS}
    if key not in specs:
        raise ValidationError(f"没有名为 {key} 的文档（可选：{'、'.join(specs)}）。")
    if organisation_name(ctx) is None:
        raise NotInitialised("尚未设置组织，请先完成首次设置。")
    snap = take_snapshot(ctx, period)
    spec = specs[key]
    info = PageInfo(snap.organisation.root.name, spec.title, period.label, archive_id, ctx.now)
    return render(spec.build(snap, **options), info)
