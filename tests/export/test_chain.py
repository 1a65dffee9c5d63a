"""村 → 镇 → 区: two villages hand their archives to the town's committee, the town's own
archive vouches for them with their figures, and the district that receives the town's
archive sees the villages under it, each figure traceable to the village archive's hash."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader

from qzdesk.export.archive import read_data, save_archive
from qzdesk.export.receiving import receive_folder
from qzdesk.services.clock import BEIJING
from qzdesk.services.demo.village import DEMO_TOWN, build_branch_demo
from qzdesk.services.periods import parse_period
from qzdesk.services.receiving import registry
from qzdesk.services.receiving.summary import summary, summed
from qzdesk.services.security import branch_key
from qzdesk.services.setup import SetupRequest, initialise
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import OrgKind, Sector
from tests.desks import desk_at, desk_of

PASSWORD = "qzdemo"
PERIOD = "2026Q3"
AT = datetime(2026, 10, 9, 10, tzinfo=BEIJING)
TOWN, DISTRICT = DEMO_TOWN, "共青团天水市秦州区委员会"


def committee(root: Path, name: str, parent: str, profiles) -> None:
    with Store.open(root, "tests", create=True) as store:
        desk_of(store, profiles).write(
            initialise,
            SetupRequest(
                org_name=name,
                org_kind=OrgKind.COMMITTEE,
                sector=Sector.OTHER,
                secretary="赵敏",
                password=PASSWORD,
                profile_id="qinzhou-2024",
                branches=["机关团支部"],
                parent_org=parent,
                founded_on=date(2015, 1, 1),
            ),
        )


def hand_over(sender: Path, receiver: Path, name: str, stick: Path, profiles) -> Path:
    """The sender's archive of the period on the stick, its certificate registered above."""
    with Store.open(sender, "tests") as store:
        saved = desk_at(store, AT, profiles).write(
            save_archive, parse_period(PERIOD), PASSWORD, stick
        )
        cert = sender / "cert.pem"
        cert.write_bytes(branch_key.certificate_pem(store))
        fingerprint = branch_key.key_info(store).fingerprint
    with Store.open(receiver, "tests") as store:
        desk_of(store).write(registry.register, cert, name, fingerprint.replace(":", " "))
    return saved.path


def test_villages_show_under_the_town_at_the_district(tmp_path, profiles):
    town, district = tmp_path / "town", tmp_path / "district"
    committee(town, TOWN, DISTRICT, profiles)
    committee(district, DISTRICT, "天水市团委", profiles)
    villages = {"东关村团支部": 3, "西坡村团支部": 4, "北山村团支部": 5}
    to_town, own = tmp_path / "to-town", {}
    for name, seed in villages.items():
        root = tmp_path / name
        with Store.open(root, "tests", create=True) as store:
            build_branch_demo(
                desk_of(store, profiles), AT.date(), name, Sector.VILLAGE, seed, PASSWORD
            )
        if name == "北山村团支部":  # registered, never reports
            with Store.open(root, "tests") as store:
                cert = root / "cert.pem"
                cert.write_bytes(branch_key.certificate_pem(store))
                fingerprint = branch_key.key_info(store).fingerprint
            with Store.open(town, "tests") as store:
                desk_of(store).write(registry.register, cert, name, fingerprint.replace(":", " "))
            continue
        path = hand_over(root, town, name, to_town, profiles)
        own[name] = (path, read_data(PdfFileReader(BytesIO(path.read_bytes()))))
    with Store.open(town, "tests") as store:
        verdicts = desk_of(store).write(receive_folder, to_town)
        assert all(v.accepted for v in verdicts), [v.reasons for v in verdicts]
    town_file = hand_over(town, district, TOWN, tmp_path / "to-district", profiles)
    town_data = read_data(PdfFileReader(BytesIO(town_file.read_bytes())))
    assert town_data["not_reported"] == ["北山村团支部"]
    vouched = {r["org"]: r for r in town_data["received"]}
    for name, (path, data) in own.items():
        assert vouched[name]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert vouched[name]["archive_id"] == data["archive_id"]
        assert vouched[name]["received_on"] == AT.date().isoformat() or vouched[name]["late"]
    with Store.open(district, "tests") as store:
        verdicts = desk_of(store).write(receive_folder, tmp_path / "to-district")
        assert all(v.accepted for v in verdicts), [v.reasons for v in verdicts]
        rows = desk_of(store, profiles).read(summary, PERIOD)
    assert [(r.org_name, r.depth) for r in rows] == [
        (TOWN, 0),
        *((name, 1) for name in sorted(own, key=list(vouched).index)),
    ]
    for row in rows[1:]:
        data = own[row.org_name][1]
        assert row.archive_id == data["archive_id"]
        assert row.on_books == sum(1 for m in data["members"] if m["status"] == "active")
        assert row.label.startswith("└ ")
    total = summed(rows)  # the subtree is the town's already: not counted twice
    assert total.on_books == rows[0].on_books


def test_the_township_demo_has_its_villages_archives(tmp_path):
    """`qzdesk demo --kind committee --sector township`: a 乡镇团委 that has received two of
    its three villages' archives of the last quarter; its own archive vouches for them."""
    import json

    from qzdesk.export.town_demo import last_quarter
    from qzdesk.services.clock import today
    from tests.unit.test_member_import import run_cli

    data = tmp_path / "镇"
    made = run_cli("demo", "--kind", "committee", "--sector", "township", "--data", str(data))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "镇-村" / "北山村团支部" / "qzdesk.sqlite").exists()
    period = last_quarter(today()).code
    built = run_cli(
        "archive",
        "build",
        "--period",
        period,
        "--data",
        str(data),
        "--out",
        str(tmp_path),
        "--json",
    )
    assert built.returncode == 0, built.stderr
    path = Path(json.loads(built.stdout)["file"])
    own = read_data(PdfFileReader(BytesIO(path.read_bytes())))
    assert own["branch"]["sector"] == "township" and own["branch"]["name"] == TOWN
    assert sorted(r["org"] for r in own["received"]) == ["东关村团支部", "西坡村团支部"]
    assert own["not_reported"] == ["北山村团支部"]
    assert all(r["figures"]["on_books"] > 0 for r in own["received"])
