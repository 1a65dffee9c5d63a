"""A district committee receiving 300 quarterly archives: each from a village branch of
its own (the demo's village, 12–24 members with a year of meetings), built and signed in
worker processes, then received in one pass. Two figures:
- receiving throughput vs pyHanko alone validating the same signatures (the bare library
  doing the cryptographic part of the same work), as a ratio in the same run;
- what the 收件 page loads for the period (汇总表, 互查互评互比, 团干部 for 300
  organisations) and fills into its tables offscreen (target ≤ 1 s).
Run with `make bench`; results go to bench/results/receiving.json.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from io import BytesIO
from pathlib import Path

from common import PASSWORD, begin, record, results  # bench/common.py, beside this script

from qzdesk.services.desk import Desk

ORGS = int(os.environ.get("QZDESK_BENCH_ORGS", "300"))
PERIOD = "2026Q3"
TODAY = date(2026, 11, 20)
RESULTS = results("receiving")


def build_one(args: tuple[Path, int]) -> tuple[str, Path, str]:
    """One village's store and its signed archive of the quarter (in a worker process)."""
    from qzdesk.export.archive import save_archive
    from qzdesk.services.demo.village import build_branch_demo
    from qzdesk.services.desk import Desk
    from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
    from qzdesk.services.periods import parse_period
    from qzdesk.services.security import branch_key
    from qzdesk.services.storage.store import Store

    root, n = args
    profiles = load_profiles([bundled_rules_dir()])
    name = f"第{n:03d}村团支部"
    with Store.open(root / f"v{n:03d}", "bench", create=True) as store:
        build_branch_demo(Desk(store, profiles), TODAY, name, seed=n, password=PASSWORD)
        Desk(store, profiles).write(save_archive, parse_period(PERIOD), PASSWORD, root / "U盘")
        cert = root / f"v{n:03d}.pem"
        cert.write_bytes(branch_key.certificate_pem(store))
        return name, cert, branch_key.key_info(store).fingerprint


def bare_pyhanko(files: list[Path], certs: list[Path]) -> float:
    """pyHanko validating each file's signature against the registered certificates."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(pem.unarmor(c.read_bytes())[2]) for c in certs]
    started = time.perf_counter()
    for path in files:
        reader = PdfFileReader(BytesIO(path.read_bytes()))
        status = validate_pdf_signature(
            reader.embedded_signatures[0], ValidationContext(trust_roots=roots)
        )
        assert status.intact and status.valid
    return time.perf_counter() - started


def shown(store, profiles) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(the page's load for the period, its tables filled) in seconds, offscreen."""
    from PySide6.QtWidgets import QApplication

    from qzdesk.services.committee.cadres import analysis
    from qzdesk.services.desk import Desk
    from qzdesk.services.periods import parse_period
    from qzdesk.services.receiving.comparison import period_view
    from qzdesk.services.receiving.summary import SummaryRow
    from qzdesk.ui.receiving.cadres_tab import CadresTab
    from qzdesk.ui.receiving.compare_tab import CompareTab
    from qzdesk.ui.tables import fill_table, make_table

    app = QApplication.instance() or QApplication(sys.argv)
    started = time.perf_counter()
    view = Desk(store, profiles).read(period_view, PERIOD)
    found = Desk(store, profiles).read(analysis, parse_period(PERIOD))
    loaded = time.perf_counter() - started
    table, compare, cadres = (
        make_table(list(SummaryRow.HEADERS), "summary"),
        CompareTab(),
        CadresTab(None),  # type: ignore[arg-type]  # shown only: no form is opened
    )
    started = time.perf_counter()
    fill_table(table, [[str(v) for v in row.cells()] for row in view.summary])
    compare.show_data(view.comparison)
    cadres.show_data(found)
    app.processEvents()
    assert table.rowCount() == ORGS == len(view.comparison.compared)
    return loaded, time.perf_counter() - started


def main() -> None:
    load_before = begin()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qzdesk.export.receiving import archive_files, receive_folder
    from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
    from qzdesk.services.receiving import registry
    from qzdesk.services.setup import SetupRequest, initialise
    from qzdesk.services.storage.store import Store
    from qzdesk.vocabulary import OrgKind, Sector

    profiles = load_profiles([bundled_rules_dir()])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        with ProcessPoolExecutor() as pool:
            built = list(pool.map(build_one, [(root, n) for n in range(1, ORGS + 1)]))
        generated = time.perf_counter() - started
        files = archive_files(root / "U盘")
        committee = root / "committee"
        with Store.open(committee, "bench", create=True) as store:
            request = SetupRequest(
                org_name="共青团天水市秦州区某镇委员会",  # the town the demo villages name
                org_kind=OrgKind.COMMITTEE,
                sector=Sector.OTHER,
                secretary="王芳",
                password=PASSWORD,
                profile_id="qinzhou-2024",
                parent_org="某市团委",
                branches=["机关团支部"],
            )
            Desk(store, profiles).write(initialise, request)
            for name, cert, fingerprint in built:
                Desk(store, {}).write(registry.register, cert, name, fingerprint)
            started = time.perf_counter()
            verdicts = Desk(store, {}).write(receive_folder, root / "U盘")
            received = time.perf_counter() - started
            assert len(verdicts) == ORGS and all(v.accepted for v in verdicts), [
                v.reasons for v in verdicts if not v.accepted
            ][:3]
            loaded, filled = shown(store, profiles)
        bare = bare_pyhanko(files, [cert for _, cert, _ in built])
    result = {
        "archives": ORGS,
        "generated_s": round(generated, 1),
        "receive_s": round(received, 2),
        "archives_per_s": round(ORGS / received, 1),
        "bare_pyhanko_s": round(bare, 2),
        "receive_ratio": round(received / bare, 2),
        "period_view_s": round(loaded, 3),
        "tables_filled_s": round(filled, 3),
        "shown_s": round(loaded + filled, 3),
        "shown_target_s": 1.0,
    }
    record(RESULTS, result, load_before)
    print(
        f"receiving: {ORGS} archives in {result['receive_s']} s ({result['archives_per_s']}/s) = "
        f"{result['receive_ratio']}× pyHanko validating them alone ({result['bare_pyhanko_s']} s); "
        f"收件 page for {ORGS} organisations: {result['shown_s']} s "
        f"(load {result['period_view_s']} s + tables {result['tables_filled_s']} s; target ≤ 1 s)"
    )


if __name__ == "__main__":
    main()
