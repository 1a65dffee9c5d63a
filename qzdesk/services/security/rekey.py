"""A new data key for the store: what a new 恢复码 and a password change "旧密码可能泄露"
do, so that an old secret (and any copy of the key file it opens) opens nothing written
from then on. Backups taken before keep their own key copies and open with the secrets of
their day (docs/security.md says so)."""

from __future__ import annotations

import secrets

from qzdesk.services import crashpoints
from qzdesk.services.errors import ValidationError
from qzdesk.services.files import write_atomically
from qzdesk.services.security import branch_key, store_key
from qzdesk.services.security.password_check import password_in_force
from qzdesk.services.storage import cipher, switch
from qzdesk.services.storage.integrity import same_content
from qzdesk.services.storage.store import Store


def rekey(store: Store, password: str, code: str, new_password: str | None = None) -> None:
    """Re-encrypt the data file under a new key sealed by the password (or `new_password`)
    and the 恢复码 `code`, which the secretary has already seen and confirmed; the signing
    key is resealed under it. All three are written beside the live files and switched
    together (storage/switch.py). Runs outside any unit of work: the engine is closed
    meanwhile."""
    if cipher.is_plain(store.paths.database) or not cipher.is_sealed(store.paths):
        raise ValidationError("数据文件尚未加密，不能更换密钥。", "password")
    if not password_in_force(store, password):
        raise ValidationError("密码不正确。", "password")
    paths = store.paths
    key_file = cipher.store_key_file(paths)
    current = cipher.read_key_file(key_file)
    assert current is not None
    old_key = cipher.unlocked_key(str(current["key_id"]))
    key, key_id = secrets.token_bytes(32), secrets.token_hex(16)
    signing = branch_key.resealed(store, password, key)
    sealed = store_key.sealed(
        key_id, key, str(current.get("organisation", "")), new_password or password, code
    )
    database = paths.database
    with store.switching():
        cipher.checkpoint(database, old_key)
        cipher.encrypt_copy(database, switch.staged(database), key, old_key)
        crashpoints.reached("rekey-copied")
        same_content(database, old_key, switch.staged(database), key)
        cipher.write_key_file(switch.staged(key_file), sealed)
        finals = [database, key_file]
        if signing is not None:
            write_atomically(switch.staged(branch_key.key_path(store)), signing)
            finals.append(branch_key.key_path(store))
        cipher.remember(key_id, key)
        switch.decide(paths, finals)
        switch.finish(paths)
