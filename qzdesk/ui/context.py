"""What every window needs: the opened store, the rule profiles and the worker."""

from __future__ import annotations

from dataclasses import dataclass

from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.storage.store import Store
from qzdesk.ui.worker import DbWorker


@dataclass
class AppContext:
    store: Store
    profiles: dict[str, RuleProfile]
    worker: DbWorker
