"""Importing this package registers every document it holds."""

from qzdesk.export.pdf.documents import (
    admission,
    meetings,
    member_card,
    overview,
    points_record,
    roster,
)

__all__ = ["admission", "meetings", "member_card", "overview", "points_record", "roster"]
