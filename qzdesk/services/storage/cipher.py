"""Every connection to a qzdesk database, plain or encrypted, goes through here.

An encrypted database (SQLCipher 4) is keyed with a random 256-bit data key handed over as
a raw key, so opening costs no key derivation. The data key never touches the disk in
clear: keys/store-key.json holds it wrapped (see security/store_key.py), and once a
password or the 恢复码 has unwrapped it, this process remembers it under the key's id.
Copies of a database (backups, a data directory copied to a new PC) carry the same id."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as dbapi

from qzdesk.config import DataPaths
from qzdesk.services.errors import QzdeskError
from qzdesk.services.files import fsync_dir, write_atomically

KEY_FILE = "store-key.json"
KEY_SUFFIX = ".key.json"
FORMAT = "qzdesk-store-key"  # a backup's copy of the key file, beside it

Connection = dbapi.Connection
DatabaseError = dbapi.DatabaseError
Error = dbapi.Error

_unlocked: dict[str, bytes] = {}  # key id -> data key, for this process only


class StoreLocked(QzdeskError):
    """An encrypted database whose key this process has not unlocked."""


def remember(key_id: str, key: bytes) -> None:
    _unlocked[key_id] = key


def is_unlocked(key_id: str) -> bool:
    return key_id in _unlocked


def unlocked_key(key_id: str) -> bytes:
    """The data key of a key file this process unlocked (or made)."""
    try:
        return _unlocked[key_id]
    except KeyError:
        raise StoreLocked("数据文件的密钥尚未解锁，需要先输入密码（或恢复码）。") from None


def forget_all() -> None:
    _unlocked.clear()


def store_key_file(paths: DataPaths) -> Path:
    return paths.keys / KEY_FILE


def write_key_file(path: Path, data: dict[str, Any]) -> None:
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def new_key(paths: DataPaths) -> bytes:
    """A new store's key, not yet sealed by any password: the store is unusable after a
    crash before `seal` (and set aside then: it was never set up)."""
    key, key_id = secrets.token_bytes(32), secrets.token_hex(16)
    write_key_file(
        store_key_file(paths), {"format": FORMAT, "version": 1, "key_id": key_id, "wraps": {}}
    )
    remember(key_id, key)
    return key


def is_sealed(paths: DataPaths) -> bool:
    data = read_key_file(store_key_file(paths))
    return data is not None and "password" in data.get("wraps", {})


def set_aside_unfinished(paths: DataPaths) -> Path | None:
    """A store whose setup never finished (an encrypted file whose key no password ever
    sealed): moved with its key file to aside/, never deleted, so setup can start again.
    A plain data file is never touched here: an unsealed key beside it is what an older
    conversion cut short left, and the plain file is the roster itself. Returns where
    the unfinished store went."""
    key_file = store_key_file(paths)
    data = read_key_file(key_file)
    if data is None or is_sealed(paths) or is_unlocked(str(data["key_id"])):
        return None
    if is_plain(paths.database) or not paths.database.exists():
        key_file.unlink()  # names a key that was never written down: no data behind it
        return None
    aside = paths.root / "aside"
    aside.mkdir(mode=0o700, exist_ok=True)
    stamp = secrets.token_hex(4)
    target = aside / f"unfinished-setup-{stamp}.sqlite"
    for suffix in ("-wal", "-shm"):
        leftover = Path(f"{paths.database}{suffix}")
        if leftover.exists():
            os.replace(leftover, Path(f"{target}{suffix}"))
    os.replace(paths.database, target)
    os.replace(key_file, target.with_name(target.name + KEY_SUFFIX))
    fsync_dir(paths.root)
    return target


def key_file_of(db_path: Path) -> Path:
    """The key file that belongs to a database: a backup's own copy beside it, else the
    data directory's (the live file, a restore in progress, a store being built)."""
    # A backup being written (`X.sqlite.part`) already has its key copy as `X.sqlite.key.json`.
    beside = db_path.with_name(db_path.name.removesuffix(".part") + KEY_SUFFIX)
    if beside.exists():
        return beside
    return db_path.parent / "keys" / KEY_FILE


def read_key_file(path: Path) -> dict[str, Any] | None:
    """The key file's JSON (None when there is none: a plain database)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise QzdeskError(f"无法读取密钥文件 {path}：{exc.strerror}。") from exc
    try:
        data = json.loads(text)
        str(data["key_id"])
    except (ValueError, KeyError, TypeError):
        raise QzdeskError(
            f"密钥文件 {path} 已损坏，数据文件因此无法解密。请从备份恢复（备份旁有它的密钥文件）。"
        ) from None
    return data


SQLITE_NOTADB = 26  # what a wrong key gives: the first page does not decrypt
PLAIN_HEADER = b"SQLite format 3\x00"  # an encrypted file starts with random salt instead


def is_plain(db_path: Path) -> bool:
    try:
        with open(db_path, "rb") as handle:
            return handle.read(16) == PLAIN_HEADER
    except OSError:
        return False


def key_for(db_path: Path) -> bytes | None:
    """The data key of a database: None for a plain one (written before encryption, or
    left plain by a conversion cut short); StoreLocked when it is encrypted and its key
    has not been unlocked in this process."""
    if is_plain(db_path):
        return None
    key_file = key_file_of(db_path)
    data = read_key_file(key_file)
    if data is None:
        if db_path.is_file() and db_path.stat().st_size > 0:  # encrypted, its key file gone
            beside = db_path.with_name(db_path.name + KEY_SUFFIX)
            raise QzdeskError(
                f"数据文件 {db_path} 已加密，但找不到它的密钥文件（{beside.name} 或 {key_file}）。"
                "请把密钥文件放回原处（备份要和旁边的 .key.json 一起复制），或从备份恢复。"
            )
        return None
    key = _unlocked.get(str(data["key_id"]))
    if key is None:
        raise StoreLocked(f"数据文件 {db_path} 已加密，需要先输入密码（或恢复码）解锁。")
    return key


def connect(
    db_path: Path | str,
    *,
    read_only: bool = False,
    key: bytes | bool | None = True,
    timeout: float = 5,
) -> Connection:
    """A DB-API connection keyed for `db_path` (`key=True`: looked up; None: plain)."""
    db_path = Path(db_path)
    chosen = key_for(db_path) if key is True else key
    target = f"file:{db_path}?mode=ro" if read_only else f"file:{db_path}"
    conn = dbapi.connect(target, uri=True, timeout=timeout, check_same_thread=False)
    if isinstance(chosen, bytes):
        apply_key(conn, chosen)
    return conn


def apply_key(conn: Connection, key: bytes) -> None:
    """SQLCipher's raw-key form: the 64 hex digits are the key itself, no derivation."""
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def encrypt_copy(source: Path, target: Path, key: bytes, source_key: bytes | None = None) -> None:
    """Write a copy of a database (plain, or under `source_key`) encrypted under `key`
    (SQLCipher's documented `sqlcipher_export`), synced; the caller renames it into
    place. Nothing may write to the source meanwhile."""
    target.unlink(missing_ok=True)
    conn = connect(source, key=source_key)
    try:
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())


def checkpoint(db_path: Path, key: bytes | None) -> None:
    """Fold the -wal file into the database (nothing else may have it open), so that the
    file alone holds everything before it is copied or replaced."""
    conn = connect(db_path, key=key)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()


def fits(db_path: Path, key: bytes | None) -> bool:
    """Whether `key` (None: none) is the database's key: its first page decrypts (read
    alone, so a file damaged further in still counts as this key's). Only SQLite's "not a
    database" says no: a truncated or damaged file is this key's, and damaged."""
    conn = connect(db_path, read_only=True, key=key)
    # A wrong key is an expected answer here, not an error for SQLCipher to print.
    level = conn.execute("PRAGMA cipher_log_level").fetchone()[0]
    conn.execute("PRAGMA cipher_log_level = NONE")
    try:
        conn.execute("PRAGMA user_version").fetchone()
        return True
    except DatabaseError as exc:
        return getattr(exc, "sqlite_errorcode", SQLITE_NOTADB) != SQLITE_NOTADB
    finally:
        conn.execute(f"PRAGMA cipher_log_level = {level}")
        conn.close()
