"""The data file's key: random, made when the store is made, kept in keys/store-key.json
wrapped twice (AES-256-GCM under scrypt of the password, and under scrypt of the 恢复码
shown once at setup), so either opens the store and the password can change without
re-encrypting the data. See docs/security.md."""

from __future__ import annotations

import base64
import hashlib
import secrets
import unicodedata
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from qzdesk.config import DataPaths
from qzdesk.services import crashpoints
from qzdesk.services.storage import cipher, switch
from qzdesk.services.storage.integrity import same_content

PASSWORD, RECOVERY = "password", "recovery"
# About 0.1 s and 32 MiB per guess on an office PC: an offline guesser gets ~10 a second
# per core for a password, and the 恢复码's 120 random bits are out of reach anyway.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
# No 0/O or 1/I: the code is copied by hand from paper.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RECOVERY_GROUPS, GROUP_LENGTH = 6, 4


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _kek(secret: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=128 * 1024 * 1024, dklen=32
    )


def _wrap(key: bytes, key_id: str, kind: str, secret: str) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(_kek(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)).encrypt(
        nonce, key, f"{key_id}:{kind}".encode()
    )
    return {
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "sealed": _b64(sealed),
    }


def _unwrap(data: dict[str, Any], kind: str, secret: str) -> bytes | None:
    wrap = data.get("wraps", {}).get(kind)
    if wrap is None:
        return None
    decode = base64.b64decode
    kek = _kek(secret, decode(wrap["salt"]), int(wrap["n"]), int(wrap["r"]), int(wrap["p"]))
    try:
        return AESGCM(kek).decrypt(
            decode(wrap["nonce"]), decode(wrap["sealed"]), f"{data['key_id']}:{kind}".encode()
        )
    except InvalidTag:
        return None


def _read(paths: DataPaths) -> dict[str, Any] | None:
    return cipher.read_key_file(cipher.store_key_file(paths))


def new_recovery_code() -> str:
    chars = "".join(
        secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * GROUP_LENGTH)
    )
    return "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, len(chars), GROUP_LENGTH))


def normalise_recovery_code(typed: str) -> str:
    """As printed, whatever the case, spaces or dashes typed, in half or full width (a
    Chinese input method types ＡＢＣ２)."""
    chars = "".join(c for c in unicodedata.normalize("NFKC", typed).upper() if c.isalnum())
    return "-".join(chars[i : i + GROUP_LENGTH] for i in range(0, len(chars), GROUP_LENGTH))


def sealed(key_id: str, key: bytes, organisation: str, password: str, code: str) -> dict[str, Any]:
    """A key file's content: `key` wrapped under the password and the 恢复码."""
    return {
        "format": cipher.FORMAT,
        "version": 1,
        "key_id": key_id,
        "organisation": organisation,
        "wraps": {
            PASSWORD: _wrap(key, key_id, PASSWORD, password),
            RECOVERY: _wrap(key, key_id, RECOVERY, code),
        },
    }


def seal(paths: DataPaths, password: str, organisation: str, code: str | None = None) -> str:
    """Wrap a new store's (unlocked) data key under the password and a new 恢复码 (or
    `code`, one already written down), which is returned to be shown once and printed;
    the organisation's name is kept in clear for the login."""
    data = _read(paths)
    if data is None:
        raise ValueError("no store key to seal")
    key_id = str(data["key_id"])
    code = code or new_recovery_code()
    content = sealed(key_id, cipher.unlocked_key(key_id), organisation, password, code)
    cipher.write_key_file(cipher.store_key_file(paths), content)
    return code


def password_opens(paths: DataPaths, password: str) -> bool:
    """Whether `password` is the one the key file is sealed under (nothing remembered)."""
    data = _read(paths)
    return data is not None and _unwrap(data, PASSWORD, password) is not None


def unlock(key_path: Path, secret: str, kind: str = PASSWORD) -> bool:
    """Unwrap the data key with the password (or the 恢复码) and remember it."""
    data = cipher.read_key_file(key_path)
    if data is None:
        return False
    if kind == RECOVERY:
        secret = normalise_recovery_code(secret)
    key = _unwrap(data, kind, secret)
    if key is None:
        return False
    cipher.remember(str(data["key_id"]), key)
    return True


def rewrap(paths: DataPaths, kind: str, secret: str) -> None:
    """A new password (or 恢复码) for the unlocked key; the data stays as it is."""
    data = _read(paths)
    assert data is not None
    key = cipher.unlocked_key(str(data["key_id"]))
    data["wraps"][kind] = _wrap(key, data["key_id"], kind, secret)
    cipher.write_key_file(cipher.store_key_file(paths), data)


def organisation(paths: DataPaths) -> str | None:
    """The name the login shows, readable before the store is unlocked."""
    data = _read(paths)
    return None if data is None else data.get("organisation")


def keep_organisation(paths: DataPaths, name: str) -> None:
    """The name the login shows follows a rename (written only when it changed)."""
    data = _read(paths)
    if data is not None and data.get("wraps") and data.get("organisation") != name:
        data["organisation"] = name
        cipher.write_key_file(cipher.store_key_file(paths), data)


def encrypt_plain(paths: DataPaths, password: str, organisation_name: str) -> str:
    """Convert a plain store written before encryption (the caller holds the lock and has
    checked the password): the encrypted copy and its sealed key are built beside the
    plain file, checked, and switched in together; returns the new 恢复码. A kill before
    the switch leaves the plain file as it was; after it, the next start finishes it."""
    plain = paths.database
    key, key_id, code = secrets.token_bytes(32), secrets.token_hex(16), new_recovery_code()
    cipher.checkpoint(plain, None)
    copy = switch.staged(plain)
    cipher.encrypt_copy(plain, copy, key)
    crashpoints.reached("convert-copied")
    same_content(plain, None, copy, key)
    key_file = cipher.store_key_file(paths)
    cipher.write_key_file(
        switch.staged(key_file), sealed(key_id, key, organisation_name, password, code)
    )
    cipher.remember(key_id, key)
    switch.decide(paths, [plain, key_file])
    switch.finish(paths)
    return code
