"""恢复码: the one page printed at setup, kept in the branch's locked cabinet. With it the
data opens when the password is forgotten (or the secretary changes and nobody was told)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from qzdesk.export.pdf.layout import BODY, TITLE, PageInfo, data_table, paragraph, render, style
from qzdesk.services import clock

CODE = style(22, leading=34, alignment=TA_CENTER, spaceBefore=6 * mm, spaceAfter=6 * mm)


def recovery_sheet(
    organisation: str, code: str, data_dir: Path, now: datetime | None = None
) -> bytes:
    now = now or clock.now()
    story: list[Flowable] = [
        paragraph("数据恢复码", TITLE),
        paragraph(
            "本单位 qzdesk 的数据文件已加密。忘记登录密码时，用下面的恢复码可以打开数据并设置新密码"
            "（登录窗口的“忘记密码”，或命令 qzdesk password reset）。",
            BODY,
        ),
        paragraph(code, CODE),
        data_table(
            ["项目", "内容"],
            [
                ["组织名称", organisation],
                ["数据目录", str(data_dir)],
                ["生成时间", f"{now:%Y-%m-%d %H:%M}"],
            ],
            [40 * mm, 134 * mm],
        ),
        Spacer(1, 6 * mm),
        paragraph(
            "保管要求：打印后放入支部文件柜，与电脑分开存放；不要拍照发到微信群，不要存在同一台电脑上。"
            "拿到恢复码和数据文件的人就能读到全部团员信息。换届交接时把这一页交给新书记；"
            "如果恢复码泄露，请在“设置 → 修改密码”中生成新的恢复码。",
            BODY,
        ),
    ]
    return render(story, PageInfo(organisation, "数据恢复码", f"{now:%Y年%m月%d日}", "—", now))
