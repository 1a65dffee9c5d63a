"""Archive format 3: the period's truth as of its end, ids that join up, a strict schema,
and verification that reports each check for what it is."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import jsonschema
import pytest
from cryptography import x509

from qzdesk.config import resources_dir
from qzdesk.export.archive import (
    ATTACHMENT,
    build_archive,
    save_archive,
    sign_archive,
    verify_archive,
)
from qzdesk.services.archive.data import SCHEMA_VERSION, archive_data, references
from qzdesk.services.archive.take import take_snapshot
from qzdesk.services.errors import QzdeskError
from qzdesk.services.organisation import orgs
from qzdesk.services.periods import BEIJING, day_start, parse_period
from qzdesk.services.security import branch_key
from tests.desks import desk_at, desk_of
from tests.unit.test_member_import import run_cli

SCHEMA = json.loads((resources_dir() / "archive-schema.json").read_text(encoding="utf-8"))


def valid(data) -> bool:
    checker = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return checker.is_valid(data) and not references(data)


@pytest.fixture
def current(store, profiles):
    now = datetime.now().astimezone()
    return archive_data(
        desk_at(store, now, profiles).read(take_snapshot, parse_period(str(now.year))),
        "QZ-2026-0000ABCD",
    )


def test_last_years_archive_built_now_holds_nothing_of_this_year(store, profiles):
    now = datetime.now().astimezone()
    last = parse_period(str(now.year - 1))
    data = archive_data(
        desk_at(store, now, profiles).read(take_snapshot, last), f"QZ-{last.code}-0000ABCD"
    )
    assert valid(data)
    assert data["period"]["as_of"] == f"{now.year - 1}-12-31"
    text = json.dumps({k: v for k, v in data.items() if k != "generated_at"}, ensure_ascii=False)
    assert f"{now.year}-" not in text  # no date of this year: joins, steps, points, terms, …
    this_year = archive_data(
        desk_at(store, now, profiles).read(take_snapshot, parse_period(str(now.year))),
        f"QZ-{now.year}-0000ABCD",
    )
    assert len(this_year["members"]) >= len(data["members"])
    # …nor in the printed 台账, beyond the day it was made (footer, statement, seal).
    saved = desk_at(store, now, profiles).write(
        save_archive, last, "qzdemo", Path(tempfile.mkdtemp())
    )
    printed = [
        line
        for page in _pages_text(saved.path)
        for line in page.splitlines()
        if not any(made in line for made in ("生成于", "编制报送", f"{now:%Y年%m月%d日}"))
    ]
    assert not [line for line in printed if re.search(rf"{now.year}[-年.]", line)], printed[:5]
    # The chain continues: last year's end is this year's start.
    assert data["admission"]["anchors"]["end"] == this_year["admission"]["anchors"]["start"]


def test_a_ledger_row_belongs_to_the_beijing_day_it_was_recorded(store, profiles):
    """00:30 Beijing time on 1 April is 16:30 UTC on 31 March: the row is Q2's."""
    q1, q2 = parse_period("2026Q1"), parse_period("2026Q2")
    moment = datetime(2026, 4, 1, 0, 30, tzinfo=BEIJING)
    recorded = moment.astimezone(UTC).isoformat(timespec="microseconds")  # as the ledger
    assert recorded.startswith("2026-03-31T16:30")
    later = datetime(2026, 12, 1, tzinfo=UTC)
    assert q1.bounds(later)[1] == day_start(q2.start) <= recorded < q2.bounds(later)[1]


def test_the_data_joins_up_and_names_its_organisation_and_rules(current):
    assert valid(current)
    assert current["branch"]["kind"] in ("committee", "general_branch", "branch")
    rules = current["rules"]
    assert rules["id"] == "qinzhou-2024" and rules["version"]
    # The values its 应开 and 定级 depend on travel with it (format 4).
    assert rules["meetings_every_months"]["assembly"] == 3
    assert len(rules["rating"]["bands"]) == 4 and rules["rating"]["lines"]
    members = current["members"]
    assert all(isinstance(m["id"], int) for m in members)
    assert {m["branch_id"] for m in members} <= {b["id"] for b in current["branches"]}


def _mutations(data):
    """Malformed documents, each wrong in one way."""

    def changed(fn):
        broken = copy.deepcopy(data)
        fn(broken)
        return broken

    member = data["members"][0]
    yield "version", changed(lambda d: d.update(schema_version=SCHEMA_VERSION + 1))
    yield "extra top field", changed(lambda d: d.update(extra=1))
    yield "archive id", changed(lambda d: d.update(archive_id="QZ-2026"))
    yield "period code", changed(lambda d: d["period"].update(code="2026Q5"))
    yield "period date", changed(lambda d: d["period"].update(end="2026-13-01"))
    yield "no as_of", changed(lambda d: d["period"].pop("as_of"))
    yield "fingerprint", changed(lambda d: d["branch"].update(certificate_sha256="ab"))
    yield "kind", changed(lambda d: d["branch"].update(kind="club"))
    yield "sector", changed(lambda d: d["branch"].update(sector="mars"))
    yield "extra branch field", changed(lambda d: d["branch"].update(seal="x"))
    yield "generated_at", changed(lambda d: d.update(generated_at="yesterday"))
    yield "no branches", changed(lambda d: d.update(branches=[]))
    yield "member id text", changed(lambda d: d["members"][0].update(id=str(member["id"])))
    yield "member status", changed(lambda d: d["members"][0].update(status="gone"))
    yield "member extra", changed(lambda d: d["members"][0].update(shoe_size=42))
    yield "duplicate member", changed(lambda d: d["members"].append(copy.deepcopy(member)))
    yield "unknown branch", changed(lambda d: d["members"][0].update(branch_id=99999))
    yield "duplicate branch", changed(lambda d: d["branches"].append(d["branches"][0]))
    yield (
        "anchor head",
        changed(lambda d: d["admission"]["anchors"]["end"]["entries"].update(head="0")),
    )
    yield (
        "anchor count",
        changed(lambda d: d["admission"]["anchors"]["end"]["entries"].update(count=-1)),
    )
    yield (
        "points not integer",
        changed(
            lambda d: d["admission"]["ledger"]["entries"].append(
                {**d["admission"]["ledger"]["entries"][0], "points10": 1.5}
            )
        ),
    )
    signed = next(i for i, m in enumerate(data["meetings"]) if m["status"] == "signed")
    yield "signed without hash", changed(lambda d: d["meetings"][signed].update(content_hash=None))
    yield (
        "attendance not a list",
        changed(lambda d: d["meetings"][signed]["content"].update(attendance="all")),
    )
    yield (
        "attendance code",
        changed(
            lambda d: d["meetings"][signed]["content"].update(attendance=[[member["id"], "asleep"]])
        ),
    )
    yield "term years", changed(lambda d: d["terms"][0].update(years="three"))


def test_the_strict_schema_refuses_each_malformed_document(current):
    cases = list(_mutations(current))
    assert len(cases) >= 20
    accepted = [name for name, broken in cases if valid(broken)]
    assert accepted == []


def _signed(store, data):
    from reportlab.pdfgen import canvas

    key, cert = branch_key.load_key(store, "qzdemo")
    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "archive")
    page.save()
    return sign_archive(buffer.getvalue(), data, key, cert, datetime.now().astimezone())


def test_a_renamed_organisation_cannot_sign_under_the_old_name(store, profiles, tmp_path):
    root = desk_of(store).read(orgs.list_orgs)[0]
    desk_of(store).write(orgs.rename_org, root.id, "新名称中学团委")
    period = parse_period(str(datetime.now().year))
    with pytest.raises(QzdeskError, match="更换签名密钥"):
        desk_at(store, profiles=profiles).read(build_archive, period, "qzdemo")
    # An archive made under the old certificate anyway names another organisation: refused.
    data = archive_data(
        desk_at(store, datetime.now().astimezone(), profiles).read(take_snapshot, period),
        f"QZ-{period.code}-0000ABCD",
    )
    own = x509.load_pem_x509_certificate(branch_key.certificate_pem(store))
    path = tmp_path / "renamed.pdf"
    path.write_bytes(_signed(store, data))
    result = verify_archive(path.read_bytes(), [own])
    assert result.intact and result.trusted and not result.ok
    assert any("新名称中学团委" in p and "不一致" in p for p in result.problems)
    cli = run_cli("archive", "verify", str(path), "--data", str(store.paths.root))
    assert cli.returncode == 4 and "不一致" in cli.stdout
    # A new key for the new name signs again; the old key's archives stay checkable here.
    desk_of(store).write(branch_key.replace_key, "qzdemo", "组织更名")
    saved = desk_at(store, profiles=profiles).write(
        save_archive, period, "qzdemo", tmp_path / "out"
    )
    assert saved.pages > 1


def test_a_second_data_file_added_after_signing_is_refused(store, current, tmp_path):
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = _signed(store, current)
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    forged = json.dumps({**current, "members": []}).encode()
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string=ATTACHMENT,
            file_name=ATTACHMENT,
            embedded_data=embed.EmbeddedFileObject.from_file_data(writer, forged),
        ),
    )
    out = BytesIO()
    writer.write(out)
    path = tmp_path / "forged.pdf"
    path.write_bytes(out.getvalue())
    own = x509.load_pem_x509_certificate(branch_key.certificate_pem(store))
    result = verify_archive(path.read_bytes(), [own])
    assert not result.ok and not result.whole_file and not result.data_valid
    cli = run_cli("archive", "verify", str(path), "--data", str(store.paths.root))
    assert cli.returncode == 4


def test_a_broken_file_is_reported_as_broken_only(store, current, tmp_path):
    signed = bytearray(_signed(store, current))
    middle = signed.index(b"archive")
    signed[middle : middle + 7] = b"ARCHIVE"
    own = x509.load_pem_x509_certificate(branch_key.certificate_pem(store))
    result = verify_archive(bytes(signed), [own])
    assert not result.intact and not result.ok
    assert not any("信任" in p for p in result.problems)


def test_the_worked_examples_in_the_format_doc_recompute():
    """A reader written from docs/archive-format.md alone gets the doc's hashes."""
    import hashlib
    import re

    from qzdesk.services.admission.chain import GENESIS, link_hash
    from qzdesk.services.meetings.minutes import content_hash

    doc = (resources_dir().parent / "docs" / "archive-format.md").read_text(encoding="utf-8")
    entry_text = re.search(r"```json\n(.+?)\n```", doc, re.S)[1]
    entry_hash = re.search(r"newline gives\n`([0-9a-f]{64})`", doc)[1]
    assert hashlib.sha256(f"{GENESIS}\n{entry_text}".encode()).hexdigest() == entry_hash
    assert link_hash(GENESIS, json.loads(entry_text)) == entry_hash
    content = json.loads(re.search(r"the content `(\{.+?\})`", doc)[1])
    meeting_hash = re.search(r"hashes to\n`([0-9a-f]{64})`", doc)[1]
    assert content_hash(content) == meeting_hash


def _pages_text(path) -> list[str]:
    import subprocess

    count = int(
        next(
            line.split()[-1]
            for line in subprocess.run(
                ["pdfinfo", str(path)], capture_output=True, text=True
            ).stdout.splitlines()
            if line.startswith("Pages:")
        )
    )
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path), "-"],
            capture_output=True,
            text=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def test_the_archive_as_printed_has_no_empty_page_and_a_true_contents(store, profiles, tmp_path):
    import re
    import subprocess

    from pyhanko.pdf_utils.reader import PdfFileReader

    from qzdesk.services.members import records

    saved = desk_at(store, profiles=profiles).write(
        save_archive, parse_period(str(datetime.now().year)), "qzdemo", tmp_path / "out"
    )
    pages = _pages_text(saved.path)
    # Every page carries something besides its header and footer.
    for number, text in enumerate(pages, start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) > 2, f"page {number} is empty"
    # The 目录 names the page each document starts on.
    contents = re.findall(r"^\s*\d+\s+(\S+)\s+(\d+)\s*$", pages[0], re.M)
    assert len(contents) >= 4 and contents[-1][0] == "签章页"
    numbers = [int(page) for _, page in contents]
    assert numbers == sorted(numbers) and numbers[-1] == len(pages)
    # A document printed under its own title (公示 notices) is not matched by name.
    body = "".join(pages[1:])  # the cover names them all
    verbatim = [(t, n) for (t, _), n in zip(contents, numbers, strict=True) if t in body]
    assert len(verbatim) >= 4
    for title, n in verbatim:  # there, and not on the page before (unless that is the cover)
        assert title in pages[n - 1] and (n == 2 or title not in pages[n - 2]), title
    # Every font embedded; the header states the catalog's version.
    fonts = subprocess.run(["pdffonts", str(saved.path)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts
    raw = saved.path.read_bytes()
    assert raw.startswith(b"%PDF-2.0")
    reader = PdfFileReader(BytesIO(raw))
    assert str(reader.root.get("/Version", "/2.0")).lstrip("/") == "2.0"
    # The certificate goes into the signature once.
    signed_data = reader.embedded_signatures[0].signed_data
    assert len(signed_data["certificates"]) == 1
    # Phone numbers are never broken over two lines in the roster.
    phones = {
        m.mobile
        for m in desk_of(store).read(records.roster)
        if m.mobile and m.status.value == "active"
    }
    roster = "".join(p for p in pages if "团员花名册" in p or "手机号码" in p)
    assert phones and phones <= set(re.findall(r"\b1\d{10}\b", roster))
    # Nor are names: each member's whole name stands on one line of the roster.
    names = {
        m.name for m in desk_of(store).read(records.roster) if m.status.value == "active"
    }
    assert names and all(name in roster for name in names)


def test_each_archive_names_the_one_before_and_continues_its_chain(store, profiles, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    from qzdesk.export.archive import read_data

    year = datetime.now().year
    out = tmp_path / "out"
    first = desk_at(store, profiles=profiles).write(
        save_archive, parse_period(f"{year - 1}"), "qzdemo", out
    )
    q1 = desk_at(store, profiles=profiles).write(
        save_archive, parse_period(f"{year}Q1"), "qzdemo", out
    )
    q2 = desk_at(store, profiles=profiles).write(
        save_archive, parse_period(f"{year}Q2"), "qzdemo", out
    )

    def data(saved):
        return read_data(PdfFileReader(BytesIO(saved.path.read_bytes())))

    last_year, first_quarter, second_quarter = data(first), data(q1), data(q2)
    assert last_year["previous_archive_id"] is None
    assert first_quarter["previous_archive_id"] == first.archive_id
    assert second_quarter["previous_archive_id"] == q1.archive_id
    assert (
        last_year["admission"]["anchors"]["end"] == first_quarter["admission"]["anchors"]["start"]
    )
    assert (
        first_quarter["admission"]["anchors"]["end"]
        == second_quarter["admission"]["anchors"]["start"]
    )


def test_an_archive_of_format_2_from_an_earlier_qzdesk_still_verifies():
    from pathlib import Path

    folder = Path(__file__).parent.parent / "fixtures" / "archives"
    cert = x509.load_pem_x509_certificate((folder / "v2-cert.pem").read_bytes())
    pdf = (folder / "v2-2026Q1.pdf").read_bytes()
    result = verify_archive(pdf, [cert])
    assert result.ok and result.archive_id == "QZ-2026Q1-29800068"
    assert not verify_archive(pdf, []).ok  # and trust still decides
