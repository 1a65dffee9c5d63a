"""A period's archive as one immutable object, taken once as of the period's last day
(or the build, while the period runs) by `take.take_snapshot`. Every printed page, the
embedded JSON (`data.archive_data`) and the cover are drawn from it, so none can show a
fact another does not hold. The pages import this module and nothing else of the
services (tests/unit/test_architecture.py): the labels and value types they print come
with it, and each figure a page shows is one method here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from qzdesk.services.admission.applicants import StepRecord
from qzdesk.services.admission.ledger import Balance, EntryRow
from qzdesk.services.admission.publicity import PublicityRow
from qzdesk.services.admission.quotas import GradeCeiling, QuotaStatus
from qzdesk.services.admission.requirements import PUBLICITY_LABELS
from qzdesk.services.admission.stages import Stage, Step
from qzdesk.services.attachments import describe
from qzdesk.services.committee.appraisal import Result
from qzdesk.services.committee.cadres import Analysis
from qzdesk.services.committee.coverage import Coverage, UnitLine
from qzdesk.services.dues.amounts import yuan_text
from qzdesk.services.dues.book import DuesFigures
from qzdesk.services.dues.money import Account
from qzdesk.services.meetings.compliance import ComplianceCell, WindowState
from qzdesk.services.meetings.evaluation import EvaluationView, Grade, RegistrationRow
from qzdesk.services.meetings.minutes import PRESENCE, MinutesView, observer_label
from qzdesk.services.meetings.plan import PlanRow
from qzdesk.services.meetings.rating import BranchRating
from qzdesk.services.members.records import RosterEntry
from qzdesk.services.organisation.orgs import OrgInfo, counts_as_branch
from qzdesk.services.organisation.rules import RatingScheme, RuleProfile
from qzdesk.services.party.recommend import PartyFigures, RecommendationView, party_figures
from qzdesk.services.party.steps import PartyAnswer, PartyStep
from qzdesk.services.periods import Period
from qzdesk.services.receiving.summary import SummaryRow, summed
from qzdesk.services.transfer.book import TransferFigures, TransferRow, transfer_figures
from qzdesk.vocabulary import UNKNOWN

# What the pages print besides the snapshot's own values.
__all__ = [
    "PRESENCE",
    "PUBLICITY_LABELS",
    "UNKNOWN",
    "ComplianceCell",
    "Grade",
    "GradeCeiling",
    "MinutesView",
    "PartyAnswer",
    "PartyStep",
    "PlanRow",
    "PublicityRow",
    "Snapshot",
    "Stage",
    "Step",
    "StepRecord",
    "SummaryRow",
    "UnitLine",
    "WindowState",
    "describe",
    "observer_label",
    "yuan_text",
]

QUALITY_FIELDS = {"ethnicity": "民族", "member_no": "团员编号", "mobile": "手机号码"}


@dataclass(frozen=True)
class Organisation:
    root: OrgInfo
    parent: str  # the 上级团组织 as 设置 names it
    secretary_setting: str  # the 书记 as 设置 names it
    elected_secretary: str | None  # as the organisation's own election records show
    profile: RuleProfile
    fingerprint: str  # of the signing certificate ("" before a key exists)

    @property
    def secretary(self) -> str:
        """The 书记 as the election records show it (as the committee's summary reads it);
        the name given in 设置 where no election of the organisation itself is recorded."""
        return self.elected_secretary or f"{self.secretary_setting}（设置中登记，无本级选举记录）"


@dataclass(frozen=True)
class PointsAccount:
    """One applicant's points as the ledger stood at the period's end."""

    applicant_id: int
    name: str
    place: str  # 年级 and 班级
    stage: Stage
    balance: Balance
    entries: tuple[EntryRow, ...]


@dataclass(frozen=True)
class Rating:
    """对标定级 of the year: in the archives that end a year."""

    scheme: RatingScheme
    branches: tuple[BranchRating, ...]


@dataclass(frozen=True)
class Snapshot:
    period: Period
    as_of: date
    taken_at: datetime  # Beijing time
    organisation: Organisation
    previous_archive_id: str | None
    branches: tuple[OrgInfo, ...]  # the tree as of `as_of`, the organisation first
    roster: tuple[RosterEntry, ...]  # everyone who had joined by then, in branch order
    applicants: tuple[dict[str, Any], ...]  # as the JSON holds them, stages as of then
    points: tuple[PointsAccount, ...]
    ledger: dict[str, list[dict[str, Any]]]  # the chain rows recorded in the period
    anchors: dict[str, dict[str, Any]]  # each chain's head at the period's start and end
    steps: tuple[StepRecord, ...]  # admission steps dated in the period, by then
    quota: QuotaStatus
    publicities: tuple[PublicityRow, ...]
    plan: tuple[PlanRow, ...]
    minutes: tuple[MinutesView, ...]
    meetings: tuple[dict[str, Any], ...]  # the same minutes as signed content
    member_names: dict[int, str]
    compliance: tuple[ComplianceCell, ...]
    rating: Rating | None
    evaluations: tuple[EvaluationView, ...]
    registrations: tuple[RegistrationRow, ...]
    terms: tuple[dict[str, Any], ...]
    received: tuple[dict[str, Any], ...]  # the archives received for the period
    received_rows: tuple[SummaryRow, ...]
    not_reported: tuple[str, ...]  # registered organisations with no archive of the period
    dues: DuesFigures  # 团费 of the period, as of its end
    money: Account  # 团费 held, passed up and spent in the period, as of its end
    transfers: tuple[TransferRow, ...] = ()  # 组织关系转接 of the period, as of its end
    recommendations: tuple[RecommendationView, ...] = ()  # 推优入党 of the period, as of its end
    coverage: Coverage | None = None  # a committee's register, as of the period's end
    cadres: Analysis | None = None  # the cadres its archives received name, analysed
    appraisals: tuple[Result, ...] = ()  # the 考评 of the year (a year's archive), as recorded

    @property
    def received_total(self) -> SummaryRow:
        """合计 of the archives received (a subtree is in its committee's row already)."""
        return summed(list(self.received_rows))

    @property
    def transfer_figures(self) -> TransferFigures:
        """组织关系转接 of the period: out (of them 转出中 at its end), and in."""
        return transfer_figures((t.direction, t.state.value) for t in self.transfers)

    @property
    def party(self) -> PartyFigures:
        """推优入党 of the period: approvals, and the Party's answers that took people in."""
        return party_figures(
            [
                [(s.step.value, s.on.isoformat(), s.details) for s in r.steps]
                for r in self.recommendations
            ],
            self.period.start.isoformat(),
        )

    def branch_name(self, branch_id: int) -> str:
        return next((b.name for b in self.branches if b.id == branch_id), "")

    @property
    def on_books(self) -> list[RosterEntry]:
        """在册: joined by `as_of` and not left by then."""
        return [e for e in self.roster if e.left_on is None]

    @property
    def left_in_period(self) -> list[RosterEntry]:
        return [e for e in self.roster if e.left_on and self.period.contains(e.left_on)]

    def members_by_branch(self) -> dict[int, int]:
        return dict(Counter(e.branch_id for e in self.on_books))

    @property
    def branch_count(self) -> int:
        """团支部 in being at `as_of`, counted as the committee's summary counts them."""
        return sum(1 for b in self.branches if counts_as_branch(b.kind.value, b.closed_on))

    def stage_counts(self) -> dict[Stage, int]:
        found = Counter(a["stage"] for a in self.applicants)
        return {stage: found.get(stage.value, 0) for stage in Stage}

    def steps_of(self, *steps: Step) -> list[StepRecord]:
        return [s for s in self.steps if s.event.step in steps]

    def data_gaps(self, fields: dict[str, str] = QUALITY_FIELDS) -> dict[str, int]:
        """How many members on the books lack each key field: unknown stays unknown."""
        on_books = self.on_books
        found = {
            label: sum(1 for e in on_books if not getattr(e.draft, name))
            for name, label in fields.items()
        }
        return {label: n for label, n in found.items() if n}
