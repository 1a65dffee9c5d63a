"""Password hashing (scrypt) and what a new password must satisfy; no data access, so
sign-in, the branch key and first-run setup can all use it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from qzdesk.services.errors import ValidationError

# scrypt cost: about 50 ms and 16 MiB on an office PC, per OWASP's minimum (N=2^14... 2^17).
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 6


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    encode = base64.b64encode
    return (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"
    )


def password_matches(stored: str, password: str) -> bool:
    scheme, n, r, p, salt, digest = stored.split("$")
    if scheme != "scrypt":
        raise ValueError(f"unknown password scheme {scheme}")
    actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(actual, base64.b64decode(digest))


def check_new_password(password: str, confirmation: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少 {MIN_PASSWORD_LENGTH} 位。", "password")
    if password != password.strip():
        raise ValidationError("密码的开头和结尾不能是空格。", "password")
    if confirmation is not None and confirmation != password:
        raise ValidationError("两次输入的密码不一致。", "confirmation")
