"""Importing members from a spreadsheet: read, preview every row, commit in one transaction
as a batch that can be rolled back as a whole."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import ImportBatch, Member, MemberEvent, Org
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.members import idcard, mappings
from qzdesk.services.members.columns import COLUMNS, lookup_of
from qzdesk.services.members.layout import (
    ImportCancelled,
    Layout,
    ParsedRow,
    Progress,
    read_book,
)
from qzdesk.services.members.records import (
    add_event,
    apply_draft,
    changes_between,
    draft_of,
    from_audit_value,
    insert_many,
)
from qzdesk.services.members.spreadsheet import SpreadsheetError, read_sheets
from qzdesk.services.members.validation import (
    FIELD_LABELS,
    MemberDraft,
    Problem,
    check_member,
    year_from_member_no,
)
from qzdesk.services.names import tidy
from qzdesk.services.organisation.orgs import create_org
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import Key, active_profile, read
from qzdesk.vocabulary import OrgKind, Sector

KIND = "members"


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
    new_branch: str | None = None  # to be created on import, the secretary agreeing
    notes: list[str] = field(default_factory=list)  # what the import will do, agreed: no problem
    defaulted: bool = False  # no branch named: the chosen or the first one
    year_hint: int | None = None  # 入团年月 unknown, the 团员编号 shows the year

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


class PreviewCounts:
    """What every import preview says of itself: its sheets and its rows' verdicts."""

    layouts: list[Layout]
    rows: Sequence[Any]

    def count(self, level: str) -> int:
        return sum(r.level == level for r in self.rows)

    @property
    def importable(self) -> int:
        return self.count("ok") + self.count("warning")

    @property
    def sheet(self) -> str:
        return self.layouts[0].sheet

    @property
    def where(self) -> str:
        return "、".join(layout.describe() for layout in self.layouts)

    @property
    def ignored(self) -> list[str]:
        return list(dict.fromkeys(text for layout in self.layouts for text in layout.ignored))

    def mapped_to(self, title: str) -> str | None:
        """The field a header is read as (None: not read), by hand or by its meaning."""
        layout = self.layouts[0]
        return next(
            (
                c.field
                for i, c in layout.columns.items()
                if i < len(layout.titles) and layout.titles[i] == title
            ),
            None,
        )

    def ignored_note(self) -> str:
        """以下列不认识… with the nearest fields of each, or "" when every column is known."""
        shown = list(dict.fromkeys(t for layout in self.layouts for t in layout.ignored_text()))
        return f"以下列不认识，已忽略：{'、'.join(shown)}。" if shown else ""


@dataclass
class ImportPreview(PreviewCounts):
    path: Path
    sha256: str
    layouts: list[Layout]
    default_branch: str | None
    chosen_branch: str | None
    notes: list[str]
    parsed: list[ParsedRow]
    rows: list[RowResult]
    mapping: dict[str, str] = field(default_factory=dict)  # by hand: header → field
    titles: list[str] = field(default_factory=list)  # the headers, as the mapping is keyed

    @property
    def header_row(self) -> int:
        return self.layouts[0].header_row

    @property
    def year_hints(self) -> int:
        """Rows without 入团年月 whose 团员编号 shows the year (to accept, 据团员编号)."""
        return sum(1 for r in self.rows if r.year_hint and not r.errors)

    @property
    def new_branches(self) -> list[str]:
        return sorted({r.new_branch for r in self.rows if r.new_branch and not r.errors})


@dataclass(frozen=True)
class ImportReport:
    batch_id: int | None
    created: int
    updated: int
    rejected: int
    unchanged: int


def branch_key(name: str) -> str:
    """高一(3)班 and 高一（3）班团支部 name one branch."""
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", name))
    return text.removesuffix("团支部").removesuffix("支部")


def branch_name_for(sheet_or_cell: str) -> str:
    """The name a new branch gets: full-width brackets and the 团支部 suffix, as the
    organisation tree writes them."""
    text = tidy(sheet_or_cell).replace("(", "（").replace(")", "）")
    return text if text.endswith("支部") else f"{text}团支部"


@dataclass
class _Known:
    branches: dict[str, tuple[int, str]]  # by branch_key
    above: set[str]  # the organisation itself and its committee, by branch_key
    default: tuple[int, str] | None
    chosen: tuple[int, str] | None  # the branch the secretary chose for the import
    root_is_branch: bool
    by_id_number: dict[str, int]
    by_member_no: dict[str, int]
    profile: RuleProfile


def _context(session: Session, profiles: dict[str, RuleProfile], branch_name: str | None) -> _Known:
    rows = session.execute(
        select(Org.id, Org.name)
        .where(Org.kind == OrgKind.BRANCH.value, Org.closed_on.is_(None))
        .order_by(Org.position, Org.id)
    ).all()
    branches = {branch_key(name): (id_, name) for id_, name in rows}
    default = None
    if branch_name:
        if branch_key(branch_name) not in branches:
            known = "、".join(name for _, name in rows) or "（无）"
            raise ValidationError(
                f"没有名为“{branch_name}”的在册团支部（现有：{known}）。", "branch"
            )
        default = branches[branch_key(branch_name)]
    elif rows:
        default = (rows[0][0], rows[0][1])
    members = session.execute(
        select(Member.id_number, Member.member_no, Member.id).where(Member.voided.is_(False))
    ).all()
    root_kind, root_name = session.execute(
        select(Org.kind, Org.name).where(Org.parent_id.is_(None))
    ).one()
    parent = read(session, Key.PARENT_ORG, "")
    return _Known(
        branches,
        {branch_key(n) for n in (root_name, parent) if n} - set(branches),
        default,
        default if branch_name else None,
        root_kind == OrgKind.BRANCH.value,
        {m[0]: m[2] for m in members},
        {m[1]: m[2] for m in members if m[1]},
        active_profile(session, profiles),
    )


def _where(problem: Problem, places: dict[str, str]) -> str:
    """ "B 列（身份证号）：…" when the field came from a column, else "出生日期：…"."""
    place = places.get(problem.field)
    return f"{place}：{problem.message.rstrip('。')}" if place else problem.text


def _branch_of(
    p: ParsedRow, known: _Known, by_sheet: bool, create_branches: bool, result: RowResult
) -> None:
    """The row's branch: its 所在团支部 cell, else the branch chosen for the import, else
    its sheet's name (one sheet per class), else the organisation's first branch."""
    text, where = p.branch_text, p.layout.places.get("branch", "所在团支部")
    if not text and known.chosen is None and (by_sheet or branch_key(p.sheet) in known.branches):
        text, where = p.sheet, f"工作表名“{p.sheet}”"
    key = branch_key(text)
    # No branch given, or 所在组织 naming the organisation or its committee: the default.
    if not text or key in known.above:
        if known.default is None:
            result.errors.append("没有可加入的团支部：请先在“设置”中建立团支部")
        else:
            result.branch_id, result.branch_name = known.default
            result.defaulted = True
        return
    found = known.branches.get(key) or _by_distinctive_part(key, known.branches)
    if found is not None:
        result.branch_id, result.branch_name = found
        return
    name = branch_name_for(text)
    if known.root_is_branch:
        result.errors.append(f"{where}：“{text}”不是本团支部；团支部之下不能新建团支部")
    elif create_branches and BRANCH_LIKE.search(key):
        result.new_branch = result.branch_name = name
        result.notes.append(f"将新建团支部“{name}”")
    elif create_branches:
        result.errors.append(
            f"{where}：“{text}”看起来不是一个团支部的名称（如“高一（3）班”“东关村”），"
            "不会为它新建团支部"
        )
    else:
        result.errors.append(
            f"{where}：“{text}”不是现有的团支部（确认要新建时，导入时选择新建团支部；"
            "命令行加 --create-branches）"
        )


# What a branch is called after: a class, a village or community, a workshop or an office.
BRANCH_LIKE = re.compile(r"(支部|班|级|村|社区|组|队|车间|科|室|部|站|所|院|中心|公司|厂)$")


def _by_distinctive_part(key: str, branches: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    """A full name (共青团天水市第一中学高二（3）班团支部) matches the branch it ends
    with (高二（3）班团支部): the longest such, so 高二（3）班 never takes （3）班's rows."""
    ends = [known for known in branches if len(known) >= 2 and key.endswith(known)]
    return branches[max(ends, key=len)] if ends else None


def _evaluate(
    session: Session,
    known: _Known,
    parsed: list[ParsedRow],
    today: date,
    progress: Progress | None,
    create_branches: bool,
    accept_years: bool = False,
) -> list[RowResult]:
    results: list[RowResult] = []
    seen_ids: dict[str, str] = {}
    seen_nos: dict[str, str] = {}
    total = len(parsed)
    by_sheet = len({p.sheet for p in parsed}) > 1
    for done, p in enumerate(parsed, start=1):
        places = p.layout.places
        result = RowResult(p.sheet, p.row, p.draft.name, "", errors=list(p.cell_errors))
        if p.hidden:
            result.warnings.append("该行在 Excel 中是隐藏的：请确认是否应当导入")
        if p.legacy_id:
            result.warnings.append(f"15 位旧身份证号 {p.legacy_id} 已升级为 {p.draft.id_number}")
        _branch_of(p, known, by_sheet, create_branches, result)
        draft = p.draft
        existing_id = (
            known.by_id_number.get(idcard.normalise(draft.id_number)) if draft.id_number else None
        )
        if existing_id is not None:
            current = draft_of(session.get(Member, existing_id))
            merged = replace(current, **{f: getattr(draft, f) for f in p.present if f != "status"})
            draft = merged
        shown = None if draft.joined_on else year_from_member_no(draft.member_no, known.profile)
        if accept_years and shown and draft.joined_year is None:
            draft = replace(draft, joined_year=shown)
        result.year_hint = shown if draft.joined_year is None else None
        checked = check_member(draft, known.profile, today)
        key = checked.draft.id_number
        if key and key in seen_ids:
            result.errors.append(f"{places.get('id_number', '身份证号')}：与{seen_ids[key]}重复")
        if key:
            seen_ids.setdefault(key, f"“{p.sheet}”第 {p.row} 行" if by_sheet else f"第 {p.row} 行")
        number = checked.draft.member_no
        if number:
            owner = known.by_member_no.get(number)
            if owner is not None and owner != existing_id:
                result.errors.append(
                    f"{places.get('member_no', '团员编号')}：{number} 已被其他团员使用"
                )
            if number in seen_nos:
                result.errors.append(
                    f"{places.get('member_no', '团员编号')}：与{seen_nos[number]}重复"
                )
            seen_nos.setdefault(number, f"第 {p.row} 行")
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
    ctx: Context,
    path: Path,
    branch_name: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    upgrade_legacy_ids: bool = False,
    create_branches: bool = False,
    mapping: dict[str, str] | None = None,
) -> ImportPreview:
    """Read the file and judge every row; writes nothing. With `create_branches`, rows of
    an unknown branch (a sheet named after a new class) are shown as 将新建团支部;
    `mapping` (a header as written → a field, "" to ignore it) is the secretary's."""
    sheets = read_sheets(path)
    titles = mappings.titles_of(sheets, COLUMNS)
    if mapping is None:  # as the secretary mapped a file with the same headers before
        session = ctx.session
        mapping = mappings.recall(session, KIND, titles)
    book = read_book(sheets, progress, upgrade_legacy_ids, lookup_of(COLUMNS, mapping))
    if not book.rows:
        where = "、".join(layout.describe() for layout in book.layouts)
        raise SpreadsheetError(f"文件 {path.name} 在表头之下没有数据（{where}）。")
    session = ctx.session
    known = _context(session, dict(ctx.profiles), branch_name)
    rows = _evaluate(session, known, book.rows, today or ctx.today, progress, create_branches)
    notes = [a.describe() for a in book.accounts] + book.notes
    if known.default is not None and any(r.defaulted for r in rows):
        how = "导入时选定" if branch_name else "未指定团支部，按组织的第一个团支部"
        notes.append(f"没有填写所在团支部的行将加入“{known.default[1]}”（{how}）。")
    preview = ImportPreview(
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        layouts=book.layouts,
        default_branch=known.default[1] if known.default else None,
        chosen_branch=branch_name,
        notes=notes,
        parsed=book.rows,
        rows=rows,
        mapping=mapping or {},
        titles=titles or book.layouts[0].titles,
    )
    if note := preview.ignored_note():
        notes.append(note)
    if preview.new_branches:
        notes.append(f"将新建团支部：{'、'.join(preview.new_branches)}。")
    if preview.year_hints:
        notes.append(
            f"{preview.year_hints} 人缺入团年月，其团员编号显示了入团年份：可选择“采用团员编号"
            "所示的入团年份”，记入年份（标注“据团员编号”），月份仍待补录。"
        )
    return preview


def _create_branches(session: Session, actor: str, rows: list[RowResult], on: date) -> None:
    """The new classes' branches, under the organisation, before their members go in."""
    names = sorted({r.new_branch for r in rows if r.new_branch and not r.errors})
    if not names:
        return
    root = session.scalars(select(Org).where(Org.parent_id.is_(None))).one()
    created = {
        name: create_org(
            session,
            actor,
            parent=root,
            kind=OrgKind.BRANCH,
            sector=Sector(root.sector),
            name=name,
            created_on=on,
        ).id
        for name in names
    }
    for r in rows:
        if r.new_branch in created:
            r.branch_id = created[r.new_branch]


def commit_import(
    ctx: Context,
    preview: ImportPreview,
    update_existing: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    create_branches: bool = False,
    accept_years: bool = False,
) -> Outcome[ImportReport]:
    """Write every good row in one transaction; rows are judged again against the data as
    it is now. The branches of new classes are created only with `create_branches`; else
    their rows are rejected. With `accept_years`, a row without 入团年月 takes the year
    its 团员编号 shows (据团员编号). Cancelling or any failure writes nothing."""
    today = today or ctx.today
    now = clock.now_utc()
    session = ctx.session
    known = _context(session, dict(ctx.profiles), preview.chosen_branch)
    rows = _evaluate(session, known, preview.parsed, today, progress, create_branches, accept_years)
    _create_branches(session, ctx.actor, rows, today)
    if preview.mapping:
        mappings.remember(session, ctx.actor, KIND, preview.titles, preview.mapping)
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
        actor=ctx.actor,
        created_count=len(new),
        updated_count=len(changed),
    )
    session.add(batch)
    session.flush()
    insert_many(
        session,
        ctx.actor,
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
            ctx.actor,
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
        ctx.actor,
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
    kind: str = "members"  # | applicants

    @property
    def what(self) -> str:
        return KIND_LABELS[self.kind]

    @classmethod
    def of(cls, b: ImportBatch) -> BatchRow:
        return cls(
            b.id,
            b.file_name,
            b.imported_at,
            b.actor,
            b.created_count,
            b.updated_count,
            b.rolled_back_at,
            b.kind,
        )


KIND_LABELS = {"members": "团员", "applicants": "入团申请人"}


def batches(ctx: Context) -> list[BatchRow]:
    session = ctx.session
    return [
        BatchRow.of(b) for b in session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()))
    ]


def batch_to_undo(session: Session, batch_id: int, kind: str) -> ImportBatch:
    """The batch an undo of `kind` may act on: it exists, holds that kind, is not undone."""
    batch = get_row(session, ImportBatch, batch_id, f"找不到第 {batch_id} 批导入。")
    if batch.kind != kind:
        raise ValidationError(
            f"第 {batch_id} 批导入的是{KIND_LABELS[batch.kind]}，不是{KIND_LABELS[kind]}。"
        )
    if batch.rolled_back_at is not None:
        raise ValidationError(f"第 {batch_id} 批导入已于 {batch.rolled_back_at:%Y-%m-%d} 撤销。")
    return batch


def rollback_import(ctx: Context, batch_id: int, today: date | None = None) -> Outcome[BatchRow]:
    """Undo a whole import: members it created are withdrawn from the roster (their rows
    stay, marked void), members it updated get their previous values back."""
    today = today or ctx.today
    session = ctx.session
    batch = batch_to_undo(session, batch_id, "members")
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
            f"导入之后“{who.name}”的信息又有变动（{later.on:%Y-%m-%d}），不能整体撤销；请逐人修改。"
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
            ctx.actor,
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
        ctx.actor,
        "import_batch",
        batch.id,
        "rollback",
        after={"members": len(member_ids)},
    )
    return Outcome(BatchRow.of(batch), frozenset({Topic.MEMBERS, Topic.AUDIT}))


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
