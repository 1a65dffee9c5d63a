"""The branch's signing key: created at setup, locked by the login password, handed over."""

from __future__ import annotations

import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from qzdesk.services.errors import ValidationError
from qzdesk.services.security import auth, branch_key
from tests.desks import desk_of


def test_setup_created_a_p256_key_and_a_certificate_naming_the_branch(store):
    info = branch_key.key_info(store)
    assert info is not None
    assert (
        info.subject == "秦州区示范中学团委（演示）"
        and info.organisation == "共青团天水市秦州区委员会"
    )
    assert len(info.fingerprint.split(":")) == 32
    assert (info.not_after - info.not_before).days >= 365 * 10 - 1
    key, cert = branch_key.load_key(store, "qzdemo")
    assert isinstance(key.curve, ec.SECP256R1)
    assert branch_key.fingerprint(cert) == info.fingerprint


def test_the_key_needs_the_password(store):
    with pytest.raises(branch_key.WrongKeyPassword, match="密码不正确"):
        branch_key.load_key(store, "wrong-password")
    result = subprocess.run(
        [
            "openssl",
            "pkcs12",
            "-in",
            str(branch_key.key_path(store)),
            "-nocerts",
            "-nodes",
            "-passin",
            "pass:",
        ],
        capture_output=True,
    )
    assert result.returncode != 0 and b"PRIVATE KEY" not in result.stdout


def test_openssl_reads_the_same_fingerprint(store, tmp_path):
    pem = tmp_path / "branch.pem"
    pem.write_bytes(branch_key.certificate_pem(store))
    output = subprocess.run(
        ["openssl", "x509", "-in", str(pem), "-noout", "-fingerprint", "-sha256"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert output.strip().split("=", 1)[1] == branch_key.key_info(store).fingerprint
    x509.load_pem_x509_certificate(pem.read_bytes())


def test_changing_the_password_re_encrypts_the_key(store):
    desk_of(store).write(auth.change_password, "qzdemo", "xinmima88", "xinmima88")
    branch_key.load_key(store, "xinmima88")
    with pytest.raises(branch_key.WrongKeyPassword):
        branch_key.load_key(store, "qzdemo")


def test_a_failed_password_change_leaves_the_key_as_it_was(store):
    before = branch_key.key_path(store).read_bytes()
    with pytest.raises(ValidationError, match="原密码不正确"):
        desk_of(store).write(auth.change_password, "nope-nope", "xinmima88", "xinmima88")
    assert branch_key.key_path(store).read_bytes() == before
    branch_key.load_key(store, "qzdemo")


def test_hand_over_to_the_next_secretary(store, tmp_path):
    exported = tmp_path / "移交密钥.p12"
    with pytest.raises(ValidationError, match="至少 8 位"):
        desk_of(store).write(branch_key.export_key, "qzdemo", "short", exported)
    info = desk_of(store).write(branch_key.export_key, "qzdemo", "yijiao-2026", exported)
    for path in (branch_key.key_path(store), branch_key.cert_path(store)):
        path.unlink()  # an installation without the signing key
    assert branch_key.key_info(store) is None
    with pytest.raises(branch_key.WrongKeyPassword):
        desk_of(store).write(branch_key.import_key, exported, "wrong-one", "qzdemo")
    taken = desk_of(store).write(branch_key.import_key, exported, "yijiao-2026", "qzdemo")
    assert taken.fingerprint == info.fingerprint
    branch_key.load_key(store, "qzdemo")
    with pytest.raises(ValidationError, match="已有签名密钥"):
        desk_of(store).write(branch_key.import_key, exported, "yijiao-2026", "qzdemo")


def test_a_second_key_is_refused(store):
    with pytest.raises(ValidationError, match="已有签名密钥"):
        desk_of(store).write(branch_key.create_key, "qzdemo")
    with pytest.raises(ValidationError, match="登录密码不正确"):
        desk_of(store).write(branch_key.create_key, "wrong")


def _openssl_info(path, secret: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["openssl", "pkcs12", "-in", str(path), "-info", "-noout", "-passin", f"pass:{secret}"],
        capture_output=True,
        text=True,
    )


def test_the_key_file_has_a_strong_kdf_and_a_secret_of_its_own(store):
    path = branch_key.key_path(store)
    # Not the login password itself: the file has its own derived secret.
    assert _openssl_info(path, "qzdemo").returncode != 0
    info = _openssl_info(path, branch_key._secrets(store, "qzdemo")[0].decode())
    assert info.returncode == 0, info.stderr
    details = info.stdout + info.stderr
    assert "PBKDF2" in details and "AES-256-CBC" in details
    assert f"Iteration {branch_key.KDF_ROUNDS}" in details


def test_a_key_file_of_the_earlier_kind_opens_and_is_rewritten(store):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, cert = branch_key.load_key(store, "qzdemo")
    legacy = pkcs12.serialize_key_and_certificates(
        b"qzdesk-branch", key, cert, None, serialization.BestAvailableEncryption(b"qzdemo")
    )
    branch_key.key_path(store).write_bytes(legacy)
    assert branch_key.fingerprint(branch_key.load_key(store, "qzdemo")[1]) == (
        branch_key.fingerprint(cert)
    )
    assert branch_key.key_path(store).read_bytes() != legacy
    assert _openssl_info(branch_key.key_path(store), "qzdemo").returncode != 0
