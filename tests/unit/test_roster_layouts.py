"""Rosters as other systems write them: a university export with one header row, a
provincial 智慧团建 list, a village 花名册 without ID numbers, an applicants list with its
own spelling of a column, a county sheet naming the committee as the organisation; and,
over generated sheets, every data row accounted for and headers matched by meaning."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qzdesk.services.demo.people import PeopleMaker
from qzdesk.services.members import idcard
from qzdesk.services.members.columns import COLUMNS, HEADER_LOOKUP, CellError, mapping_from
from qzdesk.services.members.importer import preview_import
from qzdesk.services.members.layout import read_book
from qzdesk.services.members.spreadsheet import read_sheets
from qzdesk.services.members.validation import MemberDraft
from tests.desks import desk_of

TODAY = date(2026, 12, 4)


def people(n: int, seed: int = 7) -> list[MemberDraft]:
    """Made-up young villagers with valid ID numbers, their birth and sex as those say."""
    maker = PeopleMaker(seed=seed)
    found = []
    for i in range(n):
        person = maker.villager(TODAY, 20 + i % 6, "东关村")
        parsed = idcard.parse(person.id_number, TODAY)
        person.birth_date, person.gender = parsed.birth_date, parsed.gender
        found.append(person)
    return found


def write(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_university_export_loses_no_member(store, profiles, tmp_path):
    """One header row, then a first student whose 学号, 学历 and 是否团干部 read like no
    column name: never a second header row."""
    header = ["学号", "班级", "姓名", "性别", "身份证号", "民族", "政治面貌", "入党时间"]
    header += ["入团时间", "学历", "是否团干部"]
    rows = [
        [
            f"3200010{70 + i}",
            "2024级计算机1班",
            p.name,
            p.gender,
            p.id_number,
            p.ethnicity,
            "共青团员",
            "",
            f"{p.joined_on:%Y-%m}",
            "大学本科",
            "否",
        ]
        for i, p in enumerate(people(4))
    ]
    path = write(tmp_path / "大学团员导出.xlsx", [header, *rows])
    result = desk_of(store).read(preview_import, path, today=TODAY)
    assert result.layouts[0].header_rows == (1,)
    assert [r.row for r in result.rows] == [2, 3, 4, 5]
    assert result.importable == 4
    assert result.rows[0].draft.education_highest == "大学本科"
    assert "学号" in result.ignored and "是否团干部" in result.ignored


def test_a_provincial_export_s_spellings_are_understood(store, profiles, tmp_path):
    header = ["序号", "姓名", "性别", "民族", "证件类型", "公民身份号码", "政治面貌"]
    header += ["入团年月", "团员编号", "学历"]
    rows = [
        [
            i + 1,
            p.name,
            {"男": "1", "女": "2"}[p.gender],
            p.ethnicity.removesuffix("族"),  # 汉, as some lists write it
            "普通居民身份证",
            p.id_number,
            "中国共产主义青年团团员",
            f"{p.joined_on:%Y.%m}",
            p.member_no,
            "本科",
        ]
        for i, p in enumerate(people(3, seed=11))
    ]
    path = write(tmp_path / "智慧团建团员名单.xlsx", [header, *rows])
    result = desk_of(store).read(preview_import, path, today=TODAY)
    assert [r.errors for r in result.rows] == [[], [], []]
    drafts = [r.draft for r in result.rows]
    assert all(d.ethnicity.endswith("族") for d in drafts)
    assert {d.education_highest for d in drafts} == {"大学本科"}
    assert {d.political_status.label for d in drafts} == {"团员"}


def test_a_village_roster_without_id_numbers_is_read_and_each_row_asks_for_one(
    store, profiles, tmp_path
):
    header = ["组织全称", "姓名", "性别", "出生年月", "民族", "手机号码", "团内职务"]
    header += ["政治面貌", "团员发展编号", "入团年月"]
    rows = [
        [
            "共青团天水市秦州区委员会",
            p.name,
            p.gender,
            f"{p.birth_date:%Y-%m}",
            p.ethnicity,
            p.mobile,
            "",
            "团员",
            p.member_no,
            f"{p.joined_on:%Y-%m}",
        ]
        for p in people(3, seed=5)
    ]
    path = write(tmp_path / "村花名册.xlsx", [["东关村团员花名册"], header, *rows])
    result = desk_of(store).read(preview_import, path, today=TODAY)
    assert result.layouts[0].header_rows == (2,)
    assert [r.errors for r in result.rows] == [["身份证号：缺公民身份号码，请补填"]] * 3
    assert any("没有身份证号（公民身份号码）列" in n for n in result.notes)
    # The committee named as the organisation is no branch: the default one, not a new one.
    assert not result.new_branches and all(r.defaulted for r in result.rows)


def test_a_full_name_finds_the_branch_by_its_distinctive_part(store, profiles, tmp_path):
    header = ["所在团组织", "姓名", "身份证号", "入团年月"]
    p = people(1, seed=3)[0]
    row = ["共青团天水市秦州区示范中学初三（2）班团支部", p.name, p.id_number, "2018-05"]
    path = write(tmp_path / "全称.xlsx", [header, row])
    result = desk_of(store).read(preview_import, path, today=TODAY, create_branches=True)
    assert result.rows[0].branch_name == "初三（2）班团支部" and not result.new_branches


def test_an_applicants_list_with_its_own_spelling(store, profiles, tmp_path):
    from qzdesk.services.admission.importer import preview_applicants

    maker = PeopleMaker(seed=9)
    header = ["姓名", "身份证号", "所在团支部", "申请入团时间", "确定入团积极分子时间"]
    rows = []
    for _ in range(3):
        p = maker.student(TODAY, 15, "初三", "2班", "秦州区示范中学")
        rows.append([p.name, p.id_number, "初三（2）班团支部", "2026-03-02", "2026-09-15"])
    path = write(tmp_path / "申请人.xlsx", [header, *rows])
    result = desk_of(store).read(preview_applicants, path, today=TODAY)
    assert "activist_on" in {c.field for c in result.layouts[0].columns.values()}
    assert not [r.errors for r in result.rows if r.errors]


def test_an_unknown_header_is_shown_with_the_fields_it_resembles(store, profiles, tmp_path):
    header = ["姓名", "身份证号", "入团年份月份", "加入组织时间"]
    p = people(1, seed=4)[0]
    path = write(tmp_path / "x.xlsx", [header, [p.name, p.id_number, "", "2018-05"]])
    result = desk_of(store).read(preview_import, path, today=TODAY)
    note = next(n for n in result.notes if n.startswith("以下列不认识"))
    assert "加入组织时间" in note
    mapped = desk_of(store).read(
        preview_import,
        path,
        today=TODAY,
        mapping=mapping_from(["加入组织时间=入团年月", "入团年份月份=忽略"], COLUMNS),
    )
    assert mapped.rows[0].draft.joined_on == date(2018, 5, 1)
    assert not any(n.startswith("以下列不认识") and "是否是" in n for n in mapped.notes)


HEADER_VARIANTS = st.sampled_from(
    [
        ("入团年月", "joined_on"),
        ("入团时间", "joined_on"),
        ("入团日期", "joined_on"),
        ("确定为入团积极分子日期", None),
        ("身份证号码", "id_number"),
        ("公民身份号码", "id_number"),
        ("手机号码", "mobile"),
        ("团员编号", "member_no"),
        ("出生年月", "birth_date"),
        ("出生日期", "birth_date"),
        ("任职时间", "post_since"),
        ("入党时间", "party_joined_on"),
        ("政治面貌", "political_status"),
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    HEADER_VARIANTS,
    st.sampled_from(["", "*", "＊", "（必填）", "(必填)", "：", " "]),
    st.booleans(),
    st.sampled_from(["", " ", "　"]),
)
def test_written_variants_of_a_header_mean_its_field(variant, mark, wide, space):
    text, field = variant
    if field is None:
        return  # an applicants column: not the roster's
    written = text[:2] + space + text[2:] + mark
    if wide:  # full-width letters and brackets, as some systems export
        written = written.replace("(", "（").replace(")", "）")
    column = HEADER_LOOKUP.match(written)
    assert column is not None and column.field == field, written


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_every_data_row_of_a_generated_sheet_is_accounted_for(tmp_path_factory, seed):
    """Random column order, optional title rows, an optional two-row header (a group title
    merged over two columns), blanks anywhere: every data row comes out as a row, and no
    row is ever taken for a header."""
    chance = random.Random(seed)
    fields = ["姓名", "身份证号", "性别", "入团年月", "团员编号", "手机号码", "民族", "备注"]
    chance.shuffle(fields)
    members = people(chance.randint(1, 8), seed=seed)
    values = {
        "姓名": lambda p: p.name,
        "身份证号": lambda p: p.id_number,
        "性别": lambda p: p.gender,
        "入团年月": lambda p: f"{p.joined_on:%Y-%m}",
        "团员编号": lambda p: p.member_no,
        "手机号码": lambda p: p.mobile,
        "民族": lambda p: p.ethnicity,
        "备注": lambda p: chance.choice(["", "团员", "学校", "职务", "否"]),
    }
    data = [
        [
            "" if name not in ("姓名", "身份证号") and chance.random() < 0.3 else values[name](p)
            for name in fields
        ]
        for p in members
    ]
    rows: list[list[object]] = [["某某团支部团员名单"]] * chance.randint(0, 2)
    if chance.random() < 0.5:  # two header rows: 入团情况 over 入团年月 and 团员编号
        first = ["入团情况" if f == "入团年月" else "" if f == "团员编号" else f for f in fields]
        second = [f if f in ("入团年月", "团员编号") else "" for f in fields]
        rows += [first, second]
        header_rows = 2
    else:
        rows.append(fields)
        header_rows = 1
    blanks = chance.randint(0, 2)  # empty rows among the data, and perhaps a 合计 row
    for _ in range(blanks):
        data.insert(chance.randint(0, len(data)), [])
    totals = [["合计", f"{len(members)} 人"]] if chance.random() < 0.5 else []
    written = [*rows, *data, *totals]
    path = write(tmp_path_factory.mktemp("gen") / "名单.xlsx", written)
    book = read_book(read_sheets(path))
    layout = book.layouts[0]
    assert len(layout.header_rows) == header_rows
    assert len(book.rows) == len(members)
    assert [r.draft.id_number for r in book.rows] == [p.id_number for p in members]
    # The preview's account of the sheet adds up to its rows, each in its place.
    (sheet,) = book.accounts
    last = max(n for n, row in enumerate(written, start=1) if any(str(c) for c in row))
    assert sheet.accounted == sheet.rows == last
    assert (sheet.header, sheet.data, sheet.totals) == (
        layout.header_rows,
        len(members),
        len(totals),
    )


@pytest.mark.parametrize("pair", ["没有等号", "=入团年月", "入团时间=不存在的字段"])
def test_a_wrong_mapping_is_refused_by_name(pair):
    with pytest.raises(CellError):
        mapping_from([pair], COLUMNS)


def test_the_command_line_maps_a_column_by_hand(data_dir, tmp_path):
    import json

    from tests.unit.test_member_import import run_cli

    p = people(1, seed=21)[0]
    path = write(
        tmp_path / "x.xlsx",
        [["姓名", "身份证号", "加入组织时间"], [p.name, p.id_number, f"{p.joined_on:%Y-%m}"]],
    )
    data = ["--data", str(data_dir)]
    unmapped = run_cli("members", "import", str(path), "--dry-run", "--json", *data)
    assert "加入组织时间" in unmapped.stdout
    mapped = run_cli(
        "members",
        "import",
        str(path),
        "--dry-run",
        "--json",
        *data,
        "--map",
        "加入组织时间=入团年月",
    )
    assert mapped.returncode == 0, mapped.stderr
    rows = json.loads(mapped.stdout)["rows"]
    assert rows[0]["errors"] == [] and "加入组织时间" not in json.dumps(rows, ensure_ascii=False)
    wrong = run_cli("members", "import", str(path), *data, "--map", "加入组织时间=入团月份啊")
    assert wrong.returncode != 0 and "没有名为“入团月份啊”的字段" in wrong.stderr


def test_a_list_without_joining_dates_comes_in_with_the_gap_noted(store, profiles, tmp_path):
    """An HR system's 团籍注册 list: name, ID number and 团员编号, no 入团年月. Members come
    in with a warning each (the year the 团员编号 gives, as a hint only), are listed on
    the 工作台, and their 入团年月 stays unknown: never a guessed day."""
    from qzdesk.services.desk import Desk
    from qzdesk.services.members import records
    from qzdesk.services.members.importer import commit_import
    from qzdesk.services.todo import todo

    found = people(2, seed=31)
    rows = [[p.name, p.id_number, f"20216205{i:04d}"] for i, p in enumerate(found)]
    path = write(tmp_path / "团籍注册.xlsx", [["姓名", "身份证号", "团员编号"], *rows])
    result = desk_of(store).read(preview_import, path, today=TODAY)
    assert [r.level for r in result.rows] == ["warning", "warning"]
    assert result.rows[0].warnings == [
        "入团年月：缺入团年月，请核对后补录（据团员编号，入团年份应为 2021 年）"
    ]
    assert desk_of(store).write(commit_import, result, today=TODAY).value.created == 2
    ids = {r.id_number: r for r in desk_of(store).read(records.roster)}
    assert all(ids[p.id_number].joined_on is None for p in found)
    assert Desk(store, profiles).read(records.missing_joined_on) == 2
    on_books = {e.draft.id_number for e in desk_of(store).read(records.roster_on, TODAY)}
    assert {p.id_number for p in found} <= on_books
    items = Desk(store, profiles).read(todo)
    assert any("2 名团员缺入团年月" in i.text for i in items)


def test_an_applicants_mapping_is_remembered_once_imported(store, profiles, tmp_path):
    from qzdesk.services.admission.importer import COLUMNS as APPLICANT_COLUMNS
    from qzdesk.services.admission.importer import commit_applicants, preview_applicants

    maker = PeopleMaker(seed=19)
    header = ["姓名", "身份证号", "所在团支部", "申请入团时间", "积极分子确定于"]

    def sheet(name: str) -> Path:
        rows = []
        for _ in range(2):
            p = maker.student(TODAY, 15, "初三", "2班", "秦州区示范中学")
            rows.append([p.name, p.id_number, "初三（2）班团支部", "2026-03-02", "2026-09-15"])
        return write(tmp_path / name, [header, *rows])

    first = sheet("申请人一.xlsx")
    unmapped = desk_of(store).read(preview_applicants, first, today=TODAY)
    assert "activist_on" not in {c.field for c in unmapped.layouts[0].columns.values()}
    mapping = mapping_from(["积极分子确定于=确定积极分子日期"], APPLICANT_COLUMNS)
    mapped = desk_of(store).read(preview_applicants, first, today=TODAY, mapping=mapping)
    assert mapped.mapped_to("积极分子确定于") == "activist_on"
    desk_of(store).write(commit_applicants, mapped, today=TODAY)
    again = desk_of(store).read(preview_applicants, sheet("申请人二.xlsx"), today=TODAY)
    assert again.mapped_to("积极分子确定于") == "activist_on"


def test_the_year_the_member_number_shows_is_accepted_for_the_year_only(store, profiles, tmp_path):
    """Accepted, the year is recorded and printed as 据团员编号; the month stays to be
    filled in (the member is still on the 工作台's list) and, once it is, the year from
    the number gives way. Without the choice nothing is guessed."""
    from qzdesk.services.desk import Desk
    from qzdesk.services.members import records
    from qzdesk.services.members.importer import commit_import
    from qzdesk.services.members.validation import check_member

    found = people(3, seed=41)
    rows = [[p.name, p.id_number, f"20216205{i:04d}"] for i, p in enumerate(found[:2])]
    rows.append([found[2].name, found[2].id_number, ""])  # no number: no year to take
    path = write(tmp_path / "团籍注册.xlsx", [["姓名", "身份证号", "团员编号"], *rows])
    preview = desk_of(store).read(preview_import, path, today=TODAY)
    assert preview.year_hints == 2
    assert any("2 人缺入团年月，其团员编号显示了入团年份" in n for n in preview.notes)
    assert (
        desk_of(store).write(commit_import, preview, today=TODAY, accept_years=True).value.created
        == 3
    )
    by_id = {r.id_number: r for r in desk_of(store).read(records.roster)}
    assert [(by_id[p.id_number].joined_on, by_id[p.id_number].joined_year) for p in found] == [
        (None, 2021),
        (None, 2021),
        (None, None),
    ]
    printed = {e.draft.id_number: e.joined for e in desk_of(store).read(records.roster_on, TODAY)}
    assert [printed[p.id_number] for p in found] == ["2021 年（据团员编号）"] * 2 + ["未填"]
    assert Desk(store, profiles).read(records.missing_joined_on) == 3  # months still unknown
    record = desk_of(store).read(records.member_record, by_id[found[0].id_number].id)
    checked = check_member(record.draft, profiles["qinzhou-2024"], TODAY)
    assert [w.message for w in checked.warnings if w.field == "joined_on"] == [
        "缺入团月份（已据团员编号记为 2021 年），请核对后补录入团年月"
    ]
    # A year the number does not show is refused; the month once known replaces it.
    wrong = check_member(replace(record.draft, joined_year=2019), profiles["qinzhou-2024"], TODAY)
    assert [e.field for e in wrong.errors] == ["joined_year"]
    filled = check_member(
        replace(record.draft, joined_on=date(2021, 5, 1)), profiles["qinzhou-2024"], TODAY
    )
    assert filled.draft.joined_year is None and not filled.errors


def test_the_command_line_takes_the_year_when_asked(data_dir, tmp_path):
    import json

    from tests.unit.test_member_import import run_cli

    p = people(1, seed=47)[0]
    path = write(
        tmp_path / "x.xlsx",
        [["姓名", "身份证号", "团员编号"], [p.name, p.id_number, "202362050001"]],
    )
    data = ["--data", str(data_dir)]
    done = run_cli("members", "import", str(path), "--years-from-member-no", "--json", *data)
    assert done.returncode == 0, done.stderr
    exported = run_cli("members", "export", str(tmp_path / "名册.xlsx"), *data)
    assert exported.returncode == 0, exported.stderr
    sheet = openpyxl.load_workbook(tmp_path / "名册.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if "姓名" in r)
    row = next(r for r in values if p.name in r)
    assert row[header.index("入团年月")] == "2023 年（据团员编号）"
    assert json.loads(done.stdout)["created"] == 1
    # The exported list comes back as it went out: the same person, the year as the year.
    again = run_cli("members", "import", str(tmp_path / "名册.xlsx"), "--dry-run", "--json", *data)
    mine = next(r for r in json.loads(again.stdout)["rows"] if r["name"] == p.name)
    assert (mine["level"], mine["errors"]) == ("same", [])
