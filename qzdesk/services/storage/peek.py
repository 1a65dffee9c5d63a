"""What the login needs before the store is open, read with the standard library alone
(so the dialog shows while SQLAlchemy and the services load): the organisation's name,
and for a plain file written before encryption, the password's hash."""

from __future__ import annotations

import json
from pathlib import Path

from qzdesk.services.errors import QzdeskError
from qzdesk.services.storage import cipher

SETUP_DONE_KEY = "setup.completed_at"  # organisation.settings.Key.SETUP_DONE
PASSWORD_HASH_KEY = "auth.password_hash"  # organisation.settings.Key.PASSWORD_HASH


def organisation_name(db_path: Path) -> str | None:
    """The top organisation's name once setup is complete (an encrypted file: as its key
    file names it); None for a new, unfinished or unreadable file (the full opening then
    says what is wrong)."""
    if not cipher.is_plain(db_path):
        try:
            data = cipher.read_key_file(cipher.key_file_of(db_path))
        except QzdeskError:
            return None
        sealed = data is not None and data.get("wraps")
        return str(data.get("organisation") or "") or None if sealed else None
    try:
        with cipher.connect(db_path, read_only=True, key=None) as conn:
            done = conn.execute(
                "SELECT 1 FROM setting WHERE key = ? AND value IS NOT NULL", (SETUP_DONE_KEY,)
            ).fetchone()
            if done is None:
                return None
            row = conn.execute("SELECT name FROM org WHERE parent_id IS NULL").fetchone()
    except cipher.Error:
        return None
    return row[0] if row else None


def password_hash(db_path: Path) -> str | None:
    """The stored hash in a plain file (None when setup never set one)."""
    with cipher.connect(db_path, read_only=True, key=None) as conn:
        row = conn.execute(
            "SELECT value FROM setting WHERE key = ?", (PASSWORD_HASH_KEY,)
        ).fetchone()
    return None if row is None or row[0] is None else json.loads(row[0])
