"""The points ledger (积分): post, reverse, review; balances always derived; the chain checked.

Entries are never edited or deleted (SQLite triggers refuse it). A correction is a
reversal entry pointing at the original, then a new entry. Every entry starts pending;
only entries the 积分入团领导小组 approved count. Entries and reviews each form a hash
chain (services/chain.py) that `verify_ledger` recomputes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from qzdesk.models import Applicant, PointsEntry, PointsReview
from qzdesk.services import audit, clock
from qzdesk.services.admission.chain import GENESIS, ChainCheck, check_chain, link_hash
from qzdesk.services.admission.stages import stage_in_db
from qzdesk.services.attachments import check_known
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import NotFound, ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.organisation.rules import PointsScheme, RuleProfile
from qzdesk.services.periods import day_start

CHANGED = frozenset({Topic.LEDGER, Topic.AUDIT})
DEGREES = "ABCD"
ENTRY_FIELDS = (
    "id",
    "applicant_id",
    "stage",
    "category",
    "item",
    "grade",
    "points10",
    "occurred_on",
    "note",
    "evidence",
    "reverses_id",
    "recorded_by",
    "recorded_at",
)
REVIEW_FIELDS = (
    "id",
    "entry_id",
    "decision",
    "reason",
    "session_no",
    "reviewed_on",
    "reviewers",
    "recorded_by",
    "recorded_at",
)
STATUS_LABELS = {"pending": "待审核", "approved": "已通过", "returned": "已退回"}


def points_text(points10: int) -> str:
    whole, tenth = divmod(abs(points10), 10)
    sign = "-" if points10 < 0 else ""
    return f"{sign}{whole}" if tenth == 0 else f"{sign}{whole}.{tenth}"


def _now() -> str:
    return clock.now_utc().isoformat(timespec="microseconds")


def _last_hash(session: Session, model: type[PointsEntry] | type[PointsReview]) -> str:
    head = session.scalar(select(model.hash).order_by(model.id.desc()).limit(1))
    return head or GENESIS


def _append(session: Session, model: Any, fields: tuple[str, ...], values: dict[str, Any]) -> Any:
    """Insert one chained row: its id is taken now so that the hash can cover it."""
    values["id"] = (session.scalar(select(func.max(model.id))) or 0) + 1
    prev = _last_hash(session, model)
    row = model(**values, prev_hash=prev, hash=link_hash(prev, {f: values[f] for f in fields}))
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class EntryRow:
    id: int
    applicant_id: int
    stage: int
    category: str
    category_name: str
    item: str
    item_name: str
    grade: str | None
    points10: int
    occurred_on: date
    note: str | None
    evidence: list[str]
    reverses_id: int | None
    recorded_by: str
    recorded_at: str
    status: str
    review_reason: str | None
    reviewed_on: date | None
    reversed_by: int | None
    hash: str

    @property
    def points(self) -> str:
        return points_text(self.points10)

    @property
    def status_label(self) -> str:
        text = STATUS_LABELS[self.status]
        return f"{text}（已冲销）" if self.reversed_by else text


def _names(scheme: PointsScheme, category: str, item: str) -> tuple[str, str]:
    found = scheme.item(item)
    if found is None:  # an item of an earlier profile: show its key
        return category, item
    return found[0].name, found[1].name


def known_by(model: type[PointsEntry] | type[PointsReview], day: date) -> ColumnElement[bool]:
    """Recorded by the end of `day` (Beijing): as the records stood that day. A row dated
    back to it but typed in later was not on the books then (the chain anchors of an
    archive count rows the same way)."""
    return model.recorded_at < day_start(day + timedelta(days=1))


def _entry_rows(
    session: Session, scheme: PointsScheme, where: Any, as_of: date | None = None
) -> list[EntryRow]:
    """Entries with their review and reversal; with `as_of`, as they stood that day (see
    `known_by`: a review or a reversal dated or recorded later has not happened yet)."""
    reviewed = PointsReview.entry_id == PointsEntry.id
    if as_of is not None:
        reviewed = reviewed & (PointsReview.reviewed_on <= as_of) & known_by(PointsReview, as_of)
        where = where & known_by(PointsEntry, as_of)
    reversal = select(PointsEntry.reverses_id, func.max(PointsEntry.id).label("by")).where(
        PointsEntry.reverses_id.is_not(None)
    )
    if as_of is not None:
        reversal = reversal.where(PointsEntry.occurred_on <= as_of, known_by(PointsEntry, as_of))
    reversal = reversal.outerjoin(PointsReview, reviewed).where(
        func.coalesce(PointsReview.decision, "pending") != "returned"
    )
    reversed_by = reversal.group_by(PointsEntry.reverses_id).subquery()
    query = (
        select(PointsEntry, PointsReview, reversed_by.c.by)
        .outerjoin(PointsReview, reviewed)
        .outerjoin(reversed_by, reversed_by.c.reverses_id == PointsEntry.id)
        .where(where)
        .order_by(PointsEntry.id)
    )
    rows = []
    for e, r, by in session.execute(query):
        category_name, item_name = _names(scheme, e.category, e.item)
        rows.append(
            EntryRow(
                e.id,
                e.applicant_id,
                e.stage,
                e.category,
                category_name,
                e.item,
                item_name,
                e.grade,
                e.points10,
                e.occurred_on,
                e.note,
                list(e.evidence),
                e.reverses_id,
                e.recorded_by,
                e.recorded_at,
                r.decision if r else "pending",
                r.reason if r else None,
                r.reviewed_on if r else None,
                by,
                e.hash,
            )
        )
    return rows


def _open_applicant(session: Session, applicant_id: int) -> Applicant:
    applicant = get_row(
        session,
        Applicant,
        applicant_id,
        f"找不到编号为 {applicant_id} 的入团申请人，请刷新后再试。",
    )
    stage = stage_in_db(session, applicant_id)
    if not stage.open:
        raise ValidationError(f"{applicant.name}{stage.label}，不能再记积分。")
    return applicant


def _post(
    session: Session,
    actor: str,
    scheme: PointsScheme,
    values: dict[str, Any],
    action: str,
    after: dict[str, Any],
) -> EntryRow:
    """Chain one entry (posted or reversing), audit it, and return it as a row."""
    values.update(recorded_by=actor, recorded_at=_now())
    entry = _append(session, PointsEntry, ENTRY_FIELDS, values)
    audit.record(session, actor, "points_entry", entry.id, action, after=after)
    return _entry_rows(session, scheme, PointsEntry.id == entry.id)[0]


def item_points10(
    scheme: PointsScheme, degrees: list[int], item_key: str, grade: str | None, times: int
) -> int:
    found = scheme.item(item_key)
    if found is None:
        raise ValidationError(f"积分方案中没有编号为 {item_key} 的项目。", "item")
    _, item = found
    if item.mode == "degree":
        if grade not in tuple(DEGREES):
            raise ValidationError(f"“{item.name}”是程度项，请选择 A、B、C 或 D 档。", "grade")
        return round(item.value * degrees[DEGREES.index(grade)] / 10)
    if grade:
        raise ValidationError(f"“{item.name}”不分档次。", "grade")
    if item.mode == "state" and times != 1:
        raise ValidationError(f"“{item.name}”是是否项，只能记一次。", "times")
    if not 1 <= times <= 100:
        raise ValidationError("次数应在 1 到 100 之间。", "times")
    return round(item.value * 10) * times


def post_entry(
    ctx: Context,
    applicant_id: int,
    item_key: str,
    occurred_on: date,
    grade: str | None = None,
    times: int = 1,
    note: str = "",
    evidence: Iterable[str] = (),
    today: date | None = None,
) -> Outcome[EntryRow]:
    """Record points earned (or deducted); the entry waits for the leadership group."""
    today = today or ctx.today
    if occurred_on > today:
        raise ValidationError("积分事项的日期不能晚于今天。", "occurred_on")
    session = ctx.session
    profile = ctx.profile
    scheme = profile.points.scheme
    applicant = _open_applicant(session, applicant_id)
    points10 = item_points10(
        scheme, profile.points.degree_percentages.value, item_key, grade, times
    )
    category, item = scheme.item(item_key) or (None, None)
    assert category is not None and item is not None
    stage = stage_in_db(session, applicant_id).points_stage
    if stage not in category.stages:
        stage = category.stages[-1] if stage > max(category.stages) else category.stages[0]
    if item.mode in ("state", "degree"):
        counted = [
            e
            for e in _entry_rows(
                session,
                scheme,
                (PointsEntry.applicant_id == applicant_id) & (PointsEntry.item == item_key),
            )
            if e.reverses_id is None and e.status != "returned" and e.reversed_by is None
        ]
        if counted:
            raise ValidationError(
                f"{applicant.name}的“{item.name}”已记过（第 {counted[0].id} 条）。"
                "如需更正，请先冲销该条再重新录入。",
                "item",
            )
    text = note.strip()
    if item.mode == "count" and times > 1:
        text = f"共 {times} 次" + (f"；{text}" if text else "")
    values = {
        "applicant_id": applicant_id,
        "stage": stage,
        "category": category.key,
        "item": item.key,
        "grade": grade,
        "points10": points10,
        "occurred_on": occurred_on,
        "note": text or None,
        "evidence": check_known(session, list(evidence)),
        "reverses_id": None,
    }
    after = {"applicant": applicant.name, "item": item.name, "points": points_text(points10)}
    return Outcome(_post(session, ctx.actor, scheme, values, "post", after), CHANGED)


def reverse_entry(
    ctx: Context,
    entry_id: int,
    reason: str,
    today: date | None = None,
) -> Outcome[EntryRow]:
    """Cancel an entry by a reversal pointing at it (the reversal is reviewed like any entry)."""
    today = today or ctx.today
    if not reason.strip():
        raise ValidationError("请写明冲销原因。", "reason")
    session = ctx.session
    scheme = ctx.profile.points.scheme
    found = _entry_rows(session, scheme, PointsEntry.id == entry_id)
    if not found:
        raise NotFound(f"找不到第 {entry_id} 条积分记录。")
    original = found[0]
    if original.reverses_id is not None:
        raise ValidationError(
            f"第 {entry_id} 条本身是冲销记录，不能再冲销。如冲销有误，请重新录入原积分。"
        )
    if original.reversed_by is not None:
        raise ValidationError(
            f"第 {entry_id} 条已被第 {original.reversed_by} 条冲销，不能重复冲销。"
        )
    if original.status == "returned":
        raise ValidationError(f"第 {entry_id} 条已被领导小组退回，本就不计分，无需冲销。")
    applicant = _open_applicant(session, original.applicant_id)
    values = {
        "applicant_id": original.applicant_id,
        "stage": original.stage,
        "category": original.category,
        "item": original.item,
        "grade": original.grade,
        "points10": -original.points10,
        "occurred_on": today,
        "note": f"冲销第 {entry_id} 条：{reason.strip()}",
        "evidence": [],
        "reverses_id": entry_id,
    }
    after = {"applicant": applicant.name, "reverses": entry_id, "reason": reason.strip()}
    return Outcome(_post(session, ctx.actor, scheme, values, "reverse", after), CHANGED)


def review_entries(
    ctx: Context,
    entry_ids: list[int],
    decision: str,
    reviewed_on: date,
    reviewers: str,
    reason: str = "",
    today: date | None = None,
) -> Outcome[int]:
    """One sitting of the leadership group: approve or return a batch of pending entries.
    Returns the sitting's number."""
    today = today or ctx.today
    if decision not in ("approved", "returned"):
        raise ValueError(decision)
    if not entry_ids:
        raise ValidationError("请先选择要审核的积分记录。")
    if not reviewers.strip():
        raise ValidationError("请填写参加审核的领导小组成员。", "reviewers")
    if decision == "returned" and not reason.strip():
        raise ValidationError("退回须写明原因，以便申请人补充材料。", "reason")
    if reviewed_on > today:
        raise ValidationError("审核日期不能晚于今天。", "reviewed_on")
    session = ctx.session
    reviewed = set(
        session.scalars(select(PointsReview.entry_id).where(PointsReview.entry_id.in_(entry_ids)))
    )
    known = set(session.scalars(select(PointsEntry.id).where(PointsEntry.id.in_(entry_ids))))
    if missing := sorted(set(entry_ids) - known):
        raise NotFound(f"找不到第 {missing[0]} 条积分记录，请刷新后再试。")
    if reviewed:
        raise ValidationError(f"第 {min(reviewed)} 条已审核过，不能重复审核。")
    session_no = (session.scalar(select(func.max(PointsReview.session_no))) or 0) + 1
    for entry_id in sorted(set(entry_ids)):
        _append(
            session,
            PointsReview,
            REVIEW_FIELDS,
            {
                "entry_id": entry_id,
                "decision": decision,
                "reason": reason.strip() or None,
                "session_no": session_no,
                "reviewed_on": reviewed_on,
                "reviewers": reviewers.strip(),
                "recorded_by": ctx.actor,
                "recorded_at": _now(),
            },
        )
    audit.record(
        session,
        ctx.actor,
        "points_review",
        session_no,
        decision,
        after={"entries": sorted(set(entry_ids)), "reviewers": reviewers.strip()},
    )
    return Outcome(session_no, CHANGED)


def entries_of(
    ctx: Context,
    applicant_id: int,
    as_of: date | None = None,
) -> list[EntryRow]:
    """An applicant's entries; with `as_of`, those dated by then, as they stood that day."""
    session = ctx.session
    scheme = ctx.profile.points.scheme
    where = PointsEntry.applicant_id == applicant_id
    if as_of is not None:
        where = where & (PointsEntry.occurred_on <= as_of)
    return _entry_rows(session, scheme, where, as_of)


@dataclass(frozen=True)
class PendingRow:
    entry: EntryRow
    applicant_name: str
    grade: str | None
    class_name: str | None


def pending(ctx: Context) -> list[PendingRow]:
    """The review queue: every entry the leadership group has not decided yet."""
    session = ctx.session
    scheme = ctx.profile.points.scheme
    rows = _entry_rows(session, scheme, PointsReview.id.is_(None))
    people = {
        a.id: a
        for a in session.scalars(
            select(Applicant).where(Applicant.id.in_({r.applicant_id for r in rows}))
        )
    }
    return [
        PendingRow(
            r,
            people[r.applicant_id].name,
            people[r.applicant_id].grade,
            people[r.applicant_id].class_name,
        )
        for r in rows
    ]


@dataclass
class Balance:
    """Approved points of one applicant after caps: per stage, per category, and whether
    an item of the negative list was approved against them."""

    stages: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0})
    categories: dict[tuple[int, str], int] = field(default_factory=dict)
    vetoed_by: list[str] = field(default_factory=list)

    def stage_points(self, stage: int) -> str:
        return points_text(self.stages[stage])


def _capped(scheme: PointsScheme, bonus_ratio: float, sums: dict[tuple[int, str], int]) -> Balance:
    balance = Balance()
    for category in scheme.categories:
        for stage in category.stages:
            raw = sums.get((stage, category.key), 0)
            value = raw
            if category.kind == "base" and category.cap is not None:
                value = min(raw, round(category.cap * 10))
            elif category.kind == "bonus":
                full = sum(
                    round((c.cap or 0) * 10)
                    for c in scheme.categories
                    if c.kind == "base" and stage in c.stages
                )
                limit = round(full * bonus_ratio)
                if category.cap is not None:
                    limit = min(limit, round(category.cap * 10))
                value = min(raw, limit)
            elif category.kind == "deduction" and category.cap is not None:
                value = max(raw, -round(category.cap * 10))
            balance.categories[(stage, category.key)] = value
            balance.stages[stage] = balance.stages.get(stage, 0) + value
    return balance


def balances(
    session: Session,
    profile: RuleProfile,
    applicant_ids: Iterable[int] | Select[Any] | None = None,
    as_of: date | None = None,
) -> dict[int, Balance]:
    """Approved points per applicant, derived from the ledger (as reviewed by `as_of`);
    `applicant_ids` is a list or a query selecting them."""
    scheme = profile.points.scheme
    query = (
        select(
            PointsEntry.applicant_id,
            PointsEntry.stage,
            PointsEntry.category,
            PointsEntry.item,
            func.sum(PointsEntry.points10),
        )
        .join(PointsReview, PointsReview.entry_id == PointsEntry.id)
        .where(PointsReview.decision == "approved")
        .group_by(
            PointsEntry.applicant_id, PointsEntry.stage, PointsEntry.category, PointsEntry.item
        )
    )
    if applicant_ids is not None:
        chosen = applicant_ids if isinstance(applicant_ids, Select) else list(applicant_ids)
        query = query.where(PointsEntry.applicant_id.in_(chosen))
    if as_of is not None:
        query = query.where(
            PointsReview.reviewed_on <= as_of,
            PointsEntry.occurred_on <= as_of,
            known_by(PointsReview, as_of),
            known_by(PointsEntry, as_of),
        )
    sums: dict[int, dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    vetoes: dict[int, list[str]] = defaultdict(list)
    veto_items = {i.key: i.name for c in scheme.categories for i in c.items if i.veto}
    for applicant_id, stage, category, item, total in session.execute(query):
        sums[applicant_id][(stage, category)] += total
        if item in veto_items and total < 0:
            vetoes[applicant_id].append(veto_items[item])
    bonus_ratio = profile.points.bonus_max_ratio.value
    result = {}
    for applicant_id, per_category in sums.items():
        balance = _capped(scheme, bonus_ratio, per_category)
        balance.vetoed_by = vetoes.get(applicant_id, [])
        result[applicant_id] = balance
    return result


def balance_of(ctx: Context, applicant_id: int, as_of: date | None = None) -> Balance:
    session = ctx.session
    found = balances(session, ctx.profile, [applicant_id], as_of)
    return found.get(applicant_id, Balance())


@dataclass(frozen=True)
class LedgerCheck:
    entries: ChainCheck
    reviews: ChainCheck

    @property
    def ok(self) -> bool:
        return self.entries.ok and self.reviews.ok

    def report(self) -> list[str]:
        lines = []
        for name, check in (("积分记录", self.entries), ("审核记录", self.reviews)):
            if check.ok:
                lines.append(f"{name}：{check.count} 条，哈希链完整；链头 {check.head}")
            else:
                lines.append(
                    f"{name}：第 {check.broken_id} 条起哈希链断裂——{check.problem}。"
                    f"此前 {check.count} 条完好。"
                )
        return lines


def verify_ledger(ctx: Context) -> LedgerCheck:
    """Recompute both chains from the stored rows (read with the bare connection: fast)."""
    with ctx.store.engine.connect() as connection:
        checks = []
        for table, fields in (("points_entry", ENTRY_FIELDS), ("points_review", REVIEW_FIELDS)):
            model = PointsEntry if table == "points_entry" else PointsReview
            columns = [getattr(model, f) for f in (*fields, "prev_hash", "hash")]
            rows = connection.execute(select(*columns).order_by(model.id)).mappings()
            checks.append(check_chain(table, rows, fields))
        return LedgerCheck(*checks)


def anchors(ctx: Context, at: str) -> dict[str, dict[str, Any]]:
    """Each chain as it stood at the instant `at` (see periods.instant_text): the hash of
    its last row recorded before then and how many rows it had."""
    found = {}
    with ctx.store.engine.connect() as connection:
        for table, model in (("entries", PointsEntry), ("reviews", PointsReview)):
            before = model.recorded_at < at
            head = connection.scalar(
                select(model.hash).where(before).order_by(model.id.desc()).limit(1)
            )
            count = connection.scalar(select(func.count()).select_from(model).where(before))
            found[table] = {"head": head or GENESIS, "count": count or 0}
    return found


def recorded_between(ctx: Context, first: str, last: str) -> dict[str, list[dict[str, Any]]]:
    """The chain rows recorded in the instants [first, last) with their hashes, as plain
    data: a contiguous stretch of each chain that a reader can recompute (see chain.py)."""
    found = {}
    with ctx.store.engine.connect() as connection:
        for table, model, fields in (
            ("entries", PointsEntry, ENTRY_FIELDS),
            ("reviews", PointsReview, REVIEW_FIELDS),
        ):
            columns = [getattr(model, f) for f in (*fields, "prev_hash", "hash")]
            query = (
                select(*columns)
                .where(model.recorded_at >= first, model.recorded_at < last)
                .order_by(model.id)
            )
            found[table] = [
                {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}
                for row in connection.execute(query).mappings()
            ]
    return found
