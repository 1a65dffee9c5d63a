"""收件汇总: in a committee's own archive, the archives it received for the period and the
summary table, so the level above receives them the same way (村 → 镇 → 区). A branch
that receives nothing has no such document."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import (
    BODY,
    HEADING,
    SMALL,
    TITLE,
    data_table,
    fitted_widths,
    paragraph,
)
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import Snapshot, SummaryRow

KINDS = ("assembly", "committee", "lecture", "league_day")
HEADERS = ["组织", "在册团员", "本期入团", "本期离团", "支部大会", "支委会", "团课", "主题团日"]
HEADERS += ["已注册", "书记", "定级", "团费收缴率", "团费上缴/支出"]


def _row(r: SummaryRow) -> list[str]:
    return [
        r.label,
        str(r.on_books),
        str(r.joined),
        str(r.left),
        *(f"{r.held[k]}/{'—' if r.required[k] is None else r.required[k]}" for k in KINDS),
        str(r.registered),
        r.secretary,
        r.rating or "—",
        "—" if r.dues_rate is None else f"{r.dues_rate:.0%}",
        r.money_text or "—",
    ]


def build(snap: Snapshot) -> list[Flowable]:
    found, rows = snap.received, list(snap.received_rows)
    if not found and not snap.not_reported:
        return []
    late = sum(1 for f in found if f["late"])
    story: list[Flowable] = [
        paragraph("收件汇总", TITLE),
        paragraph(
            f"本期收到并校验通过的下级组织台账 {len(found)} 份"
            + (f"（其中逾期 {late} 份）" if late else "")
            + "，同一期间收到新件的只列最新一份；未报送 "
            + f"{len(snap.not_reported)} 个组织。文件校验码可与各组织报送的文件逐一核对。",
            BODY,
        ),
    ]
    if found:
        listed = [
            [
                f["org"],
                f["archive_id"],
                f["received_on"] + ("（逾期）" if f["late"] else ""),
                f["sha256"][:16] + "…",
            ]
            for f in found
        ]
        heads = ["组织", "台账编号", "收到日期", "文件校验码（SHA-256 前 16 位）"]
        story += [
            data_table(heads, listed, fitted_widths(heads, listed)),
            paragraph("汇总表", HEADING),
        ]
        table = [_row(r) for r in rows] + [_row(snap.received_total)]
        story += [
            data_table(HEADERS, table, fitted_widths(HEADERS, table)),
            paragraph(
                "“支部大会”等列为已开/应开：已开只计已签字的会议记录，应开按各组织台账所载"
                "规则配置的频次、自团支部成立之月起计算；定级为年度台账的对标定级，由本级按"
                "台账所载评分重新核算。团费收缴率为本期各应交月份均已交清的人数占应交人数之比，"
                "上缴/支出为本期金额（元），合计行为各组织之和。",
                SMALL,
            ),
        ]
    differing = [(r.org_name, note) for r in rows for note in r.differs]
    if differing:
        story += [
            paragraph("与下级台账自报数不一致之处", HEADING),
            data_table(
                ["组织", "说明"],
                [[org, note] for org, note in differing],
                [60 * mm, 114 * mm],
            ),
        ]
    if snap.not_reported:
        story += [
            paragraph("未报送", HEADING),
            paragraph("、".join(snap.not_reported), BODY),
        ]
    return story


RECEIVED = DocumentSpec("received", "收件汇总", build)
