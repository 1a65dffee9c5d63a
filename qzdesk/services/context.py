"""What an operation is handed (`def op(ctx, …)`): its session, the profile in force, who
acts and when. The desk makes one per unit of work; nothing here opens a session, and this
module imports no domain (every domain imports it): the desk hands in how the profile in
force and the organisation's overview are found, and the context keeps each once found."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from qzdesk.services.clock import now

if TYPE_CHECKING:
    from qzdesk.services.organisation.overview import Overview
    from qzdesk.services.organisation.rules import RuleProfile
    from qzdesk.services.storage.store import Store


@dataclass
class Context:
    session: Session
    store: Store
    profiles: Mapping[str, RuleProfile]
    actor: str
    find_profile: Callable[[Session, dict[str, RuleProfile]], RuleProfile]
    find_overview: Callable[[Context, date], Any]
    now: datetime = field(default_factory=now)

    @property
    def today(self) -> date:
        return self.now.date()

    @cached_property
    def profile(self) -> RuleProfile:
        return self.find_profile(self.session, dict(self.profiles))

    @cached_property
    def overview(self) -> Overview:
        """The organisation as of today, worked out once per unit of work however many
        parts of one screen (the 工作台's summary, to-do list and first steps) ask."""
        found: Overview = self.find_overview(self, self.today)
        return found

    @contextmanager
    def savepoint(self) -> Iterator[Session]:
        """A part of the unit that is undone alone when it fails (the error caught), the
        rest of the unit going on."""
        with self.session.begin_nested():
            yield self.session
