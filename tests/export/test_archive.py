"""The signed archive, checked by pyHanko and independently by Poppler and qpdf."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from cryptography import x509
from PIL import Image

from qzdesk.config import resources_dir
from qzdesk.export.archive import ATTACHMENT, build_archive, save_archive, verify_archive
from qzdesk.services.admission.chain import link_hash
from qzdesk.services.admission.ledger import ENTRY_FIELDS
from qzdesk.services.meetings.minutes import content_hash
from qzdesk.services.members import records
from qzdesk.services.periods import parse_period
from qzdesk.services.security import branch_key
from tests.desks import desk_at, desk_of

# The demo records its points at the real clock, so the archive is built as of now.
NOW = datetime.now().astimezone()


@pytest.fixture
def built(store, profiles, tmp_path):
    # Built after the demo's points were recorded (the clock of the template's build).
    now = datetime.now().astimezone()
    saved = desk_at(store, now, profiles).write(
        save_archive, parse_period(str(now.year)), "qzdemo", tmp_path / "out"
    )
    own = x509.load_pem_x509_certificate(branch_key.certificate_pem(store))
    return saved, own


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True)


def test_pyhanko_pdfsig_and_qpdf_accept_the_archive(built):
    saved, own = built
    result = verify_archive(saved.path.read_bytes(), [own])
    assert result.ok, result.problems
    assert result.signer == "秦州区示范中学团委（演示）" and result.archive_id == saved.archive_id
    pdfsig = run("pdfsig", str(saved.path))
    assert "Signature is Valid" in pdfsig.stdout and "Total document signed" in pdfsig.stdout
    assert run("qpdf", "--check", str(saved.path)).returncode == 0
    # The header's version is the catalog's (docs/archive-format.md), as qpdf reads it.
    root = run("qpdf", "--show-object=trailer", str(saved.path)).stdout.split("/Root ")[1]
    catalog = run("qpdf", f"--show-object={root.split()[0]}", str(saved.path)).stdout
    assert saved.path.read_bytes().startswith(b"%PDF-2.0") and "/Version /2.0" in catalog


def test_one_flipped_byte_in_the_signed_range_is_caught_by_both(built, tmp_path):
    saved, own = built
    data = bytearray(saved.path.read_bytes())
    position = len(data) // 3
    data[position] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    result = verify_archive(bytes(data), [own])
    assert not result.ok and not result.intact
    assert "改动" in "".join(result.problems)
    assert "Signature is Valid" not in run("pdfsig", str(tampered)).stdout


def test_an_untrusted_key_fails_with_the_reason(built):
    saved, _own = built
    result = verify_archive(saved.path.read_bytes(), [])
    assert result.intact and not result.trusted and not result.ok
    assert "不在信任名单中" in result.problems[0]


def test_the_embedded_data_is_there_and_valid(built, store, tmp_path):
    saved, _own = built
    out = tmp_path / "attachments"
    out.mkdir()
    run("pdfdetach", "-saveall", "-o", str(out), str(saved.path))
    data = json.loads((out / ATTACHMENT).read_text(encoding="utf-8"))
    schema = json.loads((resources_dir() / "archive-schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["archive_id"] == saved.archive_id
    assert len(data["members"]) == len(desk_of(store).read(records.roster_on, NOW.date()))
    # The admission data: applicants with their steps, and a stretch of the points chain
    # that a reader recomputes on its own, ending at the stated head.
    section = data["admission"]
    assert {"applicant", "activist", "candidate"} <= {a["stage"] for a in section["applicants"]}
    entries = section["ledger"]["entries"]
    start, end = section["anchors"]["start"]["entries"], section["anchors"]["end"]["entries"]
    assert entries and entries[0]["prev_hash"] == start["head"]
    previous = start["head"]
    for row in entries:
        assert row["prev_hash"] == previous
        assert row["hash"] == link_hash(previous, {f: row[f] for f in ENTRY_FIELDS})
        previous = row["hash"]
    assert previous == end["head"] and start["count"] + len(entries) == end["count"]
    # Every id another section names resolves in the branches and members tables.
    branch_ids = {b["id"] for b in data["branches"]}
    assert {m["branch_id"] for m in data["members"]} <= branch_ids
    assert data["branch"]["kind"] and data["rules"]["version"]
    # Signed minutes: the content as stored hashes to the fingerprint printed in the book.
    signed = [m for m in data["meetings"] if m["status"] == "signed"]
    assert signed and all(content_hash(m["content"]) == m["content_hash"] for m in signed)
    # The demo's elections: the class committee at that assembly, the teachers' earlier.
    elected = {t["meeting_id"]: t for t in data["terms"]}
    assert {m["content"]["id"] for m in signed} & set(elected)
    assert any(t["meeting_id"] is None and t["years"] == 3 for t in data["terms"])


def test_a_wrong_password_writes_nothing(store, profiles, tmp_path):
    with pytest.raises(branch_key.WrongKeyPassword):
        desk_at(store, NOW, profiles).write(
            save_archive, parse_period("2026"), "wrong", tmp_path / "out"
        )
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_corrupt_file_fails_cleanly():
    assert not verify_archive(b"%PDF-1.7\n garbage", []).ok
    assert verify_archive(b"", []).problems


def test_the_seal_page_and_the_roster_page_render(built, tmp_path):
    saved, _own = built
    for page in (saved.pages, 3):
        prefix = tmp_path / f"p{page}"
        run(
            "pdftoppm",
            "-r",
            "40",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            str(saved.path),
            str(prefix),
        )
        image = Image.open(next(tmp_path.glob(f"p{page}*.png"))).convert("RGB")
        pixels = image.getcolors(image.width * image.height)
        inked = sum(count for count, (r, g, b) in pixels if r + g + b < 600)
        assert inked / (image.width * image.height) > 0.01
        if page == saved.pages:  # an empty place for the real 公章, no printed imitation
            # (the old red seal was #d01f1f; the page's rules are a darker #b71c1c)
            seal_red = sum(count for count, (r, g, b) in pixels if r > 195 and g < 60 and b < 60)
            assert seal_red == 0
    text = run("pdftotext", "-f", str(saved.pages), str(saved.path), "-").stdout
    assert "（此处加盖公章）" in text and "团委书记（签字）" in text  # the demo is a 团委


def test_cli_build_and_verify(data_dir, tmp_path):
    env = {"QZDESK_PASSWORD": "qzdemo", "PATH": "/usr/bin:/bin"}
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "qzdesk",
            "archive",
            "build",
            "--period",
            "2026Q4",
            "--out",
            str(tmp_path),
            "--data",
            str(data_dir),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert build.returncode == 0, build.stderr
    path = Path(json.loads(build.stdout)["file"])
    cert = tmp_path / "branch.pem"
    cert.write_bytes((data_dir / "keys" / branch_key.CERT_FILE).read_bytes())
    elsewhere = ["--data", str(tmp_path / "district")]
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "qzdesk",
            "archive",
            "verify",
            str(path),
            "--trust",
            str(cert),
            *elsewhere,
        ],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "结论：通过" in ok.stdout and ok.stderr == ""
    untrusted = subprocess.run(
        [sys.executable, "-m", "qzdesk", "archive", "verify", str(path), *elsewhere, "--json"],
        capture_output=True,
        text=True,
    )
    assert untrusted.returncode == 4 and json.loads(untrusted.stdout)["trusted"] is False
    wrong = subprocess.run(
        [
            sys.executable,
            "-m",
            "qzdesk",
            "archive",
            "build",
            "--period",
            "2026",
            "--out",
            str(tmp_path),
            "--data",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        env={**env, "QZDESK_PASSWORD": "nope"},
        stdin=subprocess.DEVNULL,
    )
    assert wrong.returncode == 2 and "密码不正确" in wrong.stderr


def test_building_does_not_touch_the_key(store, profiles):
    before = branch_key.key_path(store).read_bytes()
    desk_at(store, NOW, profiles).read(build_archive, parse_period("2026-11"), "qzdemo")
    assert branch_key.key_path(store).read_bytes() == before


def test_content_appended_after_signing_is_reported(built, tmp_path):
    from io import BytesIO

    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    saved, own = built
    writer = IncrementalPdfFileWriter(BytesIO(saved.path.read_bytes()))
    writer.root[NameObject("/QzdeskNote")] = TextStringObject("追加的内容")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    result = verify_archive(out.getvalue(), [own])
    assert not result.ok and not result.whole_file
    assert "签名之后还追加了内容" in "".join(result.problems)
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(out.getvalue())
    assert "Total document signed" not in run("pdfsig", str(appended)).stdout


def test_every_refusal_of_a_damaged_archive_is_in_chinese(built):
    """Cut short, scribbled over at several places, its signature's bytes changed: each
    refusal says what is wrong in words a secretary reads, never an exception's text."""
    import re

    saved, own = built
    whole = saved.path.read_bytes()
    signature = whole.index(b"/Contents <") + len(b"/Contents <")
    damaged = [
        whole[: len(whole) // 2],
        whole[:200],
        whole[:signature] + b"00" * 64 + whole[signature + 128 :],
        *(
            whole[:at] + b"\x00garbage\xff" + whole[at + 9 :]
            for at in range(1000, len(whole), len(whole) // 12)
        ),
    ]
    allowed = re.compile(r"PDF|qzdesk|json|archive|\d+")
    for content in damaged:
        result = verify_archive(content, [own])
        assert not result.ok
        for problem in result.problems:
            assert not re.search(r"[A-Za-z]{4,}", allowed.sub("", problem)), problem
