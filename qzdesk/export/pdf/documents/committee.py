"""A committee's year in its own archive, drawn from the snapshot: 团组织覆盖情况 (the
register's coverage against the targets), 团干部队伍分析 (the cadre analysis with each
fall and its explanation) and 年终考评结果 (a year's archive). A committee that keeps no
register, names no cadres or recorded no 考评 has no such page."""

from __future__ import annotations

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
from qzdesk.services.archive.snapshot import Snapshot, UnitLine


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _met(value: bool | None) -> str:
    return {True: "已达到", False: "未达到", None: "无从比较"}[value]


def _table(headers: list[str], rows: list[list[str]]) -> Flowable:
    return data_table(headers, rows, fitted_widths(headers, rows))


def build_coverage(snap: Snapshot) -> list[Flowable]:
    cov = snap.coverage
    if cov is None:
        return []
    story: list[Flowable] = [
        paragraph("团组织覆盖情况", TITLE),
        paragraph(
            f"{snap.period.label}，截至 {snap.as_of:%Y年%m月%d日}，据本级名录的变动记录和收到的"
            "下级台账计算。",
            BODY,
        ),
        _table(
            ["指标", "数值", "目标", "是否达到"],
            [
                [
                    "村级团组织设置率",
                    f"{cov.villages_with_org}/{cov.villages}（{_rate(cov.village_rate)}）",
                    f"{cov.village_target:.0%}",
                    _met(cov.village_target_met),
                ],
                [
                    "三新领域团组织年增幅",
                    f"{cov.new_fields_year_before} → {cov.new_fields_now}（{_rate(cov.growth)}）",
                    f"{cov.growth_target:.0%}",
                    _met(cov.growth_target_met),
                ],
            ],
        ),
    ]
    if cov.villages_without:
        story.append(paragraph(f"尚未建立团组织的村：{'、'.join(cov.villages_without)}。", BODY))
    story += [
        paragraph("分领域", HEADING),
        _table(
            ["领域", "单位数", "已建团组织"],
            [[s.label, str(n), str(w)] for s, n, w in cov.by_sector],
        ),
        paragraph("名录", HEADING),
        _table(list(UnitLine.HEADERS), [x.cells() for x in cov.lines]),
    ]
    notes = []
    if cov.hollow:
        notes.append(
            f"团员少于 {cov.hollow_below} 人（空心团支部）："
            + "、".join(f"{name}（{n} 人）" for name, n in cov.hollow)
        )
    if cov.no_secretary:
        notes.append("台账中无书记选举记录：" + "、".join(cov.no_secretary))
    if cov.set_up:
        notes.append("本期新建：" + "、".join(f"{n}（{d:%m月%d日}）" for n, d in cov.set_up))
    if cov.dissolved:
        notes.append("本期撤销：" + "、".join(f"{n}（{d:%m月%d日}）" for n, d in cov.dissolved))
    story += [paragraph(note + "。", BODY) for note in notes]
    return story


def _counts(pairs: tuple[tuple[str, int], ...]) -> str:
    return "、".join(f"{label} {n}" for label, n in pairs) or "—"


def build_cadres(snap: Snapshot) -> list[Flowable]:
    cad = snap.cadres
    if cad is None:
        return []
    watched = cad.watched
    story: list[Flowable] = [
        paragraph("团干部队伍分析", TITLE),
        paragraph(
            f"{snap.period.label}，截至 {snap.as_of:%Y年%m月%d日}：收到的台账中载明的团干部 "
            f"{watched['total']} 人（书记 {watched['secretaries']} 人），按身份证号与本级团干部"
            "信息库对应；平均年龄 "
            + ("未填" if cad.average_age is None else f"{cad.average_age} 岁")
            + "。",
            BODY,
        ),
        _table(
            ["项目", "构成"],
            [
                ["层级", _counts(cad.by_level)],
                ["职务", _counts(cad.by_post)],
                ["年龄", _counts(cad.ages)],
                ["性别", _counts(cad.genders)],
                ["民族", _counts(cad.ethnicities)],
                ["学历", _counts(cad.education)],
                ["政治面貌", _counts(cad.political)],
                ["专兼挂", _counts(cad.natures)],
                ["任职年限", _counts(cad.years)],
            ],
        ),
    ]
    if cad.no_secretary:
        story.append(paragraph("无书记的团组织：" + "、".join(cad.no_secretary) + "。", BODY))
    if cad.falls:
        story += [
            paragraph("较上期下降的指标及说明", HEADING),
            _table(
                ["指标", "上期", "本期", "说明"],
                [
                    [f.label, str(f.before), str(f.now), f.explanation or "（尚未说明）"]
                    for f in cad.falls
                ],
            ),
        ]
    if cad.unmatched:
        story.append(
            paragraph(f"另有 {cad.unmatched} 人不在其团支部名册上，无法按身份证号对应。", SMALL)
        )
    return story


def build_appraisals(snap: Snapshot) -> list[Flowable]:
    if not snap.appraisals:
        return []
    rules = snap.organisation.profile.committee
    weights = "、".join(f"{w:.0%}" for w in rules.appraisal_weights.value)
    return [
        paragraph(f"{snap.period.end.year}年度团干部年终考评结果", TITLE),
        paragraph(
            f"团内述职、党政评价、青年参评三项按 {weights} 合成（规则配置"
            + ("，未经证实的示例方案" if rules.appraisal_weights.unconfirmed else "")
            + "）。",
            BODY,
        ),
        _table(list(snap.appraisals[0].HEADERS), [r.cells() for r in snap.appraisals]),
    ]


COVERAGE = DocumentSpec("coverage", "团组织覆盖情况", build_coverage)
CADRES = DocumentSpec("cadres", "团干部队伍分析", build_cadres)
APPRAISALS = DocumentSpec("appraisals", "年终考评结果", build_appraisals)
