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
from qzdesk.services.archive.snapshot import Snapshot


def build(snap: Snapshot) -> list[Flowable]:
    found, rows = snap.received, snap.received_rows
    if not found:
        return []
    story: list[Flowable] = [
        paragraph("收件汇总", TITLE),
        paragraph(
            f"本期收到并校验通过的下级组织台账 {len(found)} 份"
            "（同一期间收到新件的，只列最新一份）。"
            "文件校验码可与各组织报送的文件逐一核对。",
            BODY,
        ),
        data_table(
            ["组织", "期间", "台账编号", "文件校验码（SHA-256 前 16 位）"],
            [[f["org"], f["period"], f["archive_id"], f["sha256"][:16] + "…"] for f in found],
            [60 * mm, 20 * mm, 48 * mm, 46 * mm],
        ),
        paragraph("汇总表", HEADING),
    ]
    headers = [
        "组织",
        "在册团员",
        "本期入团",
        "本期离团",
        "支部大会",
        "支委会",
        "团课",
        "主题团日",
        "已注册",
        "书记",
    ]
    table = [
        [
            r.org_name,
            str(r.on_books),
            str(r.joined),
            str(r.left),
            *(
                f"{r.held[k]}/{'—' if r.required[k] is None else r.required[k]}"
                for k in ("assembly", "committee", "lecture", "league_day")
            ),
            str(r.registered),
            r.secretary,
        ]
        for r in rows
    ]
    story += [
        data_table(headers, table, fitted_widths(headers, table)),
        paragraph("“支部大会”等列为已开/应开，应开按各组织台账所载规则配置计算。", SMALL),
    ]
    return story


RECEIVED = DocumentSpec("received", "收件汇总", build)
