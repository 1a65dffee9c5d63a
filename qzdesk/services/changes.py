"""What a mutating service returns: its result plus the kinds of data it changed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Topic(StrEnum):
    """Kinds of data; screens that show one refresh when a service reports it changed."""

    ORG = "org"
    MEMBERS = "members"
    SETTINGS = "settings"
    AUTH = "auth"
    AUDIT = "audit"
    ADMISSION = "admission"
    LEDGER = "ledger"
    MEETINGS = "meetings"
    RECEIVING = "receiving"
    DUES = "dues"


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    changed: frozenset[Topic]
