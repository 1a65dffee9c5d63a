"""The town committee's year in the demo: its villages in the register (two with no
branch yet), the 三新 units around the town (two organised last year, one this year),
四有 checks, the committee's fields of the cadres its villages' archives name, a
training, and last year's 考评 done."""

from __future__ import annotations

from datetime import date

from qzdesk.services.committee import appraisal, cadres, register
from qzdesk.services.desk import Desk
from qzdesk.services.periods import parse_period
from qzdesk.vocabulary import CadreNature, FourHas, Grade, OrgForm, Sector, UnitChange

TOWNSHIP = "某镇"
NO_BRANCH_YET = ("南河村", "杨家寺村")
NEW_FIELDS = (
    ("镇区快递服务站", Sector.NEW_EMPLOYMENT),
    ("外卖骑手驿站", Sector.NEW_EMPLOYMENT),
    ("某农业科技有限公司", Sector.NEW_ECONOMIC),
    ("镇青年志愿者协会", Sector.NEW_SOCIAL),
    ("某电商服务中心", Sector.NEW_ECONOMIC),
)


def build_committee_year(desk: Desk, today: date, villages: list[str]) -> None:
    """`villages`: the names of the village branches that report to the town."""
    listed = date(today.year - 2, 1, 1)
    names = [v.removesuffix("团支部") for v in villages]
    ids = desk.write(
        register.add_units, [*names, *NO_BRANCH_YET], Sector.VILLAGE, listed, TOWNSHIP
    ).value
    for unit, branch in zip(ids, villages, strict=False):
        desk.write(register.record_change, unit, UnitChange.SET_UP, listed, OrgForm.OWN, branch)
        desk.write(
            register.check_four_has,
            unit,
            date(today.year, 3, 15),
            {item: item is not FourHas.VENUE or unit == ids[0] for item in FourHas},
        )
    for number, (name, sector) in enumerate(NEW_FIELDS):
        [unit] = desk.write(
            register.add_units, [name], sector, listed, TOWNSHIP, youth_count=8 + 3 * number
        ).value
        if number < 3:
            on = date(today.year - 1, 6, 1) if number < 2 else date(today.year, 4, 20)
            form = OrgForm.JOINT if sector is Sector.NEW_EMPLOYMENT else OrgForm.OWN
            desk.write(register.record_change, unit, UnitChange.SET_UP, on, form, f"{name}团支部")
    people = desk.read(cadres.cadre_rows, parse_period(str(today.year)))
    for number, row in enumerate(r for r in people if r.cadre.id_number):
        id_number = row.cadre.id_number or ""
        desk.write(
            cadres.set_file,
            id_number,
            row.cadre.name,
            CadreNature.PART_TIME,
            row.cadre.elected_on,
            row.cadre.post == "书记",
            "村（社区）干部" if row.cadre.post == "书记" else "无",
        )
        if number == 0:
            desk.write(
                cadres.add_training,
                id_number,
                row.cadre.name,
                date(today.year, 5, 12),
                "青马工程基层团干部培训班",
                24.0,
            )
        votes = {Grade.EXCELLENT: 6 + number, Grade.COMPETENT: 3, Grade.BASIC: number % 2}
        desk.write(
            appraisal.record,
            id_number,
            row.cadre.name,
            today.year - 1,
            date(today.year - 1, 12, 20),
            "述职报告：全年组织“三会两制一课”，发展团员，开展志愿服务。",
            Grade.EXCELLENT if number % 3 == 0 else Grade.COMPETENT,
            votes,
        )
