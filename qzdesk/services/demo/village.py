"""A village (or community, or company) 团支部 of its own, for showing the receiving side:
each one built with its own name, key, people and record of the last two years."""

from __future__ import annotations

import random
from datetime import date

from qzdesk.services.clock import FixedClock, running_on
from qzdesk.services.dates import add_months
from qzdesk.services.demo.history import evaluated, meetings_held
from qzdesk.services.demo.people import PeopleMaker, enrol
from qzdesk.services.desk import Desk
from qzdesk.services.meetings import terms
from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.rules import DEFAULT_PROFILE_ID
from qzdesk.services.setup import SetupRequest, initialise
from qzdesk.vocabulary import OrgKind, Sector

DEMO_TOWN = "共青团天水市秦州区某镇委员会"


def occupations_in(sector: Sector) -> tuple[str, ...]:
    """What young members of a branch of the sector do (a company's are not farmers)."""
    return {
        Sector.VILLAGE: ("务农", "外出务工", "个体经营", "村“两委”工作人员"),
        Sector.COMMUNITY: ("社区工作者", "个体经营", "企业职工", "灵活就业"),
    }.get(sector, ("企业职工", "专业技术人员", "销售人员", "生产操作工", "管理人员"))


def build_branch_demo(
    desk: Desk,
    today: date,
    name: str,
    sector: Sector = Sector.VILLAGE,
    seed: int = 1,
    password: str = "qzdemo",
    parent_org: str = DEMO_TOWN,
) -> orgs.OrgInfo:
    """A single 团支部 with 12–24 young members; how well it kept its meetings, its
    election and its evaluation depends on `seed`, as branches differ. Its archives name
    `parent_org` above it (a committee receives only what names it)."""
    chance = random.Random(seed)
    request = SetupRequest(
        org_name=name,
        org_kind=OrgKind.BRANCH,
        sector=sector,
        secretary="",
        password=password,
        profile_id=DEFAULT_PROFILE_ID,
        parent_org=parent_org,
        founded_on=date(today.year - 6, 3, 1),
    )
    maker = PeopleMaker(seed=seed)
    people = [
        maker.villager(
            today, chance.randint(18, 27), name.removesuffix("团支部"), occupations_in(sector)
        )
        for _ in range(chance.randint(12, 24))
    ]
    people[0].league_post = "书记"
    people[0].post_since = add_months(today, -20)
    request.secretary = people[0].name
    root = desk.write(initialise, request).value.org
    desk.write(enrol, [(p, root.id) for p in people], today)
    quality = chance.choice((1.0, 0.85, 0.6, 0.3))
    meetings_held(desk, today, {name: quality}, seed)
    if quality >= 0.6:  # the weaker ones have no election on record
        elected = add_months(today, -20)
        with running_on(FixedClock.on(elected)):
            desk.write(
                terms.record_election,
                root.id,
                elected,
                people[0].name,
                [people[1].name, people[2].name],
                None,
                elected,
            )
    if quality >= 0.85:
        evaluated(desk, root.id, today.year - 1, today)
    return root
