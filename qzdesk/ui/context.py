"""What every window needs: the opened store, the rule profiles and the worker."""

from __future__ import annotations

from dataclasses import dataclass

from qzdesk.services.rules import RuleProfile
from qzdesk.services.store import Store
from qzdesk.ui.worker import DbWorker


@dataclass
class AppContext:
    store: Store
    profiles: dict[str, RuleProfile]
    worker: DbWorker
