"""The branch's signing key: ECDSA P-256 with a self-signed certificate, kept as PKCS#12
encrypted with the secretary's password, so that the district can trust archives once the
certificate's fingerprint is registered with it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from qzdesk.models import AuditEntry
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import NotFound, QzdeskError, ValidationError
from qzdesk.services.files import write_atomically
from qzdesk.services.organisation.orgs import root_name
from qzdesk.services.organisation.settings import Key, read
from qzdesk.services.security.password_check import password_in_force
from qzdesk.services.storage import cipher
from qzdesk.services.storage.store import Store

VALID_YEARS = 10
KEY_FILE = "branch-key.p12"
CERT_FILE = "branch-cert.pem"


@dataclass(frozen=True)
class KeyInfo:
    subject: str
    organisation: str
    fingerprint: str  # SHA-256 of the certificate, hex pairs joined by ":"
    not_before: datetime
    not_after: datetime


class WrongKeyPassword(QzdeskError):
    pass


def key_path(store: Store) -> Path:
    return store.paths.keys / KEY_FILE


def cert_path(store: Store) -> Path:
    """The certificate alone, public, beside the encrypted key."""
    return store.paths.keys / CERT_FILE


def _save(
    store: Store, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate, password: str
) -> None:
    write_atomically(key_path(store), _bundle(key, cert, _secrets(store, password)[0]))
    write_atomically(cert_path(store), cert.public_bytes(serialization.Encoding.PEM))


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def describe(cert: x509.Certificate) -> KeyInfo:
    def first(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
        values = name.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    return KeyInfo(
        first(cert.subject, NameOID.COMMON_NAME),
        first(cert.subject, NameOID.ORGANIZATION_NAME),
        fingerprint(cert),
        cert.not_valid_before_utc,
        cert.not_valid_after_utc,
    )


KDF_ROUNDS = 600_000  # PBKDF2-SHA256, as OWASP advises for 2023 on


def _secrets(store: Store, password: str) -> list[bytes]:
    """The key file's secret, newest scheme first: derived from the data file's key (an
    encrypted store: the key then opens with the password or the 恢复码, and a password
    change leaves it as it is), else from the login password with a label, else (the
    oldest files) the bare password. Never a secret shared with anything else."""
    data_key = cipher.key_for(store.paths.database)
    found = [] if data_key is None else [_secret_of_data_key(data_key)]
    return [*found, *_secrets_of_password(password)]


def _secret_of_data_key(data_key: bytes) -> bytes:
    return hashlib.sha256(b"qzdesk branch key\0" + data_key).hexdigest().encode()


def _secrets_of_password(password: str) -> list[bytes]:
    """A plain store's: derived from the password with a label, then the bare password."""
    label = hashlib.sha256(b"qzdesk branch key\0" + password.encode("utf-8"))
    return [label.hexdigest().encode(), password.encode("utf-8")]


def _bundle(key: ec.EllipticCurvePrivateKey, cert: x509.Certificate, secret: bytes) -> bytes:
    """PKCS#12 with PBES2 (AES-256-CBC) and 600,000 PBKDF2 rounds, not the library's
    default; Windows and OpenSSL 1.1.1+ read it."""
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(KDF_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(secret)
    )
    return pkcs12.serialize_key_and_certificates(b"qzdesk-branch", key, cert, None, encryption)


def _load(data: bytes, secret: bytes) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key, cert, _extra = pkcs12.load_key_and_certificates(data, secret)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or cert is None:
        raise QzdeskError("密钥文件内容不完整（缺少私钥或证书）。")
    return key, cert


def _open_transfer(
    data: bytes, password: str
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    try:
        return _load(data, password.encode("utf-8"))
    except ValueError:
        raise WrongKeyPassword("移交密码不正确，无法打开移交的密钥文件。") from None


def create_key(
    ctx: Context, password: str, now: datetime | None = None, actor: str | None = None
) -> Outcome[KeyInfo]:
    """A new key pair and certificate: subject = the organisation, O = the parent committee."""
    now = now or clock.now_utc()
    session = ctx.session
    parent = read(session, Key.PARENT_ORG, "")
    if not password_in_force(ctx.store, password):
        raise ValidationError("登录密码不正确。", "password")
    if key_path(ctx.store).exists():
        if _opened(ctx.store, password) is not None:
            raise ValidationError("本支部已有签名密钥；如需更换，请先导出备份旧密钥。")
        # Sealed under another data file's key (a backup from another installation was
        # restored): unusable here, kept under keys/retired/ and replaced.
        retire_files(ctx.store, now)
    session = ctx.session
    name = root_name(session) or "团组织"
    info = issue_key(ctx.store, password, name, parent, now)
    _record(
        ctx,
        x509.load_pem_x509_certificate(cert_path(ctx.store).read_bytes()),
        "create",
        actor,
        subject=info.subject,
        organisation=info.organisation,
    )
    return Outcome(info, frozenset({Topic.SETTINGS, Topic.AUDIT}))


def retire_files(store: Store, now: datetime) -> None:
    """Move the key and certificate under keys/retired/, never deleting a key."""
    retired = store.paths.keys / "retired"
    stamp = f"{now:%Y%m%d-%H%M%S}"
    for path in (key_path(store), cert_path(store)):
        if path.exists():
            retired.mkdir(parents=True, exist_ok=True)
            path.rename(retired / f"{stamp}-{path.name}")


def issue_key(store: Store, password: str, name: str, parent: str, now: datetime) -> KeyInfo:
    """Generate the key pair and the self-signed certificate and write both files; the
    caller records it (first-run setup does so inside its own transaction)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, parent or "共青团"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    _save(store, key, cert, password)
    return describe(cert)


def replace_key(
    ctx: Context, password: str, reason: str, now: datetime | None = None
) -> Outcome[KeyInfo]:
    """A new key for a renamed organisation or a key thought lost: the old key and
    certificate are kept under keys/retired/ (archives signed with them stay checkable),
    and the new certificate must be registered above again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("请写明更换密钥的原因（如：组织更名、密钥遗失）。", "reason")
    old = load_key(ctx.store, password)[1]  # the password is checked before anything moves
    now = now or clock.now_utc()
    retire_files(ctx.store, now)
    outcome = create_key(ctx, password, now)
    _record(ctx, old, "retire", None, reason=reason, successor=outcome.value.fingerprint)
    return outcome


def _record(
    ctx: Context, cert: x509.Certificate, action: str, actor: str | None = None, **after: str
) -> None:
    session = ctx.session
    audit.record(session, actor or ctx.actor, "branch_key", fingerprint(cert), action, after=after)


def key_info(store: Store) -> KeyInfo | None:
    """The certificate's details, from its public copy: no password needed."""
    path = cert_path(store)
    if not path.exists():
        return None
    return describe(x509.load_pem_x509_certificate(path.read_bytes()))


def load_key(store: Store, password: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The signing key, for the secretary who knows the login password; a file kept under
    an older secret is rewritten under the newest."""
    path = key_path(store)
    if not path.exists():
        raise NotFound("本支部还没有签名密钥：请在“设置”中创建。")
    if not password_in_force(store, password):
        raise WrongKeyPassword("密码不正确，无法打开签名密钥。")
    opened = _opened(store, password)
    if opened is None:
        raise WrongKeyPassword(
            "签名密钥文件无法用本机数据文件的密钥打开（可能来自别的电脑或别的备份）："
            "请在“设置 → 签名密钥”中导入移交的密钥文件，或创建新的签名密钥（旧的会留存）。"
        )
    key, cert, secret = opened
    if secret != _secrets(store, password)[0]:
        write_atomically(path, _bundle(key, cert, _secrets(store, password)[0]))
    return key, cert


def _opened(
    store: Store, password: str
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate, bytes] | None:
    data = key_path(store).read_bytes()
    for secret in _secrets(store, password):
        try:
            return (*_load(data, secret), secret)
        except ValueError:
            continue
    return None


def resealed(store: Store, password: str, data_key: bytes) -> bytes | None:
    """The signing key file as it must be under a new data key (None: there is none)."""
    if not key_path(store).exists():
        return None
    key, cert = load_key(store, password)
    return _bundle(key, cert, _secret_of_data_key(data_key))


def reencrypt(store: Store, old: str, new: str) -> None:
    """Called when the password changes: a key kept under the password follows it (one
    under the data file's key needs nothing)."""
    if key_path(store).exists():
        key, cert = load_key(store, old)
        write_atomically(key_path(store), _bundle(key, cert, _secrets(store, new)[0]))


def export_key(ctx: Context, password: str, transfer_password: str, target: Path) -> KeyInfo:
    """A copy for the next secretary (换届), protected by a password of its own."""
    if len(transfer_password) < 8:
        raise ValidationError("移交密码至少 8 位。", "transfer_password")
    key, cert = load_key(ctx.store, password)
    write_atomically(target, _bundle(key, cert, transfer_password.encode("utf-8")))
    _record(ctx, cert, "export", file=target.name)
    return describe(cert)


def import_key(ctx: Context, source: Path, transfer_password: str, password: str) -> KeyInfo:
    """Take over a key exported by the previous secretary; it is re-encrypted with this
    installation's login password."""
    key, cert = _open_transfer(source.read_bytes(), transfer_password)
    if key_path(ctx.store).exists():
        raise ValidationError("本支部已有签名密钥，不能再导入。")
    _save(ctx.store, key, cert, password)
    _record(ctx, cert, "import", file=source.name)
    return describe(cert)


def export_certificate(ctx: Context, target: Path) -> Outcome[KeyInfo]:
    """Write the certificate for the district's trust list (atomically), and note it: the
    first-hour guide ticks 登记证书 off from this record."""
    pem = certificate_pem(ctx.store)
    write_atomically(target, pem)
    cert = x509.load_pem_x509_certificate(pem)
    _record(ctx, cert, "export_cert", file=target.name)
    return Outcome(describe(cert), frozenset({Topic.SETTINGS, Topic.AUDIT}))


def certificate_exported(ctx: Context) -> bool:
    session = ctx.session
    return (
        session.scalar(
            select(AuditEntry.id)
            .where(AuditEntry.entity == "branch_key", AuditEntry.action == "export_cert")
            .limit(1)
        )
        is not None
    )


def certificate_pem(store: Store) -> bytes:
    """The certificate to hand to the district for its trust list."""
    path = cert_path(store)
    if not path.exists():
        raise NotFound("本支部还没有签名密钥：请在“设置”中创建。")
    return path.read_bytes()
