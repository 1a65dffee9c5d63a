"""组织概况: the organisation, its branches and the rule profile in force."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from qzdesk.export.pdf.layout import BODY, HEADING, TITLE, data_table, paragraph
from qzdesk.export.pdf.spec import DocumentSpec
from qzdesk.services import clock
from qzdesk.services.meetings import terms
from qzdesk.services.members import records
from qzdesk.services.organisation.orgs import counts_as_branch, orgs_on
from qzdesk.services.organisation.overview import overview
from qzdesk.services.organisation.rules import installed_profiles
from qzdesk.services.periods import Period
from qzdesk.services.storage.store import Store


def build(store: Store, period: Period) -> list[Flowable]:
    as_of = min(period.end, clock.today())
    data = overview(store, installed_profiles(store.paths), as_of)
    entries = records.roster_on(store, as_of)
    counts: dict[int, int] = {}
    for entry in entries:
        if entry.left_on is None:
            counts[entry.branch_id] = counts.get(entry.branch_id, 0) + 1
    root = data.root
    # The 书记 as the election records show it (as the committee's summary reads it); the
    # name given in 设置 where no election of the organisation itself is recorded.
    elected = terms.organisation_secretary(terms.archive_section(store, as_of), root.id)
    tree = orgs_on(store, as_of)
    branches = [b for b in tree if b.parent_id is not None]
    # A village's organisation is itself its one 团支部: counted as the summary counts.
    in_being = [b for b in tree if counts_as_branch(b.kind.value, b.closed_on)]
    return [
        paragraph("组织概况", TITLE),
        paragraph(
            f"组织名称：{root.name}\n组织类型：{root.kind.label}　　所在领域：{root.sector.label}\n"
            f"上级团组织：{data.parent_org}\n"
            f"书记：{elected or f'{data.secretary}（设置中登记，无本级选举记录）'}\n"
            f"在用规则配置：{data.profile.title}\n"
            f"截至 {as_of:%Y年%m月%d日}：团支部 {len(in_being)} 个，在册团员 "
            f"{sum(counts.values())} 人。",
            BODY,
        ),
        paragraph("团支部", HEADING),
        data_table(
            ["团支部", "成立日期", "状态", "在册团员"],
            [
                [
                    b.name,
                    b.created_on.isoformat(),
                    "正常"
                    if b.closed_on is None
                    else f"{b.closed_on:%Y-%m-%d} 撤销：{b.close_reason}",
                    str(counts.get(b.id, 0)),
                ]
                for b in branches
            ],
            [62 * mm, 28 * mm, 60 * mm, 24 * mm],
        ),
    ]


OVERVIEW = DocumentSpec("overview", "组织概况", build)
