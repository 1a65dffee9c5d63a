"""Looking up the archive's documents, and rendering one on its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from qzdesk.export.pdf.documents import DOCUMENTS
from qzdesk.export.pdf.layout import PageInfo, render
from qzdesk.services import clock
from qzdesk.services.errors import NotInitialised, ValidationError
from qzdesk.services.organisation.orgs import organisation_name
from qzdesk.services.periods import Period
from qzdesk.services.storage.store import Store


def render_document(
    store: Store,
    key: str,
    period: Period,
    archive_id: str = "（预览）",
    now: datetime | None = None,
    **options: Any,
) -> bytes:
    """One document as a PDF of its own (for preview and for tests)."""
    specs = {d.key: d for d in DOCUMENTS}
    if key not in specs:
        raise ValidationError(f"没有名为 {key} 的文档（可选：{'、'.join(specs)}）。")
    organisation = organisation_name(store)
    if organisation is None:
        raise NotInitialised("尚未设置组织，请先完成首次设置。")
    spec = specs[key]
    info = PageInfo(organisation, spec.title, period.label, archive_id, now or clock.now())
    return render(spec.build(store, period, **options), info)
