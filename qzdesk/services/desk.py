"""The front door to the domain, in the spirit of Anki's `Collection`: one Desk per opened
data directory, built from the store, the rule profiles and a clock, and told who signed
in. `desk.read(op, …)` and `desk.write(op, …)` run `op(ctx, …)` as one unit of work: one
transaction and one snapshot, with the profile in force, the actor and today's date in the
context. A read is rolled back at its end; a write commits once, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from types import TracebackType
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from qzdesk.services.clock import SYSTEM, Clock, now, running_on
from qzdesk.services.organisation.overview import Overview, overview
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import active_profile
from qzdesk.services.security import auth
from qzdesk.services.storage.store import SYSTEM_ACTOR, Store

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class Context:
    """What an operation is handed: its session, the profile in force, who acts and when."""

    session: Session
    store: Store
    profiles: Mapping[str, RuleProfile]
    actor: str
    now: datetime = field(default_factory=now)

    @property
    def today(self) -> date:
        return self.now.date()

    @cached_property
    def profile(self) -> RuleProfile:
        return active_profile(self.session, dict(self.profiles))

    @cached_property
    def overview(self) -> Overview:
        """The organisation as of today, worked out once per unit of work however many
        parts of one screen (the 工作台's summary, to-do list and first steps) ask."""
        return overview(self.store, dict(self.profiles), self.today)


Operation = Callable[Concatenate[Context, P], T]


class Desk:
    def __init__(
        self,
        store: Store,
        profiles: Mapping[str, RuleProfile],
        clock: Clock = SYSTEM,
    ) -> None:
        self.store = store
        self.profiles = profiles
        self.clock = clock
        self.actor = SYSTEM_ACTOR

    def read(self, op: Operation[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._run(False, op, *args, **kwargs)

    def write(self, op: Operation[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._run(True, op, *args, **kwargs)

    def call(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """A service that takes the store rather than a context, run as one unit of work
        all the same (its transactions join the unit's)."""
        return self._run(True, lambda _ctx: fn(*args, **kwargs))

    def sign_in(self, password: str) -> auth.LoginResult:
        """Check the password; on success the secretary becomes the desk's actor."""
        result = auth.login(self.store.paths, password)
        if result.ok:
            self.actor = self.call(auth.secretary, self.store)
            result = replace(result, actor=self.actor)
        return result

    def _run(self, write: bool, op: Callable[..., T], *args: object, **kwargs: object) -> T:
        with running_on(self.clock), self.store.unit(self.actor, write=write) as session:
            context = Context(session, self.store, self.profiles, self.actor)
            return op(context, *args, **kwargs)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
