"""A committee receiving its organisations' archives: a folder with good archives and
every kind of bad one gets exact verdicts, and nothing from a rejected file is kept."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from qzdesk.export.archive import save_archive
from qzdesk.export.receiving import receive_file, receive_folder
from qzdesk.services import clock
from qzdesk.services.errors import QzdeskError, ValidationError
from qzdesk.services.organisation import settings
from qzdesk.services.periods import parse_period
from qzdesk.services.receiving import receipts, registry
from qzdesk.services.security import branch_key
from qzdesk.services.setup import SetupRequest, initialise
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import KeyEnd, OrgKind, Sector
from tests.desks import desk_at, desk_of
from tests.unit.test_member_import import run_cli

PASSWORD = "qzdemo"


class Branch:
    """A village 团支部 of its own: its own store, key and archives."""

    def __init__(self, root: Path, name: str, profiles, parent: str = "某镇团委") -> None:
        self.name, self.root, self.profiles = name, root, profiles
        with Store.open(root, "tests", create=True) as store:
            request = SetupRequest(
                org_name=name,
                org_kind=OrgKind.BRANCH,
                sector=Sector.VILLAGE,
                secretary="王芳",
                password=PASSWORD,
                profile_id="qinzhou-2024",
                parent_org=parent,
                founded_on=date(2020, 1, 1),
            )
            desk_of(store, profiles).write(initialise, request)
            self.cert = root / "cert.pem"
            self.cert.write_bytes(branch_key.certificate_pem(store))
            self.fingerprint = branch_key.key_info(store).fingerprint

    def archive(self, period: str, out: Path) -> Path:
        with Store.open(self.root, "tests") as store:
            return (
                desk_at(store, profiles=self.profiles)
                .write(save_archive, parse_period(period), PASSWORD, out)
                .path
            )


@pytest.fixture(scope="module")
def built_district(tmp_path_factory, profiles):
    """Five villages' archives on a stick, and a committee that registered four of them:
    built once for the module (each branch's key and archives take seconds)."""
    tmp_path = tmp_path_factory.mktemp("district")
    villages = {
        key: Branch(tmp_path / key, f"{name}团支部", profiles)
        for key, name in (("a", "东关村"), ("b", "西关村"), ("c", "南山村"), ("d", "北坡村"))
    }
    stick = tmp_path / "U盘"
    (stick / "一月").mkdir(parents=True)
    files = {
        "a_q1": villages["a"].archive("2026Q1", stick),
        "b_q1": villages["b"].archive("2026Q1", stick / "一月"),
        "c_q1": villages["c"].archive("2026Q1", stick),  # never registered
        "d_q1": villages["d"].archive("2026Q1", stick),  # signed after its key was ended
    }
    flipped = bytearray(files["b_q1"].read_bytes())
    flipped[len(flipped) // 2] ^= 0x01
    (stick / "损坏.pdf").write_bytes(bytes(flipped))
    shutil.copy(files["a_q1"], stick / "一月" / "东关村-副本.pdf")  # the same file twice
    (stick / "说明.pdf").write_text("这不是台账", encoding="utf-8")
    (stick / "空文件.pdf").write_bytes(b"")
    (stick / "照片.jpg").write_bytes(b"\xff\xd8\xff")  # not a PDF name: not looked at
    committee = tmp_path / "committee"
    Branch(committee, "某镇团委", profiles)  # the receiving side is a qzdesk of its own
    with Store.open(committee, "tests") as store:
        for key in ("a", "b", "d"):
            v = villages[key]
            desk_of(store).write(registry.register, v.cert, v.name, v.fingerprint.replace(":", " "))
        desk_of(store).write(
            registry.end,
            villages["d"].fingerprint,
            "换届，启用新密钥",
            KeyEnd.HANDOVER,
            clock.today(),
        )
    return tmp_path, villages, files


@pytest.fixture
def district(built_district, tmp_path):
    """The district as built, copied for this test (each store unlocked as at sign-in)."""
    from qzdesk.config import DataPaths
    from qzdesk.services.security import auth

    built, villages, files = built_district
    here = tmp_path / "district"
    shutil.copytree(built, here)
    moved = {}
    for key, village in villages.items():
        copied = copy.copy(village)
        copied.root = here / key
        copied.cert = copied.root / village.cert.name
        moved[key] = copied
    for folder in [*(v.root for v in moved.values()), here / "committee"]:
        assert auth.login(DataPaths(folder), PASSWORD).ok
    stick = here / "U盘"
    return (
        moved,
        stick,
        {k: stick / f.relative_to(built / "U盘") for k, f in files.items()},
        here / "committee",
    )


def test_a_stick_of_archives_gets_exact_verdicts(district):
    _villages, stick, files, committee = district
    with Store.open(committee, "tests") as store:
        verdicts = {v.path.name: v for v in desk_of(store).write(receive_folder, stick)}
        log = desk_of(store).read(receipts.receipts)
    assert set(verdicts) == {
        files["a_q1"].name,
        files["b_q1"].name,
        files["c_q1"].name,
        files["d_q1"].name,
        "损坏.pdf",
        "东关村-副本.pdf",
        "说明.pdf",
        "空文件.pdf",
    }
    # The same file twice (under another name): received once, the other is its duplicate.
    pair = [verdicts[files["a_q1"].name], verdicts["东关村-副本.pdf"]]
    assert sorted(v.duplicate_of is None for v in pair) == [False, True]
    assert all(
        v.accepted and (v.org_name, v.period_code) == ("东关村团支部", "2026Q1") for v in pair
    )
    assert verdicts[files["b_q1"].name].accepted
    assert any("不在信任名单中" in r for r in verdicts[files["c_q1"].name].reasons)
    assert any("停用" in r for r in verdicts[files["d_q1"].name].reasons)
    broken = verdicts["损坏.pdf"]
    assert not broken.accepted and not any("信任" in r for r in broken.reasons)
    assert verdicts["说明.pdf"].reasons == ["不是 PDF 文件"]
    assert verdicts["空文件.pdf"].reasons == ["文件是空的"]
    # One receipt per file (the copy is the same file), and no data kept from the rejected.
    assert len(log) == 7
    assert all((r.org_name is None) == (not r.accepted) for r in log)
    kept = sorted(p.name for p in (committee / "received").rglob("*.pdf"))
    assert len(kept) == 2


def test_a_new_archive_for_the_same_period_supersedes_and_both_stay(district, tmp_path):
    villages, stick, _files, committee = district
    with Store.open(committee, "tests") as store:
        desk_of(store).write(receive_folder, stick)
        again = villages["a"].archive("2026Q1", tmp_path / "again")
        second = desk_of(store).write(receive_folder, again.parent)[0]
        assert second.accepted
        rows = [r for r in desk_of(store).read(receipts.receipts) if r.org_name == "东关村团支部"]
        registered = [r.org_name for r in desk_of(store).read(registry.registrations)]
        status = desk_of(store).read(receipts.submissions, "2026Q1", registered)
    assert [r.verdict for r in rows] == ["已被新件替代", "已收"]
    by_org = {s.org_name: s for s in status}
    assert by_org["东关村团支部"].superseded == 1
    assert by_org["东关村团支部"].archive_id == second.archive_id
    # Received in December for a quarter due by mid-April (qzdesk's default of 15 days).
    assert by_org["东关村团支部"].state == "逾期报送"
    assert "截止 2026-04-15" in by_org["东关村团支部"].notes
    assert by_org["北坡村团支部"].state == "未报送"  # its file was refused: nothing kept
    with Store.open(committee, "tests") as store:
        with pytest.raises(ValidationError, match="0 到 366"):
            desk_of(store).write(settings.set_submission_days, 400)
        desk_of(store).write(settings.set_submission_days, 366)
        again = {
            s.org_name: s for s in desk_of(store).read(receipts.submissions, "2026Q1", registered)
        }
    assert again["东关村团支部"].state == "已报送" and not again["东关村团支部"].late


def test_registration_checks_the_paper_fingerprint_and_the_name(district, tmp_path):
    villages, _stick, _files, committee = district
    c = villages["c"]
    wrong = "00" * 32
    with Store.open(committee, "tests") as store:
        with pytest.raises(ValidationError, match="不一致"):
            desk_of(store).write(registry.register, c.cert, c.name, wrong)
        with pytest.raises(ValidationError, match="不是“西山村团支部”"):
            desk_of(store).write(registry.register, c.cert, "西山村团支部", c.fingerprint)
        with pytest.raises(ValidationError, match="登记过"):
            desk_of(store).write(
                registry.register, villages["a"].cert, villages["a"].name, villages["a"].fingerprint
            )


def test_the_chain_between_periods_joins_or_is_flagged():
    def archive(code, start, end):
        return {
            "period": {"code": code},
            "admission": {"anchors": {"start": start, "end": end}},
        }

    def at(count, head):
        return {"entries": {"count": count, "head": head}, "reviews": {"count": 0, "head": "0"}}

    q1 = archive("2026Q1", at(0, "0"), at(5, "aa"))
    assert receipts.continuity(q1, archive("2026Q2", at(5, "aa"), at(7, "bb"))) == ([], [])
    changed = receipts.continuity(q1, archive("2026Q2", at(5, "zz"), at(7, "bb")))
    assert "不衔接" in changed[0][0]
    restarted = receipts.continuity(q1, archive("2026Q3", at(0, "0"), at(1, "cc")))
    assert "还少" in restarted[0][0]
    gap = receipts.continuity(q1, archive("2026Q3", at(6, "dd"), at(7, "ee")))
    assert gap[0] == [] and "缺少期间" in gap[1][0]


def test_the_cli_registers_receives_and_reports(district, tmp_path):
    villages, stick, _files, committee = district
    data = ("--data", str(committee))
    c = villages["c"]
    added = run_cli(
        "trust", "add", str(c.cert), "--org", c.name, "--fingerprint", c.fingerprint, *data
    )
    assert added.returncode == 0, added.stderr
    listed = json.loads(run_cli("trust", "list", "--json", *data).stdout)
    assert {r["org"] for r in listed["registrations"]} >= {c.name, villages["a"].name}
    received = run_cli("receive", str(stick), "--json", *data)
    assert received.returncode == 3  # the good ones in, the bad ones named
    report = json.loads(received.stdout)
    assert sum(f["accepted"] for f in report["files"]) >= 3
    table = tmp_path / "汇总表.xlsx"
    reported = run_cli("received", "--period", "2026Q1", "--summary", str(table), "--json", *data)
    assert reported.returncode == 0 and table.exists()
    status = json.loads(reported.stdout)
    states = {o["org"]: o["state"] for o in status["organisations"]}
    assert states[c.name] == "submitted" and states[villages["d"].name] == "missing"
    empty = tmp_path / "空U盘"
    empty.mkdir()
    assert run_cli("receive", str(empty), *data).returncode == 2


def test_the_summary_table_is_computed_from_what_was_received(district, tmp_path, profiles):
    import openpyxl

    from qzdesk.export.summary_excel import write_summary
    from qzdesk.services.receiving.summary import SummaryRow, summary

    _villages, stick, _files, committee = district
    with Store.open(committee, "tests") as store:
        desk_of(store).write(receive_folder, stick)
        rows = desk_of(store, profiles).read(summary, "2026Q1")
    assert [r.org_name for r in rows] == ["东关村团支部", "西关村团支部"]
    row = rows[0]
    # A quarter of a single 团支部 under the archive's own profile: one 支部大会, three 支委会.
    assert row.required == {"assembly": 1, "committee": 3, "lecture": 1, "league_day": 3}
    assert row.held == {"assembly": 0, "committee": 0, "lecture": 0, "league_day": 0}
    assert (row.kind, row.sector, row.as_of) == ("团支部", "村（农村）", "2026-03-31")
    written = write_summary(tmp_path / "汇总表.xlsx", "2026Q1", rows)
    sheet = openpyxl.load_workbook(written).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == list(SummaryRow.HEADERS) and len(values) == 3
    assert (
        values[1][0] == "东关村团支部"
        and values[1][values[0].index("支部大会（已开/应开）")] == "0/1"
    )


def test_the_committee_s_own_archive_carries_what_it_received(district, tmp_path, profiles):
    import subprocess
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    from qzdesk.export.archive import read_data

    _villages, stick, files, committee = district
    with Store.open(committee, "tests") as store:
        desk_of(store).write(receive_folder, stick)
        own = desk_at(store, profiles=profiles).write(
            save_archive, parse_period("2026Q1"), PASSWORD, tmp_path / "own"
        )
    data = read_data(PdfFileReader(BytesIO(own.path.read_bytes())))
    assert sorted(r["org"] for r in data["received"]) == ["东关村团支部", "西关村团支部"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(own.path), "-"], capture_output=True, text=True
    ).stdout
    assert "收件汇总" in text and "东关村团支部" in text
    # A branch that received nothing has no such document.
    village = read_data(PdfFileReader(BytesIO(files["a_q1"].read_bytes())))
    assert village["received"] == []
    contents = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(files["a_q1"]), "-"],
        capture_output=True,
        text=True,
    ).stdout
    assert "收件汇总" not in contents


def test_a_lost_key_signs_nothing_received_after_its_end_whatever_date_it_claims(district):
    """The archive was signed (by its own clock) the day before the key was reported lost;
    received after the report, it is refused: its signing time is only the signer's word."""
    villages, _stick, files, committee = district
    tomorrow = clock.today() + timedelta(days=1)
    with Store.open(committee, "tests") as store:
        desk_of(store).write(
            registry.end, villages["a"].fingerprint, "电脑被盗", KeyEnd.COMPROMISED, tomorrow
        )
        with clock.running_on(clock.FixedClock.on(tomorrow)):
            verdict = desk_of(store).write(receive_file, files["a_q1"])
    assert not verdict.accepted
    assert any("丢失或泄露" in r for r in verdict.reasons)


def test_a_key_ended_at_handover_still_brings_in_earlier_periods_marked_so(district, tmp_path):
    villages, _stick, files, committee = district
    tomorrow = clock.today() + timedelta(days=1)
    with Store.open(committee, "tests") as store:
        desk_of(store).write(
            registry.end, villages["b"].fingerprint, "换届", KeyEnd.HANDOVER, tomorrow
        )
        with clock.running_on(clock.FixedClock.on(tomorrow + timedelta(days=3))):
            earlier = desk_of(store).write(
                receive_file, files["b_q1"]
            )  # 2026Q1, signed before the end
        current = villages["b"].archive(f"{clock.today().year}", tmp_path / "year")
        year = desk_of(store).write(receive_file, current)  # the year is not over at the end
        log = {r.file_name: r for r in desk_of(store).read(receipts.receipts)}
    assert earlier.accepted
    assert any(r.startswith("停用前签发（按签署人所记时间") for r in earlier.reasons)
    assert "停用前签发" in "".join(log[files["b_q1"].name].reasons)
    assert not year.accepted and any("只接收停用前已结束的期间" in r for r in year.reasons)


@pytest.mark.parametrize(
    ("kind", "period_end", "signed", "received", "accepted"),
    [
        (KeyEnd.COMPROMISED, date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 9), True),
        (KeyEnd.COMPROMISED, date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 10), False),
        (KeyEnd.HANDOVER, date(2026, 3, 31), date(2026, 4, 9), date(2026, 5, 1), True),
        (KeyEnd.HANDOVER, date(2026, 3, 31), date(2026, 4, 10), date(2026, 5, 1), False),
        (KeyEnd.HANDOVER, date(2026, 4, 10), date(2026, 4, 9), date(2026, 5, 1), False),
        (None, date(2026, 3, 31), date(2026, 4, 9), date(2026, 5, 1), True),
    ],
)
def test_what_an_ended_key_is_still_trusted_for(kind, period_end, signed, received, accepted):
    ended = registry.Registration(
        1,
        "AA",
        "东关村团支部",
        "某镇团委",
        date(2025, 1, 1),
        "书记",
        date(2026, 4, 10),
        "x",
        "",
        kind,
    )
    refusal, _note = ended.judge(period_end, signed, received)
    assert (refusal == "") == accepted


def test_archive_verify_on_the_committee_s_pc_trusts_what_it_registered(district):
    """The file `receive` just accepted verifies with `archive verify` there (exit 0), with
    no --trust: the registry is the committee's trust list; a key ended as lost is not."""
    villages, _stick, files, committee = district
    accepted = run_cli("archive", "verify", str(files["a_q1"]), "--data", str(committee))
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    stranger = run_cli("archive", "verify", str(files["c_q1"]), "--data", str(committee))
    assert stranger.returncode == 4 and "不在信任名单中" in stranger.stdout
    with Store.open(committee, "tests") as store:
        desk_of(store).write(
            registry.end, villages["a"].fingerprint, "电脑被盗", KeyEnd.COMPROMISED
        )
    lost = run_cli("archive", "verify", str(files["a_q1"]), "--data", str(committee))
    assert lost.returncode == 4


def test_received_archives_are_kept_sealed_and_open_as_they_came(district, tmp_path):
    """What the villages sent holds their rosters: on the committee's disk it is sealed
    (no PDF, no name in the bytes), opens exactly as received, and cannot be swapped."""
    from qzdesk.services.security.sealed_files import read_sealed

    villages, stick, files, committee = district
    with Store.open(committee, "tests") as store:
        desk_of(store).write(receive_folder, stick)
        kept = sorted((committee / "received").rglob("*.pdf"))
        assert len(kept) == 2
        for path in kept:
            raw = path.read_bytes()
            # (a whole name: a short byte run turns up in random bytes now and then)
            assert not raw.startswith(b"%PDF")
            assert all(v.name.encode() not in raw for v in villages.values())
            assert b"qzdesk-archive.json" not in raw
        originals = {files["a_q1"].read_bytes(), files["b_q1"].read_bytes()}
        assert {read_sealed(store, p) for p in kept} == originals
        first, second = kept
        swapped = tmp_path / "swap"
        first.rename(swapped)
        second.rename(first)
        with pytest.raises(QzdeskError, match="被改动过"):
            read_sealed(store, first)


def test_plain_received_files_from_before_sealing_are_sealed_at_sign_in(district):
    _villages, _stick, files, committee = district
    older = committee / "received" / "东关村团支部" / "2026Q1-older.pdf"
    older.parent.mkdir(parents=True)
    older.write_bytes(files["a_q1"].read_bytes())  # as an earlier qzdesk kept it
    listed = run_cli("trust", "list", "--data", str(committee))
    assert listed.returncode == 0, listed.stderr
    assert not older.read_bytes().startswith(b"%PDF")


def test_an_archive_sent_to_the_wrong_committee_is_refused_saying_so(district, tmp_path, profiles):
    _villages, _stick, _files, committee = district
    stray = Branch(tmp_path / "stray", "河湾村团支部", profiles, parent="另一个镇团委")
    sent = stray.archive("2026Q1", tmp_path / "stray-out")
    with Store.open(committee, "tests") as store:
        desk_of(store).write(registry.register, stray.cert, stray.name, stray.fingerprint)
        verdict = desk_of(store).write(receive_file, sent)
    assert not verdict.accepted
    assert any("另一个镇团委" in r and "送错了上级" in r for r in verdict.reasons)


def test_a_change_only_in_the_signature_padding_is_the_same_archive(district, tmp_path):
    """The bytes of the signature field after the signature itself are not signed: a copy
    that differs there is the archive already received, not a new receipt of it."""
    _villages, _stick, files, committee = district
    original = files["a_q1"].read_bytes()
    start = original.index(b"/Contents <") + len(b"/Contents <")
    end = original.index(b">", start)
    padded = bytearray(original)
    padded[end - 2 : end] = b"11"  # in the zero padding after the DER signature
    copy = tmp_path / "padded.pdf"
    copy.write_bytes(bytes(padded))
    with Store.open(committee, "tests") as store:
        first = desk_of(store).write(receive_file, files["a_q1"])
        again = desk_of(store).write(receive_file, copy)
        log = desk_of(store).read(receipts.receipts)
    assert first.accepted and again.accepted and again.duplicate_of == log[-1].id
    assert again.reasons and "同一台账" in again.reasons[0]
    assert len([r for r in log if r.archive_id == first.archive_id]) == 1
