"""A year's signed archive of a 1,000-member branch: build + sign time, pages per second
against bare ReportLab laying out the same roster tables in the same run, and verification.
Run with `make bench`; results go to bench/results/archive.json."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

from common import begin, demo, record, results  # bench/common.py, beside this script
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table

from qzdesk.export.archive import build_archive, verify_archive
from qzdesk.services.desk import Desk
from qzdesk.services.members import records
from qzdesk.services.organisation.rules import bundled_rules_dir, load_profiles
from qzdesk.services.periods import parse_period
from qzdesk.services.security import branch_key
from qzdesk.services.storage.store import Store

MEMBERS = 1_000
RESULTS = results("archive")


def bare_reportlab(rows: list[list[str]]) -> tuple[float, int]:
    """The same roster rows as plain tables, no fonts, no header/footer, no signature."""
    start = time.perf_counter()
    buffer = BytesIO()
    story = [Table(rows[i : i + 40], repeatRows=1) for i in range(0, len(rows), 40)]
    SimpleDocTemplate(buffer, pagesize=A4).build(story)
    elapsed = time.perf_counter() - start
    pages = len(PdfFileReader(BytesIO(buffer.getvalue())).root["/Pages"]["/Kids"])
    return elapsed, pages


def main() -> None:
    load_before = begin()
    profiles = load_profiles([bundled_rules_dir()])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "branch"
        demo(data, MEMBERS)
        with Store.open(data, "bench") as store:
            period = parse_period(str(date.today().year))
            start = time.perf_counter()
            _archive_id, pdf = Desk(store, profiles).read(build_archive, period, "qzdemo")
            built = time.perf_counter() - start
            own = x509.load_pem_x509_certificate(branch_key.certificate_pem(store))
            rows = [
                [e.draft.name, e.draft.gender, e.draft.id_number, e.draft.member_no, e.branch_name]
                for e in Desk(store, {}).read(records.roster_on, date.today())
            ]
    pages = len(PdfFileReader(BytesIO(pdf)).root["/Pages"]["/Kids"])
    start = time.perf_counter()
    assert verify_archive(pdf, [own]).ok
    verified = time.perf_counter() - start
    bare_time, bare_pages = bare_reportlab(rows)
    ours_rate, bare_rate = pages / built, bare_pages / bare_time
    result = {
        "members": MEMBERS,
        "pages": pages,
        "build_and_sign_s": round(built, 2),
        "pages_per_s": round(ours_rate, 1),
        "bare_reportlab_pages_per_s": round(bare_rate, 1),
        "rate_ratio": round(bare_rate / ours_rate, 2),
        "verify_s": round(verified, 2),
    }
    record(RESULTS, result, load_before)
    print(
        f"archive of {MEMBERS} members: {pages} pages built and signed in {built:.2f} s "
        f"(target ≤ 10 s); {ours_rate:.1f} pages/s vs bare ReportLab {bare_rate:.1f} pages/s "
        f"({result['rate_ratio']}× slower); verified in {verified:.2f} s (target ≤ 2 s)"
    )


if __name__ == "__main__":
    main()
