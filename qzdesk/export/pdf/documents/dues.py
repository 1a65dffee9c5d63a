"""团费收缴情况: the period's 应交 and 实交, the 收缴率, the money held, passed up and spent
(with the purposes), and who is 6 months or more behind."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import BODY, TITLE, data_table, empty_note, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services.archive.snapshot import Snapshot, yuan_text


def build(snap: Snapshot) -> list[Flowable]:
    dues = snap.dues
    story: list[Flowable] = [paragraph("团费收缴情况", TITLE)]
    if not dues.due_members and not dues.paid_fen and not snap.money.opening_fen:
        return [*story, empty_note("本期没有团费记录。")]
    rate = "—" if dues.rate is None else f"{dues.rate:.1%}"
    story += [
        paragraph(
            f"{snap.period.label}，截至 {snap.as_of:%Y年%m月%d日}（应交按规则配置和各团员的"
            "交纳类别逐月计算；交清指本期每个应交月份均已交纳或经批准减免）。",
            BODY,
        ),
        data_table(
            ["应交人数", "交清人数", "收缴率", "应交金额（元）", "实交金额（元）"],
            [
                [
                    str(dues.due_members),
                    str(dues.paid_members),
                    rate,
                    yuan_text(dues.due_fen),
                    yuan_text(dues.paid_fen),
                ]
            ],
            [30 * mm, 30 * mm, 30 * mm, 42 * mm, 42 * mm],
        ),
    ]
    money = snap.money
    story += [
        paragraph("收支情况（元）", BODY),
        data_table(
            ["上期结余", "本期收缴", "上缴上级团委", "支出", "期末结余", "按比例应上缴未缴"],
            [
                [
                    yuan_text(money.opening_fen),
                    yuan_text(money.received_fen),
                    yuan_text(money.handed_up_fen),
                    yuan_text(money.spent_fen),
                    yuan_text(money.closing_fen),
                    yuan_text(money.to_hand_up_fen),
                ]
            ],
            [29 * mm] * 6,
        ),
    ]
    if money.spent:
        story.append(
            paragraph(
                "支出用途："
                + "；".join(f"{p.label} {yuan_text(a)} 元" for p, a in money.spent)
                + "。",
                BODY,
            )
        )
    if dues.lapsing:
        story.append(
            paragraph(
                f"连续 {snap.organisation.profile.membership.lapse_months.value} 个月以上未交："
                f"{'、'.join(dues.lapsing)}（无正当理由的，经核实可按团章办理自行脱团）。",
                BODY,
            )
        )
    return story


DUES = DocumentSpec("dues", "团费收缴情况", build)
