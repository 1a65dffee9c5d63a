"""PDF documents read back: text extraction and a rendered page, with Poppler."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from qzdesk.export.pdf.documents import DOCUMENTS
from qzdesk.export.pdf.member_card import render_member_card
from qzdesk.export.pdf.registry import render_document
from qzdesk.services import clock
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import records
from qzdesk.services.periods import parse_period
from tests.desks import desk_at, desk_of

NOW = datetime(2026, 11, 24, 9, 30)
THIS_YEAR = parse_period(str(clock.today().year))  # the demo members joined up to today


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "doc") -> list[str]:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def ink(pdf: bytes, tmp_path: Path, page: int = 1) -> float:
    """Share of non-white pixels on a page rendered by pdftoppm."""
    path = tmp_path / "render.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            str(path),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:200])
    return dark / (image.width * image.height)


def test_the_registry_lists_the_documents_in_order():
    assert [d.key for d in DOCUMENTS] == [
        "overview",
        "roster",
        "transfers",
        "admission_summary",
        "publicity",
        "admission_resolutions",
        "party",
        "points_record",
        "meeting_plan",
        "minutes_book",
        "compliance",
        "evaluation",
        "dues",
        "received",
        "coverage",
        "cadres",
        "appraisals",
    ]


def test_the_roster_by_branch_with_header_and_footer(store, tmp_path):
    pages = pdf_text(
        desk_at(store, NOW).read(render_document, "roster", THIS_YEAR, "QZ-2026-0001"), tmp_path
    )
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "秦州区示范中学团委（演示）" in page and f"团员花名册｜{THIS_YEAR.label}" in page
        squeezed = "".join(page.split())  # pdftotext drops the thin spaces around numbers
        assert f"第{number}页/共{len(pages)}页" in squeezed and "台账编号QZ-2026-0001" in squeezed
        assert "团员编号" in page  # the table header repeats on every page
    text = "\n".join(pages)
    on_books = [r for r in desk_of(store).read(records.roster) if r.status.value == "active"]
    assert f"在册团员 {len(on_books)} 人" in text
    for branch in {r.branch_name for r in on_books}:
        assert branch in text
    assert all(r.name in text for r in on_books)
    assert "本期离团" in text and "已转出" in text


def test_a_rendered_roster_page_is_not_blank(store, tmp_path):
    pdf = desk_at(store, NOW).read(render_document, "roster", parse_period("2026Q1"))
    assert ink(pdf, tmp_path) > 0.02


def test_overview_and_member_card(store, tmp_path):
    overview_text = "\n".join(
        pdf_text(
            desk_at(store, NOW).read(render_document, "overview", parse_period("2026")),
            tmp_path,
            "overview",
        )
    )
    assert "组织概况" in overview_text and "教职工团支部" in overview_text
    someone = desk_of(store).read(records.roster)[0]
    card = "\n".join(
        pdf_text(
            desk_at(store, NOW).read(render_member_card, someone.id),
            tmp_path,
            "card",
        )
    )
    assert someone.name in card and someone.id_number in card and "历史记录" in card


def test_an_unknown_document_is_named(store):
    with pytest.raises(ValidationError, match="没有名为 minutes 的文档"):
        desk_at(store).read(render_document, "minutes", parse_period("2026"))


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2025", "2025-01-01", "2025-12-31", "2025年"),
        ("2025q2", "2025-04-01", "2025-06-30", "2025年第2季度"),
        ("2024-2", "2024-02-01", "2024-02-29", "2024年2月"),
    ],
)
def test_periods(text, start, end, label):
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == (start, end, label)


def test_a_bad_period_says_how_to_write_it():
    with pytest.raises(ValidationError, match="年度写 2025"):
        parse_period("去年")


def test_the_certificate_registration_form_carries_the_fingerprint(store, profiles, tmp_path):
    from qzdesk.export.pdf.certificate_form import certificate_form
    from qzdesk.services.security import branch_key

    text = "".join(
        pdf_text(desk_of(store, profiles).read(certificate_form, NOW), tmp_path)[0].split()
    )
    groups = branch_key.key_info(store).fingerprint.split(":")
    for start in range(0, 32, 8):  # printed as four lines of eight
        assert ":".join(groups[start : start + 8]) in text
    assert "上级团委审核意见（盖章）" in text and "李文静" in text


def test_a_village_that_is_one_branch_is_shown_as_that_branch(empty_store, profiles, tmp_path):
    """The commonest village case: the organisation is itself the 团支部."""
    from qzdesk.services.organisation.overview import overview
    from qzdesk.services.periods import parse_period
    from qzdesk.services.setup import SetupRequest, initialise
    from qzdesk.vocabulary import OrgKind, Sector

    request = SetupRequest(
        org_name="玉泉镇东团庄村团支部",
        org_kind=OrgKind.BRANCH,
        sector=Sector.VILLAGE,
        secretary="马小红",
        password="tuanzhibu1",
        profile_id="qinzhou-2024",
        parent_org="共青团秦州区玉泉镇委员会",
    )
    root = desk_of(empty_store, profiles).write(initialise, request).value.org
    shown = desk_of(empty_store, profiles).read(overview)
    assert [b.id for b in shown.open_branches] == [root.id]
    pdf = desk_at(empty_store).read(
        render_document, "overview", parse_period(str(clock.today().year))
    )
    text = "".join("".join(pdf_text(pdf, tmp_path)).split())
    assert "团支部1个" in text and "玉泉镇东团庄村团支部" in text


def test_a_roster_imported_without_ethnicity_says_so_and_invents_nothing(store, profiles, tmp_path):
    from qzdesk.services.members.importer import commit_import, preview_import
    from qzdesk.services.periods import parse_period

    fixture = Path(__file__).parent.parent / "fixtures" / "imports" / "12-class-sheets.xlsx"
    preview = desk_of(store).read(preview_import, fixture, create_branches=True)
    desk_of(store).write(commit_import, preview, create_branches=True)
    imported = {
        r.name: r for r in desk_of(store).read(records.roster) if r.name in {"刘备", "关羽", "张飞"}
    }
    assert len(imported) == 3
    record = desk_of(store).read(records.member_record, imported["刘备"].id)
    assert record.draft.ethnicity == ""  # the file had no 民族 column: nothing assumed
    assert "ethnicity" not in records.audit_view(record.draft)  # so the archive omits it
    pdf = desk_at(store).read(render_document, "roster", parse_period(str(clock.today().year)))
    text = "".join("".join(pdf_text(pdf, tmp_path)).split())
    assert "资料不全：民族未填3人" in text  # the demo's own members have theirs


def test_a_long_value_in_one_column_never_breaks_a_name_in_another():
    """A roster row whose 入团年月 reads 2023 年（据团员编号） widens that column; the names,
    ethnicities and numbers beside it still fit whole."""
    from qzdesk.export.pdf.documents.roster import HEADERS
    from qzdesk.export.pdf.layout import _text_width, fitted_widths

    row = ["12", "欧阳丽华", "女", "2006-06", "维吾尔族", "2023 年（据团员编号）"]
    row += ["202362050077", "团员", "组织委员", "13909381234"]
    other = ["1", "牛俊明", "男", "2011-02", "汉族", "2025-11", "202562000002", "团员", "", ""]
    widths = fitted_widths(HEADERS, [row, *[other] * 30])
    for value, width in zip(row, widths, strict=True):  # _text_width counts the padding
        if value != row[5]:
            assert _text_width(value) <= width + 0.01, value
