"""毕业转接 at scale: 500 members of a school transferred out in one batch (each a signed
package: 介绍信 + 成长档案 + data) and received by another organisation (each checked, the
member entered with the history, a signed 回执 written). Two ratios in the same run:
- sending vs pyHanko alone signing 500 one-page PDFs with the same key;
- receiving vs pyHanko alone validating the same 500 packages' signatures and signing
  500 one-page PDFs (the receiver checks each package and signs a 回执 for it).
Run with `make bench`; results go to bench/results/transfer.json."""

from __future__ import annotations

import os
import tempfile
import time
from io import BytesIO
from pathlib import Path

from common import PASSWORD, begin, demo, record, results  # bench/common.py, beside this script

MEMBERS = int(os.environ.get("QZDESK_BENCH_MEMBERS", "500"))
RESULTS = results("transfer")


def bare_sign(key_and_cert: tuple[object, object], count: int) -> float:
    """pyHanko signing a one-page ReportLab PDF `count` times with the same key."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from reportlab.pdfgen.canvas import Canvas

    from qzdesk.export.signed_pdf import _asn1

    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 700, "transfer letter")
    canvas.save()
    pdf = buffer.getvalue()
    key, cert = _asn1(*key_and_cert)
    signer = signers.SimpleSigner(signing_cert=cert, signing_key=key, cert_registry=None)
    meta = signers.PdfSignatureMetadata(
        field_name="Sig", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    started = time.perf_counter()
    for _ in range(count):
        signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf)), meta, signer, output=BytesIO())
    return time.perf_counter() - started


def bare_validate(files: list[Path], cert_pem: bytes) -> float:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(pem.unarmor(cert_pem)[2])
    started = time.perf_counter()
    for path in files:
        reader = PdfFileReader(BytesIO(path.read_bytes()))
        status = validate_pdf_signature(
            reader.embedded_signatures[0], ValidationContext(trust_roots=[root])
        )
        assert status.intact and status.valid
    return time.perf_counter() - started


def main() -> None:
    load_before = begin()
    from qzdesk.export.transfer import receive_files, send
    from qzdesk.models import Member
    from qzdesk.services.desk import Desk
    from qzdesk.services.organisation.rules import (
        DEFAULT_PROFILE_ID,
        bundled_rules_dir,
        load_profiles,
    )
    from qzdesk.services.security import branch_key
    from qzdesk.services.setup import SetupRequest, initialise
    from qzdesk.services.storage.store import Store
    from qzdesk.services.transfer.book import Move
    from qzdesk.services.transfer.snapshot import Side
    from qzdesk.vocabulary import OrgKind, Sector, TransferCause

    profiles = load_profiles([bundled_rules_dir()])
    with tempfile.TemporaryDirectory() as tmp:
        school, village, out = Path(tmp) / "school", Path(tmp) / "village", Path(tmp) / "U盘"
        demo(school, MEMBERS)
        # The receiving school, set up new (its own people would share the demo's numbers).
        with Store.open(village, "bench", create=True) as store:
            Desk(store, profiles).write(
                initialise,
                SetupRequest(
                    org_name="某县第一中学团委",
                    org_kind=OrgKind.COMMITTEE,
                    sector=Sector.HIGH_SCHOOL,
                    secretary="李书记",
                    password=PASSWORD,
                    profile_id=DEFAULT_PROFILE_ID,
                    parent_org="共青团某县委",
                    branches=["高一（1）班团支部"],
                ),
            )
        to = Side("某县第一中学团委", "共青团某县委")
        with Store.open(school, "bench") as store:
            desk = Desk(store, profiles)

            def leaving(ctx):  # type: ignore[no-untyped-def]
                rows = ctx.session.query(Member.id).filter(Member.status == "active")
                return [Move(i, to, TransferCause.STUDY) for (i,) in rows.limit(MEMBERS)]

            moves = desk.read(leaving)
            started = time.perf_counter()
            saved = desk.write(send, moves, None, PASSWORD, out).value
            sent = time.perf_counter() - started
            key_and_cert = branch_key.load_key(store, PASSWORD)
            cert_pem = branch_key.certificate_pem(store)
        files = [s.path for s in saved]
        with Store.open(village, "bench") as store:
            desk = Desk(store, profiles)
            branch = desk.read(lambda ctx: ctx.overview.open_branches[0].id)
            started = time.perf_counter()
            desk.write(receive_files, files, branch, PASSWORD, Path(tmp) / "回执")
            received = time.perf_counter() - started
        signing = bare_sign(key_and_cert, len(files))
        validating = bare_validate(files, cert_pem)
    result = {
        "members": len(files),
        "send_s": round(sent, 2),
        "bare_sign_s": round(signing, 2),
        "send_ratio": round(sent / signing, 2),
        "receive_s": round(received, 2),
        "bare_validate_s": round(validating, 2),
        "receive_ratio": round(received / (validating + signing), 2),
    }
    record(RESULTS, result, load_before)
    print(
        f"transfer of {len(files)} members: sent in {sent:.1f} s ({result['send_ratio']}× "
        f"pyHanko signing alone, {signing:.1f} s); received in {received:.1f} s "
        f"({result['receive_ratio']}× pyHanko validating, {validating:.1f} s, and signing alone)"
    )


if __name__ == "__main__":
    main()
