"""Admission documents: the publicity notices, the 支部大会's admission resolutions and
the period's admission summary."""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from qzdesk.export.pdf.layout import BODY, HEADING, TITLE, data_table, empty_note, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import (
    PUBLICITY_LABELS,
    GradeCeiling,
    PublicityRow,
    Snapshot,
    Stage,
    Step,
    StepRecord,
)

INTRO = {
    "activist": "经团支部委员会研究，拟确定以下同学为入团积极分子",
    "candidate": "经团支部委员会研究，拟确定以下入团积极分子为发展对象",
    "new_member": "经支部大会讨论表决，拟接收以下同学为中国共产主义青年团团员",
}


def notice(row: PublicityRow, organisation: str) -> list[Flowable]:
    story: list[Flowable] = [
        paragraph(f"关于{PUBLICITY_LABELS[row.kind]}的公示", TITLE),
        paragraph(
            f"{INTRO[row.kind]}，现予公示。\n"
            f"公示时间：{row.starts_on:%Y年%m月%d日}至{row.ends_on:%Y年%m月%d日}"
            f"（{row.working_days} 个工作日）。\n"
            f"公示期间，如有异议，请以书面或当面方式向 {row.contact} 反映。"
            "反映情况应实事求是，署真实姓名。",
            BODY,
        ),
        Spacer(1, 3 * mm),
        data_table(
            ["序号", "姓名", "性别", "身份证号", "年级", "班级"],
            [
                [str(i), p.name, p.gender, p.masked_id, p.grade or "", p.class_name or ""]
                for i, p in enumerate(row.people, 1)
            ],
            [14 * mm, 28 * mm, 14 * mm, 50 * mm, 30 * mm, 30 * mm],
        ),
    ]
    if row.calendar_warning:
        story.append(paragraph(f"注：{row.calendar_warning}", BODY))
    if row.objections:
        story += [
            paragraph("公示期间收到的反映及处理", HEADING),
            data_table(
                ["收到日期", "涉及", "反映内容", "处理日期", "处理结果"],
                [
                    [
                        f"{o.received_on:%Y-%m-%d}",
                        o.applicant_name,
                        o.content,
                        f"{o.resolved_on:%Y-%m-%d}" if o.resolved_on else "待处理",
                        (o.resolution or "") + ("（属实）" if o.upheld else ""),
                    ]
                    for o in row.objections
                ],
                [22 * mm, 20 * mm, 56 * mm, 22 * mm, 46 * mm],
            ),
        ]
    story += [
        Spacer(1, 8 * mm),
        paragraph(f"{organisation}\n{row.starts_on:%Y年%m月%d日}", BODY),
    ]
    return story


def build_notices(snap: Snapshot, publicity_id: int | None = None) -> list[Flowable]:
    rows = [r for r in snap.publicities if publicity_id in (None, r.id)]
    if not rows:
        return [paragraph("公示", TITLE), empty_note("本期没有发展团员公示。")]
    organisation = snap.organisation.root.name
    story: list[Flowable] = []
    for index, row in enumerate(rows):
        if index:
            story.append(Spacer(1, 12 * mm))
        story += notice(row, organisation)
    return story


def _vote_text(details: dict[str, object]) -> str:
    return (
        f"应到 {details['expected']} 人，实到 {details['present']} 人；"
        f"赞成 {details['for']} 票，反对 {details['against']} 票，弃权 {details['abstain']} 票"
    )


def _result(details: dict[str, object]) -> str:
    if not details.get("quorate"):
        return "到会人数不足，表决无效"
    return "通过" if details.get("passed") else "未通过"


def build_resolutions(snap: Snapshot) -> list[Flowable]:
    votes = snap.steps_of(Step.VOTE)
    story: list[Flowable] = [paragraph("支部大会接收新团员决议", TITLE)]
    if not votes:
        return [*story, empty_note("本期没有支部大会表决接收新团员。")]
    meetings: dict[tuple[date, str], list[StepRecord]] = {}
    for v in votes:
        meetings.setdefault((v.event.on, v.branch_name), []).append(v)
    for (on, branch), group in meetings.items():
        passed = [v.name for v in group if v.event.details.get("passed")]
        story += [
            paragraph(f"{branch}　{on:%Y年%m月%d日}支部大会", HEADING),
            paragraph(
                f"{on:%Y年%m月%d日}，{branch}召开支部大会，对发展对象逐个进行无记名投票表决。"
                + (
                    f"会议决定接收{'、'.join(passed)}为中国共产主义青年团团员，报上级团委审批。"
                    if passed
                    else "本次表决无人通过。"
                ),
                BODY,
            ),
            data_table(
                ["发展对象", "表决情况", "结果", "异议及说明"],
                [
                    [
                        v.name,
                        _vote_text(v.event.details),
                        _result(v.event.details),
                        str(v.event.details.get("objections", "") or ""),
                    ]
                    for v in group
                ],
                [24 * mm, 92 * mm, 28 * mm, 30 * mm],
            ),
        ]
    return story


def build_summary(snap: Snapshot) -> list[Flowable]:
    # The stages as the archive's data holds them at the period's end, not today's.
    counts = snap.stage_counts()
    in_period = {step: len(snap.steps_of(step)) for step in Step}
    admitted = snap.steps_of(Step.APPROVAL)
    status = snap.quota
    story: list[Flowable] = [
        paragraph("发展团员工作情况", TITLE),
        paragraph(
            f"本期收到入团申请 {in_period[Step.APPLICATION]} 份，确定入团积极分子 "
            f"{in_period[Step.ACTIVIST]} 人，确定发展对象 {in_period[Step.CANDIDATE]} 人，"
            f"经上级团委批准入团 {in_period[Step.APPROVAL]} 人。\n{status.text()}。",
            BODY,
        ),
        paragraph(f"截至 {snap.as_of:%Y-%m-%d} 各阶段人数", HEADING),
        data_table(
            [s.label for s in Stage],
            [[str(counts[s]) for s in Stage]],
            [29 * mm] * len(Stage),
        ),
    ]
    if status.grades:
        story += [
            paragraph("团青比", HEADING),
            data_table(
                GradeCeiling.HEADERS,
                [g.cells() for g in status.grades],
                [29 * mm] * 6,
            ),
        ]
    if admitted:
        story += [
            paragraph("本期批准入团", HEADING),
            data_table(
                ["序号", "姓名", "团支部", "批准日期", "团员编号"],
                [
                    [
                        str(i),
                        m.name,
                        m.branch_name,
                        f"{m.event.on:%Y-%m-%d}",
                        str(m.event.details.get("member_no", "")),
                    ]
                    for i, m in enumerate(admitted, 1)
                ],
                [14 * mm, 26 * mm, 60 * mm, 30 * mm, 44 * mm],
            ),
        ]
    return story


SUMMARY = DocumentSpec("admission_summary", "发展团员工作情况", build_summary)
PUBLICITY = DocumentSpec("publicity", "发展团员公示", build_notices)
RESOLUTIONS = DocumentSpec("admission_resolutions", "支部大会接收新团员决议", build_resolutions)
