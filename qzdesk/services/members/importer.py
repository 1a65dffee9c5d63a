"""Importing members from a spreadsheet: read, preview every row, commit in one transaction
as a batch that can be rolled back as a whole."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import ImportBatch, Member, MemberEvent, Org
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.errors import QzdeskError, ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.members import idcard
from qzdesk.services.members.columns import (
    HEADER_LOOKUP,
    CellError,
    Column,
    cell_text,
    column_letter,
    header_key,
    parse_date,
    parse_enum,
    parse_id_text,
)
from qzdesk.services.members.records import (
    add_event,
    apply_draft,
    changes_between,
    draft_of,
    from_audit_value,
    insert_many,
)
from qzdesk.services.members.spreadsheet import (
    Cell,
    Sheet,
    SpreadsheetError,
    iter_nonblank,
    read_sheets,
)
from qzdesk.services.members.validation import FIELD_LABELS, MemberDraft, Problem, check_member
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import active_profile
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import IdType, OrgKind

Progress = Callable[[int, int], bool]
HEADER_SCAN_ROWS = 30


class ImportCancelled(QzdeskError):
    def __init__(self) -> None:
        super().__init__("导入已取消，没有写入任何数据。")


@dataclass
class ParsedRow:
    sheet: str
    row: int
    draft: MemberDraft
    present: set[str]
    branch_text: str
    cell_errors: list[str]
    unreadable: set[str]
    legacy_id: str | None = None


@dataclass
class RowResult:
    sheet: str
    row: int
    name: str
    branch_name: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing_id: int | None = None
    differences: dict[str, list[Any]] = field(default_factory=dict)
    draft: MemberDraft | None = None
    branch_id: int | None = None

    @property
    def level(self) -> str:
        if self.errors:
            return "error"
        if self.existing_id is not None:
            return "update" if self.differences else "same"
        return "warning" if self.warnings else "ok"

    @property
    def where(self) -> str:
        return f"{self.sheet} 第 {self.row} 行"


LEVEL_LABELS = {
    "ok": "可导入",
    "warning": "可导入（有提示）",
    "error": "有错误，不导入",
    "update": "已有此人，信息不同",
    "same": "已有此人，信息相同",
}


@dataclass
class ImportPreview:
    path: Path
    sha256: str
    sheet: str
    header_row: int
    places: dict[str, str]
    ignored: list[str]
    default_branch: str | None
    notes: list[str]
    parsed: list[ParsedRow]
    rows: list[RowResult]

    def count(self, level: str) -> int:
        return sum(r.level == level for r in self.rows)

    @property
    def importable(self) -> int:
        return self.count("ok") + self.count("warning")


@dataclass(frozen=True)
class ImportReport:
    batch_id: int | None
    created: int
    updated: int
    rejected: int
    unchanged: int


def _find_header(sheets: list[Sheet]) -> tuple[Sheet, int, dict[int, Column]]:
    for sheet in sheets:
        for number, row in iter_nonblank(sheet.rows[:HEADER_SCAN_ROWS]):
            mapping = {
                i: HEADER_LOOKUP[k]
                for i, c in enumerate(row)
                if (k := header_key(c)) in HEADER_LOOKUP
            }
            fields_found = {c.field for c in mapping.values()}
            if {"name", "id_number"} <= fields_found:
                return sheet, number, mapping
    raise SpreadsheetError(
        "找不到表头：文件中应有一行列名，至少包括“姓名”和“身份证号”（或“公民身份号码”）。"
        "请对照导入模板检查。"
    )


def _parse_row(
    sheet: str, number: int, row: list[Cell], mapping: dict[int, Column], upgrade_legacy: bool
) -> ParsedRow:
    draft = MemberDraft()
    present: set[str] = set()
    errors: list[str] = []
    unreadable: set[str] = set()
    branch_text = ""
    legacy = None
    for index, column in mapping.items():
        value = row[index] if index < len(row) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        where = f"{column_letter(index)} 列（{column.header}）"
        try:
            if column.field == "branch":
                branch_text = cell_text(value)
                continue
            if column.kind == "date":
                parsed: Any = parse_date(value)
            elif column.kind == "id":
                parsed = parse_id_text(value, column.header)
            elif column.kind == "enum":
                parsed = parse_enum(column.field, value)
            else:
                parsed = cell_text(value)
        except CellError as error:
            errors.append(f"{where}：{error}")
            unreadable.add(column.field)
            continue
        if column.field == "id_number" and upgrade_legacy and len(idcard.normalise(parsed)) == 15:
            legacy = parsed
            try:
                parsed = idcard.upgrade_legacy(parsed)
            except idcard.IdNumberError as error:
                errors.append(f"{where}：{error}")
                unreadable.add(column.field)
                continue
        if parsed is not None:
            setattr(draft, column.field, parsed)
            present.add(column.field)
    if draft.id_number and not draft.id_number[0].isdigit() and "id_type" not in present:
        draft.id_type = IdType.OTHER
    return ParsedRow(sheet, number, draft, present, branch_text, errors, unreadable, legacy)


def read_rows(
    path: Path, progress: Progress | None = None, upgrade_legacy: bool = False
) -> tuple[Sheet, int, dict[int, Column], list[ParsedRow]]:
    sheets = read_sheets(path)
    sheet, header_row, mapping = _find_header(sheets)
    body = [(n, r) for n, r in iter_nonblank(sheet.rows) if n > header_row]
    parsed = []
    for done, (number, row) in enumerate(body, start=1):
        parsed.append(_parse_row(sheet.name, number, row, mapping, upgrade_legacy))
        if progress and done % 200 == 0 and not progress(done, len(body) * 2):
            raise ImportCancelled()
    return sheet, header_row, mapping, parsed


@dataclass
class _Context:
    branches: dict[str, tuple[int, str]]
    default: tuple[int, str] | None
    by_id_number: dict[str, int]
    by_member_no: dict[str, int]
    profile: RuleProfile


def _context(
    session: Session, profiles: dict[str, RuleProfile], branch_name: str | None
) -> _Context:
    rows = session.execute(
        select(Org.id, Org.name)
        .where(Org.kind == OrgKind.BRANCH.value, Org.closed_on.is_(None))
        .order_by(Org.position, Org.id)
    ).all()
    branches = {name: (id_, name) for id_, name in rows}
    default = None
    if branch_name:
        if branch_name not in branches:
            known = "、".join(branches) or "（无）"
            raise ValidationError(
                f"没有名为“{branch_name}”的在册团支部（现有：{known}）。", "branch"
            )
        default = branches[branch_name]
    elif rows:
        default = (rows[0][0], rows[0][1])
    members = session.execute(
        select(Member.id_number, Member.member_no, Member.id).where(Member.voided.is_(False))
    ).all()
    return _Context(
        branches,
        default,
        {m[0]: m[2] for m in members},
        {m[1]: m[2] for m in members if m[1]},
        active_profile(session, profiles),
    )


def _where(problem: Problem, places: dict[str, str]) -> str:
    """ "B 列（身份证号）：…" when the field came from a column, else "出生日期：…"."""
    place = places.get(problem.field)
    return f"{place}：{problem.message.rstrip('。')}" if place else problem.text


def _evaluate(
    session: Session,
    ctx: _Context,
    parsed: list[ParsedRow],
    today: date,
    progress: Progress | None,
    places: dict[str, str],
) -> list[RowResult]:
    results: list[RowResult] = []
    seen_ids: dict[str, int] = {}
    seen_nos: dict[str, int] = {}
    total = len(parsed)
    for done, p in enumerate(parsed, start=1):
        result = RowResult(p.sheet, p.row, p.draft.name, "", errors=list(p.cell_errors))
        if p.legacy_id:
            result.warnings.append(f"15 位旧身份证号 {p.legacy_id} 已升级为 {p.draft.id_number}")
        if p.branch_text:
            branch = ctx.branches.get(p.branch_text)
            if branch is None:
                where = places.get("branch", "所在团支部")
                result.errors.append(f"{where}：“{p.branch_text}”不存在或已撤销")
        else:
            branch = ctx.default
            if branch is None:
                result.errors.append("没有可加入的团支部：请先在“设置”中建立团支部")
        if branch:
            result.branch_id, result.branch_name = branch
        draft = p.draft
        existing_id = (
            ctx.by_id_number.get(idcard.normalise(draft.id_number)) if draft.id_number else None
        )
        if existing_id is not None:
            current = draft_of(session.get(Member, existing_id))
            merged = replace(current, **{f: getattr(draft, f) for f in p.present if f != "status"})
            draft = merged
        checked = check_member(draft, ctx.profile, today)
        key = checked.draft.id_number
        if key in seen_ids:
            result.errors.append(
                f"{places.get('id_number', '身份证号')}：与第 {seen_ids[key]} 行重复"
            )
        seen_ids.setdefault(key, p.row)
        number = checked.draft.member_no
        if number:
            owner = ctx.by_member_no.get(number)
            if owner is not None and owner != existing_id:
                result.errors.append(
                    f"{places.get('member_no', '团员编号')}：{number} 已被其他团员使用"
                )
            if number in seen_nos:
                result.errors.append(
                    f"{places.get('member_no', '团员编号')}：与第 {seen_nos[number]} 行重复"
                )
            seen_nos.setdefault(number, p.row)
        # A cell that could not be read already has its message; "missing" would repeat it.
        result.errors += [_where(x, places) for x in checked.errors if x.field not in p.unreadable]
        result.warnings += [_where(x, places) for x in checked.warnings]
        result.draft = checked.draft
        if existing_id is not None:
            result.existing_id = existing_id
            result.differences = changes_between(current, checked.draft)
        results.append(result)
        if progress and done % 200 == 0 and not progress(total + done, total * 2):
            raise ImportCancelled()
    return results


def preview_import(
    store: Store,
    path: Path,
    profiles: dict[str, RuleProfile],
    branch_name: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    upgrade_legacy_ids: bool = False,
) -> ImportPreview:
    """Read the file and judge every row; writes nothing."""
    sheet, header_row, mapping, parsed = read_rows(path, progress, upgrade_legacy_ids)
    if not parsed:
        raise SpreadsheetError(f"文件 {path.name} 在表头（第 {header_row} 行）之下没有数据。")
    header_cells = sheet.rows[header_row - 1]
    ignored = [
        cell_text(c) for i, c in enumerate(header_cells) if i not in mapping and cell_text(c)
    ]
    places = {c.field: f"{column_letter(i)} 列（{c.header}）" for i, c in mapping.items()}
    with store.transaction() as session:
        ctx = _context(session, profiles, branch_name)
        rows = _evaluate(session, ctx, parsed, today or clock.today(), progress, places)
    notes = []
    has_branch_column = any(c.field == "branch" for c in mapping.values())
    if ctx.default and (not has_branch_column or any(not p.branch_text for p in parsed)):
        how = "导入时选定" if branch_name else "未指定团支部，按组织的第一个团支部"
        notes.append(f"没有填写所在团支部的行将加入“{ctx.default[1]}”（{how}）。")
    if ignored:
        notes.append(f"以下列不认识，已忽略：{'、'.join(ignored)}。")
    return ImportPreview(
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        sheet=sheet.name,
        header_row=header_row,
        places=places,
        ignored=ignored,
        default_branch=ctx.default[1] if ctx.default else None,
        notes=notes,
        parsed=parsed,
        rows=rows,
    )


def commit_import(
    store: Store,
    preview: ImportPreview,
    profiles: dict[str, RuleProfile],
    update_existing: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
) -> Outcome[ImportReport]:
    """Write every good row in one transaction; rows are judged again against the data as
    it is now. Cancelling or any failure writes nothing."""
    today = today or clock.today()
    now = clock.now_utc()
    with store.transaction() as session:
        ctx = _context(
            session, profiles, preview.default_branch if preview.default_branch else None
        )
        rows = _evaluate(session, ctx, preview.parsed, today, progress, preview.places)
        new = [r for r in rows if r.level in ("ok", "warning")]
        changed = [r for r in rows if r.level == "update"] if update_existing else []
        rejected = sum(r.level == "error" for r in rows)
        unchanged = len(rows) - len(new) - len(changed) - rejected
        if not new and not changed:
            return Outcome(ImportReport(None, 0, 0, rejected, unchanged), frozenset())
        batch = ImportBatch(
            file_name=preview.path.name,
            file_sha256=preview.sha256,
            imported_at=now,
            actor=store.actor,
            created_count=len(new),
            updated_count=len(changed),
        )
        session.add(batch)
        session.flush()
        insert_many(
            session,
            store.actor,
            [(r.draft, r.branch_id) for r in new],
            "imported",
            today,
            [f"从 {preview.path.name} 第 {r.row} 行导入" for r in new],
            batch.id,
        )
        for r in changed:
            member = session.get(Member, r.existing_id)
            apply_draft(member, r.draft)
            add_event(
                session,
                store.actor,
                member,
                "import_updated",
                today,
                f"从 {preview.path.name} 第 {r.row} 行更新",
                r.differences,
                batch.id,
            )
        if progress and not progress(1, 1):
            raise ImportCancelled()
        audit.record(
            session,
            store.actor,
            "import_batch",
            batch.id,
            "import",
            after={
                "file": preview.path.name,
                "sha256": preview.sha256,
                "created": len(new),
                "updated": len(changed),
                "rejected": rejected,
            },
        )
        report = ImportReport(batch.id, len(new), len(changed), rejected, unchanged)
        return Outcome(report, frozenset({Topic.MEMBERS, Topic.AUDIT}))


@dataclass(frozen=True)
class BatchRow:
    id: int
    file_name: str
    imported_at: datetime
    actor: str
    created: int
    updated: int
    rolled_back_at: datetime | None


def batches(store: Store) -> list[BatchRow]:
    with store.transaction() as session:
        return [
            BatchRow(
                b.id,
                b.file_name,
                b.imported_at,
                b.actor,
                b.created_count,
                b.updated_count,
                b.rolled_back_at,
            )
            for b in session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()))
        ]


def rollback_import(store: Store, batch_id: int, today: date | None = None) -> Outcome[BatchRow]:
    """Undo a whole import: members it created are withdrawn from the roster (their rows
    stay, marked void), members it updated get their previous values back."""
    today = today or clock.today()
    with store.transaction() as session:
        batch = get_row(session, ImportBatch, batch_id, f"找不到第 {batch_id} 批导入。")
        if batch.rolled_back_at is not None:
            raise ValidationError(
                f"第 {batch_id} 批导入已于 {batch.rolled_back_at:%Y-%m-%d} 撤销。"
            )
        events = session.scalars(
            select(MemberEvent).where(MemberEvent.import_batch_id == batch_id)
        ).all()
        member_ids = {e.member_id for e in events}
        later = (
            session.scalars(
                select(MemberEvent).where(
                    MemberEvent.member_id.in_(member_ids),
                    MemberEvent.id > max(e.id for e in events),
                )
            ).first()
            if events
            else None
        )
        if later is not None:
            who = session.get(Member, later.member_id)
            raise ValidationError(
                f"导入之后“{who.name}”的信息又有变动（{later.on:%Y-%m-%d}），不能整体撤销；"
                "请逐人修改。"
            )
        for event in events:
            member = session.get(Member, event.member_id)
            if event.kind == "imported":
                member.voided = True
                detail = None
            else:
                draft = draft_of(member)
                for key, (old, _new) in (event.details or {}).items():
                    setattr(draft, key, from_audit_value(key, old))
                apply_draft(member, draft)
                detail = event.details
            add_event(
                session,
                store.actor,
                member,
                "import_rolled_back",
                today,
                f"撤销第 {batch_id} 批导入（{batch.file_name}）",
                detail,
                None,
            )
        batch.rolled_back_at = clock.now_utc()
        audit.record(
            session,
            store.actor,
            "import_batch",
            batch.id,
            "rollback",
            after={"members": len(member_ids)},
        )
        row = BatchRow(
            batch.id,
            batch.file_name,
            batch.imported_at,
            batch.actor,
            batch.created_count,
            batch.updated_count,
            batch.rolled_back_at,
        )
        return Outcome(row, frozenset({Topic.MEMBERS, Topic.AUDIT}))


def describe(row: RowResult) -> str:
    """One line for the report: where, verdict, reasons."""
    reasons = row.errors or row.warnings
    if row.level == "update":
        reasons = [
            f"{FIELD_LABELS.get(k, k)}：{v[0] or '（空）'} → {v[1] or '（空）'}"
            for k, v in row.differences.items()
        ]
    text = f"{row.where}  {row.name or '（无姓名）'}  {LEVEL_LABELS[row.level]}"
    return text + ("：" + "；".join(reasons) if reasons else "")
