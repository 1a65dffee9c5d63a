"""The organisation's name read with the standard library alone, so the login dialog can
show it before SQLAlchemy and the services have loaded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SETUP_DONE_KEY = "setup.completed_at"  # organisation.settings.Key.SETUP_DONE


def organisation_name(db_path: Path) -> str | None:
    """The top organisation's name once setup is complete; None for a new, unfinished or
    unreadable file (the full opening then says what is wrong)."""
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            done = conn.execute(
                "SELECT 1 FROM setting WHERE key = ? AND value IS NOT NULL", (SETUP_DONE_KEY,)
            ).fetchone()
            if done is None:
                return None
            row = conn.execute("SELECT name FROM org WHERE parent_id IS NULL").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None
