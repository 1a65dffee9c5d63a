"""The committee's cadre database, its analysis and the 年终考评, on the town demo: the
cadres its villages' archives name, matched by ID number to the committee's own fields;
a fall against the period before must be explained (and the committee's archive refuses
to be signed until it is); the 考评 by the profile's scheme, incomplete ones said so."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from qzdesk.config import DataPaths
from qzdesk.export.town_demo import build_town_demo
from qzdesk.services import clock
from qzdesk.services.clock import FixedClock, running_on
from qzdesk.services.committee import appraisal, cadres
from qzdesk.services.committee.appraisal import score
from qzdesk.services.desk import Desk
from qzdesk.services.errors import ValidationError
from qzdesk.services.periods import parse_period
from qzdesk.services.security import auth
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import CadreNature, Grade

PASSWORD = "qzdemo"
TODAY = clock.today()


@pytest.fixture(scope="module")
def built_town(tmp_path_factory, profiles) -> Path:
    root = tmp_path_factory.mktemp("town")
    with running_on(FixedClock.on(TODAY)), Store.open(root / "data", "tests", create=True) as store:
        build_town_demo(store, profiles, TODAY, root / "村", PASSWORD)
    return root / "data"


@pytest.fixture
def town(built_town, tmp_path, profiles):
    data = tmp_path / "data"
    shutil.copytree(built_town, data)
    assert auth.login(DataPaths(data), PASSWORD).ok
    with Store.open(data, "tests") as store:
        yield store


def desk_on(store, profiles, day: date) -> Desk:
    desk = Desk(store, profiles, FixedClock.on(day))
    desk.actor = "赵敏"
    return desk


def test_the_analysis_reads_the_archives_and_the_committee_s_fields(town, profiles):
    desk = desk_on(town, profiles, TODAY)
    year = parse_period(str(TODAY.year))
    found = desk.read(cadres.analysis, year)
    assert found.rows and found.unmatched == 0  # every cadre is on their roster
    assert all(r.nature is CadreNature.PART_TIME for r in found.rows)  # the demo's fields
    assert sum(n for _, n in found.ages) == len(found.rows) == found.watched["total"]
    assert found.ages[0][0] == "不满28岁"  # the profile's bands
    assert found.watched["trained"] == 1 and found.falls == ()  # nothing a year before
    secretary = next(r for r in found.rows if r.cadre.post == "书记")
    assert secretary.party_committee is True and secretary.in_post_since is not None
    cells = dict(zip(cadres.CadreRow.HEADERS, secretary.cells(), strict=True))
    assert cells["性质"] == "兼职" and cells["层级"] == "团支部"
    with pytest.raises(ValidationError, match="18 位身份证号"):
        desk.write(cadres.set_file, "123", "某人")


def test_a_fall_must_be_explained(town, profiles):
    next_year = TODAY.replace(year=TODAY.year + 1, month=12, day=31)
    desk = desk_on(town, profiles, next_year)
    period = parse_period(str(next_year.year))
    found = desk.read(cadres.analysis, period)
    # The same archives stand, but nobody was trained in the year: a fall from 1 to 0.
    assert [(f.figure, f.before, f.now) for f in found.unexplained] == [("trained", 1, 0)]
    with pytest.raises(ValidationError, match="具体写明"):
        desk.write(cadres.explain_fall, period, "trained", "无")
    desk.write(cadres.explain_fall, period, "trained", "本年度培训安排在次年一月，已报区团委")
    found = desk.read(cadres.analysis, period)
    assert found.unexplained == () and found.falls[0].explanation.startswith("本年度培训")


def test_the_appraisal_by_the_profile_s_scheme(town, profiles):
    rules = profiles["qinzhou-2024"].committee
    votes = {Grade.EXCELLENT: 6, Grade.COMPETENT: 3}
    parts, total, result = score(rules, True, Grade.EXCELLENT, votes)
    assert parts == pytest.approx((100, 100, 840 / 9)) and total == 98.0
    assert result is Grade.EXCELLENT
    assert score(rules, False, Grade.COMPETENT, {Grade.BASIC: 1})[1:] == (
        0.4 * 80 + 0.3 * 60,
        Grade.INCOMPETENT,
    )
    assert score(rules, True, None, votes) == (None, None, None)  # no Party grade yet
    desk = desk_on(town, profiles, TODAY)
    last_year = desk.read(appraisal.results, TODAY.year - 1)
    assert last_year and all(r.result is not None and r.org != "未填" for r in last_year)
    this_year = desk.read(appraisal.results, TODAY.year)
    assert {r.result_text for r in this_year} == {"未完成"}  # nobody appraised yet
    someone = this_year[0]
    desk.write(
        appraisal.record,
        someone.id_number,
        someone.name,
        TODAY.year,
        None,
        "",
        Grade.COMPETENT,
        {Grade.COMPETENT: 5},
    )
    again = {r.id_number: r for r in desk.read(appraisal.results, TODAY.year)}[someone.id_number]
    assert (again.score, again.result) == (56.0, Grade.INCOMPETENT)  # no 述职: its part is 0
    with pytest.raises(ValidationError, match="未来年度"):
        desk.write(
            appraisal.record, someone.id_number, someone.name, TODAY.year + 1, None, "", None, {}
        )


def test_the_committee_s_archive_carries_its_year_and_waits_for_explanations(
    town, profiles, tmp_path
):
    import json
    from io import BytesIO

    import jsonschema
    from pyhanko.pdf_utils.reader import PdfFileReader

    from qzdesk.config import resources_dir
    from qzdesk.export.archive import build_archive, read_data
    from tests.export.test_documents import pdf_text

    desk = desk_on(town, profiles, TODAY)
    year = parse_period(str(TODAY.year - 1))
    # Last year's archive: its 考评 recorded; no cadres named yet (nothing received then).
    _id, pdf = desk.read(build_archive, year, PASSWORD)
    data = read_data(PdfFileReader(BytesIO(pdf)))
    schema = json.loads((resources_dir() / "archive-schema.json").read_text("utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert {a["result"] for a in data["appraisals"]} <= {"excellent", "competent"}
    assert data["coverage"]["villages"] == 5 and data["coverage"]["villages_with_org"] == 3
    text = " ".join(" ".join(pdf_text(pdf, tmp_path)).split())
    assert "团组织覆盖情况" in text and "年终考评结果" in text and "南河村、杨家寺村" in text
    # This year: the analysis is signed as it stands.
    _id, pdf = desk.read(build_archive, parse_period(str(TODAY.year)), PASSWORD)
    data = read_data(PdfFileReader(BytesIO(pdf)))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["cadres"]["watched"]["trained"] == 1 and data["cadres"]["falls"] == []
    assert "团干部队伍分析" in " ".join(pdf_text(pdf, tmp_path))
    # Next year nobody was trained: no archive until the fall is explained.
    later = desk_on(town, profiles, TODAY.replace(year=TODAY.year + 1, month=12, day=31))
    next_year = parse_period(str(TODAY.year + 1))
    with pytest.raises(ValidationError, match="培训的团干部 1→0"):
        later.read(build_archive, next_year, PASSWORD)
    later.write(cadres.explain_fall, next_year, "trained", "培训班改在次年一月举办")
    _id, pdf = later.read(build_archive, next_year, PASSWORD)
    falls = read_data(PdfFileReader(BytesIO(pdf)))["cadres"]["falls"]
    assert falls == [
        {"figure": "trained", "before": 1, "now": 0, "explanation": "培训班改在次年一月举办"}
    ]


def test_the_command_line_keeps_the_register_the_cadres_and_the_appraisal(town, tmp_path):
    import json

    import openpyxl

    from tests.unit.test_member_import import run_cli

    town.close()  # the commands open the folder themselves
    data = ["--data", str(town.paths.root)]
    year = str(TODAY.year)
    added = run_cli("units", "add", "新庄村", "--sector", "village", "--on", f"{year}-01-01", *data)
    assert added.returncode == 0 and "1 个单位" in added.stdout
    again = run_cli("units", "add", "新庄村", "--sector", "village", "--on", f"{year}-01-01", *data)
    assert again.returncode != 0 and "已在名录中" in again.stderr
    set_up = [
        "units", "change", "新庄村", "--change", "set_up", "--on", f"{year}-02-01",
        "--form", "own", "--org", "新庄村团支部", *data,
    ]  # fmt: skip
    assert run_cli(*set_up).returncode == 0
    table = tmp_path / "覆盖.xlsx"
    shown = run_cli("coverage", "--period", year, "--xlsx", str(table), "--json", *data)
    report = json.loads(shown.stdout)
    assert (report["villages"], report["villages_with_org"]) == (6, 4)
    assert report["villages_without"] == ["南河村", "杨家寺村"]
    sheet = openpyxl.load_workbook(table)["覆盖指标"]
    assert ["村级团组织设置率", "66.7%", "100%"] in [
        list(r) for r in sheet.iter_rows(values_only=True)
    ]
    analysis = json.loads(run_cli("cadres", "analysis", "--period", year, "--json", *data).stdout)
    assert analysis["watched"]["trained"] == 1
    pdf = tmp_path / "考评.pdf"
    results = run_cli(
        "appraisal", "results", "--year", str(TODAY.year - 1), "--pdf", str(pdf), *data
    )
    assert results.returncode == 0 and "优秀" in results.stdout and pdf.read_bytes()[:5] == b"%PDF-"


def test_the_cadre_database_exports_with_its_analysis(town, profiles, tmp_path):
    import openpyxl

    from qzdesk.export.summary_excel import write_cadres

    desk = desk_on(town, profiles, TODAY)
    found = desk.read(cadres.analysis, parse_period(str(TODAY.year)))
    book = openpyxl.load_workbook(write_cadres(tmp_path / "团干部.xlsx", found))
    listing, structure, changes = book.worksheets
    assert [c.value for c in listing[1]] == list(cadres.CadreRow.HEADERS)
    assert listing.max_row == 1 + len(found.rows)
    genders = [r[2] for r in structure.iter_rows(min_row=2, values_only=True) if r[0] == "性别"]
    assert sum(genders) == len(found.rows) and changes.max_row == 1  # no falls: headers only


def test_a_cadre_s_posts_are_the_archives_own_history(town, profiles):
    desk = desk_on(town, profiles, TODAY)
    someone = desk.read(cadres.cadre_rows, parse_period(str(TODAY.year)))[0].cadre
    posts = desk.read(cadres.posts_held, someone.id_number)
    assert posts and all(org == someone.org_name for _, org, _, _ in posts)
    assert posts[-1][3] == someone.post
    assert desk.read(cadres.posts_held, "000000000000000000") == []
