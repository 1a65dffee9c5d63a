"""证书登记: the certificates of the organisations below, each checked against the
fingerprint printed on its paper 证书登记表, with the organisation it belongs to. A key
that changes gets a new registration and the old one is ended. What an ended key is still
trusted for depends on why it ended, because the signing time in a file is what its
signer's clock (or the signer) wrote, and nothing offline can prove it: a key lost or
seen by others signs nothing received after its end; a key ended at 换届 is still trusted
for archives of periods that ended before its end, marked as such."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from qzdesk.config import DataPaths
from qzdesk.models import TrustedCert
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.names import clean_name
from qzdesk.services.security.branch_key import describe, fingerprint
from qzdesk.services.storage import cipher
from qzdesk.vocabulary import KeyEnd

CHANGED = frozenset({Topic.RECEIVING, Topic.AUDIT})


@dataclass(frozen=True)
class Registration:
    id: int
    fingerprint: str
    org_name: str
    parent: str
    registered_on: date
    registered_by: str
    ended_on: date | None
    end_reason: str | None
    certificate_pem: str

    end_kind: KeyEnd | None = None  # None when ended before the kind was recorded

    def judge(self, period_end: date, signed_on: date, received_on: date) -> tuple[str, str]:
        """(refusal, note) for an archive of a period ending `period_end`, signed (as
        its signer says) on `signed_on`, received on `received_on`; empty when none."""
        if self.ended_on is None:
            return "", ""
        ended = f"签名证书已于 {self.ended_on:%Y-%m-%d} 停用（{self.end_reason}）"
        if self.end_kind == KeyEnd.COMPROMISED:
            if received_on >= self.ended_on:
                return f"{ended}，原因是密钥丢失或泄露：此后收到的台账一律不予接收", ""
            return "", ""
        if period_end >= self.ended_on:
            return f"{ended}：只接收停用前已结束的期间的台账（本期截至 {period_end:%Y-%m-%d}）", ""
        if signed_on >= self.ended_on:
            return f"{ended}，此后（{signed_on:%Y-%m-%d}）签发的台账不予接收", ""
        return "", f"停用前签发（按签署人所记时间 {signed_on:%Y-%m-%d}）"

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem.encode())


def _row(t: TrustedCert) -> Registration:
    return Registration(
        t.id,
        t.fingerprint,
        t.org_name,
        t.parent,
        t.registered_on,
        t.registered_by,
        t.ended_on,
        t.end_reason,
        t.certificate_pem,
        KeyEnd(t.end_kind) if t.end_kind else None,
    )


def normalise_fingerprint(text: str) -> str:
    hex_digits = "".join(c for c in text.upper() if c in "0123456789ABCDEF")
    if len(hex_digits) != 64:
        raise ValidationError(
            f"指纹应为 64 位十六进制数字（现为 {len(hex_digits)} 位），请照证书登记表核对。",
            "fingerprint",
        )
    return ":".join(hex_digits[i : i + 2] for i in range(0, 64, 2))


def register(
    ctx: Context,
    pem_file: Path,
    org_name: str,
    typed_fingerprint: str,
    registered_on: date | None = None,
) -> Outcome[Registration]:
    """Register a certificate: refused unless it is the one whose fingerprint the paper
    form shows, and its subject names the organisation."""
    org_name = clean_name(org_name, "组织名称", "org")
    expected = normalise_fingerprint(typed_fingerprint)
    try:
        cert = x509.load_pem_x509_certificate(pem_file.read_bytes())
    except (OSError, ValueError) as exc:
        raise ValidationError(f"无法读取证书文件 {pem_file.name}：{exc}", "file") from exc
    actual = fingerprint(cert)
    if actual != expected:
        raise ValidationError(
            f"证书的指纹 {actual} 与登记表上的 {expected} 不一致：不是同一份证书，不能登记。",
            "fingerprint",
        )
    info = describe(cert)
    if info.subject != org_name:
        raise ValidationError(
            f"证书的单位是“{info.subject}”，不是“{org_name}”：请核对组织名称或证书文件。", "org"
        )
    session = ctx.session
    if session.scalar(select(TrustedCert.id).where(TrustedCert.fingerprint == actual)):
        raise ValidationError("这份证书已经登记过。", "file")
    row = TrustedCert(
        fingerprint=actual,
        org_name=org_name,
        parent=info.organisation,
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM).decode(),
        registered_on=registered_on or ctx.today,
        registered_by=ctx.actor,
    )
    session.add(row)
    session.flush()
    audit.record(session, ctx.actor, "trusted_cert", actual, "register", after={"org": org_name})
    return Outcome(_row(row), CHANGED)


def end(
    ctx: Context,
    typed_fingerprint: str,
    reason: str,
    kind: KeyEnd,
    ended_on: date | None = None,
) -> Outcome[Registration]:
    """End a registration from a day on, for `kind` (see the module's note on what each
    still accepts)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("请写明停用的原因。", "reason")
    found = normalise_fingerprint(typed_fingerprint)
    session = ctx.session
    row = session.scalar(select(TrustedCert).where(TrustedCert.fingerprint == found))
    if row is None:
        raise ValidationError(f"没有登记过指纹为 {found} 的证书。", "fingerprint")
    if row.ended_on is not None:
        raise ValidationError(f"这份证书已于 {row.ended_on:%Y-%m-%d} 停用。", "fingerprint")
    row.ended_on = ended_on or ctx.today
    row.end_reason = reason
    row.end_kind = kind.value
    after = {"reason": reason, "kind": kind.value}
    audit.record(session, ctx.actor, "trusted_cert", found, "end", after=after)
    return Outcome(_row(row), CHANGED)


def registrations(ctx: Context) -> list[Registration]:
    session = ctx.session
    return [
        _row(t)
        for t in session.scalars(
            select(TrustedCert).order_by(TrustedCert.org_name, TrustedCert.registered_on)
        )
    ]


def registrations_read_only(paths: DataPaths) -> list[Registration]:
    """The registry read from the data file (its key unlocked) without opening the store:
    `archive verify` on a committee's PC while its window has the store open."""
    conn = cipher.connect(paths.database, read_only=True)
    try:
        rows = conn.execute(
            "SELECT id, fingerprint, org_name, parent, registered_on, registered_by, ended_on,"
            " end_reason, certificate_pem, end_kind FROM trusted_cert ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    day = date.fromisoformat
    return [
        Registration(*r[:4], day(r[4]), r[5], r[6] and day(r[6]), r[7], r[8], r[9] and KeyEnd(r[9]))
        for r in rows
    ]
