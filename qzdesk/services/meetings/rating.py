"""对标定级: the yearly self-rating each branch's records support. The profile's scheme
names the lines and their points; each line's measure is a share from 0 to 1 computed
here from the data, with the evidence said in words, so the parent committee can see
why a branch scored what it did. Bands (五星 … 软弱涣散) come from the profile too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qzdesk.models import Applicant, Member, Org, RatingVeto, Registration, StageEvent
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.meetings import plan, terms
from qzdesk.services.meetings.compliance import ComplianceCell, WindowState, compliance
from qzdesk.services.meetings.evaluation import EvaluationView, evaluations_of_year
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.meetings.plan import PlanState
from qzdesk.services.members.validation import age_on
from qzdesk.services.organisation.rules import RatingScheme, RuleProfile
from qzdesk.services.organisation.settings import rules_in_force
from qzdesk.vocabulary import BranchNature

BANDS = ("五星", "四星", "三星", "后进", "软弱涣散")


@dataclass(frozen=True)
class LineScore:
    measure: str  # the profile's indicator it scores
    name: str
    points: float
    share: float  # 0..1, what the records show
    evidence: str

    @property
    def scored(self) -> float:
        return total_of([(self.points, self.share)])


@dataclass(frozen=True)
class DimensionScore:
    name: str
    lines: list[LineScore]

    @property
    def points(self) -> float:
        return sum(line.points for line in self.lines)

    @property
    def scored(self) -> float:
        return round(sum(line.scored for line in self.lines), 1)


@dataclass(frozen=True)
class BranchRating:
    branch_id: int
    branch: str
    year: int
    dimensions: list[DimensionScore]
    band: str
    vetoes: list[str] = field(default_factory=list)  # 一票否决 items noted for the year

    @property
    def total(self) -> float:
        return total_of([(line.points, line.share) for d in self.dimensions for line in d.lines])


VETO_CHANGED = frozenset({Topic.MEETINGS, Topic.AUDIT})


def band_of(total: float, bands: list[int]) -> str:
    """Bands are the profile's lower bounds, highest first; below the last: 软弱涣散."""
    return next((BANDS[i] for i, low in enumerate(bands) if total >= low), BANDS[-1])


def band_for(total: float, bands: list[int], vetoes: list[str]) -> str:
    """定级: 软弱涣散 under any 一票否决, else by the score. The one rule: the branch's own
    rating and a committee recomputing it from the archive both use it."""
    return BANDS[-1] if vetoes else band_of(total, bands)


def total_of(lines: list[tuple[float, float]]) -> float:
    """The score of (points, share) lines, each rounded to a tenth as printed."""
    return round(sum(round(points * share, 1) for points, share in lines), 1)


class Person(NamedTuple):
    id: int
    name: str
    league_post: str | None
    joined_on: date | None
    member_no: str | None
    birth_date: date


@dataclass
class _Facts:
    """What the records say about one branch in the year, gathered in a few queries."""

    members: list[Person]
    term: terms.BranchTerm | None
    registered: set[int]
    evaluation: EvaluationView | None
    cells: dict[MeetingKind, ComplianceCell]
    plan: list[plan.PlanRow]
    steps: int


def _share(done: int, of: int, what: str, none: str) -> tuple[float, str]:
    return (done / of, f"{what} {done}/{of}") if of else (1.0, none)


def _measures(
    profile: RuleProfile, as_of: date
) -> dict[str, Callable[[_Facts], tuple[float, str]]]:
    rules, membership = profile.branch, profile.membership

    def secretary(f: _Facts) -> tuple[float, str]:
        """The elected one (换届 record) is the source; the roster's 团内职务 is checked
        against it, never shown as a second answer."""
        posted = [m.name for m in f.members if m.league_post == "书记"]
        if f.term and f.term.current:
            elected = f.term.current.secretary
            differs = posted and elected not in posted
            check = f"；名册中“书记”为{'、'.join(posted)}，请核对" if differs else ""
            return 1.0, f"书记：{elected}（换届选举产生{check}）"
        return (
            (1.0, f"书记：{posted[0]}（名册登记，无换届记录）") if posted else (0.0, "未登记书记")
        )

    def committee(f: _Facts) -> tuple[float, str]:
        posts = sum(1 for m in f.members if m.league_post)
        if f.term and f.term.current:
            posts = max(posts, 1 + len(f.term.current.committee))
        if len(f.members) < rules.committee_from_members.value:
            return (1.0, f"团员 {len(f.members)} 人，设书记即可") if posts else (0.0, "未设书记")
        low, high = rules.committee_size_min.value, rules.committee_size_max.value
        return (
            (1.0, f"支委 {posts} 人")
            if low <= posts <= high
            else (0.0, f"支委 {posts} 人，应为 {low}–{high} 人")
        )

    def term(f: _Facts) -> tuple[float, str]:
        if f.term is None or f.term.current is None:
            return 0.0, "未登记换届"
        ends = f.term.current.ends_on
        return (
            (1.0, f"任期至 {ends:%Y-%m-%d}")
            if ends > as_of
            else (0.0, f"已于 {ends:%Y-%m-%d} 届满")
        )

    def registration(f: _Facts) -> tuple[float, str]:
        done = sum(1 for m in f.members if m.id in f.registered)
        return _share(done, len(f.members), "已注册", "无在册团员")

    def member_no(f: _Facts) -> tuple[float, str]:
        due = [
            m
            for m in f.members
            # One whose 入团年月 is not known is not counted either way (未填).
            if m.joined_on is not None
            and m.joined_on.year >= membership.member_no_required_from_year.value
        ]
        return _share(sum(1 for m in due if m.member_no), len(due), "有团员编号", "无须编号")

    def age_out(f: _Facts) -> tuple[float, str]:
        over = sum(
            1
            for m in f.members
            if not m.league_post and age_on(m.birth_date, as_of) >= membership.age_out.value
        )
        if not f.members:
            return 1.0, "无在册团员"
        return 1 - over / len(f.members), f"超龄未离团 {over} 人" if over else "无超龄未离团"

    def evaluation(f: _Facts) -> tuple[float, str]:
        v = f.evaluation
        if v is None:
            return 0.0, "本年未评议"
        if v.approved_on is None:
            return 0.5, f"{v.held_on:%m-%d} 已评议，待上级批准"
        return 1.0, f"{v.held_on:%m-%d} 评议，{v.approved_on:%m-%d} 批准"

    def meetings_of(kind: MeetingKind) -> Callable[[_Facts], tuple[float, str]]:
        def measure(f: _Facts) -> tuple[float, str]:
            windows = f.cells[kind].windows
            met = sum(1 for w in windows if w.state is WindowState.MET)
            judged = sum(1 for w in windows if w.state in (WindowState.MET, WindowState.MISSED))
            return _share(met, judged, "按期召开", "尚无到期的时段")

        return measure

    def minutes_signed(f: _Facts) -> tuple[float, str]:
        signed = sum(c.held for c in f.cells.values())
        drafts = sum(c.drafts for c in f.cells.values())
        if not signed + drafts:
            return 0.0, "本年无会议记录"
        return _share(signed, signed + drafts, "已签字", "")

    def plan_kept(f: _Facts) -> tuple[float, str]:
        if not f.plan:
            return 0.0, "未制定年度计划"
        states = Counter(p.state(as_of) for p in f.plan)
        due = states[PlanState.HELD] + states[PlanState.OVERDUE]
        return _share(states[PlanState.HELD], due, "计划已召开", "计划尚未到期")

    def admission(f: _Facts) -> tuple[float, str]:
        return (1.0, f"本年办理发展步骤 {f.steps} 次") if f.steps else (0.0, "本年无发展团员记录")

    return {
        "secretary": secretary,
        "committee": committee,
        "term": term,
        "registration": registration,
        "member_no": member_no,
        "age_out": age_out,
        "evaluation": evaluation,
        "meetings_assembly": meetings_of(MeetingKind.ASSEMBLY),
        "meetings_committee": meetings_of(MeetingKind.COMMITTEE),
        "meetings_lecture": meetings_of(MeetingKind.LECTURE),
        "meetings_league_day": meetings_of(MeetingKind.LEAGUE_DAY),
        "minutes_signed": minutes_signed,
        "plan_kept": plan_kept,
        "admission": admission,
    }


def ratings(
    ctx: Context,
    year: int,
    today: date | None = None,
    as_of: date | None = None,
) -> tuple[RatingScheme | None, list[BranchRating]]:
    """Every open branch's self-rating for `year`, as of today (or the year's end); with
    `as_of`, the records as they stood at that day's end (an archive's period)."""
    today = today or ctx.today
    cutoff = as_of
    as_of = min(as_of or today, date(year, 12, 31))
    profile = rules_in_force(ctx)
    scheme = profile.branch.rating_scheme
    if scheme is None:
        return None, []
    cells: dict[int, dict[MeetingKind, ComplianceCell]] = {}
    names: dict[int, str] = {}
    for cell in compliance(ctx, year, today, as_of=cutoff):
        cells.setdefault(cell.branch_id, {})[cell.kind] = cell
        names[cell.branch_id] = cell.branch
    branch_terms = {t.branch_id: t for t in terms.branch_terms(ctx, cutoff)}
    evaluated = {v.branch_id: v for v in evaluations_of_year(ctx, year) if v.held_on <= as_of}
    plans: dict[int, list[plan.PlanRow]] = {}
    for row in plan.year_plan(ctx, year):
        plans.setdefault(row.branch_id, []).append(row)
    session = ctx.session
    people: dict[int, list[Person]] = {}
    for branch_id, *fields in session.execute(
        # On the books that day: one who left later still counts then.
        select(Member.branch_id, *(getattr(Member, f) for f in Person._fields)).where(
            Member.voided.is_(False),
            Member.joined_on.is_(None) | (Member.joined_on <= as_of),
            Member.left_on.is_(None) | (Member.left_on > as_of),
        )
    ):
        people.setdefault(branch_id, []).append(Person(*fields))
    registered = set(
        session.scalars(
            select(Registration.member_id).where(
                Registration.year == year,
                Registration.status == "registered",
                Registration.on <= as_of,
            )
        )
    )
    steps = {
        branch_id: n
        for branch_id, n in session.execute(
            select(Applicant.branch_id, func.count())
            .join(StageEvent, StageEvent.applicant_id == Applicant.id)
            .where(
                StageEvent.on >= date(year, 1, 1),
                StageEvent.on <= as_of,
                Applicant.voided.is_(False),
            )
            .group_by(Applicant.branch_id)
        )
    }
    # A branch rated must have stood long enough to be judged (half a year by default),
    # and be a standing one: 流动、临时 and 待转接 branches are not rated.
    settled_by = add_months(as_of, -profile.branch.rating_min_age_months.value)
    young = set(
        session.scalars(
            select(Org.id).where(
                (Org.created_on > settled_by) | (Org.nature != BranchNature.REGULAR.value)
            )
        )
    )
    vetoed = vetoes_of_year(session, scheme, year, as_of)
    measures = _measures(profile, as_of)
    found = []
    for branch_id, branch in names.items():
        if branch_id in young:
            continue
        facts = _Facts(
            people.get(branch_id, []),
            branch_terms.get(branch_id),
            registered,
            evaluated.get(branch_id),
            cells[branch_id],
            plans.get(branch_id, []),
            steps.get(branch_id, 0),
        )
        dimensions = [
            DimensionScore(
                d.name,
                [
                    LineScore(i.measure, i.name, i.points, *measures[i.measure](facts))
                    for i in d.indicators
                ],
            )
            for d in scheme.dimensions
        ]
        total = total_of([(line.points, line.share) for d in dimensions for line in d.lines])
        found.append(
            BranchRating(
                branch_id,
                branch,
                year,
                dimensions,
                band_for(total, profile.branch.rating_bands.value, vetoed.get(branch_id, [])),
                vetoed.get(branch_id, []),
            )
        )
    return scheme, found


def vetoes_of_year(
    session: Session, scheme: RatingScheme, year: int, as_of: date
) -> dict[int, list[str]]:
    """The 一票否决 items in force noted against each branch for the year by `as_of`."""
    names = {item.key: item.name for item in scheme.vetoes}
    found: dict[int, list[str]] = {}
    for branch_id, key in session.execute(
        select(RatingVeto.branch_id, RatingVeto.item_key).where(
            RatingVeto.year == year,
            RatingVeto.noted_on <= as_of,
            RatingVeto.void_reason.is_(None),
        )
    ):
        if key in names:  # an item the profile in force no longer lists does not count
            found.setdefault(branch_id, []).append(names[key])
    return found


@dataclass(frozen=True)
class VetoRow:
    id: int
    branch_id: int
    year: int
    item: str
    noted_on: date
    reason: str
    recorded_by: str
    void_reason: str | None


def record_veto(
    ctx: Context,
    branch_id: int,
    year: int,
    item_key: str,
    noted_on: date,
    reason: str,
) -> Outcome[VetoRow]:
    """Note a 一票否决 item against a branch for a year (from the profile's list)."""
    scheme = rules_in_force(ctx).branch.rating_scheme
    names = {i.key: i.name for i in scheme.vetoes} if scheme else {}
    if item_key not in names:
        raise ValidationError("规则配置中没有这一项一票否决事项。", "item")
    if noted_on.year != year or noted_on > ctx.today:
        raise ValidationError(f"日期应在 {year} 年内，且不晚于今天。", "noted_on")
    if not reason.strip():
        raise ValidationError("请写明事实和依据（如上级通报的文号）。", "reason")
    session = ctx.session
    branch = get_row(session, Org, branch_id, "找不到这个团支部。")
    row = RatingVeto(
        branch_id=branch.id,
        year=year,
        item_key=item_key,
        noted_on=noted_on,
        reason=reason.strip(),
        recorded_by=ctx.actor,
        recorded_at=clock.now_utc(),
    )
    session.add(row)
    session.flush()
    audit.record(session, ctx.actor, "rating_veto", row.id, "create", after={"item": item_key})
    return Outcome(_veto_row(row, names), VETO_CHANGED)


def void_veto(ctx: Context, veto_id: int, reason: str) -> Outcome[None]:
    """A mistaken entry is voided with a reason; it stays on record."""
    if not reason.strip():
        raise ValidationError("请写明作废原因。", "reason")
    session = ctx.session
    row = get_row(session, RatingVeto, veto_id, "找不到这条记录。")
    if row.void_reason is not None:
        raise ValidationError("这条记录已经作废。")
    row.void_reason = reason.strip()
    audit.record(session, ctx.actor, "rating_veto", row.id, "void", after={"reason": reason})
    return Outcome(None, VETO_CHANGED)


def vetoes(ctx: Context, year: int) -> list[VetoRow]:
    scheme = rules_in_force(ctx).branch.rating_scheme
    names = {i.key: i.name for i in scheme.vetoes} if scheme else {}
    session = ctx.session
    rows = session.scalars(
        select(RatingVeto).where(RatingVeto.year == year).order_by(RatingVeto.id)
    )
    return [_veto_row(r, names) for r in rows]


def _veto_row(row: RatingVeto, names: dict[str, str]) -> VetoRow:
    return VetoRow(
        row.id,
        row.branch_id,
        row.year,
        names.get(row.item_key, row.item_key),
        row.noted_on,
        row.reason,
        row.recorded_by,
        row.void_reason,
    )
