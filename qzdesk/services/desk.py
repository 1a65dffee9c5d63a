"""The front door to the domain, in the spirit of Anki's `Collection`: one Desk per opened
data directory, built from the store, the rule profiles and a clock, and told who signed
in. `desk.read(op, …)` and `desk.write(op, …)` run `op(ctx, …)` as one unit of work: one
transaction and one snapshot, with the profile in force, the actor and today's date in the
context. A read is rolled back at its end; a write commits once, all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from types import TracebackType
from typing import Concatenate, ParamSpec, TypeVar

from qzdesk.services.clock import Clock, current, running_on
from qzdesk.services.context import Context
from qzdesk.services.organisation.overview import overview
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import active_profile
from qzdesk.services.security import auth
from qzdesk.services.storage.store import SYSTEM_ACTOR, Store

P = ParamSpec("P")
T = TypeVar("T")


Operation = Callable[Concatenate[Context, P], T]


class Desk:
    def __init__(
        self,
        store: Store,
        profiles: Mapping[str, RuleProfile],
        clock: Clock | None = None,
    ) -> None:
        self.store = store
        self.profiles = profiles
        self._clock = clock
        self.actor = SYSTEM_ACTOR

    @property
    def clock(self) -> Clock:
        """The desk's own clock, else the one running where it is called (the system's,
        or a test's or the demo builder's `running_on`)."""
        return self._clock or current()

    def read(self, op: Operation[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._run(False, op, *args, **kwargs)

    def write(self, op: Operation[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._run(True, op, *args, **kwargs)

    def sign_in(self, password: str) -> auth.LoginResult:
        """Check the password; on success the secretary becomes the desk's actor."""
        result = auth.login(self.store.paths, password)
        if result.ok:
            self.actor = self.read(auth.secretary)
            result = replace(result, actor=self.actor)
        return result

    def _run(self, write: bool, op: Callable[..., T], *args: object, **kwargs: object) -> T:
        with running_on(self.clock), self.store.unit(self.actor, write=write) as session:
            context = Context(
                session, self.store, self.profiles, self.actor, active_profile, overview
            )
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
