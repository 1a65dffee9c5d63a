"""Importing this package registers every document it holds."""

from qzdesk.export.pdf.documents import member_card, overview, roster

__all__ = ["member_card", "overview", "roster"]
