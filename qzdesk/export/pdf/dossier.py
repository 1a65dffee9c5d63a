"""The pages of a member's 成长档案 (its 档案目录, 基本信息, 成长记录 and the checklist of
the 团员档案's papers) and of a transfer package (the 介绍信 first). Drawn from the
transfer snapshot alone: these pages query nothing."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NotAtTopPageBreak, Spacer

from qzdesk.export.pdf.layout import (
    BODY,
    HEADING,
    SMALL,
    SUBTITLE,
    TITLE,
    PageMark,
    data_table,
    paragraph,
)
from qzdesk.export.pdf.stamp import StampArea
from qzdesk.services.transfer.snapshot import UNKNOWN, Dossier, Package, PoliticalStatus

SECTIONS = (
    ("basics", "基本信息"),
    ("timeline", "成长记录"),
    ("papers", "团员档案材料"),
)
BASICS = (
    ("name", "姓名"),
    ("gender", "性别"),
    ("ethnicity", "民族"),
    ("birth_date", "出生日期"),
    ("id_number", "公民身份号码"),
    ("joined_on", "入团年月"),
    ("joined_unit", "入团时所在单位"),
    ("member_no", "团员编号"),
    ("political_status", "政治面貌"),
    ("party_joined_on", "入党时间"),
    ("education_highest", "最高学历"),
    ("work_unit", "工作单位或学校"),
    ("mobile", "联系电话"),
)


def _value(dossier: Dossier, name: str) -> str:
    text = dossier.field(name)
    if name == "political_status" and text != UNKNOWN:
        return PoliticalStatus(text).label
    if name == "joined_on" and text != UNKNOWN:
        return text[:7]
    if name == "joined_on" and (year := dossier.field("joined_year")) != UNKNOWN:
        return f"{year} 年（据团员编号）"
    return text


def dossier_story(
    dossier: Dossier, pages: dict[str, int], before: tuple[tuple[str, str], ...] = ()
) -> list[Flowable]:
    """The 成长档案 with its 目录 (page numbers from `pages`, filled by a first layout;
    `before` the parts that come ahead of it, as the 介绍信 in a package)."""
    story: list[Flowable] = [
        PageMark(pages, "dossier"),
        paragraph("团员成长档案", TITLE),
        paragraph(f"{dossier.name}\n{dossier.organisation}", SUBTITLE),
        paragraph("档案目录", HEADING),
        data_table(
            ["序号", "内容", "页码"],
            [
                [str(i), title, str(pages.get(key, "…"))]
                for i, (key, title) in enumerate((*before, *SECTIONS), 1)
            ],
            [20 * mm, 130 * mm, 20 * mm],
        ),
        paragraph(f"记录截至：{dossier.as_of:%Y年%m月%d日}；团费交至：{dossier.dues_text}", SMALL),
        PageMark(pages, "basics"),
        paragraph("基本信息", HEADING),
        data_table(
            ["项目", "内容"],
            [[label, _value(dossier, name)] for name, label in BASICS],
            [45 * mm, 129 * mm],
        ),
        NotAtTopPageBreak(),
        PageMark(pages, "timeline"),
        paragraph("成长记录", HEADING),
        paragraph(
            "记录单位为空的是本档案所属组织的记录；其余为随组织关系转来的记录，原样保留。", SMALL
        ),
        data_table(
            ["日期", "事项", "内容", "记录单位"],
            [[e.day_text, e.label, e.text, e.source] for e in dossier.timeline],
            [24 * mm, 24 * mm, 88 * mm, 38 * mm],
        ),
        PageMark(pages, "papers"),
        paragraph("团员档案材料", HEADING),
        data_table(
            ["材料", "状态", "扫描件（SHA-256 前 16 位）", "登记单位"],
            [
                [p.paper.label, p.state_text, (p.sha256 or "")[:16], p.source]
                for p in dossier.papers
            ],
            [40 * mm, 30 * mm, 62 * mm, 42 * mm],
        ),
    ]
    return story


def package_story(pkg: Package, pages: dict[str, int]) -> list[Flowable]:
    """The 介绍信 (with the paper 回执 for a receiver without qzdesk), then the 成长档案."""
    member = pkg.dossier
    letter = [
        PageMark(pages, "letter"),
        paragraph("团员组织关系介绍信", TITLE),
        paragraph(f"编号：{pkg.code}", SMALL),
        Spacer(1, 4 * mm),
        paragraph(f"{pkg.receiver.org}（上级团组织：{pkg.receiver.parent}）：", BODY),
        paragraph(
            f"    兹介绍 {pkg.name} 同志（{member.field('gender')}，公民身份号码 "
            f"{member.field('id_number')}，{_value(member, 'political_status')}，"
            f"入团年月 {_value(member, 'joined_on')}）的团员组织关系由 {pkg.sender.org} "
            f"转至你处，请接洽。\n"
            f"    转接原因：{pkg.cause.label}。\n"
            f"    该同志团费已交至 {pkg.dues_text}。",
            BODY,
        ),
        Spacer(1, 6 * mm),
        paragraph(
            f"{pkg.sender.org}（电子签名）\n上级团组织：{pkg.sender.parent}\n"
            f"{pkg.out_on:%Y年%m月%d日}",
            BODY,
        ),
        paragraph(
            f"（有效期 {(pkg.valid_until - pkg.out_on).days} 天，"
            f"至 {pkg.valid_until:%Y年%m月%d日}）",
            SMALL,
        ),
        Spacer(1, 4 * mm),
        StampArea(36 * mm),
        Spacer(1, 6 * mm),
        paragraph(
            "接收说明：使用 qzdesk 的接收单位，在“团员 → 接收转接”中打开本文件即可核验并转入，"
            "并生成电子回执交回转出单位。本文件经转出单位电子签名，附有机读数据和档案材料扫描件，"
            "任何改动都会使签名失效。未使用 qzdesk 的单位，请填写下面的回执寄回。",
            SMALL,
        ),
        Spacer(1, 4 * mm),
        paragraph("回执", HEADING),
        paragraph(
            f"{pkg.sender.org}：\n    编号 {pkg.code} 的介绍信收到，{pkg.name} 同志的团员组织关系"
            "已于 ______年____月____日 转入我单位。\n\n"
            "接收单位（盖章）：____________________    经办人：__________",
            BODY,
        ),
        NotAtTopPageBreak(),
    ]
    return letter + dossier_story(member, pages, (("letter", "团员组织关系介绍信"),))
