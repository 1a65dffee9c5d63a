"""Files kept beside the data file that hold what the data file holds (the archives an
organisation issued, and those received from the organisations below: rosters with ID
numbers and phones) are sealed with AES-256-GCM, so a copied data folder shows them no
more than the encrypted data file does. The key is random and kept inside the (encrypted)
data file; a file's name is bound to its content, so files cannot be swapped. A file
written before sealing (no header) is read as it is and sealed at the next sign-in."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from qzdesk.services.errors import QzdeskError
from qzdesk.services.files import write_atomically
from qzdesk.services.organisation.settings import Key, read, write
from qzdesk.services.storage.store import Store

HEADER = b"QZDESK-SEALED-1\n"
NONCE_BYTES = 12


def _key(store: Store) -> bytes:
    with store.transaction() as session:
        found = read(session, Key.FILES_KEY)
        if found is None:
            found = base64.b64encode(secrets.token_bytes(32)).decode()
            write(session, store.actor, Key.FILES_KEY, found)
    return base64.b64decode(found)


def write_sealed(store: Store, path: Path, content: bytes) -> None:
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_key(store)).encrypt(nonce, content, path.name.encode())
    write_atomically(path, HEADER + nonce + sealed)


def is_sealed(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(HEADER)) == HEADER


def read_sealed(store: Store, path: Path) -> bytes:
    """The content as written (a file from before sealing: as it is)."""
    data = path.read_bytes()
    if not data.startswith(HEADER):
        return data
    body = data[len(HEADER) :]
    try:
        return AESGCM(_key(store)).decrypt(
            body[:NONCE_BYTES], body[NONCE_BYTES:], path.name.encode()
        )
    except InvalidTag:
        raise QzdeskError(f"文件 {path.name} 被改动过或不属于这个数据目录，无法打开。") from None


def seal_plain_files(store: Store, folders: list[Path]) -> list[Path]:
    """Files written before sealing, sealed in place (each replaced whole)."""
    done = []
    for folder in folders:
        for path in sorted(folder.rglob("*.pdf")) if folder.is_dir() else []:
            if not is_sealed(path):
                write_sealed(store, path, path.read_bytes())
                done.append(path)
    return done
