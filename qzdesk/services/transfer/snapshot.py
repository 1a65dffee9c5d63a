"""A transfer package as one immutable object, taken once as of its day: what the 介绍信,
the 成长档案 pages and the embedded data all show. The package's pages import this module
and nothing else of the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qzdesk.services.dossier.papers import PaperState
from qzdesk.services.dossier.timeline import KIND_LABELS, Entry
from qzdesk.services.dues.book import PaidTo
from qzdesk.vocabulary import UNKNOWN, Paper, PoliticalStatus, TransferCause

__all__ = [
    "KIND_LABELS",
    "UNKNOWN",
    "Dossier",
    "Entry",
    "Package",
    "Paper",
    "PaperState",
    "PoliticalStatus",
    "Side",
    "TransferCause",
]


@dataclass(frozen=True)
class Dossier:
    """The 成长档案 as printed: who, as of which day, kept by which organisation."""

    organisation: str
    member: dict[str, Any]  # the member's record as the roster holds it (audit view)
    timeline: tuple[Entry, ...]
    papers: tuple[PaperState, ...]
    dues_text: str
    as_of: date
    taken_at: datetime

    @property
    def name(self) -> str:
        return str(self.member["name"])

    def field(self, name: str) -> str:
        value = self.member.get(name)
        return UNKNOWN if value in (None, "") else str(value)


@dataclass(frozen=True)
class Side:
    org: str
    parent: str


@dataclass(frozen=True)
class Package:
    code: str  # the 介绍信's number
    cause: TransferCause
    sender: Side
    receiver: Side
    out_on: date
    valid_until: date
    dues_paid_to: date | None
    dues_owing_months: int
    member: dict[str, Any]  # the member's record as the roster holds it (audit view)
    timeline: tuple[Entry, ...]
    papers: tuple[PaperState, ...]
    taken_at: datetime
    fingerprint: str  # the sender's signing certificate

    @property
    def name(self) -> str:
        return str(self.member["name"])

    @property
    def dossier(self) -> Dossier:
        return Dossier(
            self.sender.org,
            self.member,
            self.timeline,
            self.papers,
            self.dues_text,
            self.out_on,
            self.taken_at,
        )

    @property
    def dues_text(self) -> str:
        return PaidTo(self.dues_paid_to, self.dues_owing_months).text

    @property
    def scans(self) -> tuple[PaperState, ...]:
        return tuple(p for p in self.papers if p.sha256)
