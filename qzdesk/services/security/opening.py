"""The one way in, once the password (or the 恢复码) has unlocked the data file's key:
open the store (migrating it), keep the organisation's name for the next login's
window title, seal files received or issued before sealing existed, and name the
secretary who acts. The window (ui/app.py) and the command line (cli.py) both come in
here; only their threads and dialogs differ."""

from __future__ import annotations

from dataclasses import dataclass

from qzdesk.config import DataPaths
from qzdesk.services.organisation import orgs
from qzdesk.services.security import auth, store_key
from qzdesk.services.security.sealed_files import seal_plain_files
from qzdesk.services.storage.lock import DataDirLock
from qzdesk.services.storage.store import SYSTEM_ACTOR, Store


@dataclass(frozen=True)
class Opened:
    store: Store
    organisation: str | None  # None: setup has not been finished in this folder
    secretary: str


def open_unlocked(paths: DataPaths, program: str, lock: DataDirLock | None = None) -> Opened:
    """The unlocked store, opened; closed again if anything after the opening fails."""
    store = Store.open(paths.root, program, lock=lock)
    try:
        with store.transaction() as session:
            name = orgs.root_name(session)
        if name:
            store_key.keep_organisation(paths, name)  # the login's name follows a rename
        seal_plain_files(store, [paths.received, paths.issued])
        with store.transaction() as session:
            secretary = auth.secretary_of(session) or SYSTEM_ACTOR
        return Opened(store, name, secretary)
    except BaseException:
        store.close()
        raise
