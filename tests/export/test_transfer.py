"""组织关系转接 between two installations: a school's class leaves with signed packages
and arrives in a village branch with the whole record (timeline equal entry by entry,
papers and their scans), the 回执 close the transfers at the school, and what must be
refused is refused: the same package twice, a tampered package, a key ended as lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qzdesk.export.transfer import (
    confirm_file,
    open_package,
    receive_file,
    write_packages,
)
from qzdesk.models import Member, Transfer
from qzdesk.services import clock
from qzdesk.services.archive.data import archive_data
from qzdesk.services.archive.take import take_snapshot
from qzdesk.services.demo.village import build_branch_demo
from qzdesk.services.dossier import papers, timeline
from qzdesk.services.dues import book as dues_book
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import records
from qzdesk.services.periods import parse_period
from qzdesk.services.receiving import registry
from qzdesk.services.receiving.summary import row_of
from qzdesk.services.security import branch_key
from qzdesk.services.storage.store import Store
from qzdesk.services.transfer import book
from qzdesk.services.transfer.data import package_from
from qzdesk.services.transfer.snapshot import Side
from qzdesk.vocabulary import KeyEnd, MemberStatus, Paper, Sector, TransferCause, TransferState
from tests.desks import desk_at, desk_of

PASSWORD = "qzdemo"
ARCHIVE_ID = "QZ-2026-0000ABCD"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # recognised by content as a PNG scan


def _class_leaves(store: Store, profiles, tmp_path: Path) -> tuple[list[int], list[Path]]:
    """The largest class on the books goes to the village; one member's 入团志愿书 is
    scanned and one has a discipline on record, so both travel."""
    desk = desk_at(store, profiles=profiles)
    desk.actor = "书记"

    def leave(ctx):
        on_books = [
            (m.branch_id, m.id)
            for m in ctx.session.query(Member).filter(
                Member.status == MemberStatus.ACTIVE.value, Member.voided.is_(False)
            )
        ]
        counts: dict[int, int] = {}
        for branch, _ in on_books:
            counts[branch] = counts.get(branch, 0) + 1
        largest = max(counts, key=lambda b: counts[b])
        ids = [m for b, m in on_books if b == largest]
        scan = tmp_path / "志愿书.png"
        scan.write_bytes(PNG)
        papers.record_paper(ctx, ids[0], Paper.VOLUNTEER_FORM, True, scan)
        papers.record_paper(ctx, ids[0], Paper.MEMBER_CARD, False)
        to = Side("东关村团支部（演示）", "某镇团委")
        moves = [book.Move(i, to, TransferCause.STUDY) for i in ids]
        transfer_ids = book.transfer_out(ctx, moves).value
        out = tmp_path / "U盘"
        return ids, [s.path for s in write_packages(ctx, transfer_ids, PASSWORD, out)]

    return desk.write(leave)


@pytest.fixture
def village(tmp_path, profiles) -> Path:
    root = tmp_path / "village"
    with Store.open(root, "tests", create=True) as store:
        build_branch_demo(
            desk_of(store, profiles), clock.today(), "东关村团支部（演示）", Sector.VILLAGE, 3
        )
    return root


def test_a_class_arrives_with_its_whole_record_and_the_receipts_close_it(
    store, profiles, village, tmp_path
):
    ids, packages = _class_leaves(store, profiles, tmp_path)
    assert len(packages) == len(ids) >= 3
    school = desk_at(store, profiles=profiles)
    # Still on the books, 转出中, until the receipts come back.
    pending = school.read(book.transfers, "out")
    assert {r.state for r in pending} == {TransferState.PENDING}
    assert school.read(lambda ctx: book.reminders(ctx)) != []
    assert {r.id for r in desk_of(store).read(records.roster) if r.transferring} == set(
        ids
    )  # 转出中
    sender_org = pending[0].sender.org
    receipts = tmp_path / "回执"
    with Store.open(village, "tests") as vstore:
        vdesk = desk_at(vstore, profiles=profiles)
        fingerprint = branch_key.key_info(store).fingerprint
        branch = vdesk.read(lambda ctx: ctx.overview.open_branches[0].id)
        for n, path in enumerate(packages):
            typed = fingerprint if n % 2 == 0 else None  # half checked against the paper
            arrival = vdesk.write(receive_file, path, branch, PASSWORD, receipts, typed).value
            assert arrival.known == (typed is not None)
        # The same package again is recognised, not entered twice.
        with pytest.raises(ValidationError, match="不会重复登记"):
            vdesk.write(receive_file, packages[0], branch, PASSWORD, receipts)

        assert vdesk.read(arrived_whole, packages, sender_org)
        # The village's archive of the year counts them in; last year's never held them.
        year = parse_period(str(clock.today().year))
        arrived = vdesk.read(take_snapshot, year)
        assert [t.direction for t in arrived.transfers] == ["in"] * len(packages)
        assert row_of(archive_data(arrived, ARCHIVE_ID), {}).transfers_in == len(packages)
        before = vdesk.read(take_snapshot, parse_period(str(clock.today().year - 1)))
        came = {t.member_id for t in arrived.transfers}
        assert came <= {e.member_id for e in arrived.roster}
        assert not came & {e.member_id for e in before.roster}
        scanned = [p for p in packages if "志愿书" in open_package_text(vdesk, p)]
        assert len(scanned) == 1
    # The receipts close the transfers at the school: 已转出 on the day received.
    for receipt in sorted(receipts.glob("回执-*.pdf")):
        row = school.write(confirm_file, receipt).value
        assert row.state is TransferState.DONE and row.closed_on == clock.today()
    with pytest.raises(ValidationError, match="无需再确认"):
        school.write(confirm_file, sorted(receipts.glob("回执-*.pdf"))[0])

    def gone(ctx):
        rows = ctx.session.query(Member).filter(Member.id.in_(ids)).all()
        return {(m.status, m.left_on) for m in rows}

    assert school.read(gone) == {(MemberStatus.TRANSFERRED_OUT.value, clock.today())}
    # The school's archive of the year: each transfer out, closed by its receipt.
    sent = school.read(take_snapshot, parse_period(str(clock.today().year)))
    assert {(t.direction, t.state) for t in sent.transfers} == {("out", TransferState.DONE)}
    assert row_of(archive_data(sent, ARCHIVE_ID), {}).transfers_out == len(ids)


def arrived_whole(ctx, packages: list[Path], sender_org: str) -> bool:
    """Each package's member is here with the timeline it carried, entry by entry (the
    source the sender's, or the sender where the entry was its own), one 转入 of theirs,
    and the papers as sent (the 介绍信 now held as a paper)."""
    for path in packages:
        pkg = package_from(open_package(ctx, path.read_bytes()).data)
        member_id = records.member_with_id_number(ctx, pkg.member["id_number"])
        here = timeline.timeline(ctx, member_id)
        came = [e for e in here if e.kind != "transfer_in"]
        assert [(e.on, e.kind, e.text) for e in came] == [
            (e.on, e.kind, e.text) for e in pkg.timeline
        ]
        assert all(
            e.source == (s.source or sender_org) for e, s in zip(came, pkg.timeline, strict=True)
        )
        assert [e.kind for e in here if e.kind == "transfer_in"] == ["transfer_in"]
        held = {p.paper: p for p in papers.papers(ctx, member_id)}
        assert held[Paper.LETTER].present and held[Paper.LETTER].sha256
        for sent in pkg.papers:
            if sent.paper is not Paper.LETTER and sent.present is not None:
                assert held[sent.paper].present == sent.present
                assert held[sent.paper].sha256 == sent.sha256
    return True


def test_forty_graduates_go_to_a_village_and_a_university_and_are_closed_by_receipts(
    tmp_path, profiles
):
    """毕业转接 at the scale of a class: 40 leave in one batch, half to a village branch and
    half to a university's committee; both receive every package whole and the school is
    closed by the 40 回执."""
    from qzdesk.services.clock import FixedClock, running_on
    from qzdesk.services.demo.build import build_demo
    from qzdesk.services.setup import SetupRequest, initialise
    from qzdesk.vocabulary import OrgKind

    today = clock.today()
    school_root, village_root = tmp_path / "school", tmp_path / "village"
    university_root = tmp_path / "university"
    with running_on(FixedClock.on(today)):
        with Store.open(school_root, "tests", create=True) as school_store:
            build_demo(desk_of(school_store, profiles), today, 90, history=False)
        with Store.open(village_root, "tests", create=True) as made:
            build_branch_demo(
                desk_of(made, profiles), today, "东关村团支部（演示）", Sector.VILLAGE, 5
            )
        with Store.open(university_root, "tests", create=True) as made:
            desk_of(made, profiles).write(
                initialise,
                SetupRequest(
                    org_name="某大学团委",
                    org_kind=OrgKind.COMMITTEE,
                    sector=Sector.OTHER,
                    secretary="吴老师",
                    password=PASSWORD,
                    profile_id="qinzhou-2024",
                    parent_org="共青团某省委",
                    branches=[f"{today.year}级新生团支部"],
                ),
            )
    sides = {
        village_root: Side("东关村团支部（演示）", "某镇团委"),
        university_root: Side("某大学团委", "共青团某省委"),
    }
    with Store.open(school_root, "tests") as school_store:
        school = desk_at(school_store, profiles=profiles)

        def graduates(ctx):
            found = ctx.session.query(Member.id).filter(
                Member.status == MemberStatus.ACTIVE.value, Member.voided.is_(False)
            )
            ids = [i for (i,) in found.order_by(Member.id).limit(40)]
            moves = [
                book.Move(i, sides[village_root if n % 2 else university_root], TransferCause.STUDY)
                for n, i in enumerate(ids)
            ]
            made = book.transfer_out(ctx, moves).value
            return ids, [p.path for p in write_packages(ctx, made, PASSWORD, tmp_path / "U盘")]

        ids, packages = school.write(graduates)
        assert len(ids) == len(packages) == 40
        sender_org = school.read(book.transfers, "out")[0].sender.org
    receipts = tmp_path / "回执"
    for root, side in sides.items():
        with Store.open(root, "tests") as there:
            desk = desk_at(there, profiles=profiles)
            branch = desk.read(lambda ctx: ctx.overview.open_branches[0].id)
            mine = [p for p in packages if side.org in addressed_to(desk, p)]
            assert len(mine) == 20
            for path in mine:
                desk.write(receive_file, path, branch, PASSWORD, receipts)
            assert desk.read(arrived_whole, mine, sender_org)
    with Store.open(school_root, "tests") as school_store:
        school = desk_at(school_store, profiles=profiles)
        for receipt in sorted(receipts.glob("回执-*.pdf")):
            school.write(confirm_file, receipt)
        states = {r.state for r in school.read(book.transfers, "out")}
        assert states == {TransferState.DONE}
        left = {
            r.id
            for r in desk_of(school_store).read(records.roster)
            if r.status is MemberStatus.TRANSFERRED_OUT
        }
        assert set(ids) <= left


def addressed_to(desk, path: Path) -> str:
    """Where the package is addressed (the receiving organisation's name)."""
    opened = desk.read(open_package, path.read_bytes())
    return package_from(opened.data).receiver.org


def open_package_text(desk, path: Path) -> str:
    opened = desk.read(open_package, path.read_bytes())
    return " ".join(p.paper.label for p in package_from(opened.data).papers if p.sha256)


def test_a_tampered_package_and_one_signed_by_a_lost_key_are_refused(
    store, profiles, village, tmp_path
):
    _ids, packages = _class_leaves(store, profiles, tmp_path)
    content = bytearray(packages[0].read_bytes())
    at = content.index(b"/Title")
    content[at + 8] ^= 0x01
    with Store.open(village, "tests") as vstore:
        vdesk = desk_at(vstore, profiles=profiles)
        opened = vdesk.read(open_package, bytes(content))
        assert not opened.usable and any("改动" in p for p in opened.problems)
        # The school's key registered at the village, then reported lost today.
        info = branch_key.key_info(store)
        pem = tmp_path / "school.pem"
        pem.write_bytes(branch_key.certificate_pem(store))
        desk_of(vstore).write(registry.register, pem, info.subject, info.fingerprint)
        desk_of(vstore).write(
            registry.end, info.fingerprint, "密钥丢失", KeyEnd.COMPROMISED, clock.today()
        )
        ended = vdesk.read(open_package, packages[1].read_bytes())
        assert not ended.usable and any("停用" in p for p in ended.problems)
        assert vdesk.read(lambda ctx: ctx.session.query(Transfer).count()) == 0


def test_a_member_transferring_out_is_no_longer_chased_for_dues(store, profiles):
    desk = desk_at(store, profiles=profiles)
    behind = desk.read(dues_book.arrears)[0]  # the demo has members behind with dues
    to = Side("某公司团支部", "某县团委")
    desk.write(book.transfer_out, [book.Move(behind.member_id, to, TransferCause.WORK)])
    assert behind.member_id not in {a.member_id for a in desk.read(dues_book.arrears)}
    leaving = next(r for r in desk_of(store).read(records.roster) if r.id == behind.member_id)
    assert leaving.transferring
    # Counted on the books until the 回执, no longer expected at the branch's meetings.
    from qzdesk.services.meetings.minutes import branch_members_on

    assert behind.member_id not in dict(desk_of(store).read(branch_members_on, leaving.branch_id))


def test_a_member_cannot_leave_twice_and_a_withdrawn_transfer_reopens(store, profiles):
    desk = desk_at(store, profiles=profiles)
    member = desk.read(
        lambda ctx: (
            ctx.overview.members.active
            and ctx.session.query(Member).filter(Member.status == "active").first().id
        )
    )
    to = Side("某大学团委", "共青团某省委")
    [first] = desk.write(book.transfer_out, [book.Move(member, to, TransferCause.STUDY)]).value
    with pytest.raises(ValidationError, match="已在转出中"):
        desk.write(book.transfer_out, [book.Move(member, to, TransferCause.STUDY)])
    desk.write(book.withdraw, first, "录取后放弃入学")
    assert desk.read(book.transfer_row, first).state is TransferState.WITHDRAWN
    desk.write(book.transfer_out, [book.Move(member, to, TransferCause.OTHER)], clock.today())


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qzdesk", *map(str, args)],
        capture_output=True,
        text=True,
        env={"QZDESK_PASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"},
        stdin=subprocess.DEVNULL,
    )


def test_the_cli_sends_receives_refuses_and_confirms(data_dir, village, tmp_path):
    with Store.open(data_dir, "tests") as store:
        id_number = store_member_id_number(store)
    out = tmp_path / "out"
    sent = _cli(
        "transfer",
        "out",
        "--member",
        id_number,
        "--to",
        "东关村团支部（演示）",
        "--to-parent",
        "某镇团委",
        "--cause",
        "就业",
        "--out",
        out,
        "--data",
        data_dir,
        "--json",
    )
    assert sent.returncode == 0, sent.stderr
    [package] = [Path(p["file"]) for p in json.loads(sent.stdout)["packages"]]
    tampered = tmp_path / "改过.pdf"
    content = bytearray(package.read_bytes())
    content[content.index(b"/Title") + 8] ^= 0x01
    tampered.write_bytes(bytes(content))
    refused = _cli("transfer", "receive", tampered, "--data", village, "--out", tmp_path)
    assert refused.returncode == 4 and "不能接收" in refused.stderr + refused.stdout
    got = _cli("transfer", "receive", package, "--data", village, "--out", tmp_path, "--json")
    assert got.returncode == 0, got.stderr
    receipt = Path(json.loads(got.stdout)["arrivals"][0]["receipt"])
    again = _cli("transfer", "receive", package, "--data", village, "--out", tmp_path)
    assert again.returncode == 2 and "不会重复登记" in again.stderr
    closed = _cli("transfer", "confirm", receipt, "--data", data_dir)
    assert closed.returncode == 0, closed.stderr
    listed = json.loads(_cli("transfer", "list", "--data", data_dir, "--json").stdout)
    assert [t["state"] for t in listed["transfers"]] == ["done"]


def store_member_id_number(store: Store) -> str:
    with store.transaction() as session:
        return session.query(Member.id_number).filter(Member.status == "active").first()[0]
