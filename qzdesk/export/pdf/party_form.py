"""The 共青团推荐优秀团员作为入党积极分子人选登记表 (推荐表), three copies (党支部, 上级团组织,
团员档案), drawn from the recorded recommendation only: the vote's figures are the
meeting's as recorded."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from qzdesk.export.pdf.layout import BODY, SMALL, TITLE, PageInfo, data_table, paragraph, render
from qzdesk.export.pdf.stamp import StampArea
from qzdesk.services.party.recommend import RecommendationForm
from qzdesk.vocabulary import UNKNOWN, PoliticalStatus

COPIES = ("党支部存", "上级团组织存", "团员档案存")


def _field(form: RecommendationForm, name: str) -> str:
    value = form.member.get(name)
    return UNKNOWN if value in (None, "") else str(value)


def _copy(form: RecommendationForm, copy: str) -> list[Flowable]:
    vote = form.vote
    joined = _field(form, "joined_on")
    shown = form.publicity
    rows = [
        ["推荐单位", f"{form.organisation} {form.branch}", "姓名", _field(form, "name")],
        ["性别", _field(form, "gender"), "出生年月", _field(form, "birth_date")[:7]],
        ["文化程度", _field(form, "education_highest"), "入团时间", joined[:7]],
        [
            "团内职务",
            _field(form, "league_post"),
            "政治面貌",
            PoliticalStatus(form.member["political_status"]).label,
        ],
        [
            "申请入党时间",
            f"{form.applied_on:%Y-%m-%d}" if form.applied_on else UNKNOWN,
            "推荐时间",
            f"{form.vote_held_on:%Y-%m-%d}",
        ],
    ]
    opinion = (
        f"经 {form.vote_held_on:%Y年%m月%d日} 团员大会无记名投票：应到 {vote['expected']} 人，"
        f"实到 {vote['present']} 人，赞成 {vote['for']} 人，反对 {vote['against']} 人，"
        f"弃权 {vote['abstain']} 人，通过率 {form.pass_rate:.0%}（赞成票占应到人数）。"
        + (f"支委会于 {form.reviewed_on:%Y年%m月%d日} 审查同意。" if form.reviewed_on else "")
        + (
            f"已于 {shown['starts_on']} 至 {shown['ends_on']} 公示"
            + (
                f"（反映问题：{shown['objections']}）。"
                if shown.get("objections")
                else "，无异议。"
            )
            if shown
            else ""
        )
    )
    approved = (
        f"上级团组织于 {form.approved_on:%Y年%m月%d日} 审查同意；推荐有效期至 "
        f"{form.valid_until:%Y年%m月%d日}。"
        if form.approved_on and form.valid_until
        else "上级团组织审查意见："
    )
    return [
        paragraph("推荐优秀团员作为入党积极分子人选登记表", TITLE),
        paragraph(f"（{copy}）", SMALL),
        data_table(["项目", "内容", "项目", "内容"], rows, [28 * mm, 60 * mm, 28 * mm, 58 * mm]),
        Spacer(1, 4 * mm),
        paragraph("团支部意见：", BODY),
        paragraph(opinion, BODY),
        paragraph("团支部书记（签字）：____________    （盖章）    ______年____月____日", BODY),
        StampArea(30 * mm),
        Spacer(1, 4 * mm),
        paragraph(f"上级团组织（{form.parent or UNKNOWN}）意见：", BODY),
        paragraph(approved, BODY),
        paragraph("负责人（签字）：____________    （盖章）    ______年____月____日", BODY),
        StampArea(30 * mm),
        Spacer(1, 4 * mm),
        paragraph("备注：", BODY),
    ]


def recommendation_pdf(form: RecommendationForm) -> bytes:
    info = PageInfo(form.organisation, "推优入党推荐表", _field(form, "name"), "", form.taken_at)
    story: list[Flowable] = []
    for n, copy in enumerate(COPIES):
        if n:
            story.append(PageBreak())
        story += _copy(form, copy)
    return render(story, info)
