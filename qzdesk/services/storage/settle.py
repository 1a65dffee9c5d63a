"""What an interrupted run left, put right before anything opens the data file: a decided
switch of the data file and its key finished, a setup that never finished set aside,
half-written leftovers cleared. Read by the login before the store (and SQLAlchemy)
loads, so it imports neither."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from qzdesk.config import DataPaths
from qzdesk.services.errors import QzdeskError
from qzdesk.services.storage import cipher, switch

log = logging.getLogger(__name__)


def settle(paths: DataPaths) -> Path | None:
    """Put right what an interrupted run left, before anything opens the file (the caller
    holds the lock): a decided switch is finished, a setup that never finished is set
    aside (where to is returned), half-written leftovers are cleared. Nothing that may
    hold data is deleted."""
    switch.finish(paths)
    for spooled in paths.spool.glob("*") if paths.spool.is_dir() else []:
        # Temporary files of a run that was killed (an export's spooled rows).
        if spooled.is_dir():
            shutil.rmtree(spooled, ignore_errors=True)
        else:
            spooled.unlink(missing_ok=True)
    aside = cipher.set_aside_unfinished(paths)
    if aside is not None:
        log.warning("set aside %s: its setup never finished", aside)
    remove_leftovers(paths)
    return aside


def remove_leftovers(paths: DataPaths) -> list[Path]:
    """Half-written files (`*.part`) a killed backup, restore or key export left: only ever
    temporary names, so nothing that was finished is touched. We hold the lock."""
    # pathlib's "*" matches dot-files too (write_atomically's temporary names start with ".");
    # SQLite's journal of a half-written copy is `X.part-journal` (or -wal, -shm).
    found = [
        p
        for folder in (paths.root, paths.backups, paths.keys)
        for pattern in ("*.part", "*.part-journal", "*.part-wal", "*.part-shm")
        for p in folder.glob(pattern)
    ]
    found += _orphan_key_copies(paths)
    for path in found:
        if path.is_dir():  # a demo built to the side (storage.staging) and killed
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        log.warning("removed %s, left half-written by an interrupted run", path.name)
    return found


def _orphan_key_copies(paths: DataPaths) -> list[Path]:
    """Key copies whose backup is gone (thinned, or removed by hand) and whose key is not
    the live file's: they open nothing that exists. Kept while the live key file is
    missing, when any copy may be the one that mends it."""
    live = cipher.read_key_file(cipher.store_key_file(paths))
    if live is None:
        return []
    found = []
    for copy in paths.backups.glob(f"*{cipher.KEY_SUFFIX}"):
        backup = copy.with_name(copy.name.removesuffix(cipher.KEY_SUFFIX))
        if backup.exists():
            continue
        try:
            data = cipher.read_key_file(copy)
        except QzdeskError:  # unreadable: left as it is, for a person to look at
            continue
        if data is None or data["key_id"] != live["key_id"]:
            found.append(copy)
    return found
