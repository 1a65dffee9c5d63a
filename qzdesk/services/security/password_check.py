"""Which password is in force: one source, so no interruption can split it."""

from __future__ import annotations

from qzdesk.services.organisation.settings import Key, read
from qzdesk.services.security import store_key
from qzdesk.services.security.passwords import password_matches
from qzdesk.services.storage import cipher
from qzdesk.services.storage.store import Store


def password_in_force(store: Store, password: str) -> bool:
    """An encrypted store's password is the one its key file is sealed under (the hash in
    the database is kept in step but never consulted: a kill between writing the key file
    and committing would otherwise leave a password that opens the data but cannot sign).
    A plain store written before encryption has only the hash."""
    if cipher.is_sealed(store.paths) and not cipher.is_plain(store.paths.database):
        return store_key.password_opens(store.paths, password)
    with store.transaction() as session:
        stored = read(session, Key.PASSWORD_HASH)
    return stored is not None and password_matches(stored, password)
