"""Applicants brought in with their history: the list's exact outcome, steps as 补录
events, past rule breaks as warnings, rejects back to Excel and in again, undo."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from qzdesk.config import resources_dir
from qzdesk.export.rejects import write_rejects
from qzdesk.export.templates import TEMPLATES, write_template
from qzdesk.services.admission import applicants as service
from qzdesk.services.admission.importer import (
    commit_applicants,
    preview_applicants,
    rollback_applicants,
)
from qzdesk.services.admission.ledger import balances
from qzdesk.services.admission.stages import Stage, Step
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import records
from qzdesk.services.members.idcard import check_char
from qzdesk.services.members.importer import batches, rollback_import
from qzdesk.services.members.spreadsheet import SpreadsheetError
from qzdesk.services.organisation.settings import active_profile
from tests.desks import desk_of
from tests.unit.test_member_import import run_cli

FIXTURE = Path(__file__).parent.parent / "fixtures" / "imports" / "14-applicants-history.xlsx"
TODAY = date(2026, 12, 2)


def rid(born: str, order: int) -> str:
    first17 = f"620502{born}{order:03d}"
    return first17 + check_char(first17)


EXPECTED_ERRORS = {
    ("初三(1)班", 6): ["J 列（确定发展对象日期）：已填写，但G 列（确定积极分子日期）为空"],
    ("初三(1)班", 7): ["E 列（申请日期）：2099-01-01 晚于今天"],
    ("初三(2)班", 3): ["B 列（身份证号）：与“初三(1)班”第 3 行重复"],
    ("初三(2)班", 4): ["B 列（身份证号）：身份证号校验位不符，可能有数字输错，请核对"],
    ("初三(2)班", 5): ["C 列（申请日期）：只写到“2025-04”：步骤的日期请写到日（如 2025-09-15）"],
}


def test_a_list_with_history_previews_each_row_with_its_stage_and_reasons(store, profiles):
    preview = desk_of(store).read(preview_applicants, FIXTURE, today=TODAY)
    by_place = {(r.sheet, r.row): r for r in preview.rows}
    assert {k: r.errors for k, r in by_place.items() if r.errors} == EXPECTED_ERRORS
    assert [(r.name, r.level, r.stage_text) for r in preview.rows if not r.errors] == [
        ("王小明", "ok", "入团申请人"),
        ("李小红", "ok", "入团积极分子"),
        ("赵小刚", "warning", "发展对象"),
        ("周小华", "ok", "入团申请人"),
    ]
    # Past rule breaks are warnings naming the column, the rule and the figures.
    assert by_place[("初三(1)班", 5)].warnings == [
        "E 列（申请日期）：申请时未满 14 周岁（13 岁）",
        "I 列（培养联系人）：培养联系人“不在册的人”不是名册中在册的团员，按所写记录",
        "K 列（入团介绍人）：入团介绍人“某甲”不是名册中在册的团员，按所写记录",
        "K 列（入团介绍人）：入团介绍人“某乙”不是名册中在册的团员，按所写记录",
        "F 列（谈话日期）：谈话晚于规定：应在收到申请后 1 个月内（2024-10-10 前）谈话，已过 71 天",
        "J 列（确定发展对象日期）：考察期不足 3 个月：还差 28 天（2025-03-01 可确定为发展对象）",
        "J 列（确定发展对象日期）：团课学时 6/8",
    ]
    assert [r.branch_name for r in preview.rows if not r.errors] == [
        "初三（1）班团支部",
        "初三（1）班团支部",
        "初三（1）班团支部",
        "初三（2）班团支部",
    ]
    assert "以下列不认识，已忽略：序号、备注。" in preview.notes
    assert any("“初三(2)班”" in n and "没有“推荐方式”列" in n for n in preview.notes)


def test_importing_records_the_steps_as_dated_history_without_inventing_points(store, profiles):
    before = {a.id for a in desk_of(store, profiles).read(service.applicants)}
    preview = desk_of(store).read(preview_applicants, FIXTURE, today=TODAY)
    report = desk_of(store).write(commit_applicants, preview, today=TODAY).value
    assert (report.created, report.steps, report.rejected) == (4, 16, 5)
    rows = {
        a.name: a for a in desk_of(store, profiles).read(service.applicants) if a.id not in before
    }
    assert {n: a.stage for n, a in rows.items()} == {
        "王小明": Stage.APPLICANT,
        "李小红": Stage.ACTIVIST,
        "赵小刚": Stage.CANDIDATE,
        "周小华": Stage.APPLICANT,
    }
    assert rows["李小红"].recommended_by == "pioneer" and rows["王小明"].recommended_by == "member"
    assert rows["周小华"].applied_on == date(2025, 3, 1)  # an Excel date cell
    file = desk_of(store, profiles).read(service.applicant_file, rows["赵小刚"].id, today=TODAY)
    assert [(e.step, e.on) for e in file.events] == [
        (Step.APPLICATION, date(2024, 9, 10)),
        (Step.TALK, date(2024, 11, 20)),
        (Step.ACTIVIST, date(2024, 12, 1)),
        (Step.MENTOR, date(2024, 12, 1)),
        (Step.TRAINING, date(2025, 2, 1)),  # hours taken before candidacy
        (Step.CANDIDATE, date(2025, 2, 1)),
        (Step.SPONSOR, date(2025, 2, 1)),
        (Step.SPONSOR, date(2025, 2, 1)),
    ]
    assert all(e.details["source"] == "补录" for e in file.events)
    assert file.training_hours == 6
    with store.transaction() as session:
        points = balances(session, active_profile(session, profiles), [a.id for a in rows.values()])
    assert all(sum(b.stages.values()) == 0 for b in points.values())
    listed = desk_of(store).read(batches)[0]
    assert (listed.kind, listed.what, listed.created) == ("applicants", "入团申请人", 4)


def test_mentors_and_sponsors_named_on_the_roster_are_linked_to_the_member(
    store, profiles, tmp_path
):
    names = [r.name for r in desk_of(store).read(records.roster) if r.status.value == "active"]
    unique = [n for n in names if names.count(n) == 1][:3]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "申请日期", "谈话日期", "确定积极分子日期", "培养联系人"])
    sheet.append(["陈一", rid("20100301", 12), "2025-03-01", "2025-03-10", "2025-04-01", unique[0]])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    preview = desk_of(store).read(preview_applicants, path, today=TODAY)
    assert [r.level for r in preview.rows] == ["ok"]
    mentor = next(s for s in preview.rows[0].steps if s.step is Step.MENTOR)
    assert mentor.details["name"] == unique[0] and isinstance(mentor.details["member_id"], int)


def test_rejected_rows_fixed_in_excel_come_back_and_every_row_ends_in(store, profiles, tmp_path):
    first = desk_of(store).read(preview_applicants, FIXTURE, today=TODAY)
    desk_of(store).write(commit_applicants, first, today=TODAY)
    rejects, count = write_rejects(tmp_path / "有问题的行.xlsx", first)
    assert count == 6  # five errors and one warning
    book = openpyxl.load_workbook(rejects)
    fixes = {
        "孙小丽": {"确定为入团积极分子日期": "2025-03-15", "谈话时间": "2025-03-05"},
        "钱小军": {"递交入团申请书日期": "2025-01-01"},
        "吴小东": {"身份证号": rid("20110305", 99)},
        "郑小西": {"身份证号": rid("20110506", 77)},
        "冯小南": {"申请日期": "2025-04-01"},
    }
    for sheet in book:
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for title, value in fixes.get(row[header.index("姓名")].value, {}).items():
                row[header.index(title)].value = value
    book.save(rejects)
    again = desk_of(store).read(preview_applicants, rejects, today=TODAY)
    # Fixed rows come in (a rule the past broke still warns); the warned row that went in
    # the first time is recognised.
    assert {r.name: r.level for r in again.rows} == {
        "赵小刚": "same",
        "孙小丽": "warning",
        "钱小军": "warning",
        "吴小东": "ok",
        "郑小西": "warning",
        "冯小南": "warning",
    }
    assert desk_of(store).write(commit_applicants, again, today=TODAY).value.created == 5
    listed = {a.name for a in desk_of(store, profiles).read(service.applicants)}
    assert {
        "王小明",
        "李小红",
        "赵小刚",
        "周小华",
        "孙小丽",
        "钱小军",
        "吴小东",
        "郑小西",
    } <= listed
    assert "冯小南" in listed


def test_an_applicant_import_is_undone_as_a_whole_and_can_come_again(store, profiles):
    report = (
        desk_of(store)
        .write(
            commit_applicants,
            desk_of(store).read(preview_applicants, FIXTURE, today=TODAY),
            today=TODAY,
        )
        .value
    )
    with pytest.raises(ValidationError, match="入团申请人，不是团员"):
        desk_of(store).write(rollback_import, report.batch_id)
    desk_of(store).write(rollback_applicants, report.batch_id)
    assert "王小明" not in {a.name for a in desk_of(store, profiles).read(service.applicants)}
    with pytest.raises(ValidationError, match="已于"):
        desk_of(store).write(rollback_applicants, report.batch_id)
    again = (
        desk_of(store)
        .write(
            commit_applicants,
            desk_of(store).read(preview_applicants, FIXTURE, today=TODAY),
            today=TODAY,
        )
        .value
    )
    assert again.created == 4
    # Once something new is recorded for one of them, the batch stays.
    ming = next(a for a in desk_of(store, profiles).read(service.applicants) if a.name == "王小明")
    desk_of(store, profiles).write(
        service.record_step, ming.id, Step.ACTIVIST, TODAY, {"approved_by": "区团委"}
    )
    with pytest.raises(ValidationError, match="王小明"):
        desk_of(store).write(rollback_applicants, again.batch_id)


def test_a_member_is_not_imported_as_an_applicant(store, profiles, tmp_path):
    member = desk_of(store).read(records.roster)[0]
    id_number = member.id_number
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "申请日期"])
    book.active.append([member.name, id_number, "2025-03-01"])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    row = desk_of(store).read(preview_applicants, path, today=TODAY).rows[0]
    assert row.errors == [f"B 列（身份证号）：已是团员“{member.name}”，无需作为申请人导入"]


def test_a_list_without_application_dates_is_refused_whole(store, profiles, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "谈话日期"])
    book.active.append(["陈一", rid("20100301", 12), "2025-03-10"])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    with pytest.raises(SpreadsheetError, match="没有“申请日期”列"):
        desk_of(store).read(preview_applicants, path, today=TODAY)


def test_the_cli_imports_a_list_with_the_usual_exit_codes(data_dir, tmp_path):
    data = ("--data", str(data_dir))
    dry = run_cli("applicants", "import", str(FIXTURE), "--dry-run", "--json", *data)
    assert dry.returncode == 3
    payload = json.loads(dry.stdout)
    assert payload["created"] == 0 and len(payload["rows"]) == 9
    rejects = tmp_path / "rejects.xlsx"
    done = run_cli("applicants", "import", str(FIXTURE), "--rejects", str(rejects), *data)
    assert done.returncode == 3 and "已导入 4 名申请人，补录 16 个步骤" in done.stdout
    assert rejects.exists()
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "申请日期"])
    book.active.append(["陈一", rid("20100301", 12), "2025-03-01"])
    good = tmp_path / "good.xlsx"
    book.save(good)
    assert run_cli("applicants", "import", str(good), *data).returncode == 0
    bad = tmp_path / "bad.xlsx"
    openpyxl.Workbook().save(bad)
    assert run_cli("applicants", "import", str(bad), *data).returncode == 2


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_bundled_templates_are_what_the_code_writes(name, tmp_path):
    columns, help_lines = TEMPLATES[name]
    fresh = write_template(tmp_path / name, columns, help_lines)

    def content(path):
        book = openpyxl.load_workbook(path)
        return [[list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book]

    assert content(resources_dir() / "templates" / name) == content(fresh)
    assert content(fresh)[0][0] == [c.header for c in columns]
