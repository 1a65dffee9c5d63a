"""The importer against the ugly files secretaries send; each file's exact outcome."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from qzdesk.export.roster_excel import write_roster
from qzdesk.services import clock
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import records
from qzdesk.services.members.importer import (
    ImportCancelled,
    batches,
    commit_import,
    preview_import,
    rollback_import,
)
from qzdesk.services.members.spreadsheet import SpreadsheetError
from tests.desks import desk_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"
# The demo template is built with today's date; judge its members on the same day.
TODAY = clock.today()


def preview(store, profiles, name, **options):
    return desk_of(store).read(preview_import, FIXTURES / name, today=TODAY, **options)


def test_title_rows_aliases_and_date_formats(store, profiles):
    result = preview(store, profiles, "01-title-rows-aliases.xlsx")
    assert (result.sheet, result.header_row) == ("2025年团员", 5)
    assert [r.level for r in result.rows] == ["ok"] * 5
    assert [r.row for r in result.rows] == [6, 7, 8, 10, 11]  # the blank row 9 is skipped
    assert result.ignored == ["序号", "备注"]
    first, second, third, fourth, fifth = (r.draft for r in result.rows)
    assert (first.name, first.mobile, first.joined_on) == (
        "张三丰",
        "13800138000",
        date(2025, 5, 1),
    )
    assert second.name == "李娜" and second.id_number.endswith(second.id_number[-1].upper())
    assert [d.joined_on for d in (second, third, fourth, fifth)] == [
        date(2025, 7, 1),
        date(2025, 6, 1),
        date(2025, 5, 1),
        date(2025, 10, 1),
    ]
    assert fifth.id_number.startswith("620502")  # full-width digits
    branches = [r.branch_name for r in result.rows]
    assert branches == [
        "初三（1）班团支部",
        "初三（2）班团支部",
        "初三（1）班团支部",
        "初三（1）班团支部",
        "初三（1）班团支部",
    ]
    assert any("按组织的第一个团支部" in note for note in result.notes)
    # Every row of the sheet is accounted for: 2 title rows, the header, 5 members, 3 blank.
    assert result.notes[0] == (
        "工作表“2025年团员”共 11 行：表头之上的标题或说明 2 行、表头 1 行（第 5 行）、"
        "数据 5 行、空行 3 行。"
    )


EXPECTED_ERRORS = {
    2: "B 列（身份证号）：身份证号校验位不符",
    3: "B 列（身份证号）：这是 15 位旧身份证号",
    4: "E 列（团员编号）：团员编号前 4 位应为入团年份 2025（现为 2024）",
    6: "B 列（身份证号）：与第 5 行重复",
    7: "F 列（所在团支部）：“不存在的团支部”不是现有的团支部",
    8: "D 列（入团年月）：入团年月 2099-01 晚于今天",
    10: "C 列（性别）：与身份证号不符（身份证号为女性）",
    11: "D 列（入团年月）：入团时未满 14 周岁（出生于 2013-08-05）",
    12: "D 列（入团年月）：“明年五月”不是可识别的日期",
}


def test_each_bad_row_is_named_with_its_column_and_reason(store, profiles):
    result = preview(store, profiles, "02-row-errors.xlsx")
    errors = {r.row: r.errors for r in result.rows if r.level == "error"}
    assert set(errors) == set(EXPECTED_ERRORS)
    for row, expected in EXPECTED_ERRORS.items():
        assert len(errors[row]) == 1 and errors[row][0].startswith(expected), (row, errors[row])
    assert [r.row for r in result.rows if r.level == "ok"] == [5]


def test_legacy_ids_upgrade_only_when_asked(store, profiles):
    result = preview(store, profiles, "02-row-errors.xlsx", upgrade_legacy_ids=True)
    row3 = next(r for r in result.rows if r.row == 3)
    assert row3.level == "warning" and "已升级为 62050219110305131" in row3.warnings[0]


def test_an_old_xls_with_a_date_cell_and_an_id_stored_as_a_number(store, profiles):
    result = preview(store, profiles, "03-legacy-numeric-id.xls")
    good, bad = result.rows
    assert good.level == "ok" and good.draft.joined_on == date(2025, 4, 1)
    assert bad.errors == [
        "B 列（身份证号）：身份证号被 Excel 存成了数字（6.20502e+17），末几位已经丢失；"
        "请把该列设为“文本”格式后重新录入"
    ]


@pytest.mark.parametrize("name", ["04-gbk.csv", "05-utf8-bom.csv"])
def test_csv_in_gbk_and_utf8_with_bom(store, profiles, name):
    result = preview(store, profiles, name)
    assert [r.level for r in result.rows] == ["ok", "ok"]
    assert all(len(r.draft.name) == 2 for r in result.rows)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("06-csv-named-xlsx.xlsx", "扩展名是 .xlsx，但内容其实是 CSV 文本"),
        ("07-empty.csv", "是空的"),
        ("08-no-header.xlsx", "找不到表头"),
        ("09-truncated.xlsx", "已损坏"),
        ("10-header-only.xlsx", "没有数据"),
    ],
)
def test_unusable_files_get_a_clear_message(store, profiles, name, message):
    with pytest.raises(SpreadsheetError, match=message):
        preview(store, profiles, name)


def test_commit_writes_the_good_rows_in_one_batch_and_rollback_undoes_it(store, profiles):
    before = len(desk_of(store).read(records.roster))
    result = preview(store, profiles, "02-row-errors.xlsx")
    report = desk_of(store).write(commit_import, result, today=TODAY).value
    assert (report.created, report.rejected) == (1, 9)
    assert len(desk_of(store).read(records.roster)) == before + 1
    desk_of(store).write(rollback_import, report.batch_id, today=TODAY)
    assert len(desk_of(store).read(records.roster)) == before
    assert desk_of(store).read(batches)[0].rolled_back_at is not None
    with pytest.raises(ValidationError, match="已于"):
        desk_of(store).write(rollback_import, report.batch_id)


def test_existing_members_are_updated_only_when_chosen(store, profiles, tmp_path):
    someone = desk_of(store).read(records.roster)[2]
    path = tmp_path / "更新.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "手机号码"])
    book.active.append([someone.name, someone.id_number, "13900001111"])
    book.save(path)
    result = desk_of(store).read(preview_import, path, today=TODAY)
    assert result.rows[0].level == "update"
    assert result.rows[0].differences == {"mobile": [None, "13900001111"]}
    assert desk_of(store).write(commit_import, result, today=TODAY).value.updated == 0
    report = desk_of(store).write(commit_import, result, update_existing=True, today=TODAY).value
    assert report.updated == 1
    assert desk_of(store).read(records.member_record, someone.id).draft.mobile == "13900001111"
    desk_of(store).write(rollback_import, report.batch_id, today=TODAY)
    assert desk_of(store).read(records.member_record, someone.id).draft.mobile == ""


def test_rollback_is_refused_once_an_imported_member_changed(store, profiles):
    result = preview(store, profiles, "04-gbk.csv")
    report = desk_of(store).write(commit_import, result, today=TODAY).value
    imported = next(
        r for r in desk_of(store).read(records.roster) if r.name == result.rows[0].draft.name
    )
    record = desk_of(store).read(records.member_record, imported.id)
    record.draft.mobile = "13700000000"
    desk_of(store).write(records.update_member, imported.id, record.draft, TODAY)
    with pytest.raises(ValidationError, match="不能整体撤销"):
        desk_of(store).write(rollback_import, report.batch_id)


def test_cancelling_writes_nothing(store, profiles):
    before = desk_of(store).read(records.roster)
    result = preview(store, profiles, "04-gbk.csv")
    calls = []

    def stop(done, total):
        calls.append((done, total))
        return False

    with pytest.raises(ImportCancelled, match="没有写入任何数据"):
        desk_of(store).write(commit_import, result, today=TODAY, progress=stop)
    assert calls
    assert desk_of(store).read(batches) == [] and desk_of(store).read(records.roster) == before


def test_export_then_import_into_a_fresh_organisation_gives_the_same_roster(
    store, profiles, tmp_path, empty_store
):
    from qzdesk.services.demo.build import demo_request
    from qzdesk.services.setup import initialise

    path = tmp_path / "名册.xlsx"
    exported = desk_of(store).read(records.export_rows)
    assert write_roster(path, exported) == 43
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    id_cell = sheet.cell(row=2, column=5)
    assert (
        isinstance(id_cell.value, str) and len(id_cell.value) == 18 and id_cell.number_format == "@"
    )

    desk_of(empty_store, profiles).write(initialise, demo_request(TODAY))
    result = desk_of(empty_store).read(preview_import, path, today=TODAY)
    assert result.count("error") == 0
    desk_of(empty_store).write(commit_import, result, today=TODAY)
    again = desk_of(empty_store).read(records.export_rows)
    assert [(d, b) for d, b in again] == [(d, b) for d, b in exported]


def run_cli(*args, password: str | None = "qzdemo"):
    env = {k: v for k, v in os.environ.items() if not k.startswith("QZDESK_")}
    if password is not None:
        env["QZDESK_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "qzdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_cli_import_exit_codes_and_dry_run(data_dir):
    data = ["--data", str(data_dir)]
    dry = run_cli(
        "members", "import", str(FIXTURES / "02-row-errors.xlsx"), "--dry-run", "--json", *data
    )
    assert dry.returncode == 3, dry.stderr
    assert json.loads(dry.stdout)["created"] == 0
    good = run_cli(
        "members", "import", str(FIXTURES / "04-gbk.csv"), "--branch", "初三（2）班团支部", *data
    )
    assert good.returncode == 0, good.stderr
    assert "已导入 2 人" in good.stdout
    bad = run_cli("members", "import", str(FIXTURES / "08-no-header.xlsx"), *data)
    assert bad.returncode == 2 and "找不到表头" in bad.stderr
    unknown = run_cli(
        "members", "import", str(FIXTURES / "04-gbk.csv"), "--branch", "火星团支部", *data
    )
    assert unknown.returncode == 2 and "没有名为“火星团支部”的在册团支部" in unknown.stderr
    exported = run_cli("members", "export", str(data_dir / "out.xlsx"), *data)
    assert exported.returncode == 0 and "已导出 45 名团员" in exported.stdout


def test_the_bundled_template_is_what_the_importer_reads(store, profiles, tmp_path):
    from qzdesk.config import resources_dir
    from qzdesk.services.members.columns import COLUMNS

    template = resources_dir() / "templates" / "团员导入模板.xlsx"
    header = next(openpyxl.load_workbook(template).active.iter_rows(values_only=True))
    assert list(header) == [c.header for c in COLUMNS]
    with pytest.raises(SpreadsheetError, match="没有数据"):
        desk_of(store).read(preview_import, template, today=TODAY)


def test_a_rolled_back_import_can_be_imported_again(store, profiles):
    first = desk_of(store).write(commit_import, preview(store, profiles, "04-gbk.csv"), today=TODAY)
    desk_of(store).write(rollback_import, first.value.batch_id, today=TODAY)
    again = preview(store, profiles, "04-gbk.csv")
    assert [r.level for r in again.rows] == ["ok", "ok"]
    assert desk_of(store).write(commit_import, again, today=TODAY).value.created == 2


MONTH_ROSTER_ERRORS = {
    10: ["E 列（出生日期）：出生年月 2009-04 与身份证号（2009-03-14）不符"],
    11: ["F 列（身份证号）：身份证号校验位不符，可能有数字输错，请核对"],
    12: ["G 列（入团年月）：入团时未满 14 周岁（出生于 2011-06-20）"],
    13: ["H 列（团员编号）：团员编号前 4 位应为入团年份 2024（现为 2023）"],
    14: ["F 列（身份证号）：缺公民身份号码，请补填"],
    15: ["F 列（身份证号）：缺公民身份号码，请补填"],  # not "a duplicate of row 14"
}


def test_a_roster_kept_to_the_month_rejects_only_the_rows_with_real_mistakes(store, profiles):
    result = preview(store, profiles, "11-month-births.xlsx")
    errors = {r.row: r.errors for r in result.rows if r.errors}
    assert errors == MONTH_ROSTER_ERRORS
    # 2009-03, 2009.5, 2009年7月, 200911, a date cell shown as 年月, 2009.3 typed as a number
    # and 2009 alone: each agrees with its ID at the precision written.
    assert [r.row for r in result.rows if r.level == "ok"] == [3, 4, 5, 6, 7, 8]
    (warned,) = [r for r in result.rows if r.level == "warning"]
    assert warned.warnings == ["H 列（团员编号）：缺团员编号，请在智慧团建核对后补录"]
    assert {r.branch_name for r in result.rows} == {"初三（1）班团支部"}  # 初三(1)班, normalised
    assert "工作表“花名册”第 16 行是合计行，已跳过。" in result.notes


def test_one_sheet_per_class_with_new_classes_created_only_when_confirmed(store, profiles):
    from qzdesk.services.organisation import orgs

    kept = preview(store, profiles, "12-class-sheets.xlsx")
    assert kept.where == "工作表“初三(2)班”（表头在第 1、2 行）、工作表“初三(9)班”（表头在第 1 行）"
    by_name = {r.name: r for r in kept.rows}
    assert set(by_name) == {"刘备", "关羽", "张飞"}  # the notes sheet has no header: skipped
    assert by_name["刘备"].level == "ok"  # an apostrophe before the ID is Excel's text mark
    assert by_name["刘备"].branch_name == "初三（2）班团支部"
    assert by_name["张飞"].errors == [
        "工作表名“初三(9)班”：“初三(9)班”不是现有的团支部（确认要新建时，导入时选择新建团支部；"
        "命令行加 --create-branches）"
    ]
    report = desk_of(store).write(commit_import, kept, today=TODAY).value
    assert (report.created, report.rejected) == (2, 1)
    assert "初三（9）班团支部" not in {o.name for o in desk_of(store).read(orgs.list_orgs)}

    confirmed = preview(store, profiles, "12-class-sheets.xlsx", create_branches=True)
    assert confirmed.new_branches == ["初三（9）班团支部"]
    assert "将新建团支部：初三（9）班团支部。" in confirmed.notes
    report = desk_of(store).write(commit_import, confirmed, today=TODAY, create_branches=True).value
    assert report.created == 1
    new = next(o for o in desk_of(store).read(orgs.list_orgs) if o.name == "初三（9）班团支部")
    assert [m.name for m in desk_of(store).read(records.roster) if m.branch_id == new.id] == [
        "张飞"
    ]


def test_a_column_named_twice_is_refused_naming_both(store, profiles):
    with pytest.raises(SpreadsheetError, match=r"“身份证号”出现了两次（B 列和 D 列）"):
        preview(store, profiles, "13-repeated-header.xlsx")


def test_rejected_rows_go_back_to_excel_and_come_back_in(store, profiles, tmp_path):
    from qzdesk.export.rejects import write_rejects
    from qzdesk.services.members.idcard import check_char

    first = preview(store, profiles, "11-month-births.xlsx")
    desk_of(store).write(commit_import, first, today=TODAY)
    written, count = write_rejects(tmp_path / "有问题的行.xlsx", first)
    assert count == 7  # six rejected, one warned
    sheet = openpyxl.load_workbook(written)["花名册"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "身份证号",
        "入团年月",
        "团员编号",
        "所在团支部",
    ]
    assert header[-1] == "问题说明"
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    assert rows["王八"][-1].value == MONTH_ROSTER_ERRORS[10][0]
    assert rows["王八"][4].fill.fgColor.rgb.endswith("F4B6B6")  # the cell at fault, in red
    assert rows["王八"][5].fill.fgColor.rgb.endswith("000000")  # the rest left as it was

    # The secretary corrects them in Excel, then imports the same file again.
    def rid(born: str, order: int) -> str:
        first17 = f"620502{born}{order:03d}"
        return first17 + check_char(first17)

    rows["王八"][4].value = "2009-03"
    rows["冯九"][5].value = rid("20090314", 91)
    rows["陈十"][6].value, rows["陈十"][7].value = "2025-07", "202562058810"
    rows["褚十一"][7].value = "202462058811"
    rows["卫十二"][5].value = rid("20090201", 33)
    rows["蒋十三"][5].value = rid("20090202", 43)
    sheet.parent.save(written)
    again = desk_of(store).read(preview_import, written, today=TODAY)
    assert again.count("error") == 0 and "问题说明" not in again.ignored
    desk_of(store).write(commit_import, again, today=TODAY)
    names = {m.name for m in desk_of(store).read(records.roster)}
    everyone = {"赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七", "王八", "冯九", "陈十"}
    assert everyone | {"褚十一", "卫十二", "蒋十三"} <= names


def test_cli_writes_the_rejects_and_creates_branches_when_told(data_dir, tmp_path):
    data = ["--data", str(data_dir)]
    out = tmp_path / "rejects.xlsx"
    result = run_cli(
        "members",
        "import",
        str(FIXTURES / "11-month-births.xlsx"),
        "--rejects",
        str(out),
        "--json",
        *data,
    )
    assert result.returncode == 3, result.stderr
    assert json.loads(result.stdout)["rejects"] == {"file": str(out), "rows": 7}
    assert openpyxl.load_workbook(out)["花名册"].max_row == 8
    classes = run_cli(
        "members", "import", str(FIXTURES / "12-class-sheets.xlsx"), "--create-branches", *data
    )
    assert classes.returncode == 0, classes.stdout
    assert "已导入 3 人" in classes.stdout


def test_members_imported_without_a_number_are_listed_for_follow_up(store, profiles):
    from qzdesk.services.desk import Desk
    from qzdesk.services.todo import Target, todo

    def missing_lines():
        return [i for i in Desk(store, profiles).read(todo) if "缺团员编号" in i.text]

    assert missing_lines() == []
    desk_of(store).write(
        commit_import, preview(store, profiles, "11-month-births.xlsx"), today=TODAY
    )
    (line,) = missing_lines()
    assert line.text == "1 名 2017 年及以后入团的团员缺团员编号：请在智慧团建核对后补录"
    assert line.target is Target.ROSTER


# Header rows as two other sources write them: the member export of 智慧团建 and the 2013
# 团员信息采集 template, each with a member under it.
ID = "620502200904020170"
OTHER_SOURCES = {
    "智慧团建": {
        "团员姓名": "刘备",
        "性别": "男",
        "民族": "汉族",
        "身份证件号码": ID,
        "出生年月": "2009-04",
        "加入共青团时间": "2024-05",
        "团员证编号": "202462058831",
        "所属团组织": "初三（2）班团支部",
        "学习工作单位": "秦州区第五中学",
        "手机号码": "13800138000",
        "户籍所在地": "甘肃省天水市",
    },
    "团员信息采集": {
        "姓名": "刘备",
        "性别": "男",
        "民族": "汉族",
        "出生年月日": "2009-04-02",
        "公民身份号码": ID,
        "入团时间": "2024.5",
        "入团所在单位": "秦州区第五中学",
        "文化程度": "初中在读",
        "工作单位及职务": "秦州区第五中学学生",
        "联系方式": "13800138000",
        "户口所在地": "甘肃省天水市",
    },
}


@pytest.mark.parametrize("source", sorted(OTHER_SOURCES))
def test_headers_of_other_sources_are_read(store, profiles, tmp_path, source):
    from qzdesk.services.members.idcard import check_char

    assert ID[:17] + check_char(ID[:17]) == ID
    book = openpyxl.Workbook()
    book.active.append(list(OTHER_SOURCES[source]))
    book.active.append(list(OTHER_SOURCES[source].values()))
    path = tmp_path / f"{source}.xlsx"
    book.save(path)
    result = desk_of(store).read(preview_import, path, today=TODAY)
    assert result.ignored == []  # every column understood
    (row,) = result.rows
    assert row.level in ("ok", "warning"), row.errors
    draft = row.draft
    assert (draft.name, draft.joined_on, draft.mobile) == ("刘备", date(2024, 5, 1), "13800138000")
    assert draft.household == "甘肃省天水市" and draft.work_unit.startswith("秦州区第五中学")


def test_hidden_rows_and_columns_are_read_and_pointed_out(store, profiles, tmp_path):
    from qzdesk.services.members.idcard import check_char

    def rid(born: str, order: int) -> str:
        first17 = f"620502{born}{order:03d}"
        return first17 + check_char(first17)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "团员"
    sheet.append(["姓名", "身份证号", "入团年月", "团员编号"])
    sheet.append(["刘备", rid("20090402", 17), "2024-05", "202462058841"])
    sheet.append(["关羽", rid("20090612", 27), "2024-05", "202462058842"])
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["D"].hidden = True
    path = tmp_path / "隐藏.xlsx"
    book.save(path)
    result = desk_of(store).read(preview_import, path, today=TODAY)
    warned = {r.name: r.warnings for r in result.rows}
    assert warned == {"刘备": [], "关羽": ["该行在 Excel 中是隐藏的：请确认是否应当导入"]}
    assert "工作表“团员”中隐藏的列也已读取：D 列（团员编号）。" in result.notes


def test_members_just_imported_are_not_reported_as_long_unregistered(store, profiles):
    from qzdesk.services.meetings.evaluation import overdue_registrations

    report = (
        desk_of(store)
        .write(commit_import, preview(store, profiles, "11-month-births.xlsx"), today=TODAY)
        .value
    )
    imported = {
        r.id for r in desk_of(store).read(records.roster) if r.name in {"赵一", "钱二", "孙三"}
    }
    overdue = {o.member_id: o for o in desk_of(store, profiles).read(overdue_registrations, TODAY)}
    assert report.created == 7 and imported <= set(overdue)  # not registered this year yet
    # They joined in 2024, but their history here starts today: no card is void for it.
    assert not any(overdue[i].void for i in imported)


def test_the_command_line_asks_the_secretary_s_password(data_dir):
    from qzdesk.services import audit
    from qzdesk.services.storage.store import Store

    data = ["--data", str(data_dir)]
    out = str(data_dir / "名册.xlsx")
    unsigned = run_cli("members", "export", out, *data, password=None)
    assert unsigned.returncode == 2 and "QZDESK_PASSWORD" in unsigned.stderr
    wrong = run_cli("members", "export", out, *data, password="guess")
    assert wrong.returncode == 2 and "密码不正确" in wrong.stderr
    again = run_cli("members", "export", out, *data, password="guess")
    assert "已连续错误 2 次" in again.stderr  # the window's count, kept in the data
    good = run_cli(
        "members", "import", str(FIXTURES / "04-gbk.csv"), "--branch", "初三（2）班团支部", *data
    )
    assert good.returncode == 0, good.stderr
    with Store.open(data_dir, "tests") as store:
        assert desk_of(store).read(audit.recent, 1)[0].actor == "李文静（命令行）"


def test_a_first_person_whose_remark_reads_like_a_column_name_is_not_a_header(
    store, profiles, tmp_path
):
    """A university export with one header row: the first person's remark happens to be a
    column name (团员编号). They are a person, not a second header row, and nobody is
    dropped without a line saying so."""
    from qzdesk.services.members.idcard import check_char

    def rid(order: int) -> str:
        first17 = f"62050220060101{order:03d}"
        return first17 + check_char(first17)

    path = tmp_path / "大学导出.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["学号", "班级", "姓名", "性别", "身份证号", "入团时间", "备注"])
    sheet.append(["320001074", "计科2301", "赵一", "男", rid(11), "2021-05-04", "团员编号"])
    sheet.append(["320001075", "计科2301", "钱二", "女", rid(22), "2021-05-04", ""])
    book.save(path)
    result = desk_of(store).read(preview_import, path, today=TODAY)
    assert [r.name for r in result.rows] == ["赵一", "钱二"]
    assert "第 1 行" in result.where and "第 1、2 行" not in result.where
