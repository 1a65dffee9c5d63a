"""The 乡镇团委 demo: a town's committee that has received its villages' archives of the
last quarter (one village registered but silent), so the chain 村 → 镇 → 区 can be shown
end to end: each village is a qzdesk of its own beside the town's data folder, and the
town's own archive then vouches for them upward; and the committee's year (its register,
cadres and last year's 考评). Built here, not in services/demo,
because the villages' archives are laid out and signed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from qzdesk.export.archive import save_archive
from qzdesk.export.receiving import receive_folder
from qzdesk.services.clock import FixedClock
from qzdesk.services.demo.committee import build_committee_year
from qzdesk.services.demo.village import DEMO_TOWN, build_branch_demo
from qzdesk.services.desk import Desk
from qzdesk.services.organisation.orgs import OrgInfo
from qzdesk.services.organisation.rules import DEFAULT_PROFILE_ID, RuleProfile
from qzdesk.services.periods import Period, parse_period
from qzdesk.services.receiving import registry
from qzdesk.services.security import branch_key
from qzdesk.services.setup import SetupRequest, initialise
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import OrgKind, Sector

DISTRICT = "共青团天水市秦州区委员会"
# (village, reports this quarter): the silent one shows up as 未报送.
VILLAGES = (("东关村团支部", True), ("西坡村团支部", True), ("北山村团支部", False))


def last_quarter(today: date) -> Period:
    """The quarter that ended before today's began: the one a committee collects now."""
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    return parse_period(f"{first.year}Q{(first.month - 1) // 3 + 1}")


def build_town_demo(
    store: Store,
    profiles: dict[str, RuleProfile],
    today: date,
    villages_root: Path,
    password: str,
    seed: int = 1,
) -> OrgInfo:
    desk = Desk(store, profiles, FixedClock.on(today))
    town = desk.write(
        initialise,
        SetupRequest(
            org_name=DEMO_TOWN,
            org_kind=OrgKind.COMMITTEE,
            sector=Sector.TOWNSHIP,
            secretary="赵敏",
            password=password,
            profile_id=DEFAULT_PROFILE_ID,
            branches=["镇机关团支部"],
            parent_org=DISTRICT,
            founded_on=date(today.year - 10, 1, 1),
        ),
    ).value.org
    handed = villages_root / "报送的台账"
    for number, (name, reports) in enumerate(VILLAGES):
        root = villages_root / name
        with Store.open(root, "qzdesk demo", create=True) as village:
            build_branch_demo(
                Desk(village, profiles), today, name, Sector.VILLAGE, 10 * seed + number, password
            )
            if reports:
                Desk(village, profiles).write(save_archive, last_quarter(today), password, handed)
            cert = root / "签名证书.pem"
            cert.write_bytes(branch_key.certificate_pem(village))
            info = branch_key.key_info(village)
        assert info is not None  # made with the village's store
        desk.write(registry.register, cert, name, info.fingerprint.replace(":", " "))
    desk.write(receive_folder, handed)
    desk.actor = "赵敏"
    build_committee_year(desk, today, [name for name, _reports in VILLAGES])
    return town
