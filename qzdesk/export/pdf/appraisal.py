"""年终考评: the year's result list and each cadre's sheet (述职, 党政评价, 青年参评, the
score by the profile's scheme), with lines for the committee to sign."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from qzdesk.export.pdf.layout import BODY, SMALL, TITLE, PageInfo, data_table, paragraph, render
from qzdesk.services.committee.appraisal import Result
from qzdesk.services.organisation.rules import CommitteeRules
from qzdesk.vocabulary import UNKNOWN


def _scheme(rules: CommitteeRules) -> str:
    weights = "、".join(f"{w:.0%}" for w in rules.appraisal_weights.value)
    bands = "、".join(f"{b:g}" for b in rules.result_bands.value)
    return (
        f"团内述职、党政评价、青年参评按 {weights} 合成；优秀、称职、基本称职的分数下限为 "
        f"{bands}（规则配置"
        + (
            "，未经证实的示例方案，请按本区考评办法修改"
            if rules.appraisal_weights.unconfirmed
            else ""
        )
        + "）。"
    )


def _sheet(org: str, result: Result, rules: CommitteeRules) -> list[Flowable]:
    parts = result.parts
    rows = [
        ["姓名", result.name, "组织及职务", f"{result.org} {result.post}"],
        [
            "团内述职",
            f"{result.report_on:%Y-%m-%d}" if result.report_on else "未述职",
            "党政评价",
            result.party_grade.label if result.party_grade else UNKNOWN,
        ],
        [
            "青年参评",
            result.votes_text,
            "得分",
            "" if result.score is None else f"{result.score:.1f}",
        ],
        [
            "分项",
            "" if parts is None else "、".join(f"{p:.1f}" for p in parts),
            "考评结果",
            result.result_text,
        ],
    ]
    return [
        paragraph(f"{result.year}年度团干部年终考评表", TITLE),
        paragraph(org, SMALL),
        data_table(["项目", "内容", "项目", "内容"], rows, [26 * mm, 62 * mm, 26 * mm, 60 * mm]),
        Spacer(1, 3 * mm),
        paragraph("述职要点：" + (result.report or "（未登记）"), BODY),
        paragraph(_scheme(rules), SMALL),
        Spacer(1, 10 * mm),
        paragraph("考评组（签字）：____________    ______年____月____日", BODY),
    ]


def appraisal_pdf(
    org: str, year: int, results: list[Result], rules: CommitteeRules, taken_at: datetime
) -> bytes:
    story: list[Flowable] = [
        paragraph(f"{year}年度团干部年终考评结果", TITLE),
        paragraph(_scheme(rules), BODY),
        data_table(
            ["姓名", "组织", "职务", "得分", "结果"],
            [
                [r.name, r.org, r.post, "" if r.score is None else f"{r.score:.1f}", r.result_text]
                for r in results
            ],
            [28 * mm, 62 * mm, 20 * mm, 24 * mm, 40 * mm],
        ),
    ]
    for result in results:
        story += [PageBreak(), *_sheet(org, result, rules)]
    return render(story, PageInfo(org, "年终考评", f"{year}年", "", taken_at))
