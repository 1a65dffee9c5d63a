"""Importing this package registers every document it holds."""

from qzdesk.export.pdf.documents import (
    admission,
    evaluation,
    meetings,
    member_card,
    overview,
    points_record,
    roster,
)

__all__ = [
    "admission",
    "evaluation",
    "meetings",
    "member_card",
    "overview",
    "points_record",
    "roster",
]
