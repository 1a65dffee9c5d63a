"""Fetching a row by its id, or saying in Chinese that it is gone."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from qzdesk.services.errors import NotFound

T = TypeVar("T")


def get_row(session: Session, model: type[T], key: int, missing: str) -> T:
    """The row, or NotFound with `missing` (it may have changed under another screen)."""
    row = session.get(model, key)
    if row is None:
        raise NotFound(missing)
    return row
