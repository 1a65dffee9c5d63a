"""Applicants brought in with their history (申请人名单): a school or village that starts
with qzdesk mid-year has applicants at every stage. Each row becomes an applicant and
the steps already taken, dated as the list says and marked 补录 with the import batch.
The steps are judged against the rule profile, but a past step that broke a rule is a
warning (it happened), not a refusal. Points are not invented: the ledger starts here.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import (
    Applicant,
    ImportBatch,
    Member,
    Objection,
    Org,
    PointsEntry,
    PublicityEntry,
    StageEvent,
)
from qzdesk.services import audit, clock
from qzdesk.services.admission.applicants import CHANGED, active_member_ids
from qzdesk.services.admission.ledger import Balance
from qzdesk.services.admission.requirements import (
    ApplicantFacts,
    EventView,
    age_findings,
    step_findings,
)
from qzdesk.services.admission.stages import Step, stage_of
from qzdesk.services.changes import Outcome
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import idcard, mappings
from qzdesk.services.members.columns import (
    BY_FIELD,
    CellError,
    Column,
    cell_text,
    column_letter,
    lookup_of,
    parse_id_text,
    parse_written_date,
    spelled,
)
from qzdesk.services.members.discipline import probations
from qzdesk.services.members.importer import (
    BatchRow,
    PreviewCounts,
    batch_to_undo,
    branch_key,
)
from qzdesk.services.members.layout import (
    BodyRow,
    ImportCancelled,
    Layout,
    Progress,
    accounts_of,
    body_rows,
    find_layouts,
)
from qzdesk.services.members.search import name_key
from qzdesk.services.members.spreadsheet import (
    MAX_CELL_CHARS,
    Cell,
    Sheet,
    SpreadsheetError,
    read_sheets,
)
from qzdesk.services.members.validation import normalise_mobile
from qzdesk.services.names import clean_name, tidy
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.vocabulary import OrgKind

KIND = "applicants"
HISTORY = "补录"
COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("申请人姓名",), width=10),
    BY_FIELD["id_number"],
    Column("ethnicity", "民族", width=8),
    BY_FIELD["branch"],
    Column("school", "学校", ("就读学校", "学习工作单位", "工作单位"), width=20),
    BY_FIELD["grade"],
    BY_FIELD["class_name"],
    BY_FIELD["mobile"],
    Column("recommended_by", "推荐方式", ("推荐类型", "入团推荐方式"), width=12),
    Column(
        "applied_on",
        "申请日期",
        ("递交申请书日期", "递交入团申请书日期", "申请入团时间", "申请时间", "入团申请日期"),
        "date",
        12,
    ),
    Column("talk_on", "谈话日期", ("谈话时间", "与申请人谈话日期"), "date", 12),
    Column(
        "activist_on",
        "确定积极分子日期",
        ("确定为入团积极分子日期", "确定积极分子时间", "列为积极分子时间", "确定为积极分子日期"),
        "date",
        14,
    ),
    Column("approved_by", "积极分子报批单位", ("报批单位", "同意单位"), width=16),
    Column("training_hours", "团课学时", ("培训学时", "团课培训学时", "学时"), "number", 10),
    Column("mentors", "培养联系人", ("联系人",), width=14),
    Column(
        "candidate_on",
        "确定发展对象日期",
        ("确定为发展对象日期", "确定发展对象时间", "列为发展对象时间"),
        "date",
        14,
    ),
    Column("sponsors", "入团介绍人", ("介绍人",), width=14),
)
RECOMMENDED = {"团员推荐": "member", "少先队推优": "pioneer", "推优": "pioneer", "团员": "member"}
NAMES_SPLIT = re.compile(r"[、,，;；/\s]+")
# The steps a list can carry, in the order they happen, with the column that dates them.
STEP_COLUMNS = (
    (Step.APPLICATION, "applied_on"),
    (Step.TALK, "talk_on"),
    (Step.ACTIVIST, "activist_on"),
    (Step.CANDIDATE, "candidate_on"),
)


@dataclass
class ApplicantLine:
    """One row as read: its cells as the file has them and each field parsed."""

    sheet: str
    row: int
    layout: Layout
    cells: list[Cell]
    values: dict[str, Any]
    errors: list[str]
    hidden: bool = False

    def place(self, name: str) -> str:
        return self.layout.places.get(name, next(c.header for c in COLUMNS if c.field == name))


@dataclass(frozen=True)
class PlannedStep:
    step: Step
    on: date
    details: dict[str, Any]


@dataclass
class ApplicantResult:
    sheet: str
    row: int
    name: str
    branch_name: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing: bool = False  # already an applicant: left as it is
    branch_id: int | None = None
    steps: list[PlannedStep] = field(default_factory=list)
    person: dict[str, Any] = field(default_factory=dict)

    @property
    def level(self) -> str:
        if self.errors:
            return "error"
        if self.existing:
            return "same"
        return "warning" if self.warnings else "ok"

    @property
    def where(self) -> str:
        return f"{self.sheet} 第 {self.row} 行"

    @property
    def stage_text(self) -> str:
        if not self.steps or self.errors:
            return ""
        return stage_of((s.step.value, s.details) for s in self.steps).label


@dataclass
class ApplicantPreview(PreviewCounts):
    path: Path
    sha256: str
    layouts: list[Layout]
    notes: list[str]
    parsed: list[ApplicantLine]
    rows: list[ApplicantResult]
    mapping: dict[str, str] = field(default_factory=dict)  # by hand: header → field
    titles: list[str] = field(default_factory=list)  # the headers, as the mapping is keyed


@dataclass(frozen=True)
class ApplicantReport:
    batch_id: int | None
    created: int
    steps: int
    rejected: int
    unchanged: int


def _value(column: Column, value: Cell) -> Any:
    if column.kind == "date":
        written = parse_written_date(value)
        if written is not None and written.precision != "day":
            raise CellError(f"只写到“{written}”：步骤的日期请写到日（如 2025-09-15）")
        return written.first_day() if written else None
    if column.kind == "number":
        text = cell_text(value).replace("学时", "").strip()
        try:
            return float(text)
        except ValueError:
            raise CellError(f"“{text}”不是数字") from None
    if column.kind == "id":
        return parse_id_text(value, column.header)
    if column.field == "recommended_by":
        text = tidy(cell_text(value))
        if text not in RECOMMENDED:
            raise CellError(f"“{text}”不是可选值（可选：团员推荐、少先队推优）")
        return RECOMMENDED[text]
    if column.field in ("mentors", "sponsors"):
        return [n for n in NAMES_SPLIT.split(tidy(cell_text(value))) if n]
    return spelled(column.field, tidy(cell_text(value)))


def _line(b: BodyRow) -> ApplicantLine:
    values: dict[str, Any] = {}
    errors: list[str] = []
    for index, column in b.layout.columns.items():
        value = b.cells[index] if index < len(b.cells) else None
        if value is None or (isinstance(value, str) and not value.strip().lstrip("'")):
            continue
        where = f"{column_letter(index)} 列（{column.header}）"
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            errors.append(f"{where}：内容过长（{len(value)} 字，最多 {MAX_CELL_CHARS} 字）")
            continue
        try:
            values[column.field] = _value(column, value)
        except CellError as error:
            errors.append(f"{where}：{error}")
    return ApplicantLine(b.sheet.name, b.number, b.layout, b.cells, values, errors, b.hidden)


def read_applicants(
    sheets: list[Sheet], progress: Progress | None = None, mapping: dict[str, str] | None = None
) -> tuple[list[Layout], list[ApplicantLine], list[str]]:
    found = find_layouts(sheets, lookup_of(COLUMNS, mapping))
    missing = [
        layout.describe()
        for _, layout in found
        if "applied_on" not in {c.field for c in layout.columns.values()}
    ]
    if missing:
        raise SpreadsheetError(
            f"{'、'.join(missing)}没有“申请日期”列：申请人名单须写明每人递交入团申请书的日期。"
            "请对照申请人导入模板检查。"
        )
    notes = [a.describe() for a in accounts_of(sheets, found)]
    body = body_rows(found, notes)
    lines = []
    for done, b in enumerate(body, start=1):
        lines.append(_line(b))
        if progress and done % 200 == 0 and not progress(done, len(body) * 2):
            raise ImportCancelled()
    return [layout for _, layout in found], lines, notes


@dataclass
class _Known:
    branches: dict[str, tuple[int, str]]
    default: tuple[int, str] | None
    applicants: set[str]
    members: dict[str, str]  # id number → name
    active: dict[str, list[int]]  # an active member's name → ids (mentors, sponsors)
    active_ids: set[int]
    probations: dict[int, list[tuple[date, date]]]


def _known(session: Session) -> _Known:
    rows = session.execute(
        select(Org.id, Org.name, Org.sector)
        .where(Org.kind == OrgKind.BRANCH.value, Org.closed_on.is_(None))
        .order_by(Org.position, Org.id)
    ).all()
    active_ids = active_member_ids(session)
    active: dict[str, list[int]] = {}
    for member_id, name in session.execute(select(Member.id, Member.name)):
        if member_id in active_ids:
            active.setdefault(name, []).append(member_id)
    return _Known(
        branches={branch_key(name): (id_, name) for id_, name, _ in rows},
        default=(rows[0][0], rows[0][1]) if rows else None,
        applicants=set(
            session.scalars(select(Applicant.id_number).where(Applicant.voided.is_(False)))
        ),
        members={
            number: name
            for number, name in session.execute(
                select(Member.id_number, Member.name).where(Member.voided.is_(False))
            )
        },
        active=active,
        active_ids=active_ids,
        probations=probations(session),
    )


def _branch(line: ApplicantLine, known: _Known, by_sheet: bool, result: ApplicantResult) -> None:
    text = line.values.get("branch", "")
    where = line.place("branch")
    if not text and (by_sheet or branch_key(line.sheet) in known.branches):
        text, where = line.sheet, f"工作表名“{line.sheet}”"
    if not text:
        if known.default is None:
            result.errors.append("没有可加入的团支部：请先在“设置”中建立团支部")
        else:
            result.branch_id, result.branch_name = known.default
        return
    found = known.branches.get(branch_key(text))
    if found is None:
        result.errors.append(f"{where}：“{text}”不是现有的团支部，请先在“设置”中建立")
    else:
        result.branch_id, result.branch_name = found


def _people(
    names: list[str], known: _Known, what: str, where: str, result: ApplicantResult
) -> list[dict[str, Any]]:
    """Mentors and sponsors by name: an active member of the roster when the name is
    theirs alone, else the name as written, with a warning to check it."""
    people = []
    for name in names:
        ids = known.active.get(name, [])
        if len(ids) == 1:
            people.append({"member_id": ids[0], "name": name})
            continue
        why = f"名册中有同名团员 {len(ids)} 人，无法确定是谁" if ids else "不是名册中在册的团员"
        result.warnings.append(f"{where}：{what}“{name}”{why}，按所写记录")
        people.append({"member_id": None, "name": name})
    return people


def _plan(
    line: ApplicantLine, profile: RuleProfile, known: _Known, today: date, result: ApplicantResult
) -> None:
    """The applicant's person fields and the steps to record, each judged as it happened."""
    v = line.values
    try:
        result.name = clean_name(v.get("name", ""), "姓名", "name", max_length=40)
    except ValidationError as error:
        result.errors.append(f"{line.place('name')}：{str(error).rstrip('。')}")
    if not v.get("id_number"):
        result.errors.append(f"{line.place('id_number')}：缺公民身份号码，请补填")
        return
    try:
        resident = idcard.parse(v["id_number"], today)
    except idcard.IdNumberError as error:
        result.errors.append(f"{line.place('id_number')}：{str(error).rstrip('。')}")
        return
    if resident.number in known.members:
        result.errors.append(
            f"{line.place('id_number')}：已是团员“{known.members[resident.number]}”，无需作为申请人导入"
        )
        return
    if resident.number in known.applicants:
        result.existing = True
        return
    dated = [(step, v.get(name)) for step, name in STEP_COLUMNS]
    if v.get("applied_on") is None:
        result.errors.append(f"{line.place('applied_on')}：请填写递交入团申请书的日期")
        return
    for (_, on), (_, name) in zip(dated, STEP_COLUMNS, strict=True):
        if on is not None and on > today:
            result.errors.append(f"{line.place(name)}：{on:%Y-%m-%d} 晚于今天")
    last = max(i for i, (_, on) in enumerate(dated) if on is not None)
    for i in range(last):
        step, on = dated[i]
        if on is None and step is not Step.TALK:
            later = STEP_COLUMNS[last][1]
            result.errors.append(
                f"{line.place(later)}：已填写，但{line.place(STEP_COLUMNS[i][1])}为空"
            )
    if result.errors:
        return
    mobile = normalise_mobile(v.get("mobile", "")) or None
    recommended = v.get("recommended_by", "member")
    result.person = {
        "name": result.name,
        "gender": resident.gender,
        "ethnicity": v.get("ethnicity", ""),
        "id_number": resident.number,
        "birth_date": resident.birth_date,
        "school": v.get("school") or None,
        "grade": v.get("grade") or None,
        "class_name": v.get("class_name") or None,
        "mobile": mobile,
        "recommended_by": recommended,
    }
    result.warnings += [
        f"{line.place('applied_on')}：{f.text}"
        for f in age_findings(profile, resident.birth_date, recommended, v["applied_on"])
    ]
    steps = [PlannedStep(Step.APPLICATION, v["applied_on"], {})]
    if v.get("talk_on"):
        steps.append(PlannedStep(Step.TALK, v["talk_on"], {}))
    if v.get("activist_on"):
        on = v["activist_on"]
        steps.append(PlannedStep(Step.ACTIVIST, on, {"approved_by": v.get("approved_by", "")}))
        for person in _people(
            v.get("mentors", []), known, "培养联系人", line.place("mentors"), result
        ):
            steps.append(PlannedStep(Step.MENTOR, on, person))
        if v.get("training_hours"):
            hours_on = v.get("candidate_on") or on
            steps.append(
                PlannedStep(
                    Step.TRAINING,
                    hours_on,
                    {"hours": v["training_hours"], "topic": "导入前累计学时"},
                )
            )
    elif v.get("mentors") or v.get("training_hours"):
        result.errors.append(
            f"{line.place('activist_on')}：有培养联系人或团课学时，须同时写明确定积极分子的日期"
        )
        return
    if v.get("candidate_on"):
        on = v["candidate_on"]
        steps.append(PlannedStep(Step.CANDIDATE, on, {}))
        for person in _people(
            v.get("sponsors", []), known, "入团介绍人", line.place("sponsors"), result
        ):
            steps.append(PlannedStep(Step.SPONSOR, on, person))
    elif v.get("sponsors"):
        result.errors.append(
            f"{line.place('candidate_on')}：有入团介绍人，须同时写明确定发展对象的日期"
        )
        return
    result.steps = _judged(profile, known, line, result, steps)


def _judged(
    profile: RuleProfile,
    known: _Known,
    line: ApplicantLine,
    result: ApplicantResult,
    steps: list[PlannedStep],
) -> list[PlannedStep]:
    """Each step against the rules as if recorded then: what breaks one is a warning."""
    places = {
        Step.TALK: "talk_on",
        Step.ACTIVIST: "activist_on",
        Step.CANDIDATE: "candidate_on",
        Step.MENTOR: "mentors",
        Step.SPONSOR: "sponsors",
        Step.TRAINING: "training_hours",
    }
    facts = ApplicantFacts(
        name=result.name,
        birth_date=result.person["birth_date"],
        recommended_by=result.person["recommended_by"],
        points_school=False,
        events=[EventView(0, Step.APPLICATION, steps[0].on, {}, [], "")],
        balance=Balance(),
        active_member_ids=known.active_ids,
        probations=known.probations,
    )
    for planned in steps[1:]:
        where = line.place(places[planned.step])
        for finding in step_findings(
            profile, facts, planned.step, planned.on, planned.details, history=True
        ):
            result.warnings.append(f"{where}：{finding.text}")
        facts.events.append(EventView(0, planned.step, planned.on, planned.details, [], ""))
    return steps


def _evaluate(
    session: Session, profile: RuleProfile, lines: list[ApplicantLine], today: date
) -> list[ApplicantResult]:
    known = _known(session)
    by_sheet = len({line.sheet for line in lines}) > 1
    seen: dict[str, str] = {}
    results = []
    for line in lines:
        result = ApplicantResult(
            line.sheet, line.row, line.values.get("name", ""), errors=list(line.errors)
        )
        if line.hidden:
            result.warnings.append("该行在 Excel 中是隐藏的：请确认是否应当导入")
        _branch(line, known, by_sheet, result)
        if not result.errors:
            _plan(line, profile, known, today, result)
        number = result.person.get("id_number")
        if number and number in seen:
            result.errors.append(f"{line.place('id_number')}：与{seen[number]}重复")
        elif number:
            seen[number] = f"“{line.sheet}”第 {line.row} 行" if by_sheet else f"第 {line.row} 行"
        results.append(result)
    return results


def preview_applicants(
    ctx: Context,
    path: Path,
    today: date | None = None,
    progress: Progress | None = None,
    mapping: dict[str, str] | None = None,
) -> ApplicantPreview:
    """Read the list and judge every row; writes nothing. `mapping`: a header as written
    → a field ("" to ignore it), as the secretary chose."""
    sheets = read_sheets(path)
    titles = mappings.titles_of(sheets, COLUMNS)
    if mapping is None:  # as the secretary mapped a file with the same headers before
        session = ctx.session
        mapping = mappings.recall(session, KIND, titles)
    layouts, lines, notes = read_applicants(sheets, progress, mapping)
    if not lines:
        where = "、".join(layout.describe() for layout in layouts)
        raise SpreadsheetError(f"文件 {path.name} 在表头之下没有数据（{where}）。")
    session = ctx.session
    rows = _evaluate(session, ctx.profile, lines, today or ctx.today)
    preview = ApplicantPreview(
        path,
        hashlib.sha256(path.read_bytes()).hexdigest(),
        layouts,
        notes,
        lines,
        rows,
        mapping or {},
        titles or layouts[0].titles,
    )
    if note := preview.ignored_note():
        notes.append(note)
    notes += [
        f"{layout.describe()}没有“推荐方式”列：均按“团员推荐”登记，少先队推优的请导入后逐人更正。"
        for layout in layouts
        if "recommended_by" not in layout.places
    ]
    notes.append("各步骤按名单所写日期补录；积分不补录，从导入之日起在积分台账中登记。")
    return preview


def commit_applicants(
    ctx: Context,
    preview: ApplicantPreview,
    today: date | None = None,
) -> Outcome[ApplicantReport]:
    """Every good row in one transaction, judged again against the data as it is now."""
    today = today or ctx.today
    now = clock.now_utc()
    session = ctx.session
    rows = _evaluate(session, ctx.profile, preview.parsed, today)
    if preview.mapping:
        mappings.remember(session, ctx.actor, KIND, preview.titles, preview.mapping)
    good = [r for r in rows if r.level in ("ok", "warning")]
    rejected = sum(r.level == "error" for r in rows)
    unchanged = len(rows) - len(good) - rejected
    if not good:
        return Outcome(ApplicantReport(None, 0, 0, rejected, unchanged), frozenset())
    batch = ImportBatch(
        file_name=preview.path.name,
        file_sha256=preview.sha256,
        imported_at=now,
        actor=ctx.actor,
        created_count=len(good),
        updated_count=0,
        kind=KIND,
    )
    session.add(batch)
    session.flush()
    recorded_at = now.isoformat(timespec="seconds")
    steps = 0
    for r in good:
        applicant = Applicant(
            branch_id=r.branch_id, search_key=name_key(r.name), voided=False, **r.person
        )
        session.add(applicant)
        session.flush()
        for planned in r.steps:
            session.add(
                StageEvent(
                    applicant_id=applicant.id,
                    step=planned.step.value,
                    on=planned.on,
                    details={**planned.details, "source": HISTORY, "row": r.row},
                    evidence=[],
                    recorded_by=ctx.actor,
                    recorded_at=recorded_at,
                    import_batch_id=batch.id,
                )
            )
            steps += 1
    audit.record(
        session,
        ctx.actor,
        "import_batch",
        batch.id,
        "import",
        after={
            "file": preview.path.name,
            "sha256": preview.sha256,
            "kind": KIND,
            "created": len(good),
            "rejected": rejected,
        },
    )
    return Outcome(ApplicantReport(batch.id, len(good), steps, rejected, unchanged), CHANGED)


def rollback_applicants(ctx: Context, batch_id: int) -> Outcome[BatchRow]:
    """Undo a whole applicant import: its applicants become void (kept for the record,
    gone from every list), unless something was recorded for one of them since."""
    session = ctx.session
    batch = batch_to_undo(session, batch_id, KIND)
    ids = set(
        session.scalars(
            select(StageEvent.applicant_id).where(StageEvent.import_batch_id == batch_id)
        )
    )
    for table in (StageEvent, PointsEntry, PublicityEntry, Objection):
        query = (
            select(Applicant.name)
            .join(table, table.applicant_id == Applicant.id)
            .where(Applicant.id.in_(ids))
        )
        if table is StageEvent:
            query = query.where(StageEvent.import_batch_id.is_(None))
        later = session.scalars(query).first()
        if later is not None:
            raise ValidationError(
                f"导入之后已为“{later}”办理了新的事项，不能整体撤销这一批；请逐人处理。"
            )
    promoted = session.scalar(
        select(Applicant.name).where(Applicant.id.in_(ids), Applicant.member_id.is_not(None))
    )
    if promoted is not None:
        raise ValidationError(f"“{promoted}”已经入团，不能撤销这一批导入。")
    for applicant in session.scalars(select(Applicant).where(Applicant.id.in_(ids))):
        applicant.voided = True
    batch.rolled_back_at = clock.now_utc()
    audit.record(
        session,
        ctx.actor,
        "import_batch",
        batch.id,
        "rollback",
        after={"applicants": len(ids)},
    )
    return Outcome(BatchRow.of(batch), CHANGED)


def describe(row: ApplicantResult) -> str:
    """One line for the report: where, verdict, reasons."""
    reasons = row.errors or row.warnings
    verdict = {
        "ok": "可导入",
        "warning": "可导入（有提示）",
        "error": "有错误，不导入",
        "same": "已是入团申请人，不再导入",
    }[row.level]
    stage = f"（至“{row.stage_text}”）" if row.stage_text else ""
    text = f"{row.where}  {row.name or '（无姓名）'}  {verdict}{stage}"
    return text + ("：" + "；".join(reasons) if reasons else "")
