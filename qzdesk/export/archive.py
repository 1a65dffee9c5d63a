"""The signed archive (台账) of a period: one PDF with a cover, the period's documents, a
signature page with the seal, the period's data as an embedded JSON attachment, and a
PAdES signature by the branch's key over the whole file."""

from __future__ import annotations

import json
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from cryptography import x509
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NotAtTopPageBreak, Spacer

from qzdesk.config import DataPaths
from qzdesk.export.pdf.documents import DOCUMENTS
from qzdesk.export.pdf.layout import (
    BODY,
    HEADING,
    SMALL,
    SUBTITLE,
    TITLE,
    EmptyNote,
    PageInfo,
    PageMark,
    PageRef,
    data_table,
    paragraph,
    render,
)
from qzdesk.export.pdf.stamp import StampArea
from qzdesk.export.schemas import schema_problem
from qzdesk.export.signed_pdf import (
    Embedded,
    Verification,
    check_signature,
    read_attachment,
    sign_with_files,
)
from qzdesk.services import crashpoints
from qzdesk.services.archive import register
from qzdesk.services.archive.data import READABLE_VERSIONS, SCHEMA_VERSION, archive_data, references
from qzdesk.services.archive.snapshot import Snapshot
from qzdesk.services.archive.take import take_snapshot
from qzdesk.services.context import Context
from qzdesk.services.errors import QzdeskError, ValidationError
from qzdesk.services.files import remove_stale_parts, write_atomically
from qzdesk.services.periods import Period
from qzdesk.services.security import branch_key
from qzdesk.services.security.sealed_files import read_sealed, write_sealed

ATTACHMENT = "qzdesk-archive.json"
FIELD = "BranchSignature"
SECRETARY_TITLE = {"committee": "团委书记", "general_branch": "团总支书记", "branch": "团支部书记"}
ARCHIVE_TITLE = {
    "committee": "团委工作台账",
    "general_branch": "团总支工作台账",
    "branch": "团支部工作台账",
}

log = logging.getLogger(__name__)


def new_archive_id(period: Period) -> str:
    return f"QZ-{period.code}-{secrets.token_hex(4).upper()}"


def _quality(snap: Snapshot) -> str:
    gaps = snap.data_gaps()
    return "；".join(f"{label}未填 {n} 人" for label, n in gaps.items()) or "主要信息均已填写"


def _story(snap: Snapshot, archive_id: str, pages: dict[str, int]) -> list[Flowable]:
    """The cover with its 目录 (page numbers noted in `pages` as the documents are laid out), the
    documents that have content, and the seal page. Documents with nothing in the period
    are listed once on the cover instead of each getting a page."""
    built = [(spec, spec.build(snap)) for spec in DOCUMENTS]
    # A document that does not apply (收件汇总 where nothing was received) is left out.
    shown = [
        (spec, flow)
        for spec, flow in built
        if flow and not any(isinstance(f, EmptyNote) for f in flow)
    ]
    empty = [
        note.text.removeprefix("本期没有").rstrip("。")
        for _, flow in built
        for note in flow
        if isinstance(note, EmptyNote)
    ]
    org = snap.organisation
    contents = [*(spec.title for spec, _ in shown), "签章页"]
    keys = [*(spec.key for spec, _ in shown), "seal"]
    story: list[Flowable] = [
        Spacer(1, 24 * mm),
        paragraph(ARCHIVE_TITLE[org.root.kind.value], TITLE),
        paragraph(f"{org.root.name}\n{snap.period.label}", SUBTITLE),
        Spacer(1, 8 * mm),
        paragraph("目录", HEADING),
        data_table(
            ["序号", "内容", "页码"],
            [
                [str(i), title, PageRef(pages, key)]
                for i, (title, key) in enumerate(zip(contents, keys, strict=True), 1)
            ],
            [20 * mm, 130 * mm, 20 * mm],
        ),
        Spacer(1, 4 * mm),
        paragraph(
            f"台账编号：{archive_id}\n"
            f"数据截至：{snap.as_of.isoformat()}（各部分均按此日的记录）\n"
            f"在册团员：{len(snap.on_books)} 人；{_quality(snap)}\n"
            f"上级团组织：{org.parent}" + (f"\n本期没有：{'；'.join(empty)}。" if empty else ""),
            BODY,
        ),
        paragraph(
            "本文件附有机读数据（qzdesk-archive.json）并经本组织电子签名，任何改动都会使签名失效。",
            SMALL,
        ),
    ]
    for spec, flow in shown:
        story += [NotAtTopPageBreak(), PageMark(pages, spec.key), *flow]
    story += [
        NotAtTopPageBreak(),
        PageMark(pages, "seal"),
        paragraph("签章页", TITLE),
        paragraph(
            f"本台账由 {org.root.name} 于 {snap.taken_at:%Y年%m月%d日} 编制报送，内容真实、完整。",
            BODY,
        ),
        Spacer(1, 8 * mm),
        paragraph(
            f"{SECRETARY_TITLE[org.root.kind.value]}（签字）：________________    "
            "日期：______年____月____日",
            BODY,
        ),
        Spacer(1, 8 * mm),
        StampArea(),
        Spacer(1, 6 * mm),
        paragraph(
            "签名证书指纹（上级团委据此核对本台账确由本单位签发，与证书登记表上的一致）："
            f"\n{org.fingerprint[:23]}…（完整值见机读数据）",
            SMALL,
        ),
    ]
    return story


def build_archive(ctx: Context, period: Period, password: str) -> tuple[str, bytes]:
    """(archive id, signed PDF bytes), laid out from the period's snapshot. A wrong
    password raises before anything is built."""
    key, cert = branch_key.load_key(ctx.store, password)
    snap = take_snapshot(ctx, period)
    if snap.cadres is not None and (falls := snap.cadres.unexplained):
        raise ValidationError(
            "团干部队伍分析中以下指标较上期下降，须先写明原因（收件 → 团干部 → 说明下降）"
            "才能签发台账：" + "；".join(f"{f.label} {f.before}→{f.now}" for f in falls),
            "falls",
        )
    archive_id = new_archive_id(period)
    data = archive_data(snap, archive_id)
    signer = branch_key.describe(cert).subject
    if signer != data["branch"]["name"]:
        raise QzdeskError(
            f"组织名称已改为“{data['branch']['name']}”，签名证书仍是“{signer}”的："
            "请在“设置 → 签名密钥”中“更换签名密钥”，并把新证书交上级团委登记后再生成台账。"
        )
    title = ARCHIVE_TITLE[data["branch"]["kind"]]
    info = PageInfo(data["branch"]["name"], title, period.label, archive_id, ctx.now)
    # Laid out once: each document's first page is noted as it is laid out (PageMark) and
    # the 目录's page numbers are written in when the file is saved (PageRef).
    pdf = render(_story(snap, archive_id, {}), info)
    return archive_id, sign_archive(pdf, data, key, cert, ctx.now)


def sign_archive(
    pdf: bytes, data: dict[str, Any], key: Any, cert: x509.Certificate, now: datetime
) -> bytes:
    """Attach the data to the rendered PDF and sign the whole file."""
    payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    attached = Embedded(ATTACHMENT, "台账机读数据", payload, "application/json")
    return sign_with_files(
        pdf, [attached], key, cert, now, FIELD, "团支部台账报送", data["branch"]["name"]
    )


def verify_archive(pdf: bytes, trusted: list[x509.Certificate]) -> Verification:
    result, reader = check_signature(pdf, trusted)
    if reader is not None and result.whole_file:
        # then the last revision is the signed one: read data only from it
        _check_data(reader, result)
    return result


def read_data(reader: Any) -> dict[str, Any]:
    """The embedded data; refuses an archive with more than one file of that name (a
    second one would win in some tools)."""
    return json.loads(read_attachment(reader, ATTACHMENT).decode("utf-8"))


SCHEMAS = {
    SCHEMA_VERSION: "archive-schema.json",
    6: "archive-schema-6.json",
    5: "archive-schema-5.json",
    4: "archive-schema-4.json",
    3: "archive-schema-3.json",
}


def _check_data(reader: Any, result: Verification) -> None:
    try:
        data = read_data(reader)
    except QzdeskError as exc:
        result.problems.append(f"机读数据附件 {ATTACHMENT} 不合要求：{exc}。")
        return
    except Exception:
        log.info("embedded data unreadable", exc_info=True)
        result.problems.append(f"机读数据附件 {ATTACHMENT} 缺失或无法读取。")
        return
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version not in READABLE_VERSIONS:
        result.problems.append(f"机读数据的格式版本 {version!r} 本程序不认识，请升级 qzdesk。")
        return
    problem = schema_problem(SCHEMAS.get(version, "archive-schema-2.json"), data)
    if problem is not None:
        result.problems.append(problem)
        return
    problems = references(data) if version >= 3 else []
    if data["branch"]["certificate_sha256"] != result.fingerprint:
        problems.append("机读数据中的证书指纹与签名证书不一致。")
    if data["branch"]["name"] != result.signer:
        problems.append(
            f"机读数据中的组织“{data['branch']['name']}”与签名证书的单位“{result.signer}”"
            "不一致（组织更名后须重新生成签名密钥并重新登记证书）。"
        )
    result.problems += problems
    result.data_valid = not problems
    result.archive_id = data["archive_id"]
    result.data = data if not problems else None


@dataclass(frozen=True)
class SavedArchive:
    path: Path
    archive_id: str
    pages: int


def save_archive(ctx: Context, period: Period, password: str, out_dir: Path) -> SavedArchive:
    """Build, then store (as the CLI does; the GUI shows a preview in between)."""
    archive_id, pdf = build_archive(ctx, period, password)
    return store_archive(ctx, period, archive_id, pdf, out_dir)


def store_archive(
    ctx: Context, period: Period, archive_id: str, pdf: bytes, out_dir: Path
) -> SavedArchive:
    """Write atomically, read back and verify; a file that does not verify is removed."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    path = out_dir / f"台账-{period.code}-{archive_id}.pdf"
    own = x509.load_pem_x509_certificate(branch_key.certificate_pem(ctx.store))
    check = verify_archive(pdf, [own])
    if not check.ok:
        raise QzdeskError(f"生成的台账未通过校验，没有写出：{'；'.join(check.problems)}")
    reader = PdfFileReader(BytesIO(pdf))
    pages = len(reader.root["/Pages"]["/Kids"])
    # The chain heads signed into the file are recorded before the file exists, so no
    # kill leaves a signed archive the store never heard of (`check` proves the chain
    # still passes them); a copy stays in the data folder for `check` to compare with.
    register.record_issued(ctx, archive_id, period, read_data(reader)["admission"]["anchors"])
    crashpoints.reached("archive-recorded")
    write_sealed(ctx.store, ctx.store.paths.issued / path.name, pdf)
    remove_stale_parts(out_dir, "台账-")
    write_atomically(path, pdf)
    if path.read_bytes() != pdf:
        path.unlink(missing_ok=True)
        raise QzdeskError(
            f"写入后读回的内容不一致，已删除 {path.name}：请换一个 U 盘或文件夹重试。"
        )
    return SavedArchive(path, archive_id, pages)


def issued_anchors(
    ctx: Context, extra: list[Path]
) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The data of every archive this installation signed among the copies it keeps and
    the files or folders in `extra` (those handed upward), each verified as signed by its
    own key, now or retired; and a line for each file that could not serve."""
    own = trust_list(ctx.store.paths, [])
    files = sorted(ctx.store.paths.issued.glob("*.pdf"))
    for item in extra:
        files += sorted(item.rglob("*.pdf")) if item.is_dir() else [item]
    found, unusable = [], []
    for file in files:
        try:
            content = read_sealed(ctx.store, file)
        except OSError as exc:
            unusable.append(f"{file}：无法读取（{exc.strerror}）")
            continue
        except QzdeskError as exc:
            unusable.append(f"{file.name}：{exc}")
            continue
        result = verify_archive(content, own)
        if not result.ok or result.data is None:
            unusable.append(f"{file.name}：不能用作对照（{'；'.join(result.problems)}）")
            continue
        found.append((file.name, result.data))
    return found, unusable


def trust_list(paths: DataPaths, extra: list[Path]) -> list[x509.Certificate]:
    """Certificates to trust: those named on the command line, the registered ones in
    <data>/trust/*.pem, and this installation's own branch certificate."""
    files = [*extra, *sorted(paths.root.joinpath("trust").glob("*.pem"))]
    own = paths.root / "keys" / branch_key.CERT_FILE
    if own.exists():
        files.append(own)
    # Keys replaced after a rename: what they signed before stays checkable here.
    files += sorted(paths.root.joinpath("keys", "retired").glob(f"*{branch_key.CERT_FILE}"))
    certs = []
    for file in files:
        try:
            certs.append(x509.load_pem_x509_certificate(file.read_bytes()))
        except (OSError, ValueError) as exc:
            raise QzdeskError(f"无法读取信任证书 {file}：{exc}") from exc
    return certs
