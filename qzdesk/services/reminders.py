"""A reminder a domain hands the 工作台 (services/todo.py places it on a page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Reminder:
    text: str
    due: date | None
    urgent: bool
