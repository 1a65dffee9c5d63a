"""A realistic demo organisation, for trying qzdesk and for screenshots and benchmarks."""

from __future__ import annotations

from datetime import date

from qzdesk.models import OrgKind, Sector
from qzdesk.services import orgs
from qzdesk.services.rules import DEFAULT_PROFILE_ID, RuleProfile
from qzdesk.services.setup import SetupRequest, initialise
from qzdesk.services.store import Store

DEMO_PASSWORD = "qzdemo"
DEMO_ORG = "秦州区示范中学团委（演示）"


def demo_request(today: date) -> SetupRequest:
    return SetupRequest(
        org_name=DEMO_ORG,
        org_kind=OrgKind.COMMITTEE,
        sector=Sector.MIDDLE_SCHOOL,
        secretary="李文静",
        password=DEMO_PASSWORD,
        profile_id=DEFAULT_PROFILE_ID,
        branches=[
            "初三（1）班团支部",
            "初三（2）班团支部",
            "初三（3）班团支部",
            "初二（1）班团支部",
            "教职工团支部",
        ],
        founded_on=date(today.year - 3, 9, 1),
    )


def build_demo(store: Store, profiles: dict[str, RuleProfile], today: date) -> orgs.OrgInfo:
    """The school's committee with its class branches, plus a graduated class's branch that
    was closed, as every school has."""
    root = initialise(store, demo_request(today), profiles).value
    graduated = orgs.add_branch(
        store, root.id, f"{today.year - 1}届初三（4）班团支部", date(today.year - 3, 9, 1)
    ).value
    orgs.close_org(
        store, graduated.id, date(today.year - 1, 7, 5), "学生毕业，团员组织关系已全部转出"
    )
    return root
