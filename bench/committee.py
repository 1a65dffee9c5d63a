"""A district committee's year at scale: 300 villages and 60 三新 units in the register,
each village's archive of the last quarter received (the same demo village's data under
300 names, put in the receipt log directly: receiving itself is bench/receiving.py).

Measures, against the bare library doing the same reading in the same run:
- the 组织覆盖 tab (services.committee.coverage: the register's changes, the archives'
  在册 and 书记; then the table filled) and the 团干部 tab (services.committee.cadres:
  every archive's terms and roster, the committee's fields, the analysis against the
  quarter before; then the table and charts) vs raw sqlite3 reading the same rows and
  json.loads of every archive; the target is each within 1 s.
Run with `make bench`; results go to bench/results/committee.json."""

from __future__ import annotations

import copy
import json
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from common import begin, connect, record, results  # bench/common.py, beside this script

VILLAGES = 300
NEW_FIELDS = 60
RESULTS = results("committee")


def main() -> None:
    load_before = begin()
    from PySide6.QtWidgets import QApplication

    from qzdesk.models import Receipt
    from qzdesk.services import clock
    from qzdesk.services.archive.data import archive_data
    from qzdesk.services.archive.take import take_snapshot
    from qzdesk.services.clock import FixedClock, running_on
    from qzdesk.services.committee import register
    from qzdesk.services.committee.cadres import analysis
    from qzdesk.services.committee.coverage import coverage
    from qzdesk.services.demo.village import build_branch_demo
    from qzdesk.services.desk import Desk
    from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
    from qzdesk.services.periods import parse_period
    from qzdesk.services.setup import SetupRequest, initialise
    from qzdesk.services.storage.store import Store
    from qzdesk.ui.receiving.cadres_tab import CadresTab
    from qzdesk.ui.receiving.coverage_tab import CoverageTab
    from qzdesk.vocabulary import OrgForm, OrgKind, Sector, UnitChange

    app = QApplication.instance() or QApplication([])
    profiles = load_profiles([bundled_rules_dir()])
    today = clock.today()
    quarter = parse_period(f"{today.year}Q{(today.month - 1) // 3 + 1}").previous
    with tempfile.TemporaryDirectory() as tmp:
        with (
            running_on(FixedClock.on(today)),
            Store.open(Path(tmp) / "village", "bench", create=True) as village,
        ):
            build_branch_demo(Desk(village, profiles), today, "样板村团支部")
            sample = archive_data(Desk(village, profiles).read(take_snapshot, quarter), "X")
        data = Path(tmp) / "district"
        with running_on(FixedClock.on(today)), Store.open(data, "bench", create=True) as store:
            Desk(store, profiles).write(
                initialise,
                SetupRequest(
                    org_name="共青团某区委员会",
                    org_kind=OrgKind.COMMITTEE,
                    sector=Sector.TOWNSHIP,
                    secretary="区团委书记",
                    password="qzdemo",
                    profile_id="qinzhou-2024",
                    branches=["机关团支部"],
                    parent_org="共青团天水市委员会",
                ),
            )
        with Store.open(data, "bench") as store:
            desk = Desk(store, profiles, FixedClock.on(today))
            listed = date(today.year - 2, 1, 1)
            names = [f"第{n:03d}村" for n in range(VILLAGES)]
            ids = desk.write(register.add_units, names, Sector.VILLAGE, listed, "某镇").value
            fields = [f"三新单位{n:02d}" for n in range(NEW_FIELDS)]
            field_ids = desk.write(
                register.add_units, fields, Sector.NEW_ECONOMIC, listed, "某镇"
            ).value
            for n, unit in enumerate(ids[: VILLAGES - 12] + field_ids[:40]):
                name = names[n] if n < VILLAGES - 12 else fields[n - VILLAGES + 12]
                desk.write(
                    register.record_change,
                    unit,
                    UnitChange.SET_UP,
                    listed if n % 7 else date(today.year - 1, 3, 1),
                    OrgForm.OWN,
                    f"{name}团支部",
                )
            with store.transaction() as session:
                for n, name in enumerate(names[: VILLAGES - 12]):
                    copied = copy.deepcopy(sample)
                    copied["branch"]["name"] = f"{name}团支部"
                    copied["archive_id"] = f"QZ-{quarter.code}-{n:08X}"
                    session.add(
                        Receipt(
                            file_sha256=f"{n:064x}",
                            file_name=f"{name}.pdf",
                            received_at=datetime.now(UTC),
                            received_by="bench",
                            accepted=True,
                            reasons=[],
                            archive_id=copied["archive_id"],
                            org_name=copied["branch"]["name"],
                            period_code=quarter.code,
                            data=copied,
                        )
                    )
            cover_tab, cadres_tab = CoverageTab(None), CadresTab(None)  # type: ignore[arg-type]

            def shown_coverage() -> float:
                started = time.perf_counter()
                cover_tab.show_data(desk.read(coverage, quarter))
                app.processEvents()
                return time.perf_counter() - started

            def shown_cadres() -> float:
                started = time.perf_counter()
                cadres_tab.show_data(desk.read(analysis, quarter))
                app.processEvents()
                return time.perf_counter() - started

            covered = min(shown_coverage() for _ in range(3))
            analysed = min(shown_cadres() for _ in range(3))
            assert cover_tab.table.rowCount() == VILLAGES + NEW_FIELDS
            people = len(cadres_tab.analysis.rows) if cadres_tab.analysis else 0

        def bare() -> float:
            started = time.perf_counter()
            conn = connect(data / "qzdesk.sqlite")
            conn.execute("SELECT * FROM unit").fetchall()
            conn.execute('SELECT * FROM unit_event ORDER BY "on", id').fetchall()
            conn.execute("SELECT * FROM unit_check").fetchall()
            archives = [
                json.loads(row[0])
                for row in conn.execute(
                    "SELECT data FROM receipt WHERE accepted = 1 AND superseded_by IS NULL"
                )
            ]
            conn.close()
            assert len(archives) == VILLAGES - 12
            return time.perf_counter() - started

        raw = min(bare() for _ in range(3))
    result = {
        "villages": VILLAGES,
        "cadres": people,
        "coverage_s": round(covered, 3),
        "cadres_s": round(analysed, 3),
        "bare_read_s": round(raw, 3),
        "coverage_ratio": round(covered / raw, 1),
        "cadres_ratio": round(analysed / raw, 1),
    }
    record(RESULTS, result, load_before)
    print(
        f"committee of {VILLAGES} villages: coverage shown in {covered:.2f} s "
        f"({result['coverage_ratio']}× raw read), {people} cadres analysed and shown in "
        f"{analysed:.2f} s ({result['cadres_ratio']}× raw read, {raw:.2f} s)"
    )


if __name__ == "__main__":
    main()
