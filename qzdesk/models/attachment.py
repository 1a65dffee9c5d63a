"""Evidence files (scans, photos), stored once by content hash in the data directory."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from qzdesk.models.base import Base


class Attachment(Base):
    __tablename__ = "attachment"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(260))
    kind: Mapped[str] = mapped_column(String(10))  # pdf | jpeg | png
    size: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[str] = mapped_column(String(40))
