"""A desk over a test's store, on a clock of the test's choosing (the archive's
operations take the desk's context: its clock decides the build day)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from qzdesk.services.clock import SYSTEM, FixedClock
from qzdesk.services.desk import Desk
from qzdesk.services.organisation.rules import RuleProfile, installed_profiles
from qzdesk.services.storage.store import Store


def desk_at(
    store: Store, now: datetime | None = None, profiles: Mapping[str, RuleProfile] | None = None
) -> Desk:
    return Desk(
        store,
        installed_profiles(store.paths) if profiles is None else profiles,
        SYSTEM if now is None else FixedClock(now),
    )


def desk_of(store: Store, profiles: Mapping[str, RuleProfile] | None = None) -> Desk:
    """A desk over `store` on the clock running where it is called (a test's
    `running_on`, else the system's): `desk_of(store).write(op, …)`."""
    return Desk(store, installed_profiles(store.paths) if profiles is None else profiles)
