"""Transfer packages and 回执 as files: the package (介绍信 + 成长档案, the data as
qzdesk-transfer.json, the papers' scans) signed by the sending organisation's key, its
copy kept here as the 存根; opening a package received, checking the signature, the
data against its schema and the sender's key against the registry; the signed 回执 the
receiver writes and the sender confirms with."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from cryptography import x509

from qzdesk.export.archive import trust_list
from qzdesk.export.pdf.dossier import dossier_story, package_story
from qzdesk.export.pdf.layout import BODY, TITLE, PageInfo, paragraph, render
from qzdesk.export.schemas import schema_problem
from qzdesk.export.signed_pdf import (
    Embedded,
    Verification,
    attachment_names,
    check_signature,
    read_attachment,
    sign_with_files,
)
from qzdesk.services.attachments import SUFFIX, stored_path
from qzdesk.services.changes import Outcome
from qzdesk.services.clock import BEIJING
from qzdesk.services.context import Context
from qzdesk.services.errors import QzdeskError, ValidationError
from qzdesk.services.files import write_atomically
from qzdesk.services.receiving import registry
from qzdesk.services.security import branch_key
from qzdesk.services.security.sealed_files import write_sealed
from qzdesk.services.transfer import book
from qzdesk.services.transfer.data import (
    package_data,
    package_from,
    receipt_data,
)
from qzdesk.services.transfer.snapshot import Dossier, Package, Side
from qzdesk.services.transfer.take import take_package

PACKAGE_FILE = "qzdesk-transfer.json"
RECEIPT_FILE = "qzdesk-transfer-receipt.json"
FIELD = "BranchSignature"
SCAN_PREFIX = "scan-"

log = logging.getLogger(__name__)


def _laid_out(story: Any, info: PageInfo) -> bytes:
    # Twice: the first layout finds each section's page for the 目录.
    pages: dict[str, int] = {}
    render(story(pages), info)
    return render(story(dict(pages)), info)


def dossier_pdf(dossier: Dossier) -> bytes:
    """The 成长档案 alone, to print for the 团员档案 (unsigned: it is a paper record)."""
    info = PageInfo(dossier.organisation, "团员成长档案", dossier.name, "", dossier.taken_at)
    return _laid_out(lambda pages: dossier_story(dossier, pages), info)


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def package_pdf(pkg: Package, scans: dict[str, bytes], key: Any, cert: x509.Certificate) -> bytes:
    info = PageInfo(
        pkg.sender.org, "团员组织关系介绍信", pkg.name, pkg.code, pkg.taken_at, "介绍信编号"
    )
    pdf = _laid_out(lambda pages: package_story(pkg, pages), info)
    files = [
        Embedded(PACKAGE_FILE, "转接材料机读数据", _json(package_data(pkg)), "application/json")
    ]
    files += [
        Embedded(
            f"{SCAN_PREFIX}{p.sha256}{SUFFIX[p.kind or 'pdf']}",
            p.paper.label,
            scans[p.sha256],
            "application/octet-stream",
        )
        for p in pkg.scans
        if p.sha256 in scans
    ]
    return sign_with_files(
        pdf, files, key, cert, pkg.taken_at, FIELD, "团员组织关系转接", pkg.sender.org
    )


def send(
    ctx: Context, moves: list[book.Move], on: date | None, password: str, out_dir: Path
) -> Outcome[list[SavedPackage]]:
    """Transfer the members out and write their signed packages, as one unit: a wrong
    password or an unwritable folder leaves no transfer behind."""
    branch_key.load_key(ctx.store, password)  # refuse a wrong password before anything
    ids = book.transfer_out(ctx, moves, on).value
    return Outcome(write_packages(ctx, ids, password, out_dir), book.CHANGED)


@dataclass(frozen=True)
class SavedPackage:
    path: Path
    code: str
    name: str


def write_packages(
    ctx: Context, transfer_ids: list[int], password: str, out_dir: Path
) -> list[SavedPackage]:
    """One signed package per transfer, written to `out_dir` and kept as the 存根; the
    transfer records the package's digest (the 回执 must name it). A wrong password
    raises before anything is written."""
    key, cert = branch_key.load_key(ctx.store, password)
    own = x509.load_pem_x509_certificate(branch_key.certificate_pem(ctx.store))
    saved = []
    for transfer_id in transfer_ids:
        pkg = take_package(ctx, transfer_id)
        scans = {
            p.sha256: stored_path(ctx.store.paths, p.sha256, p.kind or "pdf").read_bytes()
            for p in pkg.scans
            if p.sha256
        }
        pdf = package_pdf(pkg, scans, key, cert)
        check, _ = check_signature(pdf, [own])
        if not (check.intact and check.whole_file and check.trusted):
            raise QzdeskError(f"生成的转接材料未通过校验，没有写出：{'；'.join(check.problems)}")
        book.set_package(ctx, transfer_id, hashlib.sha256(pdf).hexdigest())
        name = f"转接-{pkg.code}-{pkg.name}.pdf"
        write_sealed(ctx.store, ctx.store.paths.transfers / name, pdf)
        path = out_dir / name
        write_atomically(path, pdf)
        if path.read_bytes() != pdf:
            path.unlink(missing_ok=True)
            raise QzdeskError(f"写入后读回的内容不一致，已删除 {name}：请换一个 U 盘或文件夹重试。")
        saved.append(SavedPackage(path, pkg.code, pkg.name))
    return saved


# ---- reading what came ------------------------------------------------------------


@dataclass
class Opened:
    """A package or 回执 as checked: `usable` when it may be taken in."""

    verification: Verification
    data: dict[str, Any] | None = None
    sha256: str = ""
    known: bool = False  # the signer registered here, or its fingerprint typed and equal
    scans: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.data is not None and not self.problems

    def report(self) -> list[str]:
        v = self.verification
        mark = "已登记或已核对指纹" if self.known else "未登记（未核对指纹）"
        return [
            v.report()[0],
            f"签名单位：{v.signer or '—'}（{mark}；指纹 {v.fingerprint or '—'}）",
            *[f"问题：{p}" for p in self.problems],
            "结论：可以接收" if self.usable else "结论：不能接收",
        ]


def _plain(fingerprint: str) -> str:
    return "".join(c for c in fingerprint.upper() if c in "0123456789ABCDEF")


def _open(
    ctx: Context, content: bytes, name: str, schema: str, typed: str | None, signer: str
) -> Opened:
    """Check one signed file of the transfer family: its signature over the whole file,
    its data against `schema`, that the certificate is the one the data names and
    belongs to the organisation at `signer` in the data, and, when the signer is
    registered here, that its key had not ended (the registry's rules for archives)."""

    known_regs = registry.registrations(ctx)
    trusted = [r.certificate for r in known_regs] + trust_list(ctx.store.paths, [])
    result, reader = check_signature(content, trusted)
    opened = Opened(result, sha256=hashlib.sha256(content).hexdigest())
    if reader is None or not result.whole_file:
        opened.problems += result.problems or ["文件无法核验。"]
        return opened
    try:
        data = json.loads(read_attachment(reader, name).decode("utf-8"))
    except (QzdeskError, ValueError, KeyError) as exc:
        log.info("transfer data unreadable", exc_info=True)
        opened.problems.append(f"机读数据 {name} 缺失或无法读取（{exc}）。")
        return opened
    problem = schema_problem(schema, data)
    if problem is not None:
        opened.problems.append(problem)
        return opened
    if data["certificate_sha256"] != result.fingerprint:
        opened.problems.append("机读数据中的证书指纹与签名证书不一致。")
    org = data[signer]["org"]
    if org != result.signer:
        opened.problems.append(f"机读数据中的单位“{org}”与签名证书的单位“{result.signer}”不一致。")
    typed_ok = bool(typed) and _plain(typed or "") == _plain(result.fingerprint)
    if typed and not typed_ok:
        opened.problems.append("输入的证书指纹与文件的签名证书不一致：请核对纸质材料上的指纹。")
    registration = next((r for r in known_regs if r.fingerprint == result.fingerprint), None)
    if registration is not None:
        moment = result.signed_at or ctx.now
        signed_on = moment.astimezone(BEIJING).date()
        refusal, _ = registration.judge(signed_on, signed_on, ctx.today)
        if refusal:
            opened.problems.append(refusal.replace("台账", "材料"))
    opened.known = result.trusted or typed_ok
    opened.data = data
    opened.scans = {
        n.removeprefix(SCAN_PREFIX).split(".")[0]: read_attachment(reader, n)
        for n in attachment_names(reader)
        if n.startswith(SCAN_PREFIX)
    }
    return opened


def open_package(ctx: Context, content: bytes, typed: str | None = None) -> Opened:
    return _open(ctx, content, PACKAGE_FILE, "transfer-schema.json", typed, "from")


@dataclass(frozen=True)
class PackageReview:
    """What the 转入 dialog shows of a package before anything is taken in."""

    opened: Opened
    package: Package | None
    review: book.Review | None

    @property
    def blocked(self) -> str | None:
        """Why it cannot be taken in, or None."""
        if not self.opened.usable:
            return "；".join(self.opened.problems)
        assert self.review is not None
        return self.review.received_before or self.review.conflict


def review_package(ctx: Context, content: bytes, typed: str | None = None) -> PackageReview:
    opened = open_package(ctx, content, typed)
    if not opened.usable or opened.data is None:
        return PackageReview(opened, None, None)
    pkg = package_from(opened.data)
    return PackageReview(opened, pkg, book.review(ctx, pkg, opened.known))


def open_receipt(ctx: Context, content: bytes, typed: str | None = None) -> Opened:
    return _open(ctx, content, RECEIPT_FILE, "transfer-receipt-schema.json", typed, "receiver")


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise QzdeskError(f"无法读取 {path}：{exc.strerror}") from exc


@dataclass(frozen=True)
class Arrival:
    transfer_id: int
    name: str
    receipt: Path
    known: bool


def receive_file(
    ctx: Context,
    path: Path,
    branch_id: int,
    password: str,
    out_dir: Path,
    typed: str | None = None,
) -> Outcome[Arrival]:
    """Take in the member a package brings, then write the signed 回执 for the sender
    into `out_dir` (a copy kept here). Nothing is taken from a package that fails."""
    [arrival] = receive_files(ctx, [path], branch_id, password, out_dir, typed).value
    return Outcome(arrival, book.CHANGED)


def receive_files(
    ctx: Context,
    paths: list[Path],
    branch_id: int,
    password: str,
    out_dir: Path,
    typed: str | None = None,
) -> Outcome[list[Arrival]]:
    """A class arriving at once (毕业转接): the signing key is opened once (its password
    derivation is most of one file's cost), and the packages are taken in as one unit:
    one that fails stops the batch with its file named, and nothing is taken in."""
    key, cert = branch_key.load_key(ctx.store, password)
    arrivals = [_arrive(ctx, path, branch_id, key, cert, out_dir, typed) for path in paths]
    return Outcome(arrivals, book.CHANGED)


def _arrive(
    ctx: Context,
    path: Path,
    branch_id: int,
    key: Any,
    cert: x509.Certificate,
    out_dir: Path,
    typed: str | None,
) -> Arrival:
    content = read_file(path)
    opened = open_package(ctx, content, typed)
    if not opened.usable or opened.data is None:
        raise QzdeskError(f"{path.name}：{'；'.join(opened.problems)}")
    pkg = package_from(opened.data)
    try:
        transfer_id = book.receive(
            ctx,
            pkg,
            opened.sha256,
            opened.verification.fingerprint,
            opened.known,
            branch_id,
            opened.scans,
            content,
        ).value
    except ValidationError as exc:  # in a batch, say which file
        raise ValidationError(f"{path.name}：{exc}", exc.field) from exc
    here = ctx.overview
    receipt = receipt_data(
        pkg.code,
        opened.sha256,
        pkg.name,
        ctx.today,
        Side(here.root.name, here.parent_org or ""),
        branch_key.fingerprint(cert),
        ctx.now,
    )
    pdf = receipt_pdf(receipt, key, cert, ctx)
    name = f"回执-{pkg.code}-{pkg.name}.pdf"
    write_sealed(ctx.store, ctx.store.paths.transfers / name, pdf)
    write_atomically(out_dir / name, pdf)
    return Arrival(transfer_id, pkg.name, out_dir / name, opened.known)


def receipt_pdf(data: dict[str, Any], key: Any, cert: x509.Certificate, ctx: Context) -> bytes:
    receiver = data["receiver"]
    info = PageInfo(
        receiver["org"], "团员组织关系转接回执", data["member_name"], data["code"], ctx.now
    )
    story = [
        paragraph("团员组织关系转接回执", TITLE),
        paragraph(
            f"编号 {data['code']} 的团员组织关系介绍信收到，{data['member_name']} 同志的"
            f"团员组织关系已于 {ctx.today:%Y年%m月%d日} 转入{receiver['org']}"
            f"（上级团组织：{receiver['parent']}）。\n\n"
            f"接收单位：{receiver['org']}（电子签名）\n{ctx.today:%Y年%m月%d日}\n\n"
            f"所收转接材料的 SHA-256：{data['package_sha256']}",
            BODY,
        ),
    ]
    return sign_with_files(
        render(story, info),
        [Embedded(RECEIPT_FILE, "转接回执机读数据", _json(data), "application/json")],
        key,
        cert,
        ctx.now,
        FIELD,
        "团员组织关系转接回执",
        receiver["org"],
    )


def confirm_file(ctx: Context, path: Path, typed: str | None = None) -> Outcome[book.TransferRow]:
    """The 回执 came back: checked, then the transfer is closed (已转出)."""
    opened = open_receipt(ctx, read_file(path), typed)
    if not opened.usable or opened.data is None:
        raise QzdeskError(f"{path.name}：{'；'.join(opened.problems)}")
    return book.confirm(ctx, opened.data, opened.verification.fingerprint, opened.known)
