"""The documents an archive can hold; each module contributes its own with `register`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import PageInfo, render
from qzdesk.services.errors import NotInitialised, ValidationError
from qzdesk.services.periods import Period
from qzdesk.services.setup import organisation_name
from qzdesk.services.storage.store import Store

Builder = Callable[..., list[Flowable]]


@dataclass(frozen=True)
class DocumentSpec:
    key: str
    title: str
    build: Builder  # (store, period, **options) -> flowables
    order: int = 100


REGISTRY: dict[str, DocumentSpec] = {}


def register(spec: DocumentSpec) -> DocumentSpec:
    if spec.key in REGISTRY:
        raise ValueError(f"document {spec.key} registered twice")
    REGISTRY[spec.key] = spec
    return spec


def documents() -> list[DocumentSpec]:
    from qzdesk.export.pdf import documents as _contributions  # noqa: F401 - registers them

    return sorted(REGISTRY.values(), key=lambda d: d.order)


def render_document(
    store: Store,
    key: str,
    period: Period,
    archive_id: str = "（预览）",
    now: datetime | None = None,
    **options: Any,
) -> bytes:
    """One registered document as a PDF of its own (for preview and for tests)."""
    specs = {d.key: d for d in documents()}
    if key not in specs:
        raise ValidationError(f"没有名为 {key} 的文档（可选：{'、'.join(specs)}）。")
    organisation = organisation_name(store)
    if organisation is None:
        raise NotInitialised("尚未设置组织，请先完成首次设置。")
    spec = specs[key]
    info = PageInfo(organisation, spec.title, period.label, archive_id, now or datetime.now())
    return render(spec.build(store, period, **options), info)
