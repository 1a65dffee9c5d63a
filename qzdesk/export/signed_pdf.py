"""What every signed file qzdesk hands to someone (the 台账, a transfer package, a 回执)
shares: files embedded in the rendered PDF, one PAdES signature by the organisation's key
over the whole file, and the checks a receiver makes of that signature."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from qzdesk.services.errors import QzdeskError
from qzdesk.services.security import branch_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Embedded:
    name: str
    description: str
    data: bytes
    mime_type: str


def _asn1(
    key: Any, cert: x509.Certificate
) -> tuple[asn1_keys.PrivateKeyInfo, asn1_x509.Certificate]:
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_keys.PrivateKeyInfo.load(der_key),
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
    )


def sign_with_files(
    pdf: bytes,
    files: list[Embedded],
    key: Any,
    cert: x509.Certificate,
    now: datetime,
    field_name: str,
    reason: str,
    signer_name: str,
) -> bytes:
    """Embed `files` in the rendered PDF and sign the whole file."""
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    # The catalog declares the version the header states (PDF 2.0), as the format says.
    writer.root["/Version"] = generic.NameObject("/2.0")
    writer.update_root()
    for item in files:
        embed.embed_file(
            writer,
            embed.FileSpec(
                file_spec_string=item.name,
                file_name=item.name,
                description=item.description,
                embedded_data=embed.EmbeddedFileObject.from_file_data(
                    writer,
                    item.data,
                    mime_type=item.mime_type,
                    params=embed.EmbeddedFileParams(creation_date=now, modification_date=now),
                ),
            ),
        )
    signing_key, signing_cert = _asn1(key, cert)
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore(),  # the signing cert goes in once by itself
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        reason=reason,
        location="天水市秦州区",
        name=signer_name,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    out = BytesIO()
    signers.sign_pdf(writer, meta, signer, output=out)
    return out.getvalue()


@dataclass
class Verification:
    """What `verify` reports; `ok` only when every check holds."""

    intact: bool = False
    whole_file: bool = False
    trusted: bool = False
    signer: str = ""
    fingerprint: str = ""
    data_valid: bool = False
    archive_id: str = ""
    problems: list[str] = field(default_factory=list)
    signed_at: datetime | None = None  # as the signer's clock said
    data: dict[str, Any] | None = None  # when valid

    @property
    def ok(self) -> bool:
        return self.intact and self.whole_file and self.trusted and self.data_valid

    def report(self) -> list[str]:
        """The findings in Chinese, one line each, as the CLI and the 台账 page show them."""
        yes = {True: "是", False: "否"}
        return [
            f"签名完好：{yes[self.intact]}；覆盖整个文件：{yes[self.whole_file]}",
            f"签名单位：{self.signer or '—'}（指纹 {self.fingerprint or '—'}）",
            f"证书受信任：{yes[self.trusted]}；机读数据有效：{yes[self.data_valid]}",
            *[f"问题：{p}" for p in self.problems],
            "结论：通过" if self.ok else "结论：未通过",
        ]


def _roots_for(signature: Any, trusted: list[x509.Certificate]) -> list[Any]:
    """The registered certificate that is the signer's own when there is one: a committee
    with hundreds registered then builds a one-certificate context per file, not hundreds
    (the cost grew with the registry). Otherwise all of them (an issuing CA may be there)."""
    own = None
    with contextlib.suppress(Exception):  # no readable signer: validation says so below
        own = hashlib.sha256(signature.signer_cert.dump()).digest()
    der = [c.public_bytes(serialization.Encoding.DER) for c in trusted]
    mine = [d for d in der if own is not None and hashlib.sha256(d).digest() == own]
    return [asn1_x509.Certificate.load(d) for d in (mine or der)]


def check_signature(pdf: bytes, trusted: list[x509.Certificate]) -> tuple[Verification, Any]:
    """The signature's findings, and the reader when the signature is intact (the caller
    then checks the data it carries)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    result = Verification()
    try:
        reader = PdfFileReader(BytesIO(pdf))
        signatures = reader.embedded_signatures
    except Exception:  # a corrupt or hostile file fails in many ways
        log.info("unreadable PDF", exc_info=True)
        result.problems.append("无法读取 PDF：文件已损坏、被截断或不是标准的 PDF 文件。")
        return result, None
    if len(signatures) != 1:
        result.problems.append(f"应有 1 个签名，实有 {len(signatures)} 个。")
        return result, None
    try:
        status = validate_pdf_signature(
            signatures[0], ValidationContext(trust_roots=_roots_for(signatures[0], trusted))
        )
    except Exception:
        log.info("signature could not be validated", exc_info=True)
        result.problems.append("签名无法校验：签名数据已损坏，或不是 qzdesk 生成的签名。")
        return result, None
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    result.fingerprint = branch_key.fingerprint(cert)
    result.signer = branch_key.describe(cert).subject
    result.intact = bool(status.intact and status.valid)
    result.whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.signed_at = status.signer_reported_dt
    # Each check for what it is: a broken file is broken, not "untrusted".
    if not result.intact:
        result.problems.append("签名与文件内容不符：文件在签名后被改动过。")
        return result, None
    result.trusted = bool(status.trusted)
    if not result.whole_file:
        result.problems.append("签名没有覆盖整个文件：签名之后还追加了内容。")
    if not result.trusted:
        result.problems.append(f"签名证书（指纹 {result.fingerprint}）不在信任名单中。")
    return result, reader


def _attachments(reader: Any) -> list[tuple[str, Any]]:
    """Every (name, file spec) in the embedded-files name tree, kids included."""
    found: list[tuple[str, Any]] = []

    def walk(node: Any, depth: int) -> None:
        if depth > 8:
            raise ValueError("name tree too deep")
        node = node.get_object()
        names = node.get("/Names", [])
        names = names.get_object() if hasattr(names, "get_object") else names
        found.extend((str(names[i]), names[i + 1]) for i in range(0, len(names) - 1, 2))
        kids = node.get("/Kids", [])
        for kid in kids.get_object() if hasattr(kids, "get_object") else kids:
            walk(kid, depth + 1)

    walk(reader.root["/Names"]["/EmbeddedFiles"], 0)
    return found


def read_attachment(reader: Any, name: str) -> bytes:
    """One embedded file's content; refuses a file with more than one of that name (a
    second one would win in some tools)."""
    specs = [spec for found, spec in _attachments(reader) if found == name]
    if len(specs) != 1:
        raise QzdeskError(f"应有 1 个 {name} 附件，实有 {len(specs)} 个")
    return bytes(specs[0].get_object()["/EF"]["/F"].get_object().data)


def attachment_names(reader: Any) -> list[str]:
    return [name for name, _ in _attachments(reader)]
